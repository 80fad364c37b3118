//! The agent's session: an `AgentClient` for the HTTP endpoints, and one task
//! that owns the `AgentConnection` (which reconnects by itself). The task
//! queues every frame for the main window's page — after the popup and the
//! notifications have seen it — and what the popup reads of it for the
//! popup's (`frames.rs`; each page asks for them), and sends every change of
//! the link as `banner:link`; commands reach it over a channel and each
//! answer goes back to its caller. It lives on the Rust side, so the
//! connection, reconnection, offers and notifications go on while the
//! windows are hidden.

use std::sync::Mutex;
use std::time::Duration;

use banner_client::connection::agent_command;
use banner_client::{AgentClient, AgentConnection, ClientError, ConnectOptions};
use banner_proto::{Ack, AgentCommand, AgentFrame, AgentProfile};
use tauri::{AppHandle, Emitter, Manager};
use tokio::sync::{mpsc, oneshot};

use crate::error::{AppError, AppResult};
use crate::events::{LINK_EVENT, LinkPayload};
use crate::frames::{Frames, Page};
use crate::{notify, popup};

/// How often the task looks at the link's state (the connection tells of a
/// drop only through it; a reconnect also shows as a `welcome` frame).
const LINK_POLL: Duration = Duration::from_millis(250);

/// A command for the connection's task, with where its answer goes (none for
/// `typing`, which has none); `None` closes the socket.
type Request = Option<(
    AgentCommand,
    Option<oneshot::Sender<Result<Ack, ClientError>>>,
)>;

/// A logged-in agent. Cheap to clone; the task ends when the socket closes
/// for good or [`Session::close`] is called.
#[derive(Clone, Debug)]
pub struct Session {
    /// The HTTP side.
    pub client: AgentClient,
    requests: mpsc::UnboundedSender<Request>,
}

impl Session {
    /// Logs in at `server`, opens the socket (subscribed to the pool) and
    /// starts the task that owns it.
    pub async fn open(
        app: AppHandle,
        server: &str,
        username: &str,
        password: &str,
    ) -> AppResult<(Session, AgentProfile)> {
        let client = AgentClient::login(server, username, password).await?;
        let options = ConnectOptions {
            auto_reconnect: true,
            ..ConnectOptions::default()
        };
        let (connection, welcome) = client.connect(options).await?;
        let profile = welcome.agent.clone();
        deliver(&app, AgentFrame::Welcome(welcome));
        let (requests, incoming) = mpsc::unbounded_channel();
        tauri::async_runtime::spawn(own(app, connection, incoming));
        let session = Session { client, requests };
        session.send(agent_command::subscribe_pool()).await?;
        Ok((session, profile))
    }

    /// Sends a command and waits for its `ack` (or the server's refusal).
    pub async fn send(&self, command: AgentCommand) -> AppResult<Ack> {
        let (reply, answer) = oneshot::channel();
        self.requests
            .send(Some((command, Some(reply))))
            .map_err(|_| closed())?;
        Ok(answer.await.map_err(|_| closed())??)
    }

    /// Sends a frame that gets no answer (`typing`); dropped if the socket is down.
    pub fn send_unanswered(&self, command: AgentCommand) {
        let _ = self.requests.send(Some((command, None)));
    }

    /// Closes the socket for good.
    pub fn close(&self) {
        let _ = self.requests.send(None);
    }
}

fn closed() -> AppError {
    AppError::new("closed", "The connection to the server is closed.")
}

/// The session now, if someone is logged in (state given to `manage()`).
#[derive(Debug, Default)]
pub struct Current(Mutex<Option<Session>>);

impl Current {
    /// The session, or `not_logged_in`.
    pub fn get(&self) -> AppResult<Session> {
        self.lock().clone().ok_or_else(AppError::not_logged_in)
    }

    /// Puts `session` in place and returns the one it replaces.
    pub fn replace(&self, session: Option<Session>) -> Option<Session> {
        std::mem::replace(&mut *self.lock(), session)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Session>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Owns the connection: forwards each frame and each change of the link,
/// and sends what the [`Session`] asks, each answer to its asker.
async fn own(
    app: AppHandle,
    mut connection: AgentConnection,
    mut requests: mpsc::UnboundedReceiver<Request>,
) {
    let mut link = connection.link();
    // The windows start out "closed": tell them the socket is up.
    emit_link(&app, link.into());
    let mut tick = tokio::time::interval(LINK_POLL);
    loop {
        tokio::select! {
            frame = connection.next() => match frame {
                Some(frame) => deliver(&app, frame),
                None => break,
            },
            request = requests.recv() => match request {
                Some(Some((command, reply))) => submit(&connection, command, reply),
                // Closed by the app, or every session handle is gone.
                Some(None) | None => {
                    connection.close().await;
                    emit_link(&app, LinkPayload::Closed { close_code: None });
                    ended(&app);
                    return;
                }
            },
            _ = tick.tick() => {}
        }
        let now = connection.link();
        if now != link {
            link = now;
            emit_link(&app, now.into());
        }
    }
    emit_link(&app, connection.link().into());
    ended(&app);
}

/// The session is over: the popup goes, and a page that starts from now on
/// is not told of the agent who was logged in.
fn ended(app: &AppHandle) {
    popup::hide(app);
    app.state::<Frames>().forget_welcome();
}

/// Sends one command; its answer goes back without holding up the task.
fn submit(
    connection: &AgentConnection,
    command: AgentCommand,
    reply: Option<oneshot::Sender<Result<Ack, ClientError>>>,
) {
    if let AgentCommand::Typing(typing) = command {
        if let Err(e) = connection.typing(typing.conversation, typing.on, typing.private) {
            tracing::debug!("typing not sent: {e}");
        }
        return;
    }
    let pending = connection.submit(command);
    tauri::async_runtime::spawn(async move {
        let answer = match pending {
            Ok(pending) => pending.await,
            Err(e) => Err(e),
        };
        if let Some(reply) = reply {
            let _ = reply.send(answer);
        }
    });
}

/// One frame: the popup and the notifications first, then the pages' queues
/// (`frames.rs`): the popup's page gets its few frames, trimmed.
fn deliver(app: &AppHandle, frame: AgentFrame) {
    popup::on_frame(app, &frame);
    notify::on_frame(app, &frame);
    let frames = app.state::<Frames>();
    if let Some(trimmed) = popup::for_popup(&frame) {
        frames.push(Page::Popup, trimmed);
    }
    frames.push(Page::Main, frame);
}

fn emit_link(app: &AppHandle, link: LinkPayload) {
    if let Err(e) = app.emit(LINK_EVENT, link) {
        tracing::warn!("the link state did not reach the windows: {e}");
    }
}
