//! What the outputs said, kept to hold the engine to it: the event stream (what
//! clients and the log see) must agree with the engine's views, and fired
//! timers must each fire once, never early, and only while armed.

use std::collections::{BTreeMap, HashSet};

use banner_core::*;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

type Checked = Result<(), TestCaseError>;

/// The floor as told by the event stream alone.
#[derive(Debug, Default)]
pub struct EventLedger {
    presence: BTreeMap<AgentId, Presence>,
    offers: BTreeMap<ConversationId, Offer>,
    /// Who each chat was last said to be with, and how.
    with: BTreeMap<ConversationId, With>,
}

/// Who a chat is with, as the last event about it said.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum With {
    /// Assigned to (or returned to) this agent.
    Held(AgentId),
    /// Waiting for the customer with this agent, frozen or not.
    WaitingForCustomer(AgentId, bool),
    /// In this agent's wrap-up.
    WrapUp(AgentId),
    /// Nobody: queued, ringing, routing, idle or over.
    Nobody,
}

impl EventLedger {
    /// Every agent starts offline.
    pub fn new(agents: impl IntoIterator<Item = AgentId>) -> Self {
        EventLedger {
            presence: agents.into_iter().map(|a| (a, Presence::Offline)).collect(),
            ..EventLedger::default()
        }
    }

    /// Takes in one event, in order. An offer is made only to an agent available
    /// at that moment, at most one per chat; it ends or is assigned at most once.
    pub fn record(&mut self, event: &Event) -> Checked {
        match event {
            Event::PresenceChanged { agent, presence } => {
                self.presence.insert(*agent, *presence);
            }
            Event::Offered { offer } => {
                let presence = self.presence.get(&offer.agent);
                prop_assert_eq!(
                    presence,
                    Some(&Presence::Available),
                    "offered while not available: {:?}",
                    offer
                );
                let c = offer.conversation;
                let attended = offer
                    .transfer
                    .is_some_and(|t| t.mode == TransferMode::Attended);
                if !attended {
                    self.with.insert(c, With::Nobody);
                }
                let previous = self.offers.insert(c, offer.clone());
                prop_assert!(
                    previous.is_none(),
                    "{c} rings twice: {previous:?}, {offer:?}"
                );
            }
            Event::OfferPhaseChanged {
                conversation,
                agent,
                phase,
            } => {
                let offer = self.offers.get_mut(conversation);
                prop_assert!(
                    offer.as_ref().is_some_and(|o| o.agent == *agent),
                    "{conversation}: phase of an offer that does not ring {agent}"
                );
                if let Some(offer) = offer {
                    offer.phase = *phase;
                }
            }
            Event::OfferEnded {
                conversation,
                agent,
                ..
            } => {
                let ended = self.offers.remove(conversation);
                prop_assert!(
                    ended.is_some_and(|o| o.agent == *agent),
                    "{conversation}: ended an offer that did not ring {agent}"
                );
            }
            Event::Assigned {
                conversation,
                agent,
                by,
            } => {
                let offer = self.offers.remove(conversation);
                match by {
                    AssignedBy::Accepted | AssignedBy::AutoAccepted | AssignedBy::Transferred => {
                        prop_assert!(
                            offer.as_ref().is_some_and(|o| o.agent == *agent),
                            "{conversation} {by:?} by {agent} without their offer: {offer:?}"
                        );
                    }
                    AssignedBy::Picked | AssignedBy::CustomerReplied => {
                        prop_assert!(offer.is_none(), "{conversation} {by:?} while ringing");
                    }
                }
                self.with.insert(*conversation, With::Held(*agent));
            }
            Event::TransferReturned { conversation, to } => {
                self.with.insert(*conversation, With::Held(*to));
            }
            Event::WaitingForCustomer {
                conversation,
                agent,
                frozen,
            } => {
                let with = With::WaitingForCustomer(*agent, *frozen);
                self.with.insert(*conversation, with);
            }
            Event::WrapUpStarted {
                conversation,
                agent,
                ..
            } => {
                self.with.insert(*conversation, With::WrapUp(*agent));
            }
            Event::TransferRequested {
                conversation,
                mode: TransferMode::Blind,
                ..
            }
            | Event::Enqueued { conversation, .. }
            | Event::WaitingForAgent { conversation, .. }
            | Event::InteractionEnded { conversation, .. } => {
                self.with.insert(*conversation, With::Nobody);
            }
            _ => {}
        }
        Ok(())
    }

    /// The stream agrees with the engine: the same offers ring (same phase),
    /// each held chat is with whom and as the last event about it said, and
    /// each agent's presence is the one last announced.
    pub fn agrees_with(&self, engine: &Engine) -> Checked {
        for c in engine.conversation_ids() {
            prop_assert_eq!(engine.offer(c), self.offers.get(&c), "offer of {}", c);
            let Some(conv) = engine.conversation(c) else {
                continue;
            };
            let with = match (conv.place(), conv.holder().or(conv.last_agent)) {
                (Place::Active, Some(a)) => With::Held(a),
                (Place::PendingCustomer, Some(a)) => With::WaitingForCustomer(a, conv.is_frozen()),
                (Place::WrapUp, Some(a)) => With::WrapUp(a),
                _ => With::Nobody,
            };
            let told = self.with.get(&c).copied().unwrap_or(With::Nobody);
            prop_assert_eq!(told, with, "who {} is with, told and actual", c);
        }
        for agent in engine.agents() {
            let told = self.presence.get(&agent.id);
            prop_assert_eq!(Some(&agent.presence), told, "presence of {}", agent.id);
        }
        Ok(())
    }
}

/// Every timer fired so far.
#[derive(Debug, Default)]
pub struct TimerLedger {
    fired: HashSet<TimerId>,
    /// The newest timer id seen armed or fired.
    newest: u64,
}

impl TimerLedger {
    /// Takes in what one `handle_timeout(now)` fired, given what was armed just
    /// before: each timer fires once, never early, in deadline order, and only
    /// as armed (a timer armed during the call has a newer id).
    pub fn fired(&mut self, armed: &[FiredTimer], fired: &[FiredTimer], now: Time) -> Checked {
        let newest_before = armed.iter().map(|t| t.id.0).fold(self.newest, u64::max);
        prop_assert!(
            !fired.is_empty(),
            "poll_timeout promised a timer at {now:?}"
        );
        let mut previous = Time::ZERO;
        for timer in fired {
            prop_assert!(timer.deadline <= now, "{timer:?} fired early at {now:?}");
            prop_assert!(timer.deadline >= previous, "timers fired out of order");
            previous = timer.deadline;
            prop_assert!(self.fired.insert(timer.id), "{timer:?} fired twice");
            if timer.id.0 <= newest_before {
                prop_assert!(armed.contains(timer), "{timer:?} fired but was not armed");
            }
            self.newest = self.newest.max(timer.id.0);
        }
        self.newest = self.newest.max(newest_before);
        Ok(())
    }

    /// Takes in the armed timers: none of them has fired already.
    pub fn armed(&mut self, armed: &[FiredTimer]) -> Checked {
        for timer in armed {
            prop_assert!(
                !self.fired.contains(&timer.id),
                "{timer:?} fired yet is armed"
            );
            self.newest = self.newest.max(timer.id.0);
        }
        Ok(())
    }
}
