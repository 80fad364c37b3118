//! `delivered` receipts held a moment before they are logged. An agent with
//! the chat open, or a visitor looking at the widget, reads a message as it
//! arrives: the `read` receipt follows the `delivered` one within
//! milliseconds and says everything it says (read implies delivered). Held
//! for `delivered_receipt_hold_ms`, a delivered receipt that a read of the
//! same reader has covered by then is dropped, so such a chat logs, commits
//! and fans out one receipt per message instead of two. One not covered is
//! logged when its time is up, a little later than it would have been.
//!
//! The hold is in memory: a server killed during it loses the receipt, which
//! nobody was told of (receipts are the server's own, never acknowledged).
//! A clean stop logs what is held.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use banner_core::ConversationId;
use banner_proto::{Participant, Seq};
use tokio::time::Instant;

use super::ledger::Reader;

/// One held receipt: `by` has been delivered `conversation`'s events up to
/// `up_to`.
#[derive(Debug, Clone, PartialEq)]
pub struct Held {
    pub conversation: ConversationId,
    pub by: Participant,
    pub up_to: Seq,
}

/// The held receipts: one per conversation and reader, found by key on each
/// delivery (a hot path), and their due times in the order they were held.
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

    /// Holds `by`'s delivered mark `up_to` in `conversation`. A receipt of
    /// the same reader already held there is raised instead, keeping its due
    /// time, so a stream of deliveries cannot put the receipt off for ever.
    pub fn push(
        &mut self,
        conversation: ConversationId,
        by: Participant,
        up_to: Seq,
        now: Instant,
    ) {
        let reader = Reader::of(&by);
        match self.receipts.get_mut(&(conversation, reader)) {
            Some(held) => {
                held.up_to = held.up_to.max(up_to);
                held.by = by;
            }
            None => {
                self.receipts.insert(
                    (conversation, reader),
                    Held {
                        conversation,
                        by,
                        up_to,
                    },
                );
                self.due.push_back((now + self.hold, conversation, reader));
            }
        }
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
}

#[cfg(test)]
mod tests {
    use banner_proto::AgentId;

    use super::*;

    const C: ConversationId = ConversationId(7);

    fn ada(name: &str) -> Participant {
        Participant::Agent {
            id: AgentId(1),
            name: name.into(),
        }
    }

    #[test]
    fn a_receipt_is_due_after_the_hold_and_a_later_one_raises_it() {
        let mut held = HeldReceipts::new(Duration::from_millis(250));
        let t0 = Instant::now();
        held.push(C, Participant::Visitor, 3, t0);
        held.push(C, ada("Ada"), 4, t0 + Duration::from_millis(10));
        // The visitor's second delivery raises the first, keeping its time.
        held.push(C, Participant::Visitor, 5, t0 + Duration::from_millis(200));
        // An agent is the same reader under another name.
        held.push(C, ada("Ada L."), 6, t0 + Duration::from_millis(20));
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
        held.push(C, Participant::Visitor, 3, t0);
        held.push(ConversationId(8), Participant::Visitor, 2, t0);
        assert_eq!(held.take_due(None).len(), 2);
        assert!(!HeldReceipts::new(Duration::ZERO).holds());
    }
}
