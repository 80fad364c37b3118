//! A real server on `127.0.0.1:0` with a temporary data dir, on the test
//! floor below, spoken to through banner-client. The server stops when the
//! [`Server`] is dropped (or `stop`ped).
//!
//! Layout: [`people`] (agents and visitors on their sockets), [`wait`]
//! (waiting for frames), [`chat`] (the usual starting point: a chat Ada holds),
//! [`proxy`] (a TCP proxy whose connections can be muted and cut), [`raw`] (a
//! bare WebSocket and bare HTTP requests, for what banner-client would never
//! send), [`files`] (attachments). [`refusal`] reads the server's refusal of a
//! banner-client call.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod chat;
pub mod files;
pub mod people;
pub mod proxy;
pub mod raw;
pub mod wait;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use banner_client::ClientError;
use banner_proto::ErrorCode;
use banner_server::Settings;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub const SITE: &str = "pk_test";
pub const SECRET: &str = "test-site-secret";
pub const PASSWORD: &str = "correct horse battery staple";

/// Queues with short timers, each with a site whose chats enter it directly
/// (`pk_<queue>`): `hotline` rings 1 s, `instant` auto-accepts after 1 s,
/// `preview` previews 1 s, `fleeting` closes 1 s after the visitor drops,
/// `frozen` freezes then. `support` has the defaults.
pub const SUPPORT: &str = "support";
pub const HOTLINE: &str = "hotline";
pub const INSTANT: &str = "instant";
pub const PREVIEW: &str = "preview";
pub const FLEETING: &str = "fleeting";
pub const FROZEN: &str = "frozen";

/// The site whose chats go straight into `queue`.
pub fn site(queue: &str) -> String {
    format!("pk_{queue}")
}

/// An argon2id hash of [`PASSWORD`] at the smallest cost argon2 allows: the
/// server verifies with the parameters in the hash, so logins stay fast in
/// debug builds while going through the real verification.
fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        use argon2::password_hash::{PasswordHasher, SaltString};
        let params = argon2::Params::new(8, 1, 1, None).unwrap();
        let argon2 =
            argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let salt = SaltString::encode_b64(b"banner-test-salt").unwrap();
        argon2
            .hash_password(PASSWORD.as_bytes(), &salt)
            .unwrap()
            .to_string()
    })
}

/// The floor every test runs on.
///
/// - Billing and Sales behind the welcome flow, whose choice menu routes by
///   case type (site `pk_test`, which also signs customers): Ada (Billing),
///   Bob (Sales), Sue (supervisor of both).
/// - Support: Cy, Dee, and Max who has room for one chat only; Hotline: Cy, Dee.
/// - Instant: Otto, whose profile auto-accepts; Preview: Pia, whose profile
///   previews; Fleeting: Fay; Frozen: Fay and Gus.
pub fn settings(data_dir: PathBuf) -> Settings {
    let mut toml = format!(
        r#"
listen = "127.0.0.1:0"
data_dir = "{dir}"

[login_throttle]
max_failures = 3
window_secs = 300

[[profiles]]
name = "auto"
permissions = ["pick", "transfer_to_user", "transfer_to_queue", "transfer_to_flow"]
auto_accept = true

[[profiles]]
name = "previewer"
permissions = ["pick", "transfer_to_user", "transfer_to_queue", "transfer_to_flow"]
preview = true

[[queues]]
id = "billing"
label = "Billing"

[[queues]]
id = "sales"
label = "Sales"

[[queues]]
id = "{SUPPORT}"
label = "Support"

[[queues]]
id = "{HOTLINE}"
label = "Hotline"
options = {{ offer_timeout_secs = 1 }}

[[queues]]
id = "{INSTANT}"
label = "Instant"
options = {{ auto_accept_secs = 1 }}

[[queues]]
id = "{PREVIEW}"
label = "Preview"
options = {{ preview_secs = 1 }}

[[queues]]
id = "{FLEETING}"
label = "Fleeting"
options = {{ reconnection_timeout_secs = 1 }}

[[queues]]
id = "{FROZEN}"
label = "Frozen"
options = {{ freeze = true, reconnection_timeout_secs = 1 }}

[[flows]]
id = "welcome"
name = "Welcome"
start = "hello"

[[flows.nodes]]
type = "message"
id = "hello"
text = "Welcome to Acme!"
next = "ask"

[[flows.nodes]]
type = "choice"
id = "ask"
text = "What is your request about?"
variable = "case_type"
options = [
  {{ label = "An invoice", value = "billing", next = "route" }},
  {{ label = "A new order", value = "sales", next = "route" }},
]

[[flows.nodes]]
type = "route"
id = "route"
rules = [{{ variable = "case_type", any_of = ["billing"], to = {{ queue = "billing" }} }}]
otherwise = {{ queue = "sales" }}

[[sites]]
key = "{SITE}"
secret = "{SECRET}"
entry = {{ flow = "welcome" }}
"#,
        dir = data_dir.display(),
    );
    let users = [
        ("ada", "Ada", "agent", 3, r#"["billing"]"#),
        ("bob", "Bob", "agent", 3, r#"["sales"]"#),
        ("sue", "Sue", "supervisor", 3, r#"["billing", "sales"]"#),
        ("cy", "Cy", "agent", 3, r#"["support", "hotline"]"#),
        ("dee", "Dee", "agent", 3, r#"["support", "hotline"]"#),
        ("max", "Max", "agent", 1, r#"["support"]"#),
        ("otto", "Otto", "auto", 3, r#"["instant"]"#),
        ("pia", "Pia", "previewer", 3, r#"["preview"]"#),
        ("fay", "Fay", "agent", 3, r#"["fleeting", "frozen"]"#),
        ("gus", "Gus", "agent", 3, r#"["frozen"]"#),
    ];
    for (username, name, profile, capacity, queues) in users {
        let monitored = if profile == "supervisor" {
            queues
        } else {
            "[]"
        };
        toml.push_str(&format!(
            r#"
[[users]]
username = "{username}"
name = "{name}"
password_hash = "{hash}"
profile = "{profile}"
capacity = {capacity}
queues = {queues}
monitored_queues = {monitored}
"#,
            hash = password_hash(),
        ));
    }
    for queue in [SUPPORT, HOTLINE, INSTANT, PREVIEW, FLEETING, FROZEN] {
        toml.push_str(&format!(
            "\n[[sites]]\nkey = \"{}\"\nentry = {{ queue = \"{queue}\" }}\n",
            site(queue)
        ));
    }
    Settings::from_toml(&toml).expect("test settings")
}

/// A server that holds read receipts `hold_ms` (`read_receipt_hold_ms`).
pub async fn holding_reads(dir: &tempfile::TempDir, hold_ms: u64) -> Server {
    let mut settings = settings(dir.path().to_owned());
    settings.read_receipt_hold_ms = hold_ms;
    Server::start_with(settings).await
}

/// A running server.
pub struct Server {
    pub addr: SocketAddr,
    pub settings: Settings,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
}

impl Server {
    /// Starts a server on a fresh temporary data dir (kept in `dir`).
    pub async fn start(dir: &tempfile::TempDir) -> Server {
        Server::start_with(settings(dir.path().to_owned())).await
    }

    /// Starts a server with these settings (bind first, then serve).
    pub async fn start_with(settings: Settings) -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(banner_server::run(listener, settings.clone(), async {
            let _ = stopped.await;
        }));
        Server {
            addr,
            settings,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// The base URL clients are given.
    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Stops the server and waits until it has finished.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let result = tokio::time::timeout(Duration::from_secs(20), task)
                .await
                .expect("the server stops")
                .unwrap();
            result.unwrap();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// The server's refusal of a banner-client call: its code, HTTP status (`None`
/// on a socket) and message.
pub fn refusal<T: std::fmt::Debug>(
    result: Result<T, ClientError>,
) -> (ErrorCode, Option<u16>, String) {
    match result {
        Err(ClientError::Server {
            code,
            status,
            message,
            ..
        }) => (code, status, message),
        other => panic!("expected the server's refusal, got {other:?}"),
    }
}

/// Asserts that an HTTP call was refused with `code`, under its status.
#[track_caller]
pub fn assert_refused<T: std::fmt::Debug>(result: Result<T, ClientError>, code: ErrorCode) {
    let (got, status, message) = refusal(result);
    assert_eq!((got, status), (code, Some(code.http_status())), "{message}");
}
