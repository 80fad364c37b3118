//! A visitor's read receipts, sent as the widget sends them
//! (`ui/src/widget/frame/chat.ts`): one `read` in flight at a time; what is
//! shown while it waits for its answer is covered by the next one, sent
//! when the answer comes. Against a server that holds read receipts a
//! moment (`read_receipt_hold_ms`) a busy chat sends a few reads a second
//! instead of one per message, as a real widget does; against the relay,
//! which answers at once, nearly one per message.

use std::sync::Arc;
use std::time::Duration;

use banner_client::connection::visitor_command;
use banner_client::{ClientError, PendingAck, VisitorConnection};
use banner_proto::{Ack, ConversationId, Seq};

use super::Shared;

/// The reads of one visitor's conversation.
pub(super) struct Reads {
    conversation: ConversationId,
    /// The read waiting for its answer.
    in_flight: Option<PendingAck>,
    /// Shown since that read was sent: the next one covers up to here.
    shown: Option<Seq>,
}

impl Reads {
    pub(super) fn new(conversation: ConversationId) -> Self {
        Reads {
            conversation,
            in_flight: None,
            shown: None,
        }
    }

    /// The events up to `seq` are shown: read them now, or after the read
    /// in flight is answered.
    pub(super) fn shown(&mut self, ws: &VisitorConnection, seq: Seq, shared: &Arc<Shared>) {
        if self.in_flight.is_some() {
            self.shown = Some(self.shown.map_or(seq, |s| s.max(seq)));
        } else {
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
        if let Some(seq) = self.shown.take() {
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
            Err(e) => shared.failed("visitor read", &e),
        }
    }
}
