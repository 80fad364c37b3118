//! WebKitGTK settings Tauri does not expose, applied to each window's
//! webview on Linux:
//!
//! - **cache model "document viewer"**: the page is one bundled app that
//!   talks to Rust over IPC; WebKit's default web-browser model keeps
//!   memory caches of resources and pages for back/forward navigation,
//!   sized from the machine's RAM, which this app never reuses.
//! - **no GPU compositing without a GPU**: with no DRM render node
//!   (`/dev/dri/renderD*`: a VM, a remote or headless session), WebKit
//!   would composite through Mesa's software OpenGL (llvmpipe), which loads
//!   LLVM into the web process and costs more time and memory than its own
//!   CPU rendering path. With a GPU, WebKit's default stands, and
//!   `BANNER_COMPOSITING=always` keeps it without one: WebKitWebDriver's
//!   screenshots (WebKitGTK 2.50) never answer for a page that is not
//!   composited, so the end-to-end test, which keeps screenshots, sets it.
//!
//!   Without a GPU, GTK is told not to set up OpenGL either
//!   (`GDK_GL=disable`, set by the binary before GTK starts): probing it at
//!   `gtk_init` loads Mesa's software driver, and LLVM with it, into the
//!   app's process on the way to the first frame.
//!
//! - **WebKit's check of a window request's gesture** (a WebKit feature,
//!   off by default): with it on, the page can let WebKit drop its record
//!   of every key and click ([`crate::gesture_tokens`]).
//!
//! On macOS and Windows the system webview decides all three.
//!
//! One more setting has no API at all: JavaScriptCore's JIT, which the
//! binary turns off through the web process's environment
//! ([`JIT_VARIABLE`], see `main.rs`).
//!
//! It also keeps the main window's view, on the main thread, for the popup
//! to share its web process ([`main_view`]).

use tauri::{Runtime, WebviewWindow};

#[cfg(target_os = "linux")]
thread_local! {
    /// The main window's view. GTK objects belong to the main thread, so it
    /// is kept there and read only there.
    static MAIN_VIEW: std::cell::RefCell<Option<webkit2gtk::WebView>> =
        const { std::cell::RefCell::new(None) };
}

/// The main window's view, once it is tuned; `None` off the main thread.
#[cfg(target_os = "linux")]
pub fn main_view() -> Option<webkit2gtk::WebView> {
    MAIN_VIEW.with(|view| view.borrow().clone())
}

/// The environment variable through which JavaScriptCore, in the web
/// process, reads whether to compile JavaScript (`0`: interpret only).
#[cfg(target_os = "linux")]
pub const JIT_VARIABLE: &str = "JSC_useJIT";

/// Applies the settings to `window`'s webview (on its main thread, soon).
pub fn tune<R: Runtime>(window: &WebviewWindow<R>) {
    #[cfg(target_os = "linux")]
    {
        let software = renders_on_cpu();
        let main = window.label() == crate::main_window::LABEL;
        let tuned = window.with_webview(move |webview| {
            use webkit2gtk::{
                CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebViewExt,
            };
            let view = webview.inner();
            if let Some(context) = view.context() {
                context.set_cache_model(CacheModel::DocumentViewer);
            }
            if let Some(settings) = view.settings() {
                if software {
                    settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
                }
                crate::gesture_tokens::verify(&settings);
            }
            if main {
                MAIN_VIEW.with(|slot| *slot.borrow_mut() = Some(view));
            }
        });
        if let Err(e) = tuned {
            tracing::warn!("the webview keeps WebKit's default settings: {e}");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}

/// Whether WebKit draws on the CPU: no GPU, and `BANNER_COMPOSITING` does
/// not ask for compositing anyway. Then GTK need not set up OpenGL either
/// (see the binary's `main`).
#[cfg(target_os = "linux")]
pub fn renders_on_cpu() -> bool {
    !has_gpu() && !compositing_forced()
}

/// Whether `BANNER_COMPOSITING=always` asks for WebKit's default compositing.
#[cfg(target_os = "linux")]
fn compositing_forced() -> bool {
    std::env::var("BANNER_COMPOSITING").is_ok_and(|value| value == "always")
}

/// Whether a GPU is there to composite on: a DRM render node exists.
#[cfg(target_os = "linux")]
fn has_gpu() -> bool {
    std::fs::read_dir("/dev/dri").is_ok_and(|nodes| {
        nodes
            .flatten()
            .any(|node| node.file_name().to_string_lossy().starts_with("renderD"))
    })
}
