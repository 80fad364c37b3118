//! Receipts held a moment before they are logged, one per conversation and
//! reader, in two kinds.
//!
//! - **`delivered`**: an agent with the chat open, or a visitor looking at
//!   the widget, reads a message as it arrives, so the `read` receipt follows
//!   the `delivered` one within milliseconds and says everything it says
//!   (read implies delivered). Held for `delivered_receipt_hold_ms`, a
//!   delivered receipt that a read of the same reader has covered by then is
//!   dropped, so such a chat logs one receipt per message instead of two.
//!   Nobody waits for it: the hold is in memory, and a server killed during
//!   it loses a receipt nobody was told of.
//! - **`read`**: a busy chat is read message after message, each read a
//!   command of its own. Held for `read_receipt_hold_ms`, the reads of one
//!   reader in one conversation raise one receipt, logged once with every
//!   command it answers ([`Held::commands`]): one event, one commit and one
//!   fan-out for all of them. Each command is acknowledged only when that
//!   receipt is durable, with its `seq`, so a server killed during the hold
//!   has acknowledged nothing (the client sends it again).
//!
//! A receipt not covered is logged when its time is up, a little later than
//! it would have been; a clean stop logs what is held. Held reads are also
//! logged before any event that ends an agent's part in the chat or the
//! chat itself (`live::ends_a_part`), so the log keeps them in order and an
//! agent still gets the receipt its `ack` names.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use banner_core::ConversationId;
use banner_proto::{Participant, Seq};
use tokio::sync::oneshot;
use tokio::time::Instant;

use super::commands::CommandKey;
use super::ledger::Reader;
use super::request::Answer;

/// How long receipts are held before they are logged (`held`); zero holds
/// none of that kind.
#[derive(Clone, Copy, Debug, Default)]
pub struct ReceiptHolds {
    /// `delivered` receipts: `delivered_receipt_hold_ms`.
    pub delivered: Duration,
    /// `read` receipts, with the commands they answer: `read_receipt_hold_ms`.
    pub read: Duration,
}

/// The most commands one held receipt answers: at this many it is logged
/// at once, so that a client sending reads without pause cannot grow it.
pub const MOST_COMMANDS: usize = 32;

/// A `read` command waiting for the receipt that records it.
#[derive(Debug)]
pub struct HeldCommand {
    pub key: CommandKey,
    pub fingerprint: [u8; 32],
    pub reply: oneshot::Sender<Answer>,
}

/// One held receipt: `by` has been delivered (or has read) `conversation`'s
/// events up to `up_to`.
#[derive(Debug)]
pub struct Held {
    pub conversation: ConversationId,
    pub by: Participant,
    pub up_to: Seq,
    /// The `read` commands it answers, oldest first (none for `delivered`).
    pub commands: Vec<HeldCommand>,
}

/// The held receipts of one kind: found by key on each delivery or read (a
/// hot path), and their due times in the order they were held.
#[derive(Debug)]
pub struct HeldReceipts {
    hold: Duration,
    receipts: HashMap<(ConversationId, Reader), Held>,
    due: VecDeque<(Instant, ConversationId, Reader)>,
}

impl HeldReceipts {
    /// Holds receipts for `hold`; zero holds nothing (see [`Self::holds`]).
    pub fn new(hold: Duration) -> Self {
        HeldReceipts {
            hold,
            receipts: HashMap::new(),
            due: VecDeque::new(),
        }
    }

    /// Whether receipts are held at all.
    pub fn holds(&self) -> bool {
        !self.hold.is_zero()
    }

    /// Holds `by`'s mark `up_to` in `conversation`, with the command it
    /// answers if any. A receipt of the same reader already held there is
    /// raised instead, keeping its due time, so a stream of deliveries cannot
    /// put the receipt off for ever. True when the receipt now answers
    /// [`MOST_COMMANDS`] commands and is to be logged at once ([`Self::take`]).
    pub fn push(
        &mut self,
        conversation: ConversationId,
        by: Participant,
        up_to: Seq,
        command: Option<HeldCommand>,
        now: Instant,
    ) -> bool {
        let reader = Reader::of(&by);
        let held = match self.receipts.get_mut(&(conversation, reader)) {
            Some(held) => {
                held.up_to = held.up_to.max(up_to);
                held.by = by;
                held
            }
            None => {
                self.due.push_back((now + self.hold, conversation, reader));
                self.receipts.entry((conversation, reader)).or_insert(Held {
                    conversation,
                    by,
                    up_to,
                    commands: Vec::new(),
                })
            }
        };
        held.commands.extend(command);
        held.commands.len() >= MOST_COMMANDS
    }

    /// Whether a receipt of `by` is held in `conversation`.
    pub fn is_held(&self, conversation: ConversationId, by: &Participant) -> bool {
        self.receipts.contains_key(&(conversation, Reader::of(by)))
    }

    /// When the oldest held receipt is due.
    pub fn next_due(&self) -> Option<Instant> {
        self.due.front().map(|(due, ..)| *due)
    }

    /// The receipts due at `now`, oldest first; every one with `None`.
    pub fn take_due(&mut self, now: Option<Instant>) -> Vec<Held> {
        let count = match now {
            Some(now) => self.due.iter().take_while(|(due, ..)| *due <= now).count(),
            None => self.due.len(),
        };
        self.due
            .drain(..count)
            .filter_map(|(_, c, reader)| self.receipts.remove(&(c, reader)))
            .collect()
    }

    /// The receipt held for `by` in `conversation`, taken before its time.
    /// (Its place in the due order stays: if the reader's next receipt is
    /// held before then, that one is logged early, which is harmless.)
    pub fn take(&mut self, conversation: ConversationId, by: &Participant) -> Option<Held> {
        self.receipts.remove(&(conversation, Reader::of(by)))
    }

    /// Every receipt held in `conversation`, taken before its time (an
    /// agent's part in it, or the conversation, is ending).
    pub fn take_conversation(&mut self, conversation: ConversationId) -> Vec<Held> {
        let keys: Vec<_> = self
            .receipts
            .keys()
            .filter(|(c, _)| *c == conversation)
            .copied()
            .collect();
        keys.iter()
            .filter_map(|key| self.receipts.remove(key))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use banner_proto::{AgentId, ClientId};

    use super::super::request::Principal;
    use super::*;

    const C: ConversationId = ConversationId(7);

    fn ada(name: &str) -> Participant {
        Participant::Agent {
            id: AgentId(1),
            name: name.into(),
        }
    }

    fn command(id: &str) -> (HeldCommand, oneshot::Receiver<Answer>) {
        let (reply, answer) = oneshot::channel();
        let key = (
            Principal::Visitor("v".into()),
            ClientId::new(id.to_owned()).expect("an id"),
        );
        let held = HeldCommand {
            key,
            fingerprint: [0; 32],
            reply,
        };
        (held, answer)
    }

    #[test]
    fn a_receipt_is_due_after_the_hold_and_a_later_one_raises_it() {
        let mut held = HeldReceipts::new(Duration::from_millis(250));
        let t0 = Instant::now();
        held.push(C, Participant::Visitor, 3, None, t0);
        held.push(C, ada("Ada"), 4, None, t0 + Duration::from_millis(10));
        // The visitor's second delivery raises the first, keeping its time.
        held.push(
            C,
            Participant::Visitor,
            5,
            None,
            t0 + Duration::from_millis(200),
        );
        // An agent is the same reader under another name.
        held.push(C, ada("Ada L."), 6, None, t0 + Duration::from_millis(20));
        assert_eq!(held.next_due(), Some(t0 + Duration::from_millis(250)));
        assert!(
            held.take_due(Some(t0 + Duration::from_millis(249)))
                .is_empty()
        );
        let due = held.take_due(Some(t0 + Duration::from_millis(250)));
        assert_eq!(due.len(), 1);
        assert_eq!((due[0].up_to, &due[0].by), (5, &Participant::Visitor));
        let rest = held.take_due(None);
        assert_eq!((rest.len(), rest[0].up_to), (1, 6));
        assert_eq!(held.next_due(), None);
    }

    #[test]
    fn other_conversations_are_held_apart() {
        let mut held = HeldReceipts::new(Duration::from_millis(250));
        let t0 = Instant::now();
        held.push(C, Participant::Visitor, 3, None, t0);
        held.push(ConversationId(8), Participant::Visitor, 2, None, t0);
        assert_eq!(held.take_due(None).len(), 2);
        assert!(!HeldReceipts::new(Duration::ZERO).holds());
    }

    #[test]
    fn a_receipt_keeps_every_command_it_answers_and_is_full_at_the_most() {
        let mut held = HeldReceipts::new(Duration::from_millis(250));
        let t0 = Instant::now();
        let mut answers = Vec::new();
        for n in 0..MOST_COMMANDS {
            let (command, answer) = command(&format!("r{n}"));
            answers.push(answer);
            let full = held.push(C, Participant::Visitor, 2 + n as Seq, Some(command), t0);
            assert_eq!(full, n + 1 == MOST_COMMANDS, "after {n}");
        }
        let receipt = held.take(C, &Participant::Visitor).expect("held");
        assert_eq!(receipt.up_to, 1 + MOST_COMMANDS as Seq);
        let ids: Vec<_> = receipt
            .commands
            .iter()
            .map(|c| c.key.1.as_str().to_owned())
            .collect();
        assert_eq!(ids.first().map(String::as_str), Some("r0"));
        assert_eq!(ids.len(), MOST_COMMANDS);
        // Taken early, its due entry finds nothing.
        assert!(held.take_due(None).is_empty());
    }

    #[test]
    fn an_ending_conversation_takes_all_its_readers_receipts() {
        let mut held = HeldReceipts::new(Duration::from_millis(250));
        let t0 = Instant::now();
        held.push(C, Participant::Visitor, 3, None, t0);
        held.push(C, ada("Ada"), 4, None, t0);
        held.push(ConversationId(8), Participant::Visitor, 2, None, t0);
        let mut taken: Vec<_> = held
            .take_conversation(C)
            .into_iter()
            .map(|h| h.up_to)
            .collect();
        taken.sort_unstable();
        assert_eq!(taken, [3, 4]);
        let rest = held.take_due(None);
        assert_eq!((rest.len(), rest[0].conversation), (1, ConversationId(8)));
    }
}
