//! Reading the log over HTTP: event pages for agents and visitors, history
//! search, and who may read what — before and after the chat ends.

mod common;

use banner_proto::http::path;
use banner_proto::*;
use common::chat::{message, start_chat};
use common::*;
use serde_json::json;

#[tokio::test]
async fn the_event_log_pages_in_order_and_hides_from_strangers() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let chat = start_chat(&server).await;
    let ada = server.token("ada").await;
    let events = path::with_id(path::CONVERSATION_EVENTS, chat.conversation);

    let first: EventPage<AgentEvent> = server.get_json(&format!("{events}?limit=2"), &ada).await;
    assert_eq!(first.events.len(), 2);
    assert!(first.more);
    assert!(matches!(
        first.events[0].event,
        AgentEvent::ConversationOpened { .. }
    ));
    let mut seqs: Vec<Seq> = first.events.iter().map(|e| e.seq).collect();
    let mut after = *seqs.last().unwrap();
    loop {
        let page: EventPage<AgentEvent> = server
            .get_json(&format!("{events}?after={after}&limit=3"), &ada)
            .await;
        seqs.extend(page.events.iter().map(|e| e.seq));
        after = page.events.last().map_or(after, |e| e.seq);
        if !page.more {
            assert_eq!(after, page.latest_seq);
            break;
        }
    }
    let expected: Vec<Seq> = (1..=after).collect();
    assert_eq!(seqs, expected, "every event once, in order, no gap");

    let bob = server.token("bob").await;
    server.get_error(&events, &bob, ErrorCode::NotFound).await;
    server
        .get_error(&format!("{events}?limit=many"), &ada, ErrorCode::BadRequest)
        .await;
    server
        .get_error(
            &format!("{events}?colour=blue"),
            &ada,
            ErrorCode::BadRequest,
        )
        .await;
}

#[tokio::test]
async fn a_visitor_reads_only_their_own_log_and_never_a_private_note() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let mut chat = start_chat(&server).await;
    chat.ada
        .agent_command(message(
            "n1",
            chat.conversation,
            "VIP customer, be nice",
            true,
        ))
        .await;
    chat.ada
        .agent_command(message("n2", chat.conversation, "Let me check.", false))
        .await;
    let events = path::with_id(path::VISITOR_CONVERSATION_EVENTS, chat.conversation);

    let page: EventPage<VisitorEvent> = server.get_json(&events, &chat.visitor_token).await;
    let texts: Vec<&str> = page
        .events
        .iter()
        .filter_map(|e| match &e.event {
            VisitorEvent::Message { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert!(texts.contains(&"Let me check."));
    assert!(!texts.contains(&"VIP customer, be nice"), "{texts:?}");
    let raw = serde_json::to_string(&page).unwrap();
    assert!(!raw.contains("VIP"), "no trace of the note: {raw}");

    // Another visitor, and an agent's token, get nothing.
    let stranger = server.visitor().await;
    server
        .get_error(&events, &stranger.token, ErrorCode::NotFound)
        .await;
    let ada = server.token("ada").await;
    server
        .get_error(&events, &ada, ErrorCode::Unauthorized)
        .await;
    // Nor may a visitor use the agents' endpoint.
    let agents_events = path::with_id(path::CONVERSATION_EVENTS, chat.conversation);
    server
        .get_error(&agents_events, &chat.visitor_token, ErrorCode::Unauthorized)
        .await;
}

#[tokio::test]
async fn history_finds_what_the_agent_may_see_even_after_the_chat_ended() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let mut chat = start_chat(&server).await;
    chat.ada
        .agent_command(message(
            "m1",
            chat.conversation,
            "Your refund of March is on its way",
            false,
        ))
        .await;
    chat.ada
        .agent_command(json!({"type": "archive", "id": "arch", "conversation": chat.conversation}))
        .await;
    let frames = chat
        .ada
        .agent_command(json!({"type": "complete_wrap_up", "id": "w1", "conversation": chat.conversation, "disposition": "refund"}))
        .await;
    assert!(
        frames.iter().any(|f| matches!(
            f,
            AgentFrame::Event(Logged {
                event: AgentEvent::WrapUpCompleted { .. },
                ..
            })
        )),
        "{frames:?}"
    );

    let search = |q: &str| format!("{}?q={}", path::HISTORY, q);
    let ada = server.token("ada").await;
    let page: HistoryPage = server.get_json(&search("refund%20march"), &ada).await;
    let [hit] = page.hits.as_slice() else {
        panic!("one hit: {page:?}");
    };
    assert_eq!(hit.conversation, chat.conversation);
    assert!(hit.snippet.contains("\u{2}refund\u{3}"), "{}", hit.snippet);

    // The ended chat stays readable by Ada (she held it) and Sue (monitor).
    let events = path::with_id(path::CONVERSATION_EVENTS, chat.conversation);
    let page: EventPage<AgentEvent> = server.get_json(&events, &ada).await;
    assert!(
        page.events
            .iter()
            .any(|e| matches!(e.event, AgentEvent::ConversationEnded))
    );
    let details: ConversationDetails = server
        .get_json(&path::with_id(path::CONVERSATION, chat.conversation), &ada)
        .await;
    assert_eq!(details.place, Place::Ended);
    assert_eq!(details.variables["case_type"], "billing");
    let sue = server.token("sue").await;
    let page: HistoryPage = server.get_json(&search("refund"), &sue).await;
    assert_eq!(page.hits.len(), 1);

    // Bob never took part: no hit, no log.
    let bob = server.token("bob").await;
    let page: HistoryPage = server.get_json(&search("refund"), &bob).await;
    assert!(page.hits.is_empty());
    server.get_error(&events, &bob, ErrorCode::NotFound).await;

    // Search syntax is plain words: operators and quotes are not an error.
    let page: HistoryPage = server
        .get_json(&search("%22refund%20OR%20*%20NEAR(%22"), &ada)
        .await;
    assert!(page.hits.len() <= 1);
    server
        .get_error(
            &format!("{}?limit=5", path::HISTORY),
            &ada,
            ErrorCode::BadRequest,
        )
        .await;
}
