//! The engine: one routing domain's whole state, driven by `handle_*` inputs with
//! the current time, drained with `poll_*` outputs, woken by `poll_timeout()`.
//!
//! Every input checks everything first and mutates only once it cannot fail, then
//! runs distribution once, so a refused input leaves the engine as it was.

mod distribution;
mod index;
mod offers;
mod pool;
mod transfer;
mod visitor;
mod work;

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

pub use pool::{Actions, InProgress, PendingChat, PendingCustomerChat, Pool};
pub use work::HISTORY_KEPT;

use crate::agent::{AgentConfig, AgentState, AgentView, NotificationSettings};
use crate::conversation::{Conversation, Offer};
use crate::error::{ConfigError, Error};
use crate::event::{Event, Notification, NotificationKind};
use crate::flow::{self, Flow};
use crate::ids::{AgentId, ConversationId, FlowId, QueueId};
use crate::queue::{QueueConfig, QueueOptions, QueueStats};
use crate::time::Time;
use crate::timer::{FiredTimer, TimerKind, Timers};

/// A FIFO position: (waiting since, arrival number, chat).
pub(crate) type WaitKey = (Time, u64, ConversationId);

/// Everything a routing domain is configured with.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The queues.
    pub queues: Vec<QueueConfig>,
    /// The smart routing flows.
    pub flows: Vec<Flow>,
    /// The agents and supervisors.
    pub agents: Vec<AgentConfig>,
    /// Options for chats outside any queue (direct routing, smart routing running).
    pub default_options: QueueOptions,
}

/// A queue and its live indexes.
#[derive(Debug)]
pub(crate) struct QueueState {
    pub(crate) config: QueueConfig,
    /// "Messages pending", in FIFO order.
    pub(crate) waiting: BTreeSet<WaitKey>,
    /// Members available with room, longest idle first.
    pub(crate) eligible: BTreeSet<(Time, AgentId)>,
    /// Agents who monitor this queue.
    pub(crate) monitors: BTreeSet<AgentId>,
}

/// The sans-IO routing engine. See the crate docs for the driving loop.
#[derive(Debug)]
pub struct Engine {
    pub(crate) default_options: QueueOptions,
    pub(crate) agents: BTreeMap<AgentId, AgentState>,
    pub(crate) queues: BTreeMap<QueueId, QueueState>,
    pub(crate) flows: HashMap<FlowId, Flow>,
    pub(crate) conversations: HashMap<ConversationId, Conversation>,
    /// An authenticated customer's one continuous conversation.
    pub(crate) customers: HashMap<String, ConversationId>,
    /// Ringing offers, at most one per conversation.
    pub(crate) offers: HashMap<ConversationId, Offer>,
    /// Direct-routing chats waiting for one agent, in FIFO order.
    pub(crate) direct_waiting: HashMap<AgentId, BTreeSet<WaitKey>>,
    pub(crate) timers: Timers,
    /// Chats that entered "Messages pending" during this input.
    pub(crate) dirty_chats: BTreeSet<ConversationId>,
    /// Agents who gained room or became available during this input.
    pub(crate) dirty_agents: BTreeSet<AgentId>,
    pub(crate) arrivals: u64,
    events: VecDeque<Event>,
    notifications: VecDeque<Notification>,
}

impl Engine {
    /// Builds an engine from a validated configuration. Agents start offline.
    pub fn new(config: Config) -> Result<Self, ConfigError> {
        let mut queues = BTreeMap::new();
        for q in config.queues {
            let id = q.id;
            let state = QueueState {
                config: q,
                waiting: BTreeSet::new(),
                eligible: BTreeSet::new(),
                monitors: BTreeSet::new(),
            };
            if queues.insert(id, state).is_some() {
                return Err(ConfigError::Duplicate(id.to_string()));
            }
        }
        let mut flows = HashMap::new();
        for f in config.flows {
            let id = f.id;
            if flows.insert(id, f).is_some() {
                return Err(ConfigError::Duplicate(id.to_string()));
            }
        }
        flow::validate(&flows, |q| queues.contains_key(&q))?;
        let mut engine = Engine {
            default_options: config.default_options,
            agents: BTreeMap::new(),
            queues,
            flows,
            conversations: HashMap::new(),
            customers: HashMap::new(),
            offers: HashMap::new(),
            direct_waiting: HashMap::new(),
            timers: Timers::default(),
            dirty_chats: BTreeSet::new(),
            dirty_agents: BTreeSet::new(),
            arrivals: 0,
            events: VecDeque::new(),
            notifications: VecDeque::new(),
        };
        for agent in config.agents {
            if engine.agents.contains_key(&agent.id) {
                return Err(ConfigError::Duplicate(agent.id.to_string()));
            }
            engine.upsert_agent(agent, Time::ZERO)?;
        }
        Ok(engine)
    }

    /// Adds an agent, or updates one (profile, capacity, queues, monitored queues,
    /// notifications) while keeping their presence and chats. A lowered capacity
    /// takes effect as chats end: nothing is taken away.
    pub fn upsert_agent(&mut self, config: AgentConfig, now: Time) -> Result<(), ConfigError> {
        if let Some(q) = config
            .queues
            .iter()
            .chain(&config.monitored_queues)
            .find(|q| !self.queues.contains_key(q))
        {
            return Err(ConfigError::UnknownQueue(*q));
        }
        let id = config.id;
        self.unindex(id);
        for queue in self.queues.values_mut() {
            queue.monitors.remove(&id);
        }
        for q in &config.monitored_queues {
            if let Some(queue) = self.queues.get_mut(q) {
                queue.monitors.insert(id);
            }
        }
        match self.agents.get_mut(&id) {
            Some(agent) => agent.config = config,
            None => {
                self.agents.insert(id, AgentState::new(config, now));
            }
        }
        self.index(id);
        self.distribute(now);
        Ok(())
    }

    /// Changes which notifications an agent receives.
    pub fn set_notification_settings(
        &mut self,
        agent: AgentId,
        settings: NotificationSettings,
    ) -> Result<(), Error> {
        let state = self
            .agents
            .get_mut(&agent)
            .ok_or(Error::UnknownAgent(agent))?;
        state.config.notifications = settings;
        Ok(())
    }

    /// The next event to persist and fan out.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// The next notification to deliver.
    pub fn poll_notification(&mut self) -> Option<Notification> {
        self.notifications.pop_front()
    }

    /// When the shell must call `handle_timeout`, if any timer is armed.
    pub fn poll_timeout(&self) -> Option<Time> {
        self.timers.next_deadline()
    }

    /// Fires every timer due at `now`, in deadline order, and says which fired.
    pub fn handle_timeout(&mut self, now: Time) -> Vec<FiredTimer> {
        let mut fired = Vec::new();
        while let Some(timer) = self.timers.pop_due(now) {
            fired.push(timer);
            let c = timer.conversation;
            match timer.kind {
                TimerKind::Offer => self.offer_phase_due(c, now),
                TimerKind::Reconnection => self.close_for_visitor(c, true, now),
                TimerKind::WrapUp => {
                    if let Some(agent) = self.conversations.get(&c).and_then(Conversation::holder) {
                        self.finish_wrap_up(c, agent, None, true, now);
                    }
                }
            }
            self.distribute(now);
        }
        fired
    }

    /// Every armed timer.
    pub fn pending_timers(&self) -> Vec<FiredTimer> {
        self.timers.iter().collect()
    }

    /// A conversation.
    pub fn conversation(&self, id: ConversationId) -> Option<&Conversation> {
        self.conversations.get(&id)
    }

    /// Drops an ended conversation from memory once the shell has persisted its
    /// end: the engine keeps only live conversations, the store keeps history.
    pub fn forget(&mut self, c: ConversationId) -> Result<(), Error> {
        let conv = self
            .conversations
            .get(&c)
            .ok_or(Error::UnknownConversation(c))?;
        if conv.place() != crate::conversation::Place::Ended {
            return Err(Error::WrongPlace {
                conversation: c,
                place: conv.place(),
                action: "forget",
            });
        }
        self.timers.cancel_all(c);
        self.conversations.remove(&c);
        Ok(())
    }

    /// Every conversation id, in no particular order.
    pub fn conversation_ids(&self) -> impl Iterator<Item = ConversationId> + '_ {
        self.conversations.keys().copied()
    }

    /// The authenticated customer's continuous conversation, if they have one.
    pub fn customer_conversation(&self, customer_id: &str) -> Option<ConversationId> {
        self.customers.get(customer_id).copied()
    }

    /// The offer ringing for a conversation.
    pub fn offer(&self, id: ConversationId) -> Option<&Offer> {
        self.offers.get(&id)
    }

    /// An agent's presence and load.
    pub fn agent(&self, id: AgentId) -> Option<AgentView> {
        self.agents.get(&id).map(AgentView::from)
    }

    /// Every agent, by id.
    pub fn agents(&self) -> impl Iterator<Item = AgentView> + '_ {
        self.agents.values().map(AgentView::from)
    }

    /// A queue's configuration.
    pub fn queue(&self, id: QueueId) -> Option<&QueueConfig> {
        self.queues.get(&id).map(|q| &q.config)
    }

    /// A queue's live figures, for supervisors.
    pub fn queue_stats(&self, id: QueueId) -> Option<QueueStats> {
        self.queues.get(&id).map(|q| QueueStats {
            waiting: q.waiting.len(),
            oldest_since: q.waiting.first().map(|(t, _, _)| *t),
            eligible_agents: q.eligible.len(),
        })
    }

    /// The options that apply to a chat in `queue` (or outside any queue).
    pub(crate) fn options(&self, queue: Option<QueueId>) -> &QueueOptions {
        queue
            .and_then(|q| self.queues.get(&q))
            .map_or(&self.default_options, |q| &q.config.options)
    }

    pub(crate) fn emit(&mut self, event: Event) {
        self.events.push_back(event);
    }

    /// Notifies one agent, if their settings want this kind.
    pub(crate) fn notify(
        &mut self,
        agent: AgentId,
        kind: NotificationKind,
        conversation: ConversationId,
    ) {
        if self
            .agents
            .get(&agent)
            .is_some_and(|a| a.config.notifications.enabled(kind))
        {
            self.notifications.push_back(Notification {
                agent,
                kind,
                conversation,
            });
        }
    }

    /// Notifies every agent who monitors `queue`.
    pub(crate) fn notify_monitors(
        &mut self,
        queue: Option<QueueId>,
        kind: NotificationKind,
        conversation: ConversationId,
    ) {
        let monitors: Vec<AgentId> = queue
            .and_then(|q| self.queues.get(&q))
            .map(|q| q.monitors.iter().copied().collect())
            .unwrap_or_default();
        for agent in monitors {
            self.notify(agent, kind, conversation);
        }
    }

    pub(crate) fn conversation_mut(
        &mut self,
        id: ConversationId,
    ) -> Result<&mut Conversation, Error> {
        self.conversations
            .get_mut(&id)
            .ok_or(Error::UnknownConversation(id))
    }

    pub(crate) fn agent_state(&self, id: AgentId) -> Result<&AgentState, Error> {
        self.agents.get(&id).ok_or(Error::UnknownAgent(id))
    }
}
