//! The Banner, the agents' desktop app: the agent UI (`ui/src/banner`, built
//! by Vite into `ui/dist/banner`) in a Tauri v2 window, over commands that are
//! thin wrappers around banner-client. The connection lives here, on the Rust
//! side, so offers keep ringing and notifications keep coming while the
//! window is hidden.
//!
//! # Layout
//!
//! - [`error`]: `{code, message}`, what a failed command answers.
//! - [`events`]: the events the windows listen to (`banner:frame`, `banner:link`,
//!   `banner:focus`).
//! - [`state`]: the session — an `AgentClient` and the task that owns the
//!   `AgentConnection`.
//! - [`commands`]: every `#[tauri::command]` the UI invokes.
//! - [`popup`]: the always-on-top incoming popup window.
//! - [`notify`]: native notifications, and what clicking one does.
//! - [`main_window`]: bringing the main window forward.
//! - [`local_server`]: banner-server in-process, on SQLite in the data dir.
//! - [`remembered`]: the last server and user (never the password).
//!
//! Each window has a capability file in `capabilities/` that grants only the
//! commands and events it uses; there is no shell plugin and the CSP
//! (`tauri.conf.json`) lets the page talk to nothing but the app.

pub mod commands;
pub mod error;
pub mod events;
pub mod local_server;
pub mod main_window;
pub mod notify;
pub mod popup;
pub mod remembered;
pub mod state;

/// Builds and runs the app until its last window closes.
pub fn run() -> Result<(), tauri::Error> {
    tauri::Builder::default()
        .manage(state::Current::default())
        .manage(local_server::LocalServer::default())
        .invoke_handler(tauri::generate_handler![
            commands::login,
            commands::logout,
            commands::remembered_login,
            commands::set_presence,
            commands::pool,
            commands::accept,
            commands::decline,
            commands::pick,
            commands::send_message,
            commands::typing,
            commands::read,
            commands::upload,
            commands::download,
            commands::directory,
            commands::transfer,
            commands::cancel_transfer,
            commands::wait_for_customer,
            commands::archive,
            commands::complete_wrap_up,
            commands::conversation,
            commands::events,
            commands::history,
            commands::supervision,
            commands::subscribe_supervision,
            commands::watch,
            commands::unwatch,
            commands::start_local_server,
        ])
        .run(tauri::generate_context!())
}
