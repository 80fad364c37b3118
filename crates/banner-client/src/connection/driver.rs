//! The task behind a [`super::Connection`]: it owns the socket, reads frames
//! into the ledger and the frame stream, answers commands from their `ack` or
//! `error`, and replaces the socket when asked (or by itself, in auto mode)
//! with `hello.resume` from the ledger and the outbox sent again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use banner_proto::{Ack, ClientId, ConversationId, ErrorCode, ErrorFrame, Seq, close};
use futures_util::StreamExt;
use rand::Rng;
use reqwest::Url;
use serde::Deserialize;
use tokio::sync::{mpsc, oneshot, watch};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;

use super::socket::{self, Socket};
use super::{Link, lock};
use crate::error::ClientError;
use crate::ledger::Ledger;
use crate::side::{Kind, Side};

/// The answer a command waits for.
pub(crate) type Answer = Result<Ack, ClientError>;

/// What the handle asks of the driver.
pub(crate) enum Request<S: Side> {
    /// A command with an id: outbox, send, answer.
    Send {
        id: ClientId,
        command: S::Command,
        reply: oneshot::Sender<Answer>,
    },
    /// A frame without an answer (typing): sent if the socket is up.
    Unanswered { command: S::Command },
    /// A new socket now.
    Reconnect {
        reply: oneshot::Sender<Result<S::Welcome, ClientError>>,
    },
    /// Close for good.
    Close { reply: oneshot::Sender<()> },
}

/// The first automatic retry waits about this long; each failure doubles it
/// up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(500);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// See the module docs.
pub(crate) struct Driver<S: Side> {
    pub(crate) url: Url,
    pub(crate) token: String,
    pub(crate) auto_reconnect: bool,
    pub(crate) ledger: Arc<Mutex<Ledger<S::Command>>>,
    /// Who waits for each outboxed command's answer.
    pub(crate) waiters: HashMap<ClientId, Vec<oneshot::Sender<Answer>>>,
    pub(crate) frames: mpsc::UnboundedSender<S::Frame>,
    pub(crate) link: watch::Sender<Link>,
    pub(crate) me: S::Me,
    pub(crate) socket: Option<Socket>,
    /// Reconnections failed in a row (for the back-off).
    pub(crate) failures: u32,
    /// When to try again by itself (auto mode, socket down).
    pub(crate) retry_at: Option<Instant>,
    pub(crate) requests: mpsc::UnboundedReceiver<Request<S>>,
}

/// What is left of a frame that does not parse (a type this client does not
/// know yet): enough to keep an event's `seq` in step.
#[derive(Deserialize)]
struct Probe {
    #[serde(rename = "type")]
    kind: String,
    conversation: Option<ConversationId>,
    seq: Option<Seq>,
}

impl<S: Side> Driver<S> {
    pub(crate) async fn run(mut self) {
        loop {
            let closed = match self.socket.as_mut() {
                Some(socket) => tokio::select! {
                    message = socket.next() => self.on_message(message),
                    request = self.requests.recv() => self.on_request(request).await,
                },
                None => tokio::select! {
                    request = self.requests.recv() => self.on_request(request).await,
                    () = sleep_until(self.retry_at), if self.retry_at.is_some() => {
                        self.reconnect().await.err().is_some_and(|e| is_final(&e))
                    }
                },
            };
            if closed {
                return self.finish().await;
            }
        }
    }

    /// Handles what the socket brought; true when the connection is over.
    fn on_message(
        &mut self,
        message: Option<Result<Message, tokio_tungstenite::tungstenite::Error>>,
    ) -> bool {
        match message {
            Some(Ok(Message::Text(text))) => {
                self.on_text(text.as_str());
                false
            }
            Some(Ok(Message::Close(frame))) => self.down(frame.map(|f| f.code.into())),
            // Pings are answered by tungstenite; binary frames are not ours.
            Some(Ok(_)) => false,
            None | Some(Err(_)) => self.down(None),
        }
    }

    fn on_text(&mut self, text: &str) {
        let Ok(frame) = serde_json::from_str::<S::Frame>(text) else {
            if let Ok(Probe {
                kind,
                conversation: Some(c),
                seq: Some(seq),
            }) = serde_json::from_str::<Probe>(text)
                && kind == "event"
            {
                lock(&self.ledger).observe(c, seq, None);
            }
            return;
        };
        let deliver = match S::kind(&frame, self.me) {
            Kind::Event {
                conversation,
                seq,
                part,
            } => lock(&self.ledger).observe(conversation, seq, part),
            Kind::Ack(ack) => {
                self.answer(&ack.id, Ok(ack));
                false
            }
            Kind::Error(refusal) => match &refusal.id {
                Some(id) => {
                    self.answer(id, Err(refusal));
                    false
                }
                None => true,
            },
            Kind::Welcome(_) | Kind::Other => true,
        };
        if deliver {
            let _ = self.frames.send(frame);
        }
    }

    /// Settles command `id` with the server's answer, if it waits for one.
    fn answer(&mut self, id: &ClientId, answer: Result<&Ack, &ErrorFrame>) {
        let Some(command) = lock(&self.ledger).settle(id) else {
            return;
        };
        if answer.is_ok()
            && let Some((conversation, watched)) = S::watches(&command)
        {
            lock(&self.ledger).watch(conversation, watched);
        }
        for waiter in self.waiters.remove(id).unwrap_or_default() {
            let _ = waiter.send(match answer {
                Ok(ack) => Ok(ack.clone()),
                Err(refusal) => Err(ClientError::from_frame(refusal)),
            });
        }
    }

    /// Handles a request of the handle; true when the connection is over.
    async fn on_request(&mut self, request: Option<Request<S>>) -> bool {
        let Some(request) = request else {
            // The handle is gone.
            return true;
        };
        match request {
            Request::Send { id, command, reply } => {
                // The handle put it in the outbox. If it is not there any more,
                // its answer came first (it was sent with a reconnect, or it is
                // a second wait on the same command): send it again, and the
                // server answers with the original result.
                let again = {
                    let mut ledger = lock(&self.ledger);
                    let answered = !ledger.contains(&id);
                    if answered {
                        ledger.submit(&id, &command);
                    }
                    answered
                };
                let first = self.waiters.get(&id).is_none_or(Vec::is_empty);
                self.waiters.entry(id).or_default().push(reply);
                if again || first {
                    return self.write(&command).await;
                }
                false
            }
            Request::Unanswered { command } => self.write(&command).await,
            Request::Reconnect { reply } => {
                self.socket = None;
                let result = self.reconnect().await;
                let over = result.as_ref().err().is_some_and(is_final);
                let _ = reply.send(result);
                over
            }
            Request::Close { reply } => {
                if let Some(mut socket) = self.socket.take() {
                    let _ = tokio::time::timeout(Duration::from_secs(2), socket.close(None)).await;
                }
                self.link.send_replace(Link::Closed { close_code: None });
                let _ = reply.send(());
                true
            }
        }
    }

    /// Writes a frame if the socket is up; a failed write means it dropped.
    async fn write(&mut self, command: &S::Command) -> bool {
        let Some(socket) = self.socket.as_mut() else {
            return false;
        };
        match socket::send(socket, command).await {
            Ok(()) => false,
            Err(_) => self.down(None),
        }
    }

    /// The socket dropped; true when the close code says not to come back.
    fn down(&mut self, close_code: Option<u16>) -> bool {
        self.socket = None;
        let over = matches!(
            close_code,
            Some(close::UNAUTHORIZED | close::UNSUPPORTED_PROTOCOL)
        );
        let link = if over {
            Link::Closed { close_code }
        } else {
            Link::Down { close_code }
        };
        self.link.send_replace(link);
        self.schedule_retry();
        over
    }

    /// In auto mode, the next attempt after a back-off that doubles with each
    /// failure (0.5 s up to 30 s) with ±25% jitter, so that clients dropped
    /// together come back apart.
    fn schedule_retry(&mut self) {
        if !self.auto_reconnect {
            return;
        }
        let doubled = FIRST_BACKOFF.saturating_mul(1u32 << self.failures.min(10));
        let base = doubled.min(MAX_BACKOFF);
        let mut byte = [0u8; 1];
        rand::rng().fill_bytes(&mut byte);
        let factor = 0.75 + f64::from(byte[0]) / 255.0 * 0.5;
        self.retry_at = Some(Instant::now() + base.mul_f64(factor));
    }

    /// Opens a new socket resuming the ledger's conversations, then sends the
    /// outbox again with its original ids.
    async fn reconnect(&mut self) -> Result<S::Welcome, ClientError> {
        let resume = lock(&self.ledger).resume();
        let (socket, welcome) = match socket::open::<S>(&self.url, &self.token, resume).await {
            Ok(opened) => opened,
            Err(e) => {
                self.failures = self.failures.saturating_add(1);
                let close_code = match &e {
                    ClientError::Closed { close_code } => *close_code,
                    _ => None,
                };
                let link = if is_final(&e) {
                    Link::Closed { close_code }
                } else {
                    Link::Down { close_code }
                };
                self.link.send_replace(link);
                self.schedule_retry();
                return Err(e);
            }
        };
        self.failures = 0;
        self.retry_at = None;
        self.me = S::me(&welcome);
        lock(&self.ledger).refuse(S::refused(&welcome));
        self.socket = Some(socket);
        self.link.send_replace(Link::Up);
        let _ = self.frames.send(S::welcome_frame(welcome.clone()));
        let outbox: Vec<S::Command> = lock(&self.ledger)
            .outbox()
            .map(|(_, command)| command.clone())
            .collect();
        for command in outbox {
            if self.write(&command).await {
                break;
            }
        }
        Ok(welcome)
    }

    /// The connection is over: everything still waiting fails.
    async fn finish(mut self) {
        let close_code = match *self.link.borrow() {
            Link::Closed { close_code } | Link::Down { close_code } => close_code,
            Link::Up => None,
        };
        self.link.send_replace(Link::Closed { close_code });
        self.socket = None;
        lock(&self.ledger).abandon();
        for (_, waiters) in self.waiters.drain() {
            for waiter in waiters {
                let _ = waiter.send(Err(ClientError::Closed { close_code }));
            }
        }
        self.requests.close();
        while let Some(request) = self.requests.recv().await {
            let closed = || ClientError::Closed { close_code };
            match request {
                Request::Send { reply, .. } => {
                    let _ = reply.send(Err(closed()));
                }
                Request::Reconnect { reply } => {
                    let _ = reply.send(Err(closed()));
                }
                Request::Close { reply } => {
                    let _ = reply.send(());
                }
                Request::Unanswered { .. } => {}
            }
        }
    }
}

/// Whether an error ends the connection for good: the session is gone, or the
/// server speaks another protocol.
fn is_final(e: &ClientError) -> bool {
    matches!(
        e.code(),
        Some(ErrorCode::Unauthorized | ErrorCode::UnsupportedProtocol)
    ) || matches!(
        e,
        ClientError::Closed {
            close_code: Some(close::UNAUTHORIZED | close::UNSUPPORTED_PROTOCOL)
        }
    )
}

async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}
