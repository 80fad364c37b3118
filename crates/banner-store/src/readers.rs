//! The read pool: a few threads, each owning one read-only connection.
//!
//! In WAL mode readers never wait for the writer, and each query sees the last
//! committed state. Running reads on their own threads keeps blocking SQLite
//! calls off the caller's async runtime; callers await a oneshot reply, exactly
//! as they do for writes.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::JoinHandle;

use rusqlite::Connection;
use tokio::sync::oneshot;

use crate::error::{Result, StoreError};

type ReadJob = Box<dyn FnOnce(&Connection) + Send>;

/// Handle to the reader threads; joins them on drop.
pub(crate) struct ReadPool {
    queue: Option<mpsc::Sender<ReadJob>>,
    threads: Vec<JoinHandle<()>>,
}

impl ReadPool {
    /// Starts one thread per connection.
    pub(crate) fn spawn(connections: Vec<Connection>) -> Result<Self> {
        let (queue, jobs) = mpsc::channel::<ReadJob>();
        let jobs = Arc::new(Mutex::new(jobs));
        let mut pool = Self {
            queue: Some(queue),
            threads: Vec::with_capacity(connections.len()),
        };
        for (n, conn) in connections.into_iter().enumerate() {
            let jobs = Arc::clone(&jobs);
            let thread = std::thread::Builder::new()
                .name(format!("banner-store-reader-{n}"))
                .spawn(move || serve(&conn, &jobs))?;
            pool.threads.push(thread);
        }
        Ok(pool)
    }

    /// Runs `read` on the next free reader connection.
    pub(crate) fn run<T, F>(&self, read: F) -> impl Future<Output = Result<T>> + Send + 'static
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        let (reply_to, reply) = oneshot::channel();
        let job: ReadJob = Box::new(move |conn| {
            // A bug in one query must not take a reader thread down with it.
            let answer = catch_unwind(AssertUnwindSafe(|| read(conn)))
                .unwrap_or_else(|_| Err(StoreError::Sqlite("a read panicked".to_owned())));
            let _ = reply_to.send(answer);
        });
        if let Some(queue) = &self.queue {
            // On a send error the job (and its sender) is dropped: the caller sees Closed.
            let _ = queue.send(job);
        }
        async move { reply.await.unwrap_or(Err(StoreError::Closed)) }
    }
}

impl Drop for ReadPool {
    fn drop(&mut self) {
        self.queue = None;
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

fn serve(conn: &Connection, jobs: &Mutex<mpsc::Receiver<ReadJob>>) {
    loop {
        // The lock is held only while waiting for a job, never while running one.
        let next = match jobs.lock() {
            Ok(jobs) => jobs.recv(),
            Err(_) => return,
        };
        match next {
            Ok(job) => job(conn),
            Err(_) => return,
        }
    }
}
