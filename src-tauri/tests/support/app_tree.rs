//! The app's processes, read from `/proc`: the app found by its executable,
//! and every process under it (WebKit's web and network processes). The
//! end-to-end test counts the web processes; the desktop benchmark sums
//! their memory.

use std::fs;
use std::path::Path;

use super::Fail;

/// The pid of the running process whose executable is `binary`.
pub fn find_app(binary: &Path) -> Result<u32, Fail> {
    let binary = fs::canonicalize(binary)?;
    for pid in pids()? {
        let exe = fs::read_link(format!("/proc/{pid}/exe"));
        if exe.is_ok_and(|exe| exe == binary) {
            return Ok(pid);
        }
    }
    Err(format!("no running {}", binary.display()).into())
}

/// `root` and every process under it, `root` first, each with its command
/// name (`comm`: at most 15 bytes, so WebKit's web process is
/// `WebKitWebProces`).
pub fn processes(root: u32) -> Result<Vec<(u32, String)>, Fail> {
    let mut tree = vec![root];
    let parents: Vec<(u32, u32)> = pids()?
        .into_iter()
        .filter_map(|pid| parent(pid).map(|ppid| (pid, ppid)))
        .collect();
    let mut i = 0;
    while i < tree.len() {
        let node = tree[i];
        tree.extend(
            parents
                .iter()
                .filter(|(_, ppid)| *ppid == node)
                .map(|(p, _)| *p),
        );
        i += 1;
    }
    Ok(tree
        .into_iter()
        .map(|pid| {
            let name = fs::read_to_string(format!("/proc/{pid}/comm"))
                .map(|n| n.trim().to_owned())
                .unwrap_or_default();
            (pid, name)
        })
        .collect())
}

/// How many WebKit web processes run under `root`.
pub fn web_processes(root: u32) -> Result<usize, Fail> {
    Ok(processes(root)?
        .iter()
        .filter(|(_, name)| name.starts_with("WebKitWebProc"))
        .count())
}

/// The value of `name` in the environment of each WebKit web process under
/// `root` (`None` where a process does not have it).
pub fn web_process_environment(root: u32, name: &str) -> Result<Vec<Option<String>>, Fail> {
    let prefix = format!("{name}=");
    processes(root)?
        .iter()
        .filter(|(_, comm)| comm.starts_with("WebKitWebProc"))
        .map(|(pid, _)| {
            let environ = fs::read(format!("/proc/{pid}/environ"))?;
            Ok(environ
                .split(|&b| b == 0)
                .filter_map(|entry| std::str::from_utf8(entry).ok())
                .find_map(|entry| entry.strip_prefix(&prefix).map(str::to_owned)))
        })
        .collect()
}

fn pids() -> Result<Vec<u32>, Fail> {
    Ok(fs::read_dir("/proc")?
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .collect())
}

/// The parent pid: the field after the `)` that closes the command name
/// (which may itself hold spaces or parentheses).
fn parent(pid: u32) -> Option<u32> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().nth(1)?.parse().ok()
}
