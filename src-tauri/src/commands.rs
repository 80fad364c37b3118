//! The `#[tauri::command]`s `ui/src/banner/backend/tauri.ts` invokes, each a
//! thin wrapper over banner-client: the answer is banner-proto's type, a
//! failure is an [`AppError`] `{code, message}`. Arguments arrive in
//! camelCase (`isPrivate`, `lastSeq`) and Tauri maps them to these names.

use banner_client::connection::agent_command as command;
use banner_proto::{
    Ack, AgentEvent, AgentProfile, Attachment, AttachmentId, ConversationDetails, ConversationId,
    Directory, EventPage, EventsQuery, HistoryPage, HistoryQuery, Pool, Presence, Seq, Supervision,
    TransferMode, TransferTarget,
};
use serde::Serialize;
use tauri::{AppHandle, Manager, State};

use crate::error::{AppError, AppResult};
use crate::frames::{FrameBatch, Frames, Page};
use crate::local_server::{LocalServer, LocalServerInfo};
use crate::notification_prefs::{self, NotificationPrefs};
use crate::remembered::{self, Remembered};
use crate::state::{Current, Session};
use crate::{main_window, popup};

/// Logs in, opens the socket and remembers the server and the user.
#[tauri::command]
pub async fn login(
    app: AppHandle,
    current: State<'_, Current>,
    server: String,
    username: String,
    password: String,
) -> AppResult<AgentProfile> {
    let (session, profile) = Session::open(app.clone(), &server, &username, &password).await?;
    // Settings saved on this computer win over the server's copy: the server
    // sends only the kinds its copy has switched on.
    let saved = app
        .path()
        .app_data_dir()
        .is_ok_and(|dir| notification_prefs::file(&dir).is_file());
    if saved {
        let kinds = app.state::<notification_prefs::Current>().get().kinds;
        if let Err(e) = session
            .send(command::set_notification_settings(kinds))
            .await
        {
            tracing::warn!("the notification settings did not reach the server: {e}");
        }
    }
    if let Some(old) = current.replace(Some(session)) {
        old.close();
    }
    match app.path().app_data_dir() {
        Ok(dir) => {
            if let Err(e) = remembered::save(&dir, &Remembered { server, username }) {
                tracing::warn!("the login is not remembered: {e}");
            }
        }
        Err(e) => tracing::warn!("no data dir to remember the login in: {e}"),
    }
    Ok(profile)
}

/// The server and the user of the last successful login.
#[tauri::command]
pub fn remembered_login(app: AppHandle) -> Option<Remembered> {
    remembered::load(&app.path().app_data_dir().ok()?)
}

/// This computer's notification settings (the defaults until saved).
#[tauri::command]
pub fn notification_prefs(prefs: State<'_, notification_prefs::Current>) -> NotificationPrefs {
    prefs.get()
}

/// Saves the notification settings, puts them in force for the notifier,
/// and, when someone is logged in, tells the server the five switches too,
/// so that it sends the kinds switched on (it sends only those).
#[tauri::command]
pub async fn set_notification_prefs(
    app: AppHandle,
    current: State<'_, Current>,
    prefs: NotificationPrefs,
) -> AppResult<()> {
    let dir = app.path().app_data_dir().map_err(AppError::app)?;
    notification_prefs::save(&dir, &prefs).map_err(AppError::app)?;
    app.state::<notification_prefs::Current>().set(prefs);
    if let Ok(session) = current.get() {
        session
            .send(command::set_notification_settings(prefs.kinds))
            .await?;
    }
    Ok(())
}

/// Ends the session on the server (refused while the agent holds chats),
/// then closes the socket.
#[tauri::command]
pub async fn logout(app: AppHandle, current: State<'_, Current>) -> AppResult<()> {
    current.get()?.client.logout().await?;
    if let Some(session) = current.replace(None) {
        session.close();
    }
    popup::hide(&app);
    Ok(())
}

#[tauri::command]
pub async fn set_presence(current: State<'_, Current>, presence: Presence) -> AppResult<Ack> {
    current.get()?.send(command::set_presence(presence)).await
}

/// The calling page's frames after number `after` (none: from now on), as
/// soon as there are any (`frames.rs`). Which queue is the window's, never
/// the page's say: the popup reads only its trimmed frames.
#[tauri::command]
pub async fn next_frames(
    window: tauri::WebviewWindow,
    frames: State<'_, Frames>,
    after: Option<u64>,
) -> AppResult<FrameBatch> {
    let page = match window.label() {
        main_window::LABEL => Page::Main,
        popup::LABEL => Page::Popup,
        other => {
            return Err(AppError::app(format!(
                "the window {other:?} reads no frames"
            )));
        }
    };
    Ok(frames.next(page, after).await)
}

#[tauri::command]
pub async fn pool(current: State<'_, Current>) -> AppResult<Pool> {
    Ok(current.get()?.client.pool().await?)
}

/// Accepts an offer and brings the main window forward to the chat.
#[tauri::command]
pub async fn accept(
    app: AppHandle,
    current: State<'_, Current>,
    conversation: ConversationId,
) -> AppResult<Ack> {
    let ack = current.get()?.send(command::accept(conversation)).await?;
    main_window::focus(&app);
    Ok(ack)
}

#[tauri::command]
pub async fn decline(current: State<'_, Current>, conversation: ConversationId) -> AppResult<Ack> {
    current.get()?.send(command::decline(conversation)).await
}

#[tauri::command]
pub async fn pick(current: State<'_, Current>, conversation: ConversationId) -> AppResult<Ack> {
    current.get()?.send(command::pick(conversation)).await
}

#[tauri::command]
pub async fn send_message(
    current: State<'_, Current>,
    conversation: ConversationId,
    text: String,
    is_private: bool,
    attachments: Vec<AttachmentId>,
) -> AppResult<Ack> {
    let message = command::send_message(conversation, &text, is_private, &attachments)?;
    current.get()?.send(message).await
}

/// No answer, never queued: a stale indicator is worse than none.
#[tauri::command]
pub fn typing(
    current: State<'_, Current>,
    conversation: ConversationId,
    on: bool,
    is_private: bool,
) -> AppResult<()> {
    let typing = banner_proto::AgentTyping {
        conversation,
        on,
        private: is_private,
    };
    current
        .get()?
        .send_unanswered(banner_proto::AgentCommand::Typing(typing));
    Ok(())
}

#[tauri::command]
pub async fn read(
    current: State<'_, Current>,
    conversation: ConversationId,
    seq: Seq,
) -> AppResult<Ack> {
    current.get()?.send(command::read(conversation, seq)).await
}

#[tauri::command]
pub async fn upload(
    current: State<'_, Current>,
    conversation: ConversationId,
    filename: String,
    content_type: String,
    bytes: Vec<u8>,
) -> AppResult<Attachment> {
    let client = current.get()?.client;
    let uploaded = client
        .upload(conversation, &filename, &content_type, bytes)
        .await?;
    Ok(uploaded.attachment)
}

/// A downloaded file, as `backend/tauri.ts` reads it.
#[derive(Debug, Serialize)]
pub struct Downloaded {
    media_type: Option<String>,
    filename: Option<String>,
    bytes: Vec<u8>,
}

#[tauri::command]
pub async fn download(
    current: State<'_, Current>,
    attachment: AttachmentId,
) -> AppResult<Downloaded> {
    let file = current.get()?.client.download(attachment).await?;
    Ok(Downloaded {
        media_type: file.media_type,
        filename: file.filename,
        bytes: file.bytes,
    })
}

#[tauri::command]
pub async fn directory(current: State<'_, Current>) -> AppResult<Directory> {
    Ok(current.get()?.client.directory().await?)
}

#[tauri::command]
pub async fn transfer(
    current: State<'_, Current>,
    conversation: ConversationId,
    target: TransferTarget,
    mode: TransferMode,
) -> AppResult<Ack> {
    let transfer = command::transfer(conversation, target, mode);
    current.get()?.send(transfer).await
}

#[tauri::command]
pub async fn cancel_transfer(
    current: State<'_, Current>,
    conversation: ConversationId,
) -> AppResult<Ack> {
    current
        .get()?
        .send(command::cancel_transfer(conversation))
        .await
}

#[tauri::command]
pub async fn wait_for_customer(
    current: State<'_, Current>,
    conversation: ConversationId,
) -> AppResult<Ack> {
    current
        .get()?
        .send(command::wait_for_customer(conversation))
        .await
}

#[tauri::command]
pub async fn archive(current: State<'_, Current>, conversation: ConversationId) -> AppResult<Ack> {
    current.get()?.send(command::archive(conversation)).await
}

#[tauri::command]
pub async fn complete_wrap_up(
    current: State<'_, Current>,
    conversation: ConversationId,
    disposition: Option<String>,
) -> AppResult<Ack> {
    let done = command::complete_wrap_up(conversation, disposition);
    current.get()?.send(done).await
}

#[tauri::command]
pub async fn conversation(
    current: State<'_, Current>,
    conversation: ConversationId,
) -> AppResult<ConversationDetails> {
    Ok(current.get()?.client.conversation(conversation).await?)
}

#[tauri::command]
pub async fn events(
    current: State<'_, Current>,
    conversation: ConversationId,
    after: Seq,
) -> AppResult<EventPage<AgentEvent>> {
    let query = EventsQuery {
        after: Some(after),
        limit: None,
    };
    Ok(current.get()?.client.events(conversation, query).await?)
}

#[tauri::command]
pub async fn history(current: State<'_, Current>, q: String) -> AppResult<HistoryPage> {
    let query = HistoryQuery { q, limit: None };
    Ok(current.get()?.client.history(&query).await?)
}

#[tauri::command]
pub async fn supervision(current: State<'_, Current>) -> AppResult<Supervision> {
    Ok(current.get()?.client.supervision().await?)
}

#[tauri::command]
pub async fn subscribe_supervision(current: State<'_, Current>) -> AppResult<Ack> {
    current.get()?.send(command::subscribe_supervision()).await
}

#[tauri::command]
pub async fn watch(
    current: State<'_, Current>,
    conversation: ConversationId,
    last_seq: Seq,
) -> AppResult<Ack> {
    current
        .get()?
        .send(command::watch(conversation, last_seq))
        .await
}

#[tauri::command]
pub async fn unwatch(current: State<'_, Current>, conversation: ConversationId) -> AppResult<Ack> {
    current.get()?.send(command::unwatch(conversation)).await
}

/// Runs banner-server inside the app (see `local_server`).
#[tauri::command]
pub async fn start_local_server(
    app: AppHandle,
    server: State<'_, LocalServer>,
) -> AppResult<LocalServerInfo> {
    let data_dir = app.path().app_data_dir().map_err(AppError::app)?;
    server.start(data_dir.join("server"), ui_dir(&app)).await
}

/// Whether the page should let WebKitGTK drop its record of the agent's
/// keys and clicks, by asking for a window now and then (see
/// `gesture_tokens`): only where the app turned WebKit's check on, so
/// never on macOS or Windows, whose webviews would open the window.
#[tauri::command]
pub fn sheds_gesture_tokens() -> bool {
    #[cfg(target_os = "linux")]
    return crate::gesture_tokens::verified();
    #[cfg(not(target_os = "linux"))]
    return false;
}

/// Where the widget's build is: bundled with the app (`ui/widget` among the
/// resources), else the repository's `ui/dist` (a development build).
fn ui_dir(app: &AppHandle) -> std::path::PathBuf {
    let bundled = app.path().resource_dir().map(|dir| dir.join("ui"));
    match bundled {
        Ok(dir) if dir.join("widget").is_dir() => dir,
        _ => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/dist"),
    }
}
