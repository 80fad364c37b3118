//! `cargo xtask`: the project's tasks, in Rust so they run wherever cargo does.
//!
//! - `test`: the README's test command — formatting, lints, every test.
//! - `demo`: the README's run command.
//! - `bench`: the benchmarks, printing their figures.

#![allow(clippy::print_stdout)]

mod demo;

use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test(),
        Some("demo") => demo::run(),
        Some("bench") => bench(),
        _ => {
            eprintln!("usage: cargo xtask <test|demo|bench>");
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

/// Formatting, lints with warnings as errors, then every test of the workspace.
fn test() -> Result<(), String> {
    cargo(&["fmt", "--all", "--check"])?;
    cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ])?;
    cargo(&["test", "--workspace", "--all-targets"])?;
    // Doc tests are not part of --all-targets.
    cargo(&["test", "--workspace", "--doc"])
}

/// Every benchmark, built in release mode.
fn bench() -> Result<(), String> {
    cargo(&["bench", "--package", "banner-core", "--bench", "routing"])
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
