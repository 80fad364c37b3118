//! The built widget's sizes: every `.js`, `.css` and `.html` file under
//! `ui/dist/widget`, raw and gzipped (`gzip -9`, Debian's, as a server
//! would send it).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::Context;

/// One built file.
#[derive(Clone, Debug)]
pub struct Built {
    /// Relative to the widget's directory.
    pub name: String,
    /// Bytes on disk.
    pub raw: usize,
    /// Bytes gzipped.
    pub gzipped: usize,
}

/// Every file of the built widget at `dir`, by name.
pub fn sizes(dir: &Path) -> anyhow::Result<Vec<Built>> {
    let mut files = Vec::new();
    walk(dir, &mut files)?;
    files.sort();
    let mut built = Vec::new();
    for path in files {
        let bytes = std::fs::read(&path)?;
        built.push(Built {
            name: path.strip_prefix(dir)?.display().to_string(),
            raw: bytes.len(),
            gzipped: gzipped_len(&bytes)?,
        });
    }
    Ok(built)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("js" | "css" | "html")
        ) {
            out.push(path);
        }
    }
    Ok(())
}

/// The length of `bytes` through `gzip -9 -n`.
fn gzipped_len(bytes: &[u8]) -> anyhow::Result<usize> {
    let mut gzip = Command::new("gzip")
        .args(["-9", "-n", "-c"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .context("cannot run gzip")?;
    let mut stdin = gzip.stdin.take().context("gzip's stdin")?;
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = gzip.wait_with_output()?;
    writer
        .join()
        .map_err(|_| anyhow::anyhow!("gzip writer panicked"))??;
    anyhow::ensure!(out.status.success(), "gzip failed");
    Ok(out.stdout.len())
}
