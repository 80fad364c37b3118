//! The Banner, the agents' desktop app: the agent UI (`ui/src/banner`, built
//! by Vite into `ui/dist/banner`) in a Tauri v2 window, over commands that are
//! thin wrappers around banner-client. The connection lives here, on the Rust
//! side, so offers keep ringing and notifications keep coming while the
//! window is hidden.
//!
//! # Layout
//!
//! - [`error`]: `{code, message}`, what a failed command answers.
//! - [`events`]: the events the windows listen to (`banner:link`,
//!   `banner:focus`).
//! - [`frames`]: each page's queue of frames, which the page asks for
//!   (`next_frames`) rather than receiving them as events.
//! - [`state`]: the session — an `AgentClient` and the task that owns the
//!   `AgentConnection`.
//! - [`commands`]: every `#[tauri::command]` the UI invokes.
//! - [`popup`]: the always-on-top incoming popup window.
//! - [`notify`]: native notifications, and what clicking one does.
//! - [`main_window`]: bringing the main window forward.
//! - [`draw_queue`]: turns of the event loop that keep tao's queue of draw
//!   notices empty (Linux).
//! - [`local_server`]: banner-server in-process, on SQLite in the data dir.
//! - [`remembered`]: the last server and user (never the password).
//! - [`notification_prefs`]: which notifications this computer shows, and
//!   the popup's sound.
//! - [`webview`]: WebKitGTK settings for a one-page app (cache model,
//!   compositing without a GPU).
//! - [`gesture_tokens`]: WebKitGTK's record of every key and click, which
//!   the page lets it drop (Linux).
//! - [`memory_pressure`]: how much the web process may hold before WebKit
//!   gives memory back (Linux).
//! - [`tray`]: the tray icon; closing the main window while logged in hides
//!   it there.
//!
//! Each window has a capability file in `capabilities/` that grants only the
//! commands and events it uses; there is no shell plugin and the CSP
//! (`tauri.conf.json`) lets the page talk to nothing but the app.

pub mod commands;
pub mod draw_queue;
pub mod error;
pub mod events;
pub mod frames;
#[cfg(target_os = "linux")]
pub mod gesture_tokens;
pub mod local_server;
pub mod main_window;
#[cfg(target_os = "linux")]
pub mod memory_pressure;
pub mod notification_prefs;
pub mod notify;
pub mod popup;
pub mod remembered;
pub mod state;
pub mod tray;
pub mod webview;

use std::sync::Arc;

use tauri::{Manager, RunEvent, WindowEvent};

/// Builds and runs the app until the main window closes or the tray quits.
pub fn run() -> Result<(), tauri::Error> {
    tauri::Builder::default()
        .manage(state::Current::default())
        .manage(frames::Frames::default())
        .manage(local_server::LocalServer::default())
        .manage(Arc::new(draw_queue::DrawQueue::default()))
        .setup(|app| {
            if let Some(main) = app.get_webview_window(main_window::LABEL) {
                webview::tune(&main);
                draw_queue::watch(&main);
            }
            let prefs = match app.path().app_data_dir() {
                Ok(dir) => notification_prefs::Current::load(&dir),
                Err(e) => {
                    tracing::warn!("no data dir for the notification settings: {e}");
                    notification_prefs::Current::default()
                }
            };
            app.manage(prefs);
            // Without a tray (no StatusNotifier host), closing quits as before.
            if let Err(e) = tray::install(app.handle()) {
                tracing::warn!("no tray icon: {e}");
            }
            Ok(())
        })
        .on_window_event(on_window_event)
        .invoke_handler(tauri::generate_handler![
            commands::login,
            commands::logout,
            commands::remembered_login,
            commands::notification_prefs,
            commands::set_notification_prefs,
            commands::set_presence,
            commands::pool,
            commands::next_frames,
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
            commands::sheds_gesture_tokens,
        ])
        .build(tauri::generate_context!())?
        .run(|app, event| {
            if let RunEvent::MainEventsCleared = event {
                draw_queue::main_events_cleared(app);
            }
        });
    Ok(())
}

/// Closing the main window hides it to the tray while someone is logged in;
/// once it is really gone, the app ends (the hidden popup window would
/// otherwise keep it running).
fn on_window_event(window: &tauri::Window, event: &WindowEvent) {
    let app = window.app_handle();
    match event {
        WindowEvent::CloseRequested { api, .. } => {
            let logged_in = app.state::<state::Current>().get().is_ok();
            let tray = app.try_state::<tray::Installed>().is_some();
            if tray::hides_on_close(window.label(), logged_in, tray) {
                api.prevent_close();
                if let Err(e) = window.hide() {
                    tracing::warn!("the main window did not hide: {e}");
                }
            }
        }
        WindowEvent::Destroyed if window.label() == main_window::LABEL => app.exit(0),
        _ => {}
    }
}
