//! Inputs that are not routing: typing (passed on, never logged), deliveries
//! and reads (receipts, logged through the ledger and held a moment by
//! `held`), and logging out.
//!
//! Each checks who may do it here, in the hub, where the truth about who holds
//! a chat lives: a visitor's socket carries only its own conversations, but an
//! agent's typing or receipt counts only from the agent holding the chat (a
//! private note's typing from anyone who may read it).

use banner_core::{AgentId, ConversationId};
use banner_proto::{AgentEvent, ErrorCode, Participant, ReceiptKind, Seq};
use banner_store::Store;
use tokio::time::Instant;

use super::apply::Records;
use super::fanout::{AgentFeed, Typing};
use super::held::{Held, HeldCommand};
use super::record::{Applied, Batch};
use super::{Hub, Refusal};

impl<S: Store> Hub<S> {
    fn holds(&self, agent: AgentId, c: ConversationId) -> bool {
        self.engine
            .conversation(c)
            .is_some_and(|conv| conv.holder() == Some(agent))
    }

    fn participant_may_act(&self, who: &Participant, c: ConversationId) -> bool {
        match who {
            Participant::Visitor => self.engine.conversation(c).is_some(),
            Participant::Agent { id, .. } => self.holds(AgentId(id.0), c),
        }
    }

    /// Passes a typing indicator on, if its sender may type there.
    pub(super) fn typing(&mut self, typing: Typing) {
        let c = typing.conversation;
        let may = match &typing.who {
            Participant::Agent { id, .. } if typing.private => {
                self.engine.can_view(AgentId(id.0), c)
            }
            who => self.participant_may_act(who, c),
        };
        if may {
            self.fanout.typing(typing);
        }
    }

    /// Records a `delivered` receipt when a delivery passes the other side's
    /// messages: held a moment (`held`), or at once when nothing is held.
    pub(super) fn delivered(&mut self, c: ConversationId, by: &Participant, seq: Seq) {
        if !self.participant_may_act(by, c) {
            return;
        }
        let Some(receipt) = self.ledger.delivered(c, by, seq) else {
            return;
        };
        if let AgentEvent::Receipt { up_to, .. } = &receipt
            && self.held_delivered.holds()
        {
            self.held_delivered
                .push(c, by.clone(), *up_to, None, Instant::now());
            return;
        }
        let mut batch = Batch::new(self.now(), None);
        batch.push(c, receipt);
        self.send(batch);
    }

    /// Logs the held receipts due at `now` (all with `None`): the delivered
    /// ones less those a read of the same reader has covered since, and those
    /// of chats that ended meanwhile; the read ones with the commands they
    /// answer.
    pub(super) fn log_held(&mut self, now: Option<Instant>) {
        let delivered = self.held_delivered.take_due(now);
        let reads = self.held_reads.take_due(now);
        if delivered.is_empty() && reads.is_empty() {
            return;
        }
        let mut batch = Batch::new(self.now(), None);
        for held in delivered {
            let c = held.conversation;
            if self.engine.conversation(c).is_none()
                || self.ledger.read_mark(c, &held.by) >= held.up_to
            {
                continue;
            }
            batch.push(
                c,
                AgentEvent::Receipt {
                    kind: ReceiptKind::Delivered,
                    up_to: held.up_to,
                    by: held.by,
                },
            );
        }
        push_reads(&mut batch, reads);
        self.send(batch);
    }

    /// Before an event that ends an agent's part in `c`, or `c` itself
    /// ([`ends_a_part`]): `c`'s held reads are logged in a batch of their own,
    /// sent now, so that the log keeps them before that event and each
    /// reader is still part of the chat when its receipt goes out (an agent
    /// gets the receipt its `ack` names).
    pub(super) fn log_held_reads_of(&mut self, c: ConversationId, at: u64) {
        let reads = self.held_reads.take_conversation(c);
        if reads.is_empty() {
            return;
        }
        let mut batch = Batch::new(at, None);
        push_reads(&mut batch, reads);
        self.send(batch);
    }

    /// `c` ended: its held delivered receipts are dropped, as
    /// [`Self::log_held`] would drop them.
    pub(super) fn drop_held_delivered(&mut self, c: ConversationId) {
        drop(self.held_delivered.take_conversation(c));
    }

    /// A `read` command: moves `by`'s read mark. Only the visitor and the
    /// agent holding the chat make receipts; anyone else who may read it just
    /// moves their own unread count. A receipt is held with the command
    /// (`held`), which is answered when the receipt is logged, as is a read
    /// that a held receipt already covers; without a hold, or without a
    /// receipt, it goes in `batch` and the command is answered after its
    /// commit, as any other.
    pub(super) fn read_command(&mut self, mut batch: Batch, command: HeldCommand, read: Read) {
        let Read {
            conversation: c,
            by,
            seq,
        } = read;
        let receipt = self.ledger.read(c, &by, seq);
        let may_act = self.participant_may_act(&by, c);
        let receipt = receipt.filter(|_| may_act);
        // A read that moves no mark because a held receipt already covers it
        // (another socket of the same reader, or a read sent again under a
        // new id) waits for that receipt too: answered now, it would be
        // acknowledged before anything durable records it.
        let hold = match receipt {
            Some(AgentEvent::Receipt { up_to, .. }) if self.held_reads.holds() => Some(up_to),
            // The mark, not `seq`: a `seq` past the log's end is lowered to it.
            None if may_act && self.held_reads.is_held(c, &by) => {
                Some(self.ledger.read_mark(c, &by))
            }
            _ => None,
        };
        match (hold, receipt) {
            (Some(up_to), moved) => {
                self.commands
                    .begin(command.key.clone(), command.fingerprint);
                let full =
                    self.held_reads
                        .push(c, by.clone(), up_to, Some(command), Instant::now());
                if full && let Some(held) = self.held_reads.take(c, &by) {
                    push_reads(&mut batch, vec![held]);
                }
                self.send(batch);
                // An agent's unread count moved now, not when the receipt is
                // logged: the pool shows it without waiting for the hold.
                if moved.is_some() && matches!(by, Participant::Agent { .. }) {
                    self.views_changed();
                }
            }
            (None, receipt) => {
                if let Some(receipt) = receipt {
                    batch.push(c, receipt);
                }
                let HeldCommand {
                    key,
                    fingerprint,
                    reply,
                } = command;
                let records: Records = |ev| matches!(ev, AgentEvent::Receipt { .. });
                self.finish(batch, key, fingerprint, reply, Ok((Some(c), records)));
            }
        }
    }

    /// Ends one session of `agent`: its sockets close. Refused while the agent
    /// holds chats, which would otherwise wait for nobody.
    pub(super) fn logout(&mut self, agent: AgentId, session: [u8; 32]) -> Result<(), Refusal> {
        let holding = self
            .engine
            .pool(agent)
            .map(|p| {
                !p.in_progress.is_empty()
                    || !p.pending_customers.is_empty()
                    || !p.wrap_up.is_empty()
            })
            .unwrap_or(false);
        if holding {
            return Err(Refusal::new(
                ErrorCode::HoldingChats,
                "Archive or transfer your chats before logging out.",
            ));
        }
        self.fanout
            .to_agent(agent, AgentFeed::SessionEnded(session));
        Ok(())
    }
}

/// Whether `event` ends an agent's part in its conversation (the holder
/// changes or lets go), or the conversation: held reads go before it.
pub(super) fn ends_a_part(event: &AgentEvent) -> bool {
    matches!(
        event,
        AgentEvent::Assigned { .. }
            | AgentEvent::TransferRequested { .. }
            | AgentEvent::WrapUpCompleted { .. }
            | AgentEvent::InteractionEnded { .. }
            | AgentEvent::ConversationEnded
    )
}

/// A `read` command as applied: `by` has shown `conversation` up to `seq`.
pub(super) struct Read {
    pub conversation: ConversationId,
    pub by: Participant,
    pub seq: Seq,
}

/// Puts held read receipts in `batch`, each the record of the commands it
/// answers, who wait for the batch's commit.
fn push_reads(batch: &mut Batch, reads: Vec<Held>) {
    for held in reads {
        let c = held.conversation;
        let index = batch.events.len();
        batch.push(
            c,
            AgentEvent::Receipt {
                kind: ReceiptKind::Read,
                up_to: held.up_to,
                by: held.by,
            },
        );
        let records: Vec<_> = held
            .commands
            .iter()
            .map(|command| (&command.key, &command.fingerprint))
            .collect();
        batch.mark_records(index, &records);
        for command in held.commands {
            batch.wait_for(Applied {
                key: command.key,
                reply: command.reply,
                conversation: Some(c),
                record: Some(index),
            });
        }
    }
}
