//! The pool: Messages pending and the hand button, In progress with the latest
//! message, and what each agent may see and do.

mod common;

use banner_core::*;
use common::*;

#[test]
fn pending_lists_the_waiting_chats_of_my_queues_in_fifo_order() {
    let mut sim = Sim::new(floor(1));
    let a = sim.chat(Entry::Queue(SALES), "a");
    sim.advance(secs(1));
    let s = sim.chat(Entry::Queue(SUPPORT), "s");
    let b = sim.chat(Entry::Queue(SALES), "b");
    let pool = sim.engine.pool(ADA).unwrap();
    let pending: Vec<_> = pool
        .pending
        .iter()
        .map(|p| (p.conversation, p.queue))
        .collect();
    assert_eq!(
        pending,
        [(a, Some(SALES)), (b, Some(SALES))],
        "support's chat is not Ada's business"
    );
    assert_eq!(pool.pending[0].waiting_since, Time::ZERO);
    assert_eq!(sim.engine.pool(CY).unwrap().pending[0].conversation, s);
}

#[test]
fn picking_takes_a_pending_chat_and_only_one_agent_wins() {
    let mut sim = Sim::new(floor(1));
    let c = sim.chat(Entry::Queue(SALES), "hi");
    sim.run(|e, now| e.set_presence(ADA, Presence::Away, now))
        .unwrap();
    sim.run(|e, now| e.set_presence(BOB, Presence::Away, now))
        .unwrap();
    sim.run(|e, now| e.pick(ADA, c, now)).unwrap();
    assert_eq!(sim.holder(c), Some(ADA));
    assert_eq!(
        sim.run(|e, now| e.pick(BOB, c, now)),
        Err(Error::NotPending(c))
    );
    assert_eq!(sim.holder(c), Some(ADA));
    assert!(sim.events.iter().any(|e| matches!(
        e,
        Event::Assigned {
            agent: ADA,
            by: AssignedBy::Picked,
            ..
        }
    )));
}

#[test]
fn the_hand_button_respects_capacity_membership_permission_and_presence() {
    let mut config = floor(1);
    config.agents[1]
        .profile
        .permissions
        .remove(&Permission::Pick); // Bob may not pick
    let mut sim = Sim::new(config);
    let held = sim.chat(Entry::Queue(SALES), "first");
    let waiting = sim.chat(Entry::Queue(SALES), "second");
    sim.run(|e, now| e.set_presence(ADA, Presence::Away, now))
        .unwrap();
    sim.run(|e, now| e.pick(ADA, held, now)).unwrap();
    let pool = sim.engine.pool(ADA).unwrap();
    assert_eq!(
        pool.pending[0].can_pick,
        Err(Error::AtCapacity { agent: ADA }),
        "shown disabled, with the reason"
    );
    assert_eq!(
        sim.run(|e, now| e.pick(ADA, waiting, now)),
        Err(Error::AtCapacity { agent: ADA })
    );
    assert_eq!(
        sim.run(|e, now| e.pick(BOB, waiting, now)),
        Err(Error::Forbidden {
            agent: BOB,
            permission: Permission::Pick
        })
    );
    assert_eq!(
        sim.run(|e, now| e.pick(CY, waiting, now)),
        Err(Error::NotAMember {
            agent: CY,
            queue: SALES
        })
    );
    let fresh = sim.chat(Entry::Queue(SUPPORT), "support");
    assert_eq!(
        sim.run(|e, now| e.pick(CY, fresh, now)),
        Err(Error::Unavailable { agent: CY }),
        "Cy is offline"
    );
    assert_eq!(
        sim.place(waiting),
        Place::Pending,
        "nothing changed by the refusals"
    );
}

#[test]
fn in_progress_shows_each_chat_with_its_latest_message() {
    let mut sim = Sim::new(floor(2));
    sim.available(ADA);
    let a = sim.chat(Entry::Queue(SALES), "first chat");
    let b = sim.chat(Entry::Queue(SALES), "second chat");
    sim.run(|e, now| e.accept(ADA, a, now)).unwrap();
    sim.run(|e, now| e.accept(ADA, b, now)).unwrap();
    sim.advance(secs(3));
    sim.run(|e, now| e.agent_message(ADA, a, "How can I help?", false, now))
        .unwrap();
    sim.say(b, "Still there?");
    let pool = sim.engine.pool(ADA).unwrap();
    let latest: Vec<_> = pool
        .in_progress
        .iter()
        .map(|p| {
            (
                p.conversation,
                p.latest.as_ref().map(|m| (m.author, m.text.clone(), m.at)),
            )
        })
        .collect();
    assert_eq!(
        latest,
        [
            (
                a,
                Some((Author::Agent(ADA), "How can I help?".to_string(), sim.now))
            ),
            (
                b,
                Some((Author::Visitor, "Still there?".to_string(), sim.now))
            ),
        ]
    );
    assert!(pool.pending.is_empty() && pool.offers.is_empty());
}

#[test]
fn ringing_offers_show_in_my_pool_and_not_in_pending() {
    let mut sim = Sim::new(floor(1));
    sim.available(ADA);
    let c = sim.chat(Entry::Queue(SALES), "hi");
    let ada = sim.engine.pool(ADA).unwrap();
    assert_eq!(
        ada.offers
            .iter()
            .map(|o| o.conversation)
            .collect::<Vec<_>>(),
        [c]
    );
    assert!(ada.pending.is_empty());
    assert!(
        sim.engine.pool(BOB).unwrap().pending.is_empty(),
        "a ringing chat cannot be picked"
    );
}

#[test]
fn queue_options_decide_the_conditional_actions() {
    let options = QueueOptions {
        qualification_form: Some("satisfaction".into()),
        script: Some(Script {
            name: "upsell".into(),
            first_node: "Offer the premium plan".into(),
        }),
        video_call: true,
        ..QueueOptions::default()
    };
    let mut config = floor_with(options, 1);
    config.agents[1]
        .profile
        .permissions
        .remove(&Permission::VideoCall);
    config.agents[1]
        .profile
        .permissions
        .remove(&Permission::TransferToFlow);
    let mut sim = Sim::new(config);
    sim.available(ADA);
    let a = sim.chat(Entry::Queue(SALES), "hi");
    sim.run(|e, now| e.accept(ADA, a, now)).unwrap();
    sim.available(BOB);
    let b = sim.chat(Entry::Queue(SALES), "hi");
    sim.run(|e, now| e.accept(BOB, b, now)).unwrap();
    let ada = sim.engine.actions(ADA, a).unwrap();
    assert!(ada.video_call && ada.transfer_to_flow);
    assert_eq!(ada.qualification_form.as_deref(), Some("satisfaction"));
    assert_eq!(ada.script.map(|s| s.name).as_deref(), Some("upsell"));
    let bob = sim.engine.actions(BOB, b).unwrap();
    assert!(!bob.video_call && !bob.transfer_to_flow && bob.transfer_to_user);
    assert_eq!(
        sim.engine.actions(BOB, a),
        Err(Error::NotHolder {
            agent: BOB,
            conversation: a
        })
    );
    let plain = Sim::new(floor(1)).engine;
    assert!(!plain.queue(SALES).unwrap().options.video_call);
}

#[test]
fn agents_see_their_own_chats_and_supervisors_see_every_chat() {
    let mut sim = Sim::new(floor(1));
    sim.available(ADA);
    let c = sim.chat(Entry::Queue(SALES), "hi");
    let s = sim.chat(Entry::Queue(SUPPORT), "hi");
    sim.run(|e, now| e.accept(ADA, c, now)).unwrap();
    assert!(sim.engine.can_view(ADA, c));
    assert!(
        !sim.engine.can_view(BOB, c),
        "Bob neither holds nor can pick it"
    );
    assert!(!sim.engine.can_view(ADA, s), "support is not Ada's queue");
    assert!(sim.engine.can_view(CY, s), "Cy may pick it");
    assert!(sim.engine.can_view(SUE, c) && sim.engine.can_view(SUE, s));
}

#[test]
fn supervisors_see_queue_figures() {
    let mut sim = Sim::new(floor(1));
    sim.available(ADA);
    let _ringing = sim.chat(Entry::Queue(SALES), "one");
    sim.advance(secs(2));
    let _waiting = sim.chat(Entry::Queue(SALES), "two");
    let stats = sim.engine.queue_stats(SALES).unwrap();
    assert_eq!(
        (stats.waiting, stats.oldest_since, stats.eligible_agents),
        (1, Some(Time::from_millis(2000)), 0)
    );
}
