//! The writer's upkeep: work that may wait a moment and is cheaper done in
//! batches (the search index, `search.rs`), run by the writer's thread in
//! transactions of its own.
//!
//! [`Schedule`] says when: once [`Upkeep::every`] has passed since the first
//! batch after the last run, whether more batches come or not, and once more
//! before the thread stops. An idle writer does not wake for it.
//!
//! The work goes in bounded steps: a step that leaves work behind
//! ([`Step::Part`]) is due again at once, after the batch of commands that
//! waited meanwhile. Every command waiting behind a step waits for all of it,
//! so one large step is a stall of every commit: the search index's quarter
//! second of messages in one step took a median 3.4–5.6 ms under load, every
//! quarter second; in steps, ~1 ms each (docs/benchmarks-journal.md).

use std::time::{Duration, Instant};

use rusqlite::Connection;

use crate::error::{Result, StoreError};

/// What one step of an [`Upkeep`] left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// Nothing waits: the next run comes `every` after the next batch.
    All,
    /// More waits: the next step comes after the next batch, or at once if
    /// none waits.
    Part,
}

/// Work the writer does in its own transactions, at most every `every` while
/// batches come, one bounded step per transaction.
#[derive(Clone, Copy)]
pub(crate) struct Upkeep {
    /// What it does, for the log.
    pub what: &'static str,
    pub every: Duration,
    pub work: fn(&Connection) -> Result<Step>,
}

/// An [`Upkeep`] and when it is next due.
pub(crate) struct Schedule {
    upkeep: Upkeep,
    /// Set by the first batch after the last run, or to the moment a step
    /// left work behind.
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
            let _ = self.run(conn);
        }
    }

    /// Runs one step of the work now (its time came with no batch, or the
    /// writer stops); a step that leaves work behind makes the next one due
    /// at once. A failure leaves its input where it was, for the next run; it
    /// is logged when the work starts failing and when it works again, not at
    /// every run.
    pub(crate) fn run(&mut self, conn: &Connection) -> Option<Step> {
        self.due = None;
        let started = Instant::now();
        crate::writer::rollback(conn);
        let done = conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(StoreError::from)
            .and_then(|()| (self.upkeep.work)(conn))
            .and_then(|step| {
                conn.execute_batch("COMMIT")?;
                Ok(step)
            });
        let what = self.upkeep.what;
        match done {
            Ok(step) => {
                // Every command that came meanwhile waited this long.
                let took_us = crate::writer::took_us(started);
                tracing::debug!(what, ?step, took_us, "the store's upkeep took a step");
                if self.failing {
                    tracing::info!(what, "the store's upkeep works again");
                    self.failing = false;
                }
                if step == Step::Part {
                    self.due = Some(Instant::now());
                }
                Some(step)
            }
            Err(e) => {
                crate::writer::rollback(conn);
                if !self.failing {
                    tracing::warn!(what, error = %e, "the store's upkeep failed");
                    self.failing = true;
                }
                None
            }
        }
    }

    /// Runs the work to its end, step by step, as the writer stops; gives up
    /// at the first failure (the input stays for the next start).
    pub(crate) fn finish(&mut self, conn: &Connection) {
        while self.run(conn) == Some(Step::Part) {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::writer::Writer;

    /// The upkeep of the test below: one row in `runs` per run.
    fn count_run(conn: &Connection) -> Result<Step> {
        conn.execute("INSERT INTO runs DEFAULT VALUES", [])?;
        Ok(Step::All)
    }

    /// An upkeep of three steps: every third run finds nothing left.
    fn three_steps(conn: &Connection) -> Result<Step> {
        conn.execute("INSERT INTO runs DEFAULT VALUES", [])?;
        let n: i64 = conn.query_row("SELECT count(*) FROM runs", [], |r| r.get(0))?;
        Ok(if n % 3 == 0 { Step::All } else { Step::Part })
    }

    /// A writer on a fresh file with tables `t` (its writes) and `runs` (the
    /// upkeep's), and `work` as its upkeep; the directory lives as long as
    /// the first value.
    fn counting_writer(
        every: Duration,
        work: fn(&Connection) -> Result<Step>,
    ) -> (tempfile::TempDir, std::path::PathBuf, Writer) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("t.db");
        let conn = Connection::open(&path).expect("db");
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE t (k INTEGER PRIMARY KEY);
             CREATE TABLE runs (n INTEGER PRIMARY KEY);",
        )
        .expect("schema");
        let upkeep = Upkeep {
            what: "counting",
            every,
            work,
        };
        let writer = Writer::spawn(conn, 16, Some(upkeep)).expect("spawn");
        (dir, path, writer)
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
        let every = Duration::from_millis(100);
        let (_dir, path, writer) = counting_writer(every, count_run);

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

    #[tokio::test]
    async fn a_step_that_leaves_work_is_followed_by_the_next_without_a_wait() {
        let every = Duration::from_millis(100);
        let (_dir, path, writer) = counting_writer(every, three_steps);

        // One write: the first step comes an interval later, and the two it
        // leaves come at once, with no further write to start a wait.
        assert_eq!(writer.submit(insert(1)).await, Ok(1));
        std::thread::sleep(3 * every);
        assert_eq!(runs(&path), 3);

        // The third step left nothing: no more steps while idle.
        std::thread::sleep(3 * every);
        assert_eq!(runs(&path), 3);
        drop(writer);
    }

    #[tokio::test]
    async fn a_stopping_writer_takes_every_step_left() {
        // Never due while the test runs: only the stop runs it.
        let (_dir, path, writer) = counting_writer(Duration::from_secs(3600), three_steps);
        assert_eq!(writer.submit(insert(1)).await, Ok(1));
        assert_eq!(runs(&path), 0);
        drop(writer);
        assert_eq!(runs(&path), 3);
    }
}
