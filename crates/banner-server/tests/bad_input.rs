//! Bad input on the sockets: garbage, unknown frames, unknown fields and
//! oversized frames get an `error` frame and the socket stays up; a first
//! frame that is not `hello`, or a bad token, closes it with the protocol's code.
//! These speak JSON by hand: banner-client cannot send such frames.

#![allow(clippy::unwrap_used)]

mod common;

use banner_proto::*;
use common::people::{login, visitor_session};
use common::raw::Ws;
use common::{SITE, Server};
use serde_json::json;

fn error(frame: &AgentFrame) -> &ErrorFrame {
    match frame {
        AgentFrame::Error(e) => e,
        other => panic!("expected an error, got {other:?}"),
    }
}

#[tokio::test]
async fn garbage_unknown_and_oversized_frames_are_refused_and_the_socket_stays_up() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let mut ws = Ws::agent(server.addr, login(&server, "ada").await.token()).await;

    ws.send_text("this is not json".into()).await;
    let e = ws.agent_frame().await;
    assert_eq!(error(&e).code, ErrorCode::BadRequest);
    assert!(error(&e).id.is_none());

    ws.send(&json!({"type": "dance", "id": "d1"})).await;
    let e = ws.agent_frame().await;
    assert_eq!(error(&e).code, ErrorCode::BadRequest);
    assert_eq!(error(&e).id.as_ref().unwrap().as_str(), "d1");

    ws.send(&json!({"type": "ping", "id": "x1", "surprise": true}))
        .await;
    let e = ws.agent_frame().await;
    assert!(error(&e).message.contains("surprise"), "{e:?}");

    let big = format!(
        "{{\"type\":\"ping\",\"id\":\"big\",\"pad\":\"{}\"}}",
        "x".repeat(limits::MAX_FRAME_BYTES)
    );
    ws.send_text(big).await;
    let e = ws.agent_frame().await;
    assert_eq!(error(&e).code, ErrorCode::TooLarge);

    ws.send(&json!({"type": "ping", "id": "alive"})).await;
    assert!(matches!(ws.agent_frame().await, AgentFrame::Ack(a) if a.id.as_str() == "alive"));

    let mut visitor = Ws::visitor(server.addr, visitor_session(&server, SITE).await.token()).await;
    visitor
        .send_text("{\"type\": \"send_message\"".into())
        .await;
    assert!(
        matches!(visitor.visitor_frame().await, VisitorFrame::Error(e) if e.code == ErrorCode::BadRequest)
    );
    visitor
        .send(&json!({"type": "send_message", "id": "e1", "conversation": null, "text": "   ", "attachments": []}))
        .await;
    assert!(
        matches!(visitor.visitor_frame().await, VisitorFrame::Error(e) if e.code == ErrorCode::EmptyMessage)
    );
    visitor.send(&json!({"type": "ping", "id": "alive"})).await;
    assert!(matches!(
        visitor.visitor_frame().await,
        VisitorFrame::Ack(_)
    ));
    server.stop().await;
}

#[tokio::test]
async fn a_socket_must_open_with_a_valid_hello() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let mut ws = Ws::connect(server.addr, "/v1/ws").await;
    ws.send(&json!({"type": "ping", "id": "early"})).await;
    assert_eq!(error(&ws.agent_frame().await).code, ErrorCode::BadRequest);
    assert_eq!(ws.close_code().await, Some(close::BAD_REQUEST));

    let mut ws = Ws::connect(server.addr, "/v1/ws").await;
    ws.send(&json!({"type": "hello", "protocol": 1, "token": "forged", "resume": []}))
        .await;
    assert_eq!(error(&ws.agent_frame().await).code, ErrorCode::Unauthorized);
    assert_eq!(ws.close_code().await, Some(close::UNAUTHORIZED));

    // A visitor's token does not open an agent's socket.
    let visitor = visitor_session(&server, SITE).await.token().to_owned();
    let mut ws = Ws::connect(server.addr, "/v1/ws").await;
    ws.send(&json!({"type": "hello", "protocol": 1, "token": visitor, "resume": []}))
        .await;
    assert_eq!(error(&ws.agent_frame().await).code, ErrorCode::Unauthorized);

    let mut ws = Ws::connect(server.addr, "/v1/visitor/ws").await;
    ws.send(&json!({"type": "hello", "protocol": 2, "token": visitor, "resume": []}))
        .await;
    assert_eq!(ws.close_code().await, Some(close::UNSUPPORTED_PROTOCOL));
    server.stop().await;
}

/// Sockets start with a small read buffer (an idle socket must stay cheap):
/// frames up to the protocol's limit must still be read whole, and an event
/// larger than the write buffer must still leave whole.
#[tokio::test]
async fn frames_up_to_the_limit_still_pass_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let head = "{\"type\":\"ping\",\"id\":\"near-limit\"";
    // JSON allows any amount of whitespace: a valid frame just under the limit.
    let padded = format!(
        "{head}{}}}",
        " ".repeat(limits::MAX_FRAME_BYTES - head.len() - 1)
    );
    assert_eq!(padded.len(), limits::MAX_FRAME_BYTES);

    let mut agent = Ws::agent(server.addr, login(&server, "ada").await.token()).await;
    agent.send_text(padded.clone()).await;
    assert!(
        matches!(agent.agent_frame().await, AgentFrame::Ack(a) if a.id.as_str() == "near-limit")
    );

    let mut visitor = Ws::visitor(server.addr, visitor_session(&server, SITE).await.token()).await;
    visitor.send_text(padded).await;
    assert!(
        matches!(visitor.visitor_frame().await, VisitorFrame::Ack(a) if a.id.as_str() == "near-limit")
    );

    // The longest text, in 4-byte characters written as JSON escapes: a
    // ~48 KB frame in, a ~16 KB event out.
    let longest = "\u{1F600}".repeat(limits::MAX_TEXT_CHARS);
    let escaped = "\\ud83d\\ude00".repeat(limits::MAX_TEXT_CHARS);
    visitor
        .send_text(format!(
            "{{\"type\":\"send_message\",\"id\":\"long\",\"conversation\":null,\"text\":\"{escaped}\",\"attachments\":[]}}"
        ))
        .await;
    let (mut acked, mut echoed) = (false, false);
    while !(acked && echoed) {
        match visitor.visitor_frame().await {
            VisitorFrame::Ack(a) if a.id.as_str() == "long" => acked = true,
            VisitorFrame::Event(Logged {
                event: VisitorEvent::Message { text, .. },
                ..
            }) if text == longest => echoed = true,
            VisitorFrame::Error(e) => panic!("refused: {e:?}"),
            _ => {}
        }
    }
    server.stop().await;
}
