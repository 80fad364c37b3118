//! What each subcommand does: start the processes, run the library's
//! measure, print the figures.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command as Process, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use banner_bench::figure::Figure;
use banner_bench::load::{LoadOptions, LoadReport};
use banner_bench::proc_stats::{self, Sample};
use banner_bench::server::ServerProcess;
use banner_bench::stats::summarize;
use banner_bench::{crash, durable, hold, load, relay, widget};

use crate::Command;

pub async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Load {
            server,
            dir,
            visitors,
            agents,
            messages,
            rate,
            subscribe_pool,
            latencies,
        } => {
            let shape = Shape {
                visitors,
                agents,
                messages,
                subscribe_pool,
            };
            load_bench(&server, &dir, shape, rate, latencies.as_deref()).await
        }
        Command::Relay { listen } => {
            let listener = tokio::net::TcpListener::bind(listen).await?;
            println!("relay listening on http://{}", listener.local_addr()?);
            relay::serve(listener).await
        }
        Command::Connections {
            server,
            dir,
            count,
            holders,
        } => connections(&server, &dir, count, holders).await,
        Command::Hold {
            server,
            source,
            count,
        } => {
            let open = hold::hold(server, source, count).await?;
            println!("READY {open}");
            // Hold until the parent closes our stdin.
            tokio::task::spawn_blocking(|| {
                let mut sink = String::new();
                while std::io::stdin()
                    .read_line(&mut sink)
                    .map(|n| n > 0)
                    .unwrap_or(false)
                {}
            })
            .await?;
            Ok(())
        }
        Command::Durable {
            dir,
            messages,
            single,
        } => {
            let _ = std::fs::remove_dir_all(&dir);
            let r = durable::run(&dir, messages, single).await?;
            let note = format!("synchronous=FULL, {} per transaction", durable::GROUP);
            emit(
                Figure::new("durable.group_commit", r.group_commit, "msg/s")
                    .baseline(r.raw_batched)
                    .note(format!(
                        "baseline: raw batched rusqlite inserts; {note}; target >= 20000"
                    )),
            );
            emit(
                Figure::new("durable.group_commit_vs_single", r.group_commit, "msg/s")
                    .baseline(r.one_per_commit)
                    .note("baseline: one commit per message (raw rusqlite)"),
            );
            emit(Figure::new("durable.raw_batched", r.raw_batched, "msg/s"));
            emit(Figure::new(
                "durable.one_per_commit",
                r.one_per_commit,
                "msg/s",
            ));
            Ok(())
        }
        Command::Widget { dir } => {
            let built = widget::sizes(&dir)?;
            if built.is_empty() {
                bail!("no built widget in {}", dir.display());
            }
            for b in built {
                emit(
                    Figure::new(
                        &format!("widget.{}", b.name),
                        b.gzipped as f64 / 1024.0,
                        "KiB gz",
                    )
                    .baseline(b.raw as f64 / 1024.0)
                    .note("baseline: the same file uncompressed"),
                );
            }
            Ok(())
        }
        Command::Crash {
            server,
            dir,
            cycles,
            seed,
        } => {
            let seed = seed.unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos() as u64)
                    .unwrap_or(1)
            });
            println!("crash: {cycles} cycles, seed {seed} (repeat with --seed {seed})");
            let _ = std::fs::remove_dir_all(&dir);
            let options = crash::CrashOptions {
                server,
                dir,
                cycles,
                seed,
            };
            let report = crash::run(&options, |cycle, r| {
                println!(
                    "crash: cycle {cycle}: {} acked, {} lost, {} reads acked, {} lost, {} duplicated, {} gaps, {} with two agents, {} queue places lost",
                    r.acked,
                    r.lost,
                    r.reads_acked,
                    r.reads_lost,
                    r.duplicated,
                    r.gaps,
                    r.two_agents,
                    r.queue_positions_lost
                );
            })
            .await?;
            println!(
                "crash: {} cycles, {} messages acknowledged: {} lost; {} reads acknowledged: {} lost; {} duplicated, {} conversations with a seq gap, {} chats active for two agents, {} of {} queue places lost",
                report.cycles,
                report.acked,
                report.lost,
                report.reads_acked,
                report.reads_lost,
                report.duplicated,
                report.gaps,
                report.two_agents,
                report.queue_positions_lost,
                report.queued_checked
            );
            if !report.clean() {
                bail!("the crash proof failed (seed {seed})");
            }
            Ok(())
        }
    }
}

fn emit(figure: Figure) {
    println!("{}", figure.line());
}

/// What one load run measured of the process serving it.
struct Measured {
    report: LoadReport,
    /// CPU use over the window, % of a core.
    cpu: f64,
    /// CPU time over the window per message delivered, µs: the cost of a
    /// message, steadier than a rate on a shared machine.
    cpu_per_message_us: f64,
    after: Sample,
}

/// One load run against `base`, sampling `pid`'s CPU over the window.
async fn measured(base: &str, pid: u32, options: &LoadOptions) -> anyhow::Result<Measured> {
    let mut samples = Vec::new();
    let report = load::run(base, options, || {
        samples.push((Instant::now(), proc_stats::sample(pid).unwrap_or_default()))
    })
    .await?;
    let after = proc_stats::sample(pid).unwrap_or_default();
    let (cpu, cpu_per_message_us) = match samples.as_slice() {
        [(from, before), (to, end), ..] => {
            let used = end.cpu.saturating_sub(before.cpu).as_secs_f64();
            (
                proc_stats::cpu_percent(before, end, *to - *from),
                used * 1e6 / (report.delivered.max(1) as f64),
            )
        }
        _ => (0.0, 0.0),
    };
    Ok(Measured {
        report,
        cpu,
        cpu_per_message_us,
        after,
    })
}

/// Who takes part in a load run.
struct Shape {
    visitors: usize,
    agents: usize,
    messages: usize,
    subscribe_pool: bool,
}

async fn load_bench(
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
    } = shape;
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
    let mut results = Vec::new();
    for (name, opts) in [("closed", &closed), ("open", &open)] {
        let server = ServerProcess::start(
            server_bin,
            &dir.join(format!("server-{name}")),
            agents,
            capacity,
        )?;
        let measured = measured(&server.base(), server.pid(), opts).await?;
        println!(
            "load: server, {name} loop: {:.0} msg/s, {} errors{}",
            measured.report.per_sec,
            measured.report.errors,
            causes(&measured.report)
        );
        results.push(measured);
    }
    for (name, opts) in [("closed", &closed), ("open", &open)] {
        let (mut relay, base) = start_relay()?;
        let measured = measured(&base, relay.id(), opts).await;
        let _ = relay.kill();
        let _ = relay.wait();
        let measured = measured?;
        println!(
            "load: relay, {name} loop: {:.0} msg/s, {} errors{}",
            measured.report.per_sec,
            measured.report.errors,
            causes(&measured.report)
        );
        results.push(measured);
    }
    let [server_closed, server_open, relay_closed, relay_open] =
        <[Measured; 4]>::try_from(results).map_err(|_| anyhow::anyhow!("four runs"))?;
    let (server_cpu, server_cpu_per_message, server_mem) = (
        server_closed.cpu,
        server_closed.cpu_per_message_us,
        server_closed.after,
    );
    let (relay_cpu, relay_cpu_per_message, relay_mem) = (
        relay_closed.cpu,
        relay_closed.cpu_per_message_us,
        relay_closed.after,
    );
    let [server_closed, server_open, relay_closed, relay_open] = [
        server_closed.report,
        server_open.report,
        relay_closed.report,
        relay_open.report,
    ];
    if let Some(path) = latencies {
        crate::latencies::write(path, &server_open)?;
    }
    let follow = if subscribe_pool {
        ", the agents following their pool"
    } else {
        ""
    };
    let shape = format!("{visitors} visitors, {agents} agents{follow}, {messages} messages each");
    emit(
        Figure::new("load.messages_per_sec", server_closed.per_sec, "msg/s")
            .baseline(relay_closed.per_sec)
            .note(format!(
                "closed loop, both ways; baseline: bare relay; {shape}; target ratio >= 0.5"
            )),
    );
    let s = summarize(server_open.to_agent_us.clone());
    let r = summarize(relay_open.to_agent_us.clone());
    let offered = format!(
        "open loop at {:.0} msg/s offered ({:.0} achieved)",
        rate, server_open.per_sec
    );
    emit(
        Figure::new("load.visitor_to_agent_p50", s.p50_ms, "ms")
            .baseline(r.p50_ms)
            .note(offered.clone()),
    );
    emit(
        Figure::new("load.visitor_to_agent_p99", s.p99_ms, "ms")
            .baseline(r.p99_ms)
            .note(format!("{offered}; target <= 10 ms")),
    );
    emit(
        Figure::new("load.visitor_to_agent_max", s.max_ms, "ms")
            .baseline(r.max_ms)
            .note(offered),
    );
    let sc = summarize(server_closed.to_agent_us.clone());
    let rc = summarize(relay_closed.to_agent_us.clone());
    emit(
        Figure::new("load.visitor_to_agent_p99_saturated", sc.p99_ms, "ms")
            .baseline(rc.p99_ms)
            .note("closed loop (as fast as it goes)"),
    );
    emit(
        Figure::new("load.server_cpu", server_cpu, "% of a core")
            .baseline(relay_cpu)
            .note("during the closed loop; baseline: the relay's"),
    );
    emit(
        Figure::new("load.server_cpu_per_message", server_cpu_per_message, "µs")
            .baseline(relay_cpu_per_message)
            .note("CPU time per message delivered, closed loop; baseline: the relay's"),
    );
    emit(
        Figure::new(
            "load.server_peak_rss",
            server_mem.peak_rss_kib as f64 / 1024.0,
            "MiB",
        )
        .baseline(relay_mem.peak_rss_kib as f64 / 1024.0)
        .note("peak RSS over the closed loop; baseline: the relay's"),
    );
    let errors = server_closed.errors + server_open.errors;
    emit(
        Figure::new("load.errors", errors as f64, "commands").note(format!(
            "refused or lost commands on the server runs{}{}",
            causes(&server_closed),
            causes(&server_open)
        )),
    );
    Ok(())
}

/// " (accept: not_offered ×2, …)": what a run's errors were, or nothing.
fn causes(report: &LoadReport) -> String {
    if report.error_causes.is_empty() {
        return String::new();
    }
    let each: Vec<String> = report
        .error_causes
        .iter()
        .map(|(cause, n)| format!("{cause} ×{n}"))
        .collect();
    format!(" ({})", each.join(", "))
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

async fn connections(
    server_bin: &Path,
    dir: &Path,
    count: usize,
    holders: usize,
) -> anyhow::Result<()> {
    let _ = std::fs::remove_dir_all(dir);
    let server = ServerProcess::start(server_bin, &dir.join("server"), 0, 1)?;
    // Warm the server's paths with one small holder first, so that the
    // measured delta is the sockets', not first-use allocations.
    let mut warm = start_holder(&server, 2, 50)?;
    wait_ready(&mut warm)?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let before = proc_stats::sample(server.pid()).context("server gone")?;
    let per = count.div_ceil(holders.max(1));
    let mut children = Vec::new();
    for h in 0..holders {
        children.push(start_holder(&server, 3 + h as u8, per)?);
    }
    let mut open = 0;
    for child in &mut children {
        open += wait_ready(child)?;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = proc_stats::sample(server.pid()).context("server gone")?;
    let per_kib = (after.rss_kib.saturating_sub(before.rss_kib)) as f64 / open.max(1) as f64;
    println!(
        "connections: {open} of {} idle sockets open; server RSS {} -> {} KiB",
        per * holders,
        before.rss_kib,
        after.rss_kib
    );
    emit(
        Figure::new("connections.open", open as f64, "sockets")
            .baseline(20_000.0)
            .note("baseline: the per-process file limit; target >= 15000"),
    );
    emit(
        Figure::new("connections.memory_per_idle", per_kib, "KiB").note(
            "server RSS delta / open idle visitor sockets (session + hello); target <= 15 KB",
        ),
    );
    for mut child in children.into_iter().chain([warm]) {
        drop(child.stdin.take());
        let _ = child.wait();
    }
    Ok(())
}

fn start_holder(server: &ServerProcess, last_octet: u8, count: usize) -> anyhow::Result<Child> {
    Ok(Process::new(std::env::current_exe()?)
        .args(["hold", "--server", &server.addr().to_string()])
        .args([
            "--source",
            &format!("127.0.0.{last_octet}"),
            "--count",
            &count.to_string(),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?)
}

/// Waits for a holder's `READY n`; returns n.
fn wait_ready(child: &mut Child) -> anyhow::Result<usize> {
    let stdout = child.stdout.take().context("holder stdout")?;
    for line in BufReader::new(stdout).lines() {
        if let Some(n) = line?.strip_prefix("READY ") {
            return Ok(n.trim().parse()?);
        }
    }
    bail!("a holder ended before it was ready")
}
