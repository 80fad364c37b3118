//! Memory as the issue counts it: the proportional set size of the app and
//! every process under it (WebKit's web and network processes), from
//! `/proc/PID/smaps_rollup`. PSS splits shared pages between the processes
//! sharing them, so the sum over the tree does not count a library twice.

use std::fs;

use crate::support::{Fail, app_tree};

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
    let mut processes = Vec::new();
    for (pid, name) in app_tree::processes(root)? {
        processes.push(Process {
            name,
            pss_kib: pss_kib(pid)?,
        });
    }
    Ok(Tree(processes))
}

fn pss_kib(pid: u32) -> Result<u64, Fail> {
    let rollup = fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))?;
    rollup
        .lines()
        .find_map(|line| line.strip_prefix("Pss:"))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .ok_or_else(|| format!("no Pss line for pid {pid}").into())
}
