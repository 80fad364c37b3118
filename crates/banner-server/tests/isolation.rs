//! What a visitor may see: never an agents' private message, live or replayed,
//! and never another visitor's conversation.

#![allow(clippy::unwrap_used)]

mod common;

use banner_client::ConnectOptions;
use banner_proto::*;
use common::chat::{Chat, start_chat};
use common::people::{connect_visitor, visitor};
use common::wait::{arrived, visitor_events, visitor_text, visitor_texts};
use common::{SITE, Server};

#[tokio::test]
async fn a_private_message_never_reaches_the_visitor() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        ada,
        mut visitor,
    } = start_chat(&server).await;

    let note = ada
        .ws
        .send_message(c, "Note: VIP customer", true)
        .await
        .unwrap();
    assert!(note.seq.is_some(), "the note is logged");
    ada.ws
        .send_message(c, "Public answer", false)
        .await
        .unwrap();
    let live = visitor_text(&mut visitor.ws, c, "Public answer").await;
    assert!(
        !visitor_texts(&live).iter().any(|t| t.contains("VIP")),
        "{live:?}"
    );
    assert!(
        visitor_events(&live, c)
            .iter()
            .all(|l| l.seq != note.seq.unwrap()),
        "not even as another event"
    );

    // Nor through a replay of the whole log.
    let client = visitor.client.clone();
    visitor.ws.close().await;
    let options = ConnectOptions {
        resume: vec![Resume {
            conversation: c,
            last_seq: 0,
        }],
        ..ConnectOptions::default()
    };
    let mut again = connect_visitor(client, options).await;
    let replay = visitor_text(&mut again.ws, c, "Public answer").await;
    let texts = visitor_texts(&replay);
    assert!(texts.contains(&"Hello!".to_owned()), "{texts:?}");
    assert!(!texts.iter().any(|t| t.contains("VIP")), "{texts:?}");
    server.stop().await;
}

#[tokio::test]
async fn a_visitor_cannot_resume_or_write_in_another_visitors_conversation() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        ada,
        visitor: owner,
    } = start_chat(&server).await;

    let stranger = visitor(&server, SITE).await;
    let options = ConnectOptions {
        resume: vec![Resume {
            conversation: c,
            last_seq: 0,
        }],
        ..ConnectOptions::default()
    };
    let mut stranger = connect_visitor(stranger.client, options).await;
    assert!(
        stranger.welcome.resumed.is_empty(),
        "{:?}",
        stranger.welcome
    );
    assert_eq!(
        stranger.welcome.refused,
        [Refused {
            conversation: c,
            code: ErrorCode::NotFound
        }]
    );
    let write = stranger.ws.send_message(Some(c), "Let me in").await;
    assert_eq!(write.unwrap_err().code(), Some(ErrorCode::NotFound));
    let leave = stranger.ws.leave(c).await;
    assert_eq!(leave.unwrap_err().code(), Some(ErrorCode::NotFound));

    owner.say(c, "My account number is 42.").await;
    ada.ws.send_message(c, "Thanks.", false).await.unwrap();
    stranger.ws.ping().await.unwrap();
    let seen = arrived(&mut stranger.ws);
    assert!(visitor_events(&seen, c).is_empty(), "{seen:?}");
    server.stop().await;
}

#[tokio::test]
async fn a_visitor_cannot_read_another_visitors_events_page() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        visitor: owner,
        ..
    } = start_chat(&server).await;
    let own = owner
        .client
        .events(c, EventsQuery::default())
        .await
        .unwrap();
    assert!(!own.events.is_empty());

    let stranger = visitor(&server, SITE).await;
    let refused = stranger
        .client
        .events(c, EventsQuery::default())
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Some(ErrorCode::NotFound), "{refused}");
    server.stop().await;
}
