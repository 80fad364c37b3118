//! Frames the server sends an agent on `/v1/ws`: `welcome`, logged events of
//! conversations (each with its `seq`), transient frames (typing, presence,
//! notifications, pool and supervision snapshots), and answers to commands.
//!
//! Server frames may gain fields within protocol version 1: a client ignores
//! fields it does not know, and frames whose `type` it does not know.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::agent::{AgentProfile, AgentRef, NotificationKind, Presence};
use crate::bounded::ClientId;
use crate::conversation::VisitorInfo;
use crate::error::{ErrorCode, ErrorFrame};
use crate::ids::{AgentId, ConversationId, Seq, UnixMillis};
use crate::message::{Attachment, Author, ChoiceOption, Participant, ReceiptKind};
use crate::pool::Pool;
use crate::routing::{
    AssignedBy, EndReason, Entry, Offer, OfferEnd, OfferPhase, QueueRef, TransferMode,
    TransferTargetRef,
};
use crate::supervision::Supervision;

/// An event of a conversation's log, with its place in the log and its time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Logged<E> {
    /// The conversation whose log holds it.
    pub conversation: ConversationId,
    /// Its place in that log.
    pub seq: Seq,
    /// When it happened.
    pub at: UnixMillis,
    /// What happened.
    pub event: E,
}

/// The answer to a command, sent after its effects are committed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Ack {
    /// The command's id.
    pub id: ClientId,
    /// The conversation the command changed, if one.
    pub conversation: Option<ConversationId>,
    /// The `seq` of the event that records the command (for `send_message`,
    /// the message), if it appended one.
    pub seq: Option<Seq>,
}

/// A conversation the server will replay: events after the client's
/// `last_seq` up to `latest_seq` follow the welcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Resumed {
    /// The conversation.
    pub conversation: ConversationId,
    /// The last `seq` of its log now.
    pub latest_seq: Seq,
}

/// A conversation the server will not replay, and why (`not_found` covers
/// both "no such conversation" and "not yours").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Refused {
    /// The conversation.
    pub conversation: ConversationId,
    /// Why.
    pub code: ErrorCode,
}

/// The answer to an agent's `hello`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Welcome {
    /// The protocol version both sides speak now.
    pub protocol: u32,
    /// The server's clock, to correct countdowns for the client's clock skew.
    pub server_time: UnixMillis,
    /// When the session token expires.
    pub expires_at: UnixMillis,
    /// Who is logged in.
    pub agent: AgentProfile,
    /// The conversations of `hello.resume` that will be replayed.
    pub resumed: Vec<Resumed>,
    /// The conversations of `hello.resume` that will not.
    pub refused: Vec<Refused>,
}

/// An event of a conversation's log, as agents see it: the wire form of
/// banner-core's `Event`, plus receipts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AgentEvent {
    /// The conversation began.
    ConversationOpened {
        /// Who is chatting.
        visitor: VisitorInfo,
        /// How it is routed.
        entry: Entry,
    },
    /// An interaction began (the first, or a customer's next one).
    InteractionStarted {
        /// Its number, from 1.
        interaction: u32,
    },
    /// A message. Private ones are for agents only.
    Message {
        /// Who wrote it.
        author: Author,
        /// Agents only (a private message or a supervisor's whisper).
        private: bool,
        /// The text.
        text: String,
        /// The buttons of a smart routing choice menu.
        choices: Vec<ChoiceOption>,
        /// Files sent with it.
        attachments: Vec<Attachment>,
    },
    /// Smart routing stored an answer.
    VariableSet {
        /// The variable (e.g. `case_type`).
        name: String,
        /// Its value.
        value: String,
    },
    /// The chat entered a queue's "Messages pending".
    Enqueued {
        /// The queue.
        queue: QueueRef,
    },
    /// The chat waits in one agent's "Messages pending" (direct routing).
    WaitingForAgent {
        /// The agent.
        agent: AgentRef,
    },
    /// The chat rings an agent.
    Offer(Offer),
    /// An offer moved from preview to ringing or auto-accept.
    OfferPhaseChanged {
        /// The agent it rings.
        agent: AgentRef,
        /// The new phase.
        phase: OfferPhase,
        /// When the new phase ends.
        deadline: UnixMillis,
    },
    /// An offer stopped ringing without being accepted.
    OfferEnded {
        /// The agent it rang.
        agent: AgentRef,
        /// Why it stopped.
        reason: OfferEnd,
    },
    /// The chat is now active for `agent`.
    Assigned {
        /// The agent.
        agent: AgentRef,
        /// How.
        by: AssignedBy,
    },
    /// A transfer started.
    TransferRequested {
        /// Who acted: the holder, or a supervisor reassigning the chat.
        by: AgentRef,
        /// The agent who held the chat.
        from: AgentRef,
        /// Where to.
        target: TransferTargetRef,
        /// Attended or blind.
        mode: TransferMode,
    },
    /// An attended transfer was refused, timed out or cancelled: the sender keeps it.
    TransferReturned {
        /// The agent who keeps it.
        to: AgentRef,
    },
    /// The agent waits for the customer's reply.
    WaitingForCustomer {
        /// The agent.
        agent: AgentRef,
        /// Frozen: outside the agent's capacity until the customer writes.
        frozen: bool,
    },
    /// The visitor's widget disconnected.
    VisitorDisconnected {
        /// When the chat closes (or freezes) unless the visitor comes back;
        /// `null` for a customer, whose conversation just waits.
        reconnect_deadline: Option<UnixMillis>,
    },
    /// The visitor came back in time.
    VisitorReconnected,
    /// The visitor left for good.
    VisitorLeft,
    /// The agent archived the chat (ended it).
    Archived {
        /// The agent.
        agent: AgentRef,
    },
    /// Wrap-up (post-processing) began: after an archive, or when the visitor
    /// ended a held chat.
    WrapUpStarted {
        /// The agent who wraps up.
        agent: AgentRef,
        /// When wrap-up completes by itself (the queue's wrap-up limit).
        deadline: UnixMillis,
    },
    /// Wrap-up finished: the interaction is history.
    WrapUpCompleted {
        /// The agent.
        agent: AgentRef,
        /// The outcome chosen, if any.
        disposition: Option<String>,
        /// The wrap-up limit ended it, not the agent.
        timed_out: bool,
    },
    /// The interaction ended.
    InteractionEnded {
        /// Why.
        reason: EndReason,
    },
    /// The conversation is over for good (anonymous visitors).
    ConversationEnded,
    /// Someone's client got, or showed, the messages up to `up_to`.
    Receipt {
        /// Delivered or read.
        kind: ReceiptKind,
        /// Up to this `seq`, inclusive.
        up_to: Seq,
        /// Whose client.
        by: Participant,
    },
}

/// A frame the server sends on an agent's socket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AgentFrame {
    /// The answer to `hello`; replays and live frames follow.
    Welcome(Welcome),
    /// An event of a conversation's log.
    Event(Logged<AgentEvent>),
    /// Someone in a conversation started or stopped typing (not logged).
    Typing {
        /// The conversation.
        conversation: ConversationId,
        /// Who types.
        who: Participant,
        /// Typing now; goes off by itself after `TYPING_EXPIRES_MS`.
        on: bool,
        /// A private message is being typed (agents only).
        private: bool,
    },
    /// This agent's presence changed (by their command, or set away when an
    /// offer rang out).
    Presence {
        /// The agent.
        agent: AgentId,
        /// The new presence.
        presence: Presence,
        /// When.
        at: UnixMillis,
    },
    /// Something the agent asked to be told about (already filtered by their
    /// settings); clicking it focuses the conversation.
    Notification {
        /// Which kind.
        kind: NotificationKind,
        /// About which chat.
        conversation: ConversationId,
        /// When.
        at: UnixMillis,
    },
    /// The agent's whole pool, after `subscribe_pool` and after each change.
    PoolChanged(Pool),
    /// The supervisor's whole live view, after `subscribe_supervision` and
    /// after changes.
    SupervisionChanged(Supervision),
    /// A command succeeded.
    Ack(Ack),
    /// A command, or the frame itself, was refused.
    Error(ErrorFrame),
}
