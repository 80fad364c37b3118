//! An agent's pool — the lists the Banner shows: offers ringing them, "In
//! progress", "Messages pending", "Messages pending customers", wrap-up and
//! history. `GET /v1/pool` answers it; the `pool_changed` frame repeats it whole
//! after every change once the agent sent `subscribe_pool`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::agent::Presence;
use crate::conversation::VisitorInfo;
use crate::error::ErrorCode;
use crate::ids::{ConversationId, UnixMillis};
use crate::message::LatestMessage;
use crate::routing::{Offer, QueueRef};

/// An agent's pool, as of `at`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Pool {
    /// When the server took this snapshot.
    pub at: UnixMillis,
    /// The agent's presence.
    pub presence: Presence,
    /// Offers ringing the agent plus chats they hold.
    pub load: u32,
    /// How many chats the agent takes at once.
    pub capacity: u32,
    /// Offers ringing the agent (the incoming popups).
    pub offers: Vec<Offer>,
    /// "In progress": the agent's active chats.
    pub in_progress: Vec<InProgressChat>,
    /// "Messages pending": chats of the agent's queues, and direct chats for
    /// them, waiting to be picked, in the order the router would serve them.
    pub pending: Vec<PendingChat>,
    /// "Messages pending customers": the agent's chats waiting for the
    /// customer's reply, frozen or not.
    pub pending_customers: Vec<PendingCustomerChat>,
    /// Chats in the agent's wrap-up.
    pub wrap_up: Vec<WrapUpChat>,
    /// The agent's latest finished interactions, newest first, at most
    /// [`POOL_HISTORY`](crate::limits::POOL_HISTORY) (older ones:
    /// `GET /v1/history`).
    pub history: Vec<HistoryChat>,
}

/// A row of "In progress".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct InProgressChat {
    /// The chat.
    pub conversation: ConversationId,
    /// Who is chatting.
    pub visitor: VisitorInfo,
    /// Its queue (`null`: direct routing).
    pub queue: Option<QueueRef>,
    /// Its latest message.
    pub latest: Option<LatestMessage>,
    /// Messages after the agent's last `read`.
    pub unread: u32,
    /// When its interaction started.
    pub started_at: UnixMillis,
}

/// A row of "Messages pending".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PendingChat {
    /// The chat.
    pub conversation: ConversationId,
    /// Who is chatting.
    pub visitor: VisitorInfo,
    /// Its queue (`null`: direct routing to this agent).
    pub queue: Option<QueueRef>,
    /// Since when it waits.
    pub waiting_since: UnixMillis,
    /// Whether the hand button works.
    pub can_pick: bool,
    /// Why not, when `can_pick` is false: `at_capacity`, `not_a_member`,
    /// `forbidden` or `unavailable`.
    pub reason: Option<ErrorCode>,
}

/// A row of "Messages pending customers".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PendingCustomerChat {
    /// The chat.
    pub conversation: ConversationId,
    /// Who is chatting.
    pub visitor: VisitorInfo,
    /// Frozen: outside the agent's capacity until the customer replies.
    pub frozen: bool,
    /// Since when it waits for the customer.
    pub since: UnixMillis,
}

/// A chat in the agent's wrap-up (post-processing).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WrapUpChat {
    /// The chat.
    pub conversation: ConversationId,
    /// Who was chatting.
    pub visitor: VisitorInfo,
    /// When wrap-up completes by itself (the queue's wrap-up limit).
    pub deadline: UnixMillis,
}

/// A finished interaction in the agent's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HistoryChat {
    /// The chat.
    pub conversation: ConversationId,
    /// Who was chatting.
    pub visitor: VisitorInfo,
    /// When the interaction ended.
    pub ended_at: UnixMillis,
}
