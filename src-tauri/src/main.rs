//! `banner`: the desktop app's binary; everything is in the library.

// No console window next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;

fn main() -> ExitCode {
    #[cfg(target_os = "linux")]
    no_gl_without_gpu();
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

/// Without a GPU, tells GTK to skip OpenGL (`GDK_GL=disable`), unless the
/// environment already says otherwise. GTK reads it once, in `gtk_init`,
/// and has no call for it; probing OpenGL there loads Mesa's software
/// driver and LLVM, which WebKit then does not use (`webview.rs`): 15–114 ms
/// (median ~40) of the way to the page, in 8 of 8 paired launches on a
/// machine without a GPU (docs/BENCHMARKS.md).
///
/// The workspace denies `unsafe`; this is its one exception, because
/// `std::env::set_var` is `unsafe` in edition 2024: another thread reading
/// the environment at the same time would be undefined behaviour.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn no_gl_without_gpu() {
    if std::env::var_os("GDK_GL").is_none() && banner_desktop::webview::renders_on_cpu() {
        // SAFETY: the first thing `main` does: no other thread exists yet
        // (nothing runs before `main` that starts one), so nothing else reads
        // or writes the environment.
        unsafe { std::env::set_var("GDK_GL", "disable") };
    }
}
