//! The visitor's side of a chat: dropping and coming back within the reconnection
//! timer, the timer expiring (close, or freeze), leaving, and an authenticated
//! customer's continuous conversation.

mod common;

use banner_core::*;
use common::lifecycle::*;
use common::*;

#[test]
fn a_visitor_who_reconnects_in_time_resumes_the_chat() {
    let mut sim = Sim::new(floor(1));
    sim.available(ADA);
    let c = sim.held_by(ADA, Entry::Queue(SALES));
    sim.run(|e, now| e.visitor_disconnected(c, now)).unwrap();
    assert!(sim.events.contains(&Event::VisitorDisconnected {
        conversation: c,
        reconnect_within: Some(secs(60)),
    }));
    assert!(has_reconnection_timer(&sim, c));

    sim.advance(secs(59));
    sim.run(|e, now| e.visitor_reconnected(c, now)).unwrap();
    assert!(!has_reconnection_timer(&sim, c));
    sim.advance(secs(120));
    assert_eq!(sim.place(c), Place::Active);
    assert_eq!(sim.holder(c), Some(ADA));
    assert!(!left(&sim, c));
    sim.say(c, "sorry, my train went into a tunnel");
}

#[test]
fn an_expired_reconnection_timer_sends_a_held_chat_to_wrap_up() {
    let mut sim = Sim::new(floor(1));
    sim.available(ADA);
    let c = sim.held_by(ADA, Entry::Queue(SALES));
    sim.run(|e, now| e.visitor_disconnected(c, now)).unwrap();
    sim.advance(secs(59));
    assert_eq!(sim.place(c), Place::Active);

    sim.advance(secs(1));
    assert!(left(&sim, c));
    assert_eq!(sim.place(c), Place::WrapUp);
    assert_eq!(sim.engine.pool(ADA).unwrap().wrap_up, vec![c]);
    assert_eq!(sim.notified(ADA, NotificationKind::MessagingEnded), vec![c]);
    assert_eq!(sim.load(ADA), 0);
}

#[test]
fn an_expired_reconnection_timer_abandons_a_queued_chat() {
    let mut sim = Sim::new(floor(1));
    let c = sim.chat(Entry::Queue(SALES), "anyone?");
    sim.run(|e, now| e.visitor_disconnected(c, now)).unwrap();
    sim.advance(secs(60));

    assert_eq!(sim.place(c), Place::Ended);
    assert!(sim.events.contains(&Event::InteractionEnded {
        conversation: c,
        reason: EndReason::Abandoned,
    }));
    assert_eq!(sim.engine.queue_stats(SALES).unwrap().waiting, 0);
    sim.available(ADA);
    assert_eq!(sim.load(ADA), 0, "nothing left to offer");
    assert_eq!(
        sim.run(|e, now| e.visitor_reconnected(c, now)),
        Err(Error::ConversationEnded(c))
    );
}

#[test]
fn in_a_freeze_queue_an_expired_reconnection_timer_freezes_the_chat() {
    let mut sim = Sim::new(freeze_floor(1));
    sim.available(ADA);
    let c = sim.held_by(ADA, Entry::Queue(SALES));
    sim.run(|e, now| e.visitor_disconnected(c, now)).unwrap();
    sim.advance(secs(60));

    assert!(!left(&sim, c), "frozen, not closed");
    assert!(
        sim.notified(ADA, NotificationKind::MessagingEnded)
            .is_empty()
    );
    assert!(sim.engine.conversation(c).unwrap().is_frozen());
    assert_eq!(
        pending_customers(&sim, ADA),
        vec![PendingCustomerChat {
            conversation: c,
            frozen: true,
        }]
    );
    assert_eq!(sim.load(ADA), 0);

    sim.advance(secs(600));
    sim.run(|e, now| e.visitor_reconnected(c, now)).unwrap();
    sim.say(c, "I'm back");
    let offer = sim.engine.offer(c).unwrap();
    assert_eq!((offer.agent, offer.returning), (ADA, true));
}

#[test]
fn a_visitor_who_leaves_a_held_chat_ends_it_at_once() {
    let mut sim = Sim::new(floor(1));
    sim.available(ADA);
    let c = sim.held_by(ADA, Entry::Queue(SALES));
    sim.run(|e, now| e.visitor_leave(c, now)).unwrap();

    assert!(left(&sim, c));
    assert!(sim.events.contains(&Event::WrapUpStarted {
        conversation: c,
        agent: ADA,
        until: sim.now + secs(120),
    }));
    assert_eq!(sim.place(c), Place::WrapUp);
    assert_eq!(sim.engine.pool(ADA).unwrap().wrap_up, vec![c]);
    assert_eq!(sim.notified(ADA, NotificationKind::MessagingEnded), vec![c]);
    assert_eq!(
        sim.run(|e, now| e.visitor_leave(c, now)),
        Err(Error::ConversationEnded(c))
    );
}

#[test]
fn a_visitor_who_leaves_a_queued_chat_abandons_it() {
    let mut sim = Sim::new(floor(1));
    let c = sim.chat(Entry::Queue(SALES), "hi");
    sim.run(|e, now| e.visitor_leave(c, now)).unwrap();

    assert_eq!(sim.place(c), Place::Ended);
    assert!(sim.events.contains(&Event::InteractionEnded {
        conversation: c,
        reason: EndReason::Abandoned,
    }));
    assert!(
        sim.events
            .contains(&Event::ConversationEnded { conversation: c })
    );
    assert_eq!(sim.engine.queue_stats(SALES).unwrap().waiting, 0);
    assert_eq!(
        sim.run(|e, now| e.visitor_message(c, "hello?", now)),
        Err(Error::ConversationEnded(c))
    );
}

#[test]
fn once_the_chat_is_closed_for_the_visitor_a_late_reconnect_or_drop_is_refused() {
    let mut sim = Sim::new(floor(1));
    sim.available(ADA);
    let c = sim.held_by(ADA, Entry::Queue(SALES));
    sim.run(|e, now| e.visitor_disconnected(c, now)).unwrap();
    sim.advance(secs(60));
    assert_eq!(sim.place(c), Place::WrapUp, "closed for the visitor");
    let (events, notifications) = (sim.events.len(), sim.notifications.len());

    assert_eq!(
        sim.run(|e, now| e.visitor_reconnected(c, now)),
        Err(Error::ConversationEnded(c))
    );
    assert_eq!(
        sim.run(|e, now| e.visitor_disconnected(c, now)),
        Err(Error::ConversationEnded(c))
    );
    assert_eq!(sim.events.len(), events, "no reconnection after leaving");
    assert_eq!(
        sim.notifications.len(),
        notifications,
        "Ada, wrapping up, is not told twice that the visitor left"
    );
}

#[test]
fn an_authenticated_customer_keeps_one_continuous_conversation() {
    let mut sim = Sim::new(floor(1));
    sim.available(ADA);
    let c = sim.open_customer("cust-42", Entry::Queue(SALES));
    assert_eq!(sim.open_customer("cust-42", Entry::Queue(SALES)), c);
    assert_eq!(sim.engine.customer_conversation("cust-42"), Some(c));
    sim.say(c, "my card is blocked");
    sim.run(|e, now| e.accept(ADA, c, now)).unwrap();

    sim.run(|e, now| e.visitor_disconnected(c, now)).unwrap();
    assert!(sim.events.contains(&Event::VisitorDisconnected {
        conversation: c,
        reconnect_within: None,
    }));
    assert!(!has_reconnection_timer(&sim, c));
    assert_eq!(
        sim.run(|e, now| e.visitor_leave(c, now)),
        Err(Error::CustomerCannotEnd)
    );

    archive(&mut sim, ADA, c);
    sim.run(|e, now| e.complete_wrap_up(ADA, c, None, now))
        .unwrap();
    assert_eq!(sim.place(c), Place::Idle, "between interactions, not ended");
    assert!(
        !sim.events
            .contains(&Event::ConversationEnded { conversation: c })
    );

    sim.advance(secs(3600));
    sim.available(BOB);
    let mark = sim.events.len();
    sim.say(c, "it is blocked again");
    assert!(sim.events_since(mark).contains(&Event::InteractionStarted {
        conversation: c,
        interaction: 2,
    }));
    assert!(sim.events_since(mark).contains(&Event::Enqueued {
        conversation: c,
        queue: SALES,
    }));
    assert_eq!(sim.engine.conversation(c).unwrap().interactions, 2);
    assert_eq!(sim.place(c), Place::Offered, "routed again");
}

#[test]
fn a_customer_message_during_wrap_up_starts_the_next_interaction_when_it_ends() {
    let mut sim = Sim::new(floor(1));
    sim.available(ADA);
    let c = sim.open_customer("cust-7", Entry::Queue(SALES));
    sim.say(c, "hello");
    sim.run(|e, now| e.accept(ADA, c, now)).unwrap();
    archive(&mut sim, ADA, c);

    sim.say(c, "oh, and one more thing");
    assert_eq!(
        sim.place(c),
        Place::WrapUp,
        "the wrap-up is not interrupted"
    );
    assert_eq!(sim.engine.conversation(c).unwrap().interactions, 1);

    sim.advance(secs(120));
    assert!(sim.events.contains(&Event::InteractionStarted {
        conversation: c,
        interaction: 2,
    }));
    assert_eq!(sim.ringing(c), Some(ADA), "routed as soon as wrap-up ends");
}
