//! `banner-bench load --latencies FILE`: the server's open-loop samples,
//! with their send times, for finding what makes the latency's tail.

use std::path::Path;

use anyhow::Context;
use banner_bench::load::LoadReport;

/// The open loop's visitor→agent samples, one line each: `sent_us
/// latency_us`, the send time counted from the run's start, which the first
/// line gives on the wall clock. Slow messages that share a send time are a
/// stall; lined up with a server's log or a `perf record -k CLOCK_REALTIME`
/// profile, the stall's cause (docs/BENCHMARKS.md, "Checkpoints beside the
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
}
