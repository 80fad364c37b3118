//! Rate limits against a real server: a visitor who floods the socket gets
//! `rate_limited` for the commands over the limit while what was accepted is
//! kept and the socket carries on; a client address that opens sessions too
//! fast gets 429 with `Retry-After`; and other visitors and addresses are
//! not affected. (127.0.0.2 is loopback too on Linux: a client bound to it is
//! another address.)

#![allow(clippy::unwrap_used)]

mod common;

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use banner_proto::*;
use banner_server::limits::Rate;
use common::*;
use serde_json::json;

fn say(id: &str, c: Option<ConversationId>, text: &str) -> serde_json::Value {
    json!({"type": "send_message", "id": id, "conversation": c, "text": text, "attachments": []})
}

#[tokio::test]
async fn a_visitor_flood_is_refused_command_by_command_and_the_socket_stays_usable() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = settings(dir.path().to_owned());
    // A burst of five, then one every two seconds.
    settings.rate_limits.visitor_commands = Rate::new(5, 30);
    let server = Server::start_with(settings).await;

    let session = server.visitor().await;
    let (mut ws, _) = server.visitor_ws(&session.token, vec![]).await;
    let first = ws.visitor_command(say("m0", None, "Hello!")).await;
    let c = last_visitor_ack(&first).conversation.unwrap();

    // Ten more at once: the burst has four tokens left.
    for i in 1..=10 {
        ws.send(&say(&format!("m{i}"), Some(c), &format!("flood {i}")))
            .await;
    }
    let (mut accepted, mut refused) = (Vec::new(), Vec::new());
    while accepted.len() + refused.len() < 10 {
        match ws.visitor().await {
            VisitorFrame::Ack(a) => accepted.push(a.id.as_str().to_owned()),
            VisitorFrame::Error(e) => {
                assert_eq!(e.code, ErrorCode::RateLimited, "{}", e.message);
                refused.push(e.id.unwrap().as_str().to_owned());
            }
            _ => {}
        }
    }
    assert!(accepted.len() >= 4, "the burst is served: {accepted:?}");
    assert!(refused.len() >= 3, "the flood is refused: {refused:?}");

    // Another visitor is not held back by this one.
    let other = server.visitor().await;
    let (mut other_ws, _) = server.visitor_ws(&other.token, vec![]).await;
    let frames = other_ws.visitor_command(say("o1", None, "Hi")).await;
    last_visitor_ack(&frames);

    // After the window the same socket carries on.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let frames = ws.visitor_command(say("m11", Some(c), "Calmly now")).await;
    last_visitor_ack(&frames);

    // The log holds what was accepted, and nothing that was refused.
    let (mut again, _) = server
        .visitor_ws(
            &session.token,
            vec![Resume {
                conversation: c,
                last_seq: 0,
            }],
        )
        .await;
    // The replay is in log order: every flood message comes before the last one.
    let replay = again
        .visitor_until(|f| visitor_texts(std::slice::from_ref(f)) == ["Calmly now"])
        .await;
    let stored = visitor_texts(&replay);
    for i in accepted.iter().map(|id| id.trim_start_matches('m')) {
        assert!(stored.contains(&format!("flood {i}")), "{i}: {stored:?}");
    }
    for i in refused.iter().map(|id| id.trim_start_matches('m')) {
        assert!(!stored.contains(&format!("flood {i}")), "{i}: {stored:?}");
    }
    server.stop().await;
}

#[tokio::test]
async fn opening_sessions_too_fast_gets_429_with_retry_after_for_that_address_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = settings(dir.path().to_owned());
    settings.rate_limits.sessions = Rate::new(3, 6);
    let server = Server::start_with(settings).await;

    for _ in 0..3 {
        server.visitor().await;
    }
    let refused = server.visitor_session(json!({"site_key": SITE})).await;
    assert_eq!(refused.status(), 429);
    let retry: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=10).contains(&retry), "Retry-After: {retry}");
    let body: ErrorBody = refused.json().await.unwrap();
    assert_eq!(body.code, ErrorCode::RateLimited);
    // Logging in spends the same budget; the rest of the API does not.
    assert_eq!(server.login("ada", PASSWORD).await.status(), 429);
    let health = reqwest::get(server.url("/healthz")).await.unwrap();
    assert_eq!(health.status(), 200);

    let elsewhere = reqwest::Client::builder()
        .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)))
        .build()
        .unwrap();
    let response = elsewhere
        .post(server.url("/v1/visitor/session"))
        .json(&json!({"site_key": SITE}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "another address has its own budget");
    server.stop().await;
}

#[tokio::test]
async fn an_address_may_hold_only_so_many_sockets() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = settings(dir.path().to_owned());
    settings.rate_limits.sockets_per_address = 2;
    let server = Server::start_with(settings).await;
    let url = format!("ws://{}/v1/visitor/ws", server.addr);

    let first = Ws::connect(server.addr, "/v1/visitor/ws").await;
    let _second = Ws::connect(server.addr, "/v1/visitor/ws").await;
    match tokio_tungstenite::connect_async(&url).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 429);
        }
        other => panic!("expected 429, got {:?}", other.map(|_| ())),
    }
    // A socket that closes gives its place back.
    first.close().await;
    let mut reopened = false;
    for _ in 0..50 {
        if tokio_tungstenite::connect_async(&url).await.is_ok() {
            reopened = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(reopened);
    server.stop().await;
}
