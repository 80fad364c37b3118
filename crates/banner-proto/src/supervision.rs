//! The supervisor's live view: queues, agents and conversations now.
//! `GET /v1/supervision` answers it; the `supervision_changed` frame repeats it
//! whole after changes once a supervisor sent `subscribe_supervision`. Both need
//! the `monitor` permission.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::agent::{AgentRef, Presence};
use crate::conversation::VisitorInfo;
use crate::ids::{ConversationId, UnixMillis};
use crate::routing::{Place, QueueRef};

/// Everything a supervisor watches, as of `at`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Supervision {
    /// When the server took this snapshot.
    pub at: UnixMillis,
    /// Every queue.
    pub queues: Vec<QueueLive>,
    /// Every agent.
    pub agents: Vec<AgentLive>,
    /// Every conversation with an interaction running (not idle, not ended).
    pub conversations: Vec<ConversationLive>,
}

/// A queue's live figures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct QueueLive {
    /// The queue.
    pub queue: QueueRef,
    /// Chats in its "Messages pending".
    pub waiting: u32,
    /// Since when the chat waiting longest waits (`null`: none waits).
    pub oldest_since: Option<UnixMillis>,
    /// Members available to chat with room for one more.
    pub eligible_agents: u32,
}

/// An agent's live figures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AgentLive {
    /// The agent.
    pub agent: AgentRef,
    /// Presence now.
    pub presence: Presence,
    /// Offers ringing plus chats held.
    pub load: u32,
    /// Configured capacity.
    pub capacity: u32,
    /// Chats ringing this agent.
    pub offers: Vec<ConversationId>,
    /// Since when the agent's workload is unchanged (the longest idle is
    /// offered first).
    pub idle_since: UnixMillis,
}

/// A running conversation, for the live monitor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ConversationLive {
    /// The chat.
    pub conversation: ConversationId,
    /// Who is chatting.
    pub visitor: VisitorInfo,
    /// Where it stands.
    pub place: Place,
    /// The queue of the current interaction, if any.
    pub queue: Option<QueueRef>,
    /// The agent holding it, or the one it rings.
    pub agent: Option<AgentRef>,
    /// When the current interaction started.
    pub started_at: UnixMillis,
    /// Since when the visitor waits for an agent, while pending or offered.
    pub waiting_since: Option<UnixMillis>,
}
