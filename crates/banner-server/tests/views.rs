//! The agent's screens over HTTP and as subscriptions: the pool, supervision,
//! the directory and a conversation's details, each shown only to those who
//! may see it.

#![allow(clippy::unwrap_used)]

mod common;

use banner_client::AgentClient;
use banner_client::connection::visitor_command;
use banner_proto::*;
use common::chat::{Chat, start_chat};
use common::people::{agent, login};
use common::wait::{arrived, until};
use common::{Server, assert_refused, raw};

fn pool_changed(frame: &AgentFrame) -> Option<&Pool> {
    match frame {
        AgentFrame::PoolChanged(pool) => Some(pool),
        _ => None,
    }
}

/// A chat in progress, with Ada following her pool, and the pool she got
/// when she subscribed.
async fn following_the_pool(server: &Server) -> (Chat, Pool) {
    let mut chat = start_chat(server).await;
    chat.ada.ws.subscribe_pool().await.unwrap();
    let (pool, _) = until(&mut chat.ada.ws, |f| pool_changed(f).cloned()).await;
    (chat, pool)
}

/// The labels of the floor's queues, in the order of the settings.
fn floor_queues(server: &Server) -> Vec<&str> {
    server
        .settings
        .queues
        .iter()
        .map(|q| q.label.as_str())
        .collect()
}

#[tokio::test]
async fn the_pool_shows_the_chat_its_latest_message_and_unread_count() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        ada,
        ..
    } = start_chat(&server).await;

    let pool = ada.client.pool().await.unwrap();
    assert_eq!(pool.presence, Presence::Available);
    assert_eq!(pool.load, 1);
    let [row] = pool.in_progress.as_slice() else {
        panic!("one chat in progress: {pool:?}");
    };
    assert_eq!(row.conversation, c);
    assert_eq!(row.queue.as_ref().unwrap().label, "Billing");
    assert_eq!(row.visitor.locale.as_deref(), Some("fr-FR"));
    assert_eq!(row.latest.as_ref().unwrap().text, "An invoice");
    assert_eq!(row.unread, 2, "the visitor's two messages");

    // Reading up to the end clears the count.
    let details = ada.client.conversation(c).await.unwrap();
    ada.ws.read(c, details.latest_seq).await.unwrap();
    let pool = ada.client.pool().await.unwrap();
    assert_eq!(pool.in_progress[0].unread, 0);

    // Bob's pool is his own: nothing of Ada's chat.
    let bob = login(&server, "bob").await;
    let pool = bob.pool().await.unwrap();
    assert!(pool.in_progress.is_empty() && pool.offers.is_empty());
    let stranger = AgentClient::with_token(&server.base(), "not-a-token").unwrap();
    assert_refused(stranger.pool().await, ErrorCode::Unauthorized);
}

#[tokio::test]
async fn a_pool_subscription_sends_the_pool_now_and_again_when_it_changes() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let (
        Chat {
            conversation: c,
            mut ada,
            visitor,
        },
        pool,
    ) = following_the_pool(&server).await;
    assert_eq!(pool.in_progress.len(), 1);

    visitor.say(c, "Are you there?").await;
    let (pool, _) = until(&mut ada.ws, |f| {
        pool_changed(f)
            .filter(|p| {
                p.in_progress[0].latest.as_ref().map(|l| l.text.as_str()) == Some("Are you there?")
            })
            .cloned()
    })
    .await;
    assert_eq!(pool.in_progress[0].unread, 3);

    // After unsubscribing, changes no longer come: nothing but the message's
    // own event (and what follows its ack) after it.
    ada.ws.unsubscribe(Topic::Pool).await.unwrap();
    arrived(&mut ada.ws);
    ada.ws.send_message(c, "Yes!", false).await.unwrap();
    let frames = arrived(&mut ada.ws);
    assert!(
        frames.iter().any(|f| matches!(
            f,
            AgentFrame::Event(Logged {
                event: AgentEvent::Message { text, .. },
                ..
            }) if text == "Yes!"
        )),
        "{frames:?}"
    );
    assert!(
        frames.iter().all(|f| pool_changed(f).is_none()),
        "{frames:?}"
    );
}

#[tokio::test]
async fn a_burst_of_messages_sends_a_few_pools_and_the_last_one_is_whole() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let (
        Chat {
            conversation: c,
            mut ada,
            visitor,
        },
        _,
    ) = following_the_pool(&server).await;

    // Twenty messages written at once: twenty commits, each changing the
    // pool (latest message, unread count).
    let pending: Vec<_> = (1..=20)
        .map(|n| {
            let command =
                visitor_command::send_message(Some(c), &format!("burst {n}"), &[]).unwrap();
            visitor.ws.submit(command).unwrap()
        })
        .collect();
    for ack in pending {
        common::wait::answer(ack).await.unwrap();
    }
    let (pool, frames) = until(&mut ada.ws, |f| {
        pool_changed(f)
            .filter(|p| {
                p.in_progress[0].latest.as_ref().map(|l| l.text.as_str()) == Some("burst 20")
            })
            .cloned()
    })
    .await;
    assert_eq!(
        pool.in_progress[0].unread, 22,
        "the two first messages and the burst"
    );
    // Views are rebuilt at most every 100 ms, so a burst that takes a few
    // milliseconds sends a pool or two, not one per commit.
    let pools = frames.iter().filter(|f| pool_changed(f).is_some()).count();
    assert!(pools < 10, "{pools} pools for 20 messages");
}

#[tokio::test]
async fn supervision_needs_monitor_and_shows_queues_agents_and_chats() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        ada,
        ..
    } = start_chat(&server).await;
    assert_refused(ada.client.supervision().await, ErrorCode::Forbidden);
    let refused = ada.ws.subscribe_supervision().await.unwrap_err();
    assert_eq!(refused.code(), Some(ErrorCode::Forbidden), "{refused}");

    let mut sue = agent(&server, "sue").await;
    let view = sue.client.supervision().await.unwrap();
    let labels: Vec<&str> = view.queues.iter().map(|q| q.queue.label.as_str()).collect();
    assert_eq!(
        labels,
        floor_queues(&server),
        "every queue, in the floor's order"
    );
    let ada_live = view.agents.iter().find(|a| a.agent.name == "Ada").unwrap();
    assert_eq!((ada_live.presence, ada_live.load), (Presence::Available, 1));
    let live = view
        .conversations
        .iter()
        .find(|l| l.conversation == c)
        .unwrap();
    assert_eq!(live.place, Place::Active);
    assert_eq!(live.agent.as_ref().unwrap().name, "Ada");

    // Live: a supervisor's subscription follows the floor.
    sue.ws.subscribe_supervision().await.unwrap();
    until(&mut sue.ws, |f| {
        matches!(f, AgentFrame::SupervisionChanged(_)).then_some(())
    })
    .await;
    ada.ws.archive(c).await.unwrap();
    until(&mut sue.ws, |f| match f {
        AgentFrame::SupervisionChanged(view) => view
            .conversations
            .iter()
            .any(|l| l.conversation == c && l.place == Place::WrapUp)
            .then_some(()),
        _ => None,
    })
    .await;
}

#[tokio::test]
async fn the_directory_lists_agents_queues_and_flows() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let bob = login(&server, "bob").await;
    let directory = bob.directory().await.unwrap();
    let names: Vec<&str> = directory.agents.iter().map(|a| a.name.as_str()).collect();
    for user in &server.settings.users {
        assert!(names.contains(&user.name.as_str()), "{names:?}");
    }
    let mut listed: Vec<&str> = directory.queues.iter().map(|q| q.label.as_str()).collect();
    let mut floor = floor_queues(&server);
    listed.sort_unstable();
    floor.sort_unstable();
    assert_eq!(listed, floor, "every queue of the floor");
    assert_eq!(directory.flows[0].name, "Welcome");
    let nobody = AgentClient::with_token(&server.base(), "").unwrap();
    assert_refused(nobody.directory().await, ErrorCode::Unauthorized);
}

#[tokio::test]
async fn details_are_for_those_who_may_see_the_conversation() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        ada,
        ..
    } = start_chat(&server).await;

    let details = ada.client.conversation(c).await.unwrap();
    assert_eq!(details.place, Place::Active);
    assert_eq!(details.variables["case_type"], "billing");
    assert!(details.actions.is_some(), "the holder has actions");

    let sue = login(&server, "sue").await;
    let seen = sue.conversation(c).await.unwrap();
    assert!(
        seen.actions.is_none(),
        "a supervisor watching does not hold it"
    );

    let bob = login(&server, "bob").await;
    assert_refused(bob.conversation(c).await, ErrorCode::NotFound);
    assert_refused(
        ada.client.conversation(ConversationId(987_654)).await,
        ErrorCode::NotFound,
    );
    // A path no typed client writes.
    let response = raw::get(
        &server,
        "/v1/conversations/not-a-number",
        ada.client.token(),
    )
    .await;
    assert_eq!(raw::refused(response).await, (400, ErrorCode::BadRequest));
}

#[tokio::test]
async fn a_read_clears_the_unread_count_at_once_while_its_receipt_is_held() {
    let dir = tempfile::tempdir().unwrap();
    // Far longer than the test may take: the receipt stays held throughout.
    let server = common::holding_reads(&dir, 600_000).await;
    let (
        Chat {
            conversation: c,
            mut ada,
            ..
        },
        pool,
    ) = following_the_pool(&server).await;
    assert_eq!(pool.in_progress[0].unread, 2);

    let latest = ada.client.conversation(c).await.unwrap().latest_seq;
    // Past any refresh still due from the chat's start, so that only the
    // read can send the next pool.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    arrived(&mut ada.ws);
    let read = ada
        .ws
        .submit(banner_client::connection::agent_command::read(c, latest))
        .unwrap();
    let (pool, _) = until(&mut ada.ws, |f| {
        pool_changed(f)
            .filter(|p| p.in_progress[0].unread == 0)
            .cloned()
    })
    .await;
    assert_eq!(pool.in_progress[0].conversation, c);
    drop(read);
    server.stop().await;
}
