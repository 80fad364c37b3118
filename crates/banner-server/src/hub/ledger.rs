//! The ledger: what the hub remembers of each live conversation's log that
//! banner-core does not — the latest message as agents see it, where each
//! side's messages sit in the log, each reader's read and delivered marks, and
//! the times the pool shows (wrap-up deadline, waiting for the customer since).
//!
//! It learns only from committed events ([`Ledger::observe`]), live and while
//! the hub recovers from the log, so after a restart it knows what it knew
//! before. [`Ledger::read`] and [`Ledger::delivered`] move a reader's mark and
//! say whether that makes a `receipt` event: only when the mark passes a
//! message of the other side (receipts never acknowledge receipts).

use std::collections::HashMap;

use banner_core::{AgentId, ConversationId};
use banner_proto::{AgentEvent, Author, LatestMessage, Logged, Participant, ReceiptKind, Seq};

use crate::wire;

/// Finished interactions remembered for the pool's History tab, at most.
const FINISHED_KEPT: usize = 10_000;

/// Who reads: the visitor, or one agent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Reader {
    Visitor,
    Agent(AgentId),
}

impl Reader {
    /// The reader `p` is (an agent by id: the name may be spelt otherwise).
    pub(super) fn of(p: &Participant) -> Reader {
        match p {
            Participant::Visitor => Reader::Visitor,
            Participant::Agent { id, .. } => Reader::Agent(AgentId(id.0)),
        }
    }
}

/// One conversation's entry.
#[derive(Debug, Default)]
struct Entry {
    latest_seq: Seq,
    latest: Option<LatestMessage>,
    /// `seq`s of the visitor's messages, ascending.
    visitor_messages: Vec<Seq>,
    /// `seq`s of agents' public messages, ascending: what a visitor receipts.
    agent_messages: Vec<Seq>,
    read: HashMap<Reader, Seq>,
    delivered: HashMap<Reader, Seq>,
    wrap_up_deadline: Option<u64>,
    customer_since: Option<u64>,
}

impl Entry {
    /// The other side's messages, as `reader` sees them.
    fn others(&self, reader: Reader) -> &[Seq] {
        match reader {
            Reader::Visitor => &self.agent_messages,
            Reader::Agent(_) => &self.visitor_messages,
        }
    }

    /// Moves `reader`'s mark of `kind` to `seq` (never back, never past the
    /// log) and answers the receipt it makes, if any.
    fn mark(&mut self, kind: ReceiptKind, by: &Participant, seq: Seq) -> Option<AgentEvent> {
        let reader = Reader::of(by);
        let seq = seq.min(self.latest_seq);
        let marks = match kind {
            ReceiptKind::Read => &mut self.read,
            ReceiptKind::Delivered => &mut self.delivered,
        };
        let old = marks.get(&reader).copied().unwrap_or(0);
        if seq <= old {
            return None;
        }
        marks.insert(reader, seq);
        // The first of the other side's messages after the old mark.
        let others = self.others(reader);
        let next = others.get(others.partition_point(|&m| m <= old));
        let passes = next.is_some_and(|&m| m <= seq);
        passes.then(|| AgentEvent::Receipt {
            kind,
            up_to: seq,
            by: by.clone(),
        })
    }
}

/// Every live conversation's entry, and when finished interactions ended.
#[derive(Debug, Default)]
pub struct Ledger {
    entries: HashMap<ConversationId, Entry>,
    finished: HashMap<ConversationId, u64>,
}

impl Ledger {
    /// Learns from a committed event.
    pub fn observe(&mut self, logged: &Logged<AgentEvent>) {
        let c = wire::conversation_to_core(logged.conversation);
        if matches!(logged.event, AgentEvent::ConversationEnded) {
            self.entries.remove(&c);
            self.finish(c, logged.at);
            return;
        }
        let entry = self.entries.entry(c).or_default();
        entry.latest_seq = entry.latest_seq.max(logged.seq);
        match &logged.event {
            AgentEvent::Message {
                author,
                private,
                text,
                ..
            } => {
                match author {
                    Author::Visitor => insert_sorted(&mut entry.visitor_messages, logged.seq),
                    Author::Agent { .. } if !private => {
                        insert_sorted(&mut entry.agent_messages, logged.seq);
                    }
                    _ => {}
                }
                entry.latest = Some(LatestMessage {
                    author: author.clone(),
                    private: *private,
                    text: text.clone(),
                    at: logged.at,
                });
            }
            AgentEvent::Receipt { kind, up_to, by } => {
                let marks = match kind {
                    ReceiptKind::Read => &mut entry.read,
                    ReceiptKind::Delivered => &mut entry.delivered,
                };
                let mark = marks.entry(Reader::of(by)).or_insert(0);
                *mark = (*mark).max(*up_to);
            }
            AgentEvent::WrapUpStarted { deadline, .. } => entry.wrap_up_deadline = Some(*deadline),
            AgentEvent::WrapUpCompleted { .. } => {
                entry.wrap_up_deadline = None;
                self.finish(c, logged.at);
            }
            AgentEvent::WaitingForCustomer { .. } => entry.customer_since = Some(logged.at),
            AgentEvent::Assigned { .. } | AgentEvent::InteractionStarted { .. } => {
                entry.customer_since = None;
            }
            _ => {}
        }
    }

    fn finish(&mut self, c: ConversationId, at: u64) {
        if self.finished.len() >= FINISHED_KEPT && !self.finished.contains_key(&c) {
            // Keep the newest: drop the oldest finish we know.
            if let Some(oldest) = self.finished.iter().min_by_key(|(_, at)| **at) {
                let oldest = *oldest.0;
                self.finished.remove(&oldest);
            }
        }
        self.finished.insert(c, at);
    }

    /// `by` has shown the events of `c` up to `seq`: the `read` receipt this
    /// makes, if it passes a message of the other side.
    pub fn read(&mut self, c: ConversationId, by: &Participant, seq: Seq) -> Option<AgentEvent> {
        self.entries.get_mut(&c)?.mark(ReceiptKind::Read, by, seq)
    }

    /// The server wrote the events of `c` up to `seq` to a socket of `by`.
    pub fn delivered(
        &mut self,
        c: ConversationId,
        by: &Participant,
        seq: Seq,
    ) -> Option<AgentEvent> {
        self.entries
            .get_mut(&c)?
            .mark(ReceiptKind::Delivered, by, seq)
    }

    /// How far `by` has read `c` (0 when unknown).
    pub fn read_mark(&self, c: ConversationId, by: &Participant) -> Seq {
        self.entries
            .get(&c)
            .and_then(|e| e.read.get(&Reader::of(by)).copied())
            .unwrap_or(0)
    }

    /// The latest message of `c`.
    pub fn latest(&self, c: ConversationId) -> Option<LatestMessage> {
        self.entries.get(&c)?.latest.clone()
    }

    /// The last `seq` of `c` committed.
    pub fn latest_seq(&self, c: ConversationId) -> Seq {
        self.entries.get(&c).map_or(0, |e| e.latest_seq)
    }

    /// The visitor's messages `agent` has not read.
    pub fn unread(&self, c: ConversationId, agent: AgentId) -> u32 {
        let Some(entry) = self.entries.get(&c) else {
            return 0;
        };
        let mark = entry.read.get(&Reader::Agent(agent)).copied().unwrap_or(0);
        let messages = &entry.visitor_messages;
        let unread = messages.len() - messages.partition_point(|&m| m <= mark);
        u32::try_from(unread).unwrap_or(u32::MAX)
    }

    /// When the wrap-up of `c` ends at the latest.
    pub fn wrap_up_deadline(&self, c: ConversationId) -> Option<u64> {
        self.entries.get(&c)?.wrap_up_deadline
    }

    /// Since when `c` waits for its customer.
    pub fn customer_since(&self, c: ConversationId) -> Option<u64> {
        self.entries.get(&c)?.customer_since
    }

    /// When the latest interaction of `c` finished.
    pub fn finished_at(&self, c: ConversationId) -> Option<u64> {
        self.finished.get(&c).copied()
    }
}

/// Adds `seq` to the ascending `seqs`, once. Events come in `seq` order, so
/// this appends; the lookups ([`Entry::mark`], [`Ledger::unread`]) search
/// the lists by halves rather than walking them, since a customer's
/// conversation never ends and its lists only grow.
fn insert_sorted(seqs: &mut Vec<Seq>, seq: Seq) {
    match seqs.last() {
        Some(&last) if last >= seq => {
            if let Err(at) = seqs.binary_search(&seq) {
                seqs.insert(at, seq);
            }
        }
        _ => seqs.push(seq),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use banner_proto::AgentRef;

    fn logged(seq: Seq, event: AgentEvent) -> Logged<AgentEvent> {
        Logged {
            conversation: banner_proto::ConversationId(1),
            seq,
            at: seq * 1000,
            event,
        }
    }

    fn message(author: Author, private: bool) -> AgentEvent {
        AgentEvent::Message {
            author,
            private,
            text: "hi".into(),
            choices: vec![],
            attachments: vec![],
        }
    }

    fn ada() -> Participant {
        Participant::Agent {
            id: banner_proto::AgentId(4),
            name: "Ada".into(),
        }
    }

    fn ada_author() -> Author {
        Author::Agent {
            id: banner_proto::AgentId(4),
            name: "Ada".into(),
        }
    }

    const C: ConversationId = ConversationId(1);

    #[test]
    fn a_read_mark_makes_a_receipt_only_when_it_passes_the_other_sides_message() {
        let mut ledger = Ledger::default();
        ledger.observe(&logged(1, message(Author::Visitor, false)));
        ledger.observe(&logged(2, message(ada_author(), false)));
        assert_eq!(ledger.unread(C, AgentId(4)), 1);
        // The visitor reads their own message only: nothing to acknowledge.
        assert_eq!(ledger.read(C, &Participant::Visitor, 1), None);
        let receipt = ledger.read(C, &Participant::Visitor, 2);
        assert!(matches!(
            receipt,
            Some(AgentEvent::Receipt {
                kind: ReceiptKind::Read,
                up_to: 2,
                ..
            })
        ));
        // Marks never move back, and repeating one records nothing.
        assert_eq!(ledger.read(C, &Participant::Visitor, 2), None);
        assert_eq!(ledger.read(C, &Participant::Visitor, 1), None);
        // Ada reads past the visitor's message; her unread count drops.
        assert!(ledger.read(C, &ada(), 99).is_some());
        assert_eq!(ledger.unread(C, AgentId(4)), 0);
    }

    #[test]
    fn a_mark_beyond_the_log_is_lowered_to_its_end() {
        let mut ledger = Ledger::default();
        ledger.observe(&logged(1, message(Author::Visitor, false)));
        let Some(AgentEvent::Receipt { up_to, .. }) = ledger.delivered(C, &ada(), 50) else {
            panic!("a delivery past the visitor's message is a receipt");
        };
        assert_eq!(up_to, 1);
        ledger.observe(&logged(2, message(Author::Visitor, false)));
        assert!(ledger.delivered(C, &ada(), 2).is_some());
    }

    #[test]
    fn private_notes_and_receipts_are_never_receipted_by_the_visitor() {
        let mut ledger = Ledger::default();
        ledger.observe(&logged(1, message(ada_author(), true)));
        ledger.observe(&logged(
            2,
            AgentEvent::Receipt {
                kind: ReceiptKind::Read,
                up_to: 1,
                by: ada(),
            },
        ));
        assert_eq!(ledger.read(C, &Participant::Visitor, 2), None);
    }

    #[test]
    fn committed_receipts_restore_marks_after_a_restart() {
        let mut ledger = Ledger::default();
        ledger.observe(&logged(1, message(Author::Visitor, false)));
        ledger.observe(&logged(
            2,
            AgentEvent::Receipt {
                kind: ReceiptKind::Read,
                up_to: 1,
                by: ada(),
            },
        ));
        assert_eq!(ledger.unread(C, AgentId(4)), 0);
        assert_eq!(ledger.read(C, &ada(), 1), None);
    }

    #[test]
    fn the_pool_times_follow_the_log() {
        let mut ledger = Ledger::default();
        let agent = AgentRef {
            id: banner_proto::AgentId(4),
            name: "Ada".into(),
        };
        ledger.observe(&logged(
            1,
            AgentEvent::WaitingForCustomer {
                agent: agent.clone(),
                frozen: false,
            },
        ));
        assert_eq!(ledger.customer_since(C), Some(1000));
        ledger.observe(&logged(
            2,
            AgentEvent::WrapUpStarted {
                agent: agent.clone(),
                deadline: 9000,
            },
        ));
        assert_eq!(ledger.wrap_up_deadline(C), Some(9000));
        ledger.observe(&logged(
            3,
            AgentEvent::WrapUpCompleted {
                agent,
                disposition: None,
                timed_out: false,
            },
        ));
        assert_eq!(ledger.wrap_up_deadline(C), None);
        assert_eq!(ledger.finished_at(C), Some(3000));
        ledger.observe(&logged(4, AgentEvent::ConversationEnded));
        assert_eq!(ledger.latest_seq(C), 0);
        assert_eq!(ledger.finished_at(C), Some(4000));
    }

    #[test]
    fn marks_and_unread_counts_agree_with_the_log_at_every_point() {
        // Visitor and agent messages interleaved, one seq observed twice and
        // one out of order: the lists stay sorted and each seq counts once.
        let mut seqs: Vec<Seq> = (1..=60).collect();
        seqs.swap(10, 11);
        seqs.push(20);
        let visitor = |seq: Seq| !seq.is_multiple_of(3);
        let filled = || {
            let mut ledger = Ledger::default();
            for &seq in &seqs {
                let author = if visitor(seq) {
                    Author::Visitor
                } else {
                    ada_author()
                };
                ledger.observe(&logged(seq, message(author, false)));
            }
            ledger
        };
        let visitor_seqs: Vec<Seq> = (1..=60).filter(|&s| visitor(s)).collect();
        for mark in 1..=60 {
            // Ada's first read mark, at `mark`: a receipt exactly when it
            // passes a visitor message, and the unread count as a walk of
            // the log says.
            let mut ledger = filled();
            let receipt = ledger.read(C, &ada(), mark).is_some();
            assert_eq!(
                receipt,
                visitor_seqs.iter().any(|&m| m <= mark),
                "mark {mark}"
            );
            let unread = visitor_seqs.iter().filter(|&&m| m > mark).count();
            assert_eq!(ledger.unread(C, AgentId(4)) as usize, unread, "mark {mark}");
        }
        // The visitor's mark moved one step at a time: a receipt at each
        // agent message it passes, and only there.
        let mut ledger = filled();
        assert_eq!(ledger.unread(C, AgentId(4)) as usize, visitor_seqs.len());
        for mark in 1..=60 {
            let receipt = ledger.read(C, &Participant::Visitor, mark).is_some();
            assert_eq!(receipt, !visitor(mark), "visitor mark {mark}");
        }
    }
}
