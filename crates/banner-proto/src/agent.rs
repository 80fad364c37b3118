//! Agents on the wire: who they are (profile, permissions, capacity), their
//! presence, and which of the five notification kinds they want.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::ids::AgentId;
use crate::routing::QueueRef;

/// Whether an agent can receive chats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// Logged out: no offers, cannot hold chats.
    Offline,
    /// "Available to chat": offered chats up to capacity.
    Available,
    /// Away or paused: keeps current chats, receives no offers.
    Away,
}

/// One thing a profile may allow. The server checks every action; the UI only
/// hides what the server would refuse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Take a chat from "Messages pending" with the hand button.
    Pick,
    /// Transfer a chat to another user.
    TransferToUser,
    /// Transfer a chat to a queue.
    TransferToQueue,
    /// Transfer a chat to a smart routing flow.
    TransferToFlow,
    /// Fill in the queue's qualification form.
    Qualification,
    /// Run the queue's agent script.
    Script,
    /// Offer a video call where the queue enables it.
    VideoCall,
    /// See every queue, agent and conversation live (supervisors).
    Monitor,
    /// Send private messages into a chat one does not hold (supervisors).
    Whisper,
    /// Move another agent's chat elsewhere, or to oneself (supervisors).
    Reassign,
    /// Read reports (supervisors).
    Reports,
    /// Change configuration (admins).
    Admin,
}

/// The five configurable notification kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
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

/// Which notifications an agent wants: one switch per kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct NotificationSettings {
    /// A visitor's message arrives in one of my chats.
    pub message_arrives: bool,
    /// A chat arrives in a queue I monitor.
    pub monitored_queue_message: bool,
    /// The visitor ended one of my chats.
    pub messaging_ended: bool,
    /// The visitor of one of my chats dropped.
    pub participant_leaves: bool,
    /// A chat left a queue I monitor.
    pub message_exits_queue: bool,
}

/// An agent as others see them: id and display name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct AgentRef {
    /// Identity.
    pub id: AgentId,
    /// Display name.
    pub name: String,
}

/// The logged-in agent: identity, what they may do, and their settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AgentProfile {
    /// Identity.
    pub id: AgentId,
    /// The login name.
    pub username: String,
    /// The name shown to colleagues and visitors.
    pub name: String,
    /// The profile's name (e.g. "agent", "supervisor").
    pub profile: String,
    /// What the profile allows, sorted.
    pub permissions: Vec<Permission>,
    /// How many chats at once (ringing offers count).
    pub capacity: u32,
    /// Offers are accepted automatically after the queue's countdown, where the
    /// queue allows it.
    pub auto_accept: bool,
    /// Offers are shown "In preview" first, where the queue has a preview delay.
    pub preview: bool,
    /// The queues whose chats this agent answers.
    pub queues: Vec<QueueRef>,
    /// The queues this agent watches (supervisors).
    pub monitored_queues: Vec<QueueRef>,
    /// Which notifications the agent wants.
    pub notifications: NotificationSettings,
    /// Presence now.
    pub presence: Presence,
}
