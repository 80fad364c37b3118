//! `cargo xtask crash [--cycles N] [--seed S]`: the crash proof. Builds the
//! server and `banner-bench` in release, then runs `banner-bench crash`: the
//! server under load, killed with SIGKILL at random moments (seeded; the seed
//! is printed), restarted on the same data dir, and checked after every cycle
//! against the clients' acknowledged messages. Fails on any loss.

use std::process::Command;

pub fn run(args: &[String]) -> Result<(), String> {
    let mut cycles = "50".to_owned();
    let mut seed = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().cloned().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--cycles" => cycles = value()?,
            "--seed" => seed = Some(value()?),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = crate::demo::serve::target_dir(&cargo)?;
    let bins = crate::bench::build_release(&target)?;
    let dir = target.join("bench").join("crash");
    let mut command = Command::new(&bins.bench);
    command
        .args(["crash", "--server"])
        .arg(&bins.server)
        .arg("--dir")
        .arg(&dir)
        .args(["--cycles", &cycles]);
    if let Some(seed) = seed {
        command.args(["--seed", &seed]);
    }
    let status = command
        .status()
        .map_err(|e| format!("cannot run {}: {e}", bins.bench.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the crash proof failed ({status})"))
    }
}
