//! `banner-bench load --latencies FILE`: the server's open-loop samples,
//! with their send times, for finding what makes the latency's tail.

use std::path::{Path, PathBuf};

use anyhow::Context;
use banner_bench::load::LoadReport;

/// Where round `round`'s samples go: `FILE` with the round put before its
/// extension (`lat.txt` → `lat-0.txt`), counted from 0 as the server's
/// data directories and logs are (`server-open-0.log`), so a round's
/// samples and its log pair up by name. Every round is written because a
/// stall comes in about one round in eight: the first alone rarely holds one.
pub(crate) fn round_path(path: &Path, round: usize) -> PathBuf {
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    let name = match path.extension() {
        Some(ext) => format!("{stem}-{round}.{}", ext.to_string_lossy()),
        None => format!("{stem}-{round}"),
    };
    path.with_file_name(name)
}

/// The open loop's visitor→agent samples, one line each: `sent_us
/// latency_us`, the send time counted from the run's start, which the first
/// line gives on the wall clock. Slow messages that share a send time are a
/// stall; lined up with a server's log or a `perf record -k CLOCK_REALTIME`
/// profile, the stall's cause (docs/benchmarks-journal.md, "Checkpoints beside the
/// writer, and the search index in batches").
pub(crate) fn write(path: &Path, report: &LoadReport) -> anyhow::Result<()> {
    use std::fmt::Write as _;
    let mut text = format!(
        "# visitor->agent, server, open loop: sent_us latency_us; run start {} us since the Unix epoch\n",
        report.epoch_unix_us
    );
    for (sent, latency) in report.to_agent_sent_us.iter().zip(&report.to_agent_us) {
        let _ = writeln!(text, "{sent} {latency}");
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latencies_are_written_one_sample_a_line_after_the_run_start() {
        let report = LoadReport {
            to_agent_us: vec![900, 12_000],
            to_agent_sent_us: vec![1_000, 1_400],
            epoch_unix_us: 1_795_360_000_000_000,
            ..LoadReport::default()
        };
        let path = std::env::temp_dir().join(format!("latencies-{}.txt", std::process::id()));
        write(&path, &report).expect("written");
        let text = std::fs::read_to_string(&path).expect("read");
        let _ = std::fs::remove_file(&path);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with('#'));
        assert!(lines[0].contains("1795360000000000"));
        assert_eq!(lines[1..], ["1000 900", "1400 12000"]);
    }

    #[test]
    fn each_round_has_its_own_file_beside_the_one_named() {
        assert_eq!(
            round_path(Path::new("/tmp/x/lat.txt"), 0),
            Path::new("/tmp/x/lat-0.txt")
        );
        assert_eq!(round_path(Path::new("lat"), 3), Path::new("lat-3"));
        assert_eq!(
            round_path(Path::new("/a.b/lat.d.txt"), 12),
            Path::new("/a.b/lat.d-12.txt")
        );
    }
}
