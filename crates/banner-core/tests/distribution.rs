//! Distribution: who gets offered which chat, and what happens to the offer.

mod common;

use banner_core::*;
use common::*;

#[test]
fn a_queued_chat_is_offered_to_the_longest_idle_available_member() {
    let mut sim = Sim::new(floor(1));
    sim.available(BOB);
    sim.advance(secs(5));
    sim.available(ADA);
    let c = sim.chat(Entry::Queue(SALES), "hi");
    assert_eq!(sim.place(c), Place::Offered);
    assert_eq!(
        sim.ringing(c),
        Some(BOB),
        "Bob has been idle longer than Ada"
    );
}

#[test]
fn idle_means_since_the_last_change_of_workload_not_since_login() {
    let mut sim = Sim::new(floor(1));
    sim.available(ADA);
    sim.available(BOB);
    // Ada takes a chat and finishes it later than Bob finishes his.
    let a = sim.chat(Entry::Queue(SALES), "first");
    let b = sim.chat(Entry::Queue(SALES), "second");
    let (first, second) = (sim.ringing(a).unwrap(), sim.ringing(b).unwrap());
    assert_ne!(first, second);
    sim.run(|e, now| e.accept(first, a, now)).unwrap();
    sim.run(|e, now| e.accept(second, b, now)).unwrap();
    sim.advance(secs(10));
    sim.run(|e, now| e.archive(second, b, now)).unwrap();
    sim.advance(secs(10));
    sim.run(|e, now| e.archive(first, a, now)).unwrap();
    let c = sim.chat(Entry::Queue(SALES), "third");
    assert_eq!(
        sim.ringing(c),
        Some(second),
        "whoever freed up first has been idle longest"
    );
}

#[test]
fn only_members_who_are_available_with_room_are_offered() {
    let mut sim = Sim::new(floor(1));
    sim.available(CY); // support only
    sim.available(ADA);
    sim.run(|e, now| e.set_presence(ADA, Presence::Away, now))
        .unwrap();
    let c = sim.chat(Entry::Queue(SALES), "hi");
    assert_eq!(sim.place(c), Place::Pending, "nobody in sales is available");
    sim.available(BOB);
    assert_eq!(
        sim.ringing(c),
        Some(BOB),
        "a member becoming available gets the waiting chat"
    );
    let d = sim.chat(Entry::Queue(SALES), "another");
    assert_eq!(
        sim.place(d),
        Place::Pending,
        "Bob's capacity of one is taken by the ringing offer"
    );
}

#[test]
fn an_offer_reserves_capacity_until_it_ends() {
    let mut sim = Sim::new(floor(2));
    sim.available(ADA);
    let a = sim.chat(Entry::Queue(SALES), "one");
    let b = sim.chat(Entry::Queue(SALES), "two");
    let c = sim.chat(Entry::Queue(SALES), "three");
    assert_eq!(sim.load(ADA), 2);
    assert_eq!((sim.ringing(a), sim.ringing(b)), (Some(ADA), Some(ADA)));
    assert_eq!(sim.place(c), Place::Pending);
    sim.run(|e, now| e.accept(ADA, a, now)).unwrap();
    assert_eq!(
        sim.load(ADA),
        2,
        "accepting turns the reservation into a held chat"
    );
    assert_eq!(sim.place(c), Place::Pending);
}

#[test]
fn higher_priority_queues_are_served_first_then_oldest_chat_first() {
    let mut config = floor(1);
    config.queues[1].priority = 10; // support
    config.agents[0].queues = [SALES, SUPPORT].into_iter().collect(); // Ada answers both
    let mut sim = Sim::new(config);
    let old_sales = sim.chat(Entry::Queue(SALES), "old sales");
    sim.advance(secs(1));
    let new_sales = sim.chat(Entry::Queue(SALES), "new sales");
    sim.advance(secs(1));
    let support = sim.chat(Entry::Queue(SUPPORT), "support");
    sim.available(ADA);
    assert_eq!(
        sim.ringing(support),
        Some(ADA),
        "support has the higher priority"
    );
    sim.run(|e, now| e.accept(ADA, support, now)).unwrap();
    sim.run(|e, now| e.archive(ADA, support, now)).unwrap();
    assert_eq!(sim.ringing(old_sales), Some(ADA), "then FIFO within sales");
    assert_eq!(sim.place(new_sales), Place::Pending);
}

#[test]
fn a_declined_chat_goes_to_someone_else_while_anyone_else_is_eligible() {
    let mut sim = Sim::new(floor(1));
    sim.available(ADA);
    sim.available(BOB);
    let c = sim.chat(Entry::Queue(SALES), "hi");
    let first = sim.ringing(c).unwrap();
    let other = if first == ADA { BOB } else { ADA };
    sim.run(|e, now| e.decline(first, c, now)).unwrap();
    assert_eq!(sim.ringing(c), Some(other));
    assert!(
        sim.engine
            .conversation(c)
            .unwrap()
            .declined
            .contains(&first)
    );
    // The other declines as well: now everyone eligible has declined, so it rings again.
    sim.run(|e, now| e.decline(other, c, now)).unwrap();
    assert!(
        sim.ringing(c).is_some(),
        "a chat is never left waiting while an agent could take it"
    );
}

#[test]
fn a_declined_chat_keeps_its_place_at_the_head_of_the_queue() {
    let mut sim = Sim::new(floor(1));
    sim.available(ADA);
    let first = sim.chat(Entry::Queue(SALES), "first");
    let second = sim.chat(Entry::Queue(SALES), "second");
    sim.run(|e, now| e.decline(ADA, first, now)).unwrap();
    // Only Ada is available; she declined `first`, so she is offered `second` now…
    assert_eq!(sim.ringing(second), Some(ADA));
    sim.available(BOB);
    // …and Bob, arriving, gets `first` which kept its head position.
    assert_eq!(sim.ringing(first), Some(BOB));
}

#[test]
fn an_offer_that_rings_out_is_redistributed_and_the_agent_set_away() {
    let options = QueueOptions {
        offer_timeout: secs(20),
        ..QueueOptions::default()
    };
    let mut sim = Sim::new(floor_with(options, 1));
    sim.available(ADA);
    let c = sim.chat(Entry::Queue(SALES), "hi");
    assert_eq!(sim.ringing(c), Some(ADA));
    sim.available(BOB);
    sim.advance(secs(19));
    assert_eq!(sim.ringing(c), Some(ADA), "not before the countdown ends");
    sim.advance(secs(1));
    assert_eq!(sim.ringing(c), Some(BOB));
    assert_eq!(sim.presence(ADA), Presence::Away);
    assert!(sim.events.iter().any(|e| matches!(
        e,
        Event::OfferEnded {
            agent: ADA,
            reason: OfferEnd::TimedOut,
            ..
        }
    )));
}

#[test]
fn auto_accept_accepts_after_its_visible_countdown() {
    let options = QueueOptions {
        auto_accept: Some(secs(3)),
        ..QueueOptions::default()
    };
    let mut config = floor_with(options, 1);
    config.agents[0].profile.auto_accept = true;
    let mut sim = Sim::new(config);
    sim.available(ADA);
    let c = sim.chat(Entry::Queue(SALES), "hi");
    let offer = sim.engine.offer(c).unwrap().clone();
    assert_eq!(
        offer.phase,
        OfferPhase::AutoAccept {
            at: sim.now + secs(3)
        }
    );
    sim.advance(secs(2));
    assert_eq!(sim.place(c), Place::Offered);
    sim.advance(secs(1));
    assert_eq!(sim.holder(c), Some(ADA));
    assert!(sim.events.iter().any(|e| matches!(
        e,
        Event::Assigned {
            by: AssignedBy::AutoAccepted,
            ..
        }
    )));
}

#[test]
fn auto_accept_needs_both_the_profile_and_the_queue() {
    let mut config = floor(1); // queues do not allow auto-accept
    config.agents[0].profile.auto_accept = true;
    let mut sim = Sim::new(config);
    sim.available(ADA);
    let c = sim.chat(Entry::Queue(SALES), "hi");
    assert!(matches!(
        sim.engine.offer(c).unwrap().phase,
        OfferPhase::Ringing { .. }
    ));
}

#[test]
fn preview_shows_the_chat_before_it_rings() {
    let options = QueueOptions {
        preview_delay: Some(secs(5)),
        offer_timeout: secs(15),
        ..QueueOptions::default()
    };
    let mut config = floor_with(options, 1);
    config.agents[0].profile.preview = true;
    let mut sim = Sim::new(config);
    sim.available(ADA);
    let c = sim.chat(Entry::Queue(SALES), "hi");
    assert_eq!(
        sim.engine.offer(c).unwrap().phase,
        OfferPhase::Preview {
            until: sim.now + secs(5)
        }
    );
    sim.advance(secs(5));
    assert_eq!(
        sim.engine.offer(c).unwrap().phase,
        OfferPhase::Ringing {
            until: sim.now + secs(15)
        }
    );
    sim.advance(secs(15));
    assert_ne!(
        sim.ringing(c),
        Some(ADA),
        "the ring countdown starts after the preview"
    );
}

#[test]
fn an_agent_may_accept_during_preview() {
    let options = QueueOptions {
        preview_delay: Some(secs(5)),
        ..QueueOptions::default()
    };
    let mut config = floor_with(options, 1);
    config.agents[0].profile.preview = true;
    let mut sim = Sim::new(config);
    sim.available(ADA);
    let c = sim.chat(Entry::Queue(SALES), "hi");
    sim.run(|e, now| e.accept(ADA, c, now)).unwrap();
    assert_eq!(sim.holder(c), Some(ADA));
    assert!(
        sim.engine.poll_timeout().is_none(),
        "the preview timer is gone"
    );
}

#[test]
fn direct_routing_rings_the_named_agent_only_and_is_blue() {
    let mut sim = Sim::new(floor(1));
    sim.available(ADA);
    sim.available(BOB);
    let c = sim.chat(
        Entry::Direct {
            agent: BOB,
            fallback: None,
        },
        "hi Bob",
    );
    let offer = sim.engine.offer(c).unwrap();
    assert_eq!(
        (offer.agent, offer.kind, offer.queue),
        (BOB, RoutingKind::Direct, None)
    );
    let smart = sim.chat(Entry::Queue(SALES), "hi");
    assert_eq!(sim.engine.offer(smart).unwrap().kind, RoutingKind::Smart);
}

#[test]
fn a_declined_direct_chat_waits_for_its_agent_or_goes_to_the_fallback_queue() {
    let mut sim = Sim::new(floor(1));
    sim.available(BOB);
    let c = sim.chat(
        Entry::Direct {
            agent: BOB,
            fallback: None,
        },
        "hi Bob",
    );
    sim.run(|e, now| e.decline(BOB, c, now)).unwrap();
    assert_eq!(sim.place(c), Place::Pending);
    assert_eq!(
        sim.engine.conversation(c).unwrap().direct_agent(),
        Some(BOB)
    );
    assert!(sim.ringing(c).is_none(), "not rung again by itself");
    sim.run(|e, now| e.pick(BOB, c, now)).unwrap();
    assert_eq!(
        sim.holder(c),
        Some(BOB),
        "Bob can still pick it from his pending list"
    );

    let d = sim.chat(
        Entry::Direct {
            agent: ADA,
            fallback: Some(SALES),
        },
        "hi Ada",
    );
    assert_eq!(
        sim.place(d),
        Place::Pending,
        "Ada is offline: it waits for her"
    );
    sim.available(ADA);
    sim.run(|e, now| e.decline(ADA, d, now)).unwrap();
    assert_eq!(
        sim.engine.conversation(d).unwrap().queue,
        Some(SALES),
        "declined: on to the fallback queue"
    );
}

#[test]
fn going_away_withdraws_ringing_offers() {
    let mut sim = Sim::new(floor(1));
    sim.available(ADA);
    let c = sim.chat(Entry::Queue(SALES), "hi");
    sim.run(|e, now| e.set_presence(ADA, Presence::Away, now))
        .unwrap();
    assert_eq!(sim.place(c), Place::Pending);
    assert_eq!(sim.load(ADA), 0);
    assert!(
        !sim.engine.conversation(c).unwrap().declined.contains(&ADA),
        "leaving is not declining"
    );
}

#[test]
fn the_popup_carries_the_queue_wait_time_and_script() {
    let script = Script {
        name: "greeting".into(),
        first_node: "Greet the customer by name".into(),
    };
    let options = QueueOptions {
        script: Some(script),
        ..QueueOptions::default()
    };
    let mut sim = Sim::new(floor_with(options, 1));
    let c = sim.chat(Entry::Queue(SALES), "hi");
    let since = sim.now;
    sim.advance(secs(42));
    sim.available(ADA);
    let offer = sim.engine.offer(c).unwrap();
    assert_eq!(offer.queue, Some(SALES));
    assert_eq!(offer.waiting_since, since);
    assert_eq!(
        offer.script_first_node.as_deref(),
        Some("Greet the customer by name")
    );
    assert_eq!(offer.transfer, None);
}
