//! A process's CPU time and memory, read from `/proc` (Linux).

use std::time::Duration;

/// Clock ticks per second of `/proc/PID/stat` (`USER_HZ`, 100 on Linux).
const TICKS_PER_SEC: f64 = 100.0;

/// One reading.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sample {
    /// User + system CPU time so far.
    pub cpu: Duration,
    /// Resident set size now, KiB.
    pub rss_kib: u64,
    /// Peak resident set size, KiB.
    pub peak_rss_kib: u64,
}

/// Reads process `pid`; `None` if it is gone.
pub fn sample(pid: u32) -> Option<Sample> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces): state is 3rd,
    // utime 14th, stime 15th.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kib = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
            .unwrap_or(0)
    };
    Some(Sample {
        cpu: Duration::from_secs_f64(ticks as f64 / TICKS_PER_SEC),
        rss_kib: kib("VmRSS:"),
        peak_rss_kib: kib("VmHWM:"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_has_memory_and_a_gone_one_has_nothing() {
        let me = sample(std::process::id()).expect("our own /proc entry");
        assert!(me.rss_kib > 0 && me.peak_rss_kib >= me.rss_kib);
        assert!(sample(u32::MAX).is_none());
    }
}
