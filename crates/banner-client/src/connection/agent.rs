//! The agent's commands (`docs/protocol.md` §6), typed: [`command`] builds
//! each with a fresh id (for [`Connection::submit`]); the methods send one
//! and wait for its answer.

use banner_proto::{
    Ack, AgentCommand, AgentTyping, AttachmentId, ConversationId, NotificationSettings, Presence,
    Seq, Topic, TransferMode, TransferTarget,
};

use super::Connection;
use crate::error::ClientError;
use crate::side::AgentSide;

/// Agent commands with fresh ids.
pub mod command {
    use banner_proto::{
        AgentCommand, AttachmentId, AttachmentIds, BareCommand, CompleteWrapUp,
        ConversationCommand, ConversationId, MessageText, NotificationSettings, Presence, Read,
        SendMessage, Seq, SetNotificationSettings, SetPresence, Topic, Transfer, TransferMode,
        TransferTarget, Unsubscribe, Watch,
    };

    use crate::error::ClientError;
    use crate::ids::new_id;

    fn about(conversation: ConversationId) -> ConversationCommand {
        ConversationCommand {
            id: new_id(),
            conversation,
        }
    }

    fn bare() -> BareCommand {
        BareCommand { id: new_id() }
    }

    /// `ping`.
    pub fn ping() -> AgentCommand {
        AgentCommand::Ping(bare())
    }

    /// `set_presence`.
    pub fn set_presence(presence: Presence) -> AgentCommand {
        AgentCommand::SetPresence(SetPresence {
            id: new_id(),
            presence,
        })
    }

    /// `accept` the offer ringing the agent.
    pub fn accept(conversation: ConversationId) -> AgentCommand {
        AgentCommand::Accept(about(conversation))
    }

    /// `decline` the offer ringing the agent.
    pub fn decline(conversation: ConversationId) -> AgentCommand {
        AgentCommand::Decline(about(conversation))
    }

    /// `pick` a chat from "Messages pending".
    pub fn pick(conversation: ConversationId) -> AgentCommand {
        AgentCommand::Pick(about(conversation))
    }

    /// `send_message`; fails if the text or the attachments break a limit.
    pub fn send_message(
        conversation: ConversationId,
        text: &str,
        private: bool,
        attachments: &[AttachmentId],
    ) -> Result<AgentCommand, ClientError> {
        Ok(AgentCommand::SendMessage(SendMessage {
            id: new_id(),
            conversation,
            text: MessageText::new(text)?,
            private,
            attachments: AttachmentIds::new(attachments.to_vec())?,
        }))
    }

    /// `read` up to `seq`.
    pub fn read(conversation: ConversationId, seq: Seq) -> AgentCommand {
        AgentCommand::Read(Read {
            id: new_id(),
            conversation,
            seq,
        })
    }

    /// `transfer` to a user, a queue or a flow.
    pub fn transfer(
        conversation: ConversationId,
        target: TransferTarget,
        mode: TransferMode,
    ) -> AgentCommand {
        AgentCommand::Transfer(Transfer {
            id: new_id(),
            conversation,
            target,
            mode,
        })
    }

    /// `cancel_transfer` of an attended transfer.
    pub fn cancel_transfer(conversation: ConversationId) -> AgentCommand {
        AgentCommand::CancelTransfer(about(conversation))
    }

    /// `wait_for_customer`.
    pub fn wait_for_customer(conversation: ConversationId) -> AgentCommand {
        AgentCommand::WaitForCustomer(about(conversation))
    }

    /// `archive`: the chat goes to wrap-up.
    pub fn archive(conversation: ConversationId) -> AgentCommand {
        AgentCommand::Archive(about(conversation))
    }

    /// `complete_wrap_up`, with the outcome if the queue asks for one.
    pub fn complete_wrap_up(
        conversation: ConversationId,
        disposition: Option<String>,
    ) -> AgentCommand {
        AgentCommand::CompleteWrapUp(CompleteWrapUp {
            id: new_id(),
            conversation,
            disposition,
        })
    }

    /// `set_notification_settings`.
    pub fn set_notification_settings(settings: NotificationSettings) -> AgentCommand {
        AgentCommand::SetNotificationSettings(SetNotificationSettings {
            id: new_id(),
            settings,
        })
    }

    /// `subscribe_pool`.
    pub fn subscribe_pool() -> AgentCommand {
        AgentCommand::SubscribePool(bare())
    }

    /// `subscribe_supervision`.
    pub fn subscribe_supervision() -> AgentCommand {
        AgentCommand::SubscribeSupervision(bare())
    }

    /// `unsubscribe`.
    pub fn unsubscribe(topic: Topic) -> AgentCommand {
        AgentCommand::Unsubscribe(Unsubscribe {
            id: new_id(),
            topic,
        })
    }

    /// `watch`, replaying what came after `last_seq`.
    pub fn watch(conversation: ConversationId, last_seq: Seq) -> AgentCommand {
        AgentCommand::Watch(Watch {
            id: new_id(),
            conversation,
            last_seq,
        })
    }

    /// `unwatch`.
    pub fn unwatch(conversation: ConversationId) -> AgentCommand {
        AgentCommand::Unwatch(about(conversation))
    }
}

impl Connection<AgentSide> {
    /// Proves the socket alive.
    pub async fn ping(&self) -> Result<Ack, ClientError> {
        self.send(command::ping()).await
    }

    /// Available to chat, away, or offline.
    pub async fn set_presence(&self, presence: Presence) -> Result<Ack, ClientError> {
        self.send(command::set_presence(presence)).await
    }

    /// Takes the offer ringing the agent.
    pub async fn accept(&self, conversation: ConversationId) -> Result<Ack, ClientError> {
        self.send(command::accept(conversation)).await
    }

    /// Refuses the offer ringing the agent.
    pub async fn decline(&self, conversation: ConversationId) -> Result<Ack, ClientError> {
        self.send(command::decline(conversation)).await
    }

    /// Takes a chat from "Messages pending".
    pub async fn pick(&self, conversation: ConversationId) -> Result<Ack, ClientError> {
        self.send(command::pick(conversation)).await
    }

    /// Writes in a chat; `private` notes never reach the visitor.
    pub async fn send_message(
        &self,
        conversation: ConversationId,
        text: &str,
        private: bool,
    ) -> Result<Ack, ClientError> {
        self.send(command::send_message(conversation, text, private, &[])?)
            .await
    }

    /// Writes in a chat with files uploaded beforehand.
    pub async fn send_message_with(
        &self,
        conversation: ConversationId,
        text: &str,
        private: bool,
        attachments: &[AttachmentId],
    ) -> Result<Ack, ClientError> {
        let command = command::send_message(conversation, text, private, attachments)?;
        self.send(command).await
    }

    /// Read receipt up to `seq`.
    pub async fn read(&self, conversation: ConversationId, seq: Seq) -> Result<Ack, ClientError> {
        self.send(command::read(conversation, seq)).await
    }

    /// Transfers an active chat.
    pub async fn transfer(
        &self,
        conversation: ConversationId,
        target: TransferTarget,
        mode: TransferMode,
    ) -> Result<Ack, ClientError> {
        self.send(command::transfer(conversation, target, mode))
            .await
    }

    /// Takes back an attended transfer not yet accepted.
    pub async fn cancel_transfer(&self, conversation: ConversationId) -> Result<Ack, ClientError> {
        self.send(command::cancel_transfer(conversation)).await
    }

    /// Waits for the customer's reply (freezes where the queue says so).
    pub async fn wait_for_customer(
        &self,
        conversation: ConversationId,
    ) -> Result<Ack, ClientError> {
        self.send(command::wait_for_customer(conversation)).await
    }

    /// Ends the chat: it goes to wrap-up.
    pub async fn archive(&self, conversation: ConversationId) -> Result<Ack, ClientError> {
        self.send(command::archive(conversation)).await
    }

    /// Finishes wrap-up.
    pub async fn complete_wrap_up(
        &self,
        conversation: ConversationId,
        disposition: Option<String>,
    ) -> Result<Ack, ClientError> {
        self.send(command::complete_wrap_up(conversation, disposition))
            .await
    }

    /// Chooses the five notification switches.
    pub async fn set_notification_settings(
        &self,
        settings: NotificationSettings,
    ) -> Result<Ack, ClientError> {
        self.send(command::set_notification_settings(settings))
            .await
    }

    /// Receives `pool_changed` now and after every change.
    pub async fn subscribe_pool(&self) -> Result<Ack, ClientError> {
        self.send(command::subscribe_pool()).await
    }

    /// Receives `supervision_changed` (needs `monitor`).
    pub async fn subscribe_supervision(&self) -> Result<Ack, ClientError> {
        self.send(command::subscribe_supervision()).await
    }

    /// Stops `pool` or `supervision` snapshots.
    pub async fn unsubscribe(&self, topic: Topic) -> Result<Ack, ClientError> {
        self.send(command::unsubscribe(topic)).await
    }

    /// Follows a conversation from the last `seq` this connection has of it
    /// (from the start if none): the replay, then live events.
    pub async fn watch(&self, conversation: ConversationId) -> Result<Ack, ClientError> {
        let last_seq = self.last_seq(conversation).unwrap_or(0);
        self.send(command::watch(conversation, last_seq)).await
    }

    /// Stops following a watched conversation.
    pub async fn unwatch(&self, conversation: ConversationId) -> Result<Ack, ClientError> {
        self.send(command::unwatch(conversation)).await
    }

    /// Typing indicator (no answer, not outboxed).
    pub fn typing(
        &self,
        conversation: ConversationId,
        on: bool,
        private: bool,
    ) -> Result<(), ClientError> {
        self.send_unanswered(AgentCommand::Typing(AgentTyping {
            conversation,
            on,
            private,
        }))
    }
}
