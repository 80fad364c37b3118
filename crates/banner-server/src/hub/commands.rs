//! Idempotent commands: each `(sender, client id)` is applied once. A retry
//! with the same frame gets the original `ack` (or waits for it while the first
//! is being committed); the same id with a different frame is a `conflict`. A
//! refused command leaves no trace, so sending it again runs it again.
//!
//! The table lives in memory and is rebuilt at start from the log of every
//! open conversation (each recording event keeps its sender, client id and the
//! frame's digest). Commands that record nothing in a conversation's log
//! (`set_presence`…) are remembered until the server stops: they are harmless
//! to apply twice.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use banner_proto::{Ack, ClientId, ErrorCode};
use tokio::sync::oneshot;

use super::request::{Answer, Principal, Refusal};

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
    Done { fingerprint: [u8; 32], ack: Ack },
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
    seen: HashMap<CommandKey, State>,
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
        self.seen.insert(key, State::Done { fingerprint, ack });
    }
}
