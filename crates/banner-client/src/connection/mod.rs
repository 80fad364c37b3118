//! A WebSocket to the server — the agent's `/v1/ws` or the visitor's
//! `/v1/visitor/ws`, written once over [`Side`].
//!
//! A [`Connection`] is a handle on a driver task that owns the socket. The
//! handle sends commands ([`Connection::send`] waits for the answer,
//! [`Connection::submit`] does not) and reads the server's frames in order
//! ([`Connection::next`]). Answers (`ack`, `error`) go to the command that
//! asked, not to the frame stream (an answer nobody waits for — a command
//! sent twice across a reconnect — is dropped); every other frame is in the
//! stream, events once each.
//!
//! When the socket drops, commands wait in the outbox; [`Connection::reconnect`]
//! (or the driver itself, with [`ConnectOptions::auto_reconnect`]) opens a new
//! socket that resumes every conversation from its last `seq` and sends the
//! outbox again with the original ids. The new socket's `welcome` is in the
//! frame stream. A close with 4401 (the session is gone) or 4426 (another
//! protocol) ends the connection for good: log in again.
//!
//! Layout: `socket` (opening and `hello`), `driver` (the task), `agent` and
//! `visitor` (typed commands).

mod agent;
mod driver;
mod socket;
mod visitor;

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};

use banner_proto::{Ack, ClientId, ConversationId, Resume, Seq};
use tokio::sync::{mpsc, oneshot, watch};

pub use agent::command as agent_command;
pub use visitor::command as visitor_command;

use crate::error::ClientError;
use crate::http::Http;
use crate::ledger::{Ledger, Submitted};
use crate::side::{AgentSide, Side, VisitorSide};
use driver::{Driver, Request};

/// An agent's socket.
pub type AgentConnection = Connection<AgentSide>;
/// A visitor's socket.
pub type VisitorConnection = Connection<VisitorSide>;

/// How to open a connection.
#[derive(Clone, Debug, Default)]
pub struct ConnectOptions {
    /// Conversations the caller already keeps, with the last `seq` it has of
    /// each: the server replays what came after (empty on a first connection).
    pub resume: Vec<Resume>,
    /// Reconnect by itself when the socket drops, with exponential back-off
    /// (0.5 s doubling to 30 s, with jitter). Otherwise the caller decides,
    /// with [`Connection::reconnect`].
    pub auto_reconnect: bool,
}

/// The state of the connection's socket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Link {
    /// Open and welcomed.
    Up,
    /// Dropped (with the server's close code, if it sent one); commands wait
    /// in the outbox for the next socket.
    Down {
        /// The WebSocket close code.
        close_code: Option<u16>,
    },
    /// Closed for good.
    Closed {
        /// The WebSocket close code.
        close_code: Option<u16>,
    },
}

/// A handle on one connection. See the module docs. Dropping it closes the
/// socket.
pub struct Connection<S: Side> {
    requests: mpsc::UnboundedSender<Request<S>>,
    frames: mpsc::UnboundedReceiver<S::Frame>,
    ledger: Arc<Mutex<Ledger<S::Command>>>,
    link: watch::Receiver<Link>,
}

impl<S: Side> std::fmt::Debug for Connection<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("path", &S::PATH)
            .field("link", &*self.link.borrow())
            .finish_non_exhaustive()
    }
}

impl<S: Side> Connection<S> {
    /// Opens the socket of `base_url` (`http://host:port`), sends `hello` with
    /// `token` and `options.resume`, and returns the connection with the
    /// server's `welcome`. Replayed events follow in the frame stream.
    pub async fn open(
        base_url: &str,
        token: &str,
        options: ConnectOptions,
    ) -> Result<(Self, S::Welcome), ClientError> {
        let url = Http::new(base_url)?.ws_url(S::PATH)?;
        let ledger = Arc::new(Mutex::new(Ledger::new(&options.resume)));
        let resume = lock(&ledger).resume();
        let (socket, welcome) = socket::open::<S>(&url, token, resume).await?;
        lock(&ledger).refuse(S::refused(&welcome));
        let (requests_tx, requests_rx) = mpsc::unbounded_channel();
        let (frames_tx, frames_rx) = mpsc::unbounded_channel();
        let (link_tx, link_rx) = watch::channel(Link::Up);
        let driver = Driver::<S> {
            url,
            token: token.to_owned(),
            auto_reconnect: options.auto_reconnect,
            ledger: Arc::clone(&ledger),
            waiters: Default::default(),
            frames: frames_tx,
            link: link_tx,
            me: S::me(&welcome),
            socket: Some(socket),
            failures: 0,
            retry_at: None,
            requests: requests_rx,
        };
        tokio::spawn(driver.run());
        let connection = Connection {
            requests: requests_tx,
            frames: frames_rx,
            ledger,
            link: link_rx,
        };
        Ok((connection, welcome))
    }

    /// The next frame from the server (events in `seq` order, once each;
    /// typing, presence, snapshots, later welcomes…). `None` once the
    /// connection is closed for good and every frame was read.
    pub async fn next(&mut self) -> Option<S::Frame> {
        self.frames.recv().await
    }

    /// The next frame if one has already arrived.
    pub fn try_next(&mut self) -> Option<S::Frame> {
        self.frames.try_recv().ok()
    }

    /// Puts a command in the outbox and sends it; the returned future resolves
    /// with its answer (after any number of reconnects). A command whose id
    /// already waits resolves with it; another command under a waiting id is
    /// refused with [`ClientError::IdInUse`].
    pub fn submit(&self, command: S::Command) -> Result<PendingAck, ClientError> {
        let id = S::id(&command).ok_or(ClientError::NoId)?.clone();
        // In the outbox before this returns, so that `unanswered` shows it.
        let submitted = lock(&self.ledger).submit(&id, &command);
        if submitted == Submitted::IdInUse {
            return Err(ClientError::id_in_use(&id));
        }
        let (reply, answer) = oneshot::channel();
        let sent = self.request(Request::Send {
            id: id.clone(),
            command,
            reply,
        });
        if let Err(closed) = sent {
            if submitted == Submitted::New {
                lock(&self.ledger).settle(&id);
            }
            return Err(closed);
        }
        Ok(PendingAck { id, answer })
    }

    /// Sends a command and waits for its answer: the `ack`, or the server's
    /// refusal as [`ClientError::Server`].
    pub async fn send(&self, command: S::Command) -> Result<Ack, ClientError> {
        self.submit(command)?.await
    }

    /// Sends a frame that gets no answer (`typing`) if the socket is up; it
    /// never enters the outbox — a stale indicator is worse than none.
    pub(crate) fn send_unanswered(&self, command: S::Command) -> Result<(), ClientError> {
        self.request(Request::Unanswered { command })
    }

    /// Replaces the socket (dropping the current one, if any): `hello`
    /// resumes every conversation from its last `seq`, then the outbox is sent
    /// again with the original ids. Returns the new `welcome` (also in the
    /// frame stream).
    pub async fn reconnect(&self) -> Result<S::Welcome, ClientError> {
        let (reply, welcome) = oneshot::channel();
        self.request(Request::Reconnect { reply })?;
        welcome.await.map_err(|_| self.closed())?
    }

    /// Closes the socket for good; commands still in the outbox fail with
    /// [`ClientError::Closed`].
    pub async fn close(self) {
        let (reply, done) = oneshot::channel();
        if self.request(Request::Close { reply }).is_ok() {
            let _ = done.await;
        }
    }

    /// The last `seq` received of `conversation`.
    pub fn last_seq(&self, conversation: ConversationId) -> Option<Seq> {
        lock(&self.ledger).last_seq(conversation)
    }

    /// What the next `hello` will resume.
    pub fn resume(&self) -> Vec<Resume> {
        lock(&self.ledger).resume()
    }

    /// The ids of the commands still waiting for an answer, in order.
    pub fn unanswered(&self) -> Vec<ClientId> {
        lock(&self.ledger)
            .outbox()
            .map(|(id, _)| id.clone())
            .collect()
    }

    /// The socket's state now.
    pub fn link(&self) -> Link {
        *self.link.borrow()
    }

    /// Waits until the socket's state satisfies `wanted`, and returns it.
    pub async fn wait_link(&self, wanted: impl Fn(Link) -> bool) -> Link {
        let mut link = self.link.clone();
        if let Ok(seen) = link.wait_for(|l| wanted(*l)).await {
            return *seen;
        }
        *link.borrow()
    }

    fn request(&self, request: Request<S>) -> Result<(), ClientError> {
        self.requests.send(request).map_err(|_| self.closed())
    }

    fn closed(&self) -> ClientError {
        let close_code = match *self.link.borrow() {
            Link::Up => None,
            Link::Down { close_code } | Link::Closed { close_code } => close_code,
        };
        ClientError::Closed { close_code }
    }
}

/// The answer to a submitted command, to be awaited.
#[derive(Debug)]
pub struct PendingAck {
    id: ClientId,
    answer: oneshot::Receiver<Result<Ack, ClientError>>,
}

impl PendingAck {
    /// The command's id.
    pub fn id(&self) -> &ClientId {
        &self.id
    }
}

impl Future for PendingAck {
    type Output = Result<Ack, ClientError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.answer)
            .poll(cx)
            .map(|answer| answer.unwrap_or(Err(ClientError::Closed { close_code: None })))
    }
}

/// The ledger, even if a panicking holder poisoned its lock (its data stays
/// consistent: every change is one call).
fn lock<C>(ledger: &Mutex<Ledger<C>>) -> MutexGuard<'_, Ledger<C>> {
    ledger.lock().unwrap_or_else(|e| e.into_inner())
}
