//! The disk's own sync times: a bare loop of writes, each followed by
//! `fdatasync`, in the benchmark's directory, with nothing of Banner's
//! running.
//!
//! Every commit of the server waits for one such sync (`synchronous=FULL`),
//! and the server delivers a message only after its commit, so the disk's
//! slowest syncs are a floor under the load benchmark's latency tail. On a
//! shared virtual disk they come in spells of 20–300 ms syncs
//! (docs/benchmarks-journal.md, "The stalls named: the disk's syncs"); this
//! puts the disk's figure beside the server's in the same run.

use std::fs::OpenOptions;
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use crate::figure::Figure;
use crate::stats::{Summary, summarize};

/// Bytes written before each sync: about a group commit's WAL frames.
const WRITE: usize = 64 * 1024;
/// The file wraps around at this size, so the loop never fills the disk.
const WRAP_AT: u64 = 64 * 1024 * 1024;
/// A sync this slow or slower counts as held.
pub const HELD: Duration = Duration::from_millis(20);
/// The loop's bound in syncs, whatever its duration (~0.15 ms a sync here).
pub const MAX_SYNCS: usize = 1_000_000;

/// What the loop saw.
#[derive(Clone, Copy, Debug, Default)]
pub struct DiskSyncs {
    /// Each sync's time, in milliseconds.
    pub summary: Summary,
    /// Syncs that took [`HELD`] or longer.
    pub held: usize,
}

impl DiskSyncs {
    /// `durable.disk_sync_p99` and `durable.disk_sync_max`, each against
    /// the median sync of the same loop.
    pub fn figures(&self, seconds: u64) -> Vec<Figure> {
        let s = self.summary;
        let note = format!(
            "a bare loop of {} KiB writes, each followed by fdatasync, in the same directory \
             ({seconds} s, {} syncs, {} of them {} ms or more); baseline: the median sync; \
             every commit waits for one",
            WRITE / 1024,
            s.count,
            self.held,
            HELD.as_millis()
        );
        ["p99", "max"]
            .into_iter()
            .zip([s.p99_ms, s.max_ms])
            .map(|(which, value)| {
                let name = format!("durable.disk_sync_{which}");
                if s.count == 0 {
                    Figure::not_measured(&name, "ms", "no sync in the loop's time")
                } else {
                    Figure::new(&name, value, "ms")
                        .baseline(s.p50_ms)
                        .note(note.clone())
                }
            })
            .collect()
    }
}

/// Writes and syncs in a file under `dir` for `duration`, or until
/// `max_syncs` syncs, whichever comes first; the file is removed after.
pub fn measure(dir: &Path, duration: Duration, max_syncs: usize) -> std::io::Result<DiskSyncs> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join("disk-syncs.bin");
    let mut file = OpenOptions::new()
        .create(true)
        .truncate(true)
        .write(true)
        .open(&path)?;
    let block = vec![0x5a_u8; WRITE];
    let mut micros = Vec::new();
    let end = Instant::now() + duration;
    while Instant::now() < end && micros.len() < max_syncs {
        file.write_all(&block)?;
        let start = Instant::now();
        file.sync_data()?;
        micros.push(u64::try_from(start.elapsed().as_micros()).unwrap_or(u64::MAX));
        if file.stream_position()? >= WRAP_AT {
            file.seek(SeekFrom::Start(0))?;
        }
    }
    drop(file);
    std::fs::remove_file(&path)?;
    let held_micros = u64::try_from(HELD.as_micros()).unwrap_or(u64::MAX);
    let held = micros.iter().filter(|&&m| m >= held_micros).count();
    Ok(DiskSyncs {
        summary: summarize(micros),
        held,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_every_sync_within_its_bounds_and_leaves_no_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let seen = measure(dir.path(), Duration::from_secs(5), 40).expect("syncs");
        assert_eq!(seen.summary.count, 40, "stops at max_syncs");
        assert!(seen.summary.p50_ms <= seen.summary.p99_ms);
        assert!(seen.summary.p99_ms <= seen.summary.max_ms);
        assert!(seen.held <= seen.summary.count);
        assert!(!dir.path().join("disk-syncs.bin").exists());
    }

    #[test]
    fn its_figures_are_the_tail_against_the_median() {
        let seen = DiskSyncs {
            summary: summarize(vec![100, 150, 200, 25_000, 180_000]),
            held: 2,
        };
        let figures = seen.figures(20);
        let names: Vec<_> = figures.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["durable.disk_sync_p99", "durable.disk_sync_max"]);
        assert_eq!(figures[1].value, Some(180.0));
        assert_eq!(figures[1].baseline, Some(0.2));
        assert_eq!(figures[1].ratio, Some(900.0));
        assert!(figures[0].note.contains("5 syncs, 2 of them 20 ms or more"));

        let none = DiskSyncs::default().figures(0);
        assert!(none.iter().all(|f| f.value.is_none()), "{none:?}");
    }

    #[test]
    fn stops_at_the_deadline() {
        let dir = tempfile::tempdir().expect("temp dir");
        let seen = measure(dir.path(), Duration::ZERO, usize::MAX).expect("syncs");
        assert_eq!(seen.summary.count, 0);
        assert_eq!(seen.held, 0);
    }
}
