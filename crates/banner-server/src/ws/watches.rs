//! The conversations a socket follows: one broadcast receiver each, polled
//! together. A receiver that fell behind reports a gap, which the socket fills
//! from the store. `ready` collects what is already in the channels without
//! waiting — used before an `ack`, so that the command's events go first.

use std::collections::HashMap;
use std::pin::Pin;

use banner_core::ConversationId;
use futures_util::FutureExt;
use futures_util::stream::{FuturesUnordered, StreamExt};
use tokio::sync::broadcast::{self, error::RecvError};

use crate::hub::fanout::ConversationFeed;

type Received = (
    ConversationId,
    u64,
    Result<ConversationFeed, RecvError>,
    broadcast::Receiver<ConversationFeed>,
);
type Recv = Pin<Box<dyn Future<Output = Received> + Send>>;

/// What following a conversation brought.
pub(crate) enum Watched {
    /// The next committed event.
    Event(ConversationFeed),
    /// Events were missed: catch up from the store.
    Gap(ConversationId),
}

/// The followed conversations.
#[derive(Default)]
pub(crate) struct Watches {
    generations: HashMap<ConversationId, u64>,
    next_generation: u64,
    receiving: FuturesUnordered<Recv>,
}

fn receive(
    c: ConversationId,
    generation: u64,
    mut rx: broadcast::Receiver<ConversationFeed>,
) -> Recv {
    Box::pin(async move {
        let got = rx.recv().await;
        (c, generation, got, rx)
    })
}

impl Watches {
    /// Follows `c` with `rx` (replacing an earlier receiver).
    pub(crate) fn add(&mut self, c: ConversationId, rx: broadcast::Receiver<ConversationFeed>) {
        self.next_generation += 1;
        self.generations.insert(c, self.next_generation);
        self.receiving.push(receive(c, self.next_generation, rx));
    }

    /// Stops following `c`.
    pub(crate) fn remove(&mut self, c: ConversationId) -> bool {
        self.generations.remove(&c).is_some()
    }

    /// Whether `c` is followed.
    pub(crate) fn contains(&self, c: ConversationId) -> bool {
        self.generations.contains_key(&c)
    }

    /// The followed conversations.
    pub(crate) fn ids(&self) -> Vec<ConversationId> {
        self.generations.keys().copied().collect()
    }

    fn take(&mut self, (c, generation, got, rx): Received) -> Option<Watched> {
        if self.generations.get(&c) != Some(&generation) {
            return None;
        }
        match got {
            Ok(event) => {
                self.receiving.push(receive(c, generation, rx));
                Some(Watched::Event(event))
            }
            Err(RecvError::Lagged(_)) => {
                self.receiving.push(receive(c, generation, rx));
                Some(Watched::Gap(c))
            }
            Err(RecvError::Closed) => {
                self.generations.remove(&c);
                None
            }
        }
    }

    /// The next event of any followed conversation (pending while none is).
    pub(crate) async fn next(&mut self) -> Watched {
        loop {
            match self.receiving.next().await {
                Some(received) => {
                    if let Some(w) = self.take(received) {
                        return w;
                    }
                }
                None => std::future::pending::<()>().await,
            }
        }
    }

    /// An event already waiting in a channel, if any.
    pub(crate) fn ready(&mut self) -> Option<Watched> {
        while let Some(Some(received)) = self.receiving.next().now_or_never() {
            if let Some(w) = self.take(received) {
                return Some(w);
            }
        }
        None
    }
}
