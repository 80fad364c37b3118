//! The agent's screens over HTTP and as subscriptions: the pool, supervision,
//! the directory and a conversation's details, each shown only to those who
//! may see it.

mod common;

use banner_proto::http::path;
use banner_proto::*;
use common::chat::{message, start_chat};
use common::*;
use serde_json::json;

fn pool_changed(frame: &AgentFrame) -> Option<&Pool> {
    match frame {
        AgentFrame::PoolChanged(pool) => Some(pool),
        _ => None,
    }
}

#[tokio::test]
async fn the_pool_shows_the_chat_its_latest_message_and_unread_count() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let mut chat = start_chat(&server).await;
    let ada = server.token("ada").await;

    let pool: Pool = server.get_json(path::POOL, &ada).await;
    assert_eq!(pool.presence, Presence::Available);
    assert_eq!(pool.load, 1);
    let [row] = pool.in_progress.as_slice() else {
        panic!("one chat in progress: {pool:?}");
    };
    assert_eq!(row.conversation, chat.conversation);
    assert_eq!(row.queue.as_ref().unwrap().label, "Billing");
    assert_eq!(row.visitor.locale.as_deref(), Some("fr-FR"));
    assert_eq!(row.latest.as_ref().unwrap().text, "An invoice");
    assert_eq!(row.unread, 2, "the visitor's two messages");

    // Reading up to the end clears the count.
    let details: ConversationDetails = server
        .get_json(&path::with_id(path::CONVERSATION, chat.conversation), &ada)
        .await;
    chat.ada
        .agent_command(json!({"type": "read", "id": "r1", "conversation": chat.conversation, "seq": details.latest_seq}))
        .await;
    let pool: Pool = server.get_json(path::POOL, &ada).await;
    assert_eq!(pool.in_progress[0].unread, 0);

    // Bob's pool is his own: nothing of Ada's chat.
    let bob = server.token("bob").await;
    let pool: Pool = server.get_json(path::POOL, &bob).await;
    assert!(pool.in_progress.is_empty() && pool.offers.is_empty());
    server
        .get_error(path::POOL, "not-a-token", ErrorCode::Unauthorized)
        .await;
}

#[tokio::test]
async fn a_pool_subscription_sends_the_pool_now_and_again_when_it_changes() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let mut chat = start_chat(&server).await;

    let frames = chat
        .ada
        .agent_command(json!({"type": "subscribe_pool", "id": "s1"}))
        .await;
    assert!(answers_agent(frames.last().unwrap(), "s1"));
    let now = chat.ada.agent_until(|f| pool_changed(f).is_some()).await;
    let pool = pool_changed(now.last().unwrap()).unwrap();
    assert_eq!(pool.in_progress.len(), 1);

    chat.visitor
        .visitor_command(json!({"type": "send_message", "id": "m3", "conversation": chat.conversation, "text": "Are you there?", "attachments": []}))
        .await;
    let frames = chat
        .ada
        .agent_until(|f| {
            pool_changed(f).is_some_and(|p| {
                p.in_progress[0].latest.as_ref().map(|l| l.text.as_str()) == Some("Are you there?")
            })
        })
        .await;
    let pool = pool_changed(frames.last().unwrap()).unwrap();
    assert_eq!(pool.in_progress[0].unread, 3);

    // After unsubscribing, changes no longer come: the next frame after the
    // message's own event is its ack.
    chat.ada
        .agent_command(json!({"type": "unsubscribe", "id": "u1", "topic": "pool"}))
        .await;
    let frames = chat
        .ada
        .agent_command(message("m4", chat.conversation, "Yes!", false))
        .await;
    assert!(
        frames.iter().all(|f| pool_changed(f).is_none()),
        "{frames:?}"
    );
}

#[tokio::test]
async fn supervision_needs_monitor_and_shows_queues_agents_and_chats() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let mut chat = start_chat(&server).await;
    let ada = server.token("ada").await;
    server
        .get_error(path::SUPERVISION, &ada, ErrorCode::Forbidden)
        .await;
    let frames = chat
        .ada
        .agent_command(json!({"type": "subscribe_supervision", "id": "s1"}))
        .await;
    assert!(matches!(
        frames.last().unwrap(),
        AgentFrame::Error(ErrorFrame {
            code: ErrorCode::Forbidden,
            ..
        })
    ));

    let sue = server.token("sue").await;
    let view: Supervision = server.get_json(path::SUPERVISION, &sue).await;
    let labels: Vec<&str> = view.queues.iter().map(|q| q.queue.label.as_str()).collect();
    assert_eq!(labels, ["Billing", "Sales"]);
    let ada_live = view.agents.iter().find(|a| a.agent.name == "Ada").unwrap();
    assert_eq!((ada_live.presence, ada_live.load), (Presence::Available, 1));
    let live = view
        .conversations
        .iter()
        .find(|c| c.conversation == chat.conversation)
        .unwrap();
    assert_eq!(live.place, Place::Active);
    assert_eq!(live.agent.as_ref().unwrap().name, "Ada");

    // Live: a supervisor's subscription follows the floor.
    let (mut sue_ws, _) = server.agent_ws(&sue, vec![]).await;
    sue_ws
        .agent_command(json!({"type": "subscribe_supervision", "id": "s2"}))
        .await;
    sue_ws
        .agent_until(|f| matches!(f, AgentFrame::SupervisionChanged(_)))
        .await;
    chat.ada
        .agent_command(json!({"type": "archive", "id": "a9", "conversation": chat.conversation}))
        .await;
    sue_ws
        .agent_until(|f| match f {
            AgentFrame::SupervisionChanged(view) => view
                .conversations
                .iter()
                .any(|c| c.conversation == chat.conversation && c.place == Place::WrapUp),
            _ => false,
        })
        .await;
}

#[tokio::test]
async fn the_directory_lists_agents_queues_and_flows() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let bob = server.token("bob").await;
    let directory: Directory = server.get_json(path::DIRECTORY, &bob).await;
    let names: Vec<&str> = directory.agents.iter().map(|a| a.name.as_str()).collect();
    for name in ["Ada", "Bob", "Sue"] {
        assert!(names.contains(&name), "{names:?}");
    }
    assert_eq!(directory.queues.len(), 2);
    assert_eq!(directory.flows[0].name, "Welcome");
    server
        .get_error(path::DIRECTORY, "", ErrorCode::Unauthorized)
        .await;
}

#[tokio::test]
async fn details_are_for_those_who_may_see_the_conversation() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let chat = start_chat(&server).await;
    let at = path::with_id(path::CONVERSATION, chat.conversation);

    let ada = server.token("ada").await;
    let details: ConversationDetails = server.get_json(&at, &ada).await;
    assert_eq!(details.place, Place::Active);
    assert_eq!(details.variables["case_type"], "billing");
    assert!(details.actions.is_some(), "the holder has actions");

    let sue = server.token("sue").await;
    let seen: ConversationDetails = server.get_json(&at, &sue).await;
    assert!(
        seen.actions.is_none(),
        "a supervisor watching does not hold it"
    );

    let bob = server.token("bob").await;
    server.get_error(&at, &bob, ErrorCode::NotFound).await;
    server
        .get_error(
            &path::with_id(path::CONVERSATION, 987_654),
            &ada,
            ErrorCode::NotFound,
        )
        .await;
    server
        .get_error(
            "/v1/conversations/not-a-number",
            &ada,
            ErrorCode::BadRequest,
        )
        .await;
}
