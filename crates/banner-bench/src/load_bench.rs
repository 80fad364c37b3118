//! `banner-bench load`: the generator against the real server and against
//! the bare relay, in alternated rounds, each side's runs pooled
//! (`banner_bench::load::pooled`), then the load figures.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command as Process, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use banner_bench::figure::Figure;
use banner_bench::load::pooled::{self, Pooled, Run, server_first};
use banner_bench::load::{self, LoadOptions};
use banner_bench::proc_stats;
use banner_bench::server::ServerProcess;

use crate::cmd::emit;

/// Who takes part in a load run, and how often it runs.
pub(crate) struct Shape {
    pub visitors: usize,
    pub agents: usize,
    pub messages: usize,
    pub subscribe_pool: bool,
    /// Rounds of the four runs (server and relay, closed and open loop).
    pub rounds: usize,
}

/// One run against `base`, sampling `pid`'s CPU over the window.
async fn measured(base: &str, pid: u32, options: &LoadOptions) -> anyhow::Result<Run> {
    let mut samples = Vec::new();
    let report = load::run(base, options, || {
        samples.push((Instant::now(), proc_stats::sample(pid).unwrap_or_default()))
    })
    .await?;
    let after = proc_stats::sample(pid).unwrap_or_default();
    let (cpu, cpu_window) = match samples.as_slice() {
        [(from, before), (to, end), ..] => (end.cpu.saturating_sub(before.cpu), *to - *from),
        _ => (Duration::ZERO, Duration::ZERO),
    };
    Ok(Run {
        report,
        cpu,
        cpu_window,
        peak_rss_kib: after.peak_rss_kib,
    })
}

/// Each side's pooled runs of one loop.
#[derive(Default)]
struct Sides {
    server: Pooled,
    relay: Pooled,
}

pub(crate) async fn load_bench(
    server_bin: &Path,
    dir: &Path,
    shape: Shape,
    rate: u64,
    latencies: Option<&Path>,
) -> anyhow::Result<()> {
    let Shape {
        visitors,
        agents,
        messages,
        subscribe_pool,
        rounds,
    } = shape;
    if rounds == 0 {
        bail!("--rounds must be at least 1");
    }
    let _ = std::fs::remove_dir_all(dir);
    let capacity = visitors.div_ceil(agents.max(1)) + 1;
    let closed = LoadOptions {
        visitors,
        agents,
        messages,
        interval: None,
        deadline: Duration::from_secs(120),
        subscribe_pool,
    };
    // `rate` counts both ways: each visitor message gets an answer.
    let per_visitor = (rate as f64 / 2.0 / visitors as f64).max(0.1);
    let open = LoadOptions {
        interval: Some(Duration::from_secs_f64(1.0 / per_visitor)),
        ..closed.clone()
    };
    let (mut closed_sides, mut open_sides) = (Sides::default(), Sides::default());
    for round in 0..rounds {
        for (name, opts, sides) in [
            ("closed", &closed, &mut closed_sides),
            ("open", &open, &mut open_sides),
        ] {
            let order = if server_first(round) {
                [true, false]
            } else {
                [false, true]
            };
            for on_server in order {
                let machine_before = proc_stats::machine();
                let run = if on_server {
                    // A fresh data dir each run: every round starts alike.
                    let data = dir.join(format!("server-{name}-{round}"));
                    let server = ServerProcess::start(server_bin, &data, agents, capacity)?;
                    let run = measured(&server.base(), server.pid(), opts).await?;
                    drop(server);
                    let _ = std::fs::remove_dir_all(&data);
                    if name == "open"
                        && let Some(path) = latencies
                    {
                        let path = crate::latencies::round_path(path, round);
                        crate::latencies::write(&path, &run.report)?;
                    }
                    run
                } else {
                    let (mut relay, base) = start_relay()?;
                    let run = measured(&base, relay.id(), opts).await;
                    let _ = relay.kill();
                    let _ = relay.wait();
                    run?
                };
                let machine = match (proc_stats::machine(), machine_before) {
                    (Some(after), Some(before)) => {
                        let t = after.since(&before);
                        format!(
                            "; machine idle {} ms, iowait {} ms, stolen {} ms",
                            t.idle.as_millis(),
                            t.iowait.as_millis(),
                            t.steal.as_millis()
                        )
                    }
                    _ => String::new(),
                };
                println!(
                    "load: round {}/{rounds}, {}, {name} loop: {:.0} msg/s, p99 {:.2} ms, {} errors{}{machine}",
                    round + 1,
                    if on_server { "server" } else { "relay" },
                    run.report.per_sec,
                    banner_bench::stats::summarize(run.report.to_agent_us.clone()).p99_ms,
                    run.report.errors,
                    pooled::causes(
                        run.report
                            .error_causes
                            .iter()
                            .map(|(c, n)| (c.as_str(), *n))
                    )
                );
                let side = if on_server {
                    &mut sides.server
                } else {
                    &mut sides.relay
                };
                side.add(run);
            }
        }
    }
    let follow = if subscribe_pool {
        ", the agents following their pool"
    } else {
        ""
    };
    let shape = format!("{visitors} visitors, {agents} agents{follow}, {messages} messages each");
    figures(&closed_sides, &open_sides, rate, &shape);
    Ok(())
}

/// The load figures from the pooled runs.
fn figures(closed: &Sides, open: &Sides, rate: u64, shape: &str) {
    let rounds = closed.server.runs();
    let pooled = if rounds > 1 {
        format!("{rounds} alternated rounds pooled")
    } else {
        "one round".to_owned()
    };
    emit(
        Figure::new("load.messages_per_sec", closed.server.per_sec(), "msg/s")
            .baseline(closed.relay.per_sec())
            .note(format!(
                "closed loop, both ways; baseline: bare relay; {shape}; {pooled} (each round's ratio: {}); target ratio >= 0.5",
                each_ratio(closed.server.rates(), closed.relay.rates())
            )),
    );
    let s = open.server.to_agent();
    let r = open.relay.to_agent();
    let offered = format!(
        "open loop at {rate:.0} msg/s offered ({:.0} achieved); {pooled}",
        open.server.per_sec()
    );
    emit(
        Figure::new("load.visitor_to_agent_p50", s.p50_ms, "ms")
            .baseline(r.p50_ms)
            .note(offered.clone()),
    );
    emit(
        Figure::new("load.visitor_to_agent_p99", s.p99_ms, "ms")
            .baseline(r.p99_ms)
            .note(format!(
                "{offered}, p99 over all {} samples (each round's: {} ms); target <= 10 ms",
                s.count,
                listed(open.server.p99s(), 2)
            )),
    );
    emit(
        Figure::new("load.visitor_to_agent_max", s.max_ms, "ms")
            .baseline(r.max_ms)
            .note(format!("{offered}; the slowest of every run's samples")),
    );
    emit(
        Figure::new(
            "load.visitor_to_agent_p99_saturated",
            closed.server.to_agent().p99_ms,
            "ms",
        )
        .baseline(closed.relay.to_agent().p99_ms)
        .note(format!("closed loop (as fast as it goes); {pooled}")),
    );
    emit(
        Figure::new(
            "load.server_cpu",
            closed.server.cpu_percent(),
            "% of a core",
        )
        .baseline(closed.relay.cpu_percent())
        .note("during the closed loop; baseline: the relay's"),
    );
    emit(
        Figure::new(
            "load.server_cpu_per_message",
            closed.server.cpu_per_message_us(),
            "µs",
        )
        .baseline(closed.relay.cpu_per_message_us())
        .note(format!(
            "CPU time per message delivered, closed loop; baseline: the relay's; {pooled}"
        )),
    );
    emit(
        Figure::new("load.server_peak_rss", closed.server.peak_rss_mib(), "MiB")
            .baseline(closed.relay.peak_rss_mib())
            .note(format!(
                "peak RSS over the closed loop, the highest of its runs'; baseline: the relay's; {pooled}"
            )),
    );
    let errors = closed.server.errors() + open.server.errors();
    emit(
        Figure::new("load.errors", errors as f64, "commands").note(format!(
            "refused or lost commands, summed over the server's {} runs{}{}",
            closed.server.runs() + open.server.runs(),
            closed.server.causes(),
            open.server.causes()
        )),
    );
}

/// "0.52, 0.61, …": each round's server rate over its relay's.
fn each_ratio(server: &[f64], relay: &[f64]) -> String {
    let ratios: Vec<f64> = server
        .iter()
        .zip(relay)
        .map(|(s, r)| if *r > 0.0 { s / r } else { 0.0 })
        .collect();
    listed(&ratios, 2)
}

fn listed(values: &[f64], decimals: usize) -> String {
    values
        .iter()
        .map(|v| format!("{v:.decimals$}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Starts this binary's relay; returns it with its base URL.
fn start_relay() -> anyhow::Result<(Child, String)> {
    let mut child = Process::new(std::env::current_exe()?)
        .args(["relay", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()?;
    let stdout = child.stdout.take().context("relay stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let Some(Ok(line)) = lines.next() else {
        bail!("the relay did not start");
    };
    let base = line.rsplit(' ').next().unwrap_or_default().to_owned();
    std::thread::spawn(move || lines.for_each(drop));
    Ok((child, base))
}
