//! `banner-bench`: the benchmarks' and the crash proof's binary, a thin clap
//! wrapper over the library. `cargo xtask bench` and `cargo xtask crash` build
//! it in release and run it; figures are printed as `FIGURE {json}` lines.

#![allow(clippy::print_stdout)]

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;
mod latencies;
mod load_bench;

/// Banner's benchmarks and crash proof.
#[derive(Debug, Parser)]
#[command(about)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Real chats against the server, then against the bare relay.
    Load {
        /// The banner-server binary.
        #[arg(long)]
        server: PathBuf,
        /// A scratch directory.
        #[arg(long)]
        dir: PathBuf,
        #[arg(long, default_value_t = 200)]
        visitors: usize,
        #[arg(long, default_value_t = 20)]
        agents: usize,
        /// Messages each visitor writes.
        #[arg(long, default_value_t = 100)]
        messages: usize,
        /// The offered load of the latency run, messages per second both ways.
        #[arg(long, default_value_t = 5000)]
        rate: u64,
        /// The agents' sockets follow their pool (`subscribe_pool`), as the
        /// desktop app's do; the relay only acknowledges it.
        #[arg(long)]
        subscribe_pool: bool,
        /// Writes the server's open-loop visitor→agent samples beside this
        /// path, one file a round (`lat.txt` → `lat-0.txt`, `lat-1.txt`, …):
        /// when each message was sent and its latency (see `latencies.rs`).
        #[arg(long)]
        latencies: Option<PathBuf>,
        /// Rounds of the four runs (server and relay, closed and open loop),
        /// the sides alternating which goes first; each side's runs are
        /// pooled (`load::pooled`).
        #[arg(long, default_value_t = 4)]
        rounds: usize,
    },
    /// The bare relay (the load benchmark's baseline), until killed.
    Relay {
        #[arg(long, default_value = "127.0.0.1:0")]
        listen: SocketAddr,
    },
    /// Idle sockets: server memory per connection, with several holders.
    Connections {
        #[arg(long)]
        server: PathBuf,
        #[arg(long)]
        dir: PathBuf,
        /// Sockets in all.
        #[arg(long, default_value_t = 18_000)]
        count: usize,
        /// Holder processes (each from its own loopback address).
        #[arg(long, default_value_t = 4)]
        holders: usize,
    },
    /// One holder of idle sockets, until its standard input closes.
    Hold {
        #[arg(long)]
        server: SocketAddr,
        #[arg(long)]
        source: IpAddr,
        #[arg(long)]
        count: usize,
    },
    /// Durable writes: group commit against raw SQLite.
    Durable {
        #[arg(long)]
        dir: PathBuf,
        #[arg(long, default_value_t = 100_000)]
        messages: usize,
        /// Messages of the one-commit-per-message run.
        #[arg(long, default_value_t = 2_000)]
        single: usize,
        /// Seconds of the disk's bare sync loop (`disk_syncs`) after them.
        #[arg(long, default_value_t = 20)]
        sync_seconds: u64,
    },
    /// The built widget's sizes, gzipped.
    Widget {
        /// `ui/dist/widget`.
        #[arg(long)]
        dir: PathBuf,
    },
    /// kill -9 under load, restart, compare acknowledged messages with the store.
    Crash {
        #[arg(long)]
        server: PathBuf,
        #[arg(long)]
        dir: PathBuf,
        #[arg(long, default_value_t = 50)]
        cycles: usize,
        /// The random moments' seed (default: from the clock; printed).
        #[arg(long)]
        seed: Option<u64>,
    },
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("banner-bench: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cmd::run(args.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("banner-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}
