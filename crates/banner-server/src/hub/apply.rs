//! Commands into the engine: check idempotency, apply the input with the time
//! of day, drain the outputs into a batch, and mark which event records the
//! command (its `seq` goes in the `ack`).

use banner_core::{self as core, AgentId, ConversationId, Visitor};
use banner_proto::{self as proto, AgentEvent, ErrorCode};
use banner_store::{NewConversation, Store};

use super::Hub;
use super::commands::{CommandKey, Verdict};
use super::held::HeldCommand;
use super::live::Read;
use super::record::{Applied, Batch, OPEN, Waiting};
use super::request::{AgentAction, Command, Principal, Refusal, VisitorAction, VisitorCtx};
use crate::clock;
use crate::wire::codes;

/// Which event records a command.
pub(super) type Records = fn(&AgentEvent) -> bool;

/// What applying a command came to.
enum Outcome {
    /// Done: the conversation it was about, and which event records it.
    Done(Option<ConversationId>, Records),
    /// A `read`, allowed: `live` finishes it, since its receipt may be held.
    Read(Read),
}

pub(super) fn refusal(e: &core::Error) -> Refusal {
    Refusal::new(codes::core_code(e), e.to_string())
}

pub(super) fn not_found(c: ConversationId) -> Refusal {
    Refusal::new(
        ErrorCode::NotFound,
        format!("No conversation {} is visible to you.", c.0),
    )
}

impl<S: Store> Hub<S> {
    pub(super) fn agent_command(&mut self, agent: AgentId, command: Command<AgentAction>) {
        let Command {
            id,
            fingerprint,
            action,
            reply,
        } = command;
        let key: CommandKey = (Principal::Agent(agent), id);
        let Verdict::Apply(reply) = self.commands.check(&key, fingerprint, reply) else {
            return;
        };
        let now = self.now();
        let t = core::Time::from_millis(now);
        let result = self.apply_agent(agent, &action, t);
        let mut batch = Batch::new(now, Some(agent));
        self.drain(&mut batch);
        // The engine only counted the files; the log keeps their records.
        if let (
            Ok(Outcome::Done(..)),
            AgentAction::SendMessage {
                conversation,
                attachments,
                ..
            },
        ) = (&result, &action)
        {
            batch.attach(*conversation, attachments);
        }
        let command = HeldCommand {
            key,
            fingerprint,
            reply,
        };
        self.conclude(batch, command, result.map_err(|e| refusal(&e)));
    }

    /// Ends a command's turn in the hub: a `read` goes to `live`, which may
    /// hold its receipt; anything else waits for its batch's commit.
    fn conclude(&mut self, batch: Batch, command: HeldCommand, outcome: Result<Outcome, Refusal>) {
        let outcome = match outcome {
            Ok(Outcome::Read(read)) => return self.read_command(batch, command, read),
            Ok(Outcome::Done(c, records)) => Ok((c, records)),
            Err(refusal) => Err(refusal),
        };
        let HeldCommand {
            key,
            fingerprint,
            reply,
        } = command;
        self.finish(batch, key, fingerprint, reply, outcome);
    }

    fn apply_agent(
        &mut self,
        agent: AgentId,
        action: &AgentAction,
        t: core::Time,
    ) -> Result<Outcome, core::Error> {
        use AgentAction as A;
        let e = &mut self.engine;
        let (c, records): (Option<ConversationId>, Records) = match action {
            A::SetPresence(p) => {
                e.set_presence(agent, *p, t)?;
                (None, |_| false)
            }
            A::Accept(c) => {
                e.accept(agent, *c, t)?;
                (Some(*c), |ev| matches!(ev, AgentEvent::Assigned { .. }))
            }
            A::Decline(c) => {
                e.decline(agent, *c, t)?;
                (Some(*c), |ev| matches!(ev, AgentEvent::OfferEnded { .. }))
            }
            A::Pick(c) => {
                e.pick(agent, *c, t)?;
                (Some(*c), |ev| matches!(ev, AgentEvent::Assigned { .. }))
            }
            A::SendMessage {
                conversation,
                text,
                private,
                attachments,
            } => {
                e.agent_message_with_attachments(
                    agent,
                    *conversation,
                    text,
                    *private,
                    attachments.len(),
                    t,
                )?;
                (Some(*conversation), |ev| {
                    matches!(ev, AgentEvent::Message { .. })
                })
            }
            A::Transfer {
                conversation,
                target,
                mode,
            } => {
                e.transfer(agent, *conversation, *target, *mode, t)?;
                (Some(*conversation), |ev| {
                    matches!(ev, AgentEvent::TransferRequested { .. })
                })
            }
            A::CancelTransfer(c) => {
                e.cancel_transfer(agent, *c, t)?;
                (Some(*c), |ev| {
                    matches!(ev, AgentEvent::TransferReturned { .. })
                })
            }
            A::WaitForCustomer(c) => {
                e.wait_for_customer(agent, *c, t)?;
                (Some(*c), |ev| {
                    matches!(ev, AgentEvent::WaitingForCustomer { .. })
                })
            }
            A::Archive(c) => {
                e.archive(agent, *c, t)?;
                (Some(*c), |ev| matches!(ev, AgentEvent::Archived { .. }))
            }
            A::CompleteWrapUp {
                conversation,
                disposition,
            } => {
                e.complete_wrap_up(agent, *conversation, disposition.clone(), t)?;
                (Some(*conversation), |ev| {
                    matches!(ev, AgentEvent::WrapUpCompleted { .. })
                })
            }
            A::Read { conversation, seq } => {
                if !e.can_view(agent, *conversation) {
                    return Err(core::Error::UnknownConversation(*conversation));
                }
                let by = proto::Participant::Agent {
                    id: proto::AgentId(agent.0),
                    name: self.names().agent(agent).name,
                };
                return Ok(Outcome::Read(Read {
                    conversation: *conversation,
                    by,
                    seq: *seq,
                }));
            }
            A::SetNotifications(settings) => {
                e.set_notification_settings(agent, *settings)?;
                self.notifications.insert(agent, *settings);
                self.pending_settings
                    .push(super::notifications::to_setting(agent, *settings));
                (None, |_| false)
            }
        };
        Ok(Outcome::Done(c, records))
    }

    pub(super) fn visitor_command(&mut self, visitor: VisitorCtx, command: Command<VisitorAction>) {
        let Command {
            id,
            fingerprint,
            action,
            reply,
        } = command;
        let key: CommandKey = (Principal::Visitor(visitor.visitor_id.clone()), id);
        let Verdict::Apply(reply) = self.commands.check(&key, fingerprint, reply) else {
            return;
        };
        let result = self.apply_visitor(&visitor, &action);
        let mut batch = Batch::new(self.last_now, None);
        self.drain(&mut batch);
        // As for agents: the engine counted the files, the log keeps them.
        if let (Ok(Outcome::Done(Some(c), _)), VisitorAction::SendMessage { attachments, .. }) =
            (&result, &action)
        {
            batch.attach(*c, attachments);
        }
        let command = HeldCommand {
            key,
            fingerprint,
            reply,
        };
        self.conclude(batch, command, result);
    }

    fn apply_visitor(
        &mut self,
        visitor: &VisitorCtx,
        action: &VisitorAction,
    ) -> Result<Outcome, Refusal> {
        let own = |hub: &Self, c: ConversationId| -> Result<(), Refusal> {
            if hub.owners.get(&c) != Some(&visitor.visitor_id) {
                return Err(not_found(c));
            }
            if hub.ended.contains(&c) {
                return Err(refusal(&core::Error::ConversationEnded(c)));
            }
            Ok(())
        };
        match action {
            VisitorAction::SendMessage {
                conversation,
                text,
                attachments,
            } => {
                let c = match conversation {
                    Some(c) => {
                        own(self, *c)?;
                        *c
                    }
                    None => self.open_for(visitor, text)?,
                };
                let t = core::Time::from_millis(self.now());
                self.engine
                    .visitor_message_with_attachments(c, text, attachments.len(), t)
                    .map_err(|e| refusal(&e))?;
                Ok(Outcome::Done(Some(c), |ev| {
                    matches!(
                        ev,
                        AgentEvent::Message {
                            author: proto::Author::Visitor,
                            ..
                        }
                    )
                }))
            }
            VisitorAction::Read { conversation, seq } => {
                own(self, *conversation)?;
                Ok(Outcome::Read(Read {
                    conversation: *conversation,
                    by: proto::Participant::Visitor,
                    seq: *seq,
                }))
            }
            VisitorAction::Leave(c) => {
                own(self, *c)?;
                let t = core::Time::from_millis(self.now());
                self.engine.visitor_leave(*c, t).map_err(|e| refusal(&e))?;
                Ok(Outcome::Done(Some(*c), |ev| {
                    matches!(ev, AgentEvent::VisitorLeft)
                }))
            }
        }
    }

    /// The conversation a visitor's first message goes to: a customer's
    /// continuous one, or a new one. The hub numbers it and its row goes into
    /// the batch, so the hub never stops for a commit of its own here.
    fn open_for(&mut self, visitor: &VisitorCtx, text: &str) -> Result<ConversationId, Refusal> {
        if let Some(customer) = &visitor.customer
            && let Some(c) = self.engine.customer_conversation(&customer.id)
        {
            return Ok(c);
        }
        if text.trim().is_empty() {
            return Err(refusal(&core::Error::EmptyMessage));
        }
        let now = self.now();
        let Ok(stored_id) = i64::try_from(self.next_conversation) else {
            return Err(Refusal::new(
                ErrorCode::Internal,
                "The server has no conversation number left.",
            ));
        };
        // Taken even if the engine refuses to open it: a number is never
        // given twice while the hub runs.
        let c = ConversationId(self.next_conversation);
        self.next_conversation += 1;
        let new = NewConversation {
            visitor_id: visitor.visitor_id.clone(),
            customer_id: visitor.customer.as_ref().map(|c| c.id.clone()),
            state: OPEN.into(),
            created_at: clock::wire_to_store(now),
        };
        let core_visitor = match &visitor.customer {
            Some(customer) => Visitor::Customer {
                customer_id: customer.id.clone(),
            },
            None => Visitor::Anonymous {
                visitor_id: visitor.visitor_id.clone(),
            },
        };
        self.visitors.insert(
            c,
            proto::VisitorInfo {
                visitor_id: visitor.visitor_id.clone(),
                customer: visitor.customer.clone(),
                locale: visitor.locale.clone(),
            },
        );
        self.owners.insert(c, visitor.visitor_id.clone());
        self.current.insert(visitor.visitor_id.clone(), c);
        self.engine
            .open_conversation(c, core_visitor, visitor.entry, core::Time::from_millis(now))
            .map_err(|e| refusal(&e))?;
        self.pending_conversations
            .push((banner_store::ConversationId(stored_id), new));
        Ok(c)
    }

    /// Sends the batch with whoever waits for it: the command's `ack` after the
    /// commit, or its refusal (at once when nothing changed).
    pub(super) fn finish(
        &mut self,
        mut batch: Batch,
        key: CommandKey,
        fingerprint: [u8; 32],
        reply: tokio::sync::oneshot::Sender<super::request::Answer>,
        outcome: Result<(Option<ConversationId>, Records), Refusal>,
    ) {
        match outcome {
            Ok((conversation, records)) => {
                let record = conversation.and_then(|c| {
                    let mine: Vec<usize> = (0..batch.events.len())
                        .filter(|&i| batch.events[i].0 == c)
                        .collect();
                    mine.iter()
                        .copied()
                        .find(|&i| records(&batch.events[i].1))
                        .or_else(|| mine.first().copied())
                });
                if let Some(i) = record {
                    batch.mark_record(i, &key, &fingerprint);
                }
                self.commands.begin(key.clone(), fingerprint);
                batch.about = conversation;
                batch.waiting = Waiting::Applied(vec![Applied {
                    key,
                    reply,
                    conversation,
                    record,
                }]);
            }
            Err(refusal) if batch.is_empty() => {
                let _ = reply.send(Err(refusal));
                return;
            }
            Err(refusal) => batch.waiting = Waiting::Refused { reply, refusal },
        }
        self.send(batch);
    }
}
