//! The browser part of `cargo xtask test`, in `ui/`: the type check and the
//! linter, then node's test runner (budgets and browser tests, which load the
//! widget's and the agents' web app's builds from the server; `test` built
//! both first, see `agent_ui::build_for_desktop`),
//! whose counts join the closing total. A step that fails before the tests
//! run counts as one failed test, so the total shows it.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::Tally;

pub fn test(total: &mut Tally) -> Result<(), String> {
    let before = total.failed;
    let result = steps(total);
    if result.is_err() && total.failed == before {
        total.failed += 1;
    }
    result
}

fn steps(total: &mut Tally) -> Result<(), String> {
    let ui = ui_dir();
    if !ui.join("node_modules").is_dir() {
        return Err("ui/node_modules is missing: run ./scripts/bootstrap.sh first".into());
    }
    for script in ["typecheck", "lint"] {
        npm(&ui, &["run", "--silent", script])?;
    }
    println!("xtask: npm test (in ui/)");
    let mut child = Command::new("npm")
        .args(["test", "--silent"])
        .current_dir(&ui)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run npm: {e}"))?;
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            println!("{line}");
            add_node_line(total, &line);
        }
    }
    let status = child.wait().map_err(|e| format!("npm test: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`npm test` in ui/ failed ({status})"))
    }
}

/// Adds a summary line of node's spec reporter: `ℹ pass 19`, `ℹ fail 0`,
/// `ℹ skipped 2`, `ℹ cancelled 0`, `ℹ todo 0`.
fn add_node_line(total: &mut Tally, line: &str) {
    let Some(rest) = line.trim().strip_prefix('ℹ') else {
        return;
    };
    let mut words = rest.split_whitespace();
    let (Some(label), Some(count), None) = (words.next(), words.next(), words.next()) else {
        return;
    };
    let Ok(n) = count.parse::<u64>() else {
        return;
    };
    match label {
        "pass" => total.passed += n,
        "fail" | "cancelled" => total.failed += n,
        "skipped" | "todo" => total.skipped += n,
        _ => {}
    }
}

pub(crate) fn ui_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or(Path::new("."))
        .join("ui")
}

pub(crate) fn npm(dir: &Path, args: &[&str]) -> Result<(), String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_summary_lines_are_counted_and_other_lines_are_not() {
        let mut total = Tally::default();
        for line in [
            "ℹ tests 21",
            "ℹ pass 18",
            "ℹ fail 1",
            "ℹ cancelled 1",
            "ℹ skipped 2",
            "ℹ todo 0",
            "ℹ widget.js 1898 B gzipped (limit 3072)",
            "ℹ pass rate 3",
            "✔ pass 4 (2.1ms)",
        ] {
            add_node_line(&mut total, line);
        }
        assert_eq!((total.passed, total.failed, total.skipped), (18, 2, 2));
    }
}
