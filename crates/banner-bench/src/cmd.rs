//! What each subcommand does: start the processes, run the library's
//! measure, print the figures.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command as Process, Stdio};
use std::time::Duration;

use anyhow::{Context, bail};
use banner_bench::figure::Figure;
use banner_bench::proc_stats;
use banner_bench::server::ServerProcess;
use banner_bench::{crash, disk_syncs, durable, hold, relay, widget};

use crate::Command;
use crate::load_bench::{Shape, load_bench};

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
            rounds,
        } => {
            let shape = Shape {
                visitors,
                agents,
                messages,
                subscribe_pool,
                rounds,
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
            sync_seconds,
        } => {
            let _ = std::fs::remove_dir_all(&dir);
            let r = durable::run(&dir, messages, single).await?;
            let syncs = disk_syncs::measure(
                &dir.join("syncs"),
                Duration::from_secs(sync_seconds),
                disk_syncs::MAX_SYNCS,
            )?;
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
            for figure in syncs.figures(sync_seconds) {
                emit(figure);
            }
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

pub(crate) fn emit(figure: Figure) {
    println!("{}", figure.line());
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
