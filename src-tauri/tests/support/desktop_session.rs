//! The buses a desktop session runs before any app starts: a session bus
//! (`dbus-daemon --session`) and, on it, the accessibility bus
//! (`org.a11y.Bus`, started by D-Bus activation and asked for its address
//! once, as a desktop's session manager does at login).
//!
//! Without them GLib and GTK's accessibility bridge start their own
//! (`dbus-launch`, `at-spi-bus-launcher`) inside the app's first second, a
//! cost no agent at a real desktop pays; the desktop benchmark times its
//! cold start with this session in place (and once without, for the record).

// Every test crate compiles all of `support/`; only the benchmark uses this.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};

use super::Fail;
use super::processes::Guard;

/// A running session: its bus's address, and the bus daemon with what it
/// started (the accessibility bus), killed on drop.
pub struct DesktopSession {
    /// `DBUS_SESSION_BUS_ADDRESS` for the apps of this session.
    pub address: String,
    _bus: Guard,
}

impl DesktopSession {
    /// Starts the session bus of X display `display` and the accessibility
    /// bus on it (which, as at a desktop, announces itself on the display).
    pub fn start(display: &str) -> Result<Self, Fail> {
        let since_epoch = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?;
        let marker = format!(
            "BANNER_TEST_SESSION={}-{}",
            std::process::id(),
            since_epoch.as_nanos()
        );
        let (name, value) = marker.split_once('=').ok_or("no = in the marker")?;
        let mut child = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--nopidfile", "--print-address=1"])
            // What the bus starts by activation inherits this.
            .env("DISPLAY", display)
            .env(name, value)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot run dbus-daemon ({e}): run scripts/bootstrap.sh"))?;
        let stdout = child.stdout.take().ok_or("dbus-daemon has no stdout")?;
        // The accessibility bus launcher leaves the bus's process group; it
        // carries the marker, which only this session's processes do.
        let bus = Guard::group(child).sweeping(marker);
        // The daemon prints its address once it listens.
        let mut address = String::new();
        BufReader::new(stdout).read_line(&mut address)?;
        let address = address.trim().to_owned();
        if address.is_empty() {
            return Err("dbus-daemon printed no address".into());
        }
        let a11y = Command::new("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--dest=org.a11y.Bus",
                "/org/a11y/bus",
                "org.a11y.Bus.GetAddress",
            ])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .output()
            .map_err(|e| format!("cannot run dbus-send ({e}): run scripts/bootstrap.sh"))?;
        if !a11y.status.success() {
            return Err(format!(
                "the accessibility bus did not start: {}",
                String::from_utf8_lossy(&a11y.stderr).trim()
            )
            .into());
        }
        Ok(DesktopSession { address, _bus: bus })
    }
}
