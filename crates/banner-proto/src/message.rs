//! Messages as agents see them: who wrote them, choice buttons, attachments,
//! receipts. (What visitors see is in [`crate::visitor`], without private
//! messages or agent ids.)

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::ids::{AgentId, AttachmentId, ConversationId, UnixMillis};

/// Who wrote a message, as agents see it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Author {
    /// The visitor, from the widget.
    Visitor,
    /// An agent, from the Banner.
    Agent {
        /// Identity.
        id: AgentId,
        /// Display name.
        name: String,
    },
    /// Smart routing, while it qualifies the chat.
    SmartRouting,
    /// The server itself (e.g. "The visitor left the chat.").
    System,
}

/// A person in a conversation: who types, who read.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Participant {
    /// The visitor.
    Visitor,
    /// An agent.
    Agent {
        /// Identity.
        id: AgentId,
        /// Display name.
        name: String,
    },
}

/// One button of a smart routing choice menu. The visitor answers by sending
/// the option's `label` (or `value`, or its 1-based number) as a message.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct ChoiceOption {
    /// What the button says.
    pub label: String,
    /// What is stored when it is chosen (e.g. a case type).
    pub value: String,
}

/// An uploaded file. Its bytes are at `GET /v1/attachments/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct Attachment {
    /// Identity.
    pub id: AttachmentId,
    /// The conversation it was uploaded to.
    pub conversation: ConversationId,
    /// The uploader's file name: for display and downloads, never a path.
    pub filename: String,
    /// The media type the server established from the content.
    pub media_type: String,
    /// Size in bytes.
    pub size: u64,
    /// When it was uploaded.
    pub created_at: UnixMillis,
}

/// Which receipt: the other side's client got the messages, or showed them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReceiptKind {
    /// Delivered to at least one of the reader's open clients.
    Delivered,
    /// Read: the reader's client showed them.
    Read,
}

/// The latest message of a chat, for the "In progress" tab.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LatestMessage {
    /// Who wrote it.
    pub author: Author,
    /// A private message (agents only).
    pub private: bool,
    /// Its text.
    pub text: String,
    /// When.
    pub at: UnixMillis,
}
