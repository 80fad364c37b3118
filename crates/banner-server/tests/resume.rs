//! What survives a drop: a retried command is applied once, a visitor who
//! reconnects gets what was missed exactly once, and a restarted server keeps
//! its conversations, their messages, and who holds them.

#![allow(clippy::unwrap_used)]

mod common;

use banner_proto::*;
use common::chat::{Chat, message, start_chat};
use common::*;
use serde_json::json;

fn visitor_message(id: &str, c: ConversationId, text: &str) -> serde_json::Value {
    json!({"type": "send_message", "id": id, "conversation": c, "text": text, "attachments": []})
}

#[tokio::test]
async fn a_retried_command_is_applied_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        mut ada,
        mut visitor,
        visitor_token,
        ..
    } = start_chat(&server).await;

    let first = visitor
        .visitor_command(visitor_message("r1", c, "Once"))
        .await;
    let first = last_visitor_ack(&first).clone();
    let again = visitor
        .visitor_command(visitor_message("r1", c, "Once"))
        .await;
    assert_eq!(last_visitor_ack(&again), &first);
    assert!(
        visitor_texts(&again).is_empty(),
        "a retry sends nothing new"
    );

    // After a reconnect too.
    visitor.close().await;
    let (mut visitor, _) = server.visitor_ws(&visitor_token, vec![]).await;
    let later = visitor
        .visitor_command(visitor_message("r1", c, "Once"))
        .await;
    assert_eq!(last_visitor_ack(&later), &first);

    let conflict = visitor
        .visitor_command(visitor_message("r1", c, "Twice"))
        .await;
    match conflict.last().unwrap() {
        VisitorFrame::Error(e) => assert_eq!(e.code, ErrorCode::Conflict),
        other => panic!("expected a conflict, got {other:?}"),
    }

    let a1 = ada.agent_command(message("a9", c, "Noted.", false)).await;
    let a2 = ada.agent_command(message("a9", c, "Noted.", false)).await;
    assert_eq!(last_ack(&a1), last_ack(&a2));

    visitor
        .visitor_command(visitor_message("r2", c, "sentinel"))
        .await;
    let seen = ada
        .agent_until(|f| agent_texts(std::slice::from_ref(f)) == ["sentinel"])
        .await;
    let texts = agent_texts(&[a1, a2, seen].concat());
    assert_eq!(
        texts.iter().filter(|t| *t == "Noted.").count(),
        1,
        "{texts:?}"
    );
    assert_eq!(
        texts.iter().filter(|t| *t == "Once").count(),
        1,
        "{texts:?}"
    );
    assert!(!texts.contains(&"Twice".to_owned()));
    server.stop().await;
}

#[tokio::test]
async fn a_dropped_visitor_socket_resumes_from_its_last_seq_without_gap_or_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        mut ada,
        visitor,
        visitor_token,
        visitor_seq,
    } = start_chat(&server).await;
    visitor.close().await;

    let mut last = 0;
    for (i, text) in ["while away 1", "while away 2", "while away 3"]
        .iter()
        .enumerate()
    {
        let frames = ada
            .agent_command(message(&format!("w{i}"), c, text, false))
            .await;
        last = last_ack(&frames).seq.unwrap();
    }
    ada.agent_command(message("w9", c, "private while away", true))
        .await;

    let resume = vec![Resume {
        conversation: c,
        last_seq: visitor_seq,
    }];
    let (mut visitor, welcome) = server.visitor_ws(&visitor_token, resume).await;
    assert!(welcome.refused.is_empty());
    assert!(welcome.resumed[0].latest_seq >= last);
    let replay = visitor
        .visitor_command(json!({"type": "ping", "id": "p"}))
        .await;
    let seqs: Vec<Seq> = replay
        .iter()
        .filter_map(|f| match f {
            VisitorFrame::Event(l) => Some(l.seq),
            _ => None,
        })
        .collect();
    assert!(seqs.iter().all(|s| *s > visitor_seq), "{seqs:?}");
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    assert_eq!(
        visitor_texts(&replay),
        ["while away 1", "while away 2", "while away 3"]
    );

    ada.agent_command(message("w4", c, "live again", false))
        .await;
    let live = visitor
        .visitor_until(|f| visitor_texts(std::slice::from_ref(f)) == ["live again"])
        .await;
    assert_eq!(visitor_texts(&live), ["live again"]);
    let after = visitor
        .visitor_command(json!({"type": "ping", "id": "q"}))
        .await;
    assert!(visitor_texts(&after).is_empty(), "nothing twice");
    server.stop().await;
}

#[tokio::test]
async fn a_restart_keeps_conversations_messages_and_who_holds_them() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        mut ada,
        mut visitor,
        visitor_token,
        ..
    } = start_chat(&server).await;
    ada.agent_command(message("b1", c, "Before the restart.", false))
        .await;
    visitor
        .visitor_command(visitor_message("v1", c, "Me too."))
        .await;
    ada.close().await;
    visitor.close().await;
    server.stop().await;

    let server = Server::start(&dir).await;
    let resume = vec![Resume {
        conversation: c,
        last_seq: 0,
    }];
    let (mut visitor, welcome) = server.visitor_ws(&visitor_token, resume.clone()).await;
    assert!(welcome.refused.is_empty(), "{welcome:?}");
    let replay = visitor
        .visitor_command(json!({"type": "ping", "id": "p"}))
        .await;
    let texts = visitor_texts(&replay);
    for expected in ["Hello!", "Before the restart.", "Me too."] {
        assert!(texts.contains(&expected.to_owned()), "{texts:?}");
    }

    let (mut ada, welcome) = server.agent_ws(&server.token("ada").await, resume).await;
    assert!(
        welcome.refused.is_empty(),
        "Ada still holds the chat: {welcome:?}"
    );
    ada.agent_command(json!({"type": "ping", "id": "p"})).await;
    visitor
        .visitor_command(visitor_message("v2", c, "After the restart."))
        .await;
    ada.agent_until(|f| agent_texts(std::slice::from_ref(f)) == ["After the restart."])
        .await;
    let answer = ada
        .agent_command(message("b2", c, "Welcome back.", false))
        .await;
    assert!(
        last_ack(&answer).seq.is_some(),
        "only the holder may answer"
    );
    visitor
        .visitor_until(|f| visitor_texts(std::slice::from_ref(f)) == ["Welcome back."])
        .await;
    server.stop().await;
}

#[tokio::test]
async fn a_visitor_and_an_agent_may_use_the_same_command_id_even_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        mut ada,
        visitor,
        visitor_token,
        ..
    } = start_chat(&server).await;
    // The visitor's first message was "m1"; Ada picks the same id.
    let frames = ada
        .agent_command(message("m1", c, "Same id, other sender.", false))
        .await;
    let ada_seq = last_ack(&frames).seq.expect("applied, not a conflict");
    ada.close().await;
    visitor.close().await;
    server.stop().await;

    // After a restart each retry still gets its own original ack.
    let server = Server::start(&dir).await;
    let (mut ada, _) = server.agent_ws(&server.token("ada").await, vec![]).await;
    let frames = ada
        .agent_command(message("m1", c, "Same id, other sender.", false))
        .await;
    assert_eq!(last_ack(&frames).seq, Some(ada_seq));
    let (mut visitor, _) = server.visitor_ws(&visitor_token, vec![]).await;
    let frames = visitor
        .visitor_command(json!({"type": "send_message", "id": "m2", "conversation": c, "text": "An invoice", "attachments": []}))
        .await;
    let ack = last_visitor_ack(&frames);
    assert!(
        ack.seq.is_some_and(|s| s < ada_seq),
        "the visitor's original m2: {ack:?}"
    );
    server.stop().await;
}
