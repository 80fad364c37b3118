//! An agent's client for the tests: logs in, keeps one `/v1/ws` socket, sends
//! banner-proto `AgentCommand`s and records every frame it receives, in order,
//! for [`crate::script`] to wait on.
//!
//! This is the only file that speaks the agent's side of the protocol. It uses
//! reqwest and tokio-tungstenite directly until banner-client lands; then
//! [`Agent`] wraps a banner-client session instead (login, `command` → its
//! command call, its frame stream → [`Frames::push`]) and nothing else changes.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use banner_proto::{AgentCommand, LoginResponse};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::{Notify, mpsc, oneshot};
use tokio_tungstenite::tungstenite::Message;

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

type Pending = Arc<Mutex<HashMap<String, oneshot::Sender<Value>>>>;

/// A logged-in agent with an open socket.
pub struct Agent {
    /// The session token, for HTTP requests.
    pub token: String,
    /// What the agent's socket received.
    pub frames: Arc<Frames>,
    to_socket: mpsc::UnboundedSender<String>,
    pending: Pending,
    next_id: AtomicU64,
}

impl Agent {
    /// Logs in at `base` (`http://127.0.0.1:PORT`) and opens the socket.
    pub async fn login(base: &str, username: &str, password: &str) -> anyhow::Result<Agent> {
        let response = reqwest::Client::new()
            .post(format!("{base}/v1/login"))
            .json(&json!({"username": username, "password": password}))
            .send()
            .await?;
        if !response.status().is_success() {
            bail!("login as {username}: {}", response.text().await?);
        }
        let login: LoginResponse = response.json().await?;
        let ws_url = format!("ws{}/v1/ws", base.trim_start_matches("http"));
        let (socket, _) = tokio_tungstenite::connect_async(ws_url)
            .await
            .context("opening the agent socket")?;
        let (mut write, mut read) = socket.split();
        let hello = json!({"type": "hello", "protocol": 1, "token": login.token, "resume": []});
        write.send(Message::Text(hello.to_string().into())).await?;

        let frames = Arc::new(Frames::default());
        let pending: Pending = Arc::default();
        let (to_socket, mut outgoing) = mpsc::unbounded_channel::<String>();
        tokio::spawn(async move {
            while let Some(text) = outgoing.recv().await {
                if write.send(Message::Text(text.into())).await.is_err() {
                    return;
                }
            }
            let _ = write.close().await;
        });
        let (log, answers) = (Arc::clone(&frames), Arc::clone(&pending));
        tokio::spawn(async move {
            while let Some(Ok(message)) = read.next().await {
                let Message::Text(text) = message else {
                    continue;
                };
                let Ok(frame) = serde_json::from_str::<Value>(text.as_str()) else {
                    continue;
                };
                let answered = matches!(frame["type"].as_str(), Some("ack" | "error"))
                    .then(|| frame["id"].as_str().map(str::to_owned))
                    .flatten();
                if let Some(id) = answered
                    && let Some(reply) = answers.lock().ok().and_then(|mut p| p.remove(&id))
                {
                    let _ = reply.send(frame.clone());
                }
                log.push(frame);
            }
        });
        let agent = Agent {
            token: login.token,
            frames,
            to_socket,
            pending,
            next_id: AtomicU64::new(0),
        };
        agent
            .frames
            .wait(0, ANSWER, |f| f["type"] == "welcome")
            .await
            .context("no welcome")?;
        Ok(agent)
    }

    /// A fresh command id.
    pub fn new_id(&self) -> String {
        format!("e2e-{}", self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
    }

    /// Sends a command with an id and returns its answer: the `ack` or `error` frame.
    pub async fn command(&self, command: &AgentCommand) -> anyhow::Result<Value> {
        let text = serde_json::to_string(command)?;
        let id = serde_json::from_str::<Value>(&text)?["id"]
            .as_str()
            .map(str::to_owned)
            .context("this command has no id: use `send`")?;
        let (reply, answer) = oneshot::channel();
        self.pending
            .lock()
            .map_err(|_| anyhow!("poisoned"))?
            .insert(id.clone(), reply);
        self.to_socket
            .send(text)
            .map_err(|_| anyhow!("the agent's socket is closed"))?;
        tokio::time::timeout(ANSWER, answer)
            .await
            .with_context(|| format!("no answer to {id}"))?
            .context("the agent's socket closed")
    }

    /// Sends a command that has no answer (`typing`).
    pub fn send(&self, command: &AgentCommand) -> anyhow::Result<()> {
        self.to_socket
            .send(serde_json::to_string(command)?)
            .map_err(|_| anyhow!("the agent's socket is closed"))
    }
}
