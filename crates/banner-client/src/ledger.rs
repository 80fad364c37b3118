//! The connection's memory, without I/O: the **outbox** (every command sent
//! with an id, in order, until its answer arrives) and the last `seq` of each
//! conversation seen. A reconnect resends the outbox with the original ids and
//! resumes each conversation from its last `seq`; an event at or below it is a
//! duplicate and is dropped.
//!
//! A conversation is resumed while the session is part of it (an agent: from
//! the offer ringing them to the end of their wrap-up; a visitor: until it
//! ends) or watches it — resuming is watching, so resuming a chat that went to
//! someone else would keep its events coming for nothing.

use std::collections::HashMap;

use banner_proto::limits::MAX_RESUME;
use banner_proto::{ClientId, ConversationId, Refused, Resume, Seq};

/// What became of a command given to [`Ledger::submit`].
#[derive(Debug, PartialEq, Eq)]
pub enum Submitted {
    /// A new id: send the command.
    New,
    /// The same command already waits for its answer: wait with it.
    Waiting,
    /// Another command waits for an answer under this id: refuse.
    IdInUse,
}

/// Where the client stands in one conversation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Track {
    last_seq: Seq,
    part: bool,
    watched: bool,
    /// When it last moved, to keep the most recent ones within `MAX_RESUME`.
    touched: u64,
}

/// The outbox and the last `seq` per conversation. See the module docs.
#[derive(Debug)]
pub struct Ledger<C> {
    outbox: Vec<(ClientId, C)>,
    tracks: HashMap<ConversationId, Track>,
    clock: u64,
}

impl<C> Default for Ledger<C> {
    fn default() -> Self {
        Ledger {
            outbox: Vec::new(),
            tracks: HashMap::new(),
            clock: 0,
        }
    }
}

impl<C: PartialEq + Clone> Ledger<C> {
    /// A ledger that resumes `resume` (conversations the caller keeps, e.g.
    /// from a previous run) as watched.
    pub fn new(resume: &[Resume]) -> Self {
        let mut ledger = Ledger::default();
        for r in resume {
            ledger.clock += 1;
            ledger.tracks.insert(
                r.conversation,
                Track {
                    last_seq: r.last_seq,
                    part: false,
                    watched: true,
                    touched: ledger.clock,
                },
            );
        }
        ledger
    }

    /// Puts a command in the outbox under `id`.
    pub fn submit(&mut self, id: &ClientId, command: &C) -> Submitted {
        match self.outbox.iter().find(|(i, _)| i == id) {
            None => {
                self.outbox.push((id.clone(), command.clone()));
                Submitted::New
            }
            Some((_, waiting)) if waiting == command => Submitted::Waiting,
            Some(_) => Submitted::IdInUse,
        }
    }

    /// Whether a command waits for an answer under `id`.
    pub fn contains(&self, id: &ClientId) -> bool {
        self.outbox.iter().any(|(i, _)| i == id)
    }

    /// The answer to `id` arrived: the command leaves the outbox.
    pub fn settle(&mut self, id: &ClientId) -> Option<C> {
        let index = self.outbox.iter().position(|(i, _)| i == id)?;
        Some(self.outbox.remove(index).1)
    }

    /// The connection is over: no answer will come. Empties the outbox.
    pub fn abandon(&mut self) -> Vec<(ClientId, C)> {
        std::mem::take(&mut self.outbox)
    }

    /// The commands waiting for an answer, in the order they were sent.
    pub fn outbox(&self) -> impl Iterator<Item = (&ClientId, &C)> {
        self.outbox.iter().map(|(id, c)| (id, c))
    }

    /// An event `seq` of `conversation` arrived; `part` says whether it starts
    /// or ends the session's part in it. False for a duplicate (or an older
    /// event), which the caller drops.
    pub fn observe(&mut self, conversation: ConversationId, seq: Seq, part: Option<bool>) -> bool {
        self.clock += 1;
        let touched = self.clock;
        let track = self.tracks.entry(conversation).or_insert(Track {
            last_seq: 0,
            part: false,
            watched: false,
            touched,
        });
        if seq <= track.last_seq {
            return false;
        }
        track.last_seq = seq;
        track.touched = touched;
        if let Some(part) = part {
            track.part = part;
        }
        true
    }

    /// The session watches `conversation` (after `watch`) or no longer does.
    pub fn watch(&mut self, conversation: ConversationId, watched: bool) {
        self.clock += 1;
        let touched = self.clock;
        let track = self.tracks.entry(conversation).or_insert(Track {
            last_seq: 0,
            part: false,
            watched,
            touched,
        });
        track.watched = watched;
        track.touched = touched;
    }

    /// The server will not resume these: stop asking for them.
    pub fn refuse(&mut self, refused: &[Refused]) {
        for r in refused {
            self.tracks.remove(&r.conversation);
        }
    }

    /// The last `seq` seen of `conversation`.
    pub fn last_seq(&self, conversation: ConversationId) -> Option<Seq> {
        self.tracks.get(&conversation).map(|t| t.last_seq)
    }

    /// `hello.resume`: the conversations the session is part of or watches,
    /// with their last `seq` — the most recently moved ones, at most
    /// `MAX_RESUME` — sorted by conversation.
    pub fn resume(&self) -> Vec<Resume> {
        let mut kept: Vec<(&ConversationId, &Track)> = self
            .tracks
            .iter()
            .filter(|(_, t)| t.part || t.watched)
            .collect();
        kept.sort_by_key(|(_, t)| std::cmp::Reverse(t.touched));
        kept.truncate(MAX_RESUME);
        let mut resume: Vec<Resume> = kept
            .into_iter()
            .map(|(c, t)| Resume {
                conversation: *c,
                last_seq: t.last_seq,
            })
            .collect();
        resume.sort_by_key(|r| r.conversation);
        resume
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> ClientId {
        ClientId::new(s).unwrap()
    }

    const C1: ConversationId = ConversationId(1);
    const C2: ConversationId = ConversationId(2);

    #[test]
    fn the_outbox_keeps_unanswered_commands_in_order_until_their_answer() {
        let mut ledger: Ledger<&str> = Ledger::default();
        assert_eq!(ledger.submit(&id("a"), &"first"), Submitted::New);
        assert_eq!(ledger.submit(&id("b"), &"second"), Submitted::New);
        assert_eq!(ledger.submit(&id("c"), &"third"), Submitted::New);
        assert_eq!(ledger.settle(&id("b")), Some("second"));
        assert!(ledger.contains(&id("a")) && !ledger.contains(&id("b")));
        let left: Vec<_> = ledger.outbox().map(|(i, c)| (i.as_str(), *c)).collect();
        assert_eq!(left, [("a", "first"), ("c", "third")]);
        assert_eq!(ledger.settle(&id("b")), None, "answered once");
        assert_eq!(ledger.abandon().len(), 2);
        assert_eq!(ledger.outbox().count(), 0);
    }

    #[test]
    fn the_same_id_waits_with_the_same_command_and_refuses_another() {
        let mut ledger: Ledger<&str> = Ledger::default();
        ledger.submit(&id("a"), &"hello");
        assert_eq!(ledger.submit(&id("a"), &"hello"), Submitted::Waiting);
        assert_eq!(ledger.submit(&id("a"), &"bye"), Submitted::IdInUse);
        assert_eq!(ledger.outbox().count(), 1);
        ledger.settle(&id("a"));
        assert_eq!(
            ledger.submit(&id("a"), &"bye"),
            Submitted::New,
            "an answered id may be sent again; the server judges it"
        );
    }

    #[test]
    fn events_at_or_below_the_last_seq_are_duplicates() {
        let mut ledger: Ledger<()> = Ledger::default();
        assert!(ledger.observe(C1, 3, Some(true)));
        assert!(ledger.observe(C1, 4, None));
        assert!(!ledger.observe(C1, 4, None));
        assert!(!ledger.observe(C1, 2, None));
        assert!(ledger.observe(C2, 1, Some(true)), "per conversation");
        assert!(ledger.observe(C1, 9, None), "a gap is not a duplicate");
        assert_eq!(ledger.last_seq(C1), Some(9));
        assert_eq!(ledger.last_seq(C2), Some(1));
    }

    #[test]
    fn resume_lists_what_the_session_is_part_of_or_watches() {
        let mut ledger: Ledger<()> = Ledger::new(&[Resume {
            conversation: ConversationId(30),
            last_seq: 5,
        }]);
        ledger.observe(C1, 8, Some(true));
        ledger.observe(C2, 4, None);
        ledger.observe(ConversationId(3), 2, Some(true));
        ledger.observe(ConversationId(3), 3, Some(false));
        let resume = ledger.resume();
        let listed: Vec<(u64, Seq)> = resume
            .iter()
            .map(|r| (r.conversation.0, r.last_seq))
            .collect();
        assert_eq!(listed, [(1, 8), (30, 5)]);

        ledger.watch(C2, true);
        ledger.refuse(&[Refused {
            conversation: ConversationId(30),
            code: banner_proto::ErrorCode::NotFound,
        }]);
        let listed: Vec<u64> = ledger.resume().iter().map(|r| r.conversation.0).collect();
        assert_eq!(listed, [1, 2]);
        assert_eq!(ledger.last_seq(ConversationId(30)), None);
    }

    #[test]
    fn resume_keeps_the_most_recent_conversations_within_the_limit() {
        let mut ledger: Ledger<()> = Ledger::default();
        let total = MAX_RESUME as u64 + 10;
        for c in 1..=total {
            ledger.observe(ConversationId(c), 1, Some(true));
        }
        ledger.observe(ConversationId(1), 2, None);
        let resume = ledger.resume();
        assert_eq!(resume.len(), MAX_RESUME);
        assert_eq!(resume[0].conversation, ConversationId(1), "moved last");
        assert!(
            resume
                .iter()
                .all(|r| r.conversation.0 == 1 || r.conversation.0 > 11)
        );
    }
}
