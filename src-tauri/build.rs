//! tauri-build: checks tauri.conf.json and the capabilities, and makes one
//! permission per app command (`allow-<command>`), so that each window's
//! capability file grants exactly the commands it calls.

/// Every `#[tauri::command]` of `src/commands.rs` and `src/local_server.rs`.
const COMMANDS: &[&str] = &[
    "login",
    "logout",
    "remembered_login",
    "notification_prefs",
    "set_notification_prefs",
    "set_presence",
    "pool",
    "next_frames",
    "accept",
    "decline",
    "pick",
    "send_message",
    "typing",
    "read",
    "upload",
    "download",
    "directory",
    "transfer",
    "cancel_transfer",
    "wait_for_customer",
    "archive",
    "complete_wrap_up",
    "conversation",
    "events",
    "history",
    "supervision",
    "subscribe_supervision",
    "watch",
    "unwatch",
    "start_local_server",
    "sheds_gesture_tokens",
];

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    let attributes = tauri_build::Attributes::new().app_manifest(manifest);
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri-build: {e:#}");
    }
}
