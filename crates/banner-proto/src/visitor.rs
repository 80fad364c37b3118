//! The visitor's socket, `/v1/visitor/ws`, both ways, and the one gate from
//! agents' events to it.
//!
//! Private messages and supervisor whispers cannot reach a visitor by type:
//! [`VisitorEvent`] has no private message and no agent-only field (an agent
//! shows as a display name, never an id), and [`AgentEvent::for_visitor`] is the
//! projection the server uses for every visitor-facing event — live or replayed.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::bounded::{AttachmentIds, ClientId, MessageText};
use crate::client::{BareCommand, ConversationCommand, Hello, Read};
use crate::error::ErrorFrame;
use crate::ids::{ConversationId, Seq, UnixMillis};
use crate::message::{Attachment, Author, ChoiceOption, Participant, ReceiptKind};
use crate::routing::EndReason;
use crate::server::{Ack, AgentEvent, Logged, Refused, Resumed};

/// `send_message` from the widget.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct VisitorSendMessage {
    /// The command's id.
    pub id: ClientId,
    /// The conversation written in; `null` for the first message, which
    /// starts one (the `ack` names it).
    pub conversation: Option<ConversationId>,
    /// The text; may be empty when there are attachments. To answer a choice
    /// menu, send the option's label.
    pub text: MessageText,
    /// Files uploaded beforehand to this conversation.
    pub attachments: AttachmentIds,
}

/// `typing` from the widget. No id, no answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct VisitorTyping {
    /// The conversation.
    pub conversation: ConversationId,
    /// Typing now.
    pub on: bool,
}

/// A frame from the widget.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum VisitorCommand {
    /// The first frame, and only the first.
    Hello(Hello),
    /// Answered with `ack`.
    Ping(BareCommand),
    /// Write (the first message starts the conversation).
    SendMessage(VisitorSendMessage),
    /// Typing indicator.
    Typing(VisitorTyping),
    /// Read receipt.
    Read(Read),
    /// End the chat (anonymous visitors; a customer's conversation continues).
    Leave(ConversationCommand),
}

/// Who wrote a message, as the visitor sees it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum VisitorAuthor {
    /// The visitor.
    Visitor,
    /// An agent, by display name only.
    Agent {
        /// Display name.
        name: String,
    },
    /// Smart routing.
    SmartRouting,
    /// The server itself.
    System,
}

/// An event of the visitor's conversation, as the visitor sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum VisitorEvent {
    /// A message everyone in the conversation sees.
    Message {
        /// Who wrote it.
        author: VisitorAuthor,
        /// The text.
        text: String,
        /// Buttons of a smart routing choice menu: answer with a label.
        choices: Vec<ChoiceOption>,
        /// Files sent with it.
        attachments: Vec<Attachment>,
    },
    /// The agents' client got, or showed, the messages up to `up_to`.
    Receipt {
        /// Delivered or read.
        kind: ReceiptKind,
        /// Up to this `seq`, inclusive.
        up_to: Seq,
    },
    /// The chat waits for an agent.
    Queued,
    /// An agent took the chat.
    AgentJoined {
        /// The agent's display name.
        name: String,
    },
    /// An interaction began.
    InteractionStarted {
        /// Its number, from 1.
        interaction: u32,
    },
    /// The agent ended the chat. An anonymous visitor's chat is over; a
    /// customer may write again later, which starts a next interaction.
    Archived {
        /// The agent's display name.
        name: String,
    },
    /// The interaction ended.
    InteractionEnded {
        /// Why.
        reason: EndReason,
    },
    /// The conversation is over; a new message starts a new one.
    ConversationEnded,
}

/// The answer to a visitor's `hello`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VisitorWelcome {
    /// The protocol version both sides speak now.
    pub protocol: u32,
    /// The server's clock.
    pub server_time: UnixMillis,
    /// When the session token expires.
    pub expires_at: UnixMillis,
    /// The visitor's id.
    pub visitor_id: String,
    /// The conversation the visitor writes in now, if any.
    pub conversation: Option<ConversationId>,
    /// The conversations of `hello.resume` that will be replayed.
    pub resumed: Vec<Resumed>,
    /// The conversations of `hello.resume` that will not.
    pub refused: Vec<Refused>,
}

/// A frame the server sends on a visitor's socket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum VisitorFrame {
    /// The answer to `hello`; replays and live frames follow.
    Welcome(VisitorWelcome),
    /// An event of the visitor's conversation.
    Event(Logged<VisitorEvent>),
    /// An agent started or stopped typing a public message (not logged).
    Typing {
        /// The conversation.
        conversation: ConversationId,
        /// The agent's display name.
        name: String,
        /// Typing now; goes off by itself after `TYPING_EXPIRES_MS`.
        on: bool,
    },
    /// A command succeeded.
    Ack(Ack),
    /// A command, or the frame itself, was refused.
    Error(ErrorFrame),
}

impl AgentEvent {
    /// What the visitor sees of this event: `None` for private messages and for
    /// everything that is the agents' business (offers, transfers, variables…).
    pub fn for_visitor(&self) -> Option<VisitorEvent> {
        use AgentEvent as A;
        // Exhaustive on purpose: a new event type must be decided on here.
        match self {
            A::Message { private: true, .. } => None,
            A::Message {
                author,
                private: false,
                text,
                choices,
                attachments,
            } => Some(VisitorEvent::Message {
                author: match author {
                    Author::Visitor => VisitorAuthor::Visitor,
                    Author::Agent { name, .. } => VisitorAuthor::Agent { name: name.clone() },
                    Author::SmartRouting => VisitorAuthor::SmartRouting,
                    Author::System => VisitorAuthor::System,
                },
                text: text.clone(),
                choices: choices.clone(),
                attachments: attachments.clone(),
            }),
            A::Receipt {
                kind,
                up_to,
                by: Participant::Agent { .. },
            } => Some(VisitorEvent::Receipt {
                kind: *kind,
                up_to: *up_to,
            }),
            A::Receipt {
                by: Participant::Visitor,
                ..
            } => None,
            A::Enqueued { .. } | A::WaitingForAgent { .. } => Some(VisitorEvent::Queued),
            A::Assigned { agent, .. } => Some(VisitorEvent::AgentJoined {
                name: agent.name.clone(),
            }),
            A::InteractionStarted { interaction } => Some(VisitorEvent::InteractionStarted {
                interaction: *interaction,
            }),
            A::InteractionEnded { reason } => {
                Some(VisitorEvent::InteractionEnded { reason: *reason })
            }
            A::Archived { agent } => Some(VisitorEvent::Archived {
                name: agent.name.clone(),
            }),
            A::ConversationEnded => Some(VisitorEvent::ConversationEnded),
            A::ConversationOpened { .. }
            | A::VariableSet { .. }
            | A::Offer(_)
            | A::OfferPhaseChanged { .. }
            | A::OfferEnded { .. }
            | A::TransferRequested { .. }
            | A::TransferReturned { .. }
            | A::WaitingForCustomer { .. }
            | A::VisitorDisconnected { .. }
            | A::VisitorReconnected
            | A::VisitorLeft
            | A::WrapUpStarted { .. }
            | A::WrapUpCompleted { .. } => None,
        }
    }
}

impl Logged<AgentEvent> {
    /// The same event in the visitor's log (same `seq`), if the visitor sees it.
    pub fn for_visitor(&self) -> Option<Logged<VisitorEvent>> {
        Some(Logged {
            conversation: self.conversation,
            seq: self.seq,
            at: self.at,
            event: self.event.for_visitor()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::AgentRef;
    use crate::ids::AgentId;
    use crate::routing::AssignedBy;

    fn message(private: bool) -> AgentEvent {
        AgentEvent::Message {
            author: Author::Agent {
                id: AgentId(4),
                name: "Ada".into(),
            },
            private,
            text: "note".into(),
            choices: vec![],
            attachments: vec![],
        }
    }

    #[test]
    fn a_private_message_never_reaches_the_visitor() {
        assert_eq!(message(true).for_visitor(), None);
        let logged = Logged {
            conversation: ConversationId(1),
            seq: 9,
            at: 0,
            event: message(true),
        };
        assert_eq!(logged.for_visitor(), None);
    }

    #[test]
    fn the_visitor_sees_an_agent_by_name_only() {
        let seen = message(false).for_visitor().unwrap();
        let json = serde_json::to_value(&seen).unwrap();
        assert_eq!(
            json["author"],
            serde_json::json!({"type": "agent", "name": "Ada"})
        );
        let joined = AgentEvent::Assigned {
            agent: AgentRef {
                id: AgentId(4),
                name: "Ada".into(),
            },
            by: AssignedBy::Picked,
        };
        let json = serde_json::to_string(&joined.for_visitor().unwrap()).unwrap();
        assert_eq!(json, r#"{"type":"agent_joined","name":"Ada"}"#);
    }

    #[test]
    fn the_visitor_keeps_the_logs_seq() {
        let logged = Logged {
            conversation: ConversationId(1),
            seq: 9,
            at: 5,
            event: AgentEvent::ConversationEnded,
        };
        let seen = logged.for_visitor().unwrap();
        assert_eq!((seen.seq, seen.at), (9, 5));
    }
}
