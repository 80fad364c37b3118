//! `banner-e2e`: the other half of the browser tests (`ui/tests`).
//!
//! It starts a real banner-server on `127.0.0.1:0` with a temporary data dir
//! and the test floor ([`floor`]), prints one line
//! `{"ready": {"url", "site", "secret", "password"}}` (`password`: the floor's
//! agents', for logging in to the agents' web app), then reads requests, one
//! JSON object a line, and answers each with `{"id", "ok"}` or `{"id", "error"}` (the
//! requests are in [`script`]). Requests run concurrently, so a test may wait
//! for a frame while it acts in the browser. When standard input closes the
//! server stops and the data dir is removed.
//!
//! Usage: `banner-e2e --ui-dir DIR [--reconnection-timeout-secs N]
//! [--wrap-up-limit-secs N]`. `BANNER_LOG` turns the server's log on (stderr).
//!
//! # Layout
//!
//! - [`floor`]: the settings of the test server.
//! - [`agent`]: an agent's client — the one file to change when the agent is
//!   played by banner-client instead of a raw WebSocket.
//! - [`script`]: the requests, over [`agent::Agent`].

mod agent;
mod floor;
mod script;

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::sync::{mpsc, oneshot};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    if let Ok(filter) = std::env::var("BANNER_LOG") {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
            .with_writer(std::io::stderr)
            .init();
    }
    let options = parse_args(std::env::args().skip(1))?;
    let data = tempfile::tempdir().context("creating the data dir")?;
    let settings = floor::settings(data.path(), &options)?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(banner_server::run(listener, settings, async {
        let _ = stopped.await;
    }));

    let (out, lines) = mpsc::unbounded_channel::<Value>();
    let writer = tokio::spawn(write_lines(lines));
    let _ = out.send(json!({"ready": {"url": url, "site": floor::SITE, "secret": floor::SECRET, "password": floor::PASSWORD}}));

    let script = Arc::new(script::Script::new(url));
    let mut stdin = BufReader::new(tokio::io::stdin()).lines();
    while let Some(line) = stdin.next_line().await? {
        if line.trim().is_empty() {
            continue;
        }
        let (script, out) = (Arc::clone(&script), out.clone());
        tokio::spawn(async move {
            let answer = match serde_json::from_str::<Value>(&line) {
                Ok(request) => {
                    let id = request.get("id").cloned().unwrap_or(Value::Null);
                    match script.run(&request).await {
                        Ok(ok) => json!({"id": id, "ok": ok}),
                        Err(e) => json!({"id": id, "error": format!("{e:#}")}),
                    }
                }
                Err(e) => json!({"id": null, "error": format!("not JSON: {e}")}),
            };
            let _ = out.send(answer);
        });
    }

    script.close().await;
    let _ = stop.send(());
    match tokio::time::timeout(Duration::from_secs(20), server).await {
        Ok(Ok(result)) => result.context("the server failed")?,
        Ok(Err(e)) => bail!("the server panicked: {e}"),
        Err(_) => bail!("the server did not stop within 20 s"),
    }
    drop(out);
    let _ = writer.await;
    Ok(())
}

/// Writes each value as one line on standard output.
async fn write_lines(mut lines: mpsc::UnboundedReceiver<Value>) {
    let mut stdout = tokio::io::stdout();
    while let Some(value) = lines.recv().await {
        let mut line = value.to_string();
        line.push('\n');
        if stdout.write_all(line.as_bytes()).await.is_err() || stdout.flush().await.is_err() {
            return;
        }
    }
}

fn parse_args(mut args: impl Iterator<Item = String>) -> anyhow::Result<floor::Options> {
    let mut options = floor::Options::default();
    while let Some(flag) = args.next() {
        let mut value = || args.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--ui-dir" => options.ui_dir = Some(value()?.into()),
            "--reconnection-timeout-secs" => {
                options.reconnection_timeout_secs = Some(value()?.parse()?);
            }
            "--wrap-up-limit-secs" => options.wrap_up_limit_secs = Some(value()?.parse()?),
            other => bail!(
                "unknown argument {other}; usage: banner-e2e --ui-dir DIR \
                 [--reconnection-timeout-secs N] [--wrap-up-limit-secs N]"
            ),
        }
    }
    Ok(options)
}
