//! A notification daemon on a private session bus, for
//! `tests/notifications.rs`: dunst started by the test (never D-Bus
//! activation, so the test owns and ends it), waited for until it owns
//! `org.freedesktop.Notifications`, and read back through `dunstctl`.

// Every test crate compiles all of `support/`; only one uses this file.
#![allow(dead_code)]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::Fail;
use super::processes::Guard;

/// What dunst kept of one notification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    /// The sending application's name.
    pub appname: String,
    /// The title.
    pub summary: String,
    /// The text.
    pub body: String,
}

/// Starts dunst on the current session bus and waits until it serves.
pub fn dunst() -> Result<Guard, Fail> {
    let child = Command::new("dunst")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run dunst ({e}): run scripts/bootstrap.sh"))?;
    let guard = Guard::new(child);
    let deadline = Instant::now() + Duration::from_secs(10);
    // NameHasOwner asks the bus itself: unlike dunstctl it never starts a
    // second, D-Bus-activated dunst that would race ours for the name.
    while !owned("org.freedesktop.Notifications")? {
        if Instant::now() > deadline {
            return Err("dunst did not take org.freedesktop.Notifications within 10 s".into());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(guard)
}

fn owned(name: &str) -> Result<bool, Fail> {
    let out = Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.NameHasOwner",
            &format!("string:{name}"),
        ])
        .output()
        .map_err(|e| format!("cannot run dbus-send ({e}): run scripts/bootstrap.sh"))?;
    Ok(String::from_utf8_lossy(&out.stdout).contains("boolean true"))
}

/// Runs `dunstctl ARGS` and answers its output.
pub fn dunstctl(args: &[&str]) -> Result<String, Fail> {
    let out = Command::new("dunstctl").args(args).output()?;
    if !out.status.success() {
        return Err(format!(
            "dunstctl {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(String::from_utf8(out.stdout)?)
}

/// How many notifications dunst shows now.
pub fn displayed() -> Result<u32, Fail> {
    Ok(dunstctl(&["count", "displayed"])?.trim().parse()?)
}

/// Waits up to `timeout` until dunst shows `n` notifications.
pub fn wait_displayed(n: u32, timeout: Duration) -> Result<(), Fail> {
    let deadline = Instant::now() + timeout;
    loop {
        let now = displayed()?;
        if now == n {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("dunst shows {now} notifications, not {n}").into());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Every notification in dunst's history (closed ones), newest first.
pub fn history() -> Result<Vec<Shown>, Fail> {
    let json: serde_json::Value = serde_json::from_str(&dunstctl(&["history"])?)?;
    let field = |entry: &serde_json::Value, name: &str| {
        entry[name]["data"].as_str().unwrap_or_default().to_owned()
    };
    let entries = json["data"][0].as_array().cloned().unwrap_or_default();
    Ok(entries
        .iter()
        .map(|entry| Shown {
            appname: field(entry, "appname"),
            summary: field(entry, "summary"),
            body: field(entry, "body"),
        })
        .collect())
}
