//! A command sent again with the same id — after a lost answer, from another
//! socket — is answered with the original `ack` and applied once; the same id
//! with a different body is a `conflict`, never applied.

#![allow(clippy::unwrap_used)]

mod common;

use banner_client::ConnectOptions;
use banner_client::connection::{agent_command, visitor_command};
use banner_proto::*;
use common::Server;
use common::chat::{Chat, start_chat};
use common::people::connect_visitor;
use common::wait::{agent_text, agent_texts};

/// The same command under the same id, with another text.
fn reworded(command: &VisitorCommand, text: &str) -> VisitorCommand {
    let VisitorCommand::SendMessage(m) = command else {
        unreachable!()
    };
    VisitorCommand::SendMessage(VisitorSendMessage {
        text: MessageText::new(text).unwrap(),
        ..m.clone()
    })
}

#[tokio::test]
async fn a_retried_command_is_applied_once_and_a_changed_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        mut ada,
        visitor,
    } = start_chat(&server).await;

    let once = visitor_command::send_message(Some(c), "Once", &[]).unwrap();
    let first = visitor.ws.send(once.clone()).await.unwrap();
    let again = visitor.ws.send(once.clone()).await.unwrap();
    assert_eq!(again, first, "the original ack");

    // From another socket of the session too.
    let client = visitor.client.clone();
    visitor.ws.close().await;
    let visitor = connect_visitor(client, ConnectOptions::default()).await;
    let later = visitor.ws.send(once.clone()).await.unwrap();
    assert_eq!(later, first);
    let conflict = visitor.ws.send(reworded(&once, "Twice")).await.unwrap_err();
    assert_eq!(conflict.code(), Some(ErrorCode::Conflict), "{conflict}");

    let noted = agent_command::send_message(c, "Noted.", false, &[]).unwrap();
    let a1 = ada.ws.send(noted.clone()).await.unwrap();
    let a2 = ada.ws.send(noted).await.unwrap();
    assert_eq!(a1, a2);

    visitor.say(c, "sentinel").await;
    let seen = agent_text(&mut ada.ws, c, "sentinel").await;
    let texts = agent_texts(&seen);
    let count = |t: &str| texts.iter().filter(|x| *x == t).count();
    assert_eq!(
        (count("Once"), count("Noted."), count("Twice")),
        (1, 1, 0),
        "{texts:?}"
    );
    server.stop().await;
}
