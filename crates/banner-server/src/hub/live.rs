//! Inputs that are not routing: typing (passed on, never logged), deliveries
//! and reads (receipts, logged through the ledger), and logging out.
//!
//! Each checks who may do it here, in the hub, where the truth about who holds
//! a chat lives: a visitor's socket carries only its own conversations, but an
//! agent's typing or receipt counts only from the agent holding the chat (a
//! private note's typing from anyone who may read it).

use banner_core::{AgentId, ConversationId};
use banner_proto::{AgentEvent, ErrorCode, Participant, ReceiptKind, Seq};
use banner_store::Store;
use tokio::time::Instant;

use super::fanout::{AgentFeed, Typing};
use super::record::Batch;
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
            && self.held.holds()
        {
            self.held.push(c, by.clone(), *up_to, Instant::now());
            return;
        }
        let mut batch = Batch::new(self.now(), None);
        batch.push(c, receipt);
        self.send(batch);
    }

    /// Logs the held receipts due at `now` (all with `None`), less those a
    /// read of the same reader has covered since, and those of chats that
    /// ended meanwhile.
    pub(super) fn log_held(&mut self, now: Option<Instant>) {
        let due = self.held.take_due(now);
        if due.is_empty() {
            return;
        }
        let mut batch = Batch::new(self.now(), None);
        for held in due {
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
        self.send(batch);
    }

    /// Moves `by`'s read mark; the receipt it makes, if any, goes in the next
    /// batch. Only the visitor and the agent holding the chat make receipts;
    /// anyone else who may read it just moves their own unread count.
    pub(super) fn read(&mut self, c: ConversationId, by: &Participant, seq: Seq) {
        let receipt = self.ledger.read(c, by, seq);
        if let Some(receipt) = receipt.filter(|_| self.participant_may_act(by, c)) {
            self.receipts.push((c, receipt));
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

    /// Receipts waiting for the batch being built.
    pub(super) fn take_receipts(&mut self) -> Vec<(ConversationId, AgentEvent)> {
        std::mem::take(&mut self.receipts)
    }
}
