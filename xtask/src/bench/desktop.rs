//! The desktop app's figures, from its own benchmark
//! (`src-tauri/benches/desktop/`): cold start to the first painted pool, and
//! PSS of the app and its WebKit processes with 10 open chats holding 5,000
//! messages, each against a baseline from the same run. The hour-long soak
//! is a separate command, [`soak`] (`cargo xtask soak [--minutes N]
//! [--hands-off]`).
//!
//! The benchmark is run with `cargo bench` in the `desktop` profile (the
//! one the .deb is built with, see the workspace's Cargo.toml), after the UI
//! build the app embeds; it writes its rows as JSON, in the shape of
//! `results.json`, to a file named here.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use super::{cargo, table};

/// Cold start and memory: the rows, and a row pointing at the soak.
pub fn figures(out: &Path) -> Result<Vec<Value>, String> {
    let mut rows = run(out, "desktop.json", &[])?;
    rows.push(table::row(
        "desktop.pss_after_soak",
        None,
        "MiB",
        None,
        "measured by `cargo xtask soak` (an hour): see docs/BENCHMARKS.md",
    ));
    Ok(rows)
}

/// `cargo xtask soak [--minutes N] [--hands-off | --in-page]`: an hour by
/// default; hands off, the app only watches the shift; in the page, a script
/// in the app's page does WebDriver's part (see the bench's `soak.rs`).
pub fn soak(args: &[String]) -> Result<(), String> {
    const USAGE: &str = "usage: cargo xtask soak [--minutes N] [--hands-off | --in-page]";
    let mut minutes = 60u64;
    // The benchmark's flag for who does the app's part, if not WebDriver.
    let mut drive: Option<&str> = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--minutes" => {
                let n = rest.next().ok_or(USAGE)?;
                minutes = n.parse().map_err(|_| "--minutes needs a number")?;
            }
            "--hands-off" | "--in-page" if drive.is_some() => {
                return Err("--hands-off and --in-page are two kinds of soak: give one".into());
            }
            "--hands-off" => drive = Some("--soak-hands-off"),
            "--in-page" => drive = Some("--soak-in-page"),
            _ => return Err(USAGE.into()),
        }
    }
    let target = crate::demo::serve::target_dir(&cargo())?;
    let out = target.join("bench");
    let minutes = minutes.to_string();
    let mut extra = vec!["--soak-minutes", minutes.as_str()];
    extra.extend(drive);
    // Each kind keeps its own file: they are compared.
    let file = match drive {
        Some("--soak-hands-off") => "soak_hands_off.json",
        Some(_) => "soak_in_page.json",
        None => "soak.json",
    };
    let rows = run(&out, file, &extra)?;
    table::print(&rows);
    let path = out.join(file);
    println!("xtask: wrote {}", path.display());
    Ok(())
}

/// Runs the benchmark with `extra` arguments; its rows, read from `out/file`.
fn run(out: &Path, file: &str, extra: &[&str]) -> Result<Vec<Value>, String> {
    crate::agent_ui::build_for_desktop()?;
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let path = out.join(file);
    let _ = std::fs::remove_file(&path);
    let mut args = vec![
        "bench",
        "--profile",
        crate::dist::PROFILE,
        "-p",
        "banner-desktop",
        "--bench",
        "desktop",
        "--",
    ];
    let path_text = path.to_string_lossy().into_owned();
    args.extend(["--out", &path_text]);
    args.extend(extra);
    println!("xtask: cargo {}", args.join(" "));
    let status = Command::new(cargo())
        .args(&args)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("the desktop benchmark failed ({status})"));
    }
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let rows: Vec<Value> =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(rows)
}
