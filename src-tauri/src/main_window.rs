//! The agent's main window (label `main`, from tauri.conf.json): brought
//! forward when the agent accepts an offer or clicks a notification. While
//! it is minimized or hidden the session's task keeps the connection, the
//! popup and the notifications working.

use tauri::{AppHandle, Manager};

/// The main window's label.
pub const LABEL: &str = "main";

/// Shows, unminimizes and focuses the main window.
pub fn focus(app: &AppHandle) {
    let Some(window) = app.get_webview_window(LABEL) else {
        return;
    };
    let shown = window
        .show()
        .and_then(|()| window.unminimize())
        .and_then(|()| window.set_focus());
    if let Err(e) = shown {
        tracing::warn!("the main window did not come forward: {e}");
    }
}
