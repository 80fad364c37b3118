//! One chat through a real server: the visitor's first message runs smart
//! routing, the choice menu routes by case type to Billing, Ada is offered the
//! chat and accepts, messages go both ways — and a private message never
//! reaches the visitor.

#![allow(clippy::unwrap_used)]

mod common;

use banner_proto::*;
use common::chat::{Chat, message, start_chat};
use common::*;
use serde_json::json;

#[tokio::test]
async fn smart_routing_offers_the_chat_and_messages_flow_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        mut ada,
        mut visitor,
        ..
    } = start_chat(&server).await;

    let frames = ada
        .agent_command(message("a2", c, "Hello, Ada here.", false))
        .await;
    assert_eq!(agent_texts(&frames), ["Hello, Ada here."]);
    let got = visitor
        .visitor_until(|f| !visitor_texts(std::slice::from_ref(f)).is_empty())
        .await;
    let VisitorFrame::Event(Logged {
        event: VisitorEvent::Message { author, text, .. },
        ..
    }) = got.last().unwrap()
    else {
        unreachable!()
    };
    assert_eq!(text, "Hello, Ada here.");
    assert_eq!(author, &VisitorAuthor::Agent { name: "Ada".into() });

    visitor
        .visitor_command(json!({"type": "send_message", "id": "m3", "conversation": c, "text": "My invoice is wrong.", "attachments": []}))
        .await;
    let got = ada
        .agent_until(|f| agent_texts(std::slice::from_ref(f)) == ["My invoice is wrong."])
        .await;
    assert!(matches!(
        got.last(),
        Some(AgentFrame::Event(Logged {
            event: AgentEvent::Message {
                author: Author::Visitor,
                ..
            },
            ..
        }))
    ));
    server.stop().await;
}

#[tokio::test]
async fn a_private_message_never_reaches_the_visitor() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        mut ada,
        mut visitor,
        visitor_token,
        ..
    } = start_chat(&server).await;

    let frames = ada
        .agent_command(message("a2", c, "Note: VIP customer", true))
        .await;
    assert!(last_ack(&frames).seq.is_some());
    ada.agent_command(message("a3", c, "Public answer", false))
        .await;
    let got = visitor
        .visitor_until(|f| visitor_texts(std::slice::from_ref(f)) == ["Public answer"])
        .await;
    assert!(!visitor_texts(&got).iter().any(|t| t.contains("VIP")));

    // Nor through a replay of the whole log.
    visitor.close().await;
    let resume = vec![Resume {
        conversation: c,
        last_seq: 0,
    }];
    let (mut again, _) = server.visitor_ws(&visitor_token, resume).await;
    // The replay precedes the answer to any command sent after hello.
    let replay = again
        .visitor_command(json!({"type": "ping", "id": "z"}))
        .await;
    let texts = visitor_texts(&replay);
    assert!(texts.contains(&"Public answer".to_owned()), "{texts:?}");
    assert!(!texts.iter().any(|t| t.contains("VIP")), "{texts:?}");
    server.stop().await;
}

#[tokio::test]
async fn an_agent_whose_last_socket_drops_is_set_away() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let token = server.token("bob").await;
    let (mut bob, _) = server.agent_ws(&token, vec![]).await;
    bob.agent_command(json!({"type": "set_presence", "id": "p1", "presence": "available"}))
        .await;
    bob.close().await;
    let mut presence = Presence::Available;
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let (again, welcome) = server.agent_ws(&token, vec![]).await;
        presence = welcome.agent.presence;
        again.close().await;
        if presence == Presence::Away {
            break;
        }
    }
    assert_eq!(presence, Presence::Away);
    server.stop().await;
}
