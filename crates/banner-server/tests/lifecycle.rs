//! How a chat ends: the agent archives it, wraps up, and it is history; an
//! anonymous visitor's conversation is then over, while an authenticated
//! customer's continues with their next message, even from a new session.

#![allow(clippy::unwrap_used)]

mod common;

use banner_client::ConnectOptions;
use banner_proto::*;
use common::chat::{Chat, start_chat};
use common::people::{available, connect_visitor, customer_session, visitor};
use common::wait::{agent_event, offer, visitor_event, visitor_text, visitor_texts};
use common::{SITE, Server};

#[tokio::test]
async fn archive_then_wrap_up_then_complete_ends_an_anonymous_chat() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        mut ada,
        mut visitor,
    } = start_chat(&server).await;

    let archived = ada.ws.archive(c).await.unwrap();
    let ada_id = ada.id();
    let (wrap_up, frames) = agent_event(&mut ada.ws, c, |e| match e {
        AgentEvent::WrapUpStarted { agent, deadline } if agent.id == ada_id => Some(*deadline),
        _ => None,
    })
    .await;
    let archived_event = frames.iter().find_map(|f| match f {
        AgentFrame::Event(l) if matches!(l.event, AgentEvent::Archived { .. }) => Some(l.seq),
        _ => None,
    });
    assert_eq!(
        archived_event, archived.seq,
        "the ack names the archived event"
    );
    assert!(wrap_up > 0);
    let (name, _) = visitor_event(&mut visitor.ws, c, |e| match e {
        VisitorEvent::Archived { name } => Some(name.clone()),
        _ => None,
    })
    .await;
    assert_eq!(name, "Ada");
    let late = visitor.ws.send_message(Some(c), "Wait!").await.unwrap_err();
    assert_eq!(late.code(), Some(ErrorCode::ConversationEnded));
    let refused = ada.ws.archive(c).await.unwrap_err();
    assert_eq!(
        refused.code(),
        Some(ErrorCode::WrongPlace),
        "already archived: {refused}"
    );

    let done = ada
        .ws
        .complete_wrap_up(c, Some("invoice corrected".into()))
        .await
        .unwrap();
    let (completed, _) = agent_event(&mut ada.ws, c, |e| match e {
        AgentEvent::WrapUpCompleted {
            disposition,
            timed_out,
            ..
        } => Some((disposition.clone(), *timed_out)),
        _ => None,
    })
    .await;
    assert_eq!(completed, (Some("invoice corrected".into()), false));
    assert!(done.seq.is_some());
    let (reason, _) = visitor_event(&mut visitor.ws, c, |e| match e {
        VisitorEvent::InteractionEnded { reason } => Some(*reason),
        _ => None,
    })
    .await;
    assert_eq!(reason, EndReason::Archived);
    visitor_event(&mut visitor.ws, c, |e| {
        matches!(e, VisitorEvent::ConversationEnded).then_some(())
    })
    .await;

    // The next message starts a new conversation.
    let next = visitor.start("Another question.").await;
    assert_ne!(next, c);
    server.stop().await;
}

#[tokio::test]
async fn a_completed_chat_is_found_in_history_with_its_whole_log() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        ada,
        visitor,
    } = start_chat(&server).await;
    ada.ws
        .send_message(c, "Your invoice is corrected.", false)
        .await
        .unwrap();
    ada.ws.archive(c).await.unwrap();
    ada.ws.complete_wrap_up(c, None).await.unwrap();

    let query = HistoryQuery {
        q: "invoice corrected".into(),
        limit: None,
    };
    let found = ada.client.history(&query).await.unwrap();
    assert!(found.hits.iter().any(|h| h.conversation == c), "{found:?}");

    let page = ada.client.events(c, EventsQuery::default()).await.unwrap();
    let kinds: Vec<&AgentEvent> = page.events.iter().map(|l| &l.event).collect();
    assert!(
        kinds
            .iter()
            .any(|e| matches!(e, AgentEvent::Archived { .. }))
    );
    assert!(
        kinds
            .iter()
            .any(|e| matches!(e, AgentEvent::WrapUpCompleted { .. }))
    );
    assert!(page.events.windows(2).all(|w| w[0].seq + 1 == w[1].seq));
    let mine = visitor
        .client
        .events(c, EventsQuery::default())
        .await
        .unwrap();
    assert!(mine.events.iter().any(|l| matches!(
        &l.event,
        VisitorEvent::Message { text, .. } if text == "Your invoice is corrected."
    )));
    server.stop().await;
}

#[tokio::test]
async fn a_customer_who_comes_back_with_a_new_session_continues_the_same_conversation() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let mut ada = available(&server, "ada").await;
    let session = customer_session(&server, "cust-5521", "Jane Doe").await;
    assert_eq!(session.conversation(), None, "no conversation yet");
    let jane = connect_visitor(session, ConnectOptions::default()).await;
    let c = jane.start("Hello!").await;
    jane.say(c, "An invoice").await;
    let offer = offer(&mut ada.ws, c).await;
    let customer = offer.visitor.customer.unwrap();
    assert_eq!(
        (customer.id.as_str(), customer.name.as_deref()),
        ("cust-5521", Some("Jane Doe"))
    );
    ada.ws.accept(c).await.unwrap();
    ada.ws
        .send_message(c, "Hi Jane, fixed.", false)
        .await
        .unwrap();
    let refused = jane.ws.leave(c).await.unwrap_err();
    assert_eq!(refused.code(), Some(ErrorCode::CustomerCannotEnd));
    ada.ws.archive(c).await.unwrap();
    ada.ws.complete_wrap_up(c, None).await.unwrap();
    let mut jane = jane;
    let (reason, frames) = visitor_event(&mut jane.ws, c, |e| match e {
        VisitorEvent::InteractionEnded { reason } => Some(*reason),
        _ => None,
    })
    .await;
    assert_eq!(reason, EndReason::Archived);
    assert!(!frames.iter().any(|f| matches!(
        f,
        VisitorFrame::Event(Logged {
            event: VisitorEvent::ConversationEnded,
            ..
        })
    )));
    jane.ws.close().await;

    // Later, from another page: a new session finds the same conversation.
    let later = customer_session(&server, "cust-5521", "Jane Doe").await;
    assert_eq!(later.conversation(), Some(c));
    let resume = vec![Resume {
        conversation: c,
        last_seq: 0,
    }];
    let options = ConnectOptions {
        resume,
        ..ConnectOptions::default()
    };
    let mut jane = connect_visitor(later, options).await;
    assert_eq!(jane.welcome.conversation, Some(c));
    let history = visitor_text(&mut jane.ws, c, "Hi Jane, fixed.").await;
    assert!(visitor_texts(&history).contains(&"Hello!".to_owned()));

    let again = jane.ws.send_message(None, "Me again!").await.unwrap();
    assert_eq!(again.conversation, Some(c), "the same conversation");
    let (interaction, _) = visitor_event(&mut jane.ws, c, |e| match e {
        VisitorEvent::InteractionStarted { interaction } => Some(*interaction),
        _ => None,
    })
    .await;
    assert_eq!(interaction, 2);
    server.stop().await;
}

#[tokio::test]
async fn the_pool_carries_the_newest_finished_chats_and_search_finds_older_ones() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = common::settings(dir.path().to_owned());
    // 52 visitors from one address within a second or two.
    settings.rate_limits.enabled = false;
    let server = Server::start_with(settings).await;
    let mut ada = available(&server, "ada").await;
    let mut finished = Vec::new();
    for i in 0..limits::POOL_HISTORY + 2 {
        let v = visitor(&server, SITE).await;
        let c = v.start(&format!("Hello {i}")).await;
        v.say(c, "An invoice").await;
        offer(&mut ada.ws, c).await;
        ada.ws.accept(c).await.unwrap();
        ada.ws.archive(c).await.unwrap();
        ada.ws.complete_wrap_up(c, None).await.unwrap();
        finished.push(c);
    }

    let pool = ada.client.pool().await.unwrap();
    let shown: Vec<ConversationId> = pool.history.iter().map(|h| h.conversation).collect();
    let newest: Vec<ConversationId> = finished
        .iter()
        .rev()
        .take(limits::POOL_HISTORY)
        .copied()
        .collect();
    assert_eq!(shown, newest, "the newest first, the oldest two left out");
    // Left out of the pool, not out of reach.
    let query = HistoryQuery {
        q: "Hello 0".into(),
        limit: None,
    };
    let found = ada.client.history(&query).await.unwrap();
    assert!(
        found.hits.iter().any(|h| h.conversation == finished[0]),
        "{found:?}"
    );
    server.stop().await;
}
