//! An agent's client for the tests: logs in, keeps one `/v1/ws` socket, sends
//! banner-proto `AgentCommand`s and records every frame it receives, in order,
//! for [`crate::script`] to wait on.
//!
//! This is the only file that speaks the agent's side of the protocol, and it
//! does so through banner-client, as the desktop app does: [`Agent`] wraps an
//! `AgentClient` login and its `AgentConnection` (outbox, resume, reconnect).
//! The scripts see answers and frames as the protocol's JSON, so a refusal is
//! turned back into the `error` frame the server sent.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use banner_client::{AgentClient, AgentConnection, ClientError, ConnectOptions};
use banner_proto::{AgentCommand, AgentFrame, ErrorFrame};
use serde_json::{Value, json};
use tokio::sync::{Notify, mpsc, oneshot};

/// How long a command waits for its `ack` or `error`.
const ANSWER: Duration = Duration::from_secs(10);

/// Every frame an agent received, as JSON, in arrival order.
#[derive(Default)]
pub struct Frames {
    list: Mutex<Vec<Value>>,
    grew: Notify,
}

impl Frames {
    /// Records a frame and wakes the waiters.
    pub fn push(&self, frame: Value) {
        if let Ok(mut list) = self.list.lock() {
            list.push(frame);
        }
        self.grew.notify_waiters();
    }

    /// How many frames arrived so far: a cursor for [`Frames::wait`].
    pub fn len(&self) -> usize {
        self.list.lock().map(|l| l.len()).unwrap_or(0)
    }

    /// The first frame at index `from` or later that `pick` accepts, waiting
    /// for it until `timeout`.
    pub async fn wait(
        &self,
        from: usize,
        timeout: Duration,
        pick: impl Fn(&Value) -> bool,
    ) -> anyhow::Result<(usize, Value)> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let grew = self.grew.notified();
            tokio::pin!(grew);
            grew.as_mut().enable();
            {
                let list = self.list.lock().map_err(|_| anyhow!("poisoned"))?;
                if let Some((i, frame)) = list.iter().enumerate().skip(from).find(|(_, f)| pick(f))
                {
                    return Ok((i, frame.clone()));
                }
            }
            if tokio::time::timeout_at(deadline, grew).await.is_err() {
                bail!("no such frame within {} ms", timeout.as_millis());
            }
        }
    }
}

/// A command for the connection's task, with where its answer goes (none
/// for `typing`, which has no answer).
type Request = (AgentCommand, Option<oneshot::Sender<Value>>);

/// A logged-in agent with an open socket.
pub struct Agent {
    /// The session token, for HTTP requests.
    pub token: String,
    /// What the agent's socket received.
    pub frames: Arc<Frames>,
    requests: mpsc::UnboundedSender<Request>,
    next_id: AtomicU64,
}

impl Agent {
    /// Logs in at `base` (`http://127.0.0.1:PORT`) and opens the socket, which
    /// reconnects by itself if it drops.
    pub async fn login(base: &str, username: &str, password: &str) -> anyhow::Result<Agent> {
        let client = AgentClient::login(base, username, password)
            .await
            .with_context(|| format!("login as {username}"))?;
        let options = ConnectOptions {
            auto_reconnect: true,
            ..ConnectOptions::default()
        };
        let (connection, welcome) = client
            .connect(options)
            .await
            .context("opening the agent socket")?;
        let frames = Arc::new(Frames::default());
        frames.push(serde_json::to_value(AgentFrame::Welcome(welcome))?);
        let (requests, incoming) = mpsc::unbounded_channel();
        tokio::spawn(drive(connection, incoming, Arc::clone(&frames)));
        Ok(Agent {
            token: client.token().to_owned(),
            frames,
            requests,
            next_id: AtomicU64::new(0),
        })
    }

    /// A fresh command id.
    pub fn new_id(&self) -> String {
        format!("e2e-{}", self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
    }

    /// Sends a command with an id and returns its answer: the `ack` or `error` frame.
    pub async fn command(&self, command: &AgentCommand) -> anyhow::Result<Value> {
        let (reply, answer) = oneshot::channel();
        self.requests
            .send((command.clone(), Some(reply)))
            .map_err(|_| anyhow!("the agent's socket is closed"))?;
        tokio::time::timeout(ANSWER, answer)
            .await
            .context("no answer in time")?
            .context("the agent's socket closed")
    }

    /// Sends a command that has no answer (`typing`).
    pub fn send(&self, command: &AgentCommand) -> anyhow::Result<()> {
        self.requests
            .send((command.clone(), None))
            .map_err(|_| anyhow!("the agent's socket is closed"))
    }
}

/// Owns the connection: records every frame it reads, and sends what the
/// [`Agent`] asks, each answer to its asker.
async fn drive(
    mut connection: AgentConnection,
    mut requests: mpsc::UnboundedReceiver<Request>,
    frames: Arc<Frames>,
) {
    loop {
        tokio::select! {
            frame = connection.next() => match frame {
                Some(frame) => match serde_json::to_value(&frame) {
                    Ok(value) => frames.push(value),
                    Err(e) => tracing::warn!("a frame that does not serialize: {e}"),
                },
                None => return,
            },
            request = requests.recv() => match request {
                Some((command, reply)) => send(&connection, command, reply),
                // The agent is gone: close the socket.
                None => return connection.close().await,
            },
        }
    }
}

/// Sends one command; its answer goes back as protocol JSON.
fn send(
    connection: &AgentConnection,
    command: AgentCommand,
    reply: Option<oneshot::Sender<Value>>,
) {
    let AgentCommand::Typing(typing) = command else {
        let pending = connection.submit(command);
        tokio::spawn(async move {
            let answer = match pending {
                Ok(pending) => pending.await,
                Err(e) => Err(e),
            };
            if let Some(reply) = reply {
                let _ = reply.send(answer_frame(answer));
            }
        });
        return;
    };
    if let Err(e) = connection.typing(typing.conversation, typing.on, typing.private) {
        tracing::warn!("typing not sent: {e}");
    }
}

/// The frame the server answered with (a client-side failure becomes an
/// `error` frame without a code the server knows, so scripts still see it).
fn answer_frame(answer: Result<banner_proto::Ack, ClientError>) -> Value {
    let frame = match answer {
        Ok(ack) => serde_json::to_value(AgentFrame::Ack(ack)),
        Err(ClientError::Server { code, message, .. }) => {
            serde_json::to_value(AgentFrame::Error(ErrorFrame {
                id: None,
                code,
                message,
            }))
        }
        Err(other) => {
            Ok(json!({"type": "error", "id": null, "code": "client", "message": other.to_string()}))
        }
    };
    frame.unwrap_or_else(
        |e| json!({"type": "error", "id": null, "code": "client", "message": e.to_string()}),
    )
}
