//! Several load runs of one side (the server, or the relay) taken as one
//! measure.
//!
//! A single run is a few seconds, and a shared 2-core machine's speed moves
//! by a third within minutes (docs/benchmarks-journal.md, the load rows: the relay
//! alone ran 19,719 to 28,470 msg/s in one round's six official runs). One server run against
//! one relay run taken a minute apart compares two moments of the machine
//! as much as the two programs. So the benchmark runs both sides in rounds,
//! alternated, and pools each side's runs: rates are messages over the sum
//! of the windows, latencies are percentiles over every sample of every
//! run, CPU is time over time. Nothing is dropped; each round's own figure
//! is kept beside the pool so that a spread is visible.

use std::collections::BTreeMap;
use std::time::Duration;

use super::LoadReport;
use crate::stats::{Summary, summarize};

/// One run, as the benchmark measured it from outside.
#[derive(Debug, Default)]
pub struct Run {
    /// What the generator measured.
    pub report: LoadReport,
    /// CPU time the serving process used over the window.
    pub cpu: Duration,
    /// The wall-clock time the CPU was sampled over.
    pub cpu_window: Duration,
    /// The serving process's peak RSS, KiB.
    pub peak_rss_kib: u64,
}

/// The runs of one side, pooled.
#[derive(Debug, Default)]
pub struct Pooled {
    delivered: u64,
    elapsed: Duration,
    cpu: Duration,
    cpu_window: Duration,
    to_agent_us: Vec<u64>,
    errors: u64,
    error_causes: BTreeMap<String, u64>,
    peak_rss_kib: u64,
    /// Each run's messages/s, in the order run.
    rates: Vec<f64>,
    /// Each run's visitor→agent p99, ms, in the order run.
    p99s: Vec<f64>,
}

impl Pooled {
    /// Adds one run.
    pub fn add(&mut self, run: Run) {
        let report = run.report;
        self.delivered += report.delivered;
        self.elapsed += report.elapsed;
        self.cpu += run.cpu;
        self.cpu_window += run.cpu_window;
        self.errors += report.errors;
        for (cause, n) in report.error_causes {
            *self.error_causes.entry(cause).or_default() += n;
        }
        self.peak_rss_kib = self.peak_rss_kib.max(run.peak_rss_kib);
        self.rates.push(report.per_sec);
        self.p99s.push(summarize(report.to_agent_us.clone()).p99_ms);
        self.to_agent_us.extend(report.to_agent_us);
    }

    /// How many runs.
    pub fn runs(&self) -> usize {
        self.rates.len()
    }

    /// Messages delivered per second over every run's window.
    pub fn per_sec(&self) -> f64 {
        per(self.delivered as f64, self.elapsed.as_secs_f64())
    }

    /// Visitor→agent latencies over every sample of every run.
    pub fn to_agent(&self) -> Summary {
        summarize(self.to_agent_us.clone())
    }

    /// CPU use over the windows, % of a core.
    pub fn cpu_percent(&self) -> f64 {
        per(
            self.cpu.as_secs_f64() * 100.0,
            self.cpu_window.as_secs_f64(),
        )
    }

    /// CPU time per message delivered, µs.
    pub fn cpu_per_message_us(&self) -> f64 {
        per(self.cpu.as_secs_f64() * 1e6, self.delivered as f64)
    }

    /// The highest peak RSS of any run, MiB.
    pub fn peak_rss_mib(&self) -> f64 {
        self.peak_rss_kib as f64 / 1024.0
    }

    /// Commands refused or never answered, over every run.
    pub fn errors(&self) -> u64 {
        self.errors
    }

    /// " (accept: not_offered ×2, …)": the errors' causes, or nothing.
    pub fn causes(&self) -> String {
        causes(self.error_causes.iter().map(|(c, n)| (c.as_str(), *n)))
    }

    /// Each run's messages/s.
    pub fn rates(&self) -> &[f64] {
        &self.rates
    }

    /// Each run's visitor→agent p99, ms.
    pub fn p99s(&self) -> &[f64] {
        &self.p99s
    }
}

/// " (accept: not_offered ×2, …)": errors counted by cause, or nothing.
pub fn causes<'a>(counted: impl IntoIterator<Item = (&'a str, u64)>) -> String {
    let each: Vec<String> = counted
        .into_iter()
        .map(|(cause, n)| format!("{cause} ×{n}"))
        .collect();
    if each.is_empty() {
        return String::new();
    }
    format!(" ({})", each.join(", "))
}

/// `a / b`, or 0 when there is nothing to divide by.
fn per(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { 0.0 }
}

/// The order of round `round`'s two sides: alternated, so that a machine
/// that speeds up or slows down through an even number of rounds favours
/// neither side.
pub fn server_first(round: usize) -> bool {
    round.is_multiple_of(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(delivered: u64, secs: u64, cpu_ms: u64, latencies: &[u64], rss: u64) -> Run {
        Run {
            report: LoadReport {
                delivered,
                elapsed: Duration::from_secs(secs),
                per_sec: delivered as f64 / secs as f64,
                to_agent_us: latencies.to_vec(),
                errors: 1,
                error_causes: vec![("accept: not_offered".into(), 1)],
                ..LoadReport::default()
            },
            cpu: Duration::from_millis(cpu_ms),
            cpu_window: Duration::from_secs(secs),
            peak_rss_kib: rss,
        }
    }

    #[test]
    fn runs_pool_by_their_sums_not_by_averaging_their_rates() {
        let mut pooled = Pooled::default();
        // 10,000 msg/s for 1 s and 2,000 msg/s for 4 s: 18,000 in 5 s.
        pooled.add(run(10_000, 1, 900, &[1_000; 100], 40_000));
        pooled.add(run(8_000, 4, 1_100, &[3_000; 100], 50_000));
        assert_eq!(pooled.runs(), 2);
        assert_eq!(pooled.per_sec(), 3_600.0);
        assert_eq!(pooled.rates(), [10_000.0, 2_000.0]);
        assert_eq!(pooled.cpu_per_message_us(), 2_000_000.0 / 18_000.0);
        assert_eq!(pooled.cpu_percent(), 40.0);
        assert_eq!(pooled.peak_rss_mib(), 50_000.0 / 1024.0);
        assert_eq!(pooled.errors(), 2);
        assert_eq!(pooled.causes(), " (accept: not_offered ×2)");
    }

    #[test]
    fn the_pooled_tail_counts_every_sample_of_every_run() {
        let mut pooled = Pooled::default();
        // One run all fast, one whose slowest 2 % make its own p99: pooled,
        // those are 1 % of the samples, the p99 is the next one down, and
        // the maximum and each run's own p99 stay in view.
        pooled.add(run(1, 1, 0, &[1_000; 200], 0));
        let mut slow = vec![2_000; 196];
        slow.extend([40_000; 4]);
        pooled.add(run(1, 1, 0, &slow, 0));
        let all = pooled.to_agent();
        assert_eq!(all.count, 400);
        assert_eq!(all.p99_ms, 2.0);
        assert_eq!(all.max_ms, 40.0);
        assert_eq!(pooled.p99s(), [1.0, 40.0]);
        // One more slow sample and the pool's p99 is a slow one.
        pooled.add(run(1, 1, 0, &[40_000], 0));
        assert_eq!(pooled.to_agent().p99_ms, 40.0);
    }

    #[test]
    fn nothing_measured_pools_to_zero_not_to_a_division_by_zero() {
        let pooled = Pooled::default();
        assert_eq!(
            (
                pooled.per_sec(),
                pooled.cpu_percent(),
                pooled.cpu_per_message_us()
            ),
            (0.0, 0.0, 0.0)
        );
        assert_eq!(pooled.causes(), "");
    }

    #[test]
    fn the_sides_take_turns_going_first() {
        let order: Vec<bool> = (0..4).map(server_first).collect();
        assert_eq!(order, [true, false, true, false]);
    }
}
