//! The visitor's side: opening a conversation, messages (which also drive smart
//! routing and bring frozen chats back), dropping, coming back, and leaving.

use std::collections::{BTreeMap, BTreeSet};

use super::Engine;
use crate::conversation::{Conversation, Entry, LatestMessage, State, Visitor};
use crate::error::Error;
use crate::event::{AssignedBy, Audience, Author, EndReason, Event, NotificationKind, OfferEnd};
use crate::flow::{self, ChoiceOption, FlowOutcome, Position};
use crate::ids::{ConversationId, QueueId};
use crate::time::Time;
use crate::timer::TimerKind;

impl Engine {
    /// Opens a conversation for a visitor. An authenticated customer who already
    /// has one gets it back (their continuous conversation) and `id` is unused.
    /// Nothing is routed until the visitor's first message.
    pub fn open_conversation(
        &mut self,
        id: ConversationId,
        visitor: Visitor,
        entry: Entry,
        now: Time,
    ) -> Result<ConversationId, Error> {
        if let Visitor::Customer { customer_id } = &visitor
            && let Some(&existing) = self.customers.get(customer_id)
        {
            return Ok(existing);
        }
        match entry {
            Entry::Flow(f) if !self.flows.contains_key(&f) => return Err(Error::UnknownFlow(f)),
            Entry::Queue(q)
            | Entry::Direct {
                fallback: Some(q), ..
            } if !self.queues.contains_key(&q) => {
                return Err(Error::UnknownQueue(q));
            }
            Entry::Direct { agent, .. } => {
                self.agent_state(agent)?;
            }
            _ => {}
        }
        if self.conversations.contains_key(&id) {
            return Err(Error::ConversationExists(id));
        }
        if let Visitor::Customer { customer_id } = &visitor {
            self.customers.insert(customer_id.clone(), id);
        }
        let conversation = Conversation {
            id,
            visitor: visitor.clone(),
            entry,
            queue: None,
            variables: BTreeMap::new(),
            interactions: 0,
            started_at: now,
            waiting_since: now,
            declined: BTreeSet::new(),
            last_agent: None,
            latest_message: None,
            visitor_connected: true,
            reply_waiting: false,
            transferred: None,
            wait_key: None,
            state: State::Idle,
        };
        self.conversations.insert(id, conversation);
        self.emit(Event::ConversationOpened {
            conversation: id,
            visitor,
            entry,
        });
        Ok(id)
    }

    /// A message from the visitor. It starts an interaction, answers smart routing,
    /// reaches the agent, or brings a chat waiting for the customer back.
    pub fn visitor_message(
        &mut self,
        c: ConversationId,
        text: &str,
        now: Time,
    ) -> Result<(), Error> {
        self.visitor_message_with_attachments(c, text, 0, now)
    }

    /// As [`Engine::visitor_message`], for a message that carries `attachments`
    /// files (checked by the shell; the engine only counts them). With a file
    /// the text may be empty; such a message answers no smart routing
    /// question, so the flow keeps waiting for a typed answer.
    pub fn visitor_message_with_attachments(
        &mut self,
        c: ConversationId,
        text: &str,
        attachments: usize,
        now: Time,
    ) -> Result<(), Error> {
        let conv = self
            .conversations
            .get(&c)
            .ok_or(Error::UnknownConversation(c))?;
        let blank = text.trim().is_empty();
        if blank && attachments == 0 {
            return Err(Error::EmptyMessage);
        }
        if conv.closed_for_visitor() {
            return Err(Error::ConversationEnded(c));
        }
        let state = conv.state.clone();
        if state == State::Idle {
            self.begin_interaction(c, now);
        }
        self.record_message(
            c,
            Author::Visitor,
            Audience::Everyone,
            text,
            Vec::new(),
            now,
        );
        match state {
            State::Idle => self.route_interaction(c, now),
            State::Routing(_) if blank => {}
            State::Routing(cursor) => self.run_flow(c, Position::At(cursor), Some(text), now),
            State::Active { agent, .. } => self.notify(agent, NotificationKind::MessageArrives, c),
            State::PendingCustomer {
                agent,
                frozen: false,
            } => {
                if let Some(conv) = self.conversations.get_mut(&c) {
                    conv.state = State::Active {
                        agent,
                        transfer: None,
                    };
                }
                self.emit(Event::Assigned {
                    conversation: c,
                    agent,
                    by: AssignedBy::CustomerReplied,
                });
                self.notify(agent, NotificationKind::MessageArrives, c);
            }
            State::PendingCustomer {
                agent,
                frozen: true,
            } => self.unfreeze(c, agent, now),
            State::WrapUp(_) => {
                // A customer wrote while the agent wraps up: the next interaction
                // starts when the wrap-up ends.
                if let Some(conv) = self.conversations.get_mut(&c) {
                    conv.reply_waiting = true;
                }
            }
            State::Queued(_) | State::Offered | State::DirectWaiting(_) | State::Ended => {}
        }
        self.distribute(now);
        Ok(())
    }

    /// The visitor's widget dropped. An anonymous visitor has the reconnection
    /// timeout to come back; a customer's conversation simply waits for them.
    /// Refused once the chat is closed for the visitor: nothing is left to drop.
    pub fn visitor_disconnected(&mut self, c: ConversationId, now: Time) -> Result<(), Error> {
        let conv = self.conversation_mut(c)?;
        if conv.closed_for_visitor() {
            return Err(Error::ConversationEnded(c));
        }
        conv.visitor_connected = false;
        let timed = !conv.visitor.is_customer();
        let (queue, holder) = (conv.queue, conv.holder());
        let reconnect_within = timed.then(|| self.options(queue).reconnection_timeout);
        if let Some(within) = reconnect_within {
            self.timers.arm(c, TimerKind::Reconnection, now + within);
        }
        self.emit(Event::VisitorDisconnected {
            conversation: c,
            reconnect_within,
        });
        if let Some(agent) = holder {
            self.notify(agent, NotificationKind::ParticipantLeaves, c);
        }
        Ok(())
    }

    /// The visitor came back before the reconnection timer expired. Refused once
    /// the chat is closed for them (the timer expired, they left, or the agent
    /// archived it).
    pub fn visitor_reconnected(&mut self, c: ConversationId, _now: Time) -> Result<(), Error> {
        let conv = self.conversation_mut(c)?;
        if conv.closed_for_visitor() {
            return Err(Error::ConversationEnded(c));
        }
        conv.visitor_connected = true;
        self.timers.cancel(c, TimerKind::Reconnection);
        self.emit(Event::VisitorReconnected { conversation: c });
        Ok(())
    }

    /// An anonymous visitor ends the chat. Customers cannot: theirs is continuous.
    pub fn visitor_leave(&mut self, c: ConversationId, now: Time) -> Result<(), Error> {
        let conv = self
            .conversations
            .get(&c)
            .ok_or(Error::UnknownConversation(c))?;
        if conv.visitor.is_customer() {
            return Err(Error::CustomerCannotEnd);
        }
        if matches!(conv.state, State::Ended | State::WrapUp(_)) {
            return Err(Error::ConversationEnded(c));
        }
        self.close_for_visitor(c, false, now);
        self.distribute(now);
        Ok(())
    }

    /// The visitor is gone (left, or the reconnection timer expired). A chat
    /// nobody holds ends; a held chat goes to the agent's wrap-up — or freezes,
    /// when the timer expired and its queue freezes.
    pub(crate) fn close_for_visitor(&mut self, c: ConversationId, timer_expired: bool, now: Time) {
        let Some(conv) = self.conversations.get(&c) else {
            return;
        };
        if conv.visitor.is_customer() {
            return;
        }
        let (state, queue) = (conv.state.clone(), conv.queue);
        self.timers.cancel(c, TimerKind::Reconnection);
        let freezes = timer_expired && self.options(queue).freeze;
        match state {
            State::Idle
            | State::Routing(_)
            | State::Queued(_)
            | State::DirectWaiting(_)
            | State::Offered => {
                self.emit(Event::VisitorLeft { conversation: c });
                if let Some(offer) = self.take_offer(c, OfferEnd::Withdrawn, now) {
                    self.notify_monitors(offer.queue, NotificationKind::MessageExitsQueue, c);
                } else if matches!(state, State::Queued(_)) {
                    self.notify_monitors(queue, NotificationKind::MessageExitsQueue, c);
                }
                self.unpend(c);
                self.finish_interaction(c, EndReason::Abandoned);
            }
            State::Active { agent, .. }
            | State::PendingCustomer {
                agent,
                frozen: false,
            } => {
                if let Some(offer) = self.take_offer(c, OfferEnd::Withdrawn, now) {
                    self.return_offered_chat(c, &offer, now);
                }
                if freezes {
                    self.freeze(c, agent, now);
                } else {
                    self.emit(Event::VisitorLeft { conversation: c });
                    self.notify(agent, NotificationKind::MessagingEnded, c);
                    self.start_wrap_up(c, agent, now);
                }
            }
            State::PendingCustomer {
                agent,
                frozen: true,
            } if !timer_expired => {
                self.emit(Event::VisitorLeft { conversation: c });
                self.notify(agent, NotificationKind::MessagingEnded, c);
                self.start_wrap_up(c, agent, now);
            }
            State::PendingCustomer { .. } | State::WrapUp(_) | State::Ended => {}
        }
    }

    /// A new interaction, routed by the conversation's entry.
    pub(crate) fn start_interaction(&mut self, c: ConversationId, now: Time) {
        self.begin_interaction(c, now);
        self.route_interaction(c, now);
    }

    /// Counts a new interaction and logs its start, before the message that
    /// started it, so a continuous conversation's log groups by interaction.
    fn begin_interaction(&mut self, c: ConversationId, now: Time) {
        let Some(conv) = self.conversations.get_mut(&c) else {
            return;
        };
        conv.interactions += 1;
        conv.started_at = now;
        conv.waiting_since = now;
        conv.declined.clear();
        conv.variables.clear();
        conv.queue = None;
        conv.wait_key = None;
        conv.reply_waiting = false;
        let interaction = conv.interactions;
        self.emit(Event::InteractionStarted {
            conversation: c,
            interaction,
        });
    }

    /// Routes the current interaction by the conversation's entry.
    fn route_interaction(&mut self, c: ConversationId, now: Time) {
        let Some(entry) = self.conversations.get(&c).map(|conv| conv.entry) else {
            return;
        };
        match entry {
            Entry::Flow(f) => self.run_flow(c, Position::Start(f), None, now),
            Entry::Queue(q) => self.pend_in_queue(c, q, now),
            Entry::Direct { agent, .. } => self.pend_for_agent(c, agent, now),
        }
    }

    /// Runs smart routing from `position`, sending its messages and storing answers.
    pub(crate) fn run_flow(
        &mut self,
        c: ConversationId,
        position: Position,
        answer: Option<&str>,
        now: Time,
    ) {
        let Some(conv) = self.conversations.get(&c) else {
            return;
        };
        let step = flow::step(&self.flows, position, answer, &conv.variables);
        for (name, value) in step.stored {
            if let Some(conv) = self.conversations.get_mut(&c) {
                conv.variables.insert(name.clone(), value.clone());
            }
            self.emit(Event::VariableSet {
                conversation: c,
                name,
                value,
            });
        }
        for (text, choices) in step.said {
            self.record_message(
                c,
                Author::SmartRouting,
                Audience::Everyone,
                &text,
                choices,
                now,
            );
        }
        match step.outcome {
            FlowOutcome::Waiting(cursor) => {
                if let Some(conv) = self.conversations.get_mut(&c) {
                    conv.state = State::Routing(cursor);
                }
            }
            FlowOutcome::Routed(queue) => self.route_to_queue(c, queue, now),
            FlowOutcome::Broken => self.finish_interaction(c, EndReason::Abandoned),
        }
    }

    fn route_to_queue(&mut self, c: ConversationId, queue: QueueId, now: Time) {
        if let Some(conv) = self.conversations.get_mut(&c) {
            conv.wait_key = None;
        }
        self.pend_in_queue(c, queue, now);
    }

    /// A frozen chat's customer replied: it goes back to the agent who held it if
    /// they have room, else to "Messages pending" — and that agent is told.
    fn unfreeze(&mut self, c: ConversationId, agent: crate::ids::AgentId, now: Time) {
        self.with_agent(agent, |s| {
            s.frozen.remove(&c);
        });
        let Some(conv) = self.conversations.get_mut(&c) else {
            return;
        };
        conv.wait_key = None;
        conv.declined.clear();
        conv.waiting_since = now;
        let queue = conv.queue;
        if self.agents.get(&agent).is_some_and(|s| s.eligible()) {
            self.ring(c, agent, queue, None, true, now);
        } else {
            match queue {
                Some(q) => self.pend_in_queue(c, q, now),
                None => self.pend_for_agent(c, agent, now),
            }
        }
        self.notify(agent, NotificationKind::MessageArrives, c);
    }

    /// Ends the current interaction: a customer's conversation goes idle (their
    /// next message starts another), an anonymous one ends for good.
    pub(crate) fn finish_interaction(&mut self, c: ConversationId, reason: EndReason) {
        let Some(conv) = self.conversations.get_mut(&c) else {
            return;
        };
        let customer = conv.visitor.is_customer();
        conv.state = if customer { State::Idle } else { State::Ended };
        conv.wait_key = None;
        self.emit(Event::InteractionEnded {
            conversation: c,
            reason,
        });
        if !customer {
            self.timers.cancel_all(c);
            self.emit(Event::ConversationEnded { conversation: c });
        }
    }

    /// Emits a message and keeps it as the chat's latest.
    pub(crate) fn record_message(
        &mut self,
        c: ConversationId,
        author: Author,
        audience: Audience,
        text: &str,
        choices: Vec<ChoiceOption>,
        now: Time,
    ) {
        if let Some(conv) = self.conversations.get_mut(&c) {
            conv.latest_message = Some(LatestMessage {
                author,
                text: text.to_owned(),
                at: now,
            });
        }
        self.emit(Event::Message {
            conversation: c,
            author,
            audience,
            text: text.to_owned(),
            choices,
        });
    }
}
