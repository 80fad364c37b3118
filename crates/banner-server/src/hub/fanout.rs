//! Fan-out after the commit: one broadcast channel per conversation (visitors,
//! watchers and resumed conversations listen there) and one per agent (the
//! events of the conversations the agent is part of, their presence, their
//! notifications).
//!
//! An agent is part of a conversation while it rings them or they hold it
//! (active, waiting for the customer, wrap-up). The event that ends their part
//! (`offer_ended`, a blind `transfer_requested`, someone else's `assigned`,
//! `wrap_up_completed`) still reaches them; later ones do not. The agent whose
//! command produced an event always gets it, so a command's own event precedes
//! its `ack` on their socket.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use banner_core::{AgentId, ConversationId};
use banner_proto::{
    AgentEvent, Logged, NotificationKind, Participant, Pool, Presence, Supervision, TransferMode,
};
use tokio::sync::broadcast;

/// How many frames a slow socket may fall behind before it must catch up from
/// the store (conversation channels) or reconnect (agent channels).
pub const CHANNEL_CAPACITY: usize = 1024;

/// A committed event, as agents see it. Shared, not copied, between sockets.
pub type LoggedEvent = Arc<Logged<AgentEvent>>;

/// Someone typing in a conversation. Not logged: it passes once, live.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Typing {
    /// The conversation.
    pub conversation: ConversationId,
    /// Who types.
    pub who: Participant,
    /// Started (`true`) or stopped.
    pub on: bool,
    /// An agent's private note: never for the visitor.
    pub private: bool,
}

/// What a conversation's channel carries.
#[derive(Clone, Debug)]
pub enum ConversationFeed {
    /// A committed event.
    Event(LoggedEvent),
    /// A typing indicator.
    Typing(Arc<Typing>),
}

/// A frame for one agent's sockets.
#[derive(Clone, Debug)]
pub enum AgentFeed {
    /// An event of a conversation the agent is part of.
    Event(LoggedEvent),
    /// Someone typing in a chat the agent holds.
    Typing(Arc<Typing>),
    /// The agent's pool, for sockets that subscribed to it.
    Pool(Arc<Pool>),
    /// The supervision view, for sockets that subscribed to it.
    Supervision(Arc<Supervision>),
    /// A session of this agent ended (logout): its sockets close.
    SessionEnded([u8; 32]),
    /// The agent's presence changed.
    Presence { presence: Presence, at: u64 },
    /// A notification the agent asked for.
    Notification {
        kind: NotificationKind,
        conversation: ConversationId,
        at: u64,
    },
}

/// Who is part of one conversation now.
#[derive(Clone, Copy, Debug, Default)]
struct Carry {
    ringing: Option<AgentId>,
    holder: Option<AgentId>,
}

impl Carry {
    fn agents(self) -> impl Iterator<Item = AgentId> {
        self.ringing.into_iter().chain(self.holder)
    }

    /// Who is part of the conversation after `event`.
    fn after(mut self, event: &AgentEvent) -> Carry {
        let id = |r: &banner_proto::AgentRef| AgentId(r.id.0);
        match event {
            AgentEvent::Offer(offer) => self.ringing = Some(id(&offer.agent)),
            AgentEvent::OfferEnded { agent, .. } if self.ringing == Some(id(agent)) => {
                self.ringing = None;
            }
            AgentEvent::Assigned { agent, .. } => {
                self.ringing = None;
                self.holder = Some(id(agent));
            }
            AgentEvent::TransferRequested {
                mode: TransferMode::Blind,
                ..
            }
            | AgentEvent::WrapUpCompleted { .. } => self.holder = None,
            AgentEvent::TransferReturned { to } => self.holder = Some(id(to)),
            _ => {}
        }
        self
    }
}

/// The channels, and who is part of which conversation.
#[derive(Debug, Default)]
pub struct Fanout {
    conversations: HashMap<ConversationId, broadcast::Sender<ConversationFeed>>,
    agents: HashMap<AgentId, broadcast::Sender<AgentFeed>>,
    carry: HashMap<ConversationId, Carry>,
}

impl Fanout {
    /// A receiver of conversation `c`'s committed events from now on.
    pub fn watch(&mut self, c: ConversationId) -> broadcast::Receiver<ConversationFeed> {
        self.conversations
            .entry(c)
            .or_insert_with(|| broadcast::channel(CHANNEL_CAPACITY).0)
            .subscribe()
    }

    /// A receiver of agent `a`'s frames from now on.
    pub fn follow(&mut self, a: AgentId) -> broadcast::Receiver<AgentFeed> {
        self.agents
            .entry(a)
            .or_insert_with(|| broadcast::channel(CHANNEL_CAPACITY).0)
            .subscribe()
    }

    /// Records who holds a conversation (after a restart).
    pub fn set_holder(&mut self, c: ConversationId, holder: Option<AgentId>) {
        self.carry.entry(c).or_default().holder = holder;
    }

    /// Sends a committed event to the conversation's listeners and to the
    /// agents who are (or just stopped being) part of it, and to `actor`.
    pub fn event(&mut self, c: ConversationId, event: LoggedEvent, actor: Option<AgentId>) {
        let before = self.carry.get(&c).copied().unwrap_or_default();
        let after = before.after(&event.event);
        let recipients: BTreeSet<AgentId> =
            before.agents().chain(after.agents()).chain(actor).collect();
        if matches!(event.event, AgentEvent::ConversationEnded) {
            self.carry.remove(&c);
        } else {
            self.carry.insert(c, after);
        }
        self.publish(c, ConversationFeed::Event(Arc::clone(&event)));
        for agent in recipients {
            self.to_agent(agent, AgentFeed::Event(Arc::clone(&event)));
        }
    }

    /// Passes a typing indicator to the conversation's listeners (the visitor,
    /// watchers) and to the agent holding it. Each socket drops its own.
    pub fn typing(&mut self, typing: Typing) {
        let c = typing.conversation;
        let typing = Arc::new(typing);
        self.publish(c, ConversationFeed::Typing(Arc::clone(&typing)));
        if let Some(holder) = self.carry.get(&c).and_then(|carry| carry.holder) {
            self.to_agent(holder, AgentFeed::Typing(typing));
        }
    }

    /// The agent holding `c`, as the fan-out knows it.
    pub fn holder(&self, c: ConversationId) -> Option<AgentId> {
        self.carry.get(&c).and_then(|carry| carry.holder)
    }

    fn publish(&mut self, c: ConversationId, feed: ConversationFeed) {
        if let Some(tx) = self.conversations.get(&c)
            && tx.send(feed).is_err()
        {
            self.conversations.remove(&c);
        }
    }

    /// Sends a frame to one agent's sockets, if any are open.
    pub fn to_agent(&mut self, agent: AgentId, feed: AgentFeed) {
        if let Some(tx) = self.agents.get(&agent)
            && tx.send(feed).is_err()
        {
            self.agents.remove(&agent);
        }
    }
}
