//! The desktop app's figures: cold start to the first painted pool, and PSS
//! of the app and its WebKit processes (10 open chats and 5,000 history
//! messages; after an hour-long soak). The app (`src-tauri`) is not built
//! yet, so these are "not measured" rows until it is; a measuring module
//! goes here then, run under Xvfb as `RECIPES.md` describes.

use serde_json::Value;

use super::table::row;

/// The rows, measured or saying why not.
pub fn figures() -> Vec<Value> {
    let why = "not measured: desktop app not built yet";
    let exists = super::root().join("src-tauri").join("Cargo.toml").is_file();
    let why = if exists {
        "not measured: the desktop benchmark is not written yet"
    } else {
        why
    };
    vec![
        row("desktop.cold_start", None, "ms", None, why),
        row("desktop.pss_10_chats_5000_history", None, "MiB", None, why),
        row("desktop.pss_after_1h_soak", None, "MiB", None, why),
    ]
}
