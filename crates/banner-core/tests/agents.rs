//! Agents: presence, capacity, queue memberships, profile changes, and the typed
//! refusals every input answers with instead of panicking.

mod common;

use banner_core::*;
use common::*;

#[test]
fn agents_start_offline_and_receive_nothing_until_available() {
    let mut sim = Sim::new(floor(1));
    assert_eq!(sim.presence(ADA), Presence::Offline);
    let c = sim.chat(Entry::Queue(SALES), "hi");
    assert_eq!(sim.place(c), Place::Pending);
    sim.available(ADA);
    assert_eq!(sim.ringing(c), Some(ADA));
    assert!(sim.events.iter().any(|e| matches!(
        e,
        Event::PresenceChanged {
            agent: ADA,
            presence: Presence::Available
        }
    )));
}

#[test]
fn away_keeps_current_chats_but_takes_no_new_ones() {
    let mut sim = Sim::new(floor(2));
    sim.available(ADA);
    let held = sim.chat(Entry::Queue(SALES), "one");
    sim.run(|e, now| e.accept(ADA, held, now)).unwrap();
    sim.run(|e, now| e.set_presence(ADA, Presence::Away, now))
        .unwrap();
    let next = sim.chat(Entry::Queue(SALES), "two");
    assert_eq!(sim.holder(held), Some(ADA));
    assert_eq!(sim.place(next), Place::Pending);
    assert_eq!(sim.load(ADA), 1);
}

#[test]
fn capacity_decides_how_many_chats_ring_at_once() {
    let mut sim = Sim::new(floor(3));
    sim.available(ADA);
    let chats: Vec<_> = (0..5)
        .map(|i| sim.chat(Entry::Queue(SALES), &format!("chat {i}")))
        .collect();
    let ringing = chats
        .iter()
        .filter(|c| sim.ringing(**c) == Some(ADA))
        .count();
    assert_eq!((ringing, sim.load(ADA)), (3, 3));
}

#[test]
fn changing_an_agents_queues_and_capacity_takes_effect_at_once() {
    let mut sim = Sim::new(floor(1));
    sim.available(CY);
    let c = sim.chat(Entry::Queue(SALES), "hi");
    assert_eq!(sim.place(c), Place::Pending);
    let mut cy = agent(CY, "Cy", 2, &[SUPPORT, SALES]);
    cy.profile = Profile::agent();
    sim.engine.upsert_agent(cy.clone(), sim.now).unwrap();
    sim.drain();
    assert_eq!(
        sim.ringing(c),
        Some(CY),
        "Cy joined sales and gets its waiting chat"
    );
    sim.run(|e, now| e.accept(CY, c, now)).unwrap();
    cy.capacity = 0;
    sim.engine.upsert_agent(cy, sim.now).unwrap();
    sim.drain();
    assert_eq!(
        sim.holder(c),
        Some(CY),
        "a lowered capacity takes nothing away"
    );
    let d = sim.chat(Entry::Queue(SALES), "more");
    assert_eq!(sim.place(d), Place::Pending);
}

#[test]
fn an_agent_in_an_unknown_queue_is_refused() {
    let mut config = floor(1);
    config
        .agents
        .push(agent(AgentId(5), "Eve", 1, &[QueueId(77)]));
    assert_eq!(
        Engine::new(config).unwrap_err(),
        ConfigError::UnknownQueue(QueueId(77))
    );
    let mut duplicate = floor(1);
    duplicate.agents.push(agent(ADA, "Ada again", 1, &[SALES]));
    assert!(matches!(
        Engine::new(duplicate),
        Err(ConfigError::Duplicate(_))
    ));
}

#[test]
fn unknown_ids_and_wrong_states_are_typed_errors_that_change_nothing() {
    let mut sim = Sim::new(floor(1));
    sim.available(ADA);
    let c = sim.chat(Entry::Queue(SALES), "hi");
    let ghost = ConversationId(999);
    let before = (
        sim.events.len(),
        sim.place(c),
        sim.ringing(c),
        sim.load(ADA),
    );
    let refusals = [
        sim.run(|e, now| e.accept(AgentId(42), c, now)),
        sim.run(|e, now| e.accept(ADA, ghost, now)),
        sim.run(|e, now| e.accept(BOB, c, now)),
        sim.run(|e, now| e.decline(BOB, c, now)),
        sim.run(|e, now| e.archive(ADA, c, now)),
        sim.run(|e, now| e.complete_wrap_up(ADA, c, None, now)),
        sim.run(|e, now| e.wait_for_customer(ADA, c, now)),
        sim.run(|e, now| e.agent_message(ADA, c, "not mine yet", false, now)),
        sim.run(|e, now| e.agent_message(ADA, c, "   ", true, now)),
        sim.run(|e, now| e.visitor_message(c, "", now)),
        sim.run(|e, now| e.visitor_message(ghost, "hello", now)),
        sim.run(|e, now| e.transfer(ADA, c, TransferTarget::User(BOB), TransferMode::Blind, now)),
        sim.run(|e, now| e.cancel_transfer(ADA, c, now)),
        sim.run(|e, now| e.set_presence(AgentId(42), Presence::Available, now)),
    ];
    assert_eq!(
        refusals,
        [
            Err(Error::UnknownAgent(AgentId(42))),
            Err(Error::UnknownConversation(ghost)),
            Err(Error::NotOffered {
                agent: BOB,
                conversation: c
            }),
            Err(Error::NotOffered {
                agent: BOB,
                conversation: c
            }),
            Err(Error::WrongPlace {
                conversation: c,
                place: Place::Offered,
                action: "archive"
            }),
            Err(Error::WrongPlace {
                conversation: c,
                place: Place::Offered,
                action: "complete wrap-up of"
            }),
            Err(Error::WrongPlace {
                conversation: c,
                place: Place::Offered,
                action: "wait for the customer on"
            }),
            Err(Error::NotHolder {
                agent: ADA,
                conversation: c
            }),
            Err(Error::EmptyMessage),
            Err(Error::EmptyMessage),
            Err(Error::UnknownConversation(ghost)),
            Err(Error::WrongPlace {
                conversation: c,
                place: Place::Offered,
                action: "transfer"
            }),
            Err(Error::NoTransferPending(c)),
            Err(Error::UnknownAgent(AgentId(42))),
        ]
    );
    assert_eq!(
        before,
        (
            sim.events.len(),
            sim.place(c),
            sim.ringing(c),
            sim.load(ADA)
        )
    );
}

#[test]
fn errors_read_as_sentences_a_person_can_act_on() {
    let text = Error::HoldingChats { agent: ADA }.to_string();
    assert_eq!(
        text,
        "agent#1 still holds chats; transfer or archive them and finish their wrap-up first"
    );
    assert_eq!(
        Error::NotPending(ConversationId(3)).to_string(),
        "conversation#3 is no longer waiting to be picked"
    );
}

#[test]
fn a_conversation_id_cannot_be_reused_and_entries_must_exist() {
    let mut sim = Sim::new(floor(1));
    let c = sim.open(Entry::Queue(SALES));
    let visitor = Visitor::Anonymous {
        visitor_id: "x".into(),
    };
    let again = sim.run(|e, now| e.open_conversation(c, visitor.clone(), Entry::Queue(SALES), now));
    assert_eq!(again, Err(Error::ConversationExists(c)));
    let bad = sim.run(|e, now| {
        e.open_conversation(
            ConversationId(50),
            visitor.clone(),
            Entry::Flow(FlowId(9)),
            now,
        )
    });
    assert_eq!(bad, Err(Error::UnknownFlow(FlowId(9))));
    let direct = Entry::Direct {
        agent: AgentId(77),
        fallback: None,
    };
    let bad = sim.run(|e, now| e.open_conversation(ConversationId(51), visitor, direct, now));
    assert_eq!(bad, Err(Error::UnknownAgent(AgentId(77))));
    assert!(sim.engine.conversation(ConversationId(50)).is_none());
}
