//! Typing indicators (live, never logged) and receipts (logged): both ways
//! between the visitor and the agent holding the chat, and a private note's
//! typing never reaches the visitor.

mod common;

use banner_proto::*;
use common::chat::{message, start_chat};
use common::*;
use serde_json::json;

fn receipt(frame: &AgentFrame, wanted: ReceiptKind) -> Option<Seq> {
    match frame {
        AgentFrame::Event(Logged {
            event:
                AgentEvent::Receipt {
                    kind,
                    up_to,
                    by: Participant::Visitor,
                },
            ..
        }) if *kind == wanted => Some(*up_to),
        _ => None,
    }
}

#[tokio::test]
async fn typing_passes_both_ways_and_a_private_notes_typing_stays_with_agents() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let mut chat = start_chat(&server).await;
    let c = chat.conversation;

    chat.visitor
        .send(&json!({"type": "typing", "conversation": c, "on": true}))
        .await;
    let frames = chat
        .ada
        .agent_until(|f| matches!(f, AgentFrame::Typing { .. }))
        .await;
    assert!(matches!(
        frames.last().unwrap(),
        AgentFrame::Typing {
            who: Participant::Visitor,
            on: true,
            private: false,
            ..
        }
    ));

    // A private note's typing first, then a public one: the visitor sees
    // only the second.
    chat.ada
        .send(&json!({"type": "typing", "conversation": c, "on": true, "private": true}))
        .await;
    chat.ada
        .send(&json!({"type": "typing", "conversation": c, "on": false, "private": false}))
        .await;
    let frames = chat
        .visitor
        .visitor_until(|f| matches!(f, VisitorFrame::Typing { .. }))
        .await;
    assert!(
        matches!(frames.last().unwrap(), VisitorFrame::Typing { name, on: false, .. } if name == "Ada"),
        "{frames:?}"
    );

    // Typing into someone else's conversation goes nowhere.
    let other = server.visitor().await;
    let (mut intruder, _) = server.visitor_ws(&other.token, vec![]).await;
    intruder
        .send(&json!({"type": "typing", "conversation": c, "on": true}))
        .await;
    chat.visitor
        .send(&json!({"type": "typing", "conversation": c, "on": false}))
        .await;
    let frames = chat
        .ada
        .agent_until(|f| matches!(f, AgentFrame::Typing { .. }))
        .await;
    assert!(matches!(
        frames.last().unwrap(),
        AgentFrame::Typing { on: false, .. }
    ));
}

#[tokio::test]
async fn delivered_and_read_receipts_go_both_ways_and_never_repeat() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let mut chat = start_chat(&server).await;
    let c = chat.conversation;

    // Ada writes: the visitor's socket gets it, which is a delivery.
    let frames = chat
        .ada
        .agent_command(message("m1", c, "Hello Jane", false))
        .await;
    let sent = last_ack(&frames).seq.unwrap();
    let frames = chat
        .ada
        .agent_until(|f| receipt(f, ReceiptKind::Delivered).is_some())
        .await;
    assert_eq!(
        receipt(frames.last().unwrap(), ReceiptKind::Delivered),
        Some(sent)
    );

    // The visitor reads it.
    let frames = chat
        .visitor
        .visitor_command(json!({"type": "read", "id": "r1", "conversation": c, "seq": sent}))
        .await;
    let ack = last_visitor_ack(&frames);
    assert!(ack.seq.is_some(), "the read receipt was recorded");
    let frames = chat
        .ada
        .agent_until(|f| receipt(f, ReceiptKind::Read).is_some())
        .await;
    assert_eq!(
        receipt(frames.last().unwrap(), ReceiptKind::Read),
        Some(sent)
    );
    // The same mark again records nothing.
    let frames = chat
        .visitor
        .visitor_command(json!({"type": "read", "id": "r2", "conversation": c, "seq": sent}))
        .await;
    assert_eq!(last_visitor_ack(&frames).seq, None);

    // Ada reads the visitor's messages: the visitor sees a read receipt.
    let frames = chat
        .ada
        .agent_command(json!({"type": "read", "id": "r3", "conversation": c, "seq": sent}))
        .await;
    let read_at = last_ack(&frames).seq.expect("a receipt was recorded");
    let frames = chat
        .visitor
        .visitor_until(|f| {
            matches!(
                f,
                VisitorFrame::Event(Logged {
                    event: VisitorEvent::Receipt {
                        kind: ReceiptKind::Read,
                        ..
                    },
                    ..
                })
            )
        })
        .await;
    let VisitorFrame::Event(logged) = frames.last().unwrap() else {
        unreachable!()
    };
    assert_eq!(logged.seq, read_at);

    // A read of someone else's conversation is refused.
    let other = server.visitor().await;
    let (mut intruder, _) = server.visitor_ws(&other.token, vec![]).await;
    let frames = intruder
        .visitor_command(json!({"type": "read", "id": "r4", "conversation": c, "seq": 1}))
        .await;
    assert!(matches!(
        frames.last().unwrap(),
        VisitorFrame::Error(ErrorFrame {
            code: ErrorCode::NotFound,
            ..
        })
    ));
}
