//! A connection lost in the middle of a chat, through banner-client: commands
//! whose answer was lost, and commands sent while the socket was down, wait in
//! the client's outbox; the next socket resumes every conversation from its
//! last `seq` and sends the outbox again with the original ids. The stream goes
//! on with no gap and no duplicate, and each command is applied once.
//!
//! The clients reach the server through a proxy that can mute the server's
//! answers and cut every connection, as a network would.

#![allow(clippy::unwrap_used)]

mod common;

use banner_client::connection::{agent_command, visitor_command};
use banner_client::{AgentClient, ConnectOptions, Link};
use banner_proto::*;
use common::people::{available, connect_visitor, log_of, visitor};
use common::proxy::Proxy;
use common::wait::{
    agent_events, agent_text, agent_texts, answer, arrived, noticed_drop, offer, until,
    visitor_event, visitor_events, visitor_text, visitor_texts,
};
use common::{PASSWORD, SITE, Server};

fn count(texts: &[String], text: &str) -> usize {
    texts.iter().filter(|t| *t == text).count()
}

#[tokio::test]
async fn an_agents_lost_connection_resumes_without_gap_or_duplicate_and_applies_each_command_once()
{
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let proxy = Proxy::start(server.addr).await;
    let ada = AgentClient::login(&proxy.base(), "ada", PASSWORD)
        .await
        .unwrap();
    let (mut ada, _) = ada.connect(ConnectOptions::default()).await.unwrap();
    ada.set_presence(Presence::Available).await.unwrap();
    let mut visitor = visitor(&server, SITE).await;
    let c = visitor.start("Hello!").await;
    visitor.say(c, "An invoice").await;
    until(&mut ada, |f| match f {
        AgentFrame::Event(Logged {
            event: AgentEvent::Offer(o),
            ..
        }) if o.conversation == c => Some(()),
        _ => None,
    })
    .await;
    ada.accept(c).await.unwrap();
    let mut log = arrived(&mut ada);
    visitor_event(&mut visitor.ws, c, |e| {
        matches!(e, VisitorEvent::AgentJoined { .. }).then_some(())
    })
    .await;

    proxy.mute();
    let muted = agent_command::send_message(c, "Sent while muted.", false, &[]).unwrap();
    let muted = ada.submit(muted).unwrap();
    // The server applied it; only the answer is lost.
    let mut heard = visitor_text(&mut visitor.ws, c, "Sent while muted.").await;
    visitor.say(c, "Written while Ada hears nothing.").await;
    proxy.cut();
    noticed_drop(&ada).await;
    let down = agent_command::send_message(c, "Sent while down.", false, &[]).unwrap();
    let down = ada.submit(down).unwrap();
    assert_eq!(ada.unanswered(), [muted.id().clone(), down.id().clone()]);

    let welcome = ada.reconnect().await.unwrap();
    assert_eq!(welcome.resumed.len(), 1);
    assert_eq!(welcome.resumed[0].conversation, c);
    let (muted, down) = (answer(muted).await.unwrap(), answer(down).await.unwrap());
    assert!(ada.unanswered().is_empty());
    visitor.say(c, "sentinel").await;
    log.extend(agent_text(&mut ada, c, "sentinel").await);

    let events = agent_events(&log, c);
    let seqs: Vec<Seq> = events.iter().map(|l| l.seq).collect();
    assert!(
        seqs.windows(2).all(|w| w[1] == w[0] + 1),
        "no gap, no duplicate: {seqs:?}"
    );
    let texts = agent_texts(&log);
    for text in [
        "Sent while muted.",
        "Written while Ada hears nothing.",
        "Sent while down.",
    ] {
        assert_eq!(count(&texts, text), 1, "{text}: {texts:?}");
    }
    let seq_of = |text: &str| {
        events.iter().find_map(|l| match &l.event {
            AgentEvent::Message { text: t, .. } if t == text => Some(l.seq),
            _ => None,
        })
    };
    assert_eq!(muted.seq, seq_of("Sent while muted."), "the original ack");
    assert_eq!(down.seq, seq_of("Sent while down."));

    heard.extend(visitor_text(&mut visitor.ws, c, "sentinel").await);
    let heard = visitor_texts(&heard);
    assert_eq!(count(&heard, "Sent while muted."), 1, "{heard:?}");
    assert_eq!(count(&heard, "Sent while down."), 1, "{heard:?}");
    let stored: Vec<String> = log_of(&server, c)
        .await
        .into_iter()
        .filter_map(|l| match l.event {
            AgentEvent::Message { text, .. } => Some(text),
            _ => None,
        })
        .collect();
    assert_eq!(count(&stored, "Sent while muted."), 1, "{stored:?}");
    assert_eq!(count(&stored, "Sent while down."), 1, "{stored:?}");
    server.stop().await;
}

#[tokio::test]
async fn a_visitors_lost_connection_resumes_without_gap_or_duplicate_and_applies_each_command_once()
{
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let proxy = Proxy::start(server.addr).await;
    let mut ada = available(&server, "ada").await;
    let direct = visitor(&server, SITE).await;
    let client = direct.client.at(&proxy.base()).unwrap();
    direct.ws.close().await;
    let mut visitor = connect_visitor(client, ConnectOptions::default()).await;
    let c = visitor.start("Hello!").await;
    visitor.say(c, "An invoice").await;
    offer(&mut ada.ws, c).await;
    ada.ws.accept(c).await.unwrap();
    let (_, mut seen) = visitor_event(&mut visitor.ws, c, |e| {
        matches!(e, VisitorEvent::AgentJoined { .. }).then_some(())
    })
    .await;

    proxy.mute();
    let muted = visitor_command::send_message(Some(c), "Sent while muted.", &[]).unwrap();
    let muted = visitor.ws.submit(muted).unwrap();
    // The server applied it; only the answer is lost.
    let mut heard = agent_text(&mut ada.ws, c, "Sent while muted.").await;
    ada.ws
        .send_message(c, "Said while the visitor hears nothing.", false)
        .await
        .unwrap();
    proxy.cut();
    noticed_drop(&visitor.ws).await;
    let down = visitor_command::send_message(Some(c), "Sent while down.", &[]).unwrap();
    let down = visitor.ws.submit(down).unwrap();

    let welcome = visitor.ws.reconnect().await.unwrap();
    assert_eq!(welcome.resumed.len(), 1, "{welcome:?}");
    let (muted, down) = (answer(muted).await.unwrap(), answer(down).await.unwrap());
    ada.ws.send_message(c, "sentinel", false).await.unwrap();
    seen.extend(visitor_text(&mut visitor.ws, c, "sentinel").await);

    let seqs: Vec<Seq> = visitor_events(&seen, c).iter().map(|l| l.seq).collect();
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "in order, once each: {seqs:?}"
    );
    let texts = visitor_texts(&seen);
    for text in [
        "Sent while muted.",
        "Said while the visitor hears nothing.",
        "Sent while down.",
    ] {
        assert_eq!(count(&texts, text), 1, "{text}: {texts:?}");
    }
    heard.extend(agent_text(&mut ada.ws, c, "sentinel").await);
    let heard = agent_texts(&heard);
    assert_eq!(count(&heard, "Sent while muted."), 1, "once: {heard:?}");
    assert_eq!(count(&heard, "Sent while down."), 1, "{heard:?}");
    let stored = log_of(&server, c).await;
    let at = |seq| stored.iter().find(|l| Some(l.seq) == seq).map(|l| &l.event);
    assert!(
        matches!(at(muted.seq), Some(AgentEvent::Message { text, .. }) if text == "Sent while muted.")
    );
    assert!(
        matches!(at(down.seq), Some(AgentEvent::Message { text, .. }) if text == "Sent while down.")
    );
    server.stop().await;
}

#[tokio::test]
async fn with_auto_reconnect_the_client_comes_back_by_itself_and_nothing_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let proxy = Proxy::start(server.addr).await;
    let ada = AgentClient::login(&proxy.base(), "ada", PASSWORD)
        .await
        .unwrap();
    let options = ConnectOptions {
        auto_reconnect: true,
        ..ConnectOptions::default()
    };
    let (mut ada, _) = ada.connect(options).await.unwrap();
    ada.set_presence(Presence::Available).await.unwrap();
    let mut visitor = visitor(&server, SITE).await;
    let c = visitor.start("Hello!").await;
    visitor.say(c, "An invoice").await;
    until(&mut ada, |f| match f {
        AgentFrame::Event(Logged {
            event: AgentEvent::Offer(o),
            ..
        }) if o.conversation == c => Some(()),
        _ => None,
    })
    .await;
    ada.accept(c).await.unwrap();

    proxy.cut();
    visitor.say(c, "Written while Ada is away.").await;
    let (welcome, mut seen) = until(&mut ada, |f| match f {
        AgentFrame::Welcome(w) => Some(w.clone()),
        _ => None,
    })
    .await;
    assert_eq!(welcome.resumed[0].conversation, c);
    ada.send_message(c, "Back.", false).await.unwrap();
    visitor_text(&mut visitor.ws, c, "Back.").await;
    visitor.say(c, "sentinel").await;
    seen.extend(agent_text(&mut ada, c, "sentinel").await);
    let texts = agent_texts(&seen);
    assert_eq!(count(&texts, "Written while Ada is away."), 1, "{texts:?}");
    assert_eq!(ada.link(), Link::Up);
    server.stop().await;
}
