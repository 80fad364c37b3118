//! The real demo: builds banner-server, starts it with `--demo` (two queues,
//! the Welcome smart routing flow, three agents and a supervisor, the site
//! `pk_demo`), its data under the target directory, and prints what it serves
//! once `/healthz` answers. It runs until Ctrl-C.
//!
//! Ctrl-C reaches the server directly (it is in the terminal's process group)
//! and it stops gracefully; this task only waits for it, and kills it if it
//! has not stopped after [`STOP_GRACE`] (SQLite's log makes that safe too).
//!
//! Later parts plug in here: the widget's demo page is one more line of
//! [`served`], and the desktop app is launched in [`run`] once the server
//! answers, pointed at its address, and stopped with it.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus};
use std::time::{Duration, Instant};

use banner_proto::http::path;

/// How long the server may take to answer `/healthz` after it starts.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// How long the server may take to stop after Ctrl-C.
const STOP_GRACE: Duration = Duration::from_secs(10);

/// The demo site's key (`banner_server::floor::demo::DEMO_SITE`).
const DEMO_SITE: &str = "pk_demo";

/// What the demo is asked for.
#[derive(Debug)]
pub(super) struct Options {
    /// Where the server listens.
    pub listen: SocketAddr,
    /// Start from an empty data dir.
    pub fresh: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            fresh: false,
        }
    }
}

/// Builds and runs the server until it stops.
pub(super) fn run(options: &Options) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    println!("xtask: building banner-server");
    let built = Command::new(&cargo)
        .args([
            "build",
            "--package",
            "banner-server",
            "--bin",
            "banner-server",
        ])
        .status()
        .map_err(|e| format!("cannot run {cargo}: {e}"))?;
    if !built.success() {
        return Err(format!("building banner-server failed ({built})"));
    }
    let target = target_dir(&cargo)?;
    let binary = target
        .join("debug")
        .join(format!("banner-server{}", std::env::consts::EXE_SUFFIX));
    let data = target.join("demo-data");
    if options.fresh && data.exists() {
        std::fs::remove_dir_all(&data)
            .map_err(|e| format!("cannot empty {}: {e}", data.display()))?;
    }

    let mut command = Command::new(&binary);
    if std::env::var_os("RUST_LIB_BACKTRACE").is_none() {
        // A start-up error (a port taken) reads better without anyhow's backtrace.
        command.env("RUST_LIB_BACKTRACE", "0");
    }
    let child = command
        .arg("--demo")
        .arg("--listen")
        .arg(options.listen.to_string())
        .arg("--data-dir")
        .arg(&data)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
    let mut server = Server(child);
    if let Some(status) = wait_healthy(&mut server.0, options.listen)? {
        let mut other = options.listen;
        other.set_port(other.port().wrapping_add(1));
        return Err(format!(
            "banner-server stopped at start ({status}); if {} is taken, try --listen {other}",
            options.listen
        ));
    }
    println!();
    println!("Banner demo is running. Ctrl-C stops it.");
    println!();
    for line in served(options.listen) {
        println!("  {line}");
    }
    println!("  {:<18}{}", "data", data.display());
    println!();
    println!("Log in as one of the users above (password as printed), or open a visitor chat:");
    println!(
        "  curl -s http://{}{} -H 'content-type: application/json' -d '{{\"site_key\": \"{DEMO_SITE}\"}}'",
        options.listen,
        path::VISITOR_SESSION
    );
    println!();
    server.wait()
}

/// One line per thing the demo serves.
fn served(addr: SocketAddr) -> Vec<String> {
    let http = |p: &str| format!("http://{addr}{p}");
    let ws = |p: &str| format!("ws://{addr}{p}");
    [
        ("demo web page", "GET ", http("/demo")),
        ("agents' web app", "GET ", http("/app/")),
        ("widget loader", "GET ", http("/widget.js")),
        ("health", "GET ", http(path::HEALTHZ)),
        ("agent login", "POST", http(path::LOGIN)),
        ("agent socket", "WS  ", ws(path::AGENT_WS)),
        ("visitor session", "POST", http(path::VISITOR_SESSION)),
        ("visitor socket", "WS  ", ws(path::VISITOR_WS)),
    ]
    .into_iter()
    .map(|(what, method, url)| format!("{what:<18}{method} {url}"))
    .collect()
}

/// The workspace's target directory, as cargo sees it (`CARGO_TARGET_DIR`
/// included).
pub(crate) fn target_dir(cargo: &str) -> Result<PathBuf, String> {
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .output()
        .map_err(|e| format!("cannot run {cargo} metadata: {e}"))?;
    if !out.status.success() {
        return Err(format!("{cargo} metadata failed ({})", out.status));
    }
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("cannot read cargo metadata: {e}"))?;
    metadata["target_directory"]
        .as_str()
        .map(PathBuf::from)
        .ok_or_else(|| "cargo metadata names no target directory".into())
}

/// Waits until `/healthz` answers 200; `Some(status)` if the server exits first.
fn wait_healthy(child: &mut Child, addr: SocketAddr) -> Result<Option<ExitStatus>, String> {
    let since = Instant::now();
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            return Ok(Some(status));
        }
        if healthy(addr) {
            return Ok(None);
        }
        if since.elapsed() > START_TIMEOUT {
            return Err(format!("banner-server did not answer on {addr} in time"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Whether `GET /healthz` answers 200 (plain HTTP/1.1: no client library needed).
fn healthy(addr: SocketAddr) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(1)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request = format!(
        "GET {} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n",
        path::HEALTHZ
    );
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.1 200")
}

/// The running server, killed if this task ends first.
struct Server(Child);

impl Server {
    /// Waits for the server to stop: on Ctrl-C (which it receives too), give
    /// it [`STOP_GRACE`] to finish, then kill it.
    fn wait(&mut self) -> Result<(), String> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start a runtime: {e}"))?;
        let status = runtime.block_on(async {
            let ctrl_c = tokio::signal::ctrl_c();
            tokio::pin!(ctrl_c);
            let mut interrupted: Option<Instant> = None;
            loop {
                if let Some(status) = self.0.try_wait().map_err(|e| e.to_string())? {
                    return Ok::<_, String>(status);
                }
                if interrupted.is_some_and(|at| at.elapsed() > STOP_GRACE) {
                    let _ = self.0.kill();
                }
                tokio::select! {
                    _ = &mut ctrl_c, if interrupted.is_none() => {
                        interrupted = Some(Instant::now());
                    }
                    () = tokio::time::sleep(Duration::from_millis(100)) => {}
                }
            }
        })?;
        // Ctrl-C ends the demo; the server's own exit code says the rest.
        if status.success() {
            Ok(())
        } else {
            Err(format!("banner-server exited ({status})"))
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_lists_health_both_sockets_and_the_session_endpoints() {
        let lines = served(SocketAddr::from(([127, 0, 0, 1], 8080))).join("\n");
        for url in [
            "http://127.0.0.1:8080/healthz",
            "http://127.0.0.1:8080/v1/login",
            "ws://127.0.0.1:8080/v1/ws",
            "http://127.0.0.1:8080/v1/visitor/session",
            "ws://127.0.0.1:8080/v1/visitor/ws",
        ] {
            assert!(lines.contains(url), "{url} missing from\n{lines}");
        }
    }

    #[test]
    fn health_is_false_when_nothing_listens() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").ok();
        let addr = listener.as_ref().and_then(|l| l.local_addr().ok());
        drop(listener);
        if let Some(addr) = addr {
            assert!(!healthy(addr));
        }
    }
}
