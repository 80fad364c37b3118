//! Typing indicators (live, never logged) and receipts (logged): both ways
//! between the visitor and the agent holding the chat, and a private note's
//! typing never reaches the visitor.

#![allow(clippy::unwrap_used)]

mod common;

use banner_client::connection::{agent_command, visitor_command};
use banner_client::{ConnectOptions, VisitorClient};
use banner_proto::*;
use common::chat::{Chat, start_chat};
use common::people::{Visitor, connect_visitor, visitor};
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

/// The read receipts `by` the visitor in `c`'s log: (seq, up_to).
async fn logged_reads(server: &Server, c: ConversationId) -> Vec<(Seq, Seq)> {
    common::people::log_of(server, c)
        .await
        .into_iter()
        .filter_map(|l| match l.event {
            AgentEvent::Receipt {
                kind: ReceiptKind::Read,
                up_to,
                by: Participant::Visitor,
            } => Some((l.seq, up_to)),
            _ => None,
        })
        .collect()
}

/// A visitor's `read` with the id `id`.
fn read(id: &str, c: ConversationId, seq: Seq) -> VisitorCommand {
    VisitorCommand::Read(Read {
        id: ClientId::new(id).unwrap(),
        conversation: c,
        seq,
    })
}

/// A chat on a server holding reads for 3 s (long enough that a test's
/// reads fall in one hold), in which Ada has sent `texts`: their `seq`s.
async fn chat_held_3s(dir: &tempfile::TempDir, texts: &[&str]) -> (Server, Chat, Vec<Seq>) {
    let server = common::holding_reads(dir, 3_000).await;
    let chat = start_chat(&server).await;
    let mut sent = Vec::new();
    for text in texts {
        let ack = chat.ada.ws.send_message(chat.conversation, text, false);
        sent.push(ack.await.unwrap().seq.unwrap());
    }
    (server, chat, sent)
}

/// The server stopped (both sockets closed first) and started again on
/// `dir`, and the visitor back on her token.
async fn restarted(dir: &tempfile::TempDir, server: Server, chat: Chat) -> (Server, Visitor) {
    let token = chat.visitor.client.token().to_owned();
    chat.visitor.ws.close().await;
    chat.ada.ws.close().await;
    server.stop().await;
    let server = common::holding_reads(dir, 3_000).await;
    let client = VisitorClient::with_token(&server.base(), token).unwrap();
    let jane = connect_visitor(client, ConnectOptions::default()).await;
    (server, jane)
}

#[tokio::test]
async fn a_readers_reads_in_the_hold_are_one_receipt_which_answers_each_even_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let (server, chat, sent) = chat_held_3s(&dir, &["One", "Two", "Three"]).await;
    let (c, jane) = (chat.conversation, &chat.visitor);

    // Jane reads them one by one, without waiting for the answers.
    let reads: Vec<VisitorCommand> = ["r1", "r2", "r3"]
        .iter()
        .zip(&sent)
        .map(|(id, &seq)| read(id, c, seq))
        .collect();
    let pending: Vec<_> = reads
        .iter()
        .map(|r| jane.ws.submit(r.clone()).unwrap())
        .collect();
    let mut acks = Vec::new();
    for p in pending {
        acks.push(common::wait::answer(p).await.unwrap().seq);
    }
    // One receipt, up to the last, and each read's answer names it.
    let logged = logged_reads(&server, c).await;
    let [(receipt, up_to)] = logged.as_slice() else {
        panic!("one read receipt: {logged:?}");
    };
    assert_eq!(*up_to, sent[2]);
    assert_eq!(acks, [Some(*receipt); 3]);

    // After a restart, every one of them is still answered as before: the
    // receipt records the three, not only the first.
    let (server, jane) = restarted(&dir, server, chat).await;
    for r in reads.iter().rev() {
        let again = jane.ws.send(r.clone()).await.unwrap();
        assert_eq!(again.seq, Some(*receipt), "{r:?}");
    }
    // The same id for another read is a conflict, so it was remembered.
    let other = jane.ws.send(read("r2", c, sent[0])).await.unwrap_err();
    assert_eq!(other.code(), Some(ErrorCode::Conflict), "{other}");
    assert_eq!(
        logged_reads(&server, c).await.len(),
        1,
        "nothing logged twice"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_read_a_held_receipt_already_covers_is_answered_with_that_receipt() {
    let dir = tempfile::tempdir().unwrap();
    let (server, chat, sent) = chat_held_3s(&dir, &["One", "Two"]).await;
    let (c, jane) = (chat.conversation, &chat.visitor);

    // Jane reads both (held), then, as a second tab would, the first: it
    // moves no mark, but until the held receipt is logged nothing durable
    // records it, so it may not be acknowledged before.
    // A read past the log's end passes no message either: it raises the
    // held receipt only as far as the log goes.
    let both = jane.ws.submit(read("r1", c, sent[1])).unwrap();
    let covered = jane.ws.submit(read("r2", c, sent[0])).unwrap();
    let beyond = jane.ws.submit(read("r3", c, 1_000_000)).unwrap();
    let covered = common::wait::answer(covered).await.unwrap().seq;
    let beyond = common::wait::answer(beyond).await.unwrap().seq;
    let both = common::wait::answer(both).await.unwrap().seq;
    let logged = logged_reads(&server, c).await;
    let [(receipt, up_to)] = logged.as_slice() else {
        panic!("one read receipt: {logged:?}");
    };
    assert!((sent[1]..*receipt).contains(up_to), "up to {up_to}");
    assert_eq!(both, Some(*receipt));
    assert_eq!(covered, Some(*receipt), "answered before the receipt");
    assert_eq!(beyond, Some(*receipt));

    // The receipt records it: after a restart it is answered the same.
    let (server, jane) = restarted(&dir, server, chat).await;
    let again = jane.ws.send(read("r2", c, sent[0])).await.unwrap();
    assert_eq!(again.seq, Some(*receipt));
    assert_eq!(logged_reads(&server, c).await.len(), 1);
    server.stop().await;
}

#[tokio::test]
async fn a_read_held_when_the_chat_ends_is_logged_before_the_end_and_answered() {
    let dir = tempfile::tempdir().unwrap();
    // Far longer than the test may take: only the chat's end can log it.
    let server = common::holding_reads(&dir, 600_000).await;
    let Chat {
        conversation: c,
        ada,
        visitor: jane,
    } = start_chat(&server).await;
    let sent = ada
        .ws
        .send_message(c, "Anything else?", false)
        .await
        .unwrap()
        .seq
        .unwrap();
    let pending = jane.ws.submit(read("r1", c, sent)).unwrap();
    ada.ws.archive(c).await.unwrap();
    ada.ws.complete_wrap_up(c, None).await.unwrap();

    let ack = common::wait::answer(pending).await.unwrap();
    let log = ada.client.events(c, EventsQuery::default()).await.unwrap();
    let log = log.events;
    let at = |wanted: fn(&AgentEvent) -> bool| {
        log.iter()
            .find(|l| wanted(&l.event))
            .map(|l| l.seq)
            .unwrap_or_else(|| panic!("not in the log: {log:?}"))
    };
    let receipt = at(|e| {
        matches!(
            e,
            AgentEvent::Receipt {
                kind: ReceiptKind::Read,
                by: Participant::Visitor,
                ..
            }
        )
    });
    assert_eq!(ack.seq, Some(receipt));
    assert!(receipt < at(|e| matches!(e, AgentEvent::ConversationEnded)));
    server.stop().await;
}

#[tokio::test]
async fn a_held_read_holds_up_neither_side_s_socket() {
    let dir = tempfile::tempdir().unwrap();
    // Far longer than the test may take: the reads stay held throughout.
    let server = common::holding_reads(&dir, 600_000).await;
    let Chat {
        conversation: c,
        mut ada,
        visitor: mut jane,
    } = start_chat(&server).await;
    let asked = ada
        .ws
        .send_message(c, "Which order?", false)
        .await
        .unwrap()
        .seq
        .unwrap();
    let jane_read = jane.ws.submit(read("r1", c, asked)).unwrap();
    // Her answer is applied, and reaches Ada, while her read waits.
    let answer = visitor_command::send_message(Some(c), "The blue one", &[]).unwrap();
    let answered = answer_in_time(jane.ws.submit(answer).unwrap()).await;
    common::wait::agent_text(&mut ada.ws, c, "The blue one").await;
    // The same for Ada's read of it.
    let ada_read = ada.ws.submit(agent_command::read(c, answered)).unwrap();
    let answer = agent_command::send_message(c, "On its way.", false, &[]).unwrap();
    answer_in_time(ada.ws.submit(answer).unwrap()).await;
    common::wait::visitor_text(&mut jane.ws, c, "On its way.").await;
    assert!(logged_reads(&server, c).await.is_empty(), "still held");
    drop((jane_read, ada_read));
    server.stop().await;
}

/// The `seq` a command is answered with: the test fails if no answer comes
/// in time, instead of waiting as long as a held read.
async fn answer_in_time(pending: banner_client::PendingAck) -> Seq {
    common::wait::answer(pending).await.unwrap().seq.unwrap()
}

#[tokio::test]
async fn an_agents_held_read_goes_before_her_transfer_and_reaches_her() {
    let dir = tempfile::tempdir().unwrap();
    // Far longer than the test may take: only the transfer can log it.
    let server = common::holding_reads(&dir, 600_000).await;
    let Chat {
        conversation: c,
        mut ada,
        visitor: jane,
    } = start_chat(&server).await;
    let bob = common::people::available(&server, "bob").await;
    let asked = jane.say(c, "Can someone else help?").await;
    common::wait::agent_text(&mut ada.ws, c, "Can someone else help?").await;

    let read = ada.ws.submit(agent_command::read(c, asked)).unwrap();
    let target = TransferTarget::user(bob.id());
    ada.ws
        .transfer(c, target, TransferMode::Blind)
        .await
        .unwrap();
    let receipt = common::wait::answer(read).await.unwrap().seq.unwrap();
    // Her socket got the receipt the answer names (it still carried the
    // chat when the receipt went out).
    let seen = common::wait::arrived(&mut ada.ws);
    let got = seen.iter().any(|f| {
        matches!(f, AgentFrame::Event(Logged { seq, event: AgentEvent::Receipt { kind: ReceiptKind::Read, .. }, .. }) if *seq == receipt)
    });
    assert!(got, "the receipt reached Ada: {seen:?}");
    // And the log keeps it before the transfer.
    let log = common::people::log_of(&server, c).await;
    let transfer = log
        .iter()
        .find(|l| matches!(l.event, AgentEvent::TransferRequested { .. }))
        .map(|l| l.seq)
        .unwrap();
    assert!(receipt < transfer, "{receipt} before {transfer}");
    server.stop().await;
}
