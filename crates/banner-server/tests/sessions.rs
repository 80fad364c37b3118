//! What a session keeps and how it ends by itself: a socket closes with 4401
//! when its session expires, and an agent's notification switches outlive a
//! restart.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use banner_client::{ConnectOptions, Link};
use banner_proto::*;
use common::Server;
use common::people::{login, visitor};
use common::wait::WAIT;

#[tokio::test]
async fn sockets_close_with_4401_when_their_session_expires() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = common::settings(dir.path().to_owned());
    settings.session_ttl_secs = 2;
    settings.visitor_session_ttl_secs = 2;
    let server = Server::start_with(settings).await;
    let bob = login(&server, "bob").await;
    let (ws, welcome) = bob.connect(ConnectOptions::default()).await.unwrap();
    let jane = visitor(&server, common::SITE).await;
    assert!(welcome.expires_at > welcome.server_time);

    // Still up before the deadline…
    ws.ping().await.unwrap();
    // …and closed for good after it, on both sides.
    let wait = WAIT + Duration::from_secs(2);
    for link in [
        tokio::time::timeout(wait, ws.wait_link(|l| l != Link::Up)).await,
        tokio::time::timeout(wait, jane.ws.wait_link(|l| l != Link::Up)).await,
    ] {
        assert_eq!(
            link.expect("the socket closes"),
            Link::Closed {
                close_code: Some(close::UNAUTHORIZED)
            }
        );
    }
}

#[tokio::test]
async fn notification_switches_outlive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let ada = login(&server, "ada").await;
    let (ws, welcome) = ada.connect(ConnectOptions::default()).await.unwrap();
    let mut switches = welcome.agent.notifications;
    switches.message_arrives = !switches.message_arrives;
    switches.messaging_ended = !switches.messaging_ended;
    ws.set_notification_settings(switches).await.unwrap();
    ws.close().await;
    server.stop().await;

    let server = Server::start(&dir).await;
    let ada = login(&server, "ada").await;
    let (_ws, welcome) = ada.connect(ConnectOptions::default()).await.unwrap();
    assert_eq!(welcome.agent.notifications, switches);
}
