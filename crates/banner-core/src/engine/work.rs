//! An agent's work on the chats they hold: presence, messages, waiting for the
//! customer (and freeze), archive and wrap-up.

use super::Engine;
use crate::agent::Presence;
use crate::conversation::State;
use crate::error::Error;
use crate::event::{Audience, Author, EndReason, Event, OfferEnd};
use crate::ids::{AgentId, ConversationId};
use crate::permissions::Permission;
use crate::time::Time;
use crate::timer::TimerKind;

/// How many finished interactions an agent's pool keeps.
pub const HISTORY_KEPT: usize = 500;

impl Engine {
    /// The agent's presence switch. Going away or offline withdraws the offers
    /// ringing them; going offline is refused while they hold chats.
    pub fn set_presence(
        &mut self,
        agent: AgentId,
        presence: Presence,
        now: Time,
    ) -> Result<(), Error> {
        let state = self.agent_state(agent)?;
        if presence == Presence::Offline && !(state.holding.is_empty() && state.wrap_up.is_empty())
        {
            return Err(Error::HoldingChats { agent });
        }
        self.change_presence(agent, presence, now);
        self.distribute(now);
        Ok(())
    }

    pub(crate) fn change_presence(&mut self, agent: AgentId, presence: Presence, now: Time) {
        let Some(state) = self.agents.get(&agent) else {
            return;
        };
        if state.presence == presence {
            return;
        }
        let offers: Vec<ConversationId> = state.offers.iter().copied().collect();
        self.with_agent(agent, |s| {
            s.presence = presence;
            if presence == Presence::Available {
                s.idle_since = now;
            }
        });
        self.emit(Event::PresenceChanged { agent, presence });
        if presence != Presence::Available {
            for c in offers {
                if let Some(offer) = self.take_offer(c, OfferEnd::AgentLeft, now) {
                    self.return_offered_chat(c, &offer, now);
                }
            }
        }
    }

    /// An agent writes in a chat. Public messages only from the agent holding it;
    /// private messages (agents only) also from a supervisor who may whisper.
    pub fn agent_message(
        &mut self,
        agent: AgentId,
        c: ConversationId,
        text: &str,
        private: bool,
        now: Time,
    ) -> Result<(), Error> {
        self.agent_message_with_attachments(agent, c, text, private, 0, now)
    }

    /// As [`Engine::agent_message`], for a message that carries `attachments`
    /// files. The shell uploads and checks the files; the engine only needs
    /// their number, because a message with a file may have no text.
    pub fn agent_message_with_attachments(
        &mut self,
        agent: AgentId,
        c: ConversationId,
        text: &str,
        private: bool,
        attachments: usize,
        now: Time,
    ) -> Result<(), Error> {
        let profile = &self.agent_state(agent)?.config.profile;
        let conv = self
            .conversations
            .get(&c)
            .ok_or(Error::UnknownConversation(c))?;
        if text.trim().is_empty() && attachments == 0 {
            return Err(Error::EmptyMessage);
        }
        let holds = matches!(conv.state, State::Active { agent: a, .. } | State::PendingCustomer { agent: a, frozen: false } if a == agent);
        if !holds {
            if !private {
                return Err(Error::NotHolder {
                    agent,
                    conversation: c,
                });
            }
            if !profile.allows(Permission::Whisper) {
                return Err(Error::Forbidden {
                    agent,
                    permission: Permission::Whisper,
                });
            }
            if matches!(conv.state, State::Ended) {
                return Err(Error::ConversationEnded(c));
            }
        }
        let audience = if private {
            Audience::AgentsOnly
        } else {
            Audience::Everyone
        };
        self.record_message(c, Author::Agent(agent), audience, text, Vec::new(), now);
        Ok(())
    }

    /// The agent waits for the customer's reply. In a queue with freeze the chat
    /// is frozen: it leaves the agent's capacity until the customer writes.
    pub fn wait_for_customer(
        &mut self,
        agent: AgentId,
        c: ConversationId,
        now: Time,
    ) -> Result<(), Error> {
        self.held_without_transfer(agent, c, "wait for the customer on")?;
        let queue = self.conversations.get(&c).and_then(|conv| conv.queue);
        if self.options(queue).freeze {
            self.freeze(c, agent, now);
        } else {
            if let Some(conv) = self.conversations.get_mut(&c) {
                conv.state = State::PendingCustomer {
                    agent,
                    frozen: false,
                };
            }
            self.emit(Event::WaitingForCustomer {
                conversation: c,
                agent,
                frozen: false,
            });
        }
        self.distribute(now);
        Ok(())
    }

    /// The chat leaves the agent's capacity and waits for the customer in their
    /// "Messages pending customers".
    pub(crate) fn freeze(&mut self, c: ConversationId, agent: AgentId, now: Time) {
        self.with_agent(agent, |s| {
            s.holding.remove(&c);
            s.frozen.insert(c);
            s.idle_since = now;
        });
        if let Some(conv) = self.conversations.get_mut(&c) {
            conv.state = State::PendingCustomer {
                agent,
                frozen: true,
            };
        }
        self.emit(Event::WaitingForCustomer {
            conversation: c,
            agent,
            frozen: true,
        });
    }

    /// The agent ends the chat: it goes to wrap-up, then history.
    pub fn archive(&mut self, agent: AgentId, c: ConversationId, now: Time) -> Result<(), Error> {
        let conv = self
            .conversations
            .get(&c)
            .ok_or(Error::UnknownConversation(c))?;
        match conv.state {
            State::PendingCustomer { agent: a, .. } if a == agent => {}
            // Archiving twice: the right agent, the wrong place (protocol §2).
            State::WrapUp(a) if a == agent => {
                return Err(Error::WrongPlace {
                    conversation: c,
                    place: conv.place(),
                    action: "archive",
                });
            }
            _ => self.held_without_transfer(agent, c, "archive")?,
        }
        self.emit(Event::Archived {
            conversation: c,
            agent,
        });
        self.start_wrap_up(c, agent, now);
        self.distribute(now);
        Ok(())
    }

    /// The agent finishes wrap-up (with an optional disposition).
    pub fn complete_wrap_up(
        &mut self,
        agent: AgentId,
        c: ConversationId,
        disposition: Option<String>,
        now: Time,
    ) -> Result<(), Error> {
        let conv = self
            .conversations
            .get(&c)
            .ok_or(Error::UnknownConversation(c))?;
        match conv.state {
            State::WrapUp(a) if a == agent => {}
            State::WrapUp(_) => {
                return Err(Error::NotHolder {
                    agent,
                    conversation: c,
                });
            }
            _ => {
                return Err(Error::WrongPlace {
                    conversation: c,
                    place: conv.place(),
                    action: "complete wrap-up of",
                });
            }
        }
        self.finish_wrap_up(c, agent, disposition, false, now);
        self.distribute(now);
        Ok(())
    }

    pub(crate) fn start_wrap_up(&mut self, c: ConversationId, agent: AgentId, now: Time) {
        self.with_agent(agent, |s| {
            if s.holding.remove(&c) {
                s.idle_since = now;
            }
            s.frozen.remove(&c);
            s.wrap_up.insert(c);
        });
        let Some(conv) = self.conversations.get_mut(&c) else {
            return;
        };
        conv.state = State::WrapUp(agent);
        let queue = conv.queue;
        let limit = self.options(queue).wrap_up_limit;
        self.timers.cancel(c, TimerKind::Reconnection);
        self.timers.arm(c, TimerKind::WrapUp, now + limit);
        self.emit(Event::WrapUpStarted {
            conversation: c,
            agent,
            until: now + limit,
        });
    }

    pub(crate) fn finish_wrap_up(
        &mut self,
        c: ConversationId,
        agent: AgentId,
        disposition: Option<String>,
        timed_out: bool,
        now: Time,
    ) {
        self.timers.cancel(c, TimerKind::WrapUp);
        self.with_agent(agent, |s| {
            s.wrap_up.remove(&c);
            s.history.push(c);
            // The pool's History tab shows the latest ones; older interactions
            // are found through the store's search.
            if s.history.len() > HISTORY_KEPT {
                s.history.remove(0);
            }
        });
        self.emit(Event::WrapUpCompleted {
            conversation: c,
            agent,
            disposition,
            timed_out,
        });
        self.finish_interaction(c, EndReason::Archived);
        if self
            .conversations
            .get(&c)
            .is_some_and(|conv| conv.reply_waiting)
        {
            self.start_interaction(c, now);
        }
    }

    /// Checks that `agent` holds `c`, active, with no transfer under way.
    pub(crate) fn held_without_transfer(
        &self,
        agent: AgentId,
        c: ConversationId,
        action: &'static str,
    ) -> Result<(), Error> {
        self.agent_state(agent)?;
        let conv = self
            .conversations
            .get(&c)
            .ok_or(Error::UnknownConversation(c))?;
        match conv.state {
            State::Active {
                agent: a,
                transfer: None,
            } if a == agent => Ok(()),
            State::Active {
                agent: a,
                transfer: Some(_),
            } if a == agent => Err(Error::TransferInProgress(c)),
            State::PendingCustomer { agent: a, .. } if a == agent => Err(Error::WrongPlace {
                conversation: c,
                place: conv.place(),
                action,
            }),
            State::Active { .. } | State::PendingCustomer { .. } | State::WrapUp(_) => {
                Err(Error::NotHolder {
                    agent,
                    conversation: c,
                })
            }
            _ => Err(Error::WrongPlace {
                conversation: c,
                place: conv.place(),
                action,
            }),
        }
    }
}
