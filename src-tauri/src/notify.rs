//! Native notifications (notify-rust) for the `notification` frames. The
//! server sends the five kinds the agent subscribed to (`NotificationSettings`
//! in their profile); this computer's notification settings
//! ([`NotificationPrefs`]) decide which of them are shown here. Clicking one
//! brings the main window forward and tells the UI which chat to show
//! (`banner:focus`). Without a session bus or a notification daemon, showing
//! fails at once: logged, and the app goes on.
//!
//! [`wanted`], [`show`] and [`wait_for_click`] need no `AppHandle`, so
//! `tests/notifications.rs` runs the same path against a real daemon. Each
//! notification is a task on the app's tokio runtime (zbus runs there too):
//! no thread of its own while it waits for its click.

use banner_proto::{AgentFrame, ConversationId, NotificationKind};
use tauri::{AppHandle, Emitter, Manager};

use crate::events::{FOCUS_EVENT, FocusPayload};
use crate::main_window;
use crate::notification_prefs::{self, NotificationPrefs};

/// The app name the desktop shows with each notification.
pub const APP_NAME: &str = "Banner";

/// The title and the body of a notification.
pub fn text(kind: NotificationKind, conversation: ConversationId) -> (&'static str, String) {
    let chat = format!("chat #{conversation}");
    match kind {
        NotificationKind::MessageArrives => ("New message", format!("A visitor wrote in {chat}.")),
        NotificationKind::MonitoredQueueMessage => (
            "New chat in a monitored queue",
            format!("{chat} arrived in a queue you monitor."),
        ),
        NotificationKind::MessagingEnded => ("Chat ended", format!("The visitor ended {chat}.")),
        NotificationKind::ParticipantLeaves => {
            ("Visitor left", format!("The visitor of {chat} dropped."))
        }
        NotificationKind::MessageExitsQueue => (
            "Chat left a queue",
            format!("{chat} left a queue you monitor."),
        ),
    }
}

/// The notification a frame asks for, if it is one and `prefs` want its kind.
pub fn wanted(
    prefs: &NotificationPrefs,
    frame: &AgentFrame,
) -> Option<(NotificationKind, ConversationId)> {
    match frame {
        AgentFrame::Notification {
            kind, conversation, ..
        } if prefs.wants(*kind) => Some((*kind, *conversation)),
        _ => None,
    }
}

/// Shows a notification for a `notification` frame the settings want;
/// other frames pass.
pub fn on_frame(app: &AppHandle, frame: &AgentFrame) {
    let prefs = app.state::<notification_prefs::Current>().get();
    let Some((kind, conversation)) = wanted(&prefs, frame) else {
        return;
    };
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        let app = app.clone();
        spawn(kind, conversation, move |c| focus(&app, c));
    }
    // Other desktops tell no click back through notify-rust, and show
    // blocking.
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    tauri::async_runtime::spawn_blocking(move || {
        if let Err(e) = notification(kind, conversation).show() {
            tracing::warn!("notification not shown ({kind:?}): {e}");
        }
    });
}

/// Shows a notification and waits for its click (then calls `clicked`) as
/// a task on the app's runtime, not a thread: each waits for up to
/// [`KEPT`], and a shift shows hundreds.
#[cfg(all(unix, not(target_os = "macos")))]
pub fn spawn(
    kind: NotificationKind,
    conversation: ConversationId,
    clicked: impl FnOnce(ConversationId) + Send + 'static,
) -> tauri::async_runtime::JoinHandle<()> {
    tauri::async_runtime::spawn(async move {
        match show(kind, conversation).await {
            Ok(handle) => wait_for_click(handle, conversation, clicked).await,
            Err(e) => tracing::warn!("notification not shown ({kind:?}): {e}"),
        }
    })
}

/// The notification for `kind` in `conversation`, with its "Show" action.
fn notification(kind: NotificationKind, conversation: ConversationId) -> notify_rust::Notification {
    let (title, body) = text(kind, conversation);
    let mut notification = notify_rust::Notification::new();
    notification
        .appname(APP_NAME)
        .summary(title)
        .body(&body)
        .action("default", "Show");
    notification
}

/// Hands one notification to the desktop's notification daemon.
#[cfg(all(unix, not(target_os = "macos")))]
pub async fn show(
    kind: NotificationKind,
    conversation: ConversationId,
) -> Result<notify_rust::NotificationHandle, notify_rust::error::Error> {
    notification(kind, conversation).show_async().await
}

/// How long a notification waits for its click before the app withdraws
/// it. A daemon may keep a notification open for the whole shift (dunst
/// never times one out while the person is idle; GNOME keeps them in its
/// list), and each one waiting holds a D-Bus connection: in an hour's
/// soak, before this bound, 244 of them (each with two threads then) and
/// 1,270 open files by minute 27. The chat itself stays in the pool.
pub const KEPT: std::time::Duration = std::time::Duration::from_secs(5 * 60);

/// Waits until the notification is clicked (then calls `clicked`) or
/// closed, or [`KEPT`] has passed (then withdraws it).
#[cfg(all(unix, not(target_os = "macos")))]
pub async fn wait_for_click(
    handle: notify_rust::NotificationHandle,
    conversation: ConversationId,
    clicked: impl FnOnce(ConversationId),
) {
    wait_for_click_within(handle, conversation, clicked, KEPT).await;
}

/// As [`wait_for_click`], withdrawing the notification after `kept`.
#[cfg(all(unix, not(target_os = "macos")))]
pub async fn wait_for_click_within(
    handle: notify_rust::NotificationHandle,
    conversation: ConversationId,
    clicked: impl FnOnce(ConversationId),
    kept: std::time::Duration,
) {
    use notify_rust::NotificationResponse;
    let mut clicked = Some(clicked);
    let answer = handle.wait_for_action_async(|response| {
        let click = match response {
            NotificationResponse::Default => true,
            NotificationResponse::Action(action) => action == "default" || action == "Show",
            _ => false,
        };
        if click && let Some(clicked) = clicked.take() {
            clicked(conversation);
        }
    });
    if tokio::time::timeout(kept, answer).await.is_err() {
        handle.close_async().await;
    }
}

/// Brings the main window forward (also out of the tray) and tells the UI
/// which chat to show.
pub fn focus(app: &AppHandle, conversation: ConversationId) {
    main_window::focus(app);
    if let Err(e) = app.emit(FOCUS_EVENT, FocusPayload { conversation }) {
        tracing::warn!("the focused chat did not reach the windows: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KINDS: [NotificationKind; 5] = [
        NotificationKind::MessageArrives,
        NotificationKind::MonitoredQueueMessage,
        NotificationKind::MessagingEnded,
        NotificationKind::ParticipantLeaves,
        NotificationKind::MessageExitsQueue,
    ];

    fn frame(kind: NotificationKind) -> AgentFrame {
        AgentFrame::Notification {
            kind,
            conversation: ConversationId(42),
            at: 1,
        }
    }

    #[test]
    fn each_kind_names_the_chat_it_is_about() {
        let titles: std::collections::HashSet<_> = KINDS
            .iter()
            .map(|kind| {
                let (title, body) = text(*kind, ConversationId(42));
                assert!(body.contains("#42"), "{body}");
                title
            })
            .collect();
        assert_eq!(titles.len(), KINDS.len(), "one title per kind");
    }

    #[test]
    fn only_the_kinds_switched_on_are_shown() {
        let mut prefs = NotificationPrefs::default();
        for kind in KINDS {
            assert_eq!(
                wanted(&prefs, &frame(kind)),
                Some((kind, ConversationId(42)))
            );
        }
        prefs.kinds.messaging_ended = false;
        prefs.kinds.message_exits_queue = false;
        let shown: Vec<_> = KINDS
            .iter()
            .filter_map(|kind| wanted(&prefs, &frame(*kind)))
            .map(|(kind, _)| kind)
            .collect();
        assert_eq!(
            shown,
            [
                NotificationKind::MessageArrives,
                NotificationKind::MonitoredQueueMessage,
                NotificationKind::ParticipantLeaves,
            ]
        );
    }

    #[test]
    fn frames_that_are_not_notifications_show_nothing() {
        let presence = AgentFrame::Presence {
            agent: banner_proto::AgentId(1),
            presence: banner_proto::Presence::Away,
            at: 2,
        };
        assert_eq!(wanted(&NotificationPrefs::default(), &presence), None);
    }
}
