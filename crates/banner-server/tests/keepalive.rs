//! Keep-alive: the server pings every `keepalive_secs` and closes with 4408 a
//! socket that has sent nothing, not even a Pong, for twice that. A client
//! that never reads never answers pings (tungstenite answers them while
//! reading), which is what a vanished client looks like.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use banner_client::{ConnectOptions, Link};
use banner_proto::close;
use common::people::{login, visitor_session};
use common::raw::Ws;
use common::{SITE, Server, settings};
use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;

async fn server_pinging_every_second(dir: &tempfile::TempDir) -> Server {
    let mut settings = settings(dir.path().to_owned());
    settings.keepalive_secs = 1;
    Server::start_with(settings).await
}

#[tokio::test]
async fn a_silent_visitor_socket_is_closed_with_4408() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_pinging_every_second(&dir).await;
    let session = visitor_session(&server, SITE).await;
    // A bare socket: banner-client always reads, so it always answers pings.
    let mut ws = Ws::visitor(server.addr, session.token()).await;
    let opened = Instant::now();
    // Not reading: the pings pile up unanswered.
    tokio::time::sleep(Duration::from_millis(2600)).await;
    assert_eq!(ws.close_code().await, Some(close::HELLO_TIMEOUT));
    assert!(opened.elapsed() >= Duration::from_secs(2));
    server.stop().await;
}

#[tokio::test]
async fn an_agent_socket_that_answers_pings_stays_open() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_pinging_every_second(&dir).await;
    let ada = login(&server, "ada").await;
    // Meanwhile banner-client's socket of the same session, which reads all
    // along, must stay up too.
    let (client_ws, _) = ada.connect(ConnectOptions::default()).await.unwrap();
    let token = ada.token().to_owned();
    // A bare socket, to count the pings.
    let (mut ws, _) = tokio_tungstenite::connect_async(format!("ws://{}/v1/ws", server.addr))
        .await
        .unwrap();
    let hello = json!({"type": "hello", "protocol": 1, "token": token, "resume": []});
    ws.send(Message::Text(hello.to_string().into()))
        .await
        .unwrap();

    // Reading answers each ping; three pings in, the socket is still open.
    let mut pings = 0;
    let until = Instant::now() + Duration::from_millis(3500);
    while let Ok(next) = tokio::time::timeout_at(until.into(), ws.next()).await {
        match next.unwrap().unwrap() {
            Message::Ping(_) => pings += 1,
            Message::Close(frame) => panic!("closed: {frame:?}"),
            _ => {}
        }
    }
    assert!(pings >= 3, "{pings} pings");
    let ping = json!({"type": "ping", "id": "p1"});
    ws.send(Message::Text(ping.to_string().into()))
        .await
        .unwrap();
    loop {
        match ws.next().await.unwrap().unwrap() {
            Message::Text(t) if t.contains("\"ack\"") => break,
            Message::Close(frame) => panic!("closed: {frame:?}"),
            _ => {}
        }
    }
    assert_eq!(client_ws.link(), Link::Up);
    client_ws.ping().await.unwrap();
    server.stop().await;
}
