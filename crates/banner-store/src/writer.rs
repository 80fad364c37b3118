//! The single writer thread and its group commit.
//!
//! One `std::thread` owns the only write connection. Commands arrive over a
//! channel; the thread blocks for the first, then drains whatever else is already
//! queued (up to `max_batch`) into **one** transaction. Each command runs under
//! its own `SAVEPOINT`, so a command that fails rolls back alone and gets its own
//! error while the rest of the batch commits. Replies are sent only after the
//! `COMMIT` returned — an acknowledged write is durable (`synchronous=FULL`).
//!
//! After the batches it can run an [`Upkeep`] (`upkeep.rs`): work that may
//! wait a moment and is cheaper done in one go, such as the search index.
//!
//! Dropping the [`Writer`] closes the channel; the thread finishes every command
//! already queued, then exits and is joined.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Instant;

use rusqlite::Connection;
use tokio::sync::oneshot;

use crate::error::{Result, StoreError};
use crate::upkeep::{Schedule, Upkeep};

/// Counters of the writer's work since the store was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StoreStats {
    /// Transactions committed (one per batch that committed).
    pub transactions: u64,
    /// Commands taken off the queue into a batch, successful or not.
    pub commands: u64,
    /// The most commands one transaction carried.
    pub largest_batch: u64,
}

#[derive(Debug, Default)]
struct Counters {
    transactions: AtomicU64,
    commands: AtomicU64,
    largest_batch: AtomicU64,
}

/// One queued write: run inside the batch, then answered after the commit.
trait WriteOp: Send {
    /// Runs the command; `true` when it succeeded and its changes should stay.
    fn apply(&mut self, conn: &Connection) -> bool;
    /// Records a failure that prevented the command from running.
    fn reject(&mut self, err: StoreError);
    /// Answers the caller, given how the batch's commit went.
    fn reply(self: Box<Self>, commit: Result<()>);
}

struct Op<T, F> {
    run: Option<F>,
    outcome: Option<Result<T>>,
    reply_to: oneshot::Sender<Result<T>>,
}

impl<T, F> WriteOp for Op<T, F>
where
    T: Send,
    F: FnOnce(&Connection) -> Result<T> + Send,
{
    fn apply(&mut self, conn: &Connection) -> bool {
        let outcome = match self.run.take() {
            Some(run) => catch_unwind(AssertUnwindSafe(|| run(conn)))
                .unwrap_or_else(|_| Err(StoreError::Sqlite("a write command panicked".to_owned()))),
            None => Err(StoreError::Sqlite("a write command ran twice".to_owned())),
        };
        let ok = outcome.is_ok();
        self.outcome = Some(outcome);
        ok
    }

    fn reject(&mut self, err: StoreError) {
        self.run = None;
        self.outcome = Some(Err(err));
    }

    fn reply(self: Box<Self>, commit: Result<()>) {
        let answer = match (self.outcome, commit) {
            // The command's own failure wins: it was rolled back either way.
            (Some(Err(err)), _) => Err(err),
            (Some(Ok(value)), Ok(())) => Ok(value),
            (Some(Ok(_)) | None, Err(err)) => Err(err),
            (None, Ok(())) => Err(StoreError::Sqlite("a write command never ran".to_owned())),
        };
        // The caller may have stopped waiting; the write stands regardless.
        let _ = self.reply_to.send(answer);
    }
}

/// Handle to the writer thread: submits commands and joins the thread on drop.
pub(crate) struct Writer {
    queue: Option<mpsc::Sender<Box<dyn WriteOp>>>,
    thread: Option<JoinHandle<()>>,
    counters: Arc<Counters>,
}

impl Writer {
    /// Starts the writer thread, which takes ownership of `conn`.
    pub(crate) fn spawn(
        conn: Connection,
        max_batch: usize,
        upkeep: Option<Upkeep>,
    ) -> Result<Self> {
        let (queue, commands) = mpsc::channel();
        let counters = Arc::new(Counters::default());
        let thread_counters = Arc::clone(&counters);
        let thread = std::thread::Builder::new()
            .name("banner-store-writer".to_owned())
            .spawn(move || run(conn, &commands, max_batch.max(1), upkeep, &thread_counters))?;
        Ok(Self {
            queue: Some(queue),
            thread: Some(thread),
            counters,
        })
    }

    /// Queues `run` for the next batch. The command is submitted now, not when the
    /// returned future is first polled, so dropping the future does not cancel it.
    pub(crate) fn submit<T, F>(&self, run: F) -> impl Future<Output = Result<T>> + Send + 'static
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        let (reply_to, reply) = oneshot::channel();
        let op = Box::new(Op {
            run: Some(run),
            outcome: None,
            reply_to,
        });
        if let Some(queue) = &self.queue {
            // A send error drops the op and its sender: the await below sees Closed.
            let _ = queue.send(op);
        }
        async move { reply.await.unwrap_or(Err(StoreError::Closed)) }
    }

    /// A snapshot of the counters.
    pub(crate) fn stats(&self) -> StoreStats {
        StoreStats {
            transactions: self.counters.transactions.load(Ordering::Relaxed),
            commands: self.counters.commands.load(Ordering::Relaxed),
            largest_batch: self.counters.largest_batch.load(Ordering::Relaxed),
        }
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // Closing the channel lets the thread drain what is queued, then stop.
        self.queue = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(
    conn: Connection,
    commands: &mpsc::Receiver<Box<dyn WriteOp>>,
    max_batch: usize,
    upkeep: Option<Upkeep>,
    counters: &Counters,
) {
    let mut batch = Vec::with_capacity(max_batch);
    let mut upkeep = upkeep.map(Schedule::new);
    loop {
        let first = match upkeep.as_ref().and_then(Schedule::due) {
            None => commands
                .recv()
                .map_err(|_| mpsc::RecvTimeoutError::Disconnected),
            Some(at) => commands.recv_timeout(at.saturating_duration_since(Instant::now())),
        };
        let first = match first {
            Ok(op) => op,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if let Some(upkeep) = &mut upkeep {
                    let _ = upkeep.run(&conn);
                }
                continue;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        batch.push(first);
        while batch.len() < max_batch {
            match commands.try_recv() {
                Ok(op) => batch.push(op),
                Err(_) => break,
            }
        }
        commit_batch(&conn, &mut batch, counters);
        if let Some(upkeep) = &mut upkeep {
            upkeep.after_batch(&conn);
        }
    }
    if let Some(upkeep) = &mut upkeep {
        upkeep.finish(&conn);
    }
    // Best effort: lets SQLite refresh planner statistics before the file closes.
    let _ = conn.execute_batch("PRAGMA optimize");
    // Best effort: the whole WAL into the file, and the log cut back, even if
    // another connection (a search still running) outlives this one and so
    // keeps SQLite from doing it at close.
    let _ = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)");
}

/// A group commit at least this long is logged at `debug`.
const SLOW_COMMIT_US: u64 = 2_000;

/// Microseconds since `started`, for the `took_us` of the store's `debug`
/// lines (the commits, the checkpoints and the upkeep's steps).
pub(crate) fn took_us(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX)
}

fn commit_batch(conn: &Connection, batch: &mut Vec<Box<dyn WriteOp>>, counters: &Counters) {
    let size = batch.len() as u64;
    counters.commands.fetch_add(size, Ordering::Relaxed);
    counters.largest_batch.fetch_max(size, Ordering::Relaxed);
    let started = Instant::now();

    // A transaction left open by an earlier failed ROLLBACK would make BEGIN fail
    // for every later batch; retry closing it first.
    rollback(conn);
    let commit = match conn.execute_batch("BEGIN IMMEDIATE") {
        Ok(()) => apply_all(conn, batch),
        Err(err) => Err(StoreError::from(err)),
    };
    if commit.is_ok() {
        counters.transactions.fetch_add(1, Ordering::Relaxed);
    }
    // For the tail of the latency: what made a commit long (with the
    // checkpoints' and the upkeep's own lines at the same level).
    let took_us = took_us(started);
    if took_us >= SLOW_COMMIT_US {
        tracing::debug!(size, took_us, "a slow group commit");
    }
    for op in batch.drain(..) {
        op.reply(commit.clone());
    }
}

/// Runs every op under its own savepoint, then commits. An `Err` means nothing of
/// the batch was kept.
fn apply_all(conn: &Connection, batch: &mut [Box<dyn WriteOp>]) -> Result<()> {
    if let [only] = batch {
        return apply_one(conn, only.as_mut());
    }
    let mut broken = None;
    for op in batch.iter_mut() {
        if let Some(err) = &broken {
            op.reject(StoreError::clone(err));
            continue;
        }
        if let Err(err) = conn.execute_batch("SAVEPOINT write_op") {
            broken = Some(StoreError::from(err));
            op.reject(StoreError::Sqlite(
                "the batch transaction failed".to_owned(),
            ));
            continue;
        }
        let ok = op.apply(conn);
        // Some errors (I/O, disk full) make SQLite roll back the whole transaction.
        if conn.is_autocommit() {
            broken = Some(StoreError::Sqlite(
                "SQLite rolled back the batch transaction".to_owned(),
            ));
            continue;
        }
        let end = if ok {
            "RELEASE write_op"
        } else {
            "ROLLBACK TO write_op; RELEASE write_op"
        };
        if let Err(err) = conn.execute_batch(end) {
            broken = Some(StoreError::from(err));
        }
    }
    match broken {
        None => match conn.execute_batch("COMMIT") {
            Ok(()) => Ok(()),
            Err(err) => {
                rollback(conn);
                Err(StoreError::from(err))
            }
        },
        Some(err) => {
            rollback(conn);
            Err(err)
        }
    }
}

/// A batch of one command (the server's group commit sends one per commit):
/// the transaction is its savepoint. Inside a savepoint SQLite first copies
/// every page a statement changes into a sub-journal, so that it can roll
/// back to it — 11 % of the writer's time under load, for nothing when the
/// command is alone. A failed command rolls the whole transaction back.
fn apply_one(conn: &Connection, op: &mut dyn WriteOp) -> Result<()> {
    let ok = op.apply(conn);
    if conn.is_autocommit() {
        // Some errors (I/O, disk full) make SQLite roll back by itself.
        return Err(StoreError::Sqlite(
            "SQLite rolled back the batch transaction".to_owned(),
        ));
    }
    if !ok {
        rollback(conn);
        // The command's own error is its answer; nothing was committed.
        return Err(StoreError::Sqlite(
            "the command failed and was rolled back".to_owned(),
        ));
    }
    conn.execute_batch("COMMIT").map_err(|err| {
        rollback(conn);
        StoreError::from(err)
    })
}

pub(crate) fn rollback(conn: &Connection) {
    if !conn.is_autocommit() {
        // If this fails too, the next batch retries it before its BEGIN.
        let _ = conn.execute_batch("ROLLBACK");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Connection {
        let conn = Connection::open_in_memory().expect("db");
        conn.execute_batch("CREATE TABLE t (k INTEGER PRIMARY KEY)")
            .expect("schema");
        conn
    }

    /// The keys stored, in order.
    fn keys(conn: &Connection) -> Vec<i64> {
        conn.prepare("SELECT k FROM t ORDER BY k")
            .expect("prepare")
            .query_map([], |r| r.get(0))
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("rows")
    }

    fn insert(k: i64) -> impl FnOnce(&Connection) -> Result<usize> + Send {
        move |conn| Ok(conn.execute("INSERT INTO t (k) VALUES (?1)", [k])?)
    }

    fn queued<F>(run: F) -> (Box<dyn WriteOp>, oneshot::Receiver<Result<usize>>)
    where
        F: FnOnce(&Connection) -> Result<usize> + Send + 'static,
    {
        let (reply_to, reply) = oneshot::channel();
        let op = Op {
            run: Some(run),
            outcome: None,
            reply_to,
        };
        (Box::new(op), reply)
    }

    #[test]
    fn one_failing_op_rolls_back_alone() {
        let conn = table();
        let counters = Counters::default();
        let (a, mut ra) = queued(insert(1));
        let (b, mut rb) = queued(|conn: &Connection| {
            conn.execute("INSERT INTO t (k) VALUES (2)", [])?;
            // Fails after a partial write, which must not survive.
            Ok(conn.execute("INSERT INTO t (k) VALUES (1)", [])?)
        });
        let (c, mut rc) = queued(insert(3));
        let mut batch = vec![a, b, c];
        commit_batch(&conn, &mut batch, &counters);

        assert_eq!(ra.try_recv().expect("reply"), Ok(1));
        assert!(matches!(
            rb.try_recv().expect("reply"),
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(rc.try_recv().expect("reply"), Ok(1));
        assert_eq!(keys(&conn), [1, 3]);
        assert_eq!(counters.transactions.load(Ordering::Relaxed), 1);
    }

    #[test]
    fn a_batch_of_one_commits_without_a_savepoint_and_a_failure_keeps_nothing() {
        let conn = table();
        let counters = Counters::default();
        let (ok, mut r_ok) = queued(insert(1));
        commit_batch(&conn, &mut vec![ok], &counters);
        assert_eq!(r_ok.try_recv().expect("reply"), Ok(1));

        let (bad, mut r_bad) = queued(|conn: &Connection| {
            conn.execute("INSERT INTO t (k) VALUES (2)", [])?;
            // Fails after a partial write, which must not survive.
            Ok(conn.execute("INSERT INTO t (k) VALUES (1)", [])?)
        });
        commit_batch(&conn, &mut vec![bad], &counters);
        assert!(matches!(
            r_bad.try_recv().expect("reply"),
            Err(StoreError::Conflict(_))
        ));
        assert!(conn.is_autocommit(), "no transaction left open");

        let (next, mut r_next) = queued(insert(3));
        commit_batch(&conn, &mut vec![next], &counters);
        assert_eq!(r_next.try_recv().expect("reply"), Ok(1));
        assert_eq!(keys(&conn), [1, 3]);
        assert_eq!(counters.transactions.load(Ordering::Relaxed), 2);
    }

    #[test]
    fn a_panicking_op_is_answered_and_the_batch_commits() {
        let conn = table();
        let counters = Counters::default();
        let (a, mut ra) = queued(|_: &Connection| -> Result<usize> { panic!("bug") });
        let (b, mut rb) = queued(insert(7));
        let mut batch = vec![a, b];
        commit_batch(&conn, &mut batch, &counters);
        assert!(matches!(
            ra.try_recv().expect("reply"),
            Err(StoreError::Sqlite(_))
        ));
        assert_eq!(rb.try_recv().expect("reply"), Ok(1));
    }

    #[test]
    fn a_failed_begin_answers_every_op_with_the_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("t.db");
        let conn = Connection::open(&path).expect("db");
        conn.execute_batch("CREATE TABLE t (k INTEGER PRIMARY KEY)")
            .expect("schema");
        conn.busy_timeout(std::time::Duration::ZERO)
            .expect("timeout");
        let holder = Connection::open(&path).expect("second connection");
        holder
            .execute_batch("BEGIN IMMEDIATE")
            .expect("hold the write lock");

        let counters = Counters::default();
        let (a, mut ra) = queued(insert(1));
        let mut batch = vec![a];
        commit_batch(&conn, &mut batch, &counters);
        assert!(matches!(
            ra.try_recv().expect("reply"),
            Err(StoreError::Sqlite(_))
        ));
        assert_eq!(counters.transactions.load(Ordering::Relaxed), 0);

        holder.execute_batch("ROLLBACK").expect("release");
        let (b, mut rb) = queued(insert(2));
        let mut batch = vec![b];
        commit_batch(&conn, &mut batch, &counters);
        assert_eq!(rb.try_recv().expect("reply"), Ok(1));
        assert_eq!(counters.transactions.load(Ordering::Relaxed), 1);
    }

    #[tokio::test]
    async fn dropping_the_writer_finishes_queued_commands() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("t.db");
        let conn = Connection::open(&path).expect("db");
        conn.execute_batch("CREATE TABLE t (k INTEGER PRIMARY KEY)")
            .expect("schema");
        let writer = Writer::spawn(conn, 16, None).expect("spawn");
        let replies: Vec<_> = (0..200).map(|k| writer.submit(insert(k))).collect();
        drop(writer);

        for reply in replies {
            assert_eq!(reply.await, Ok(1));
        }
        let check = Connection::open(&path).expect("reopen");
        let count: i64 = check
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .expect("count");
        assert_eq!(count, 200);
    }

    #[tokio::test]
    async fn a_stopped_writer_answers_closed() {
        let writer = Writer::spawn(table(), 16, None).expect("spawn");
        let mut stopped = writer;
        stopped.queue = None;
        if let Some(thread) = stopped.thread.take() {
            thread.join().expect("join");
        }
        assert_eq!(stopped.submit(insert(1)).await, Err(StoreError::Closed));
    }
}
