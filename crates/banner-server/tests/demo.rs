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

use banner_client::{AgentClient, ConnectOptions, VisitorClient};
use banner_proto::*;
use common::wait::{offers, until, visitor_event, visitor_texts};

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
    let base = format!("http://{}", demo.addr);
    banner_client::health(&base).await.unwrap();

    // The demo web page embeds the widget for the demo site.
    let page = reqwest::get(format!("{base}/demo")).await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains(r#"<script src="/widget.js" data-site="pk_demo" async></script>"#),
        "{html}"
    );

    let mut names = demo.passwords.keys().cloned().collect::<Vec<_>>();
    names.sort();
    assert_eq!(names, ["ada", "bob", "cy", "sue"]);
    let mut logins = HashMap::new();
    for (username, password) in &demo.passwords {
        let login = AgentClient::login(&base, username, password).await;
        let login = login.unwrap_or_else(|e| panic!("{username} logs in: {e}"));
        logins.insert(username.clone(), login);
    }
    let profile = |u: &str| logins[u].profile().unwrap();
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
    let (mut ada, _) = logins["ada"]
        .connect(ConnectOptions::default())
        .await
        .unwrap();
    ada.set_presence(Presence::Available).await.unwrap();

    let request = VisitorSessionRequest {
        site_key: "pk_demo".into(),
        customer: None,
        direct_agent: None,
        locale: None,
    };
    let session = VisitorClient::session(&base, &request).await.unwrap();
    let (mut visitor, _) = session.connect(ConnectOptions::default()).await.unwrap();
    let c = visitor
        .send_message(None, "Hello")
        .await
        .unwrap()
        .conversation
        .unwrap();
    let (menu, frames) = visitor_event(&mut visitor, c, |e| match e {
        VisitorEvent::Message { choices, .. } if !choices.is_empty() => {
            Some(choices.iter().map(|o| o.label.clone()).collect::<Vec<_>>())
        }
        _ => None,
    })
    .await;
    assert!(menu.contains(&"An invoice".to_owned()), "{menu:?}");
    assert!(!visitor_texts(&frames).is_empty());

    visitor.send_message(Some(c), "An invoice").await.unwrap();
    // The first offer ringing Ada, whichever conversation it is for.
    let (offer, _) = until(&mut ada, |f| {
        offers(std::slice::from_ref(f))
            .first()
            .map(|o| (*o).clone())
    })
    .await;
    assert_eq!(offer.conversation, c);
    assert_eq!(offer.queue.as_ref().unwrap().label, "Billing");
    assert_eq!(offer.kind, RoutingKind::Smart);
}
