//! The checkpointer: a thread with a connection of its own that copies the
//! bulk of a long WAL into the database file, so that no commit waits while
//! thousands of pages are copied.
//!
//! Left to the writer's connection (`wal_autocheckpoint`), a checkpoint runs
//! inside the commit that crosses the threshold: that commit, and every
//! command queued behind it, waits for the whole copy and the file's sync.
//! Under the load benchmark that was a 10–17 ms stall every ~0.3 s, and the
//! messages caught behind it made the latency's p99 (docs/benchmarks-journal.md,
//! "Checkpoints beside the writer").
//!
//! What the writer's WAL hook ([`install`]) does after each commit, by the
//! WAL's length ([`Policy`]):
//!
//! 1. at [`START_AT`] frames it nudges this thread, which checkpoints once
//!    (`PASSIVE`: it takes no lock a commit needs, so commits go on while it
//!    copies);
//! 2. once that round has copied all but [`REST_AT_MOST`] frames, the
//!    writer's next commit checkpoints the rest itself: only what was
//!    committed during the round. Being the only writer, it usually leaves
//!    the whole log in the file (not while a reader still reads an older
//!    snapshot: then it tries again at the next commit), so its next
//!    transaction starts the WAL again from the beginning — SQLite restarts
//!    a log only once all of it is copied, which a checkpoint beside a busy
//!    writer would almost never see. A round that left more (what was
//!    committed during a long round, or a reader held it back, or it
//!    failed) gets another nudge instead: the writer never takes on more
//!    than a few milliseconds' commits of the copy, since every command
//!    waits behind it;
//! 3. past [`WRITER_AT`] frames (the thread cannot keep up: a slow disk) the
//!    writer tries to checkpoint at every commit, as SQLite's automatic
//!    checkpoint would; a checkpoint cannot copy past a reader's snapshot,
//!    so a reader that never lets go still grows the WAL, as with SQLite's
//!    own.
//!
//! A checkpoint that fails is logged (`tracing`, target `banner_store`); the
//! commit it follows stands.
//!
//! The checkpointer's connection syncs as the writer's does
//! (`synchronous=FULL`): the WAL is synced before pages are copied out of it
//! and the file after, so a power loss never finds a log reused before its
//! pages were safe in the file.
//!
//! SQLite syncs the database file only at the end of a checkpoint that
//! copied the whole log, and a round beside a busy writer almost never does:
//! the pages it wrote would wait, dirty in the kernel's cache, for the
//! writer's copy of the rest, whose sync then wrote all of them back —
//! megabytes — while every command waited (a median ~5 ms, up to ~9, under
//! the load benchmark: the bursts of its latency's tail; docs/benchmarks-journal.md,
//! "The round's pages synced beside the writer"). So the thread syncs the
//! file itself after each round that copied frames, and the
//! writer's sync finds only the rest's pages to write. This sync adds to
//! SQLite's, it replaces none: what keeps the log from being reused early
//! is still SQLite's sync at the end of the checkpoint that copies the last
//! frame. A write-back error it meets is still reported to SQLite's own
//! descriptor (Linux reports one to every open descriptor since 4.13).

use std::fs::File;
use std::os::raw::c_int;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::thread::JoinHandle;

use rusqlite::Connection;
use rusqlite::hooks::Wal;

use crate::error::Result;

/// WAL frames (4 KiB pages) at which the thread is nudged: ~40 MB. Not
/// lower: the same hot pages (each conversation's leaf in the log's indexes,
/// the log's tail) are rewritten by many commits, and a checkpoint copies each
/// page once however often it was written — frequent small checkpoints copy
/// the same pages again and again.
pub(crate) const START_AT: c_int = 10_000;

/// WAL frames past which the writer checkpoints itself at every commit
/// (~160 MB).
pub(crate) const WRITER_AT: c_int = 4 * START_AT;

/// The most frames the writer copies itself after the thread's rounds:
/// what a few milliseconds of commits write at 5,000 msg/s; more goes to
/// another, short round beside the writer. At 2,000 (what a first round
/// of ~10 ms leaves) the writer's copy took a median 4.7–6.6 ms under load,
/// at 200 3.0–5.2 ms: its syncs cost what they cost, the pages do not
/// (docs/benchmarks-journal.md).
pub(crate) const REST_AT_MOST: c_int = 200;

/// What the writer does after a commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Nothing,
    /// Wake the thread.
    Nudge,
    /// Checkpoint on the writer's own connection.
    Checkpoint,
}

/// The writer's side: when to nudge the thread and when to copy the rest.
#[derive(Debug, Default)]
struct Policy {
    /// The thread's count of finished rounds when this log's nudge was sent.
    nudged_at: Option<u64>,
}

impl Policy {
    /// After a commit that left `frames` in the WAL, with `rounds` rounds
    /// finished by the thread so far, the last of which left `copied` frames
    /// of the log in the file (`-1` if it failed).
    fn after_commit(&mut self, frames: c_int, rounds: u64, copied: i64) -> Action {
        if frames >= WRITER_AT {
            return Action::Checkpoint;
        }
        if frames < START_AT {
            // A short log: a new one since the last checkpoint.
            self.nudged_at = None;
            return Action::Nothing;
        }
        match self.nudged_at {
            None => {
                self.nudged_at = Some(rounds);
                Action::Nudge
            }
            // The round this log's nudge asked for has finished: the rest
            // is the writer's if it is small, else another round.
            Some(at) if rounds > at && i64::from(frames) - copied <= i64::from(REST_AT_MOST) => {
                Action::Checkpoint
            }
            Some(at) if rounds > at => {
                self.nudged_at = Some(rounds);
                Action::Nudge
            }
            Some(_) => Action::Nothing,
        }
    }
}

/// What wakes the checkpointer.
#[derive(Clone)]
struct Nudge(SyncSender<()>);

impl Nudge {
    /// Asks for a round; a nudge already waiting covers this one.
    fn send(&self) {
        match self.0.try_send(()) {
            Ok(()) | Err(TrySendError::Full(())) | Err(TrySendError::Disconnected(())) => {}
        }
    }
}

/// Handle to the checkpointer's thread; stops and joins it on drop.
pub(crate) struct Checkpointer {
    nudge: Nudge,
    /// Set on drop: the writer's hook keeps a sender, so the channel alone
    /// never closes while the writer lives.
    stop: Arc<AtomicBool>,
    /// Rounds finished, whatever they copied.
    rounds: Arc<AtomicU64>,
    /// Frames of the log in the file after the last round (`-1`: it failed).
    copied: Arc<AtomicI64>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts the thread on `conn` (see `connection::open_checkpointer`).
    pub(crate) fn spawn(conn: Connection) -> Result<Self> {
        // The database file, for the thread's own sync after a round (see
        // the module's doc); none for a database without a file. Opened for
        // writing, since Windows syncs only a handle that may write.
        let database = conn
            .path()
            .filter(|path| !path.is_empty())
            .and_then(|path| match File::options().write(true).open(path) {
                Ok(file) => Some(file),
                Err(e) => {
                    // Only the early sync is lost; SQLite's own syncs stay.
                    tracing::warn!(error = %e, "the checkpointer cannot open the database file to sync it");
                    None
                }
            });
        // One slot: nudges that come while a round runs fold into one.
        let (nudge, nudged) = mpsc::sync_channel::<()>(1);
        let stop = Arc::new(AtomicBool::new(false));
        let rounds = Arc::new(AtomicU64::new(0));
        let copied = Arc::new(AtomicI64::new(-1));
        let thread = {
            let stop = Arc::clone(&stop);
            let progress = (Arc::clone(&rounds), Arc::clone(&copied));
            std::thread::Builder::new()
                .name("banner-store-checkpointer".into())
                .spawn(move || {
                    run(
                        &conn,
                        database.as_ref(),
                        &nudged,
                        &stop,
                        &progress.0,
                        &progress.1,
                    )
                })?
        };
        Ok(Checkpointer {
            nudge: Nudge(nudge),
            stop,
            rounds,
            copied,
            thread: Some(thread),
        })
    }

    /// Rounds the thread has finished.
    #[cfg(test)]
    fn rounds(&self) -> u64 {
        self.rounds.load(Ordering::Acquire)
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        // Wakes the thread (or a nudge already waiting does).
        self.nudge.send();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Replaces the writer's automatic checkpoint with [`Policy`].
pub(crate) fn install(writer: &mut Connection, checkpointer: &Checkpointer) -> Result<()> {
    let nudge = checkpointer.nudge.clone();
    let rounds = Arc::clone(&checkpointer.rounds);
    let copied = Arc::clone(&checkpointer.copied);
    let mut policy = Policy::default();
    writer.wal_hook(Some(move |wal: &mut Wal, frames: c_int| {
        // The round count first: the thread sets `copied` before it.
        let done = rounds.load(Ordering::Acquire);
        match policy.after_commit(frames, done, copied.load(Ordering::Acquire)) {
            Action::Nothing => {}
            Action::Nudge => nudge.send(),
            // Returned, an error would fail a commit already made durable:
            // it is logged, and the next commit tries again.
            Action::Checkpoint => {
                let started = std::time::Instant::now();
                if let Err(e) = wal.checkpoint() {
                    tracing::warn!(error = %e, frames, "the writer's WAL checkpoint failed");
                }
                let took_us = crate::writer::took_us(started);
                tracing::debug!(
                    frames,
                    took_us,
                    "the writer checkpointed the rest of the WAL"
                );
            }
        }
        Ok(())
    }))?;
    Ok(())
}

fn run(
    conn: &Connection,
    database: Option<&File>,
    nudged: &Receiver<()>,
    stop: &AtomicBool,
    rounds: &AtomicU64,
    copied: &AtomicI64,
) {
    while nudged.recv().is_ok() && !stop.load(Ordering::Acquire) {
        // (busy, frames in the WAL, frames of it in the file). A failed round
        // still counts, as `-1` copied: the writer's next commit nudges again.
        let started = std::time::Instant::now();
        let round = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| {
            row.get::<_, i64>(2)
        });
        let done = round.unwrap_or_else(|e| {
            tracing::warn!(error = %e, "a WAL checkpoint beside the writer failed");
            -1
        });
        let took_us = crate::writer::took_us(started);
        // After every round that copied frames: the pragma reports the log
        // as it was when the round began, all of which the round copies, so
        // it cannot tell whether SQLite synced (only if nothing was
        // committed meanwhile, which beside a busy writer is rare; the sync
        // then costs ~50 µs). Before the round is counted, so that the
        // writer's copy of the rest starts with the file's pages clean.
        let synced_us = match database {
            Some(file) if done > 0 => sync(file),
            _ => 0,
        };
        tracing::debug!(
            copied = done,
            took_us,
            synced_us,
            "a checkpoint round beside the writer"
        );
        copied.store(done, Ordering::Release);
        rounds.fetch_add(1, Ordering::Release);
    }
}

/// Writes the round's pages back to the disk (see the module's doc), so the
/// writer's sync does not have to; returns how long it took, in µs. A
/// failure is only logged: SQLite's own sync still comes before the log is
/// reused.
fn sync(database: &File) -> u64 {
    let started = std::time::Instant::now();
    if let Err(e) = database.sync_data() {
        tracing::warn!(error = %e, "syncing the database file beside the writer failed");
    }
    crate::writer::took_us(started)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;
    use crate::connection::{open_checkpointer, open_writer};

    #[test]
    fn the_writer_nudges_once_a_log_then_copies_the_rest_after_the_round() {
        let mut policy = Policy::default();
        let none = -1;
        assert_eq!(policy.after_commit(START_AT - 1, 0, none), Action::Nothing);
        assert_eq!(policy.after_commit(START_AT, 0, none), Action::Nudge);
        // While the round runs, commits go on without copying.
        assert_eq!(policy.after_commit(START_AT + 50, 0, none), Action::Nothing);
        assert_eq!(policy.after_commit(START_AT + 90, 0, none), Action::Nothing);
        // The round copied what was there: the writer copies what came since.
        let copied = i64::from(START_AT);
        assert_eq!(
            policy.after_commit(START_AT + 120, 1, copied),
            Action::Checkpoint
        );
        // A reader kept that from finishing: it tries again next commit.
        assert_eq!(
            policy.after_commit(START_AT + 130, 1, copied),
            Action::Checkpoint
        );
        // The log started again: the next long one gets its own nudge.
        assert_eq!(policy.after_commit(12, 1, copied), Action::Nothing);
        assert_eq!(policy.after_commit(START_AT + 3, 1, copied), Action::Nudge);
        assert_eq!(
            policy.after_commit(START_AT + 9, 1, copied),
            Action::Nothing
        );
        // A round that copied little (held back, or failed) leaves the bulk
        // to another round, not to the writer.
        assert_eq!(policy.after_commit(START_AT + 20, 2, 100), Action::Nudge);
        assert_eq!(policy.after_commit(START_AT + 30, 2, 100), Action::Nothing);
        assert_eq!(policy.after_commit(START_AT + 40, 3, none), Action::Nudge);
        let nearly = i64::from(START_AT + 40 - REST_AT_MOST);
        assert_eq!(policy.after_commit(START_AT + 50, 4, nearly), Action::Nudge);
        assert_eq!(
            policy.after_commit(START_AT + 60, 5, nearly + 20),
            Action::Checkpoint
        );
        // Past the bound the writer tries at every commit.
        assert_eq!(policy.after_commit(WRITER_AT, 5, none), Action::Checkpoint);
    }

    fn file_len(path: &std::path::Path) -> u64 {
        std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
    }

    fn writes(conn: &Connection, rows: u32) {
        conn.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
             INSERT INTO t SELECT randomblob(4000) FROM n",
            [rows],
        )
        .expect("rows written");
    }

    #[test]
    fn a_long_wal_is_copied_into_the_file_beside_the_writer_and_then_started_again() {
        let dir = tempfile::tempdir().expect("a temporary dir");
        let path = dir.path().join("t.db");
        let wal = dir.path().join("t.db-wal");
        let mut writer = open_writer(&path, Duration::from_secs(5)).expect("writer");
        writer
            .execute_batch("CREATE TABLE t (x BLOB)")
            .expect("a table");
        let checkpointer = Checkpointer::spawn(
            open_checkpointer(&path, Duration::from_secs(5)).expect("checkpointer"),
        )
        .expect("spawned");
        install(&mut writer, &checkpointer).expect("hooked");

        // Below the threshold nothing is copied: the pages stay in the WAL.
        writes(&writer, 2_000);
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(checkpointer.rounds(), 0);
        assert!(file_len(&path) < 100_000, "copied below the threshold");

        // The commit that crosses it nudges the thread, which copies the log
        // into the file; the writer's commit returned before.
        writes(&writer, (START_AT as u32) - 2_000);
        let deadline = Instant::now() + Duration::from_secs(20);
        while checkpointer.rounds() == 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(checkpointer.rounds(), 1, "one round");
        // Read only after the round: a read begun during it may take an
        // older read mark (the checkpointer holds the slots it resets), and
        // the round then stops at that mark, as SQLite means it to.
        let whole: u64 = writer
            .query_row(
                "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size",
                [],
                |row| row.get(0),
            )
            .expect("the database's size");
        assert!(whole > 30_000_000, "{whole} bytes written");
        assert_eq!(file_len(&path), whole, "copied into the file");

        // The next commit copies the rest (here nothing) and the one after
        // starts the log again: more writes do not grow the file.
        let wal_after_copy = file_len(&wal);
        writes(&writer, 1);
        writes(&writer, 100);
        assert_eq!(file_len(&wal), wal_after_copy, "the WAL was reused");
        assert_eq!(checkpointer.rounds(), 1, "no more rounds");

        // It stops when dropped, while the writer goes on.
        drop(checkpointer);
        writes(&writer, 1);
    }
}
