//! Where chats go: queues and flows as shown, where a conversation stands,
//! offers (the incoming popup), transfers, and the reasons routing records.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::agent::AgentRef;
use crate::conversation::VisitorInfo;
use crate::ids::{AgentId, ConversationId, FlowId, QueueId, UnixMillis};

/// A queue as shown: id and label.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct QueueRef {
    /// Identity.
    pub id: QueueId,
    /// The label agents see in the pool and the popup.
    pub label: String,
}

/// A smart routing flow as shown: id and name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct FlowRef {
    /// Identity.
    pub id: FlowId,
    /// The flow's name.
    pub name: String,
}

/// The popup's colour and title: raspberry red for smart routing (through a
/// queue), ocean blue for direct routing (to one agent).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RoutingKind {
    /// Through a queue.
    Smart,
    /// Straight to one named agent.
    Direct,
}

/// How a conversation's interactions are routed (its entry point).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Entry {
    /// Smart routing runs this flow first.
    Flow {
        /// The flow.
        flow: FlowRef,
    },
    /// Straight into a queue.
    Queue {
        /// The queue.
        queue: QueueRef,
    },
    /// Direct routing to one agent; a decline or timeout goes to `fallback`.
    Direct {
        /// The agent.
        agent: AgentRef,
        /// Where the chat goes if the agent does not take it.
        fallback: Option<QueueRef>,
    },
}

/// Where a conversation stands: exactly one of these at any time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// No interaction running (new, or a customer between interactions).
    Idle,
    /// Smart routing is qualifying it.
    Routing,
    /// In "Messages pending" of a queue, or of one agent (direct routing).
    Pending,
    /// Ringing one agent.
    Offered,
    /// Held by one agent ("In progress").
    Active,
    /// Waiting for the customer's reply, frozen or not.
    PendingCustomer,
    /// Archived, in the agent's wrap-up.
    WrapUp,
    /// Over for good (anonymous visitors).
    Ended,
}

/// The stage of an offer; each ends at the offer's `deadline`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OfferPhase {
    /// Shown "In preview" until the deadline, then it rings (or counts down).
    Preview,
    /// Ringing with a countdown to the deadline; then it goes to someone else.
    Ringing,
    /// Accepted automatically at the deadline, after a visible countdown.
    AutoAccept,
}

/// How a transfer lets go of the chat.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TransferMode {
    /// The sender keeps the chat until the target accepts; a refusal returns it.
    Attended,
    /// The sender lets go at once.
    Blind,
}

/// What kind of thing a transfer sends the chat to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TransferTargetKind {
    /// Another user; `id` is an agent id.
    User,
    /// A queue (distribution picks the agent); `id` is a queue id.
    Queue,
    /// A smart routing flow, to qualify the chat again (blind only); `id` is a
    /// flow id.
    Flow,
}

/// Where a transfer command sends the chat.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct TransferTarget {
    /// A user, a queue or a flow.
    pub kind: TransferTargetKind,
    /// The agent, queue or flow id, as `kind` says.
    pub id: u32,
}

/// Where a transfer sends the chat, as shown: with the target's name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct TransferTargetRef {
    /// A user, a queue or a flow.
    pub kind: TransferTargetKind,
    /// The agent, queue or flow id, as `kind` says.
    pub id: u32,
    /// The agent's name, the queue's label or the flow's name.
    pub label: String,
}

/// Who transferred an offered chat, and how: shown in the popup.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct TransferInfo {
    /// The agent who sent it.
    pub from: AgentRef,
    /// Attended or blind.
    pub mode: TransferMode,
}

/// A chat ringing one agent: the incoming popup.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Offer {
    /// The chat.
    pub conversation: ConversationId,
    /// The agent it rings.
    pub agent: AgentRef,
    /// Smart (raspberry red) or direct (ocean blue).
    pub kind: RoutingKind,
    /// The queue it comes from, if any.
    pub queue: Option<QueueRef>,
    /// Who is chatting.
    pub visitor: VisitorInfo,
    /// Since when the visitor waits.
    pub waiting_since: UnixMillis,
    /// Set when the chat was transferred.
    pub transfer: Option<TransferInfo>,
    /// Preview, ringing, or auto-accept countdown.
    pub phase: OfferPhase,
    /// When the phase ends.
    pub deadline: UnixMillis,
    /// The first node of the queue's script, when the agent may run scripts.
    pub script_first_node: Option<String>,
    /// A frozen chat coming back to the agent who last held it.
    pub returning: bool,
}

/// How a chat became active for an agent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AssignedBy {
    /// The agent accepted the offer.
    Accepted,
    /// The auto-accept countdown ended.
    AutoAccepted,
    /// The agent picked it from "Messages pending".
    Picked,
    /// A transfer completed.
    Transferred,
    /// The customer replied to a chat waiting for them (without freeze).
    CustomerReplied,
}

/// Why an offer stopped ringing without being accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OfferEnd {
    /// The agent declined.
    Declined,
    /// The countdown ran out; the agent was set away.
    TimedOut,
    /// The agent went away or offline.
    AgentLeft,
    /// The visitor left, or the transfer was cancelled.
    Withdrawn,
}

/// Why an interaction ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// The agent archived it and wrap-up finished.
    Archived,
    /// The visitor left before an agent held it.
    Abandoned,
}

// Constructors whose id type says the kind, so a queue id cannot be sent as a user.
impl TransferTarget {
    /// A transfer to another user.
    pub fn user(id: AgentId) -> Self {
        TransferTarget {
            kind: TransferTargetKind::User,
            id: id.0,
        }
    }

    /// A transfer to a queue.
    pub fn queue(id: QueueId) -> Self {
        TransferTarget {
            kind: TransferTargetKind::Queue,
            id: id.0,
        }
    }

    /// A transfer to a smart routing flow.
    pub fn flow(id: FlowId) -> Self {
        TransferTarget {
            kind: TransferTargetKind::Flow,
            id: id.0,
        }
    }
}
