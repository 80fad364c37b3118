//! The real `banner-server` binary, started on `127.0.0.1` (port 0) with a
//! data dir and the bench floor: one queue `load` whose site `pk_load` sends
//! chats straight to it, `agents` agents (`agent0`, `agent1`…) with room for
//! `capacity` chats each, rate limits off and no cap on sockets per address
//! (every client of a benchmark shares one loopback address or a few).
//! Killed (SIGKILL) when dropped.

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

use anyhow::{Context, bail};

/// The bench floor's site key.
pub const SITE: &str = "pk_load";
/// The bench floor's supervisor (monitors `load`), for the crash proof's
/// checks.
pub const SUPERVISOR: &str = "sup";
/// Every bench user's password.
pub const PASSWORD: &str = "bench password";

/// The bench agent number `n`'s username.
pub fn agent_name(n: usize) -> String {
    format!("agent{n}")
}

/// An argon2id hash of [`PASSWORD`] at argon2's smallest cost: logins go
/// through the real verification without spending the benchmark's CPU on it.
fn password_hash() -> anyhow::Result<&'static str> {
    static HASH: OnceLock<String> = OnceLock::new();
    if let Some(hash) = HASH.get() {
        return Ok(hash);
    }
    use argon2::password_hash::{PasswordHasher, SaltString};
    let params = argon2::Params::new(8, 1, 1, None).map_err(|e| anyhow::anyhow!("{e}"))?;
    let argon2 = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let salt = SaltString::encode_b64(b"banner-bench-salt").map_err(|e| anyhow::anyhow!("{e}"))?;
    let hash = argon2
        .hash_password(PASSWORD.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .to_string();
    Ok(HASH.get_or_init(|| hash))
}

/// The bench floor's settings file.
pub fn floor_toml(agents: usize, capacity: usize) -> anyhow::Result<String> {
    let mut toml = format!(
        r#"
[rate_limits]
enabled = false
sockets_per_address = 1000000

[[queues]]
id = "load"
label = "Load"

[[sites]]
key = "{SITE}"
entry = {{ queue = "load" }}
"#
    );
    let hash = password_hash()?;
    toml.push_str(&format!(
        "\n[[users]]\nusername = \"{SUPERVISOR}\"\nname = \"Supervisor\"\npassword_hash = \"{hash}\"\nprofile = \"supervisor\"\nqueues = []\nmonitored_queues = [\"load\"]\n"
    ));
    for n in 0..agents {
        toml.push_str(&format!(
            "\n[[users]]\nusername = \"{}\"\nname = \"Agent {n}\"\npassword_hash = \"{hash}\"\ncapacity = {capacity}\nqueues = [\"load\"]\n",
            agent_name(n)
        ));
    }
    Ok(toml)
}

/// A running `banner-server` process.
pub struct ServerProcess {
    child: Child,
    addr: SocketAddr,
    data_dir: PathBuf,
}

impl ServerProcess {
    /// Starts `bin` on `data_dir` (created if absent) with the bench floor,
    /// and waits until it listens. Its log goes to `data_dir/../server.log`.
    pub fn start(
        bin: &Path,
        data_dir: &Path,
        agents: usize,
        capacity: usize,
    ) -> anyhow::Result<Self> {
        std::fs::create_dir_all(data_dir)?;
        let config = data_dir.with_extension("toml");
        std::fs::write(&config, floor_toml(agents, capacity)?)?;
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(data_dir.with_extension("log"))?;
        let mut child = Command::new(bin)
            .arg("--listen")
            .arg("127.0.0.1:0")
            .arg("--data-dir")
            .arg(data_dir)
            .arg("--config")
            .arg(&config)
            .env(
                "BANNER_LOG",
                std::env::var("BANNER_BENCH_SERVER_LOG").unwrap_or_else(|_| "warn".to_owned()),
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .spawn()
            .with_context(|| format!("cannot start {}", bin.display()))?;
        let Some(stdout) = child.stdout.take() else {
            bail!("no stdout from banner-server");
        };
        let mut lines = BufReader::new(stdout).lines();
        let addr = loop {
            let Some(Ok(line)) = lines.next() else {
                let _ = child.kill();
                bail!(
                    "banner-server stopped before listening (see {})",
                    data_dir.with_extension("log").display()
                );
            };
            if let Some(rest) = line.split("listening on http://").nth(1) {
                let addr = rest.split_whitespace().next().unwrap_or_default();
                break addr.parse::<SocketAddr>()?;
            }
        };
        // Keep draining stdout (the server's log) into the log file, so the
        // server never blocks on a full pipe and its lines can be read after.
        let mut log = std::fs::OpenOptions::new()
            .append(true)
            .open(data_dir.with_extension("log"))?;
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                let _ = writeln!(log, "{line}");
            }
        });
        Ok(ServerProcess {
            child,
            addr,
            data_dir: data_dir.to_owned(),
        })
    }

    /// The server's base URL.
    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Its address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Its process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Its data dir.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// SIGKILL, then reap.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}
