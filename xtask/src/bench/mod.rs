//! `cargo xtask bench`: every benchmark, each against a baseline measured in
//! the same run. Builds `banner-server` and `banner-bench` in release, runs
//! each suite (a failed suite becomes a "not measured" row with its error,
//! and the command fails at the end), prints the table and writes
//! `<target>/bench/results.json`: one object per figure with `name`,
//! `value`, `unit`, `baseline`, `ratio` and `note`.
//!
//! Suites (`--only a,b` runs some): `load`, `load-tmpfs` (the same with the
//! server's data on tmpfs: the server's share of the latency's tail),
//! `connections`, `durable`, `routing`, `widget`, `desktop`. `--quick`
//! makes the runs small (a smoke check of the machinery, not figures to
//! record).
//!
//! Layout: [`suites`] (what runs each suite), [`load_tmpfs`] (its suite),
//! [`table`] (the printed table and the JSON file), [`routing`]
//! (banner-core's divan benchmark, read from its output), [`desktop`] (the
//! desktop app's rows).

mod desktop;
mod load_tmpfs;
mod routing;
mod suites;
mod table;

use std::path::PathBuf;

use serde_json::Value;

pub use desktop::soak;
pub use suites::build_release;

/// Every suite, in the order they run.
const SUITES: [&str; 7] = [
    "routing",
    "durable",
    "load",
    "load-tmpfs",
    "connections",
    "widget",
    "desktop",
];

/// Runs the suites named by `args` (all by default).
pub fn run(args: &[String]) -> Result<(), String> {
    let mut only: Vec<String> = SUITES.iter().map(|s| s.to_string()).collect();
    let mut quick = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => quick = true,
            "--only" => {
                let list = args.next().ok_or("--only needs a list of suites")?;
                only = list.split(',').map(str::to_owned).collect();
                if let Some(bad) = only.iter().find(|s| !SUITES.contains(&s.as_str())) {
                    return Err(format!("no suite {bad}; suites: {}", SUITES.join(", ")));
                }
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let target = crate::demo::serve::target_dir(&cargo())?;
    let out = target.join("bench");
    let bins = build_release(&target)?;
    let mut figures: Vec<Value> = Vec::new();
    let mut failed = Vec::new();
    for suite in SUITES.iter().filter(|s| only.iter().any(|o| o == *s)) {
        println!("xtask: bench {suite}");
        match suites::run(suite, &bins, &out, quick) {
            Ok(mut got) => figures.append(&mut got),
            Err(e) => {
                eprintln!("xtask: bench {suite} failed: {e}");
                figures.push(table::not_measured(suite, &format!("failed: {e}")));
                failed.push(*suite);
            }
        }
    }
    table::print(&figures);
    let path = out.join("results.json");
    table::write(&path, &figures)?;
    println!("xtask: wrote {}", path.display());
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("benchmarks failed: {}", failed.join(", ")))
    }
}

/// The release binaries the suites run.
pub struct Bins {
    /// `banner-server`.
    pub server: PathBuf,
    /// `banner-bench`.
    pub bench: PathBuf,
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}
