//! `banner-server`: a thin clap wrapper around [`banner_server::run`].
//!
//! Settings come from defaults, then `--config` (TOML), then `BANNER_*`
//! variables, then these flags. `--demo` adds the demo floor and prints its
//! credentials.

#![allow(clippy::print_stdout)]

use std::io::BufRead;
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use banner_server::{Settings, auth, floor};
use clap::Parser;

/// Banner's server: HTTP and WebSockets for the widget and the Banner.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long)]
    listen: Option<SocketAddr>,
    /// Directory for banner.db (default ./banner-data).
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// A TOML settings file (see docs/configuration.md).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Add the demo floor: two queues, a smart routing flow, three agents and a
    /// supervisor, whose fresh passwords are printed.
    #[arg(long)]
    demo: bool,
    /// Read a password from standard input, print its argon2id hash, and exit.
    #[arg(long)]
    hash_password: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("BANNER_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .init();
    let args = Args::parse();
    if args.hash_password {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        let hash = auth::password::hash(line.trim_end_matches(['\r', '\n']))?;
        println!("{hash}");
        return Ok(());
    }
    let mut settings = Settings::load(args.config.as_deref(), std::env::vars())?;
    if let Some(listen) = args.listen {
        settings.listen = listen;
    }
    if let Some(dir) = args.data_dir {
        settings.data_dir = dir;
    }
    if args.demo {
        let demo = floor::demo::apply(&mut settings)?;
        println!("{demo}");
    }
    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .with_context(|| format!("cannot listen on {}", settings.listen))?;
    println!(
        "banner-server listening on http://{} (data in {})",
        listener.local_addr()?,
        settings.data_dir.display()
    );
    banner_server::run(listener, settings, stop_signal()).await
}

/// Ctrl-C, or (on Unix) SIGTERM from a service manager.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
