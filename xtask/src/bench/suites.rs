//! Running each suite: `banner-bench` subcommands (their `FIGURE` lines are
//! the figures), banner-core's routing benchmark, and the desktop rows.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

use super::{Bins, cargo, desktop, load_tmpfs, routing};
use crate::repo::root;

/// Builds `banner-server` and `banner-bench` in release.
pub fn build_release(target: &Path) -> Result<Bins, String> {
    let args = [
        "build",
        "--release",
        "-p",
        "banner-server",
        "-p",
        "banner-bench",
    ];
    println!("xtask: cargo {}", args.join(" "));
    let status = Command::new(cargo())
        .args(args)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("`cargo {}` failed ({status})", args.join(" ")));
    }
    let bin = |name: &str| {
        target
            .join("release")
            .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
    };
    Ok(Bins {
        server: bin("banner-server"),
        bench: bin("banner-bench"),
    })
}

/// One suite's figures.
pub fn run(suite: &str, bins: &Bins, out: &Path, quick: bool) -> Result<Vec<Value>, String> {
    let scratch = out.join("scratch").join(suite);
    let server = bins.server.display().to_string();
    let dir = scratch.display().to_string();
    match suite {
        "load" => bench(bins, &load_args(&server, &dir, quick, 4)),
        "load-tmpfs" => load_tmpfs::figures(bins, quick),
        "connections" => {
            let count = if quick { "500" } else { "18000" };
            bench(
                bins,
                &[
                    "connections",
                    "--server",
                    &server,
                    "--dir",
                    &dir,
                    "--count",
                    count,
                ],
            )
        }
        "durable" => {
            let (messages, single, sync_seconds) = if quick {
                ("5000", "200", "1")
            } else {
                ("100000", "2000", "20")
            };
            bench(
                bins,
                &[
                    "durable",
                    "--dir",
                    &dir,
                    "--messages",
                    messages,
                    "--single",
                    single,
                    "--sync-seconds",
                    sync_seconds,
                ],
            )
        }
        "widget" => {
            let widget = root().join("ui").join("dist").join("widget");
            if !widget.join("widget.js").is_file() {
                build_widget()?;
            }
            bench(bins, &["widget", "--dir", &widget.display().to_string()])
        }
        "routing" => routing::run(),
        "desktop" => desktop::figures(out),
        other => Err(format!("no suite {other}")),
    }
}

/// `banner-bench load`'s arguments: the full run, or a small one (`quick`);
/// `rounds` of the four runs (two when quick: the sides' turns and the
/// pooling still run).
pub(super) fn load_args(server: &str, dir: &str, quick: bool, rounds: usize) -> Vec<String> {
    let mut args: Vec<String> = ["load", "--server", server, "--dir", dir]
        .map(str::to_owned)
        .to_vec();
    let rounds = if quick { 2 } else { rounds };
    if quick {
        args.extend(
            [
                "--visitors",
                "20",
                "--agents",
                "4",
                "--messages",
                "20",
                "--rate",
                "500",
            ]
            .map(str::to_owned),
        );
    }
    args.extend(["--rounds".to_owned(), rounds.to_string()]);
    args
}

/// Runs `banner-bench args…`, echoing its output; returns its figures.
pub(super) fn bench<S: AsRef<str>>(bins: &Bins, args: &[S]) -> Result<Vec<Value>, String> {
    let args: Vec<&str> = args.iter().map(AsRef::as_ref).collect();
    println!("xtask: banner-bench {}", args.join(" "));
    let mut child = Command::new(&bins.bench)
        .args(&args)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", bins.bench.display()))?;
    let mut figures = Vec::new();
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            match line.strip_prefix("FIGURE ") {
                Some(json) => match serde_json::from_str(json) {
                    Ok(figure) => figures.push(figure),
                    Err(e) => return Err(format!("unreadable figure {json}: {e}")),
                },
                None => println!("{line}"),
            }
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if status.success() {
        Ok(figures)
    } else {
        Err(format!("banner-bench {} failed ({status})", args[0]))
    }
}

/// `npm run build` in `ui/` (the widget into `ui/dist/widget`).
fn build_widget() -> Result<(), String> {
    let ui = root().join("ui");
    if !ui.join("node_modules").is_dir() {
        return Err("ui/node_modules is missing: run ./scripts/bootstrap.sh first".into());
    }
    println!("xtask: npm run build (in ui/)");
    let status = Command::new("npm")
        .args(["run", "--silent", "build"])
        .current_dir(&ui)
        .status()
        .map_err(|e| format!("cannot run npm: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`npm run build` failed ({status})"))
    }
}
