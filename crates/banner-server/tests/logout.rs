//! Logging out ends one session: its token stops working and its sockets
//! close with 4401. An agent holding chats must hand them on first.

#![allow(clippy::unwrap_used)]

mod common;

use banner_client::{ConnectOptions, Link};
use banner_proto::*;
use common::chat::start_chat;
use common::people::login;
use common::wait::WAIT;
use common::{Server, assert_refused};

#[tokio::test]
async fn logout_ends_the_session_and_closes_its_sockets_only() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let bob = login(&server, "bob").await;
    let other = login(&server, "bob").await;
    let (ws, _) = bob.connect(ConnectOptions::default()).await.unwrap();
    let (kept, _) = other.connect(ConnectOptions::default()).await.unwrap();

    bob.logout().await.unwrap();
    let link = tokio::time::timeout(WAIT, ws.wait_link(|l| l != Link::Up))
        .await
        .expect("the socket closes");
    assert_eq!(
        link,
        Link::Closed {
            close_code: Some(close::UNAUTHORIZED)
        },
        "closed for good: the client does not come back"
    );
    assert_refused(bob.pool().await, ErrorCode::Unauthorized);
    // Logging out twice is just unauthorized.
    assert_refused(bob.logout().await, ErrorCode::Unauthorized);

    // Bob's other session lives on.
    other.pool().await.unwrap();
    kept.ping().await.unwrap();
}

#[tokio::test]
async fn logout_is_refused_while_holding_chats() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let _chat = start_chat(&server).await;
    // Any of Ada's sessions, not only the one whose socket took the chat.
    let ada = login(&server, "ada").await;
    assert_refused(ada.logout().await, ErrorCode::HoldingChats);
    ada.pool().await.unwrap();
}
