//! `cargo xtask dist`: the desktop app's installable bundles, built in the
//! `desktop` cargo profile ([`PROFILE`]: release, optimised whole and for
//! size) by the Tauri CLI (`@tauri-apps/cli`, a native binary from npm, so
//! no Rust compile of the CLI) into `<target>/desktop/bundle/<kind>/`.
//!
//! Which bundles: those this host can make without downloading anything.
//! Linux makes `.deb` and `.rpm`; AppImage is left out because its bundler
//! downloads tools from the internet at build time. macOS makes the `.app`
//! and a `.dmg`; Windows an `.msi` and an NSIS installer (their toolchains
//! are fetched by the Tauri CLI on first use there).
//!
//! After the build, every `.deb` is opened with `dpkg-deb` (where present)
//! and must hold the app's binary, its desktop entry and its icon, so a
//! bundle that is there but hollow fails the command.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use crate::npm;

/// The cargo profile the app ships in; its benchmark measures the same.
pub const PROFILE: &str = "desktop";

/// The bundle kinds this host's Tauri bundler makes offline.
fn host_bundles() -> &'static str {
    if cfg!(target_os = "linux") {
        "deb,rpm"
    } else if cfg!(target_os = "macos") {
        "app,dmg"
    } else {
        "msi,nsis"
    }
}

pub fn run(args: &[String]) -> Result<(), String> {
    let bundles = match args {
        [] => host_bundles().to_owned(),
        [flag, list] if flag == "--bundles" => list.clone(),
        _ => return Err("usage: cargo xtask dist [--bundles deb,rpm]".into()),
    };
    // The bundle carries the widget's build beside the app; the agent UI is
    // rebuilt by tauri.conf.json's beforeBuildCommand.
    crate::agent_ui::build_for_desktop()?;
    let ui = npm::installed_ui()?;
    let root = ui.parent().ok_or("ui/ has no parent")?.to_owned();
    let started = SystemTime::now();
    let tauri = ui.join("node_modules").join(".bin").join("tauri");
    println!("xtask: tauri build --bundles {bundles} -- --profile {PROFILE}");
    let status = Command::new(&tauri)
        .args([
            "build",
            "--ci",
            "--bundles",
            &bundles,
            "--",
            "--profile",
            PROFILE,
        ])
        .current_dir(&root)
        .status()
        .map_err(|e| format!("cannot run {}: {e}", tauri.display()))?;
    if !status.success() {
        return Err(format!(
            "`tauri build --bundles {bundles}` failed ({status})"
        ));
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let bundle_dir = crate::demo::serve::target_dir(&cargo)?
        .join(PROFILE)
        .join("bundle");
    let made = made_since(&bundle_dir, started)?;
    if made.is_empty() {
        return Err(format!(
            "no bundle was written under {}",
            bundle_dir.display()
        ));
    }
    for path in &made {
        if path.extension().is_some_and(|e| e == "deb") {
            check_deb(path)?;
        }
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        println!("xtask: bundle {} ({:.1} MiB)", path.display(), mib(size));
    }
    Ok(())
}

/// Files (and `.app` directories) under `dir/<kind>/` written since `since`.
fn made_since(dir: &Path, since: SystemTime) -> Result<Vec<PathBuf>, String> {
    let mut made = Vec::new();
    let kinds = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for kind in kinds.flatten() {
        let Ok(entries) = std::fs::read_dir(kind.path()) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let fresh = entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t >= since);
            let bundle = path.is_file() || path.extension().is_some_and(|e| e == "app");
            if fresh && bundle {
                made.push(path);
            }
        }
    }
    made.sort();
    Ok(made)
}

/// What a package must hold, and how to recognise it among its paths.
type Check = (&'static str, fn(&str) -> bool);

/// Fails unless the package holds the binary, a desktop entry and an icon.
fn check_deb(deb: &Path) -> Result<(), String> {
    let Ok(out) = Command::new("dpkg-deb").arg("--contents").arg(deb).output() else {
        println!("xtask: dpkg-deb not found; {} not inspected", deb.display());
        return Ok(());
    };
    if !out.status.success() {
        return Err(format!("dpkg-deb cannot read {}", deb.display()));
    }
    let listing = String::from_utf8_lossy(&out.stdout);
    // Each line ends with the path, written `usr/…` or `./usr/…`.
    let paths: Vec<&str> = listing
        .lines()
        .filter_map(|line| line.split_whitespace().last())
        .map(|path| path.trim_start_matches("./"))
        .collect();
    let checks: [Check; 3] = [
        ("the app's binary (usr/bin/banner)", |p| {
            p == "usr/bin/banner"
        }),
        ("a desktop entry (usr/share/applications/*.desktop)", |p| {
            p.starts_with("usr/share/applications/") && p.ends_with(".desktop")
        }),
        ("an icon (usr/share/icons/…)", |p| {
            p.starts_with("usr/share/icons/") && p.ends_with(".png")
        }),
    ];
    for (what, found) in checks {
        if !paths.iter().any(|p| found(p)) {
            return Err(format!("{} lacks {what}", deb.display()));
        }
    }
    Ok(())
}

fn mib(bytes: u64) -> f64 {
    // Sizes of bundles fit f64 exactly.
    #[allow(clippy::cast_precision_loss)]
    let bytes = bytes as f64;
    bytes / (1024.0 * 1024.0)
}
