//! The visitor's commands (`docs/protocol.md` §9), typed: [`command`] builds
//! each with a fresh id (for [`Connection::submit`]); the methods send one
//! and wait for its answer.

use banner_proto::{Ack, AttachmentId, ConversationId, Seq, VisitorCommand, VisitorTyping};

use super::Connection;
use crate::error::ClientError;
use crate::side::VisitorSide;

/// Visitor commands with fresh ids.
pub mod command {
    use banner_proto::{
        AttachmentId, AttachmentIds, BareCommand, ConversationCommand, ConversationId, MessageText,
        Read, Seq, VisitorCommand, VisitorSendMessage,
    };

    use crate::error::ClientError;
    use crate::ids::new_id;

    /// `ping`.
    pub fn ping() -> VisitorCommand {
        VisitorCommand::Ping(BareCommand { id: new_id() })
    }

    /// `send_message`; `conversation: None` starts one (or continues a
    /// customer's). Fails if the text or the attachments break a limit.
    pub fn send_message(
        conversation: Option<ConversationId>,
        text: &str,
        attachments: &[AttachmentId],
    ) -> Result<VisitorCommand, ClientError> {
        Ok(VisitorCommand::SendMessage(VisitorSendMessage {
            id: new_id(),
            conversation,
            text: MessageText::new(text)?,
            attachments: AttachmentIds::new(attachments.to_vec())?,
        }))
    }

    /// `read` up to `seq`.
    pub fn read(conversation: ConversationId, seq: Seq) -> VisitorCommand {
        VisitorCommand::Read(Read {
            id: new_id(),
            conversation,
            seq,
        })
    }

    /// `leave`: an anonymous visitor ends the chat.
    pub fn leave(conversation: ConversationId) -> VisitorCommand {
        VisitorCommand::Leave(ConversationCommand {
            id: new_id(),
            conversation,
        })
    }
}

impl Connection<VisitorSide> {
    /// Proves the socket alive.
    pub async fn ping(&self) -> Result<Ack, ClientError> {
        self.send(command::ping()).await
    }

    /// Writes; `conversation: None` starts a conversation, which the `ack` names.
    pub async fn send_message(
        &self,
        conversation: Option<ConversationId>,
        text: &str,
    ) -> Result<Ack, ClientError> {
        self.send(command::send_message(conversation, text, &[])?)
            .await
    }

    /// Writes with files uploaded beforehand.
    pub async fn send_message_with(
        &self,
        conversation: Option<ConversationId>,
        text: &str,
        attachments: &[AttachmentId],
    ) -> Result<Ack, ClientError> {
        self.send(command::send_message(conversation, text, attachments)?)
            .await
    }

    /// Read receipt up to `seq`.
    pub async fn read(&self, conversation: ConversationId, seq: Seq) -> Result<Ack, ClientError> {
        self.send(command::read(conversation, seq)).await
    }

    /// Ends the chat (anonymous visitors only).
    pub async fn leave(&self, conversation: ConversationId) -> Result<Ack, ClientError> {
        self.send(command::leave(conversation)).await
    }

    /// Typing indicator (no answer, not outboxed).
    pub fn typing(&self, conversation: ConversationId, on: bool) -> Result<(), ClientError> {
        self.send_unanswered(VisitorCommand::Typing(VisitorTyping { conversation, on }))
    }
}
