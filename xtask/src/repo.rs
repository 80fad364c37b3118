//! Where the repository is, for the tasks that read or build its files.
//!
//! The path is asked of cargo when the task runs (`cargo xtask` is
//! `cargo run`, which gives the process `CARGO_MANIFEST_DIR`), and the path
//! compiled in is only the fallback: cargo does not rebuild a binary whose
//! sources are unchanged when one target directory serves clones at two
//! paths (CI keeps its cache outside the clone), so the compiled-in path can
//! name another clone, or one that is gone.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The repository's root (xtask's parent).
pub fn root() -> PathBuf {
    root_from(std::env::var_os("CARGO_MANIFEST_DIR"))
}

/// The root, from xtask's directory as cargo gave it to this run, if it did.
fn root_from(at_run: Option<OsString>) -> PathBuf {
    let xtask = at_run.map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    xtask
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clone_cargo_runs_in_wins_over_the_one_compiled_in() {
        let elsewhere = OsString::from("/srv/another-clone/xtask");
        assert_eq!(root_from(Some(elsewhere)), Path::new("/srv/another-clone"));
        let compiled = Path::new(env!("CARGO_MANIFEST_DIR"));
        assert_eq!(root_from(None), compiled.parent().unwrap());
    }
}
