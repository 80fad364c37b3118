//! Running one test of this test binary again in a world of its own: an
//! Xvfb it starts, a session bus of its own (`dbus-run-session`, never the
//! desktop's), and a temporary `HOME`. Tests that need GTK's main thread or
//! a private bus call it from their outer run; the inner run finds `inside`
//! set to a marker file's path and writes that file at its end, so that an
//! inner run that ran nothing fails.

use std::path::Path;
use std::process::Command;

use super::{Fail, processes};

/// Runs `test` again on its own display and bus, with `inside` set to the
/// marker's path; fails if that run fails or never writes the marker.
pub fn on_own_display(test: &str, inside: &str) -> Result<(), Fail> {
    let (_xvfb, display) = processes::xvfb()?;
    let home = tempfile::tempdir()?;
    let marker = home.path().join("inside-done");
    let run = Command::new("dbus-run-session")
        .arg("--")
        .arg(std::env::current_exe()?)
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(inside, &marker)
        .env("DISPLAY", &display)
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("WAYLAND_DISPLAY")
        // Captured: the inner run's own "test result" line must not count
        // twice in `cargo xtask test`'s tally.
        .output()
        .map_err(|e| format!("cannot run dbus-run-session ({e}): run scripts/bootstrap.sh"))?;
    if !run.status.success() {
        return Err(format!(
            "the run on its own display and bus failed ({}):\n{}\n{}",
            run.status,
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        )
        .into());
    }
    if !Path::new(&marker).exists() {
        return Err("the run on its own display and bus did not reach its end".into());
    }
    Ok(())
}
