//! Catching up from the store: the events of a conversation after a `seq`, as
//! the log keeps them (the wire form agents see), page by page.

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
