//! A chat once Ada holds it: messages go both ways, each side seeing the
//! other by the right name; and an agent whose app is gone gets no more offers.

#![allow(clippy::unwrap_used)]

mod common;

use banner_client::{AgentClient, ConnectOptions};
use banner_proto::*;
use common::Server;
use common::chat::{Chat, start_chat};
use common::people::available;
use common::wait::{WAIT, agent_event, visitor_event};

#[tokio::test]
async fn messages_flow_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        mut ada,
        mut visitor,
    } = start_chat(&server).await;

    let ack = ada
        .ws
        .send_message(c, "Hello, Ada here.", false)
        .await
        .unwrap();
    let (author, _) = visitor_event(&mut visitor.ws, c, |e| match e {
        VisitorEvent::Message { author, text, .. } if text == "Hello, Ada here." => {
            Some(author.clone())
        }
        _ => None,
    })
    .await;
    assert_eq!(author, VisitorAuthor::Agent { name: "Ada".into() });
    assert!(ack.seq.is_some());

    let said = visitor.say(c, "My invoice is wrong.").await;
    let (logged, _) = agent_event(&mut ada.ws, c, |e| match e {
        AgentEvent::Message { author, text, .. } if text == "My invoice is wrong." => {
            Some(author.clone())
        }
        _ => None,
    })
    .await;
    assert_eq!(logged, Author::Visitor);
    assert!(said > ack.seq.unwrap());
    server.stop().await;
}

#[tokio::test]
async fn an_agent_whose_last_socket_drops_is_set_away() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let bob = available(&server, "bob").await;
    let token = bob.client.token().to_owned();
    bob.ws.close().await;

    // The server hears of the close on its own time: look until it has.
    let client = AgentClient::with_token(&server.base(), token).unwrap();
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let (again, welcome) = client.connect(ConnectOptions::default()).await.unwrap();
        again.close().await;
        if welcome.agent.presence == Presence::Away {
            break;
        }
        assert_eq!(welcome.agent.presence, Presence::Available);
        assert!(
            tokio::time::Instant::now() < deadline,
            "Bob is still available"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    server.stop().await;
}
