//! The writer's upkeep: work that may wait a moment and is cheaper done in
//! one go (the search index, `search.rs`), run by the writer's thread in a
//! transaction of its own.
//!
//! [`Schedule`] says when: once [`Upkeep::every`] has passed since the first
//! batch after the last run, whether more batches come or not, and once more
//! before the thread stops. An idle writer does not wake for it.

use std::time::{Duration, Instant};

use rusqlite::Connection;

use crate::error::{Result, StoreError};

/// Work the writer does in its own transaction, at most every `every` while
/// batches come.
#[derive(Clone, Copy)]
pub(crate) struct Upkeep {
    /// What it does, for the log.
    pub what: &'static str,
    pub every: Duration,
    pub work: fn(&Connection) -> Result<()>,
}

/// An [`Upkeep`] and when it is next due.
pub(crate) struct Schedule {
    upkeep: Upkeep,
    /// Set by the first batch after the last run.
    due: Option<Instant>,
    /// The last run failed: logged once, until one works again.
    failing: bool,
}

impl Schedule {
    pub(crate) fn new(upkeep: Upkeep) -> Self {
        Schedule {
            upkeep,
            due: None,
            failing: false,
        }
    }

    /// When the writer must wake for it, if at all.
    pub(crate) fn due(&self) -> Option<Instant> {
        self.due
    }

    /// After a batch: starts the wait, or runs the work if it is over.
    pub(crate) fn after_batch(&mut self, conn: &Connection) {
        let every = self.upkeep.every;
        let at = *self.due.get_or_insert_with(|| Instant::now() + every);
        if Instant::now() >= at {
            self.run(conn);
        }
    }

    /// Runs the work now (its time came with no batch, or the writer stops).
    /// A failure leaves its input where it was, for the next run; it is
    /// logged when the work starts failing and when it works again, not at
    /// every run.
    pub(crate) fn run(&mut self, conn: &Connection) {
        self.due = None;
        crate::writer::rollback(conn);
        let done = conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(StoreError::from)
            .and_then(|()| (self.upkeep.work)(conn))
            .and_then(|()| conn.execute_batch("COMMIT").map_err(StoreError::from));
        let what = self.upkeep.what;
        match done {
            Ok(()) if self.failing => {
                tracing::info!(what, "the store's upkeep works again");
                self.failing = false;
            }
            Ok(()) => {}
            Err(e) => {
                crate::writer::rollback(conn);
                if !self.failing {
                    tracing::warn!(what, error = %e, "the store's upkeep failed");
                    self.failing = true;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::writer::Writer;

    /// The upkeep of the test below: one row in `runs` per run.
    fn count_run(conn: &Connection) -> Result<()> {
        conn.execute("INSERT INTO runs DEFAULT VALUES", [])?;
        Ok(())
    }

    fn runs(path: &std::path::Path) -> i64 {
        Connection::open(path)
            .expect("reopen")
            .query_row("SELECT count(*) FROM runs", [], |r| r.get(0))
            .expect("count")
    }

    fn insert(k: i64) -> impl FnOnce(&Connection) -> Result<usize> + Send {
        move |conn| Ok(conn.execute("INSERT INTO t (k) VALUES (?1)", [k])?)
    }

    #[tokio::test]
    async fn the_upkeep_runs_once_due_after_writes_and_at_the_end_never_when_idle() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("t.db");
        let conn = Connection::open(&path).expect("db");
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE t (k INTEGER PRIMARY KEY);
             CREATE TABLE runs (n INTEGER PRIMARY KEY);",
        )
        .expect("schema");
        let every = Duration::from_millis(100);
        let upkeep = Upkeep {
            what: "counting",
            every,
            work: count_run,
        };
        let writer = Writer::spawn(conn, 16, Some(upkeep)).expect("spawn");

        // Idle from the start: nothing is due.
        std::thread::sleep(3 * every);
        assert_eq!(runs(&path), 0);

        // A write makes it due one interval later, with no more writes.
        assert_eq!(writer.submit(insert(1)).await, Ok(1));
        std::thread::sleep(3 * every);
        assert_eq!(runs(&path), 1);

        // Idle again: it does not run again.
        std::thread::sleep(3 * every);
        assert_eq!(runs(&path), 1);

        // Writes coming faster than the interval still get it every interval.
        let start = Instant::now();
        let mut k = 2;
        while start.elapsed() < 5 * every {
            assert_eq!(writer.submit(insert(k)).await, Ok(1));
            k += 1;
            std::thread::sleep(every / 10);
        }
        let during = runs(&path) - 1;
        assert!(
            (2..=6).contains(&during),
            "{during} runs in 5 intervals, {} writes",
            k - 2
        );

        // And once more at the end, for what the last writes left.
        drop(writer);
        assert!(runs(&path) >= during + 2);
    }
}
