//! A restarted server keeps everything it acknowledged: every conversation,
//! every message, who holds each chat, the order in which waiting chats are
//! served, and each sender's answers to its commands.

#![allow(clippy::unwrap_used)]

mod common;

use banner_client::{ConnectOptions, VisitorClient};
use banner_proto::*;
use common::chat::{Chat, start_chat};
use common::people::{agent, available, connect_visitor, visitor};
use common::wait::{agent_text, offers, until, visitor_text, visitor_texts};
use common::{SUPPORT, Server, site};

fn resuming(c: ConversationId) -> ConnectOptions {
    ConnectOptions {
        resume: vec![Resume {
            conversation: c,
            last_seq: 0,
        }],
        ..ConnectOptions::default()
    }
}

#[tokio::test]
async fn a_restart_keeps_conversations_messages_and_who_holds_them() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        ada,
        visitor,
    } = start_chat(&server).await;
    ada.ws
        .send_message(c, "Before the restart.", false)
        .await
        .unwrap();
    visitor.say(c, "Me too.").await;
    let token = visitor.client.token().to_owned();
    ada.ws.close().await;
    visitor.ws.close().await;
    server.stop().await;

    let server = Server::start(&dir).await;
    let client = VisitorClient::with_token(&server.base(), token).unwrap();
    let mut visitor = connect_visitor(client, resuming(c)).await;
    assert!(visitor.welcome.refused.is_empty(), "{:?}", visitor.welcome);
    let replay = visitor_text(&mut visitor.ws, c, "Me too.").await;
    let texts = visitor_texts(&replay);
    for expected in ["Hello!", "An invoice", "Before the restart."] {
        assert!(texts.contains(&expected.to_owned()), "{texts:?}");
    }

    // Ada still holds the chat: she hears the visitor and may answer.
    let mut ada = agent(&server, "ada").await;
    visitor.say(c, "After the restart.").await;
    let answer = ada.ws.send_message(c, "Welcome back.", false).await;
    assert!(answer.unwrap().seq.is_some(), "only the holder may answer");
    agent_text(&mut ada.ws, c, "After the restart.").await;
    visitor_text(&mut visitor.ws, c, "Welcome back.").await;
    server.stop().await;
}

#[tokio::test]
async fn a_restart_keeps_waiting_chats_in_their_order() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    // Nobody is available: the chats wait in Support, first come first served.
    let mut waiting = Vec::new();
    for n in 1..=3 {
        let visitor = visitor(&server, &site(SUPPORT)).await;
        let c = visitor.start(&format!("I came {n}.")).await;
        waiting.push((c, visitor.client.token().to_owned()));
        visitor.ws.close().await;
    }
    server.stop().await;

    let server = Server::start(&dir).await;
    let mut cy = available(&server, "cy").await;
    let (order, _) = {
        let mut rang = Vec::new();
        until(&mut cy.ws, |f| {
            rang.extend(
                offers(std::slice::from_ref(f))
                    .iter()
                    .map(|o| o.conversation),
            );
            (rang.len() == waiting.len()).then(|| rang.clone())
        })
        .await
    };
    let expected: Vec<ConversationId> = waiting.iter().map(|(c, _)| *c).collect();
    assert_eq!(order, expected, "served in the order they came");

    for (n, (c, token)) in waiting.into_iter().enumerate() {
        let client = VisitorClient::with_token(&server.base(), token).unwrap();
        let mut visitor = connect_visitor(client, resuming(c)).await;
        visitor_text(&mut visitor.ws, c, &format!("I came {}.", n + 1)).await;
    }
    server.stop().await;
}

#[tokio::test]
async fn a_visitor_and_an_agent_may_use_the_same_command_id_even_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        ada,
        visitor,
    } = start_chat(&server).await;
    // The visitor writes under an id; Ada picks the same one.
    let same = ClientId::new("same-id").unwrap();
    let theirs = VisitorCommand::SendMessage(VisitorSendMessage {
        id: same.clone(),
        conversation: Some(c),
        text: MessageText::new("Mine.").unwrap(),
        attachments: AttachmentIds::default(),
    });
    let ours = AgentCommand::SendMessage(SendMessage {
        id: same,
        conversation: c,
        text: MessageText::new("Same id, other sender.").unwrap(),
        private: false,
        attachments: AttachmentIds::default(),
    });
    let visitor_seq = visitor.ws.send(theirs.clone()).await.unwrap().seq.unwrap();
    let ada_seq = ada.ws.send(ours.clone()).await;
    let ada_seq = ada_seq.expect("applied, not a conflict").seq.unwrap();
    assert!(visitor_seq < ada_seq);
    let token = visitor.client.token().to_owned();
    ada.ws.close().await;
    visitor.ws.close().await;
    server.stop().await;

    // After a restart each retry still gets its own original ack (Ada's from
    // a new session).
    let server = Server::start(&dir).await;
    let ada = agent(&server, "ada").await;
    let again = ada.ws.send(ours).await.unwrap();
    assert_eq!(again.seq, Some(ada_seq));
    let client = VisitorClient::with_token(&server.base(), token).unwrap();
    let visitor = connect_visitor(client, ConnectOptions::default()).await;
    let again = visitor.ws.send(theirs).await.unwrap();
    assert_eq!(again.seq, Some(visitor_seq), "the visitor's original ack");
    server.stop().await;
}
