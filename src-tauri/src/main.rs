//! `banner`: the desktop app's binary; everything is in the library.

// No console window next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;

fn main() -> ExitCode {
    #[cfg(target_os = "linux")]
    webkit_environment();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("BANNER_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .init();
    // Before Tauri makes the web context, which takes them only then.
    #[cfg(target_os = "linux")]
    if let Some(settings) = banner_desktop::memory_pressure::from_environment() {
        let _ = banner_desktop::memory_pressure::install(settings);
    }
    match banner_desktop::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("the Banner stopped: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Sets, before GTK and WebKit start, what they read only from the
/// environment, each unless the environment already says otherwise:
///
/// - **`GDK_GL=disable` without a GPU.** GTK reads it once, in `gtk_init`,
///   and has no call for it; probing OpenGL there loads Mesa's software
///   driver and LLVM, which WebKit then does not use (`webview.rs`): 15–114
///   ms (median ~40) of the way to the page, in 8 of 8 paired launches on a
///   machine without a GPU (docs/benchmarks-journal.md).
/// - **`JSC_useJIT=0`: the page's JavaScript is interpreted, not compiled.**
///   The web process inherits the app's environment, and JavaScriptCore
///   reads its options from it. The page is one small bundle that mostly
///   waits for frames; its compiled code and the compilers' own memory were
///   ~27 MiB of the web process with 10 chats open (148.9 → 122.3 MiB,
///   back to back), and the cold start did not get slower
///   (docs/benchmarks-journal.md). WebKitGTK has no per-view setting for it.
///
/// The workspace denies `unsafe`; this is one of its two exceptions (the
/// other is `memory_pressure.rs`), because
/// `std::env::set_var` is `unsafe` in edition 2024: another thread reading
/// the environment at the same time would be undefined behaviour.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn webkit_environment() {
    let no_gl = std::env::var_os("GDK_GL").is_none() && banner_desktop::webview::renders_on_cpu();
    let no_jit = std::env::var_os(banner_desktop::webview::JIT_VARIABLE).is_none();
    // SAFETY: the first thing `main` does: no other thread exists yet
    // (nothing runs before `main` that starts one), so nothing else reads
    // or writes the environment.
    unsafe {
        if no_gl {
            std::env::set_var("GDK_GL", "disable");
        }
        if no_jit {
            std::env::set_var(banner_desktop::webview::JIT_VARIABLE, "0");
        }
    }
}
