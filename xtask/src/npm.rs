//! Running npm in `ui/` for `cargo xtask test`: plain scripts, and test
//! scripts whose summary lines are counted into the closing total by a parser
//! of the runner's own format (`widget`: node's test runner; `agent_ui`:
//! vitest).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::Tally;

/// The npm project, `ui/` beside `xtask/`.
pub fn ui_dir() -> PathBuf {
    crate::repo::root().join("ui")
}

/// `ui/`, once `npm ci` has filled its `node_modules`.
pub fn installed_ui() -> Result<PathBuf, String> {
    let ui = ui_dir();
    if ui.join("node_modules").is_dir() {
        Ok(ui)
    } else {
        Err("ui/node_modules is missing: run ./scripts/bootstrap.sh first".into())
    }
}

/// Runs `npm ARGS` in `dir`, its output passed through.
pub fn run(dir: &Path, args: &[&str]) -> Result<(), String> {
    println!("xtask: npm {} (in ui/)", args.join(" "));
    let status = Command::new("npm")
        .args(args)
        .current_dir(dir)
        .status()
        .map_err(|e| format!("cannot run npm: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`npm {}` in ui/ failed ({status})", args.join(" ")))
    }
}

/// Runs the test script `npm ARGS` in `dir`, printing its output and handing
/// every line to `count`. `NO_COLOR` keeps summary lines free of colour codes.
pub fn run_counted(
    dir: &Path,
    args: &[&str],
    total: &mut Tally,
    count: fn(&mut Tally, &str),
) -> Result<(), String> {
    let what = format!("npm {}", args.join(" "));
    println!("xtask: {what} (in ui/)");
    let mut child = Command::new("npm")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run npm: {e}"))?;
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            println!("{line}");
            count(total, &line);
        }
    }
    let status = child.wait().map_err(|e| format!("{what}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{what}` in ui/ failed ({status})"))
    }
}

/// Runs `steps`; a failure that no test count shows (a build, the linter)
/// counts as one failed test, so the total shows it.
pub fn counted_steps(
    total: &mut Tally,
    steps: impl FnOnce(&mut Tally) -> Result<(), String>,
) -> Result<(), String> {
    let before = total.failed;
    let result = steps(total);
    if result.is_err() && total.failed == before {
        total.failed += 1;
    }
    result
}
