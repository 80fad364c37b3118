//! `banner`: the desktop app's binary; everything is in the library.

// No console window next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("BANNER_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .init();
    match banner_desktop::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("the Banner stopped: {e}");
            ExitCode::FAILURE
        }
    }
}
