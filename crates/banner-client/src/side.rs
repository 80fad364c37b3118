//! What differs between the agent's socket (`/v1/ws`) and the visitor's
//! (`/v1/visitor/ws`): the path, the frame and command types, and which events
//! make a conversation the client's business or end it. One [`Side`] each, so
//! the connection itself is written once.

use std::fmt::Debug;

use banner_proto::http::path;
use banner_proto::{
    Ack, AgentCommand, AgentEvent, AgentFrame, AgentId, ClientId, ConversationId, ErrorFrame,
    Hello, Logged, Refused, Seq, TransferMode, VisitorCommand, VisitorEvent, VisitorFrame,
    VisitorWelcome, Welcome,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// What a frame from the server is, as far as the connection cares.
#[derive(Debug)]
pub enum Kind<'a, W> {
    /// The answer to `hello`.
    Welcome(&'a W),
    /// An event of a conversation's log.
    Event {
        /// The conversation.
        conversation: ConversationId,
        /// Its place in the log.
        seq: Seq,
        /// Whether it starts (`Some(true)`) or ends (`Some(false)`) the
        /// session's part in the conversation.
        part: Option<bool>,
    },
    /// A command succeeded.
    Ack(&'a Ack),
    /// A command (or a frame) was refused.
    Error(&'a ErrorFrame),
    /// Anything else (typing, presence, notifications, snapshots).
    Other,
}

/// One of the two sockets. See the module docs.
pub trait Side: Send + Sync + 'static {
    /// What the client sends.
    type Command: Serialize + Clone + PartialEq + Debug + Send + Sync + 'static;
    /// What the server sends.
    type Frame: DeserializeOwned + Clone + Debug + Send + Sync + 'static;
    /// The answer to `hello`.
    type Welcome: Clone + Debug + Send + Sync + 'static;
    /// Who the session is, as the carrying rules need it.
    type Me: Copy + Debug + Default + Send + Sync + 'static;

    /// The socket's path.
    const PATH: &'static str;

    /// The `hello` command.
    fn hello(hello: Hello) -> Self::Command;
    /// A command's id (`None` for `hello` and `typing`).
    fn id(command: &Self::Command) -> Option<&ClientId>;
    /// What a frame is; `me` decides whose part an event starts or ends.
    fn kind(frame: &Self::Frame, me: Self::Me) -> Kind<'_, Self::Welcome>;
    /// The frame that carries a welcome (it also goes to the frame stream).
    fn welcome_frame(welcome: Self::Welcome) -> Self::Frame;
    /// Who the welcome says the session is.
    fn me(welcome: &Self::Welcome) -> Self::Me;
    /// The conversations the welcome refuses to resume.
    fn refused(welcome: &Self::Welcome) -> &[Refused];
    /// A watched conversation (`true`) or one no longer watched (`false`),
    /// once the command is acknowledged.
    fn watches(command: &Self::Command) -> Option<(ConversationId, bool)>;
}

/// The agent's socket, `/v1/ws`.
#[derive(Debug)]
pub enum AgentSide {}

/// The visitor's socket, `/v1/visitor/ws`.
#[derive(Debug)]
pub enum VisitorSide {}

impl Side for AgentSide {
    type Command = AgentCommand;
    type Frame = AgentFrame;
    type Welcome = Welcome;
    /// `None` until the welcome names the agent.
    type Me = Option<AgentId>;

    const PATH: &'static str = path::AGENT_WS;

    fn hello(hello: Hello) -> AgentCommand {
        AgentCommand::Hello(hello)
    }

    fn id(command: &AgentCommand) -> Option<&ClientId> {
        command.id()
    }

    fn kind(frame: &AgentFrame, me: Option<AgentId>) -> Kind<'_, Welcome> {
        match frame {
            AgentFrame::Welcome(w) => Kind::Welcome(w),
            AgentFrame::Event(logged) => Kind::Event {
                conversation: logged.conversation,
                seq: logged.seq,
                part: agent_part(logged, me),
            },
            AgentFrame::Ack(ack) => Kind::Ack(ack),
            AgentFrame::Error(e) => Kind::Error(e),
            _ => Kind::Other,
        }
    }

    fn welcome_frame(welcome: Welcome) -> AgentFrame {
        AgentFrame::Welcome(welcome)
    }

    fn me(welcome: &Welcome) -> Option<AgentId> {
        Some(welcome.agent.id)
    }

    fn refused(welcome: &Welcome) -> &[Refused] {
        &welcome.refused
    }

    fn watches(command: &AgentCommand) -> Option<(ConversationId, bool)> {
        match command {
            AgentCommand::Watch(w) => Some((w.conversation, true)),
            AgentCommand::Unwatch(u) => Some((u.conversation, false)),
            _ => None,
        }
    }
}

/// The protocol's carrying rule (§5): an agent is part of a conversation from
/// the offer that rings them while they hold it; the offer's end, the chat
/// going to someone else, a blind transfer away or the end of their wrap-up
/// ends it.
fn agent_part(logged: &Logged<AgentEvent>, me: Option<AgentId>) -> Option<bool> {
    let mine = |r: &banner_proto::AgentRef| Some(r.id) == me;
    match &logged.event {
        AgentEvent::Offer(offer) if mine(&offer.agent) => Some(true),
        AgentEvent::OfferEnded { agent, .. } if mine(agent) => Some(false),
        AgentEvent::Assigned { agent, .. } => Some(mine(agent)),
        AgentEvent::TransferReturned { to } if mine(to) => Some(true),
        AgentEvent::TransferRequested {
            from,
            mode: TransferMode::Blind,
            ..
        } if mine(from) => Some(false),
        AgentEvent::WrapUpCompleted { agent, .. } if mine(agent) => Some(false),
        AgentEvent::ConversationEnded => Some(false),
        _ => None,
    }
}

impl Side for VisitorSide {
    type Command = VisitorCommand;
    type Frame = VisitorFrame;
    type Welcome = VisitorWelcome;
    type Me = ();

    const PATH: &'static str = path::VISITOR_WS;

    fn hello(hello: Hello) -> VisitorCommand {
        VisitorCommand::Hello(hello)
    }

    fn id(command: &VisitorCommand) -> Option<&ClientId> {
        match command {
            VisitorCommand::Hello(_) | VisitorCommand::Typing(_) => None,
            VisitorCommand::Ping(c) => Some(&c.id),
            VisitorCommand::SendMessage(c) => Some(&c.id),
            VisitorCommand::Read(c) => Some(&c.id),
            VisitorCommand::Leave(c) => Some(&c.id),
        }
    }

    fn kind(frame: &VisitorFrame, (): ()) -> Kind<'_, VisitorWelcome> {
        match frame {
            VisitorFrame::Welcome(w) => Kind::Welcome(w),
            VisitorFrame::Event(logged) => Kind::Event {
                conversation: logged.conversation,
                seq: logged.seq,
                // A visitor's conversations are theirs until they end.
                part: Some(!matches!(logged.event, VisitorEvent::ConversationEnded)),
            },
            VisitorFrame::Ack(ack) => Kind::Ack(ack),
            VisitorFrame::Error(e) => Kind::Error(e),
            VisitorFrame::Typing { .. } => Kind::Other,
        }
    }

    fn welcome_frame(welcome: VisitorWelcome) -> VisitorFrame {
        VisitorFrame::Welcome(welcome)
    }

    fn me(_: &VisitorWelcome) {}

    fn refused(welcome: &VisitorWelcome) -> &[Refused] {
        &welcome.refused
    }

    fn watches(_: &VisitorCommand) -> Option<(ConversationId, bool)> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use banner_proto::{AgentRef, AssignedBy, OfferEnd};

    fn logged(event: AgentEvent) -> Logged<AgentEvent> {
        Logged {
            conversation: ConversationId(7),
            seq: 3,
            at: 0,
            event,
        }
    }

    fn agent(id: u32) -> AgentRef {
        AgentRef {
            id: AgentId(id),
            name: format!("agent {id}"),
        }
    }

    #[test]
    fn an_agents_part_follows_the_carrying_rule() {
        let me = Some(AgentId(4));
        let assigned = |a| AgentEvent::Assigned {
            agent: agent(a),
            by: AssignedBy::Accepted,
        };
        assert_eq!(agent_part(&logged(assigned(4)), me), Some(true));
        assert_eq!(agent_part(&logged(assigned(5)), me), Some(false));
        let ended = |a| AgentEvent::OfferEnded {
            agent: agent(a),
            reason: OfferEnd::Declined,
        };
        assert_eq!(agent_part(&logged(ended(4)), me), Some(false));
        assert_eq!(agent_part(&logged(ended(5)), me), None);
        assert_eq!(agent_part(&logged(AgentEvent::VisitorLeft), me), None);
        assert_eq!(
            agent_part(&logged(AgentEvent::ConversationEnded), me),
            Some(false)
        );
    }
}
