//! Typing indicators (live, never logged) and receipts (logged): both ways
//! between the visitor and the agent holding the chat, and a private note's
//! typing never reaches the visitor.

#![allow(clippy::unwrap_used)]

mod common;

use banner_proto::*;
use common::chat::{Chat, start_chat};
use common::people::visitor;
use common::wait::until;
use common::{SITE, Server};

fn receipt(frame: &AgentFrame, wanted: ReceiptKind) -> Option<Seq> {
    match frame {
        AgentFrame::Event(Logged {
            event:
                AgentEvent::Receipt {
                    kind,
                    up_to,
                    by: Participant::Visitor,
                },
            ..
        }) if *kind == wanted => Some(*up_to),
        _ => None,
    }
}

/// The next typing frame on an agent's socket.
async fn agent_typing(ws: &mut banner_client::AgentConnection) -> AgentFrame {
    until(ws, |f| {
        matches!(f, AgentFrame::Typing { .. }).then(|| f.clone())
    })
    .await
    .0
}

#[tokio::test]
async fn typing_passes_both_ways_and_a_private_notes_typing_stays_with_agents() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        mut ada,
        visitor: mut jane,
    } = start_chat(&server).await;

    jane.ws.typing(c, true).unwrap();
    let typing = agent_typing(&mut ada.ws).await;
    assert!(
        matches!(
            typing,
            AgentFrame::Typing {
                who: Participant::Visitor,
                on: true,
                private: false,
                ..
            }
        ),
        "{typing:?}"
    );

    // A private note's typing first, then a public one: the visitor sees
    // only the second.
    ada.ws.typing(c, true, true).unwrap();
    ada.ws.typing(c, false, false).unwrap();
    let (typing, frames) = until(&mut jane.ws, |f| {
        matches!(f, VisitorFrame::Typing { .. }).then(|| f.clone())
    })
    .await;
    assert!(
        matches!(&typing, VisitorFrame::Typing { name, on: false, .. } if name == "Ada"),
        "{frames:?}"
    );

    // Typing into someone else's conversation goes nowhere. (The intruder's
    // ping is answered once its typing was handled.)
    let intruder = visitor(&server, SITE).await;
    intruder.ws.typing(c, true).unwrap();
    intruder.ws.ping().await.unwrap();
    jane.ws.typing(c, false).unwrap();
    let typing = agent_typing(&mut ada.ws).await;
    assert!(
        matches!(typing, AgentFrame::Typing { on: false, .. }),
        "{typing:?}"
    );
}

#[tokio::test]
async fn delivered_and_read_receipts_go_both_ways_and_never_repeat() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let Chat {
        conversation: c,
        mut ada,
        visitor: mut jane,
    } = start_chat(&server).await;

    // Ada writes: the visitor's socket gets it, which is a delivery.
    let sent = ada
        .ws
        .send_message(c, "Hello Jane", false)
        .await
        .unwrap()
        .seq
        .unwrap();
    let (delivered, _) = until(&mut ada.ws, |f| receipt(f, ReceiptKind::Delivered)).await;
    assert_eq!(delivered, sent);

    // The visitor reads it.
    let ack = jane.ws.read(c, sent).await.unwrap();
    assert!(ack.seq.is_some(), "the read receipt was recorded");
    let (read, _) = until(&mut ada.ws, |f| receipt(f, ReceiptKind::Read)).await;
    assert_eq!(read, sent);
    // The same mark again records nothing.
    let again = jane.ws.read(c, sent).await.unwrap();
    assert_eq!(again.seq, None);

    // Ada reads the visitor's messages: the visitor sees a read receipt.
    let read_at = ada
        .ws
        .read(c, sent)
        .await
        .unwrap()
        .seq
        .expect("a receipt was recorded");
    let (seq, _) = until(&mut jane.ws, |f| match f {
        VisitorFrame::Event(Logged {
            seq,
            event:
                VisitorEvent::Receipt {
                    kind: ReceiptKind::Read,
                    ..
                },
            ..
        }) => Some(*seq),
        _ => None,
    })
    .await;
    assert_eq!(seq, read_at);

    // A read of someone else's conversation is refused.
    let intruder = visitor(&server, SITE).await;
    let refused = intruder.ws.read(c, 1).await.unwrap_err();
    assert_eq!(refused.code(), Some(ErrorCode::NotFound), "{refused}");
}

/// The receipts `by` the visitor among `frames`: (kind, up_to).
fn visitor_receipts(frames: &[AgentFrame]) -> Vec<(ReceiptKind, Seq)> {
    frames
        .iter()
        .filter_map(|f| {
            [ReceiptKind::Delivered, ReceiptKind::Read]
                .into_iter()
                .find_map(|kind| receipt(f, kind).map(|up_to| (kind, up_to)))
        })
        .collect()
}

#[tokio::test]
async fn a_message_read_as_it_arrives_logs_no_delivered_receipt() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = common::settings(dir.path().to_owned());
    // Long enough that the read always comes first, even on a loaded machine.
    settings.delivered_receipt_hold_ms = 3_000;
    let server = Server::start_with(settings).await;
    let Chat {
        conversation: c,
        mut ada,
        visitor: mut jane,
    } = start_chat(&server).await;

    // Jane's socket gets Ada's first message (a delivery) and she reads it.
    let first = ada
        .ws
        .send_message(c, "Read me", false)
        .await
        .unwrap()
        .seq
        .unwrap();
    until(&mut jane.ws, |f| {
        matches!(f, VisitorFrame::Event(Logged { seq, .. }) if *seq == first).then_some(())
    })
    .await;
    jane.ws.read(c, first).await.unwrap();

    // The second is delivered and left unread: its receipt comes when the
    // hold is up, and it is the only delivered receipt there is.
    let second = ada
        .ws
        .send_message(c, "Not read yet", false)
        .await
        .unwrap()
        .seq
        .unwrap();
    let (delivered, frames) = until(&mut ada.ws, |f| receipt(f, ReceiptKind::Delivered)).await;
    assert_eq!(delivered, second);
    assert_eq!(
        visitor_receipts(&frames),
        [(ReceiptKind::Read, first), (ReceiptKind::Delivered, second)]
    );

    // The log says the same.
    let log = ada.client.events(c, EventsQuery::default()).await.unwrap();
    let logged: Vec<AgentFrame> = log.events.into_iter().map(AgentFrame::Event).collect();
    assert_eq!(
        visitor_receipts(&logged),
        [(ReceiptKind::Read, first), (ReceiptKind::Delivered, second)]
    );
}
