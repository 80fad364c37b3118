//! What sockets and HTTP handlers ask of the hub, and how it answers. Every
//! request carries a oneshot for its reply; the hub never blocks on a caller.

use banner_core::{self as core, AgentId, ConversationId};
use banner_proto::{self as proto, Ack, ClientId, ErrorCode, Participant, Seq, Topic};
use tokio::sync::{broadcast, oneshot};

use super::fanout::{AgentFeed, ConversationFeed, Typing};

/// A refusal: `{code, message}` for the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// For programs.
    pub code: ErrorCode,
    /// For people.
    pub message: String,
}

impl Refusal {
    /// A refusal with this code and message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Refusal {
            code,
            message: message.into(),
        }
    }
}

/// What a command's answer is.
pub type Answer = Result<Ack, Refusal>;

/// The visitor behind a visitor session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisitorCtx {
    /// The visitor id (the session's subject).
    pub visitor_id: String,
    /// Set for an authenticated customer.
    pub customer: Option<proto::CustomerInfo>,
    /// The widget's language.
    pub locale: Option<String>,
    /// Where this visitor's chats start.
    pub entry: core::Entry,
}

/// An agent's command, in the domain's words.
#[derive(Clone, Debug)]
pub enum AgentAction {
    SetPresence(core::Presence),
    Accept(ConversationId),
    Decline(ConversationId),
    Pick(ConversationId),
    SendMessage {
        conversation: ConversationId,
        text: String,
        private: bool,
        /// Checked records of the files it carries.
        attachments: Vec<proto::Attachment>,
    },
    Transfer {
        conversation: ConversationId,
        target: core::TransferTarget,
        mode: core::TransferMode,
    },
    CancelTransfer(ConversationId),
    WaitForCustomer(ConversationId),
    Archive(ConversationId),
    CompleteWrapUp {
        conversation: ConversationId,
        disposition: Option<String>,
    },
    SetNotifications(core::NotificationSettings),
    /// The agent has shown the events of a conversation up to `seq`.
    Read {
        conversation: ConversationId,
        seq: Seq,
    },
}

/// A visitor's command.
#[derive(Clone, Debug)]
pub enum VisitorAction {
    /// `conversation: None` starts one (or continues a customer's).
    SendMessage {
        conversation: Option<ConversationId>,
        text: String,
        /// Checked records of the files it carries.
        attachments: Vec<proto::Attachment>,
    },
    Leave(ConversationId),
    /// The visitor has shown the events of a conversation up to `seq`.
    Read {
        conversation: ConversationId,
        seq: Seq,
    },
}

/// Who sent a command, for idempotency and for the log.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Principal {
    Agent(AgentId),
    Visitor(String),
}

impl Principal {
    /// How the log names them (`agent:4`, `visitor:v-…`).
    pub fn label(&self) -> String {
        match self {
            Principal::Agent(a) => format!("agent:{}", a.0),
            Principal::Visitor(v) => format!("visitor:{v}"),
        }
    }
}

/// A command with its client-made id and the digest of its frame.
#[derive(Debug)]
pub struct Command<A> {
    /// The client's id for it.
    pub id: ClientId,
    /// SHA-256 of the frame as parsed: a retry must match it.
    pub fingerprint: [u8; 32],
    /// What to do.
    pub action: A,
    /// Where the answer goes.
    pub reply: oneshot::Sender<Answer>,
}

/// Everything the hub is asked.
#[derive(Debug)]
pub enum Request {
    /// An agent's command.
    Agent {
        agent: AgentId,
        command: Command<AgentAction>,
    },
    /// A visitor's command.
    Visitor {
        visitor: VisitorCtx,
        command: Command<VisitorAction>,
    },
    /// The live events of one conversation.
    Watch {
        conversation: ConversationId,
        reply: oneshot::Sender<broadcast::Receiver<ConversationFeed>>,
    },
    /// The live frames for one agent.
    Follow {
        agent: AgentId,
        reply: oneshot::Sender<broadcast::Receiver<AgentFeed>>,
    },
    /// The agent's profile now (`None`: not on the floor).
    Profile {
        agent: AgentId,
        reply: oneshot::Sender<Option<proto::AgentProfile>>,
    },
    /// Whether the agent may read the conversation.
    CanView {
        agent: AgentId,
        conversation: ConversationId,
        reply: oneshot::Sender<bool>,
    },
    /// Whether this agent or visitor may upload a file to the conversation
    /// now: `not_found`, `not_holder` or `conversation_ended` if not.
    MayUpload {
        who: Principal,
        conversation: ConversationId,
        reply: oneshot::Sender<Result<(), Refusal>>,
    },
    /// Whether the visitor owns the conversation.
    Owns {
        visitor_id: String,
        conversation: ConversationId,
        reply: oneshot::Sender<bool>,
    },
    /// The conversation the visitor writes in now, if any.
    Current {
        visitor: VisitorCtx,
        reply: oneshot::Sender<Option<ConversationId>>,
    },
    /// One of an agent's sockets opened or closed; when the last closes, an
    /// available agent is set away (their app is gone: no more offers).
    AgentSockets { agent: AgentId, opened: bool },
    /// A visitor's socket carrying these conversations opened (`+1`) or closed.
    VisitorSockets {
        conversations: Vec<ConversationId>,
        opened: bool,
    },
    /// The agent's pool now.
    Pool {
        agent: AgentId,
        reply: oneshot::Sender<Option<proto::Pool>>,
    },
    /// The supervision view now (needs `monitor`).
    Supervision {
        agent: AgentId,
        reply: oneshot::Sender<Result<proto::Supervision, Refusal>>,
    },
    /// A live conversation's details; `Ok(None)` when the engine no longer
    /// holds it (it ended: the log tells the rest).
    Details {
        agent: AgentId,
        conversation: ConversationId,
        reply: oneshot::Sender<Result<Option<proto::ConversationDetails>, Refusal>>,
    },
    /// Agents, queues and flows.
    Directory {
        reply: oneshot::Sender<proto::Directory>,
    },
    /// Whether the agent's profile has a permission.
    Allows {
        agent: AgentId,
        permission: core::Permission,
        reply: oneshot::Sender<bool>,
    },
    /// A socket of `agent` subscribes to or leaves a view; the answer is the
    /// view to send now (subscribing) or nothing.
    Subscribe {
        agent: AgentId,
        topic: Topic,
        on: bool,
        reply: oneshot::Sender<Result<Option<AgentFeed>, Refusal>>,
    },
    /// Someone types. The hub checks that they may (see `typing`).
    Typing(Typing),
    /// The server wrote a conversation's events up to `seq` to a socket of `by`.
    Delivered {
        conversation: ConversationId,
        by: Participant,
        seq: Seq,
    },
    /// An agent logs out of one session: refused while they hold chats.
    Logout {
        agent: AgentId,
        session: [u8; 32],
        reply: oneshot::Sender<Result<(), Refusal>>,
    },
}
