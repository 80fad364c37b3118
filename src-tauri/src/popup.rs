//! The incoming popup: its own small window, always on top, showing the
//! offers ringing the agent (`index.html#popup`). Made at the first offer and
//! kept hidden between offers; shown while the pool holds an offer (or an
//! `offer` event arrives), hidden when none rings any more. It works whether
//! the main window is shown or hidden.
//!
//! On Linux the popup's webview is made *related* to the main window's, so
//! WebKitGTK runs both pages in one web process: a web process of its own
//! cost the popup 146–169 MiB of PSS over a shift (docs/BENCHMARKS.md,
//! the soak), for a page of a few kilobytes. GTK objects live on the main
//! thread, so there the popup is made, shown and hidden on it, in the order
//! the frames asked.

use banner_proto::{AgentEvent, AgentFrame};
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
    Ok(window)
}

#[cfg(test)]
mod tests {
    use banner_proto::{AgentId, Pool, Presence};

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
}
