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

use banner_client::connection::visitor_command;
use banner_client::{AgentClient, ConnectOptions, VisitorClient};
use banner_proto::*;
use banner_server::limits::Rate;
use common::people::{connect_visitor, visitor, visitor_session};
use common::raw::Ws;
use common::wait::{until, visitor_texts};
use common::{PASSWORD, SITE, Server, refusal, settings};

#[tokio::test]
async fn a_visitor_flood_is_refused_command_by_command_and_the_socket_stays_usable() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = settings(dir.path().to_owned());
    // A burst of five, then one every two seconds.
    settings.rate_limits.visitor_commands = Rate::new(5, 30);
    let server = Server::start_with(settings).await;

    let jane = visitor(&server, SITE).await;
    let c = jane.start("Hello!").await;

    // Ten more at once: the burst has four tokens left.
    let flood: Vec<_> = (1..=10)
        .map(|i| {
            let command = visitor_command::send_message(Some(c), &format!("flood {i}"), &[]);
            (i, jane.ws.submit(command.unwrap()).unwrap())
        })
        .collect();
    let (mut accepted, mut refused) = (Vec::new(), Vec::new());
    for (i, pending) in flood {
        match common::wait::answer(pending).await {
            Ok(_) => accepted.push(i),
            Err(e) => {
                assert_eq!(e.code(), Some(ErrorCode::RateLimited), "{e}");
                refused.push(i);
            }
        }
    }
    assert!(accepted.len() >= 4, "the burst is served: {accepted:?}");
    assert!(refused.len() >= 3, "the flood is refused: {refused:?}");

    // Another visitor is not held back by this one.
    let other = visitor(&server, SITE).await;
    other.start("Hi").await;

    // After the window the same socket carries on.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    jane.say(c, "Calmly now").await;

    // The log holds what was accepted, and nothing that was refused.
    let options = ConnectOptions {
        resume: vec![Resume {
            conversation: c,
            last_seq: 0,
        }],
        ..ConnectOptions::default()
    };
    let mut again = connect_visitor(jane.client.clone(), options).await;
    // The replay is in log order: every flood message comes before the last one.
    let (_, replay) = until(&mut again.ws, |f| {
        (visitor_texts(std::slice::from_ref(f)) == ["Calmly now"]).then_some(())
    })
    .await;
    let stored = visitor_texts(&replay);
    for i in &accepted {
        assert!(stored.contains(&format!("flood {i}")), "{i}: {stored:?}");
    }
    for i in &refused {
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
        visitor_session(&server, SITE).await;
    }
    let request = VisitorSessionRequest {
        site_key: SITE.to_owned(),
        customer: None,
        direct_agent: None,
        locale: None,
    };
    let refused = VisitorClient::session(&server.base(), &request).await;
    let retry = refused.as_ref().unwrap_err().retry_after();
    let (code, status, _) = refusal(refused);
    assert_eq!((code, status), (ErrorCode::RateLimited, Some(429)));
    let retry = retry.expect("Retry-After").as_secs();
    assert!((1..=10).contains(&retry), "Retry-After: {retry}");
    // Logging in spends the same budget; the rest of the API does not.
    let login = refusal(AgentClient::login(&server.base(), "ada", PASSWORD).await);
    assert_eq!((login.0, login.1), (ErrorCode::RateLimited, Some(429)));
    banner_client::health(&server.base()).await.unwrap();

    // A client bound to another loopback address (no client library does that).
    let elsewhere = reqwest::Client::builder()
        .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)))
        .build()
        .unwrap();
    let response = elsewhere
        .post(server.url(http::path::VISITOR_SESSION))
        .json(&request)
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

    // Bare sockets: they count from the upgrade on, before any `hello`.
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
