//! Logging out ends one session: its token stops working and its sockets
//! close with 4401. An agent holding chats must hand them on first.

#![allow(clippy::unwrap_used)]

mod common;

use banner_proto::http::path;
use banner_proto::*;
use common::chat::start_chat;
use common::*;

async fn logout(server: &Server, token: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(server.url(path::LOGOUT))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn logout_ends_the_session_and_closes_its_sockets_only() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let bob = server.token("bob").await;
    let other = server.token("bob").await;
    let (mut ws, _) = server.agent_ws(&bob, vec![]).await;
    let (mut kept, _) = server.agent_ws(&other, vec![]).await;

    assert_eq!(logout(&server, &bob).await.status(), 204);
    assert_eq!(ws.close_code().await, Some(close::UNAUTHORIZED));
    server
        .get_error(path::POOL, &bob, ErrorCode::Unauthorized)
        .await;
    // Logging out twice is just unauthorized.
    assert_eq!(logout(&server, &bob).await.status(), 401);

    // Bob's other session lives on.
    let _: Pool = server.get_json(path::POOL, &other).await;
    let frames = kept
        .agent_command(serde_json::json!({"type": "ping", "id": "p1"}))
        .await;
    assert!(answers_agent(frames.last().unwrap(), "p1"));
}

#[tokio::test]
async fn logout_is_refused_while_holding_chats() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let _chat = start_chat(&server).await;
    let ada = server.token("ada").await;
    let response = logout(&server, &ada).await;
    assert_eq!(response.status(), 409);
    let body: ErrorBody = response.json().await.unwrap();
    assert_eq!(body.code, ErrorCode::HoldingChats);
    let _: Pool = server.get_json(path::POOL, &ada).await;
}
