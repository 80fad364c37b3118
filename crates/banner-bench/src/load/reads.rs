//! Read receipts sent as the real clients send them: one `read` of a
//! conversation in flight at a time; what is shown while it waits for its
//! answer is covered by the next one, sent when the answer comes. The
//! widget does this (`ui/src/widget/frame/chat.ts`), and so does the
//! agents' app (`ui/src/banner/components/Conversation.tsx`). Against a
//! server that holds read receipts a moment (`read_receipt_hold_ms`) a busy
//! chat sends a few reads a second instead of one per message; against the
//! relay, which answers at once, nearly one per message.
//!
//! [`Gate`] is the rule; [`Reads`] is a visitor's one conversation, polled
//! in its loop; an agent keeps a gate per conversation and hears of each
//! answer over a channel ([`AgentReads`]).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use banner_client::connection::{agent_command, visitor_command};
use banner_client::{AgentConnection, ClientError, PendingAck, VisitorConnection};
use banner_proto::{Ack, AgentId, ConversationId, Seq};
use tokio::sync::mpsc;

use super::{AckedRead, Shared, lock};

/// One conversation's reads: whether one is in flight, and what was shown
/// since it was sent.
#[derive(Debug, Default)]
struct Gate {
    in_flight: bool,
    shown: Option<Seq>,
}

impl Gate {
    /// `seq` is shown: the read to send now, if none is in flight.
    fn shown(&mut self, seq: Seq) -> Option<Seq> {
        if self.in_flight {
            self.shown = Some(self.shown.map_or(seq, |s| s.max(seq)));
            return None;
        }
        self.in_flight = true;
        Some(seq)
    }

    /// The read in flight was answered: the next to send, if anything was
    /// shown meanwhile.
    fn answered(&mut self) -> Option<Seq> {
        self.in_flight = false;
        let next = self.shown.take()?;
        self.in_flight = true;
        Some(next)
    }
}

/// A visitor's reads of its one conversation.
pub(super) struct Reads {
    conversation: ConversationId,
    gate: Gate,
    in_flight: Option<PendingAck>,
}

impl Reads {
    pub(super) fn new(conversation: ConversationId) -> Self {
        Reads {
            conversation,
            gate: Gate::default(),
            in_flight: None,
        }
    }

    /// The events up to `seq` are shown.
    pub(super) fn shown(&mut self, ws: &VisitorConnection, seq: Seq, shared: &Arc<Shared>) {
        if let Some(seq) = self.gate.shown(seq) {
            self.send(ws, seq, shared);
        }
    }

    /// Whether a read waits for its answer.
    pub(super) fn waiting(&self) -> bool {
        self.in_flight.is_some()
    }

    /// The answer to the read in flight (pending for ever without one).
    pub(super) async fn answer(&mut self) -> Result<Ack, ClientError> {
        match self.in_flight.as_mut() {
            Some(pending) => pending.await,
            None => std::future::pending().await,
        }
    }

    /// The read in flight was answered: count a refusal, and read what was
    /// shown meanwhile.
    pub(super) fn answered(
        &mut self,
        answer: Result<Ack, ClientError>,
        ws: &VisitorConnection,
        shared: &Arc<Shared>,
    ) {
        self.in_flight = None;
        if let Err(e) = answer {
            shared.failed("visitor read", &e);
        }
        if let Some(seq) = self.gate.answered() {
            self.send(ws, seq, shared);
        }
    }

    /// Waits (up to `within`) until everything shown is read and answered,
    /// before the socket closes, which would cut off the last answers.
    pub(super) async fn finish(
        &mut self,
        ws: &VisitorConnection,
        shared: &Arc<Shared>,
        within: Duration,
    ) {
        let settled = tokio::time::Instant::now() + within;
        while self.waiting() {
            match tokio::time::timeout_at(settled, self.answer()).await {
                Ok(answer) => self.answered(answer, ws, shared),
                Err(_) => {
                    shared.count_error("visitor read", "no answer in time");
                    return;
                }
            }
        }
    }

    fn send(&mut self, ws: &VisitorConnection, seq: Seq, shared: &Arc<Shared>) {
        match ws.submit(visitor_command::read(self.conversation, seq)) {
            Ok(pending) => self.in_flight = Some(pending),
            Err(e) => {
                self.gate.answered();
                shared.failed("visitor read", &e);
            }
        }
    }
}

/// An agent's reads, a gate per conversation. Each read's answer is awaited
/// in a task of its own, which sends the conversation back over `answers`
/// for the agent's loop to call [`AgentReads::answered`] with. A read
/// counts as unanswered (`Shared::unanswered`) until the loop has handled
/// its answer, so the run never ends between an answer and the read after it.
pub(super) struct AgentReads {
    gates: HashMap<ConversationId, Gate>,
    answers: mpsc::UnboundedSender<ConversationId>,
    /// Whose reads these are (for [`AckedRead`]).
    me: AgentId,
}

impl AgentReads {
    /// Agent `me`'s gates, and where their answers come back.
    pub(super) fn new(me: AgentId) -> (Self, mpsc::UnboundedReceiver<ConversationId>) {
        let (answers, rx) = mpsc::unbounded_channel();
        let reads = AgentReads {
            gates: HashMap::new(),
            answers,
            me,
        };
        (reads, rx)
    }

    /// The agent has shown `c` up to `seq`.
    pub(super) fn shown(
        &mut self,
        ws: &AgentConnection,
        c: ConversationId,
        seq: Seq,
        shared: &Arc<Shared>,
    ) {
        if let Some(seq) = self.gates.entry(c).or_default().shown(seq) {
            self.send(ws, c, seq, shared);
        }
    }

    /// A read of `c` was answered: read what was shown meanwhile.
    pub(super) fn answered(
        &mut self,
        ws: &AgentConnection,
        c: ConversationId,
        shared: &Arc<Shared>,
    ) {
        if let Some(seq) = self.gates.entry(c).or_default().answered() {
            self.send(ws, c, seq, shared);
        }
        shared.unanswered.fetch_sub(1, Ordering::Relaxed);
    }

    fn send(&mut self, ws: &AgentConnection, c: ConversationId, seq: Seq, shared: &Arc<Shared>) {
        match ws.submit(agent_command::read(c, seq)) {
            Ok(pending) => {
                shared.unanswered.fetch_add(1, Ordering::Relaxed);
                let (shared, answers) = (Arc::clone(shared), self.answers.clone());
                let agent = self.me;
                tokio::spawn(async move {
                    match pending.await {
                        Ok(ack) => {
                            if let Some(acked) = &shared.acked_reads {
                                lock(acked).push(AckedRead {
                                    conversation: c,
                                    seq: ack.seq,
                                    up_to: seq,
                                    agent,
                                    client_id: ack.id.as_str().to_owned(),
                                });
                            }
                        }
                        Err(e) => shared.failed("agent read", &e),
                    }
                    if answers.send(c).is_err() {
                        // The agent's loop is gone: nobody follows up.
                        shared.unanswered.fetch_sub(1, Ordering::Relaxed);
                    }
                });
            }
            Err(e) => {
                self.gates.entry(c).or_default().answered();
                shared.failed("agent read", &e);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gate_sends_one_read_at_a_time_and_the_next_covers_all_shown() {
        let mut gate = Gate::default();
        assert_eq!(gate.shown(3), Some(3));
        assert_eq!(gate.shown(5), None);
        assert_eq!(gate.shown(4), None);
        assert_eq!(gate.answered(), Some(5), "one read for 4 and 5");
        assert_eq!(gate.shown(6), None, "5's read is in flight");
        assert_eq!(gate.answered(), Some(6));
        assert_eq!(gate.answered(), None);
        assert_eq!(gate.shown(7), Some(7));
    }
}
