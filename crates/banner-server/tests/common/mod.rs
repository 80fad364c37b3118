//! A real server on `127.0.0.1:0` with a temporary data dir, and small
//! reqwest/tokio-tungstenite clients speaking protocol v1 with banner-proto's
//! types. The server stops when the [`Server`] is dropped (or `stop`ped).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod chat;
pub mod files;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use banner_proto::*;
use banner_server::Settings;
use futures_util::{SinkExt, StreamExt};
use serde::Serialize;
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub const SITE: &str = "pk_test";
pub const SECRET: &str = "test-site-secret";
pub const PASSWORD: &str = "correct horse battery staple";

/// The floor every test runs on: Billing and Sales, a welcome flow whose
/// choice menu routes by case type, Ada (Billing), Bob (Sales), Sue (supervisor).
pub fn settings(data_dir: PathBuf) -> Settings {
    let toml = format!(
        r#"
listen = "127.0.0.1:0"
data_dir = "{dir}"

[login_throttle]
max_failures = 3
window_secs = 300

[[queues]]
id = "billing"
label = "Billing"

[[queues]]
id = "sales"
label = "Sales"

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

[[users]]
username = "ada"
name = "Ada"
password = "{pw}"
queues = ["billing"]

[[users]]
username = "bob"
name = "Bob"
password = "{pw}"
queues = ["sales"]

[[users]]
username = "sue"
name = "Sue"
password = "{pw}"
profile = "supervisor"
queues = ["billing", "sales"]
monitored_queues = ["billing", "sales"]

[[sites]]
key = "{SITE}"
secret = "{SECRET}"
entry = {{ flow = "welcome" }}
"#,
        dir = data_dir.display(),
        pw = PASSWORD,
    );
    Settings::from_toml(&toml).expect("test settings")
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

    pub async fn login(&self, username: &str, password: &str) -> reqwest::Response {
        reqwest::Client::new()
            .post(self.url("/v1/login"))
            .json(&serde_json::json!({"username": username, "password": password}))
            .send()
            .await
            .unwrap()
    }

    /// Logs in and returns the token.
    pub async fn token(&self, username: &str) -> String {
        let response = self.login(username, PASSWORD).await;
        assert_eq!(response.status(), 200);
        response.json::<LoginResponse>().await.unwrap().token
    }

    pub async fn visitor_session(&self, body: serde_json::Value) -> reqwest::Response {
        reqwest::Client::new()
            .post(self.url("/v1/visitor/session"))
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    /// `GET path` with a bearer token.
    pub async fn get(&self, path: &str, token: &str) -> reqwest::Response {
        reqwest::Client::new()
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    /// `GET path` with a bearer token, expecting 200 and a `T`.
    pub async fn get_json<T: serde::de::DeserializeOwned>(&self, path: &str, token: &str) -> T {
        let response = self.get(path, token).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.unwrap()
    }

    /// `GET path` with a bearer token, expecting an error with `code`.
    pub async fn get_error(&self, path: &str, token: &str, code: ErrorCode) {
        let response = self.get(path, token).await;
        assert_eq!(response.status().as_u16(), code.http_status(), "GET {path}");
        let body: ErrorBody = response.json().await.unwrap();
        assert_eq!(body.code, code, "GET {path}: {}", body.message);
    }

    /// An anonymous visitor's session.
    pub async fn visitor(&self) -> VisitorSessionResponse {
        let response = self
            .visitor_session(serde_json::json!({"site_key": SITE, "locale": "fr-FR"}))
            .await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    /// An agent socket after `hello` and `welcome`.
    pub async fn agent_ws(&self, token: &str, resume: Vec<Resume>) -> (Ws, Welcome) {
        let mut ws = Ws::connect(self.addr, "/v1/ws").await;
        ws.send(
            &serde_json::json!({"type": "hello", "protocol": 1, "token": token, "resume": resume}),
        )
        .await;
        match ws.agent().await {
            AgentFrame::Welcome(w) => (ws, w),
            other => panic!("expected welcome, got {other:?}"),
        }
    }

    /// A visitor socket after `hello` and `welcome`.
    pub async fn visitor_ws(&self, token: &str, resume: Vec<Resume>) -> (Ws, VisitorWelcome) {
        let mut ws = Ws::connect(self.addr, "/v1/visitor/ws").await;
        ws.send(
            &serde_json::json!({"type": "hello", "protocol": 1, "token": token, "resume": resume}),
        )
        .await;
        match ws.visitor().await {
            VisitorFrame::Welcome(w) => (ws, w),
            other => panic!("expected welcome, got {other:?}"),
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

/// A WebSocket client.
pub struct Ws {
    stream: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

/// How long a test waits for a frame before failing.
const WAIT: Duration = Duration::from_secs(10);

impl Ws {
    pub async fn connect(addr: SocketAddr, path: &str) -> Ws {
        let (stream, _) = tokio_tungstenite::connect_async(format!("ws://{addr}{path}"))
            .await
            .unwrap();
        Ws { stream }
    }

    pub async fn send(&mut self, frame: &impl Serialize) {
        let text = serde_json::to_string(frame).unwrap();
        self.send_text(text).await;
    }

    pub async fn send_text(&mut self, text: String) {
        self.stream.send(Message::Text(text.into())).await.unwrap();
    }

    /// The next text frame (pings skipped).
    pub async fn text(&mut self) -> String {
        loop {
            let msg = tokio::time::timeout(WAIT, self.stream.next())
                .await
                .expect("a frame in time")
                .expect("the socket is open")
                .unwrap();
            match msg {
                Message::Text(t) => return t.as_str().to_owned(),
                Message::Close(frame) => panic!("closed: {frame:?}"),
                _ => {}
            }
        }
    }

    pub async fn agent(&mut self) -> AgentFrame {
        let text = self.text().await;
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
    }

    pub async fn visitor(&mut self) -> VisitorFrame {
        let text = self.text().await;
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
    }

    /// Agent frames up to and including the one `stop` picks.
    pub async fn agent_until(&mut self, stop: impl Fn(&AgentFrame) -> bool) -> Vec<AgentFrame> {
        let mut frames = Vec::new();
        loop {
            let frame = self.agent().await;
            let done = stop(&frame);
            frames.push(frame);
            if done {
                return frames;
            }
        }
    }

    /// Visitor frames up to and including the one `stop` picks.
    pub async fn visitor_until(
        &mut self,
        stop: impl Fn(&VisitorFrame) -> bool,
    ) -> Vec<VisitorFrame> {
        let mut frames = Vec::new();
        loop {
            let frame = self.visitor().await;
            let done = stop(&frame);
            frames.push(frame);
            if done {
                return frames;
            }
        }
    }

    /// Sends a command and returns the frames up to its `ack` or `error`.
    pub async fn agent_command(&mut self, command: serde_json::Value) -> Vec<AgentFrame> {
        let id = command["id"].as_str().unwrap().to_owned();
        self.send(&command).await;
        self.agent_until(|f| answers_agent(f, &id)).await
    }

    /// Sends a command and returns the frames up to its `ack` or `error`.
    pub async fn visitor_command(&mut self, command: serde_json::Value) -> Vec<VisitorFrame> {
        let id = command["id"].as_str().unwrap().to_owned();
        self.send(&command).await;
        self.visitor_until(|f| answers_visitor(f, &id)).await
    }

    /// Reads until the server closes the socket; returns the close code.
    pub async fn close_code(&mut self) -> Option<u16> {
        loop {
            let msg = tokio::time::timeout(WAIT, self.stream.next())
                .await
                .expect("a close in time");
            match msg {
                None | Some(Err(_)) => return None,
                Some(Ok(Message::Close(frame))) => return frame.map(|f| f.code.into()),
                Some(Ok(_)) => {}
            }
        }
    }

    pub async fn close(mut self) {
        let _ = self.stream.close(None).await;
    }
}

pub fn answers_agent(frame: &AgentFrame, id: &str) -> bool {
    match frame {
        AgentFrame::Ack(a) => a.id.as_str() == id,
        AgentFrame::Error(e) => e.id.as_ref().is_some_and(|i| i.as_str() == id),
        _ => false,
    }
}

pub fn answers_visitor(frame: &VisitorFrame, id: &str) -> bool {
    match frame {
        VisitorFrame::Ack(a) => a.id.as_str() == id,
        VisitorFrame::Error(e) => e.id.as_ref().is_some_and(|i| i.as_str() == id),
        _ => false,
    }
}

/// The answer ending a command's frames.
pub fn last_ack(frames: &[AgentFrame]) -> &Ack {
    match frames.last() {
        Some(AgentFrame::Ack(a)) => a,
        other => panic!("expected an ack, got {other:?}"),
    }
}

pub fn last_visitor_ack(frames: &[VisitorFrame]) -> &Ack {
    match frames.last() {
        Some(VisitorFrame::Ack(a)) => a,
        other => panic!("expected an ack, got {other:?}"),
    }
}

/// The visitor's message texts among frames.
pub fn visitor_texts(frames: &[VisitorFrame]) -> Vec<String> {
    frames
        .iter()
        .filter_map(|f| match f {
            VisitorFrame::Event(Logged {
                event: VisitorEvent::Message { text, .. },
                ..
            }) => Some(text.clone()),
            _ => None,
        })
        .collect()
}

/// The agent-side message texts among frames.
pub fn agent_texts(frames: &[AgentFrame]) -> Vec<String> {
    frames
        .iter()
        .filter_map(|f| match f {
            AgentFrame::Event(Logged {
                event: AgentEvent::Message { text, .. },
                ..
            }) => Some(text.clone()),
            _ => None,
        })
        .collect()
}
