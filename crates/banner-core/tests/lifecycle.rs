//! A chat's life after it is taken: archive, wrap-up and history; waiting for the
//! customer, with and without freeze; and presence while holding chats. The
//! visitor's side (dropping, coming back, leaving, continuous conversations) is
//! in `reconnection.rs`.

mod common;

use banner_core::*;
use common::lifecycle::*;
use common::*;

#[test]
fn archiving_starts_wrap_up_which_frees_capacity_and_closes_the_chat_for_the_visitor() {
    let mut sim = Sim::new(floor(1));
    sim.available(ADA);
    let c = sim.held_by(ADA, Entry::Queue(SALES));
    archive(&mut sim, ADA, c);

    assert!(sim.events.contains(&Event::Archived {
        conversation: c,
        agent: ADA,
    }));
    assert!(
        sim.events.contains(&Event::WrapUpStarted {
            conversation: c,
            agent: ADA,
            until: sim.now + secs(120),
        }),
        "the wrap-up countdown runs to the queue's limit"
    );
    assert_eq!(sim.place(c), Place::WrapUp);
    assert_eq!(sim.holder(c), Some(ADA));
    let pool = sim.engine.pool(ADA).unwrap();
    assert_eq!(pool.wrap_up, vec![c]);
    assert!(pool.in_progress.is_empty() && pool.history.is_empty());
    assert_eq!(sim.load(ADA), 0, "wrap-up does not count against capacity");
    let next = sim.chat(Entry::Queue(SALES), "hello?");
    assert_eq!(sim.ringing(next), Some(ADA));

    assert_eq!(
        sim.run(|e, now| e.visitor_message(c, "wait!", now)),
        Err(Error::ConversationEnded(c))
    );
}

#[test]
fn completing_wrap_up_moves_the_chat_to_history() {
    let mut sim = Sim::new(floor(1));
    sim.available(ADA);
    sim.available(BOB);
    let c = sim.held_by(ADA, Entry::Queue(SALES));
    archive(&mut sim, ADA, c);
    assert_eq!(
        sim.run(|e, now| e.archive(ADA, c, now)),
        Err(Error::WrongPlace {
            conversation: c,
            place: Place::WrapUp,
            action: "archive",
        }),
        "archiving twice is the wrong place, not the wrong agent"
    );
    assert_eq!(
        sim.run(|e, now| e.complete_wrap_up(BOB, c, None, now)),
        Err(Error::NotHolder {
            agent: BOB,
            conversation: c,
        })
    );
    let mark = sim.events.len();

    sim.run(|e, now| e.complete_wrap_up(ADA, c, Some("sold".into()), now))
        .unwrap();
    assert_eq!(
        sim.events_since(mark),
        [
            Event::WrapUpCompleted {
                conversation: c,
                agent: ADA,
                disposition: Some("sold".into()),
                timed_out: false,
            },
            Event::InteractionEnded {
                conversation: c,
                reason: EndReason::Archived,
            },
            Event::ConversationEnded { conversation: c },
        ]
    );
    assert_eq!(sim.place(c), Place::Ended);
    let pool = sim.engine.pool(ADA).unwrap();
    assert_eq!(pool.history, vec![c]);
    assert!(pool.wrap_up.is_empty());
    assert!(
        sim.engine.pending_timers().is_empty(),
        "no wrap-up limit left"
    );
}

#[test]
fn wrap_up_completes_by_itself_at_the_queues_limit() {
    let mut sim = Sim::new(floor(1));
    sim.available(ADA);
    let c = sim.held_by(ADA, Entry::Queue(SALES));
    archive(&mut sim, ADA, c);
    sim.advance(secs(119));
    assert_eq!(sim.place(c), Place::WrapUp, "the limit is two minutes");

    sim.advance(secs(1));
    assert!(sim.events.contains(&Event::WrapUpCompleted {
        conversation: c,
        agent: ADA,
        disposition: None,
        timed_out: true,
    }));
    assert_eq!(sim.place(c), Place::Ended);
    assert_eq!(sim.engine.pool(ADA).unwrap().history, vec![c]);
}

#[test]
fn waiting_for_the_customer_without_freeze_keeps_the_chat_in_capacity() {
    let mut sim = Sim::new(floor(1));
    sim.available(ADA);
    let c = sim.held_by(ADA, Entry::Queue(SALES));
    wait_for_customer(&mut sim, ADA, c);

    assert!(sim.events.contains(&Event::WaitingForCustomer {
        conversation: c,
        agent: ADA,
        frozen: false,
    }));
    assert_eq!(sim.place(c), Place::PendingCustomer);
    assert_eq!(sim.holder(c), Some(ADA));
    assert_eq!(
        pending_customers(&sim, ADA),
        vec![PendingCustomerChat {
            conversation: c,
            frozen: false,
        }]
    );
    assert!(sim.engine.pool(ADA).unwrap().in_progress.is_empty());
    assert_eq!(sim.load(ADA), 1);
    let other = sim.chat(Entry::Queue(SALES), "hi");
    assert_eq!(sim.place(other), Place::Pending, "Ada has no room for it");

    sim.say(c, "here I am");
    assert_eq!(sim.place(c), Place::Active);
    assert_eq!(sim.holder(c), Some(ADA));
    assert!(sim.events.contains(&Event::Assigned {
        conversation: c,
        agent: ADA,
        by: AssignedBy::CustomerReplied,
    }));
    assert_eq!(sim.notified(ADA, NotificationKind::MessageArrives), vec![c]);
    assert!(pending_customers(&sim, ADA).is_empty());
}

#[test]
fn waiting_for_the_customer_with_freeze_frees_the_agent_for_another_chat() {
    let mut sim = Sim::new(freeze_floor(1));
    sim.available(ADA);
    let c = sim.held_by(ADA, Entry::Queue(SALES));
    wait_for_customer(&mut sim, ADA, c);

    assert!(sim.events.contains(&Event::WaitingForCustomer {
        conversation: c,
        agent: ADA,
        frozen: true,
    }));
    assert_eq!(sim.place(c), Place::PendingCustomer);
    assert!(sim.engine.conversation(c).unwrap().is_frozen());
    assert_eq!(sim.holder(c), None, "outside anyone's capacity");
    assert_eq!(sim.load(ADA), 0);
    assert_eq!(
        pending_customers(&sim, ADA),
        vec![PendingCustomerChat {
            conversation: c,
            frozen: true,
        }]
    );
    let other = sim.chat(Entry::Queue(SALES), "hi");
    assert_eq!(sim.ringing(other), Some(ADA));
}

#[test]
fn a_frozen_chat_rings_the_same_agent_first_when_the_customer_replies() {
    let mut sim = Sim::new(freeze_floor(2));
    sim.available(ADA);
    let c = sim.held_by(ADA, Entry::Queue(SALES));
    sim.advance(secs(5));
    sim.available(BOB);
    sim.advance(secs(5));
    wait_for_customer(&mut sim, ADA, c);
    sim.advance(secs(60));

    sim.say(c, "back again");
    let offer = sim.engine.offer(c).unwrap();
    assert_eq!(
        offer.agent, ADA,
        "Ada, though Bob has been idle longer and would get a new chat"
    );
    assert!(offer.returning);
    assert_eq!(sim.notified(ADA, NotificationKind::MessageArrives), vec![c]);
    assert!(pending_customers(&sim, ADA).is_empty());
    sim.run(|e, now| e.accept(ADA, c, now)).unwrap();
    assert_eq!(sim.holder(c), Some(ADA));
}

#[test]
fn a_frozen_chat_whose_agent_has_no_room_waits_in_messages_pending() {
    let mut sim = Sim::new(freeze_floor(1));
    sim.available(ADA);
    let c = sim.held_by(ADA, Entry::Queue(SALES));
    wait_for_customer(&mut sim, ADA, c);
    sim.held_by(ADA, Entry::Queue(SALES));

    sim.say(c, "back again");
    assert_eq!(sim.place(c), Place::Pending);
    assert_eq!(sim.engine.queue_stats(SALES).unwrap().waiting, 1);
    let pending = sim.engine.pool(ADA).unwrap().pending;
    assert_eq!(pending.len(), 1);
    assert_eq!(
        (pending[0].conversation, pending[0].queue),
        (c, Some(SALES))
    );
    assert_eq!(
        sim.notified(ADA, NotificationKind::MessageArrives),
        vec![c],
        "Ada is told even though she cannot take it now"
    );
    assert!(pending_customers(&sim, ADA).is_empty());

    sim.available(BOB);
    let offer = sim.engine.offer(c).unwrap();
    assert_eq!((offer.agent, offer.returning), (BOB, false));
}

#[test]
fn going_offline_is_refused_while_holding_chats_or_wrapping_up() {
    let mut sim = Sim::new(floor(1));
    sim.available(ADA);
    let c = sim.held_by(ADA, Entry::Queue(SALES));
    let offline = |sim: &mut Sim| sim.run(|e, now| e.set_presence(ADA, Presence::Offline, now));

    assert_eq!(offline(&mut sim), Err(Error::HoldingChats { agent: ADA }));
    assert_eq!(sim.presence(ADA), Presence::Available);
    archive(&mut sim, ADA, c);
    assert_eq!(offline(&mut sim), Err(Error::HoldingChats { agent: ADA }));
    sim.run(|e, now| e.complete_wrap_up(ADA, c, None, now))
        .unwrap();
    offline(&mut sim).expect("nothing held any more");
    assert_eq!(sim.presence(ADA), Presence::Offline);
}

#[test]
fn going_away_keeps_held_chats_and_sends_ringing_offers_to_someone_else() {
    let mut sim = Sim::new(floor(2));
    sim.available(ADA);
    let held = sim.held_by(ADA, Entry::Queue(SALES));
    let ringing = sim.chat(Entry::Queue(SALES), "hi");
    assert_eq!(sim.ringing(ringing), Some(ADA));
    sim.available(BOB);
    assert_eq!(sim.ringing(ringing), Some(ADA), "still ringing Ada");

    sim.run(|e, now| e.set_presence(ADA, Presence::Away, now))
        .unwrap();
    assert!(sim.events.contains(&Event::OfferEnded {
        conversation: ringing,
        agent: ADA,
        reason: OfferEnd::AgentLeft,
    }));
    assert_eq!(sim.ringing(ringing), Some(BOB));
    assert_eq!(sim.holder(held), Some(ADA));
    assert_eq!(sim.load(ADA), 1);
}
