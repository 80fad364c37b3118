//! Notifications: each of the five kinds reaches the right agent at the right
//! moment, and an agent who switches a kind off no longer receives it.

mod common;

use banner_core::*;
use common::*;

/// Every kind switched on (a message exiting a queue is off by default).
fn all_on() -> NotificationSettings {
    NotificationSettings {
        message_exits_queue: true,
        ..NotificationSettings::default()
    }
}

/// Every kind but `kind`.
fn all_but(kind: NotificationKind) -> NotificationSettings {
    let mut settings = all_on();
    let switch = match kind {
        NotificationKind::MessageArrives => &mut settings.message_arrives,
        NotificationKind::MonitoredQueueMessage => &mut settings.monitored_queue_message,
        NotificationKind::MessagingEnded => &mut settings.messaging_ended,
        NotificationKind::ParticipantLeaves => &mut settings.participant_leaves,
        NotificationKind::MessageExitsQueue => &mut settings.message_exits_queue,
    };
    *switch = false;
    settings
}

fn set_settings(sim: &mut Sim, agent: AgentId, settings: NotificationSettings) {
    sim.engine
        .set_notification_settings(agent, settings)
        .expect("known agent");
}

fn is_monitor(a: AgentId) -> bool {
    a == SUE
}

// Each scenario makes one kind happen once, and says who should hear of it.

fn visitor_writes_in_a_held_chat(sim: &mut Sim) -> (AgentId, ConversationId) {
    sim.available(ADA);
    let c = sim.held_by(ADA, Entry::Queue(SALES));
    sim.say(c, "are you there?");
    (ADA, c)
}

fn a_chat_arrives_in_the_queue(sim: &mut Sim) -> (AgentId, ConversationId) {
    let c = sim.chat(Entry::Queue(SALES), "hello");
    (SUE, c)
}

fn visitor_ends_a_held_chat(sim: &mut Sim) -> (AgentId, ConversationId) {
    sim.available(ADA);
    let c = sim.held_by(ADA, Entry::Queue(SALES));
    sim.run(|e, now| e.visitor_leave(c, now)).expect("leave");
    (ADA, c)
}

fn visitor_drops_from_a_held_chat(sim: &mut Sim) -> (AgentId, ConversationId) {
    sim.available(ADA);
    let c = sim.held_by(ADA, Entry::Queue(SALES));
    sim.run(|e, now| e.visitor_disconnected(c, now))
        .expect("drop");
    (ADA, c)
}

fn chat_leaves_the_queue(sim: &mut Sim) -> (AgentId, ConversationId) {
    sim.available(ADA);
    let c = sim.held_by(ADA, Entry::Queue(SALES));
    (SUE, c)
}

type Scenario = fn(&mut Sim) -> (AgentId, ConversationId);

const SCENARIOS: [(NotificationKind, Scenario); 5] = [
    (
        NotificationKind::MessageArrives,
        visitor_writes_in_a_held_chat,
    ),
    (
        NotificationKind::MonitoredQueueMessage,
        a_chat_arrives_in_the_queue,
    ),
    (NotificationKind::MessagingEnded, visitor_ends_a_held_chat),
    (
        NotificationKind::ParticipantLeaves,
        visitor_drops_from_a_held_chat,
    ),
    (NotificationKind::MessageExitsQueue, chat_leaves_the_queue),
];

#[test]
fn message_arrives_goes_to_the_agent_holding_the_chat_only() {
    let mut sim = Sim::new(floor(2));
    sim.available(ADA);
    sim.available(BOB);
    let c = sim.chat(Entry::Queue(SALES), "hello");
    sim.say(c, "still ringing?");
    assert!(
        sim.notified(ADA, NotificationKind::MessageArrives)
            .is_empty(),
        "not while the chat only rings Ada"
    );
    sim.run(|e, now| e.accept(ADA, c, now)).unwrap();

    sim.say(c, "thanks for taking my chat");
    assert_eq!(sim.notified(ADA, NotificationKind::MessageArrives), vec![c]);
    for other in [BOB, SUE] {
        assert!(
            sim.notified(other, NotificationKind::MessageArrives)
                .is_empty()
        );
    }
    let before = sim.notifications.len();
    sim.run(|e, now| e.agent_message(ADA, c, "you're welcome", false, now))
        .unwrap();
    assert_eq!(sim.notifications.len(), before, "not for Ada's own message");
}

#[test]
fn a_chat_arriving_in_a_queue_notifies_the_monitors_of_that_queue_once() {
    let mut sim = Sim::new(floor(1));
    let c = sim.chat(Entry::Queue(SALES), "hello");
    assert_eq!(
        sim.notified(SUE, NotificationKind::MonitoredQueueMessage),
        vec![c]
    );
    assert!(
        sim.notifications.iter().all(|n| is_monitor(n.agent)),
        "members who do not monitor the queue are not told"
    );
    sim.say(c, "is anyone there?");
    sim.available(ADA);
    sim.run(|e, now| e.decline(ADA, c, now)).unwrap();
    assert_eq!(
        sim.notified(SUE, NotificationKind::MonitoredQueueMessage),
        vec![c],
        "writing while waiting, or going back to its place after a decline, is no new arrival"
    );
}

#[test]
fn smart_routing_and_transfers_that_reach_a_queue_are_arrivals_too() {
    let mut sim = Sim::new(floor(1));
    let c = sim.chat(Entry::Flow(WELCOME), "hello");
    assert!(
        sim.notifications.is_empty(),
        "nothing while smart routing qualifies it"
    );
    sim.say(c, "Get help");
    assert_eq!(
        sim.notified(SUE, NotificationKind::MonitoredQueueMessage),
        vec![c]
    );
    sim.available(CY);
    sim.run(|e, now| e.accept(CY, c, now)).unwrap();
    sim.run(|e, now| {
        e.transfer(
            CY,
            c,
            TransferTarget::Queue(SALES),
            TransferMode::Blind,
            now,
        )
    })
    .unwrap();
    assert_eq!(
        sim.notified(SUE, NotificationKind::MonitoredQueueMessage),
        vec![c, c]
    );
}

#[test]
fn only_monitors_of_the_chats_queue_hear_of_its_arrival() {
    let mut config = floor(1);
    config.agents[3].monitored_queues = [SUPPORT].into();
    let mut sim = Sim::new(config);
    let _sales = sim.chat(Entry::Queue(SALES), "hello");
    assert!(sim.notifications.is_empty());
    let support = sim.chat(Entry::Queue(SUPPORT), "hello");
    assert_eq!(
        sim.notified(SUE, NotificationKind::MonitoredQueueMessage),
        vec![support]
    );
}

#[test]
fn messaging_ended_goes_to_the_holder_when_the_visitor_ends_the_chat() {
    let mut sim = Sim::new(floor(1));
    sim.available(ADA);
    let c = sim.held_by(ADA, Entry::Queue(SALES));
    assert!(
        sim.notified(ADA, NotificationKind::MessagingEnded)
            .is_empty()
    );
    sim.run(|e, now| e.visitor_leave(c, now)).unwrap();
    assert_eq!(sim.notified(ADA, NotificationKind::MessagingEnded), vec![c]);

    let queued = sim.chat(Entry::Queue(SUPPORT), "hello");
    sim.run(|e, now| e.visitor_leave(queued, now)).unwrap();
    assert!(
        !sim.notifications
            .iter()
            .any(|n| n.kind == NotificationKind::MessagingEnded && n.conversation == queued),
        "nobody held it"
    );
}

#[test]
fn participant_leaves_when_the_visitor_drops_then_messaging_ended_when_the_timer_expires() {
    let mut sim = Sim::new(floor(1));
    sim.available(ADA);
    let c = sim.held_by(ADA, Entry::Queue(SALES));
    sim.run(|e, now| e.visitor_disconnected(c, now)).unwrap();
    assert_eq!(
        sim.notified(ADA, NotificationKind::ParticipantLeaves),
        vec![c]
    );
    assert!(
        sim.notified(ADA, NotificationKind::MessagingEnded)
            .is_empty(),
        "the visitor may still come back"
    );

    sim.advance(secs(60));
    assert_eq!(sim.notified(ADA, NotificationKind::MessagingEnded), vec![c]);

    let queued = sim.chat(Entry::Queue(SUPPORT), "hello");
    sim.run(|e, now| e.visitor_disconnected(queued, now))
        .unwrap();
    assert!(
        !sim.notifications
            .iter()
            .any(|n| n.kind == NotificationKind::ParticipantLeaves && n.conversation == queued),
        "nobody holds it"
    );
}

#[test]
fn message_exits_queue_is_off_by_default() {
    let mut sim = Sim::new(floor(1));
    sim.available(ADA);
    sim.held_by(ADA, Entry::Queue(SALES));
    assert!(
        sim.notified(SUE, NotificationKind::MessageExitsQueue)
            .is_empty()
    );
}

#[test]
fn message_exits_queue_tells_monitors_when_a_chat_leaves_their_queue() {
    let mut sim = Sim::new(floor(1));
    set_settings(&mut sim, SUE, all_on());
    sim.available(ADA);
    let accepted = sim.chat(Entry::Queue(SALES), "hello");
    assert!(
        sim.notified(SUE, NotificationKind::MessageExitsQueue)
            .is_empty(),
        "ringing is not leaving"
    );
    sim.run(|e, now| e.accept(ADA, accepted, now)).unwrap();
    assert_eq!(
        sim.notified(SUE, NotificationKind::MessageExitsQueue),
        vec![accepted]
    );

    // Bob is away: he gets no offers but may pick with the hand button.
    sim.available(BOB);
    sim.run(|e, now| e.set_presence(BOB, Presence::Away, now))
        .unwrap();
    let picked = sim.chat(Entry::Queue(SALES), "hello");
    sim.run(|e, now| e.pick(BOB, picked, now)).unwrap();
    let abandoned = sim.chat(Entry::Queue(SALES), "hello");
    sim.run(|e, now| e.visitor_leave(abandoned, now)).unwrap();
    assert_eq!(
        sim.notified(SUE, NotificationKind::MessageExitsQueue),
        vec![accepted, picked, abandoned]
    );
    assert!(
        sim.notifications
            .iter()
            .filter(|n| n.kind == NotificationKind::MessageExitsQueue)
            .all(|n| is_monitor(n.agent)),
        "only monitors hear of it"
    );
}

#[test]
fn each_kind_switched_off_is_no_longer_delivered() {
    for (kind, scenario) in SCENARIOS {
        let mut sim = Sim::new(floor(1));
        for a in [ADA, SUE] {
            set_settings(&mut sim, a, all_on());
        }
        let (recipient, c) = scenario(&mut sim);
        assert_eq!(sim.notified(recipient, kind), vec![c], "{kind:?} on");

        let mut sim = Sim::new(floor(1));
        for a in [ADA, SUE] {
            set_settings(&mut sim, a, all_but(kind));
        }
        let (recipient, _) = scenario(&mut sim);
        assert!(sim.notified(recipient, kind).is_empty(), "{kind:?} off");
    }
}
