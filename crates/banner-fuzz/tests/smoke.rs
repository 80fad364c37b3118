//! The fuzz targets' smoke run, on stable: every file of `fuzz/regressions/`
//! (crashes found before, and seeds), then a bounded number of seeded
//! pseudo-random inputs and mutations of the seeds, through every target.
//! The long runs are cargo-fuzz's (`fuzz/`, nightly; counts in
//! `docs/BENCHMARKS.md`).

use std::path::PathBuf;

use banner_fuzz::TARGETS;
use rand::rngs::SmallRng;
use rand::{RngExt, SeedableRng};

/// Inputs per target beyond the regressions: enough to walk every branch of
/// the seeds' neighbourhood, few enough to run in a second or two.
const INPUTS: usize = 20_000;
const SEED: u64 = 0xBA77E7;

/// Every file of the target's `fuzz/regressions/` folder; each target has
/// one, so a folder not found fails the test rather than skipping it.
fn regressions(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    // The crate's directory as cargo gives it to this run: the one compiled
    // in names the clone the binary was built in, which a target directory
    // shared between clones can leave pointing at another clone.
    let crate_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    let dir = crate_dir.join("../../fuzz/regressions").join(target);
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}: every target has its regressions", dir.display()));
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter_map(|p| std::fs::read(&p).ok().map(|bytes| (p, bytes)))
        .collect();
    files.sort();
    files
}

/// A random input, or a mutation of a seed: bytes flipped, inserted, cut.
fn input(rng: &mut SmallRng, seeds: &[Vec<u8>]) -> Vec<u8> {
    if seeds.is_empty() || rng.random_bool(0.3) {
        let len = rng.random_range(0..256);
        return (0..len).map(|_| rng.random()).collect();
    }
    let mut bytes = seeds[rng.random_range(0..seeds.len())].clone();
    for _ in 0..rng.random_range(1..8) {
        let at = rng.random_range(0..=bytes.len());
        match rng.random_range(0..4) {
            0 if at < bytes.len() => bytes[at] = rng.random(),
            1 => bytes.insert(at, rng.random()),
            2 if at < bytes.len() => {
                bytes.truncate(at);
            }
            _ => {
                let dup = bytes[at..].to_vec();
                bytes.extend_from_slice(&dup[..dup.len().min(16)]);
            }
        }
    }
    bytes
}

#[test]
fn every_target_survives_its_regressions_and_a_seeded_smoke_run() {
    let mut rng = SmallRng::seed_from_u64(SEED);
    for target in &TARGETS {
        let files = regressions(target.name);
        for (path, bytes) in &files {
            // A panic here names the file through the default hook's output.
            eprintln!("{}: {}", target.name, path.display());
            (target.run)(bytes);
        }
        let seeds: Vec<Vec<u8>> = files.into_iter().map(|(_, b)| b).collect();
        for _ in 0..INPUTS {
            (target.run)(&input(&mut rng, &seeds));
        }
    }
}

#[test]
fn every_target_has_seeds() {
    for target in &TARGETS {
        assert!(
            !regressions(target.name).is_empty(),
            "fuzz/regressions/{} holds the target's seeds",
            target.name
        );
    }
}
