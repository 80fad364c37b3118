//! Transfers of an active chat to a user, a queue or a smart routing flow.
//!
//! Blind: the sender lets go at once. Attended: the sender keeps the chat until the
//! target accepts; a decline, timeout or cancel returns it. One at a time. The
//! holder needs the permission for the kind of target; anyone else (a supervisor
//! reassigning) needs `Reassign`.

use super::Engine;
use crate::conversation::{PendingTransfer, State, TransferInfo, TransferMode, TransferTarget};
use crate::error::Error;
use crate::event::{Event, OfferEnd};
use crate::flow::Position;
use crate::ids::{AgentId, ConversationId};
use crate::permissions::Permission;
use crate::time::Time;

impl Engine {
    /// `actor` transfers chat `c` to `target`.
    pub fn transfer(
        &mut self,
        actor: AgentId,
        c: ConversationId,
        target: TransferTarget,
        mode: TransferMode,
        now: Time,
    ) -> Result<(), Error> {
        let profile = &self.agent_state(actor)?.config.profile;
        let conv = self
            .conversations
            .get(&c)
            .ok_or(Error::UnknownConversation(c))?;
        let holder = match conv.state {
            State::Active {
                transfer: Some(_), ..
            } => return Err(Error::TransferInProgress(c)),
            State::Active {
                agent,
                transfer: None,
            } => agent,
            _ => {
                return Err(Error::WrongPlace {
                    conversation: c,
                    place: conv.place(),
                    action: "transfer",
                });
            }
        };
        let needed = if actor != holder {
            Permission::Reassign
        } else {
            match target {
                TransferTarget::User(_) => Permission::TransferToUser,
                TransferTarget::Queue(_) => Permission::TransferToQueue,
                TransferTarget::Flow(_) => Permission::TransferToFlow,
            }
        };
        if !profile.allows(needed) {
            return Err(Error::Forbidden {
                agent: actor,
                permission: needed,
            });
        }
        let declined = conv.declined.clone();
        let current_queue = conv.queue;
        // Every check comes before the first change.
        let ring = match (target, mode) {
            (TransferTarget::Flow(_), TransferMode::Attended) => {
                return Err(Error::AttendedTransferToFlow);
            }
            (TransferTarget::Flow(f), TransferMode::Blind) if !self.flows.contains_key(&f) => {
                return Err(Error::UnknownFlow(f));
            }
            (TransferTarget::Flow(_), TransferMode::Blind) => None,
            (TransferTarget::User(to), _) => {
                if to == holder {
                    return Err(Error::TransferToSelf(to));
                }
                let target_state = self.agent_state(to)?;
                if target_state.presence != crate::agent::Presence::Available {
                    return Err(Error::Unavailable { agent: to });
                }
                if !target_state.eligible() {
                    return Err(Error::AtCapacity { agent: to });
                }
                Some((to, current_queue))
            }
            (TransferTarget::Queue(q), TransferMode::Attended) => {
                let queue = self.queues.get(&q).ok_or(Error::UnknownQueue(q))?;
                let candidates = || {
                    queue
                        .eligible
                        .iter()
                        .map(|(_, a)| *a)
                        .filter(|a| *a != holder)
                };
                let to = candidates()
                    .find(|a| !declined.contains(a))
                    .or_else(|| candidates().next());
                Some((to.ok_or(Error::NoAgentAvailable(q))?, Some(q)))
            }
            (TransferTarget::Queue(q), TransferMode::Blind) => {
                self.queues.get(&q).ok_or(Error::UnknownQueue(q))?;
                None
            }
        };
        self.emit(Event::TransferRequested {
            conversation: c,
            by: actor,
            from: holder,
            target,
            mode,
        });
        let info = Some(TransferInfo { from: holder, mode });
        match (ring, mode) {
            (Some((to, queue)), TransferMode::Attended) => {
                if let Some(conv) = self.conversations.get_mut(&c) {
                    conv.state = State::Active {
                        agent: holder,
                        transfer: Some(PendingTransfer { to }),
                    };
                }
                self.ring(c, to, queue, info, false, now);
            }
            (Some((to, queue)), TransferMode::Blind) => {
                self.let_go(c, holder, now);
                self.ring(c, to, queue, info, false, now);
            }
            (None, _) => {
                self.let_go(c, holder, now);
                if let Some(conv) = self.conversations.get_mut(&c) {
                    conv.transferred = info;
                }
                match target {
                    TransferTarget::Queue(q) => self.pend_in_queue(c, q, now),
                    TransferTarget::Flow(f) => {
                        if let Some(conv) = self.conversations.get_mut(&c) {
                            conv.queue = None;
                        }
                        self.run_flow(c, Position::Start(f), None, now);
                    }
                    TransferTarget::User(_) => {}
                }
            }
        }
        self.distribute(now);
        Ok(())
    }

    /// The sender of an attended transfer (or a supervisor) calls it off.
    pub fn cancel_transfer(
        &mut self,
        actor: AgentId,
        c: ConversationId,
        now: Time,
    ) -> Result<(), Error> {
        let profile = &self.agent_state(actor)?.config.profile;
        let conv = self
            .conversations
            .get(&c)
            .ok_or(Error::UnknownConversation(c))?;
        match conv.state {
            State::Active {
                agent,
                transfer: Some(_),
            } => {
                if agent != actor && !profile.allows(Permission::Reassign) {
                    return Err(Error::Forbidden {
                        agent: actor,
                        permission: Permission::Reassign,
                    });
                }
            }
            _ => return Err(Error::NoTransferPending(c)),
        }
        if let Some(offer) = self.take_offer(c, OfferEnd::Withdrawn, now) {
            self.return_offered_chat(c, &offer, now);
        }
        self.distribute(now);
        Ok(())
    }

    /// The holder lets go of a chat being transferred blind: it starts afresh at
    /// its destination (new wait, nobody has declined it there).
    fn let_go(&mut self, c: ConversationId, holder: AgentId, now: Time) {
        self.with_agent(holder, |s| {
            s.holding.remove(&c);
            s.idle_since = now;
        });
        if let Some(conv) = self.conversations.get_mut(&c) {
            conv.state = State::Offered;
            conv.declined.clear();
            conv.wait_key = None;
            conv.waiting_since = now;
        }
    }
}
