//! `banner-server --demo`, the binary `cargo xtask demo` runs: it starts on
//! port 0, prints credentials that work, and its floor does what the README
//! says — a visitor of the demo site meets the Welcome flow's choice menu,
//! and "An invoice" routes the chat by case type to Billing, where Ada is
//! offered it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use banner_proto::*;
use common::{Ws, last_visitor_ack, visitor_texts};
use serde_json::json;

/// The demo server, killed when dropped.
struct Demo {
    child: Child,
    addr: SocketAddr,
    passwords: HashMap<String, String>,
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the binary and reads what it prints until it listens.
fn start(data: &std::path::Path) -> Demo {
    let child = Command::new(env!("CARGO_BIN_EXE_banner-server"))
        .args(["--demo", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data)
        .env("BANNER_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut demo = Demo {
        child,
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        passwords: HashMap::new(),
    };
    let (tx, rx) = mpsc::channel();
    let stdout = demo.child.stdout.take().unwrap();
    // Read every line, to the end, so the server never blocks on a full pipe.
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    loop {
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the demo prints its address");
        let words: Vec<&str> = line.split_whitespace().collect();
        if let [_profile, username, "password", password] = words[..] {
            demo.passwords
                .insert(username.to_owned(), password.to_owned());
        }
        if let Some(rest) = line.strip_prefix("banner-server listening on http://") {
            demo.addr = rest.split_whitespace().next().unwrap().parse().unwrap();
            return demo;
        }
    }
}

#[tokio::test]
async fn the_demo_starts_its_printed_users_log_in_and_a_visitor_is_routed_by_case_type() {
    let dir = tempfile::tempdir().unwrap();
    let demo = start(dir.path());
    let url = |p: &str| format!("http://{}{p}", demo.addr);
    let http = reqwest::Client::new();
    assert_eq!(
        http.get(url("/healthz")).send().await.unwrap().status(),
        200
    );

    let mut names = demo.passwords.keys().cloned().collect::<Vec<_>>();
    names.sort();
    assert_eq!(names, ["ada", "bob", "cy", "sue"]);
    let mut logins = HashMap::new();
    for (username, password) in &demo.passwords {
        let response = http
            .post(url("/v1/login"))
            .json(&json!({"username": username, "password": password}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{username} logs in");
        let login: LoginResponse = response.json().await.unwrap();
        logins.insert(username.clone(), login);
    }
    let profile = |u: &str| &logins[u].agent;
    let queues = |u: &str| {
        let mut q: Vec<_> = profile(u).queues.iter().map(|q| q.label.clone()).collect();
        q.sort();
        q
    };
    assert_eq!(queues("ada"), ["Billing"]);
    assert_eq!(queues("bob"), ["Sales"]);
    assert_eq!(queues("cy"), ["Billing", "Sales"]);
    assert_eq!(profile("sue").profile, "supervisor");
    assert!(profile("sue").permissions.contains(&Permission::Monitor));

    // Ada is the only one available: the Billing chat can only ring her.
    let mut ada = Ws::connect(demo.addr, "/v1/ws").await;
    ada.send(&json!({"type": "hello", "protocol": 1, "token": logins["ada"].token, "resume": []}))
        .await;
    assert!(matches!(ada.agent().await, AgentFrame::Welcome(_)));
    ada.agent_command(json!({"type": "set_presence", "id": "p1", "presence": "available"}))
        .await;

    let session = http
        .post(url("/v1/visitor/session"))
        .json(&json!({"site_key": "pk_demo"}))
        .send()
        .await
        .unwrap();
    assert_eq!(session.status(), 200);
    let session: VisitorSessionResponse = session.json().await.unwrap();
    let mut visitor = Ws::connect(demo.addr, "/v1/visitor/ws").await;
    visitor
        .send(&json!({"type": "hello", "protocol": 1, "token": session.token, "resume": []}))
        .await;
    assert!(matches!(visitor.visitor().await, VisitorFrame::Welcome(_)));
    let frames = visitor
        .visitor_command(json!({"type": "send_message", "id": "m1", "conversation": null, "text": "Hello", "attachments": []}))
        .await;
    let c = last_visitor_ack(&frames).conversation.unwrap();
    let menu: Vec<String> = frames
        .iter()
        .find_map(|f| match f {
            VisitorFrame::Event(Logged {
                event: VisitorEvent::Message { choices, .. },
                ..
            }) if !choices.is_empty() => Some(choices.iter().map(|o| o.label.clone()).collect()),
            _ => None,
        })
        .expect("the Welcome flow offers a choice menu");
    assert!(menu.contains(&"An invoice".to_owned()), "{menu:?}");
    assert!(!visitor_texts(&frames).is_empty());

    visitor
        .visitor_command(json!({"type": "send_message", "id": "m2", "conversation": c, "text": "An invoice", "attachments": []}))
        .await;
    let offered = ada
        .agent_until(|f| {
            matches!(
                f,
                AgentFrame::Event(Logged {
                    event: AgentEvent::Offer(_),
                    ..
                })
            )
        })
        .await;
    let Some(AgentFrame::Event(Logged {
        event: AgentEvent::Offer(offer),
        ..
    })) = offered.last()
    else {
        unreachable!()
    };
    assert_eq!(offer.conversation, c);
    assert_eq!(offer.queue.as_ref().unwrap().label, "Billing");
    assert_eq!(offer.kind, RoutingKind::Smart);
}
