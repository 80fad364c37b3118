//! Outputs of the engine: events (appended to the conversation's log, then fanned
//! out) and notifications (for agents, filtered by their settings).

use std::time::Duration;

use crate::agent::Presence;
use crate::conversation::{Entry, Offer, OfferPhase, TransferMode, TransferTarget, Visitor};
use crate::flow::ChoiceOption;
use crate::ids::{AgentId, ConversationId, QueueId};
use crate::time::Time;

/// Who wrote a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Author {
    /// The visitor, from the widget.
    Visitor,
    /// An agent, from the Banner.
    Agent(AgentId),
    /// Smart routing, during qualification.
    SmartRouting,
}

/// Who may read a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// The visitor and the agents.
    Everyone,
    /// Agents only: private messages and supervisor whispers. No visitor-facing
    /// path may emit these.
    AgentsOnly,
}

/// How a chat became active for an agent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssignedBy {
    /// The agent accepted the offer.
    Accepted,
    /// The auto-accept countdown ended.
    AutoAccepted,
    /// The agent picked it from "Messages pending".
    Picked,
    /// A transfer completed.
    Transferred,
    /// The customer replied to a chat waiting for them without freeze.
    CustomerReplied,
}

/// Why an offer stopped ringing without being accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OfferEnd {
    /// The agent declined.
    Declined,
    /// The countdown ran out; the agent is set away.
    TimedOut,
    /// The agent went away or offline.
    AgentLeft,
    /// The visitor left, or the transfer was cancelled.
    Withdrawn,
}

/// Why an interaction ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndReason {
    /// The agent archived it and finished wrap-up.
    Archived,
    /// The visitor left before an agent held it.
    Abandoned,
}

/// Something that changed. The shell appends it to the conversation's log (or the
/// agent's, for presence) and, after the commit, sends it to subscribers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// A new conversation.
    ConversationOpened {
        conversation: ConversationId,
        visitor: Visitor,
        entry: Entry,
    },
    /// An interaction began (the first, or a customer's next one).
    InteractionStarted {
        conversation: ConversationId,
        interaction: u32,
    },
    /// A message. `choices` are the buttons of a smart routing choice menu.
    Message {
        conversation: ConversationId,
        author: Author,
        audience: Audience,
        text: String,
        choices: Vec<ChoiceOption>,
    },
    /// Smart routing stored an answer.
    VariableSet {
        conversation: ConversationId,
        name: String,
        value: String,
    },
    /// The chat entered a queue's "Messages pending".
    Enqueued {
        conversation: ConversationId,
        queue: QueueId,
    },
    /// The chat waits in one agent's "Messages pending" (direct routing).
    WaitingForAgent {
        conversation: ConversationId,
        agent: AgentId,
    },
    /// The chat rings an agent.
    Offered { offer: Offer },
    /// An offer moved from preview to ringing or auto-accept.
    OfferPhaseChanged {
        conversation: ConversationId,
        agent: AgentId,
        phase: OfferPhase,
    },
    /// An offer stopped ringing without being accepted.
    OfferEnded {
        conversation: ConversationId,
        agent: AgentId,
        reason: OfferEnd,
    },
    /// The chat is now active for `agent`.
    Assigned {
        conversation: ConversationId,
        agent: AgentId,
        by: AssignedBy,
    },
    /// A transfer started: `by` acted (the holder, or a supervisor reassigning),
    /// `from` held the chat.
    TransferRequested {
        conversation: ConversationId,
        by: AgentId,
        from: AgentId,
        target: TransferTarget,
        mode: TransferMode,
    },
    /// An attended transfer was refused, timed out or cancelled: the sender keeps it.
    TransferReturned {
        conversation: ConversationId,
        to: AgentId,
    },
    /// The agent is waiting for the customer's reply.
    WaitingForCustomer {
        conversation: ConversationId,
        agent: AgentId,
        frozen: bool,
    },
    /// The visitor's widget disconnected.
    VisitorDisconnected {
        conversation: ConversationId,
        reconnect_within: Option<Duration>,
    },
    /// The visitor came back in time.
    VisitorReconnected { conversation: ConversationId },
    /// The visitor left for good (anonymous visitors).
    VisitorLeft { conversation: ConversationId },
    /// The agent archived the chat.
    Archived {
        conversation: ConversationId,
        agent: AgentId,
    },
    /// Wrap-up (post-processing) began for `agent`: after an archive, or when the
    /// visitor ended a held chat. It completes by itself at `until`.
    WrapUpStarted {
        conversation: ConversationId,
        agent: AgentId,
        until: Time,
    },
    /// Wrap-up finished (by the agent, or at the limit): the interaction is history.
    WrapUpCompleted {
        conversation: ConversationId,
        agent: AgentId,
        disposition: Option<String>,
        timed_out: bool,
    },
    /// The interaction ended.
    InteractionEnded {
        conversation: ConversationId,
        reason: EndReason,
    },
    /// The conversation is over for good (anonymous visitors).
    ConversationEnded { conversation: ConversationId },
    /// An agent's presence changed.
    PresenceChanged { agent: AgentId, presence: Presence },
}

impl Event {
    /// The conversation whose log this event belongs to (`None`: an agent event).
    pub fn conversation(&self) -> Option<ConversationId> {
        use Event::*;
        match self {
            Offered { offer } => Some(offer.conversation),
            ConversationOpened { conversation, .. }
            | InteractionStarted { conversation, .. }
            | Message { conversation, .. }
            | VariableSet { conversation, .. }
            | Enqueued { conversation, .. }
            | WaitingForAgent { conversation, .. }
            | OfferPhaseChanged { conversation, .. }
            | OfferEnded { conversation, .. }
            | Assigned { conversation, .. }
            | TransferRequested { conversation, .. }
            | TransferReturned { conversation, .. }
            | WaitingForCustomer { conversation, .. }
            | VisitorDisconnected { conversation, .. }
            | VisitorReconnected { conversation }
            | VisitorLeft { conversation }
            | Archived { conversation, .. }
            | WrapUpStarted { conversation, .. }
            | WrapUpCompleted { conversation, .. }
            | InteractionEnded { conversation, .. }
            | ConversationEnded { conversation } => Some(*conversation),
            PresenceChanged { .. } => None,
        }
    }
}

/// The five configurable notification kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NotificationKind {
    /// A visitor's message arrives in one of my chats.
    MessageArrives,
    /// A chat arrives in a queue I monitor ("message in a queue").
    MonitoredQueueMessage,
    /// The visitor ended one of my chats.
    MessagingEnded,
    /// The visitor of one of my chats dropped.
    ParticipantLeaves,
    /// A chat left a queue I monitor.
    MessageExitsQueue,
}

/// A notification for one agent, already filtered by their settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notification {
    /// Who to notify.
    pub agent: AgentId,
    /// What kind.
    pub kind: NotificationKind,
    /// About which chat (clicking it focuses the chat).
    pub conversation: ConversationId,
}
