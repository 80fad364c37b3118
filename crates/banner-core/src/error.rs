//! Typed errors: every refused action says why, never panics.

use thiserror::Error;

use crate::conversation::Place;
use crate::ids::{AgentId, ConversationId, FlowId, NodeId, QueueId};
use crate::permissions::Permission;

/// Why the engine refused an input.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum Error {
    /// No such agent.
    #[error("unknown agent {0}")]
    UnknownAgent(AgentId),
    /// No such queue.
    #[error("unknown queue {0}")]
    UnknownQueue(QueueId),
    /// No such flow.
    #[error("unknown flow {0}")]
    UnknownFlow(FlowId),
    /// No such conversation.
    #[error("unknown conversation {0}")]
    UnknownConversation(ConversationId),
    /// The conversation id is taken.
    #[error("conversation {0} already exists")]
    ConversationExists(ConversationId),
    /// The agent's profile lacks a permission.
    #[error("{agent} is not allowed to {permission:?}")]
    Forbidden {
        agent: AgentId,
        permission: Permission,
    },
    /// Only the agent holding the chat may do this.
    #[error("{agent} does not hold {conversation}")]
    NotHolder {
        agent: AgentId,
        conversation: ConversationId,
    },
    /// No offer of this chat rings this agent.
    #[error("{conversation} is not offered to {agent}")]
    NotOffered {
        agent: AgentId,
        conversation: ConversationId,
    },
    /// The chat is not in "Messages pending" (someone else took it).
    #[error("{0} is no longer waiting to be picked")]
    NotPending(ConversationId),
    /// The agent is not a member of the chat's queue.
    #[error("{agent} is not a member of {queue}")]
    NotAMember { agent: AgentId, queue: QueueId },
    /// The agent has no room for another chat.
    #[error("{agent} is at capacity")]
    AtCapacity { agent: AgentId },
    /// The agent is offline, or not available to chat for a transfer.
    #[error("{agent} is not available")]
    Unavailable { agent: AgentId },
    /// The agent still holds chats and cannot go offline.
    #[error("{agent} still holds chats; transfer or archive them and finish their wrap-up first")]
    HoldingChats { agent: AgentId },
    /// Only one transfer at a time.
    #[error("a transfer of {0} is already in progress")]
    TransferInProgress(ConversationId),
    /// No attended transfer to cancel.
    #[error("no transfer of {0} is in progress")]
    NoTransferPending(ConversationId),
    /// A flow cannot accept a chat, so transfers to flows are blind.
    #[error("transfers to a flow are blind only")]
    AttendedTransferToFlow,
    /// A chat cannot be transferred to the agent who holds it.
    #[error("{0} already holds the chat")]
    TransferToSelf(AgentId),
    /// An attended transfer to a queue found nobody to ring.
    #[error("no member of {0} is available to take the transfer")]
    NoAgentAvailable(QueueId),
    /// The conversation is over for the visitor.
    #[error("{0} has ended")]
    ConversationEnded(ConversationId),
    /// Authenticated customers keep one continuous conversation.
    #[error("an authenticated customer's conversation cannot be ended by the customer")]
    CustomerCannotEnd,
    /// The action does not apply where the chat stands.
    #[error("cannot {action} {conversation} while it is {place:?}")]
    WrongPlace {
        conversation: ConversationId,
        place: Place,
        action: &'static str,
    },
    /// The message has neither text nor an attachment.
    #[error("a message needs some text or an attachment")]
    EmptyMessage,
}

/// Why a configuration was refused.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ConfigError {
    /// A flow routes to, or an agent belongs to, a queue that does not exist.
    #[error("unknown queue {0}")]
    UnknownQueue(QueueId),
    /// A flow hands over to a flow that does not exist.
    #[error("unknown flow {0}")]
    UnknownFlow(FlowId),
    /// A flow points to a node it does not have.
    #[error("{flow} has no {node}")]
    MissingNode { flow: FlowId, node: NodeId },
    /// A choice menu without options would trap the visitor.
    #[error("{flow} has a choice menu without options")]
    EmptyChoice { flow: FlowId },
    /// A path of messages and routes loops without waiting for the visitor.
    #[error("{flow} loops without waiting for the visitor")]
    CycleWithoutInput { flow: FlowId },
    /// Two things share an id.
    #[error("duplicate id {0}")]
    Duplicate(String),
}
