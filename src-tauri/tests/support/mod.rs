//! What the desktop tests stand on: a display (Xvfb), tauri-driver, a
//! real banner-server on 127.0.0.1 with a temporary data dir, a W3C
//! WebDriver client, a notification daemon (dunst) on a session bus, and a
//! desktop session's own buses for the benchmark.
//! Every process is killed by a `Drop` guard.

pub mod app_tree;
pub mod desktop_session;
pub mod notification_daemon;
pub mod processes;
pub mod rerun;
pub mod server;
pub mod steps;
pub mod webdriver;

/// Any failure, with its sentence.
pub type Fail = Box<dyn std::error::Error + Send + Sync>;
