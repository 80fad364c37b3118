//! The router: which agent gets which chat, and the offers it makes.
//!
//! After every input, chats that entered "Messages pending" look for the longest
//! idle eligible member of their queue, then agents who gained room look for the
//! best chat of their queues (queue priority, then FIFO). A chat avoids agents who
//! declined it while anyone else is eligible. So after `distribute` no pending chat
//! waits while an agent who may take it has room.

use std::cmp::Reverse;

use super::Engine;
use crate::conversation::{Offer, OfferPhase, RoutingKind, State, TransferInfo};
use crate::event::Event;
use crate::ids::{AgentId, ConversationId, QueueId};
use crate::permissions::Permission;
use crate::time::Time;
use crate::timer::TimerKind;

/// Sorting key of a pending chat for an agent: higher queue priority, then FIFO.
type Rank = (Reverse<i32>, Time, u64);

impl Engine {
    /// Offers pending chats to agents until no more pairs fit.
    pub(crate) fn distribute(&mut self, now: Time) {
        loop {
            if !self.dirty_chats.is_empty() {
                let mut chats: Vec<(Rank, ConversationId)> = std::mem::take(&mut self.dirty_chats)
                    .into_iter()
                    .filter_map(|c| self.rank_of(c).map(|rank| (rank, c)))
                    .collect();
                chats.sort_unstable();
                for (_, c) in chats {
                    self.dispatch_chat(c, now);
                }
            } else if !self.dirty_agents.is_empty() {
                let mut agents: Vec<(Time, AgentId)> = std::mem::take(&mut self.dirty_agents)
                    .into_iter()
                    .filter_map(|a| self.agents.get(&a).map(|s| (s.idle_since, a)))
                    .collect();
                agents.sort_unstable();
                for (_, a) in agents {
                    self.fill_agent(a, now);
                }
            } else {
                return;
            }
        }
    }

    fn rank_of(&self, c: ConversationId) -> Option<Rank> {
        let conv = self.conversations.get(&c)?;
        let (since, n) = conv.wait_key?;
        let priority = conv
            .queue
            .and_then(|q| self.queues.get(&q))
            .map_or(i32::MAX, |q| q.config.priority);
        Some((Reverse(priority), since, n))
    }

    /// Finds an agent for one pending chat: the longest idle eligible member who
    /// has not declined it. When every eligible member declined it, they are
    /// marked for filling instead, so each takes a chat they have not declined
    /// before this one comes back to them.
    fn dispatch_chat(&mut self, c: ConversationId, now: Time) {
        let Some(conv) = self.conversations.get(&c) else {
            return;
        };
        let agent = match conv.state {
            State::Queued(q) => {
                let Some(queue) = self.queues.get(&q) else {
                    return;
                };
                let found = queue
                    .eligible
                    .iter()
                    .map(|(_, a)| *a)
                    .find(|a| !conv.declined.contains(a));
                if found.is_none() {
                    self.dirty_agents
                        .extend(queue.eligible.iter().map(|(_, a)| *a));
                }
                found
            }
            State::DirectWaiting(a) => Some(a).filter(|a| {
                !conv.declined.contains(a) && self.agents.get(a).is_some_and(|s| s.eligible())
            }),
            _ => None,
        };
        if let Some(agent) = agent {
            let queue = conv.queue;
            self.ring(c, agent, queue, None, false, now);
        }
    }

    /// Offers an agent who has room the best chats they may take.
    fn fill_agent(&mut self, a: AgentId, now: Time) {
        while self.agents.get(&a).is_some_and(|s| s.eligible()) {
            let Some(c) = self.best_chat_for(a) else {
                return;
            };
            let queue = self.conversations.get(&c).and_then(|conv| conv.queue);
            self.ring(c, a, queue, None, false, now);
        }
    }

    /// Direct chats for this agent first, then the head of their queues by queue
    /// priority and FIFO, skipping chats they declined unless nobody else
    /// eligible could take them.
    fn best_chat_for(&self, a: AgentId) -> Option<ConversationId> {
        if let Some(direct) = self.direct_waiting.get(&a) {
            let declined = |c: &ConversationId| {
                self.conversations
                    .get(c)
                    .is_none_or(|conv| conv.declined.contains(&a))
            };
            if let Some(&(_, _, c)) = direct.iter().find(|(_, _, c)| !declined(c)) {
                return Some(c);
            }
        }
        let agent = self.agents.get(&a)?;
        // The best chat this agent has not declined; failing that, the best one
        // they declined that nobody else eligible could take.
        let mut fresh: Option<(Rank, ConversationId)> = None;
        let mut declined: Option<(Rank, ConversationId)> = None;
        for q in &agent.config.queues {
            let Some(queue) = self.queues.get(q) else {
                continue;
            };
            let mut found_declined = false;
            for &(since, n, c) in &queue.waiting {
                let rank = (Reverse(queue.config.priority), since, n);
                if fresh.as_ref().is_some_and(|(b, _)| *b <= rank) {
                    break;
                }
                let Some(conv) = self.conversations.get(&c) else {
                    continue;
                };
                if !conv.declined.contains(&a) {
                    fresh = Some((rank, c));
                    break;
                }
                let someone_else = || {
                    queue
                        .eligible
                        .iter()
                        .any(|(_, b)| *b != a && !conv.declined.contains(b))
                };
                if !found_declined && !someone_else() {
                    found_declined = true;
                    if declined.as_ref().is_none_or(|(b, _)| rank < *b) {
                        declined = Some((rank, c));
                    }
                }
            }
        }
        fresh.or(declined).map(|(_, c)| c)
    }

    /// Rings `agent` with chat `c` from `queue`. An attended transfer leaves the
    /// chat active for its sender; every other offer makes it `Offered`.
    pub(crate) fn ring(
        &mut self,
        c: ConversationId,
        agent: AgentId,
        queue: Option<QueueId>,
        transfer: Option<TransferInfo>,
        returning: bool,
        now: Time,
    ) {
        let Some(profile) = self.agents.get(&agent).map(|s| &s.config.profile) else {
            return;
        };
        let options = self.options(queue);
        let phase = match options.preview_delay.filter(|_| profile.preview) {
            Some(delay) => OfferPhase::Preview { until: now + delay },
            None => self.live_phase(agent, queue, now),
        };
        let script_first_node = options
            .script
            .as_ref()
            .filter(|_| profile.allows(Permission::Script))
            .map(|s| s.first_node.clone());
        self.unpend(c);
        let Some(conv) = self.conversations.get_mut(&c) else {
            return;
        };
        let transfer = transfer.or(conv.transferred);
        if !matches!(
            conv.state,
            State::Active {
                transfer: Some(_),
                ..
            }
        ) {
            conv.state = State::Offered;
        }
        let offer = Offer {
            conversation: c,
            agent,
            kind: if queue.is_some() {
                RoutingKind::Smart
            } else {
                RoutingKind::Direct
            },
            queue,
            phase,
            waiting_since: conv.waiting_since,
            transfer,
            script_first_node,
            returning,
        };
        self.timers.arm(c, TimerKind::Offer, phase_deadline(phase));
        self.with_agent(agent, |s| {
            s.offers.insert(c);
            s.idle_since = now;
        });
        self.offers.insert(c, offer.clone());
        self.emit(Event::Offered { offer });
    }

    /// The phase after preview: auto-accept countdown if both the queue and the
    /// agent's profile allow it, else ringing until the offer timeout.
    pub(crate) fn live_phase(
        &self,
        agent: AgentId,
        queue: Option<QueueId>,
        now: Time,
    ) -> OfferPhase {
        let options = self.options(queue);
        let auto = self
            .agents
            .get(&agent)
            .is_some_and(|s| s.config.profile.auto_accept);
        match options.auto_accept.filter(|_| auto) {
            Some(countdown) => OfferPhase::AutoAccept {
                at: now + countdown,
            },
            None => OfferPhase::Ringing {
                until: now + options.offer_timeout,
            },
        }
    }
}

/// When an offer's current phase ends.
pub(crate) fn phase_deadline(phase: OfferPhase) -> Time {
    match phase {
        OfferPhase::Preview { until } | OfferPhase::Ringing { until } => until,
        OfferPhase::AutoAccept { at } => at,
    }
}
