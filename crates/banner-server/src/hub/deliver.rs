//! After the commit: each event goes out with its `seq` (to the conversation's
//! channel and the agents part of it), then the presence changes and
//! notifications, then the command's answer — in that order, so a command's
//! own events reach its sender before its `ack`.

use std::sync::Arc;

use banner_proto::{Ack, ErrorCode, Logged};
use banner_store::Store;

use super::commit::Committed;
use super::fanout::AgentFeed;
use super::record::{Applied, Batch, Waiting};
use super::request::{self, Refusal};
use super::{Hub, HubError};
use crate::wire;

impl<S: Store> Hub<S> {
    /// A batch is durable: fan it out, then answer.
    pub(super) fn committed(&mut self, (batch, result): Committed) -> Result<(), HubError> {
        let stored = match result {
            Ok(stored) => stored,
            Err(e) => {
                tracing::error!(error = %e, "commit failed; stopping so a restart rebuilds from the log");
                answer(
                    batch.waiting,
                    Err(Refusal::new(
                        ErrorCode::Internal,
                        "The server could not save this; retry with the same command id.",
                    )),
                );
                return Err(e.into());
            }
        };
        let mut seqs = Vec::with_capacity(stored.len());
        for ((c, event), appended) in batch.events.into_iter().zip(&stored) {
            seqs.push(appended.event.seq);
            let logged = Arc::new(Logged {
                conversation: Batch::wire(c),
                seq: appended.event.seq,
                at: batch.at,
                event,
            });
            // The actor hears of their own conversation, not of chats the
            // command happened to route elsewhere.
            let actor = batch.actor.filter(|_| batch.about == Some(c));
            self.ledger.observe(&logged);
            self.fanout.event(c, logged, actor);
        }
        for (agent, presence) in batch.presence {
            let at = batch.at;
            self.fanout
                .to_agent(agent, AgentFeed::Presence { presence, at });
        }
        for n in batch.notifications {
            let feed = AgentFeed::Notification {
                kind: wire::notification_kind(n.kind),
                conversation: n.conversation,
                at: batch.at,
            };
            self.fanout.to_agent(n.agent, feed);
        }
        // Views after the events, so a pool never shows a chat whose events
        // have not gone out.
        self.views_changed();
        match batch.waiting {
            Waiting::Nobody => {}
            Waiting::Refused { reply, refusal } => {
                let _ = reply.send(Err(refusal));
            }
            Waiting::Applied(applied) => {
                for Applied {
                    key,
                    reply,
                    conversation,
                    record,
                } in applied
                {
                    let answer: request::Answer = Ok(Ack {
                        id: key.1.clone(),
                        conversation: conversation.map(Batch::wire),
                        seq: record.and_then(|i| seqs.get(i).copied()),
                    });
                    for waiter in self.commands.finish(key, &answer) {
                        let _ = waiter.send(answer.clone());
                    }
                    let _ = reply.send(answer);
                }
            }
        }
        Ok(())
    }
}

/// Answers whoever waits on a batch that will not be committed.
pub(super) fn answer(waiting: Waiting, answer: request::Answer) {
    match waiting {
        Waiting::Nobody => {}
        Waiting::Applied(applied) => {
            for Applied { reply, .. } in applied {
                let _ = reply.send(answer.clone());
            }
        }
        Waiting::Refused { reply, .. } => {
            let _ = reply.send(answer);
        }
    }
}
