//! The app turns on WebKit's check of a window request's gesture
//! (`src/gesture_tokens.rs`) in the settings it is given and in no others,
//! through the feature API it looks up in the WebKitGTK it runs with.
//!
//! WebKit's settings want GTK started, which needs a display and a thread of
//! its own, so the test runs itself again (`support/rerun.rs`) on an Xvfb it
//! starts, as `tests/memory_pressure.rs` does.
#![cfg(target_os = "linux")]

// This test uses only the rerun (and its Xvfb) of `support/`.
#[allow(dead_code)]
mod support;

use std::path::Path;

use banner_desktop::gesture_tokens;
use support::{Fail, rerun};
use webkit2gtk::{Settings, SettingsExt};

/// Set (to the marker file's path) in the run on the display.
const INSIDE: &str = "BANNER_GESTURE_TOKENS_INSIDE";
const TEST: &str = "the_check_is_turned_on_in_the_settings_given_and_no_others";

#[test]
fn the_check_is_turned_on_in_the_settings_given_and_no_others() -> Result<(), Fail> {
    match std::env::var_os(INSIDE) {
        Some(marker) => inside(Path::new(&marker)),
        None => rerun::on_own_display(TEST, INSIDE),
    }
}

/// On the display, on GTK's thread.
fn inside(marker: &Path) -> Result<(), Fail> {
    gtk::init()?;
    // WebKitGTK before 2.42 has no feature API; the one the CI installs has.
    let settings = Settings::new();
    let other = Settings::new();
    assert_eq!(
        gesture_tokens::is_on(&settings),
        Some(false),
        "WebKit's default is off"
    );
    assert!(!gesture_tokens::verified(), "nothing verified yet");
    assert!(gesture_tokens::verify(&settings));
    assert!(gesture_tokens::verified());
    assert_eq!(gesture_tokens::is_on(&settings), Some(true));
    assert_eq!(
        gesture_tokens::is_on(&other),
        Some(false),
        "other settings keep the default"
    );
    assert!(
        settings.enables_javascript(),
        "the rest of the settings are left alone"
    );
    std::fs::write(marker, "done")?;
    Ok(())
}
