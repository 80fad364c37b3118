//! Conversations (one visitor's thread), where they stand, and offers.

use std::collections::{BTreeMap, BTreeSet};

use crate::flow::FlowCursor;
use crate::ids::{AgentId, ConversationId, FlowId, QueueId};
use crate::time::Time;

/// Who is chatting from the widget.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Visitor {
    /// A visitor with a random id: chats live, ends when they leave.
    Anonymous { visitor_id: String },
    /// A customer whose identity the host site vouches for: one continuous
    /// conversation that the customer never ends.
    Customer { customer_id: String },
}

impl Visitor {
    /// An authenticated customer?
    pub fn is_customer(&self) -> bool {
        matches!(self, Visitor::Customer { .. })
    }
}

/// How a conversation's interactions are routed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// Smart routing: run this flow first.
    Flow(FlowId),
    /// Straight into a queue.
    Queue(QueueId),
    /// Direct routing to one named agent, without a queue. A decline or timeout
    /// sends it to `fallback` if set; otherwise it waits in the agent's
    /// "Messages pending" for them to pick.
    Direct {
        agent: AgentId,
        fallback: Option<QueueId>,
    },
}

/// The popup colour and title: raspberry red for smart routing, ocean blue for direct.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoutingKind {
    /// Through a queue (smart routing).
    Smart,
    /// Direct routing to one agent.
    Direct,
}

/// Where a conversation stands: exactly one of these at any time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Place {
    /// No interaction running: new, or an authenticated customer between interactions.
    Idle,
    /// Smart routing is qualifying it.
    Routing,
    /// Waiting in "Messages pending" (of a queue, or of one agent for direct routing).
    Pending,
    /// Ringing one agent (the incoming popup), nobody holds it.
    Offered,
    /// Held by one agent ("In progress").
    Active,
    /// Waiting for the customer's reply ("Messages pending customers"), frozen or not.
    PendingCustomer,
    /// Archived, in the agent's wrap-up.
    WrapUp,
    /// Over for good (anonymous visitors only); in history.
    Ended,
}

/// The engine's record of where a conversation stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum State {
    Idle,
    Routing(FlowCursor),
    /// In a queue's "Messages pending".
    Queued(QueueId),
    /// In one agent's "Messages pending" (direct routing).
    DirectWaiting(AgentId),
    /// Ringing: the offer is in the engine's offer table.
    Offered,
    /// Held by `agent`; an attended transfer may be ringing its target.
    Active {
        agent: AgentId,
        transfer: Option<PendingTransfer>,
    },
    PendingCustomer {
        agent: AgentId,
        frozen: bool,
    },
    WrapUp(AgentId),
    Ended,
}

impl State {
    pub(crate) fn place(&self) -> Place {
        match self {
            State::Idle => Place::Idle,
            State::Routing(_) => Place::Routing,
            State::Queued(_) | State::DirectWaiting(_) => Place::Pending,
            State::Offered => Place::Offered,
            State::Active { .. } => Place::Active,
            State::PendingCustomer { .. } => Place::PendingCustomer,
            State::WrapUp(_) => Place::WrapUp,
            State::Ended => Place::Ended,
        }
    }
}

/// An attended transfer waiting for its target to accept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PendingTransfer {
    /// The agent it rings; the offer's queue says where the chat lands.
    pub(crate) to: AgentId,
}

/// How a transfer lets go of the chat.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransferMode {
    /// The sender keeps the chat until the target accepts; a refusal returns it.
    Attended,
    /// The sender lets go at once.
    Blind,
}

/// Where a transfer sends the chat.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransferTarget {
    /// Another user.
    User(AgentId),
    /// A queue: distribution picks the agent.
    Queue(QueueId),
    /// A smart routing flow, to qualify the chat again (blind only).
    Flow(FlowId),
}

/// Who transferred an offered chat, and how: shown in the popup.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TransferInfo {
    /// The agent who sent it.
    pub from: AgentId,
    /// Attended or blind.
    pub mode: TransferMode,
}

/// The stage of an offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OfferPhase {
    /// Shown "In preview" until `until`, then it rings (or auto-accepts).
    Preview { until: Time },
    /// Ringing with a countdown to `until`; then it is redistributed.
    Ringing { until: Time },
    /// Accepted automatically at `at`, after a visible countdown.
    AutoAccept { at: Time },
}

/// A chat ringing one agent: a reservation against that agent's capacity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Offer {
    /// The chat.
    pub conversation: ConversationId,
    /// The agent it rings.
    pub agent: AgentId,
    /// Smart (queue) or direct.
    pub kind: RoutingKind,
    /// The queue it comes from, if any.
    pub queue: Option<QueueId>,
    /// Preview, ringing, or auto-accept countdown.
    pub phase: OfferPhase,
    /// Since when the visitor waits.
    pub waiting_since: Time,
    /// Set when the chat was transferred.
    pub transfer: Option<TransferInfo>,
    /// The first node of the queue's script, when the agent may run scripts.
    pub script_first_node: Option<String>,
    /// A frozen chat coming back to the agent who last held it.
    pub returning: bool,
}

/// The latest message of a chat, for the "In progress" tab.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LatestMessage {
    /// Who wrote it.
    pub author: crate::event::Author,
    /// Its text.
    pub text: String,
    /// When.
    pub at: Time,
}

/// One visitor's thread.
#[derive(Clone, Debug)]
pub struct Conversation {
    /// Identity.
    pub id: ConversationId,
    /// Who the visitor is.
    pub visitor: Visitor,
    /// How its interactions are routed.
    pub entry: Entry,
    /// The queue the current interaction belongs to, if any.
    pub queue: Option<QueueId>,
    /// Answers collected by smart routing (e.g. `case_type`).
    pub variables: BTreeMap<String, String>,
    /// Interactions started so far (continuous conversations have several).
    pub interactions: u32,
    /// When the current interaction started.
    pub started_at: Time,
    /// Since when the visitor waits for an agent (queue entry, or last reply).
    pub waiting_since: Time,
    /// Agents who declined or missed this interaction.
    pub declined: BTreeSet<AgentId>,
    /// The last agent who held it (frozen chats return to them first).
    pub last_agent: Option<AgentId>,
    /// The latest message.
    pub latest_message: Option<LatestMessage>,
    /// Whether the visitor's widget is connected.
    pub visitor_connected: bool,
    /// An anonymous visitor's chat that was archived or abandoned takes no more
    /// messages; a customer's reply during wrap-up waits for the wrap-up to end.
    pub(crate) reply_waiting: bool,
    /// Who sent this chat on blind to a queue or a flow: the popup of whoever
    /// gets it next still shows the transfer.
    pub(crate) transferred: Option<TransferInfo>,
    /// The FIFO key while pending: (waiting since, arrival number).
    pub(crate) wait_key: Option<(Time, u64)>,
    pub(crate) state: State,
}

impl Conversation {
    /// Where it stands.
    pub fn place(&self) -> Place {
        self.state.place()
    }

    /// The agent holding it (active, waiting for the customer, or in wrap-up).
    pub fn holder(&self) -> Option<AgentId> {
        match self.state {
            State::Active { agent, .. }
            | State::PendingCustomer {
                agent,
                frozen: false,
            }
            | State::WrapUp(agent) => Some(agent),
            _ => None,
        }
    }

    /// Over for the visitor: ended, or archived while the visitor is anonymous
    /// (their chat is synchronous; a customer's continues after wrap-up).
    pub fn closed_for_visitor(&self) -> bool {
        match self.state {
            State::Ended => true,
            State::WrapUp(_) => !self.visitor.is_customer(),
            _ => false,
        }
    }

    /// Frozen: waiting for the customer outside anyone's capacity.
    pub fn is_frozen(&self) -> bool {
        matches!(self.state, State::PendingCustomer { frozen: true, .. })
    }

    /// Smart or direct, for the popup.
    pub fn kind(&self) -> RoutingKind {
        if self.queue.is_some() {
            RoutingKind::Smart
        } else {
            RoutingKind::Direct
        }
    }

    /// The flow node waiting for the visitor's answer, while smart routing runs.
    pub fn flow_cursor(&self) -> Option<FlowCursor> {
        match self.state {
            State::Routing(cursor) => Some(cursor),
            _ => None,
        }
    }

    /// The agent whose "Messages pending" holds this direct chat.
    pub fn direct_agent(&self) -> Option<AgentId> {
        match self.state {
            State::DirectWaiting(agent) => Some(agent),
            _ => None,
        }
    }

    /// The agent an attended transfer of this chat is ringing.
    pub fn transfer_target(&self) -> Option<AgentId> {
        match self.state {
            State::Active {
                transfer: Some(t), ..
            } => Some(t.to),
            _ => None,
        }
    }
}
