//! Messages that carry files: the engine only counts them, but a file makes a
//! message without text acceptable, and a file alone answers no question of
//! smart routing.

mod common;

use banner_core::*;
use common::*;

fn messages(sim: &Sim, c: ConversationId, author: Author) -> Vec<String> {
    sim.events
        .iter()
        .filter_map(|e| match e {
            Event::Message {
                conversation,
                author: a,
                text,
                ..
            } if *conversation == c && *a == author => Some(text.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_file_without_text_is_a_message_and_no_text_without_a_file_is_not() {
    let mut sim = Sim::new(floor(1));
    sim.available(ADA);
    let c = sim.held_by(ADA, Entry::Queue(SALES));
    let sent = [
        sim.run(|e, now| e.visitor_message_with_attachments(c, "", 1, now)),
        sim.run(|e, now| e.agent_message_with_attachments(ADA, c, "  ", false, 2, now)),
        sim.run(|e, now| e.agent_message_with_attachments(ADA, c, "", true, 1, now)),
    ];
    assert_eq!(sent, [Ok(()), Ok(()), Ok(())]);
    assert_eq!(messages(&sim, c, Author::Visitor), ["Hello", ""]);
    assert_eq!(messages(&sim, c, Author::Agent(ADA)), ["  ", ""]);

    let before = sim.events.len();
    let empty = [
        sim.run(|e, now| e.visitor_message_with_attachments(c, " ", 0, now)),
        sim.run(|e, now| e.agent_message_with_attachments(ADA, c, "", false, 0, now)),
    ];
    assert_eq!(empty, [Err(Error::EmptyMessage), Err(Error::EmptyMessage)]);
    assert_eq!(
        sim.events.len(),
        before,
        "a refused message leaves no event"
    );
}

#[test]
fn a_file_alone_answers_no_smart_routing_question() {
    let mut sim = Sim::new(floor(1));
    let c = sim.chat(Entry::Flow(WELCOME), "hello");
    let said = sim.smart_routing_said(c).len();
    sim.run(|e, now| e.visitor_message_with_attachments(c, "", 1, now))
        .expect("a file is a message");
    assert_eq!(sim.place(c), Place::Routing);
    assert_eq!(
        sim.smart_routing_said(c).len(),
        said,
        "the flow neither re-asks nor moves on"
    );
    sim.say(c, "Get help");
    assert_eq!(sim.engine.conversation(c).unwrap().queue, Some(SUPPORT));
}

#[test]
fn a_file_alone_starts_an_interaction() {
    let mut sim = Sim::new(floor(1));
    sim.available(ADA);
    let c = sim.open(Entry::Queue(SALES));
    sim.run(|e, now| e.visitor_message_with_attachments(c, "", 1, now))
        .expect("a file is a message");
    assert_eq!(sim.ringing(c), Some(ADA));
}
