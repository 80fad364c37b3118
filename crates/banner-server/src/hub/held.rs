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

use std::collections::VecDeque;
use std::time::Duration;

use banner_core::ConversationId;
use banner_proto::{Participant, Seq};
use tokio::time::Instant;

/// One held receipt: `by` has been delivered `c`'s events up to `up_to`.
#[derive(Debug, Clone, PartialEq)]
pub struct Held {
    pub conversation: ConversationId,
    pub by: Participant,
    pub up_to: Seq,
    due: Instant,
}

/// The held receipts, oldest first.
#[derive(Debug)]
pub struct HeldReceipts {
    hold: Duration,
    held: VecDeque<Held>,
}

/// Whether two participants are the same reader (an agent by id: the name
/// may be spelt differently after a rename).
fn same_reader(a: &Participant, b: &Participant) -> bool {
    match (a, b) {
        (Participant::Visitor, Participant::Visitor) => true,
        (Participant::Agent { id: a, .. }, Participant::Agent { id: b, .. }) => a == b,
        _ => false,
    }
}

impl HeldReceipts {
    /// Holds receipts for `hold`; zero holds nothing (see [`Self::holds`]).
    pub fn new(hold: Duration) -> Self {
        HeldReceipts {
            hold,
            held: VecDeque::new(),
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
        if let Some(held) = self
            .held
            .iter_mut()
            .find(|h| h.conversation == conversation && same_reader(&h.by, &by))
        {
            held.up_to = held.up_to.max(up_to);
            held.by = by;
            return;
        }
        self.held.push_back(Held {
            conversation,
            by,
            up_to,
            due: now + self.hold,
        });
    }

    /// When the oldest held receipt is due.
    pub fn next_due(&self) -> Option<Instant> {
        self.held.front().map(|h| h.due)
    }

    /// The receipts due at `now`, oldest first; every one with `None`.
    pub fn take_due(&mut self, now: Option<Instant>) -> Vec<Held> {
        let due = match now {
            Some(now) => self.held.iter().take_while(|h| h.due <= now).count(),
            None => self.held.len(),
        };
        self.held.drain(..due).collect()
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
