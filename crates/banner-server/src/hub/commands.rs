//! Idempotent commands: each `(sender, client id)` is applied once. A retry
//! with the same frame gets the original `ack` (or waits for it while the first
//! is being committed); the same id with a different frame is a `conflict`. A
//! refused command leaves no trace, so sending it again runs it again.
//!
//! The table lives in memory and is rebuilt at start from the log of every
//! open conversation (each recording event keeps its sender, client id and the
//! frame's digest).
//!
//! # Trimming
//!
//! The table must not grow with every command ever sent, so the hub calls
//! [`Commands::trim`] every few minutes (`hub::sweep`). A committed entry
//! goes when it is of no more use:
//!
//! - it recorded nothing in a log (`set_presence`, notification settings: its
//!   `ack` has no `seq`). Such commands are harmless to apply twice — they set
//!   a value, and setting it again changes nothing — which is also why a
//!   restart never brought them back;
//! - its conversation is over for good: the engine has forgotten it, and a
//!   restart would not bring its entries back either (only open
//!   conversations' logs are read).
//!
//! Either kind is kept for at least one sweep interval after it became
//! eligible — a sweep marks it, the next removes it — so that a client's
//! retry after a reconnect, which comes within seconds, still gets its
//! original `ack`. Entries still pending are never trimmed, and unrecorded
//! entries beyond [`MAX_UNRECORDED`] go at the next sweep however young.

use std::collections::hash_map::Entry;

use banner_core::ConversationId;
use banner_proto::{Ack, ClientId, ErrorCode};
use tokio::sync::oneshot;

use super::request::{Answer, Principal, Refusal};
use super::sharded::ShardedMap;

/// Unrecorded entries above this many are trimmed at the next sweep without
/// waiting to be marked: a bound however fast clients send them.
pub const MAX_UNRECORDED: usize = 100_000;

/// Who sent it, and their id for it.
pub type CommandKey = (Principal, ClientId);

#[derive(Debug)]
enum State {
    /// Applied to the engine, not yet committed: retries wait here.
    Pending {
        fingerprint: [u8; 32],
        waiters: Vec<oneshot::Sender<Answer>>,
    },
    /// Committed.
    Done {
        fingerprint: [u8; 32],
        ack: Ack,
        /// Found trimmable by the previous sweep: the next one removes it.
        marked: bool,
    },
}

/// What to do with an incoming command.
pub enum Verdict {
    /// New: apply it.
    Apply(oneshot::Sender<Answer>),
    /// Already answered or waiting: nothing to do.
    Handled,
}

/// The table of commands seen.
#[derive(Debug, Default)]
pub struct Commands {
    /// Sharded: it holds every command of every open conversation, and one
    /// map that large would stop the hub whenever it grew.
    seen: ShardedMap<CommandKey, State>,
}

impl Commands {
    /// Answers a retry, queues it behind the original, refuses a conflicting
    /// one, or says to apply a new one.
    pub fn check(
        &mut self,
        key: &CommandKey,
        fingerprint: [u8; 32],
        reply: oneshot::Sender<Answer>,
    ) -> Verdict {
        let conflict = || {
            Err(Refusal::new(
                ErrorCode::Conflict,
                format!(
                    "Command id {} was already used for a different command; make a new id for each command.",
                    key.1.as_str()
                ),
            ))
        };
        match self.seen.get_mut(key) {
            None => Verdict::Apply(reply),
            Some(State::Done {
                fingerprint: f,
                ack,
                ..
            }) => {
                let _ = reply.send(if *f == fingerprint {
                    Ok(ack.clone())
                } else {
                    conflict()
                });
                Verdict::Handled
            }
            Some(State::Pending {
                fingerprint: f,
                waiters,
            }) => {
                if *f == fingerprint {
                    waiters.push(reply);
                } else {
                    let _ = reply.send(conflict());
                }
                Verdict::Handled
            }
        }
    }

    /// The command was applied; its answer follows the commit.
    pub fn begin(&mut self, key: CommandKey, fingerprint: [u8; 32]) {
        self.seen.insert(
            key,
            State::Pending {
                fingerprint,
                waiters: Vec::new(),
            },
        );
    }

    /// The commit is done: remembers a success (forgets a failure) and returns
    /// the retries waiting for the answer.
    pub fn finish(&mut self, key: CommandKey, answer: &Answer) -> Vec<oneshot::Sender<Answer>> {
        let Entry::Occupied(mut entry) = self.seen.entry(key) else {
            return Vec::new();
        };
        let State::Pending {
            fingerprint,
            waiters,
        } = entry.get_mut()
        else {
            return Vec::new();
        };
        let waiters = std::mem::take(waiters);
        match answer {
            Ok(ack) => {
                let fingerprint = *fingerprint;
                entry.insert(State::Done {
                    fingerprint,
                    ack: ack.clone(),
                    marked: false,
                });
            }
            Err(_) => {
                entry.remove();
            }
        }
        waiters
    }

    /// Remembers a command found in the log at start.
    pub fn remember(&mut self, key: CommandKey, fingerprint: [u8; 32], ack: Ack) {
        self.seen.insert(
            key,
            State::Done {
                fingerprint,
                ack,
                marked: false,
            },
        );
    }

    /// One sweep (see the module docs): removes the entries the previous
    /// sweep marked and still trimmable, and marks the others that are.
    /// Returns how many it removed.
    pub fn trim(&mut self, ended: impl Fn(ConversationId) -> bool) -> usize {
        let before = self.seen.len();
        let unrecorded = self
            .seen
            .values()
            .filter(|s| matches!(s, State::Done { ack, .. } if ack.seq.is_none()))
            .count();
        let flood = unrecorded > MAX_UNRECORDED;
        self.seen.retain(|_, state| {
            let State::Done { ack, marked, .. } = state else {
                return true;
            };
            let unrecorded = ack.seq.is_none();
            let over = ack.conversation.is_some_and(|c| ended(ConversationId(c.0)));
            if !(unrecorded || over) {
                return true;
            }
            if *marked || (unrecorded && flood) {
                return false;
            }
            *marked = true;
            true
        });
        before - self.seen.len()
    }

    /// How many commands the table holds.
    pub fn len(&self) -> usize {
        self.seen.len()
    }
}

#[cfg(test)]
mod tests {
    use banner_core::AgentId;
    use banner_proto::ConversationId as WireId;

    use super::*;
    use crate::hub::request::Principal;

    fn key(n: u32) -> CommandKey {
        let id = ClientId::new(format!("c{n}")).unwrap_or_else(|e| panic!("{e:?}"));
        (Principal::Agent(AgentId(4)), id)
    }

    fn done(table: &mut Commands, n: u32, conversation: Option<u64>, seq: Option<u64>) {
        let ack = Ack {
            id: key(n).1,
            conversation: conversation.map(WireId),
            seq,
        };
        table.remember(key(n), [0; 32], ack);
    }

    fn retry(table: &mut Commands, n: u32) -> Option<Answer> {
        let (tx, mut rx) = oneshot::channel();
        match table.check(&key(n), [0; 32], tx) {
            Verdict::Apply(_) => None,
            Verdict::Handled => rx.try_recv().ok(),
        }
    }

    #[test]
    fn unrecorded_and_ended_entries_go_after_two_sweeps_and_the_rest_stay() {
        let mut table = Commands::default();
        done(&mut table, 1, None, None); // set_presence
        done(&mut table, 2, Some(7), Some(3)); // a message in open conversation 7
        done(&mut table, 3, Some(8), Some(5)); // a message in conversation 8, which ends
        table.begin(key(4), [0; 32]); // being committed
        let ended = |c: ConversationId| c.0 == 8;

        assert_eq!(table.trim(ended), 0, "the first sweep only marks");
        assert!(
            matches!(retry(&mut table, 1), Some(Ok(_))),
            "a quick retry still gets its ack"
        );
        assert_eq!(table.trim(ended), 2);
        assert!(retry(&mut table, 1).is_none(), "trimmed: applied again");
        assert!(retry(&mut table, 3).is_none());
        assert!(matches!(retry(&mut table, 2), Some(Ok(a)) if a.seq == Some(3)));
        assert_eq!(
            table.trim(ended),
            0,
            "open conversations and pending commands stay"
        );
        assert_eq!(table.len(), 2);
    }

    #[test]
    fn a_flood_of_unrecorded_entries_goes_at_the_next_sweep() {
        let mut table = Commands::default();
        let n = u32::try_from(MAX_UNRECORDED).unwrap_or(u32::MAX) + 1;
        for i in 0..n {
            done(&mut table, i, None, None);
        }
        done(&mut table, n, Some(7), Some(1));
        assert_eq!(table.trim(|_| false), n as usize);
        assert_eq!(table.len(), 1);
    }
}
