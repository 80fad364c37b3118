//! `cargo xtask`: the project's tasks, in Rust so they run wherever cargo does.
//!
//! - `test`: the README's test command — formatting, lints, every test,
//!   the widget's (`widget`) and the agent UI's (`agent_ui`) included.
//! - `demo`: the README's run command: the server with the demo floor
//!   (`--simulate`: a scripted shift through banner-core instead).
//! - `bench [--only SUITES] [--quick]`: every benchmark against its same-run
//!   baseline; prints the table and writes `<target>/bench/results.json`
//!   (`bench`; figures recorded in `docs/BENCHMARKS.md`).
//! - `crash [--cycles N] [--seed S]`: kill -9 the server under load, restart,
//!   and check that no acknowledged message was lost (`crash`).
//! - `soak [--minutes N] [--hands-off | --in-page]`: the desktop app's
//!   hour-long memory soak (`bench::soak`); hands off, the app only watches
//!   the shift; in the page, a script in the app's page does what WebDriver
//!   otherwise does.
//! - `dist [--bundles KINDS]`: the desktop app's bundles (`.deb` and `.rpm`
//!   on Linux), checked after the build (`dist`).

#![allow(clippy::print_stdout)]

mod agent_ui;
mod bench;
mod crash;
mod demo;
mod dist;
mod npm;
mod repo;
mod widget;

use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test(),
        Some("demo") => demo::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("crash") => crash::run(&args[1..]),
        Some("dist") => dist::run(&args[1..]),
        Some("soak") => bench::soak(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <test\n\
                 \x20 | demo [--listen ADDR] [--fresh] [--simulate]\n\
                 \x20 | bench [--only routing,durable,load,load-tmpfs,connections,widget,desktop] [--quick]\n\
                 \x20 | crash [--cycles N] [--seed S]\n\
                 \x20 | soak [--minutes N] [--hands-off | --in-page]\n\
                 \x20 | dist [--bundles deb,rpm]>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Formatting, lints with warnings as errors, then every test of the workspace,
/// closing with one line that totals them all.
fn test() -> Result<(), String> {
    cargo(&["fmt", "--all", "--check"])?;
    agent_ui::build_for_desktop()?;
    cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ])?;
    let mut total = Tally::default();
    let units = cargo_test(&["test", "--workspace", "--all-targets"], &mut total);
    // Doc tests are not part of --all-targets.
    let docs = units.and_then(|()| cargo_test(&["test", "--workspace", "--doc"], &mut total));
    let ui = docs.and_then(|()| widget::test(&mut total));
    // The agent UI's tests need no browser: they run even when the widget's fail.
    let agent_ui = agent_ui::test(&mut total);
    println!(
        "xtask: {} passed, {} failed, {} skipped",
        total.passed, total.failed, total.skipped
    );
    ui.and(agent_ui)
}

/// Test counts summed over every `test result:` line cargo prints.
#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
    skipped: u64,
}

impl Tally {
    /// Adds a line like `test result: ok. 5 passed; 0 failed; 1 ignored; …`.
    fn add(&mut self, line: &str) {
        let Some(rest) = line.trim().strip_prefix("test result:") else {
            return;
        };
        for part in rest.split(';') {
            let mut words = part.split_whitespace().rev();
            let (Some(label), Some(count)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(n) = count.parse::<u64>() else {
                continue;
            };
            match label {
                "passed" => self.passed += n,
                "failed" => self.failed += n,
                "ignored" => self.skipped += n,
                _ => {}
            }
        }
    }
}

/// Runs `cargo test …`, echoing its output while counting its results.
fn cargo_test(args: &[&str], total: &mut Tally) -> Result<(), String> {
    use std::io::{BufRead, BufReader};
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    println!("xtask: cargo {}", args.join(" "));
    let mut child = Command::new(&cargo)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {cargo}: {e}"))?;
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            println!("{line}");
            total.add(&line);
        }
    }
    let status = child.wait().map_err(|e| format!("cargo test: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo {}` failed ({status})", args.join(" ")))
    }
}

fn cargo(args: &[&str]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    println!("xtask: cargo {}", args.join(" "));
    let status = Command::new(&cargo)
        .args(args)
        .status()
        .map_err(|e| format!("cannot run {cargo}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo {}` failed ({status})", args.join(" ")))
    }
}

#[cfg(test)]
mod tests {
    use super::Tally;

    #[test]
    fn the_tally_sums_cargo_result_lines_and_ignores_the_rest() {
        let mut total = Tally::default();
        total.add("test result: ok. 5 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s");
        total.add("test result: FAILED. 2 passed; 3 failed; 0 ignored; 0 measured; 0 filtered out");
        total.add("running 8 tests");
        total.add("test a_test_named_test_result ... ok");
        assert_eq!((total.passed, total.failed, total.skipped), (7, 3, 1));
    }
}
