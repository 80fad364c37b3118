//! The incoming popup: its own small window, always on top, showing the
//! offers ringing the agent (`index.html#popup`). Made at the first offer and
//! kept hidden between offers; shown while the pool holds an offer (or an
//! `offer` event arrives), hidden when none rings any more. It works whether
//! the main window is shown or hidden.
//!
//! On Linux the popup's webview is made *related* to the main window's, so
//! WebKitGTK runs both pages in one web process: a web process of its own
//! cost the popup 146–169 MiB of PSS over a shift (docs/benchmarks-journal.md,
//! the soak), for a page of a few kilobytes. GTK objects live on the main
//! thread, so there the popup is made, shown and hidden on it, in the order
//! the frames asked.

use banner_proto::{AgentEvent, AgentFrame, Pool};
use tauri::{AppHandle, Manager, WebviewUrl, WebviewWindow, WebviewWindowBuilder};

/// The popup window's label (its capability file names it).
pub const LABEL: &str = "popup";

/// What a frame means for the popup: show it, hide it, or nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// An offer rings.
    Show,
    /// No offer rings any more.
    Hide,
}

/// Reads a frame: the pool says whether any offer rings; an `offer` event
/// rings at once (the pool snapshot that follows confirms it).
pub fn change(frame: &AgentFrame) -> Option<Change> {
    match frame {
        AgentFrame::PoolChanged(pool) if pool.offers.is_empty() => Some(Change::Hide),
        AgentFrame::PoolChanged(_) => Some(Change::Show),
        AgentFrame::Event(logged) if matches!(logged.event, AgentEvent::Offer(_)) => {
            Some(Change::Show)
        }
        _ => None,
    }
}

/// What the popup's page is sent of `frame`: `welcome` (the server's clock,
/// for the countdown) and the pool with its offers only. Nothing else: the
/// popup shows no messages, typing or receipts, and every frame its page
/// reads is parsed there, with the whole pool (its history too) in each
/// `pool_changed`.
pub fn for_popup(frame: &AgentFrame) -> Option<AgentFrame> {
    match frame {
        AgentFrame::Welcome(_) => Some(frame.clone()),
        AgentFrame::PoolChanged(pool) => Some(AgentFrame::PoolChanged(Pool {
            offers: pool.offers.clone(),
            in_progress: Vec::new(),
            pending: Vec::new(),
            pending_customers: Vec::new(),
            wrap_up: Vec::new(),
            history: Vec::new(),
            ..*pool
        })),
        _ => None,
    }
}

/// Shows or hides the popup as `frame` asks.
pub fn on_frame(app: &AppHandle, frame: &AgentFrame) {
    match change(frame) {
        Some(Change::Show) => show(app),
        Some(Change::Hide) => hide(app),
        None => {}
    }
}

/// Shows the popup (making it the first time) without taking the focus away
/// from what the agent types elsewhere.
pub fn show(app: &AppHandle) {
    on_main_thread(app, |app| {
        let window = match app.get_webview_window(LABEL) {
            Some(window) => Ok(window),
            None => build(app),
        };
        match window {
            Ok(window) => {
                if let Err(e) = window.show() {
                    tracing::warn!("the popup did not show: {e}");
                }
            }
            Err(e) => tracing::warn!("the popup window could not be made: {e}"),
        }
    });
}

/// Hides the popup, if it exists.
pub fn hide(app: &AppHandle) {
    on_main_thread(app, |app| {
        if let Some(window) = app.get_webview_window(LABEL)
            && let Err(e) = window.hide()
        {
            tracing::warn!("the popup did not hide: {e}");
        }
    });
}

/// Runs `task` on the main thread on Linux, after whatever was queued there
/// before it (a `hide` never overtakes the `show` that made the window);
/// elsewhere, here and now, as before.
fn on_main_thread(app: &AppHandle, task: impl FnOnce(&AppHandle) + Send + 'static) {
    #[cfg(target_os = "linux")]
    {
        let handle = app.clone();
        if let Err(e) = app.run_on_main_thread(move || task(&handle)) {
            tracing::warn!("the popup's main thread is gone: {e}");
        }
    }
    #[cfg(not(target_os = "linux"))]
    task(app);
}

fn build(app: &AppHandle) -> tauri::Result<WebviewWindow> {
    let builder = WebviewWindowBuilder::new(app, LABEL, WebviewUrl::App("index.html#popup".into()))
        .title("Banner — incoming chat")
        .inner_size(400.0, 380.0)
        .resizable(false)
        .always_on_top(true)
        .skip_taskbar(true)
        .focused(false);
    // One web process for both windows (see the module's note). Without
    // the main window's view (not tuned yet), the popup gets its own.
    #[cfg(target_os = "linux")]
    let builder = match crate::webview::main_view() {
        Some(view) => builder.with_related_view(view),
        None => builder,
    };
    let window = builder.build()?;
    crate::webview::tune(&window);
    crate::draw_queue::watch(&window);
    Ok(window)
}

#[cfg(test)]
mod tests {
    use banner_proto::{
        AgentId, AgentRef, ConversationId, HistoryChat, Offer, OfferPhase, Presence, RoutingKind,
        VisitorInfo,
    };

    use super::*;

    fn pool() -> Pool {
        Pool {
            at: 1,
            presence: Presence::Available,
            load: 0,
            capacity: 3,
            offers: Vec::new(),
            in_progress: Vec::new(),
            pending: Vec::new(),
            pending_customers: Vec::new(),
            wrap_up: Vec::new(),
            history: Vec::new(),
        }
    }

    #[test]
    fn a_pool_without_offers_hides_the_popup() {
        assert_eq!(change(&AgentFrame::PoolChanged(pool())), Some(Change::Hide));
    }

    #[test]
    fn frames_that_say_nothing_of_offers_leave_the_popup_alone() {
        let presence = AgentFrame::Presence {
            agent: AgentId(1),
            presence: Presence::Away,
            at: 2,
        };
        assert_eq!(change(&presence), None);
    }

    fn visitor() -> VisitorInfo {
        VisitorInfo {
            visitor_id: "v-1".into(),
            customer: None,
            locale: None,
        }
    }

    #[test]
    fn the_popup_is_sent_the_pools_offers_and_the_clock_only() {
        let offer = Offer {
            conversation: ConversationId(7),
            agent: AgentRef {
                id: AgentId(1),
                name: "Ada".into(),
            },
            kind: RoutingKind::Direct,
            queue: None,
            visitor: visitor(),
            waiting_since: 1,
            transfer: None,
            phase: OfferPhase::Ringing,
            deadline: 30_001,
            script_first_node: None,
            returning: false,
        };
        let full = Pool {
            offers: vec![offer],
            history: (0..50)
                .map(|n| HistoryChat {
                    conversation: ConversationId(100 + n),
                    visitor: visitor(),
                    ended_at: n,
                })
                .collect(),
            ..pool()
        };
        let sent = for_popup(&AgentFrame::PoolChanged(full.clone()));
        let Some(AgentFrame::PoolChanged(trimmed)) = sent else {
            panic!("the pool was not sent: {sent:?}");
        };
        assert_eq!(trimmed.offers, full.offers);
        assert!(trimmed.history.is_empty(), "{:?}", trimmed.history);
        assert_eq!(
            (trimmed.at, trimmed.load, trimmed.capacity),
            (full.at, full.load, full.capacity)
        );

        let presence = AgentFrame::Presence {
            agent: AgentId(1),
            presence: Presence::Away,
            at: 2,
        };
        assert_eq!(for_popup(&presence), None);
    }
}
