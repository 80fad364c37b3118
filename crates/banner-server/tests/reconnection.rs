//! The reconnection timer: an anonymous visitor who drops has the queue's
//! reconnection timeout to come back. Back in time, the chat goes on; too late,
//! it closes — or freezes where the queue says so, and a frozen chat returns to
//! the same agent when the customer writes again.

#![allow(clippy::unwrap_used)]

mod common;

use banner_client::ConnectOptions;
use banner_proto::*;
use common::chat::{Chat, start_chat};
use common::people::{Agent, Visitor, available, connect_visitor, visitor};
use common::wait::{agent_event, agent_text, offer, offers, visitor_event, visitor_text};
use common::{FLEETING, FROZEN, Server, site};

/// Drops the visitor's socket; returns what a new one must resume.
async fn drop_visitor(visitor: Visitor) -> (banner_client::VisitorClient, ConnectOptions) {
    let resume = visitor.ws.resume();
    visitor.ws.close().await;
    let options = ConnectOptions {
        resume,
        ..ConnectOptions::default()
    };
    (visitor.client, options)
}

/// Fay holds a chat of `queue`'s site.
async fn fay_holds(server: &Server, queue: &str) -> (Agent, Visitor, ConversationId) {
    let mut fay = available(server, "fay").await;
    let mut visitor = visitor(server, &site(queue)).await;
    let c = visitor.start("Hello?").await;
    offer(&mut fay.ws, c).await;
    fay.ws.accept(c).await.unwrap();
    visitor_event(&mut visitor.ws, c, |e| {
        matches!(e, VisitorEvent::AgentJoined { .. }).then_some(())
    })
    .await;
    (fay, visitor, c)
}

/// Waits for the agent to hear that the visitor dropped; returns the deadline.
async fn dropped(agent: &mut Agent, c: ConversationId) -> Option<UnixMillis> {
    agent_event(&mut agent.ws, c, |e| match e {
        AgentEvent::VisitorDisconnected { reconnect_deadline } => Some(*reconnect_deadline),
        _ => None,
    })
    .await
    .0
}

#[tokio::test]
async fn a_visitor_who_comes_back_within_the_timer_resumes_the_chat() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        mut ada,
        visitor,
    } = start_chat(&server).await;
    let (client, options) = drop_visitor(visitor).await;
    assert!(dropped(&mut ada, c).await.is_some(), "anonymous: timed");
    ada.ws.send_message(c, "Still there?", false).await.unwrap();

    let mut visitor = connect_visitor(client, options).await;
    assert_eq!(visitor.welcome.resumed.len(), 1, "{:?}", visitor.welcome);
    let (_, seen) = agent_event(&mut ada.ws, c, |e| {
        matches!(e, AgentEvent::VisitorReconnected).then_some(())
    })
    .await;
    assert!(!seen.iter().any(|f| matches!(
        f,
        AgentFrame::Event(Logged {
            event: AgentEvent::VisitorLeft,
            ..
        })
    )));
    visitor_text(&mut visitor.ws, c, "Still there?").await;
    visitor.say(c, "Yes, sorry.").await;
    agent_text(&mut ada.ws, c, "Yes, sorry.").await;
    server.stop().await;
}

#[tokio::test]
async fn a_visitor_who_does_not_come_back_in_time_ends_the_chat() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let (mut fay, visitor, c) = fay_holds(&server, FLEETING).await;
    let (client, options) = drop_visitor(visitor).await;
    assert!(dropped(&mut fay, c).await.is_some());

    // Fleeting gives one second to come back; nobody does.
    let fay_id = fay.id();
    let (_, seen) = agent_event(&mut fay.ws, c, |e| match e {
        AgentEvent::WrapUpStarted { agent, .. } if agent.id == fay_id => Some(()),
        _ => None,
    })
    .await;
    assert!(seen.iter().any(|f| matches!(
        f,
        AgentFrame::Event(Logged {
            event: AgentEvent::VisitorLeft,
            ..
        })
    )));
    let late = connect_visitor(client, options).await;
    let refused = late
        .ws
        .send_message(Some(c), "I'm back!")
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Some(ErrorCode::ConversationEnded));
    server.stop().await;
}

#[tokio::test]
async fn where_the_queue_freezes_an_expired_timer_freezes_the_chat() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let (mut fay, visitor, c) = fay_holds(&server, FROZEN).await;
    let (client, options) = drop_visitor(visitor).await;

    let (frozen, seen) = agent_event(&mut fay.ws, c, |e| match e {
        AgentEvent::WaitingForCustomer { frozen, .. } => Some(*frozen),
        _ => None,
    })
    .await;
    assert!(frozen);
    assert!(!seen.iter().any(|f| matches!(
        f,
        AgentFrame::Event(Logged {
            event: AgentEvent::VisitorLeft,
            ..
        })
    )));
    // Still open: the customer may write again.
    let back = connect_visitor(client, options).await;
    back.say(c, "Here I am.").await;
    server.stop().await;
}

#[tokio::test]
async fn a_frozen_chat_returns_to_the_same_agent_when_the_customer_replies() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let (mut fay, visitor, c) = fay_holds(&server, FROZEN).await;
    // Gus waits longer than Fay: a chat merely queued would ring him first.
    let mut gus = available(&server, "gus").await;
    let (client, options) = drop_visitor(visitor).await;
    agent_event(&mut fay.ws, c, |e| match e {
        AgentEvent::WaitingForCustomer { frozen: true, .. } => Some(()),
        _ => None,
    })
    .await;

    let mut back = connect_visitor(client, options).await;
    back.say(c, "Sorry, I was away.").await;
    let offer = offer(&mut fay.ws, c).await;
    assert!(offer.returning, "{offer:?}");
    assert_eq!(offer.agent.id, fay.id());
    assert!(offers(&gus.settle().await).is_empty());
    fay.ws.accept(c).await.unwrap();
    let (name, _) = visitor_event(&mut back.ws, c, |e| match e {
        VisitorEvent::AgentJoined { name } => Some(name.clone()),
        _ => None,
    })
    .await;
    assert_eq!(name, "Fay");
    server.stop().await;
}
