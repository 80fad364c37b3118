//! Offers end here: accepted, declined, timed out, withdrawn; and the pick from
//! "Messages pending", which skips the offer.

use super::Engine;
use crate::agent::Presence;
use crate::conversation::{Entry, Offer, OfferPhase, State, TransferMode};
use crate::error::Error;
use crate::event::{AssignedBy, Event, NotificationKind, OfferEnd};
use crate::ids::{AgentId, ConversationId};
use crate::permissions::Permission;
use crate::time::Time;
use crate::timer::TimerKind;

use super::distribution::phase_deadline;

impl Engine {
    /// The agent accepts the chat ringing them (also during preview or the
    /// auto-accept countdown).
    pub fn accept(&mut self, agent: AgentId, c: ConversationId, now: Time) -> Result<(), Error> {
        self.offer_to(agent, c)?;
        self.assign_offer(c, AssignedBy::Accepted, now);
        self.distribute(now);
        Ok(())
    }

    /// The agent declines: the chat goes back to distribution, to someone else
    /// while anyone else is eligible.
    pub fn decline(&mut self, agent: AgentId, c: ConversationId, now: Time) -> Result<(), Error> {
        self.offer_to(agent, c)?;
        if let Some(offer) = self.take_offer(c, OfferEnd::Declined, now) {
            self.return_offered_chat(c, &offer, now);
        }
        self.distribute(now);
        Ok(())
    }

    /// The agent picks a chat from "Messages pending" with the hand button. One
    /// agent only: whoever comes second finds it gone.
    pub fn pick(&mut self, agent: AgentId, c: ConversationId, now: Time) -> Result<(), Error> {
        self.check_pick(agent, c)?;
        let from_queue = self.conversations.get(&c).and_then(|conv| conv.queue);
        self.unpend(c);
        self.with_agent(agent, |s| {
            s.holding.insert(c);
            s.idle_since = now;
        });
        self.make_active(c, agent);
        self.emit(Event::Assigned {
            conversation: c,
            agent,
            by: AssignedBy::Picked,
        });
        self.notify_monitors(from_queue, NotificationKind::MessageExitsQueue, c);
        self.distribute(now);
        Ok(())
    }

    /// Why `agent` may not pick `c` right now, if they may not.
    pub(crate) fn check_pick(&self, agent: AgentId, c: ConversationId) -> Result<(), Error> {
        let state = self.agent_state(agent)?;
        let conv = self
            .conversations
            .get(&c)
            .ok_or(Error::UnknownConversation(c))?;
        if !state.config.profile.allows(Permission::Pick) {
            return Err(Error::Forbidden {
                agent,
                permission: Permission::Pick,
            });
        }
        match conv.state {
            State::Queued(q) if !state.config.queues.contains(&q) => {
                return Err(Error::NotAMember { agent, queue: q });
            }
            State::Queued(_) => {}
            State::DirectWaiting(a) if a == agent => {}
            _ => return Err(Error::NotPending(c)),
        }
        if state.presence == Presence::Offline {
            return Err(Error::Unavailable { agent });
        }
        if state.load() >= state.config.capacity {
            return Err(Error::AtCapacity { agent });
        }
        Ok(())
    }

    fn offer_to(&self, agent: AgentId, c: ConversationId) -> Result<&Offer, Error> {
        self.agent_state(agent)?;
        if !self.conversations.contains_key(&c) {
            return Err(Error::UnknownConversation(c));
        }
        self.offers
            .get(&c)
            .filter(|o| o.agent == agent)
            .ok_or(Error::NotOffered {
                agent,
                conversation: c,
            })
    }

    /// The chat becomes active for the agent its offer rings.
    pub(crate) fn assign_offer(&mut self, c: ConversationId, by: AssignedBy, now: Time) {
        let Some(offer) = self.offers.remove(&c) else {
            return;
        };
        self.timers.cancel(c, TimerKind::Offer);
        let agent = offer.agent;
        self.with_agent(agent, |s| {
            s.offers.remove(&c);
            s.holding.insert(c);
        });
        let sender = match self.conversations.get(&c).map(|conv| &conv.state) {
            Some(State::Active {
                agent: sender,
                transfer: Some(_),
            }) => Some(*sender),
            _ => None,
        };
        if let Some(sender) = sender {
            self.with_agent(sender, |s| {
                s.holding.remove(&c);
                s.idle_since = now;
            });
        }
        // A chat rung from "Messages pending" (fresh, or sent there blind) exits
        // its queue now; an attended transfer or a frozen chat's return never
        // entered one.
        let mut exits_queue = !offer.returning;
        if let Some(conv) = self.conversations.get_mut(&c) {
            exits_queue &= offer.transfer.is_none() || conv.transferred.is_some();
            if offer.queue.is_some() {
                conv.queue = offer.queue;
            }
        }
        self.make_active(c, agent);
        let by = if offer.transfer.is_some() {
            AssignedBy::Transferred
        } else {
            by
        };
        self.emit(Event::Assigned {
            conversation: c,
            agent,
            by,
        });
        if exits_queue {
            self.notify_monitors(offer.queue, NotificationKind::MessageExitsQueue, c);
        }
    }

    fn make_active(&mut self, c: ConversationId, agent: AgentId) {
        if let Some(conv) = self.conversations.get_mut(&c) {
            conv.state = State::Active {
                agent,
                transfer: None,
            };
            conv.declined.clear();
            conv.wait_key = None;
            conv.transferred = None;
            conv.last_agent = Some(agent);
        }
    }

    /// Stops an offer ringing and frees the agent's reservation. The caller decides
    /// where the chat goes next.
    pub(crate) fn take_offer(
        &mut self,
        c: ConversationId,
        reason: OfferEnd,
        now: Time,
    ) -> Option<Offer> {
        let offer = self.offers.remove(&c)?;
        self.timers.cancel(c, TimerKind::Offer);
        self.with_agent(offer.agent, |s| {
            s.offers.remove(&c);
            s.idle_since = now;
        });
        if matches!(reason, OfferEnd::Declined | OfferEnd::TimedOut)
            && let Some(conv) = self.conversations.get_mut(&c)
        {
            conv.declined.insert(offer.agent);
        }
        self.emit(Event::OfferEnded {
            conversation: c,
            agent: offer.agent,
            reason,
        });
        Some(offer)
    }

    /// Where a chat goes when its offer ends unaccepted: an attended transfer
    /// returns to its sender; a blind transfer to a user goes to its queue (or the
    /// sender's "Messages pending"); a queued chat goes back to its place in the
    /// queue; a direct chat goes to its fallback queue, or waits for its agent.
    pub(crate) fn return_offered_chat(&mut self, c: ConversationId, offer: &Offer, now: Time) {
        let Some(conv) = self.conversations.get_mut(&c) else {
            return;
        };
        match conv.state {
            State::Active {
                agent: sender,
                transfer: Some(_),
            } => {
                conv.state = State::Active {
                    agent: sender,
                    transfer: None,
                };
                self.emit(Event::TransferReturned {
                    conversation: c,
                    to: sender,
                });
            }
            State::Offered => match (conv.queue, offer.transfer, conv.entry) {
                (Some(q), _, _) => self.pend_in_queue(c, q, now),
                (None, Some(t), _) if t.mode == TransferMode::Blind => {
                    self.pend_for_agent(c, t.from, now)
                }
                (
                    None,
                    _,
                    Entry::Direct {
                        fallback: Some(q), ..
                    },
                ) => self.pend_in_queue(c, q, now),
                (None, _, _) => self.pend_for_agent(c, offer.agent, now),
            },
            _ => {}
        }
    }

    /// The offer's current phase is over: preview turns into ringing (or the
    /// auto-accept countdown), auto-accept accepts, ringing times out.
    pub(crate) fn offer_phase_due(&mut self, c: ConversationId, now: Time) {
        let Some(offer) = self.offers.get(&c) else {
            return;
        };
        let (agent, queue) = (offer.agent, offer.queue);
        match offer.phase {
            OfferPhase::Preview { .. } => {
                let phase = self.live_phase(agent, queue, now);
                if let Some(offer) = self.offers.get_mut(&c) {
                    offer.phase = phase;
                }
                self.timers.arm(c, TimerKind::Offer, phase_deadline(phase));
                self.emit(Event::OfferPhaseChanged {
                    conversation: c,
                    agent,
                    phase,
                });
            }
            OfferPhase::AutoAccept { .. } => self.assign_offer(c, AssignedBy::AutoAccepted, now),
            OfferPhase::Ringing { .. } => {
                if let Some(offer) = self.take_offer(c, OfferEnd::TimedOut, now) {
                    self.return_offered_chat(c, &offer, now);
                }
                // An agent who lets an offer ring out is probably not at their desk:
                // stop offering them chats until they say they are back.
                self.change_presence(agent, Presence::Away, now);
            }
        }
    }
}
