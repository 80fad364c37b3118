//! Catching up from the store: the events of a conversation after a `seq`, as
//! the log keeps them (the wire form agents see), page by page; and the
//! catching-up loop both sockets run ([`Follower`], [`catch_up`]), each
//! sending the events its side sees.

use std::collections::HashMap;

use banner_core::ConversationId;
use banner_proto::{AgentEvent, ErrorCode, Logged, Seq};
use banner_store::Store;

use crate::clock;
use crate::hub::Refusal;
use crate::hub::record::Envelope;
use crate::wire;

/// Events read per store query.
pub(crate) const PAGE: u32 = 500;

fn store_id(c: ConversationId) -> banner_store::ConversationId {
    banner_store::ConversationId(i64::try_from(c.0).unwrap_or(i64::MAX))
}

/// The log's last `seq` now.
pub(crate) async fn latest<S: Store>(store: &S, c: ConversationId) -> Result<Seq, Refusal> {
    store
        .latest_seq(store_id(c))
        .await
        .map_err(|e| Refusal::new(wire::codes::store_code(&e), e.to_string()))
}

/// A socket that follows conversations: what it has sent of each, and how it
/// sends one event (an agent sees every event, a visitor its own view).
pub(crate) trait Follower {
    /// The store it catches up from.
    type Store: Store;

    fn store(&self) -> &Self::Store;

    /// The last `seq` passed on per conversation (sent, or seen and skipped).
    fn sent(&mut self) -> &mut HashMap<ConversationId, Seq>;

    /// Sends `event` as this side sees it; false once the socket is gone.
    /// Called only with an event after the last one passed on.
    async fn send_event(&mut self, event: &Logged<AgentEvent>) -> bool;

    /// Tells the client a catch-up failed; false once the socket is gone.
    async fn refuse(&mut self, refusal: Refusal) -> bool;
}

/// Sends what the store has of `c` after what `follower` passed on, page by
/// page; false once the socket is gone.
pub(crate) async fn catch_up<F: Follower>(follower: &mut F, c: ConversationId) -> bool {
    loop {
        let after = follower.sent().get(&c).copied().unwrap_or(0);
        let page = match page(follower.store(), c, after).await {
            Ok(page) => page,
            Err(r) => return follower.refuse(r).await,
        };
        let full = page.len() >= PAGE as usize;
        for event in page {
            if !deliver(follower, &event).await {
                return false;
            }
        }
        if !full {
            return true;
        }
    }
}

/// Passes `event` on once, in order: an event at or before the last one
/// passed on (replayed and live copies cross) is dropped.
pub(crate) async fn deliver<F: Follower>(follower: &mut F, event: &Logged<AgentEvent>) -> bool {
    let last = follower
        .sent()
        .entry(wire::conversation_to_core(event.conversation))
        .or_insert(0);
    if event.seq <= *last {
        return true;
    }
    *last = event.seq;
    follower.send_event(event).await
}

/// Up to [`PAGE`] events after `after`.
pub(crate) async fn page<S: Store>(
    store: &S,
    c: ConversationId,
    after: Seq,
) -> Result<Vec<Logged<AgentEvent>>, Refusal> {
    page_of(store, c, after, PAGE).await
}

/// Up to `limit` events after `after`.
pub(crate) async fn page_of<S: Store>(
    store: &S,
    c: ConversationId,
    after: Seq,
    limit: u32,
) -> Result<Vec<Logged<AgentEvent>>, Refusal> {
    let stored = store
        .events_after(store_id(c), after, limit)
        .await
        .map_err(|e| Refusal::new(wire::codes::store_code(&e), e.to_string()))?;
    stored
        .into_iter()
        .map(|e| {
            let envelope: Envelope = serde_json::from_str(&e.body).map_err(|err| {
                Refusal::new(
                    ErrorCode::Internal,
                    format!(
                        "event {} of conversation {} is unreadable: {err}",
                        e.seq, c.0
                    ),
                )
            })?;
            Ok(Logged {
                conversation: wire::conversation_to_proto(c),
                seq: e.seq,
                at: clock::store_to_wire(e.created_at),
                event: envelope.event,
            })
        })
        .collect()
}
