//! Transfers of a chat Ada holds, to Bob or to his queue (Sales): a blind
//! transfer lets go at once; an attended one keeps the chat with Ada until the
//! target accepts, and a refusal gives it back to her.

#![allow(clippy::unwrap_used)]

mod common;

use banner_client::AgentConnection;
use banner_proto::*;
use common::Server;
use common::chat::{Chat, start_chat};
use common::people::{Agent, Visitor, available};
use common::wait::{agent_event, offer, visitor_event, visitor_text};

/// Waits until the visitor is told `name` joined.
async fn joined(visitor: &mut Visitor, c: ConversationId) -> String {
    visitor_event(&mut visitor.ws, c, |e| match e {
        VisitorEvent::AgentJoined { name } => Some(name.clone()),
        _ => None,
    })
    .await
    .0
}

/// Waits for the `assigned` event of `c` to `to` on `ws`; returns how.
async fn assigned(ws: &mut AgentConnection, c: ConversationId, to: AgentId) -> AssignedBy {
    agent_event(ws, c, |e| match e {
        AgentEvent::Assigned { agent, by } if agent.id == to => Some(*by),
        _ => None,
    })
    .await
    .0
}

/// Whether Ada may still write in the chat (only its holder may).
async fn holds(ada: &Agent, c: ConversationId) -> bool {
    match ada.ws.send_message(c, "Ada checks in.", false).await {
        Ok(_) => true,
        Err(e) if e.code() == Some(ErrorCode::NotHolder) => false,
        Err(e) => panic!("unexpected refusal: {e}"),
    }
}

#[tokio::test]
async fn a_blind_transfer_to_a_user_lets_go_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        ada,
        mut visitor,
    } = start_chat(&server).await;
    let mut bob = available(&server, "bob").await;

    let target = TransferTarget::user(bob.id());
    ada.ws
        .transfer(c, target, TransferMode::Blind)
        .await
        .unwrap();
    assert!(!holds(&ada, c).await, "Ada let go at once");
    let offer = offer(&mut bob.ws, c).await;
    let transfer = offer.transfer.unwrap();
    assert_eq!(
        (transfer.from.id, transfer.mode),
        (ada.id(), TransferMode::Blind)
    );

    bob.ws.accept(c).await.unwrap();
    let bob_id = bob.id();
    assert_eq!(
        assigned(&mut bob.ws, c, bob_id).await,
        AssignedBy::Transferred
    );
    assert_eq!(joined(&mut visitor, c).await, "Bob");
    bob.ws.send_message(c, "Bob here.", false).await.unwrap();
    visitor_text(&mut visitor.ws, c, "Bob here.").await;
    server.stop().await;
}

#[tokio::test]
async fn an_attended_transfer_to_a_user_stays_with_the_sender_until_accepted_and_a_refusal_returns_it()
 {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        mut ada,
        mut visitor,
    } = start_chat(&server).await;
    let mut bob = available(&server, "bob").await;
    let target = TransferTarget::user(bob.id());

    ada.ws
        .transfer(c, target, TransferMode::Attended)
        .await
        .unwrap();
    let rang = offer(&mut bob.ws, c).await;
    assert_eq!(rang.transfer.unwrap().mode, TransferMode::Attended);
    assert!(
        holds(&ada, c).await,
        "Ada keeps the chat while it rings Bob"
    );
    bob.ws.decline(c).await.unwrap();
    let ada_id = ada.id();
    let (to, _) = agent_event(&mut ada.ws, c, |e| match e {
        AgentEvent::TransferReturned { to } => Some(to.id),
        _ => None,
    })
    .await;
    assert_eq!(to, ada_id);
    assert!(holds(&ada, c).await, "the refusal gave it back");

    ada.ws
        .transfer(c, target, TransferMode::Attended)
        .await
        .unwrap();
    offer(&mut bob.ws, c).await;
    bob.ws.accept(c).await.unwrap();
    assert_eq!(
        assigned(&mut ada.ws, c, bob.id()).await,
        AssignedBy::Transferred
    );
    assert!(!holds(&ada, c).await, "accepted: Bob holds it now");
    assert_eq!(joined(&mut visitor, c).await, "Bob");
    server.stop().await;
}

#[tokio::test]
async fn a_blind_transfer_to_a_queue_goes_to_a_member_of_that_queue() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        ada,
        mut visitor,
    } = start_chat(&server).await;
    let mut bob = available(&server, "bob").await;
    let sales = bob.queue();

    let target = TransferTarget::queue(sales);
    ada.ws
        .transfer(c, target, TransferMode::Blind)
        .await
        .unwrap();
    assert!(!holds(&ada, c).await);
    let offer = offer(&mut bob.ws, c).await;
    assert_eq!(offer.queue.unwrap().label, "Sales");
    assert_eq!(offer.transfer.unwrap().mode, TransferMode::Blind);
    bob.ws.accept(c).await.unwrap();
    let bob_id = bob.id();
    assert_eq!(
        assigned(&mut bob.ws, c, bob_id).await,
        AssignedBy::Transferred
    );
    assert_eq!(joined(&mut visitor, c).await, "Bob");
    server.stop().await;
}

#[tokio::test]
async fn an_attended_transfer_to_a_queue_rings_a_member_while_the_sender_keeps_the_chat() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        mut ada,
        mut visitor,
    } = start_chat(&server).await;
    let mut bob = available(&server, "bob").await;
    let sales = bob.queue();

    let target = TransferTarget::queue(sales);
    ada.ws
        .transfer(c, target, TransferMode::Attended)
        .await
        .unwrap();
    let offer = offer(&mut bob.ws, c).await;
    assert_eq!(offer.queue.unwrap().label, "Sales");
    assert!(holds(&ada, c).await, "Ada keeps it until Bob accepts");
    bob.ws.accept(c).await.unwrap();
    assert_eq!(
        assigned(&mut ada.ws, c, bob.id()).await,
        AssignedBy::Transferred
    );
    assert!(!holds(&ada, c).await);
    assert_eq!(joined(&mut visitor, c).await, "Bob");
    server.stop().await;
}
