//! Reading the log over HTTP: event pages for agents and visitors, history
//! search, and who may read what — before and after the chat ends.

#![allow(clippy::unwrap_used)]

mod common;

use banner_client::{AgentClient, VisitorClient};
use banner_proto::http::path;
use banner_proto::*;
use common::chat::{Chat, start_chat};
use common::people::{login, visitor_session};
use common::wait::agent_event;
use common::{SITE, Server, assert_refused, raw};

fn page(after: Option<Seq>, limit: Option<u32>) -> EventsQuery {
    EventsQuery { after, limit }
}

fn search(q: &str) -> HistoryQuery {
    HistoryQuery {
        q: q.to_owned(),
        limit: None,
    }
}

#[tokio::test]
async fn the_event_log_pages_in_order_and_hides_from_strangers() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        ada,
        ..
    } = start_chat(&server).await;

    let first = ada.client.events(c, page(None, Some(2))).await.unwrap();
    assert_eq!(first.events.len(), 2);
    assert!(first.more);
    assert!(matches!(
        first.events[0].event,
        AgentEvent::ConversationOpened { .. }
    ));
    let mut seqs: Vec<Seq> = first.events.iter().map(|e| e.seq).collect();
    let mut after = *seqs.last().unwrap();
    loop {
        let next = ada
            .client
            .events(c, page(Some(after), Some(3)))
            .await
            .unwrap();
        seqs.extend(next.events.iter().map(|e| e.seq));
        after = next.events.last().map_or(after, |e| e.seq);
        if !next.more {
            assert_eq!(after, next.latest_seq);
            break;
        }
    }
    let expected: Vec<Seq> = (1..=after).collect();
    assert_eq!(seqs, expected, "every event once, in order, no gap");

    let bob = login(&server, "bob").await;
    assert_refused(
        bob.events(c, EventsQuery::default()).await,
        ErrorCode::NotFound,
    );
    // Queries no typed client writes.
    let events = path::with_id(path::CONVERSATION_EVENTS, c);
    for query in ["limit=many", "colour=blue"] {
        let response = raw::get(&server, &format!("{events}?{query}"), ada.client.token()).await;
        assert_eq!(
            raw::refused(response).await,
            (400, ErrorCode::BadRequest),
            "{query}"
        );
    }
}

/// A page that says there is no more ends at the `latest_seq` it gives,
/// even while the chat goes on between the server's two reads (the page and
/// the latest `seq`): a reader that trusts `more: false` misses nothing.
#[tokio::test]
async fn a_last_page_ends_at_its_latest_seq_while_the_chat_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        ada,
        visitor,
    } = start_chat(&server).await;
    // Within the visitor's command quota and the agent's HTTP quota.
    let talk = tokio::spawn(async move {
        for i in 0..24 {
            visitor.say(c, &format!("line {i}")).await;
        }
    });
    let mut pages = 0;
    while !talk.is_finished() && pages < 90 {
        let page = ada.client.events(c, page(None, Some(500))).await.unwrap();
        assert!(!page.more, "fewer than 500 events");
        let last = page.events.last().map_or(0, |e| e.seq);
        assert_eq!(last, page.latest_seq, "the page ends where the log does");
        pages += 1;
    }
    talk.await.unwrap();
    assert!(pages > 0);
}

#[tokio::test]
async fn a_visitor_reads_only_their_own_log_and_never_a_private_note() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        ada,
        visitor,
    } = start_chat(&server).await;
    ada.ws
        .send_message(c, "VIP customer, be nice", true)
        .await
        .unwrap();
    ada.ws
        .send_message(c, "Let me check.", false)
        .await
        .unwrap();

    let own = visitor
        .client
        .events(c, EventsQuery::default())
        .await
        .unwrap();
    let texts: Vec<&str> = own
        .events
        .iter()
        .filter_map(|e| match &e.event {
            VisitorEvent::Message { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert!(texts.contains(&"Let me check."));
    assert!(!texts.contains(&"VIP customer, be nice"), "{texts:?}");
    let raw = serde_json::to_string(&own).unwrap();
    assert!(!raw.contains("VIP"), "no trace of the note: {raw}");

    // Another visitor, and an agent's token, get nothing.
    let stranger = visitor_session(&server, SITE).await;
    assert_refused(
        stranger.events(c, EventsQuery::default()).await,
        ErrorCode::NotFound,
    );
    let as_visitor = VisitorClient::with_token(&server.base(), ada.client.token()).unwrap();
    assert_refused(
        as_visitor.events(c, EventsQuery::default()).await,
        ErrorCode::Unauthorized,
    );
    // Nor may a visitor use the agents' endpoint.
    let as_agent = AgentClient::with_token(&server.base(), visitor.client.token()).unwrap();
    assert_refused(
        as_agent.events(c, EventsQuery::default()).await,
        ErrorCode::Unauthorized,
    );
}

#[tokio::test]
async fn history_finds_what_the_agent_may_see_even_after_the_chat_ended() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        mut ada,
        ..
    } = start_chat(&server).await;
    ada.ws
        .send_message(c, "Your refund of March is on its way", false)
        .await
        .unwrap();
    ada.ws.archive(c).await.unwrap();
    ada.ws
        .complete_wrap_up(c, Some("refund".into()))
        .await
        .unwrap();
    agent_event(&mut ada.ws, c, |e| {
        matches!(e, AgentEvent::WrapUpCompleted { .. }).then_some(())
    })
    .await;

    let found = ada.client.history(&search("refund march")).await.unwrap();
    let [hit] = found.hits.as_slice() else {
        panic!("one hit: {found:?}");
    };
    assert_eq!(hit.conversation, c);
    assert!(hit.snippet.contains("\u{2}refund\u{3}"), "{}", hit.snippet);

    // The ended chat stays readable by Ada (she held it) and Sue (monitor).
    let log = ada.client.events(c, EventsQuery::default()).await.unwrap();
    assert!(
        log.events
            .iter()
            .any(|e| matches!(e.event, AgentEvent::ConversationEnded))
    );
    let details = ada.client.conversation(c).await.unwrap();
    assert_eq!(details.place, Place::Ended);
    assert_eq!(details.variables["case_type"], "billing");
    let sue = login(&server, "sue").await;
    let found = sue.history(&search("refund")).await.unwrap();
    assert_eq!(found.hits.len(), 1);

    // Bob never took part: no hit, no log.
    let bob = login(&server, "bob").await;
    let found = bob.history(&search("refund")).await.unwrap();
    assert!(found.hits.is_empty());
    assert_refused(
        bob.events(c, EventsQuery::default()).await,
        ErrorCode::NotFound,
    );

    // Search syntax is plain words: operators and quotes are not an error.
    let found = ada
        .client
        .history(&search("\"refund OR * NEAR(\""))
        .await
        .unwrap();
    assert!(found.hits.len() <= 1);
    // A search without words is, though (a query no typed client writes).
    let response = raw::get(
        &server,
        &format!("{}?limit=5", path::HISTORY),
        ada.client.token(),
    )
    .await;
    assert_eq!(raw::refused(response).await, (400, ErrorCode::BadRequest));
}
