//! Queues and their options.

use std::time::Duration;

use crate::ids::QueueId;

/// An agent script attached to a queue; the popup shows its first node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Script {
    /// The script's name.
    pub name: String,
    /// The text of its first node.
    pub first_node: String,
}

/// How a queue distributes and what it offers agents. Chats outside any queue
/// (direct routing, smart routing in progress) use the engine's default options.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueOptions {
    /// How long an offer rings before it is redistributed.
    pub offer_timeout: Duration,
    /// Auto-accept is allowed, with this visible countdown, for agents whose profile
    /// has auto-accept. `None`: every offer must be accepted by hand.
    pub auto_accept: Option<Duration>,
    /// Offers are shown "In preview" this long before they ring, for agents whose
    /// profile has preview.
    pub preview_delay: Option<Duration>,
    /// "Wait for customer" freezes the chat: it leaves the agent's capacity, and a
    /// reconnection timer that expires freezes the chat instead of closing it.
    pub freeze: bool,
    /// How long an anonymous visitor who dropped has to come back.
    pub reconnection_timeout: Duration,
    /// How long wrap-up may last before it completes by itself.
    pub wrap_up_limit: Duration,
    /// The qualification form agents fill in, if any.
    pub qualification_form: Option<String>,
    /// The agent script, if any.
    pub script: Option<Script>,
    /// Agents may offer a video call.
    pub video_call: bool,
}

impl Default for QueueOptions {
    fn default() -> Self {
        QueueOptions {
            offer_timeout: Duration::from_secs(30),
            auto_accept: None,
            preview_delay: None,
            freeze: false,
            reconnection_timeout: Duration::from_secs(60),
            wrap_up_limit: Duration::from_secs(120),
            qualification_form: None,
            script: None,
            video_call: false,
        }
    }
}

/// A queue as configured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueueConfig {
    /// Identity.
    pub id: QueueId,
    /// The label agents see in the pool and the popup.
    pub label: String,
    /// Higher is served first when an agent is a member of several queues.
    pub priority: i32,
    /// Distribution and tooling options.
    pub options: QueueOptions,
}

impl QueueConfig {
    /// A queue with default options and priority zero.
    pub fn new(id: QueueId, label: impl Into<String>) -> Self {
        QueueConfig {
            id,
            label: label.into(),
            priority: 0,
            options: QueueOptions::default(),
        }
    }
}

/// Live figures for the supervisor's view of a queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueueStats {
    /// Chats in "Messages pending" of this queue.
    pub waiting: usize,
    /// Since when the oldest of them waits.
    pub oldest_since: Option<crate::time::Time>,
    /// Members available to chat with room for one more.
    pub eligible_agents: usize,
}
