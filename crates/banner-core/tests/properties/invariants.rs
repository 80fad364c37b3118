//! The invariants of ARCHITECTURE.md §3 and §6, checked from the engine's public
//! views only (agents, pools, conversations, offers, timers, queue figures).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use banner_core::*;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use crate::floor::FloorSpec;

type Checked = Result<(), TestCaseError>;

/// Everything the checks look at, read once.
struct Views<'a> {
    engine: &'a Engine,
    floor: &'a FloorSpec,
    agents: BTreeMap<AgentId, AgentView>,
    pools: BTreeMap<AgentId, Pool>,
    conversations: BTreeMap<ConversationId, &'a Conversation>,
}

/// Where the pools list one conversation.
#[derive(Debug, Default, PartialEq, Eq)]
struct Listed {
    offers: Vec<AgentId>,
    in_progress: Vec<AgentId>,
    pending: Vec<(AgentId, Option<QueueId>)>,
    pending_customers: Vec<(AgentId, bool)>,
    wrap_up: Vec<AgentId>,
}

/// Runs every check.
pub fn check_all(
    engine: &Engine,
    floor: &FloorSpec,
    opened: &[ConversationId],
    now: Time,
) -> Checked {
    let agents: BTreeMap<_, _> = engine.agents().map(|a| (a.id, a)).collect();
    let mut pools = BTreeMap::new();
    for &a in agents.keys() {
        let pool = engine.pool(a);
        prop_assert!(pool.is_ok(), "no pool for {a}");
        pools.insert(a, pool.unwrap_or_default());
    }
    let conversations = engine
        .conversation_ids()
        .filter_map(|c| engine.conversation(c).map(|conv| (c, conv)))
        .collect();
    let views = Views {
        engine,
        floor,
        agents,
        pools,
        conversations,
    };
    no_agent_above_capacity(&views)?;
    active_for_at_most_one_agent(&views)?;
    every_chat_in_exactly_one_place(&views)?;
    no_chat_lost(&views, opened)?;
    timers_match_their_chats(&views, now)?;
    offers_ring_available_agents(&views)?;
    router_leaves_no_pair_unserved(&views)
}

/// 1. Load (offers + held chats) never exceeds capacity, and the reported load
///    is what the conversations and offers say it is.
fn no_agent_above_capacity(v: &Views) -> Checked {
    for (&a, agent) in &v.agents {
        prop_assert!(
            agent.load <= agent.capacity,
            "{a} above capacity: {agent:?}"
        );
        let mut ringing: Vec<ConversationId> = v
            .conversations
            .keys()
            .copied()
            .filter(|&c| v.engine.offer(c).is_some_and(|o| o.agent == a))
            .collect();
        ringing.sort_unstable();
        let held = v
            .conversations
            .values()
            .filter(|conv| conv.holder() == Some(a))
            .filter(|conv| match conv.place() {
                Place::Active => true,
                Place::PendingCustomer => !conv.is_frozen(),
                _ => false,
            })
            .count();
        prop_assert_eq!(agent.load as usize, ringing.len() + held, "load of {}", a);
        let mut listed = agent.offers.clone();
        listed.sort_unstable();
        prop_assert_eq!(&listed, &ringing, "offers listed for {}", a);
    }
    Ok(())
}

/// 2. A chat is "In progress" for at most one agent: its holder.
fn active_for_at_most_one_agent(v: &Views) -> Checked {
    let mut owners: HashMap<ConversationId, Vec<AgentId>> = HashMap::new();
    for (&a, pool) in &v.pools {
        for row in &pool.in_progress {
            owners.entry(row.conversation).or_default().push(a);
        }
    }
    for (c, agents) in owners {
        prop_assert!(agents.len() == 1, "{c} in progress for {agents:?}");
        let holder = v.conversations.get(&c).and_then(|conv| conv.holder());
        prop_assert_eq!(holder, Some(agents[0]), "holder of {}", c);
    }
    Ok(())
}

fn listings(v: &Views) -> BTreeMap<ConversationId, Listed> {
    let mut all: BTreeMap<ConversationId, Listed> = BTreeMap::new();
    for (&a, pool) in &v.pools {
        for o in &pool.offers {
            all.entry(o.conversation).or_default().offers.push(a);
        }
        for row in &pool.in_progress {
            all.entry(row.conversation).or_default().in_progress.push(a);
        }
        for row in &pool.pending {
            let pending = &mut all.entry(row.conversation).or_default().pending;
            pending.push((a, row.queue));
        }
        for row in &pool.pending_customers {
            let listed = &mut all.entry(row.conversation).or_default().pending_customers;
            listed.push((a, row.frozen));
        }
        for &c in &pool.wrap_up {
            all.entry(c).or_default().wrap_up.push(a);
        }
    }
    all
}

/// 3. Each chat's place agrees with the pools: listed where its place says,
///    and nowhere else.
fn every_chat_in_exactly_one_place(v: &Views) -> Checked {
    let mut listed = listings(v);
    for c in listed.keys() {
        prop_assert!(v.conversations.contains_key(c), "pools list unknown {c}");
    }
    for (&c, conv) in &v.conversations {
        let actual = listed.remove(&c).unwrap_or_default();
        let mut expected = Listed::default();
        let offer = v.engine.offer(c);
        if let Some(offer) = offer {
            prop_assert_eq!(offer.conversation, c);
        }
        match conv.place() {
            Place::Active => {
                let holder = conv.holder();
                prop_assert!(holder.is_some(), "active {c} has no holder");
                expected.in_progress.extend(holder);
                expected.offers.extend(conv.transfer_target());
            }
            Place::Offered => {
                prop_assert!(offer.is_some(), "offered {c} has no offer");
                prop_assert_eq!(conv.holder(), None);
                expected.offers.extend(offer.map(|o| o.agent));
            }
            Place::Pending => {
                let (queue, members) = match conv.direct_agent() {
                    Some(a) => (None, BTreeSet::from([a])),
                    None => {
                        prop_assert!(conv.queue.is_some(), "pending {c} has no queue");
                        let q = conv.queue.unwrap_or(QueueId(0));
                        (Some(q), v.floor.members(q))
                    }
                };
                expected.pending = members.into_iter().map(|a| (a, queue)).collect();
            }
            Place::PendingCustomer => {
                let agent = conv.holder().or(conv.last_agent);
                prop_assert!(agent.is_some(), "{c} waits for the customer with nobody");
                expected
                    .pending_customers
                    .extend(agent.map(|a| (a, conv.is_frozen())));
                prop_assert_eq!(conv.holder().is_some(), !conv.is_frozen());
            }
            Place::WrapUp => {
                prop_assert!(conv.holder().is_some(), "{c} in wrap-up with nobody");
                expected.wrap_up.extend(conv.holder());
            }
            Place::Routing => prop_assert!(conv.flow_cursor().is_some()),
            Place::Idle | Place::Ended => {}
        }
        prop_assert_eq!(
            actual,
            expected,
            "{} is {:?} ({:?}) but the pools disagree",
            c,
            conv.place(),
            conv
        );
        if offer.is_none() {
            prop_assert!(
                conv.transfer_target().is_none(),
                "{c}: transfer rings nobody"
            );
        }
    }
    Ok(())
}

/// 4. No chat is lost: every conversation ever opened is still known (and no
///    other), and a pending chat waits somewhere that exists.
fn no_chat_lost(v: &Views, opened: &[ConversationId]) -> Checked {
    let known: BTreeSet<ConversationId> = v.conversations.keys().copied().collect();
    let opened: BTreeSet<ConversationId> = opened.iter().copied().collect();
    prop_assert_eq!(known, opened, "the engine's conversations");
    for conv in v.conversations.values() {
        if conv.place() == Place::Pending {
            let home_exists = match conv.direct_agent() {
                Some(a) => v.agents.contains_key(&a),
                None => conv.queue.is_some_and(|q| v.engine.queue(q).is_some()),
            };
            prop_assert!(home_exists, "{:?} waits nowhere", conv);
        }
    }
    Ok(())
}

/// 5 (the part visible at rest). No armed timer is overdue, and each chat has
/// exactly the timers its place calls for.
fn timers_match_their_chats(v: &Views, now: Time) -> Checked {
    let timers = v.engine.pending_timers();
    let find = |c: ConversationId, kind: TimerKind| {
        timers
            .iter()
            .find(|t| t.conversation == c && t.kind == kind)
            .map(|t| t.deadline)
    };
    for timer in &timers {
        prop_assert!(timer.deadline > now, "{timer:?} overdue at {now:?}");
        prop_assert!(
            v.conversations.contains_key(&timer.conversation),
            "{timer:?} for an unknown chat"
        );
    }
    for (&c, conv) in &v.conversations {
        let phase_end = v.engine.offer(c).map(|o| match o.phase {
            OfferPhase::Preview { until } | OfferPhase::Ringing { until } => until,
            OfferPhase::AutoAccept { at } => at,
        });
        prop_assert_eq!(find(c, TimerKind::Offer), phase_end, "offer timer of {}", c);
        let wrapping = conv.place() == Place::WrapUp;
        prop_assert_eq!(
            find(c, TimerKind::WrapUp).is_some(),
            wrapping,
            "wrap-up timer of {}",
            c
        );
        if find(c, TimerKind::Reconnection).is_some() {
            prop_assert!(
                !conv.visitor.is_customer()
                    && !conv.visitor_connected
                    && !matches!(conv.place(), Place::WrapUp | Place::Ended),
                "reconnection timer of {:?}",
                conv
            );
        }
    }
    Ok(())
}

/// 6. Every ringing offer rings an agent who is available to chat.
fn offers_ring_available_agents(v: &Views) -> Checked {
    for &c in v.conversations.keys() {
        if let Some(offer) = v.engine.offer(c) {
            let presence = v.agents.get(&offer.agent).map(|a| a.presence);
            prop_assert_eq!(presence, Some(Presence::Available), "{:?}", offer);
        }
    }
    Ok(())
}

/// 7. The router leaves no pair unserved. A direct chat waits only while its
///    agent has no room or declined it (it then waits to be picked); a queued
///    chat never waits while a member has room — even one who declined it, who
///    is rung again once everyone with room has declined (docs/routing.md). And
///    the router's figures agree with the chats and agents.
fn router_leaves_no_pair_unserved(v: &Views) -> Checked {
    let has_room = |a: &AgentId| {
        v.agents
            .get(a)
            .is_some_and(|s| s.presence == Presence::Available && s.load < s.capacity)
    };
    for (&c, conv) in &v.conversations {
        if conv.place() != Place::Pending {
            continue;
        }
        if let Some(a) = conv.direct_agent() {
            prop_assert!(
                !has_room(&a) || conv.declined.contains(&a),
                "{c} waits while {a}, who did not decline it, has room: {conv:?}"
            );
            continue;
        }
        let members = conv.queue.map(|q| v.floor.members(q)).unwrap_or_default();
        let with_room: Vec<&AgentId> = members.iter().filter(|a| has_room(a)).collect();
        let undeclined = with_room.iter().find(|a| !conv.declined.contains(a));
        prop_assert!(
            undeclined.is_none(),
            "{c} waits while {undeclined:?}, who did not decline it, has room: {conv:?}"
        );
        prop_assert!(
            with_room.is_empty(),
            "{c} waits while {with_room:?} have room, though all of them declined it: {conv:?}"
        );
    }
    for q in v.floor.queues() {
        let stats = v.engine.queue_stats(q);
        prop_assert!(stats.is_some(), "no figures for {q}");
        let stats = stats.unwrap_or(QueueStats {
            waiting: 0,
            oldest_since: None,
            eligible_agents: 0,
        });
        let waiting: Vec<&Conversation> = v
            .conversations
            .values()
            .copied()
            .filter(|conv| conv.place() == Place::Pending)
            .filter(|conv| conv.direct_agent().is_none() && conv.queue == Some(q))
            .collect();
        prop_assert_eq!(stats.waiting, waiting.len(), "chats waiting in {}", q);
        let oldest = waiting.iter().map(|conv| conv.waiting_since).min();
        prop_assert_eq!(stats.oldest_since, oldest, "oldest chat waiting in {}", q);
        let eligible = v.floor.members(q).iter().filter(|a| has_room(a)).count();
        prop_assert_eq!(stats.eligible_agents, eligible, "agents with room in {}", q);
    }
    Ok(())
}
