//! The log the engine writes: events in an order a reader can follow, and a
//! memory that holds live conversations only.

mod common;

use banner_core::*;
use common::*;

fn kinds(sim: &Sim, c: ConversationId) -> Vec<&'static str> {
    sim.events
        .iter()
        .filter(|e| e.conversation() == Some(c))
        .map(|e| match e {
            Event::ConversationOpened { .. } => "opened",
            Event::InteractionStarted { .. } => "interaction",
            Event::Message {
                author: Author::Visitor,
                ..
            } => "visitor",
            Event::Message { .. } => "message",
            Event::Enqueued { .. } => "enqueued",
            Event::Offered { .. } => "offered",
            Event::Assigned { .. } => "assigned",
            Event::VisitorLeft { .. } => "left",
            Event::Archived { .. } => "archived",
            Event::WrapUpStarted { .. } => "wrap-up",
            Event::WrapUpCompleted { .. } => "wrapped",
            Event::InteractionEnded { .. } => "ended",
            Event::ConversationEnded { .. } => "closed",
            _ => "other",
        })
        .collect()
}

#[test]
fn an_interaction_starts_before_the_message_that_starts_it() {
    let mut sim = Sim::new(floor(1));
    sim.available(ADA);
    let c = sim.chat(Entry::Queue(SALES), "hello");
    assert_eq!(
        kinds(&sim, c),
        ["opened", "interaction", "visitor", "enqueued", "offered"]
    );
}

#[test]
fn every_way_into_wrap_up_is_logged_with_its_deadline() {
    let mut sim = Sim::new(floor(1));
    sim.available(ADA);
    let archived = sim.chat(Entry::Queue(SALES), "hi");
    sim.run(|e, now| e.accept(ADA, archived, now)).unwrap();
    sim.run(|e, now| e.archive(ADA, archived, now)).unwrap();
    assert_eq!(
        kinds(&sim, archived)[5..],
        ["assigned", "archived", "wrap-up"]
    );
    let limit = QueueOptions::default().wrap_up_limit;
    assert!(sim.events.contains(&Event::WrapUpStarted {
        conversation: archived,
        agent: ADA,
        until: sim.now + limit
    }));

    sim.run(|e, now| e.complete_wrap_up(ADA, archived, None, now))
        .unwrap();
    let left = sim.chat(Entry::Queue(SALES), "hi");
    sim.run(|e, now| e.accept(ADA, left, now)).unwrap();
    sim.run(|e, now| e.visitor_leave(left, now)).unwrap();
    assert_eq!(kinds(&sim, left)[5..], ["assigned", "left", "wrap-up"]);
}

#[test]
fn ended_conversations_can_be_forgotten_and_live_ones_cannot() {
    let mut sim = Sim::new(floor(1));
    sim.available(ADA);
    let c = sim.chat(Entry::Queue(SALES), "hi");
    let refused = sim.engine.forget(c);
    assert_eq!(
        refused,
        Err(Error::WrongPlace {
            conversation: c,
            place: Place::Offered,
            action: "forget"
        })
    );
    sim.run(|e, now| e.visitor_leave(c, now)).unwrap();
    assert_eq!(sim.place(c), Place::Ended);
    sim.engine.forget(c).unwrap();
    assert!(sim.engine.conversation(c).is_none());
    assert_eq!(sim.engine.forget(c), Err(Error::UnknownConversation(c)));
    assert_eq!(
        sim.run(|e, now| e.visitor_message(c, "late", now)),
        Err(Error::UnknownConversation(c))
    );
}

#[test]
fn an_agents_history_keeps_the_latest_interactions() {
    let mut sim = Sim::new(floor(1));
    sim.available(ADA);
    let mut last = None;
    for _ in 0..HISTORY_KEPT + 3 {
        let c = sim.chat(Entry::Queue(SALES), "hi");
        sim.run(|e, now| e.accept(ADA, c, now)).unwrap();
        sim.run(|e, now| e.archive(ADA, c, now)).unwrap();
        sim.run(|e, now| e.complete_wrap_up(ADA, c, Some("done".into()), now))
            .unwrap();
        last = Some(c);
    }
    let history = sim.engine.pool(ADA).unwrap().history;
    assert_eq!(history.len(), HISTORY_KEPT);
    assert_eq!(history.last().copied(), last);
    assert_eq!(history[0], ConversationId(4), "the three oldest made room");
}
