//! Agents: who they are (configuration) and what they are doing (state).

use std::collections::BTreeSet;

use crate::event::NotificationKind;
use crate::ids::{AgentId, ConversationId, QueueId};
use crate::permissions::Profile;
use crate::time::Time;

/// Whether an agent can receive chats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Presence {
    /// Logged out: no offers, and cannot hold chats.
    Offline,
    /// "Available to chat": the router may offer chats up to capacity.
    Available,
    /// Away or paused: keeps current chats, receives no offers.
    Away,
}

/// Which of the five notification kinds an agent wants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotificationSettings {
    /// A visitor's message arrives in one of my chats.
    pub message_arrives: bool,
    /// A chat arrives in a queue I monitor ("message in a queue").
    pub monitored_queue_message: bool,
    /// The visitor ended one of my chats (left, or the reconnection timer expired).
    pub messaging_ended: bool,
    /// The visitor of one of my chats dropped.
    pub participant_leaves: bool,
    /// A chat left a queue I monitor (assigned, transferred out, abandoned).
    pub message_exits_queue: bool,
}

impl Default for NotificationSettings {
    fn default() -> Self {
        NotificationSettings {
            message_arrives: true,
            monitored_queue_message: true,
            messaging_ended: true,
            participant_leaves: true,
            message_exits_queue: false,
        }
    }
}

impl NotificationSettings {
    /// Whether `kind` is switched on.
    pub fn enabled(&self, kind: NotificationKind) -> bool {
        match kind {
            NotificationKind::MessageArrives => self.message_arrives,
            NotificationKind::MonitoredQueueMessage => self.monitored_queue_message,
            NotificationKind::MessagingEnded => self.messaging_ended,
            NotificationKind::ParticipantLeaves => self.participant_leaves,
            NotificationKind::MessageExitsQueue => self.message_exits_queue,
        }
    }
}

/// An agent as configured.
#[derive(Clone, Debug)]
pub struct AgentConfig {
    /// Identity.
    pub id: AgentId,
    /// Display name.
    pub name: String,
    /// Permissions, auto-accept and preview.
    pub profile: Profile,
    /// How many chats at once (offers count as they ring).
    pub capacity: u32,
    /// Queues whose chats this agent answers.
    pub queues: BTreeSet<QueueId>,
    /// Queues this agent watches (supervisors): notifications and live view.
    pub monitored_queues: BTreeSet<QueueId>,
    /// Which notifications this agent wants.
    pub notifications: NotificationSettings,
}

impl AgentConfig {
    /// An agent with the plain agent profile, capacity `capacity`, in `queues`.
    pub fn new(
        id: AgentId,
        name: impl Into<String>,
        capacity: u32,
        queues: impl IntoIterator<Item = QueueId>,
    ) -> Self {
        AgentConfig {
            id,
            name: name.into(),
            profile: Profile::agent(),
            capacity,
            queues: queues.into_iter().collect(),
            monitored_queues: BTreeSet::new(),
            notifications: NotificationSettings::default(),
        }
    }
}

/// An agent as the engine tracks it.
#[derive(Clone, Debug)]
pub(crate) struct AgentState {
    pub(crate) config: AgentConfig,
    pub(crate) presence: Presence,
    /// When the agent's workload last changed (or they became available): the
    /// longest idle agent — the smallest value — is offered first.
    pub(crate) idle_since: Time,
    /// Chats ringing this agent: reservations against capacity.
    pub(crate) offers: BTreeSet<ConversationId>,
    /// Chats this agent holds that count against capacity: active, and waiting
    /// for the customer without freeze.
    pub(crate) holding: BTreeSet<ConversationId>,
    /// Frozen chats last held by this agent ("Messages pending customers").
    pub(crate) frozen: BTreeSet<ConversationId>,
    /// Chats in wrap-up (post-processing) with this agent; they do not count
    /// against capacity, the wrap-up limit bounds them.
    pub(crate) wrap_up: BTreeSet<ConversationId>,
    /// Interactions this agent finished, oldest first.
    pub(crate) history: Vec<ConversationId>,
}

impl AgentState {
    pub(crate) fn new(config: AgentConfig, now: Time) -> Self {
        AgentState {
            config,
            presence: Presence::Offline,
            idle_since: now,
            offers: BTreeSet::new(),
            holding: BTreeSet::new(),
            frozen: BTreeSet::new(),
            wrap_up: BTreeSet::new(),
            history: Vec::new(),
        }
    }

    /// Offers plus held chats.
    pub(crate) fn load(&self) -> u32 {
        u32::try_from(self.offers.len() + self.holding.len()).unwrap_or(u32::MAX)
    }

    /// Available to chat, with room for one more.
    pub(crate) fn eligible(&self) -> bool {
        self.presence == Presence::Available && self.load() < self.config.capacity
    }
}

/// A read-only view of an agent for the shell and the supervisor's live view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgentView {
    /// Identity.
    pub id: AgentId,
    /// Display name.
    pub name: String,
    /// Current presence.
    pub presence: Presence,
    /// Offers plus held chats.
    pub load: u32,
    /// Configured capacity.
    pub capacity: u32,
    /// Chats ringing this agent.
    pub offers: Vec<ConversationId>,
    /// Since when the agent's workload is unchanged.
    pub idle_since: Time,
}

impl From<&AgentState> for AgentView {
    fn from(agent: &AgentState) -> Self {
        AgentView {
            id: agent.config.id,
            name: agent.config.name.clone(),
            presence: agent.presence,
            load: agent.load(),
            capacity: agent.config.capacity,
            offers: agent.offers.iter().copied().collect(),
            idle_since: agent.idle_since,
        }
    }
}
