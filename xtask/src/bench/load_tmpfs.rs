//! The `load-tmpfs` suite: the load benchmark again, the server's data
//! directory on tmpfs (`/dev/shm`), where a sync returns at once.
//!
//! Not a target's figure: the targets are measured on the disk (`load`).
//! It tells, in the same run, the server's own share of the latency's tail
//! from the disk's: every message waits for its commit's sync before it is
//! delivered, and a shared virtual disk holds syncs for 20–300 ms in
//! spells (docs/benchmarks-journal.md, "One run's table, the disk against a
//! tmpfs, and the web process under heaptrack"). Only the figures that
//! sentence needs are kept, renamed `load_tmpfs.*`.

use std::path::Path;

use serde_json::Value;

use super::suites::{bench, load_args};
use super::{Bins, table};

/// Where tmpfs is mounted on Linux.
const SHM: &str = "/dev/shm";
/// Rounds of the full run: two, as the figure is a diagnostic.
const ROUNDS: usize = 2;
/// The figures kept from `banner-bench load`.
const KEPT: [&str; 3] = [
    "load.messages_per_sec",
    "load.visitor_to_agent_p50",
    "load.visitor_to_agent_p99",
];

/// Runs the load benchmark on tmpfs; its kept figures, renamed.
pub fn figures(bins: &Bins, quick: bool) -> Result<Vec<Value>, String> {
    let shm = Path::new(SHM);
    if !shm.is_dir() {
        return Ok(vec![table::not_measured(
            "load-tmpfs",
            &format!("no tmpfs at {SHM} on this system"),
        )]);
    }
    let dir = shm.join(format!("banner-bench-load-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let server = bins.server.display().to_string();
    let got = bench(
        bins,
        &load_args(&server, &dir.display().to_string(), quick, ROUNDS),
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(got?.into_iter().filter_map(renamed).collect())
}

/// A kept figure under its `load_tmpfs.` name, its note saying where the
/// data was; `None` for the others.
fn renamed(mut figure: Value) -> Option<Value> {
    let name = figure.get("name")?.as_str()?;
    if !KEPT.contains(&name) {
        return None;
    }
    let name = name.replacen("load.", "load_tmpfs.", 1);
    let note = figure.get("note").and_then(Value::as_str).unwrap_or("");
    let note = format!(
        "the server's data on tmpfs, where a sync returns at once: the server's own share, \
         not the target's figure (that is on the disk); {note}"
    );
    figure["name"] = Value::from(name);
    figure["note"] = Value::from(note);
    Some(figure)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn keeps_the_latency_and_throughput_renamed_and_drops_the_rest() {
        let p99 = json!({"name": "load.visitor_to_agent_p99", "value": 7.0, "note": "open loop"});
        let kept = renamed(p99).expect("kept");
        assert_eq!(kept["name"], "load_tmpfs.visitor_to_agent_p99");
        assert_eq!(kept["value"], 7.0);
        let note = kept["note"].as_str().expect("note");
        assert!(note.starts_with("the server's data on tmpfs"), "{note}");
        assert!(note.ends_with("; open loop"), "{note}");

        assert!(renamed(json!({"name": "load.server_peak_rss", "value": 48.0})).is_none());
        assert!(renamed(json!({"value": 1.0})).is_none());
    }
}
