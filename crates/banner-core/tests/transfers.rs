//! Transfers: blind and attended, to a user, a queue or a smart routing flow.
//! What is refused (one at a time, permissions, targets who cannot take it) is
//! in `transfer_refusals.rs`.

mod common;

use TransferMode::{Attended, Blind};
use TransferTarget::{Queue, User};
use banner_core::*;
use common::transfer::*;
use common::*;

#[test]
fn a_blind_transfer_to_a_user_releases_the_sender_at_once() {
    let (mut sim, c) = ada_holding(1, &[BOB]);
    transfer(&mut sim, ADA, c, User(BOB), Blind).unwrap();

    assert_eq!(sim.holder(c), None, "nobody holds it while it rings Bob");
    assert_eq!(sim.place(c), Place::Offered);
    assert_eq!(sim.load(ADA), 0);
    assert!(sim.engine.pool(ADA).unwrap().in_progress.is_empty());
    let offer = sim.engine.offer(c).unwrap();
    assert_eq!(offer.agent, BOB);
    assert_eq!(
        offer.transfer,
        blind_from(ADA),
        "the popup says who and how"
    );

    let next = sim.chat(Entry::Queue(SALES), "anyone there?");
    assert_eq!(sim.ringing(next), Some(ADA), "Ada has room again at once");

    sim.run(|e, now| e.accept(BOB, c, now)).unwrap();
    assert_eq!(sim.place(c), Place::Active);
    assert_eq!(sim.holder(c), Some(BOB));
    assert!(sim.events.contains(&Event::Assigned {
        conversation: c,
        agent: BOB,
        by: AssignedBy::Transferred,
    }));
}

#[test]
fn a_declined_blind_transfer_goes_back_to_the_queue() {
    let (mut sim, c) = ada_holding(1, &[CY]);
    transfer(&mut sim, ADA, c, User(CY), Blind).unwrap();
    sim.run(|e, now| e.set_presence(ADA, Presence::Away, now))
        .unwrap();
    let mark = sim.events.len();

    sim.run(|e, now| e.decline(CY, c, now)).unwrap();
    assert!(sim.events_since(mark).contains(&Event::Enqueued {
        conversation: c,
        queue: SALES,
    }));
    assert_eq!(sim.place(c), Place::Pending);
    assert_eq!(sim.engine.queue_stats(SALES).unwrap().waiting, 1);
    assert_eq!(sim.holder(c), None, "the sender let go for good");

    sim.available(BOB);
    let offer = sim.engine.offer(c).unwrap();
    assert_eq!(offer.agent, BOB, "distributed like any chat of the queue");
    assert_eq!((offer.queue, offer.transfer), (Some(SALES), None));
}

#[test]
fn a_declined_blind_transfer_of_a_direct_chat_waits_in_the_senders_pending() {
    let mut sim = Sim::new(floor(1));
    sim.available(ADA);
    sim.available(BOB);
    let direct = Entry::Direct {
        agent: ADA,
        fallback: None,
    };
    let c = sim.held_by(ADA, direct);
    transfer(&mut sim, ADA, c, User(BOB), Blind).unwrap();
    assert_eq!(sim.engine.offer(c).unwrap().kind, RoutingKind::Direct);
    sim.run(|e, now| e.set_presence(ADA, Presence::Away, now))
        .unwrap();

    sim.run(|e, now| e.decline(BOB, c, now)).unwrap();
    assert_eq!(sim.place(c), Place::Pending);
    assert_eq!(
        sim.engine.conversation(c).unwrap().direct_agent(),
        Some(ADA)
    );
    let pending = sim.engine.pool(ADA).unwrap().pending;
    assert_eq!(pending.len(), 1);
    assert_eq!((pending[0].conversation, pending[0].queue), (c, None));
    assert!(sim.engine.pool(BOB).unwrap().pending.is_empty());

    sim.available(ADA);
    assert_eq!(sim.ringing(c), Some(ADA), "back with the sender");
}

#[test]
fn an_attended_transfer_keeps_the_chat_with_the_sender_until_the_target_accepts() {
    let (mut sim, c) = ada_holding(2, &[BOB]);
    transfer(&mut sim, ADA, c, User(BOB), Attended).unwrap();

    assert_eq!(sim.place(c), Place::Active);
    assert_eq!(sim.holder(c), Some(ADA));
    assert_eq!(in_progress(&sim, c), vec![ADA]);
    assert_eq!(
        sim.engine.conversation(c).unwrap().transfer_target(),
        Some(BOB)
    );
    let offer = sim.engine.offer(c).unwrap();
    assert_eq!((offer.agent, offer.transfer), (BOB, attended_from(ADA)));
    assert_eq!(
        (sim.load(ADA), sim.load(BOB)),
        (1, 1),
        "the offer reserves room with Bob while Ada keeps hers"
    );
    sim.say(c, "are you still there?");
    assert_eq!(sim.notified(ADA, NotificationKind::MessageArrives), vec![c]);
    assert!(
        sim.notified(BOB, NotificationKind::MessageArrives)
            .is_empty()
    );

    sim.run(|e, now| e.accept(BOB, c, now)).unwrap();
    assert_eq!(sim.holder(c), Some(BOB));
    assert_eq!(in_progress(&sim, c), vec![BOB], "never with two agents");
    assert_eq!((sim.load(ADA), sim.load(BOB)), (0, 1));
    assert!(sim.events.contains(&Event::Assigned {
        conversation: c,
        agent: BOB,
        by: AssignedBy::Transferred,
    }));
    assert!(
        !sim.events
            .iter()
            .any(|e| matches!(e, Event::TransferReturned { .. }))
    );
}

/// The events an attended transfer that came back to Ada must have emitted.
fn assert_returned_to_ada(sim: &Sim, c: ConversationId, mark: usize, reason: OfferEnd) {
    let since = sim.events_since(mark);
    assert!(since.contains(&Event::OfferEnded {
        conversation: c,
        agent: BOB,
        reason,
    }));
    assert!(since.contains(&Event::TransferReturned {
        conversation: c,
        to: ADA,
    }));
    assert_eq!(sim.place(c), Place::Active);
    assert_eq!(sim.holder(c), Some(ADA));
    assert_eq!(in_progress(sim, c), vec![ADA]);
    let conv = sim.engine.conversation(c).expect("conversation");
    assert_eq!(conv.transfer_target(), None);
    assert_eq!(sim.ringing(c), None);
    assert_eq!(sim.load(BOB), 0, "Bob's reservation is released");
}

#[test]
fn a_declined_attended_transfer_returns_to_the_sender() {
    let (mut sim, c) = ada_holding(2, &[BOB]);
    transfer(&mut sim, ADA, c, User(BOB), Attended).unwrap();
    let mark = sim.events.len();
    sim.run(|e, now| e.decline(BOB, c, now)).unwrap();
    assert_returned_to_ada(&sim, c, mark, OfferEnd::Declined);
    assert_eq!(sim.presence(BOB), Presence::Available);

    transfer(&mut sim, ADA, c, User(BOB), Attended)
        .expect("once returned, the chat can be transferred again");
}

#[test]
fn an_attended_transfer_that_rings_out_returns_to_the_sender() {
    let (mut sim, c) = ada_holding(2, &[BOB]);
    transfer(&mut sim, ADA, c, User(BOB), Attended).unwrap();
    let mark = sim.events.len();
    sim.advance(secs(29));
    assert_eq!(sim.ringing(c), Some(BOB), "still within the offer timeout");
    sim.advance(secs(1));
    assert_returned_to_ada(&sim, c, mark, OfferEnd::TimedOut);
    assert_eq!(sim.presence(BOB), Presence::Away, "Bob let it ring out");
}

#[test]
fn a_cancelled_attended_transfer_returns_to_the_sender() {
    let (mut sim, c) = ada_holding(2, &[BOB]);
    transfer(&mut sim, ADA, c, User(BOB), Attended).unwrap();
    let mark = sim.events.len();
    sim.run(|e, now| e.cancel_transfer(ADA, c, now)).unwrap();
    assert_returned_to_ada(&sim, c, mark, OfferEnd::Withdrawn);
    assert!(sim.engine.pool(BOB).unwrap().offers.is_empty());
    assert_eq!(
        sim.run(|e, now| e.cancel_transfer(ADA, c, now)),
        Err(Error::NoTransferPending(c))
    );
}

#[test]
fn an_attended_transfer_to_a_queue_rings_a_member_and_moves_the_chat_there() {
    let (mut sim, c) = ada_holding(2, &[BOB, CY]);
    transfer(&mut sim, ADA, c, Queue(SUPPORT), Attended).unwrap();
    let offer = sim.engine.offer(c).unwrap();
    assert_eq!(offer.agent, CY, "the only available member of support");
    assert_eq!(
        (offer.queue, offer.transfer),
        (Some(SUPPORT), attended_from(ADA))
    );
    assert_eq!(sim.holder(c), Some(ADA));
    assert_eq!(sim.engine.conversation(c).unwrap().queue, Some(SALES));

    sim.run(|e, now| e.accept(CY, c, now)).unwrap();
    assert_eq!(sim.holder(c), Some(CY));
    assert_eq!(sim.engine.conversation(c).unwrap().queue, Some(SUPPORT));
    assert_eq!(sim.load(ADA), 0);
}

#[test]
fn an_attended_transfer_to_the_senders_own_queue_rings_another_member() {
    // Ada is the longest idle member of sales and has room, but she is the sender.
    let (mut sim, c) = ada_holding(2, &[BOB]);
    transfer(&mut sim, ADA, c, Queue(SALES), Attended).unwrap();
    assert_eq!(sim.ringing(c), Some(BOB));
}

#[test]
fn an_attended_transfer_to_a_queue_with_nobody_available_is_refused() {
    let (mut sim, c) = ada_holding(2, &[BOB]);
    assert_refused(
        &mut sim,
        ADA,
        c,
        (Queue(SUPPORT), Attended),
        Error::NoAgentAvailable(SUPPORT),
    );

    sim.run(|e, now| e.set_presence(BOB, Presence::Away, now))
        .unwrap();
    assert_refused(
        &mut sim,
        ADA,
        c,
        (Queue(SALES), Attended),
        Error::NoAgentAvailable(SALES),
    );
    assert_eq!(sim.holder(c), Some(ADA));
}

#[test]
fn a_blind_transfer_to_a_queue_requeues_the_chat_behind_those_already_waiting() {
    let mut sim = Sim::new(floor(1));
    sim.available(ADA);
    sim.available(CY);
    let cys = sim.held_by(CY, Entry::Queue(SUPPORT));
    let waiting = sim.chat(Entry::Queue(SUPPORT), "help, please");
    let c = sim.held_by(ADA, Entry::Queue(SALES));
    sim.advance(secs(10));
    let transferred_at = sim.now;
    let mark = sim.events.len();

    transfer(&mut sim, ADA, c, Queue(SUPPORT), Blind).unwrap();
    assert!(sim.events_since(mark).contains(&Event::Enqueued {
        conversation: c,
        queue: SUPPORT,
    }));
    assert_eq!(sim.place(c), Place::Pending);
    assert_eq!(sim.load(ADA), 0);
    assert_eq!(sim.engine.conversation(c).unwrap().queue, Some(SUPPORT));
    let pending: Vec<_> = sim.engine.pool(CY).unwrap().pending;
    let order: Vec<_> = pending.iter().map(|p| p.conversation).collect();
    assert_eq!(
        order,
        vec![waiting, c],
        "a fresh wait: behind the older chat"
    );
    assert_eq!(pending[1].waiting_since, transferred_at);

    sim.run(|e, now| e.archive(CY, cys, now)).unwrap();
    assert_eq!(sim.ringing(waiting), Some(CY));
    sim.run(|e, now| e.accept(CY, waiting, now)).unwrap();
    sim.run(|e, now| e.archive(CY, waiting, now)).unwrap();
    let offer = sim.engine.offer(c).unwrap();
    assert_eq!(offer.agent, CY);
    assert_eq!(
        (offer.queue, offer.waiting_since),
        (Some(SUPPORT), transferred_at)
    );
}

#[test]
fn a_blind_transfer_to_a_flow_qualifies_the_chat_again() {
    let mut sim = Sim::new(floor(2));
    sim.available(ADA);
    sim.available(CY);
    let c = sim.chat(Entry::Flow(WELCOME), "hi");
    sim.say(c, "Buy something");
    assert_eq!(sim.ringing(c), Some(ADA));
    sim.run(|e, now| e.accept(ADA, c, now)).unwrap();

    transfer(&mut sim, ADA, c, TransferTarget::Flow(WELCOME), Blind).unwrap();
    assert_eq!(sim.place(c), Place::Routing);
    assert_eq!(sim.load(ADA), 0);
    let asked = sim
        .smart_routing_said(c)
        .iter()
        .filter(|t| *t == "What is it about?")
        .count();
    assert_eq!(asked, 2, "smart routing asks again");

    sim.say(c, "Get help");
    let offer = sim.engine.offer(c).unwrap();
    assert_eq!((offer.agent, offer.queue), (CY, Some(SUPPORT)));
    assert_eq!(
        sim.engine.conversation(c).unwrap().variables["case_type"],
        "support"
    );
}

#[test]
fn an_attended_transfer_to_a_flow_is_refused() {
    let (mut sim, c) = ada_holding(2, &[]);
    assert_refused(
        &mut sim,
        ADA,
        c,
        (TransferTarget::Flow(WELCOME), Attended),
        Error::AttendedTransferToFlow,
    );
    assert_eq!(sim.holder(c), Some(ADA));
}

#[test]
fn a_chat_sent_blind_to_a_queue_still_shows_who_transferred_it() {
    let (mut sim, c) = ada_holding(1, &[]);
    transfer(&mut sim, ADA, c, Queue(SUPPORT), Blind).unwrap();
    sim.available(CY);
    let offer = sim.engine.offer(c).expect("rings Cy").clone();
    assert_eq!((offer.agent, offer.queue), (CY, Some(SUPPORT)));
    assert_eq!(
        offer.transfer,
        Some(TransferInfo {
            from: ADA,
            mode: Blind
        })
    );
    sim.run(|e, now| e.accept(CY, c, now)).unwrap();
    assert!(sim.events.iter().any(|e| matches!(
        e,
        Event::Assigned {
            agent: CY,
            by: AssignedBy::Transferred,
            ..
        }
    )));
}
