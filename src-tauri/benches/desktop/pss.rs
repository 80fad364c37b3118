//! Memory as the issue counts it: the proportional set size of the app and
//! every process under it (WebKit's web and network processes), from
//! `/proc/PID/smaps_rollup`. PSS splits shared pages between the processes
//! sharing them, so the sum over the tree does not count a library twice.

use std::fs;
use std::path::Path;

use crate::support::Fail;

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

/// One process of the app's tree: its command name and PSS in KiB.
pub struct Process {
    pub name: String,
    pub pss_kib: u64,
}

/// The app's process tree as measured at one moment.
pub struct Tree(pub Vec<Process>);

impl Tree {
    /// PSS of the whole tree, in KiB.
    pub fn total_kib(&self) -> u64 {
        self.0.iter().map(|p| p.pss_kib).sum()
    }

    /// "N processes (banner 95.1 MiB, WebKitWebProces 180.2 MiB, …)".
    pub fn describe(&self) -> String {
        let each: Vec<String> = self
            .0
            .iter()
            .map(|p| format!("{} {} MiB", p.name, crate::mib(p.pss_kib)))
            .collect();
        format!("{} processes ({})", self.0.len(), each.join(", "))
    }
}

/// Each process of `root`'s tree (itself first) with its PSS.
pub fn tree(root: u32) -> Result<Tree, Fail> {
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
    let mut processes = Vec::with_capacity(tree.len());
    for pid in tree {
        let name = fs::read_to_string(format!("/proc/{pid}/comm"))
            .map(|n| n.trim().to_owned())
            .unwrap_or_default();
        processes.push(Process {
            name,
            pss_kib: pss_kib(pid)?,
        });
    }
    Ok(Tree(processes))
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

fn pss_kib(pid: u32) -> Result<u64, Fail> {
    let rollup = fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))?;
    rollup
        .lines()
        .find_map(|line| line.strip_prefix("Pss:"))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .ok_or_else(|| format!("no Pss line for pid {pid}").into())
}
