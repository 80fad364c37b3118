//! The display and the driver, as child processes killed on drop: Xvfb on a
//! display number it finds free, and tauri-driver (which starts WebKitWebDriver) on
//! free loopback ports, both waited for with a bound.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::Fail;

/// A child process, killed and reaped on drop; with its whole process
/// group when it leads one (see [`Guard::group`]), and with whatever
/// carries its environment entry (see [`Guard::sweeping`]).
pub struct Guard {
    child: Child,
    group: bool,
    sweep: Option<String>,
}

impl Guard {
    /// Guards `child`.
    pub fn new(child: Child) -> Self {
        Guard {
            child,
            group: false,
            sweep: None,
        }
    }

    /// Guards `child`, started with `process_group(0)`, and every process it
    /// started: tauri-driver's WebKitWebDriver, a bus's activated services.
    /// Killing the leader alone leaves those running, one per launch.
    pub fn group(child: Child) -> Self {
        Guard {
            child,
            group: true,
            sweep: None,
        }
    }

    /// Also kills, on drop, every process whose environment holds `entry`
    /// ([`kill_by_environment`]): what left the group on its own.
    pub fn sweeping(mut self, entry: String) -> Self {
        self.sweep = Some(entry);
        self
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if self.group {
            // The group's id is its leader's pid; `kill` takes it negated.
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", self.child.id())])
                .stderr(Stdio::null())
                .status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(entry) = &self.sweep {
            kill_by_environment(entry);
        }
    }
}

/// Waits up to `timeout` for `ready`, checking every 100 ms.
fn wait_until(timeout: Duration, what: &str, ready: impl Fn() -> bool) -> Result<(), Fail> {
    let deadline = Instant::now() + timeout;
    while !ready() {
        if Instant::now() > deadline {
            return Err(format!("{what} not ready within {} s", timeout.as_secs()).into());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(())
}

/// An X server, killed on drop with its lock file and socket removed:
/// Xvfb leaves both behind when killed, and they would pile up in `/tmp`.
pub struct Xvfb {
    child: Child,
    n: u32,
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(lock(self.n));
        let _ = std::fs::remove_file(socket(self.n));
    }
}

fn socket(n: u32) -> PathBuf {
    PathBuf::from(format!("/tmp/.X11-unix/X{n}"))
}

fn lock(n: u32) -> PathBuf {
    PathBuf::from(format!("/tmp/.X{n}-lock"))
}

/// Xvfb on a display number it finds free itself (`-displayfd`: it skips
/// numbers in use, and stale lock files of servers that are gone, then
/// prints the one it listens on), and the display's name (`:N`).
pub fn xvfb() -> Result<(Xvfb, String), Fail> {
    let mut child = Command::new("Xvfb")
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1280x800x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run Xvfb ({e}): run scripts/bootstrap.sh"))?;
    let stdout = child.stdout.take().ok_or("Xvfb has no stdout")?;
    let (sender, printed) = std::sync::mpsc::channel();
    // Read on a thread, so that a server that never prints cannot hang us.
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = sender.send(line);
    });
    let line = printed.recv_timeout(Duration::from_secs(10));
    let n = line.ok().and_then(|line| line.trim().parse::<u32>().ok());
    let Some(n) = n else {
        let _ = child.kill();
        let status = child.wait()?;
        return Err(format!("Xvfb printed no display number within 10 s ({status})").into());
    };
    Ok((Xvfb { child, n }, format!(":{n}")))
}

/// A free TCP port on 127.0.0.1 (bound then released).
fn free_port() -> Result<u16, Fail> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// What the app's environment needs for WebDriver screenshots: WebKitGTK
/// 2.50's screenshot never answers for a page it does not composite, and
/// without a GPU the app turns compositing off (`src/webview.rs`).
pub const SCREENSHOTS: (&str, &str) = ("BANNER_COMPOSITING", "always");

/// tauri-driver on `display`, with the app's data under `home`; answers its URL.
pub fn tauri_driver(display: &str, home: &Path) -> Result<(Guard, String), Fail> {
    tauri_driver_with(display, home, &[])
}

/// As [`tauri_driver`], with `env` added to the environment it passes on
/// to the app.
pub fn tauri_driver_with(
    display: &str,
    home: &Path,
    env: &[(&str, &str)],
) -> Result<(Guard, String), Fail> {
    let (port, native) = (free_port()?, free_port()?);
    let driver = which("tauri-driver")
        .ok_or("tauri-driver is not installed: run scripts/bootstrap.sh (cargo install tauri-driver --locked)")?;
    let child = Command::new(driver)
        .args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native.to_string(),
        ])
        .env("DISPLAY", display)
        // The app keeps its remembered login and local server under here.
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .process_group(0)
        .spawn()?;
    // On a bare display the app starts its own session and accessibility
    // buses; `dbus-launch` daemonizes them, so they outlive the app and the
    // driver's group. Everything the app starts carries its `HOME`.
    let guard = Guard::group(child).sweeping(format!("HOME={}", home.display()));
    // tauri-driver listens at once but drops a session request until the
    // WebKitWebDriver it starts listens too: wait for both.
    let listening = |port: u16| std::net::TcpStream::connect(("127.0.0.1", port)).is_ok();
    wait_until(Duration::from_secs(30), "tauri-driver", || {
        listening(port) && listening(native)
    })?;
    Ok((guard, format!("http://127.0.0.1:{port}")))
}

/// Saves a PNG of the whole display (both windows: there is no window manager).
pub fn screenshot_display(display: &str, path: &Path) -> Result<(), Fail> {
    let status = Command::new("import")
        .args(["-window", "root"])
        .arg(path)
        .env("DISPLAY", display)
        .status()?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("import failed ({status})").into())
    }
}

/// Where `program` is: on `PATH`, or in cargo's bin directory.
fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|dir| dir.join("bin"));
    std::env::split_paths(&path)
        .chain(cargo_bin)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// Kills every process whose environment holds `entry` (`NAME=value`):
/// what an app or a bus started and left behind, reparented away from us
/// (`dbus-launch` daemonizes the bus it starts; the accessibility bus
/// launcher detaches from its bus's process group). Nothing of ours carries
/// the entry unless we set it for that launch.
pub fn kill_by_environment(entry: &str) {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return;
    };
    for pid in dir
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
    {
        if pid == std::process::id() {
            continue;
        }
        let Ok(environ) = std::fs::read(format!("/proc/{pid}/environ")) else {
            continue;
        };
        if environ.split(|b| *b == 0).any(|e| e == entry.as_bytes()) {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .stderr(Stdio::null())
                .status();
        }
    }
}
