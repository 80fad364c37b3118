//! Native notifications (notify-rust) for the `notification` frames — the
//! five kinds the agent switches on in their notification settings; the
//! server sends only those. Clicking one brings the main window forward and
//! tells the UI which chat to show (`banner:focus`). Without a session bus or
//! a notification daemon, showing fails at once: logged, and the app goes on.

use banner_proto::{AgentFrame, ConversationId, NotificationKind};
use tauri::{AppHandle, Emitter};

use crate::events::{FOCUS_EVENT, FocusPayload};
use crate::main_window;

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

/// Shows a notification for a `notification` frame; other frames pass.
pub fn on_frame(app: &AppHandle, frame: &AgentFrame) {
    if let AgentFrame::Notification {
        kind, conversation, ..
    } = frame
    {
        let (app, kind, conversation) = (app.clone(), *kind, *conversation);
        // Showing talks to D-Bus and waiting for the click blocks: a thread
        // of its own, so the connection's task never waits on the desktop.
        let spawned = std::thread::Builder::new()
            .name("notification".into())
            .spawn(move || show(&app, kind, conversation));
        if let Err(e) = spawned {
            tracing::warn!("no thread for a notification: {e}");
        }
    }
}

fn show(app: &AppHandle, kind: NotificationKind, conversation: ConversationId) {
    let (title, body) = text(kind, conversation);
    let mut notification = notify_rust::Notification::new();
    notification
        .appname("Banner")
        .summary(title)
        .body(&body)
        .action("default", "Show");
    match notification.show() {
        Ok(handle) => on_click(app, handle, conversation),
        Err(e) => tracing::warn!("notification not shown ({title}): {e}"),
    }
}

#[cfg(all(unix, not(target_os = "macos")))]
fn on_click(
    app: &AppHandle,
    handle: notify_rust::NotificationHandle,
    conversation: ConversationId,
) {
    handle.wait_for_action(|action| {
        if action == "default" || action == "Show" {
            focus(app, conversation);
        }
    });
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn on_click(
    _app: &AppHandle,
    _handle: notify_rust::NotificationHandle,
    _conversation: ConversationId,
) {
}

/// Brings the main window forward and tells the UI which chat to show.
pub fn focus(app: &AppHandle, conversation: ConversationId) {
    main_window::focus(app);
    if let Err(e) = app.emit(FOCUS_EVENT, FocusPayload { conversation }) {
        tracing::warn!("the focused chat did not reach the windows: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_names_the_chat_it_is_about() {
        let kinds = [
            NotificationKind::MessageArrives,
            NotificationKind::MonitoredQueueMessage,
            NotificationKind::MessagingEnded,
            NotificationKind::ParticipantLeaves,
            NotificationKind::MessageExitsQueue,
        ];
        let titles: std::collections::HashSet<_> = kinds
            .iter()
            .map(|kind| {
                let (title, body) = text(*kind, ConversationId(42));
                assert!(body.contains("#42"), "{body}");
                title
            })
            .collect();
        assert_eq!(titles.len(), kinds.len(), "one title per kind");
    }
}
