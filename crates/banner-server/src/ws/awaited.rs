//! Answers a socket awaits without stopping for them: the `read`s whose
//! receipt the hub holds a moment (`hub::held`). Any other command is
//! answered before the socket reads its next frame, which keeps a client's
//! commands in order; a read changes nothing that a later command depends on,
//! so the socket goes on with the client's frames and the conversation's
//! events while it waits, and sends the `ack` when the answer comes.
//!
//! At most [`MOST_AWAITED`] at a time: past that, the socket reads no more
//! frames until an answer comes (events and answers still go out), so a
//! client that sends reads without pause is slowed to the hub's pace instead
//! of growing this set. It is far above what a reader's held receipts answer
//! at once (`hub::held::MOST_COMMANDS` each, per conversation held), which
//! a socket waiting whole holds would cost every chat of an agent.

use std::future::Future;
use std::pin::Pin;

use banner_proto::ClientId;
use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use tokio::sync::oneshot;

use crate::hub::request::Answer;
use crate::hub::{HubHandle, Refusal, Request};

/// The most answers one socket awaits aside.
pub(crate) const MOST_AWAITED: usize = 512;

type Pending = Pin<Box<dyn Future<Output = (ClientId, Answer)> + Send>>;

/// The answers one socket awaits.
#[derive(Default)]
pub(crate) struct Awaited {
    pending: FuturesUnordered<Pending>,
}

impl Awaited {
    /// Whether another answer may be awaited aside.
    pub(crate) fn has_room(&self) -> bool {
        self.pending.len() < MOST_AWAITED
    }

    /// Sends the command `make` builds to the hub and awaits its answer
    /// aside; a refusal if the hub is gone.
    pub(crate) async fn submit(
        &mut self,
        hub: &HubHandle,
        id: ClientId,
        make: impl FnOnce(oneshot::Sender<Answer>) -> Request,
    ) -> Result<(), Refusal> {
        let answer = hub.submit(make).await?;
        self.push(id, answer);
        Ok(())
    }

    /// Awaits the answer to command `id`; a hub gone before answering
    /// answers `service_unavailable`, so the client sends it again.
    pub(crate) fn push(&mut self, id: ClientId, answer: oneshot::Receiver<Answer>) {
        self.pending.push(Box::pin(async move {
            let answer = answer.await.unwrap_or_else(|_| Err(crate::hub::gone()));
            (id, answer)
        }));
    }

    /// The next answer to come (pending for ever while none is awaited), for
    /// a `select!`: cancel-safe, since an unfinished answer stays in the set.
    pub(crate) async fn next(&mut self) -> (ClientId, Answer) {
        match self.pending.next().await {
            Some(answer) => answer,
            None => std::future::pending().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use banner_proto::{Ack, ErrorCode};

    use super::*;

    fn id(s: &str) -> ClientId {
        ClientId::new(s).expect("an id")
    }

    #[tokio::test]
    async fn answers_come_as_they_are_given_and_a_dropped_one_says_retry() {
        let mut awaited = Awaited::default();
        let (first, first_rx) = oneshot::channel();
        let (second, second_rx) = oneshot::channel::<Answer>();
        awaited.push(id("r1"), first_rx);
        awaited.push(id("r2"), second_rx);
        let ack = Ack {
            id: id("r1"),
            conversation: None,
            seq: Some(4),
        };
        first.send(Ok(ack.clone())).expect("awaited");
        assert_eq!(awaited.next().await, (id("r1"), Ok(ack)));
        drop(second);
        let (which, answer) = awaited.next().await;
        assert_eq!(which, id("r2"));
        assert_eq!(
            answer.map_err(|r| r.code),
            Err(ErrorCode::ServiceUnavailable)
        );
        // Nothing left: pending, not finished.
        let none = tokio::time::timeout(std::time::Duration::from_millis(20), awaited.next());
        assert!(none.await.is_err());
    }

    #[test]
    fn room_runs_out_at_the_most() {
        let mut awaited = Awaited::default();
        let mut senders = Vec::new();
        for n in 0..MOST_AWAITED {
            assert!(awaited.has_room());
            let (tx, rx) = oneshot::channel();
            senders.push(tx);
            awaited.push(id(&format!("r{n}")), rx);
        }
        assert!(!awaited.has_room());
    }
}
