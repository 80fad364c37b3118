//! Frames an agent's client sends on `/v1/ws`: `hello` first, then commands.
//!
//! Every command but `typing` carries a client-made [`ClientId`]; the server
//! answers it with `ack` after the commit or with `error`, and answers a retry
//! with the original result. Every body refuses unknown fields, so a typo is an
//! error rather than a silently ignored option.

use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::agent::{NotificationSettings, Presence};
use crate::bounded::{AttachmentIds, ClientId, MessageText, REDACTED};
use crate::ids::{ConversationId, Seq};
use crate::routing::{TransferMode, TransferTarget};

/// The first frame on either socket: the protocol version, the session token
/// (never in the URL), and where the client's copy of each log ends.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Hello {
    /// The protocol version the client speaks: [`crate::PROTOCOL_VERSION`].
    pub protocol: u32,
    /// The token from `POST /v1/login` (agents) or `POST /v1/visitor/session`.
    pub token: String,
    /// Conversations whose events the client keeps, with the last `seq` it
    /// has; the server sends what came after. Empty on a first connection.
    pub resume: Vec<Resume>,
}

// Hand-written so a token never reaches a log through `{:?}`.
impl fmt::Debug for Hello {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hello")
            .field("protocol", &self.protocol)
            .field("token", &REDACTED)
            .field("resume", &self.resume)
            .finish()
    }
}

/// One conversation to catch up on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Resume {
    /// The conversation.
    pub conversation: ConversationId,
    /// The last `seq` the client has (0: none).
    pub last_seq: Seq,
}

/// A command about one conversation and nothing else (`accept`, `decline`,
/// `pick`, `cancel_transfer`, `wait_for_customer`, `archive`, `unwatch`, and
/// the visitor's `leave`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ConversationCommand {
    /// The command's id.
    pub id: ClientId,
    /// The conversation.
    pub conversation: ConversationId,
}

/// A command that is nothing but its id (`ping`, `subscribe_pool`,
/// `subscribe_supervision`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct BareCommand {
    /// The command's id.
    pub id: ClientId,
}

/// `set_presence`: the agent's presence switch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SetPresence {
    /// The command's id.
    pub id: ClientId,
    /// The new presence.
    pub presence: Presence,
}

/// `send_message`: write in a chat. Public messages only in a chat the agent
/// holds; private ones (agents only) also as a supervisor who may whisper.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SendMessage {
    /// The command's id.
    pub id: ClientId,
    /// The chat.
    pub conversation: ConversationId,
    /// The text; may be empty when there are attachments.
    pub text: MessageText,
    /// Agents only: never shown to the visitor.
    pub private: bool,
    /// Files uploaded beforehand to this conversation.
    pub attachments: AttachmentIds,
}

/// `typing`: the agent started or stopped typing. No id, no answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct AgentTyping {
    /// The chat.
    pub conversation: ConversationId,
    /// Typing now.
    pub on: bool,
    /// Typing a private message: shown to agents only, never to the visitor.
    pub private: bool,
}

/// `read`: the reader saw the conversation's events up to `seq` (a read
/// receipt; delivered receipts are made by the server).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Read {
    /// The command's id.
    pub id: ClientId,
    /// The chat.
    pub conversation: ConversationId,
    /// Read up to this `seq`, inclusive.
    pub seq: Seq,
}

/// `transfer`: move an active chat to a user, a queue or a flow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    /// The command's id.
    pub id: ClientId,
    /// The chat.
    pub conversation: ConversationId,
    /// Where it goes.
    pub target: TransferTarget,
    /// Attended (keep it until accepted) or blind (let go now).
    pub mode: TransferMode,
}

/// `complete_wrap_up`: finish post-processing; the chat goes to history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct CompleteWrapUp {
    /// The command's id.
    pub id: ClientId,
    /// The chat.
    pub conversation: ConversationId,
    /// The outcome the agent chose, if the queue asks for one.
    pub disposition: Option<String>,
}

/// `set_notification_settings`: which of the five notifications the agent wants.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SetNotificationSettings {
    /// The command's id.
    pub id: ClientId,
    /// All five switches.
    pub settings: NotificationSettings,
}

/// `watch`: follow a conversation the agent does not hold (a supervisor's live
/// monitor, or an agent previewing a pending chat): replay after `last_seq`,
/// then live events, until `unwatch` or the socket closes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Watch {
    /// The command's id.
    pub id: ClientId,
    /// The conversation.
    pub conversation: ConversationId,
    /// The last `seq` the client has (0: none).
    pub last_seq: Seq,
}

/// What `unsubscribe` stops.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    /// The `pool_changed` frames.
    Pool,
    /// The `supervision_changed` frames.
    Supervision,
}

/// `unsubscribe`: stop the snapshots of a `subscribe_*`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Unsubscribe {
    /// The command's id.
    pub id: ClientId,
    /// Which snapshots.
    pub topic: Topic,
}

/// A frame from an agent's client.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AgentCommand {
    /// The first frame, and only the first.
    Hello(Hello),
    /// Answered with `ack`: a round trip that proves the socket alive.
    Ping(BareCommand),
    /// Available to chat, away, or offline (refused while holding chats).
    SetPresence(SetPresence),
    /// Take the offer ringing this agent.
    Accept(ConversationCommand),
    /// Refuse the offer ringing this agent; it goes to someone else.
    Decline(ConversationCommand),
    /// Take a chat from "Messages pending" (the hand button).
    Pick(ConversationCommand),
    /// Write in a chat.
    SendMessage(SendMessage),
    /// Typing indicator.
    Typing(AgentTyping),
    /// Read receipt.
    Read(Read),
    /// Transfer an active chat.
    Transfer(Transfer),
    /// Take back an attended transfer that has not been accepted yet.
    CancelTransfer(ConversationCommand),
    /// Wait for the customer's reply (freezes the chat where the queue says so).
    WaitForCustomer(ConversationCommand),
    /// End the chat: it goes to wrap-up.
    Archive(ConversationCommand),
    /// Finish wrap-up.
    CompleteWrapUp(CompleteWrapUp),
    /// Choose notifications.
    SetNotificationSettings(SetNotificationSettings),
    /// Receive `pool_changed` now and after every change.
    SubscribePool(BareCommand),
    /// Receive `supervision_changed` now and after changes (needs `monitor`).
    SubscribeSupervision(BareCommand),
    /// Stop a subscription.
    Unsubscribe(Unsubscribe),
    /// Follow a conversation live.
    Watch(Watch),
    /// Stop following a conversation.
    Unwatch(ConversationCommand),
}

impl AgentCommand {
    /// The command's id; `None` for `hello` and `typing`, which have none.
    pub fn id(&self) -> Option<&ClientId> {
        use AgentCommand::*;
        match self {
            Hello(_) | Typing(_) => None,
            Ping(c) | SubscribePool(c) | SubscribeSupervision(c) => Some(&c.id),
            Accept(c) | Decline(c) | Pick(c) | CancelTransfer(c) | WaitForCustomer(c)
            | Archive(c) | Unwatch(c) => Some(&c.id),
            SetPresence(c) => Some(&c.id),
            SendMessage(c) => Some(&c.id),
            Read(c) => Some(&c.id),
            Transfer(c) => Some(&c.id),
            CompleteWrapUp(c) => Some(&c.id),
            SetNotificationSettings(c) => Some(&c.id),
            Unsubscribe(c) => Some(&c.id),
            Watch(c) => Some(&c.id),
        }
    }
}

/// What a server can still read from a frame that failed to parse: its `type`
/// and `id`, so that the `error` answer names the command it refuses. Parse
/// the raw text into this (it accepts any object) after the real parse failed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct FrameProbe {
    /// The frame's `type`, if it is a string.
    #[serde(rename = "type", default, deserialize_with = "lenient")]
    pub kind: Option<String>,
    /// The frame's `id`, if it is a valid [`ClientId`].
    #[serde(default, deserialize_with = "lenient")]
    pub id: Option<ClientId>,
}

/// Reads a value if it has the expected shape, `None` otherwise — never fails.
fn lenient<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either<T> {
        Wanted(T),
        Other(serde::de::IgnoredAny),
    }
    Ok(match Either::<T>::deserialize(deserializer)? {
        Either::Wanted(value) => Some(value),
        Either::Other(_) => None,
    })
}
