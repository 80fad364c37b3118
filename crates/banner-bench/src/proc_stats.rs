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

/// The whole machine's CPU time not spent running its programs, summed
/// over every CPU, from `/proc/stat`: a run's share of it tells a stall the
/// machine made (time stolen by the host, waits for the disk) from one the
/// server made.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MachineTimes {
    /// No CPU had work.
    pub idle: Duration,
    /// Idle while a disk request was outstanding.
    pub iowait: Duration,
    /// Taken by the hypervisor for other guests while this one had work.
    pub steal: Duration,
}

impl MachineTimes {
    /// What passed from `earlier` to `self`.
    pub fn since(&self, earlier: &MachineTimes) -> MachineTimes {
        MachineTimes {
            idle: self.idle.saturating_sub(earlier.idle),
            iowait: self.iowait.saturating_sub(earlier.iowait),
            steal: self.steal.saturating_sub(earlier.steal),
        }
    }
}

/// Reads the machine's times; `None` where `/proc/stat` is absent or not
/// as Linux writes it.
pub fn machine() -> Option<MachineTimes> {
    parse_machine(&std::fs::read_to_string("/proc/stat").ok()?)
}

/// The `cpu` line's fields are ticks: user nice system idle iowait irq
/// softirq steal (proc(5)).
fn parse_machine(stat: &str) -> Option<MachineTimes> {
    let fields: Vec<u64> = stat
        .lines()
        .find_map(|l| l.strip_prefix("cpu "))?
        .split_whitespace()
        .map(|f| f.parse().ok())
        .collect::<Option<_>>()?;
    let ticks = |i: usize| {
        fields
            .get(i)
            .map(|t| Duration::from_millis(t * (1000 / TICKS_PER_SEC as u64)))
    };
    Some(MachineTimes {
        idle: ticks(3)?,
        iowait: ticks(4)?,
        steal: ticks(7)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_machine_line_gives_idle_iowait_and_steal() {
        let stat = "cpu  10 0 5 400 7 0 1 30 0 0\ncpu0 5 0 2 200 3 0 1 15 0 0\n";
        let t = parse_machine(stat).expect("parsed");
        assert_eq!(t.idle, Duration::from_secs(4));
        assert_eq!(t.iowait, Duration::from_millis(70));
        assert_eq!(t.steal, Duration::from_millis(300));
        let later = MachineTimes {
            steal: Duration::from_millis(500),
            ..t
        };
        assert_eq!(later.since(&t).steal, Duration::from_millis(200));
        assert_eq!(t.since(&later).steal, Duration::ZERO);
        assert!(parse_machine("cpu  1 2 x 4 5 6 7 8").is_none());
        assert!(parse_machine("cpu  1 2 3").is_none());
        assert!(parse_machine("intr 5").is_none());
        assert!(machine().is_some(), "this machine has /proc/stat");
    }

    #[test]
    fn this_process_has_memory_and_a_gone_one_has_nothing() {
        let me = sample(std::process::id()).expect("our own /proc entry");
        assert!(me.rss_kib > 0 && me.peak_rss_kib >= me.rss_kib);
        assert!(sample(u32::MAX).is_none());
    }
}
