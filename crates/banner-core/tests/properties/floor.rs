//! A random contact-center floor: 4-6 agents of capacity 1-3 in random queues,
//! some with auto-accept or preview, some supervisors; two or three queues (and
//! the options for chats outside any queue) with random preview delays,
//! auto-accept countdowns, short timers, and freeze on exactly one of them.

use std::collections::BTreeSet;
use std::time::Duration;

use banner_core::*;
use proptest::prelude::*;

use crate::common::{SALES, SUPPORT, welcome_flow};

/// The optional third queue.
pub const VIP: QueueId = QueueId(3);
/// Every queue a floor may have, in the order agents' membership masks use.
pub const QUEUES: [QueueId; 3] = [SALES, SUPPORT, VIP];
/// An agent no floor has, to exercise refusals.
pub const STRANGER: AgentId = AgentId(99);

/// One agent of a random floor.
#[derive(Clone, Debug)]
pub struct AgentSpec {
    pub capacity: u32,
    /// Bit `i` set: member of `QUEUES[i]`.
    pub queue_mask: u8,
    pub auto_accept: bool,
    pub preview: bool,
    pub supervisor: bool,
    /// Sets themselves available before the run starts.
    pub starts_available: bool,
}

/// The options of one queue (or of chats outside any queue), in seconds. Every
/// duration is at least a second, so no timer is due the moment it is armed.
#[derive(Clone, Debug)]
pub struct OptionsSpec {
    pub priority: i32,
    pub offer_timeout: u64,
    pub auto_accept: Option<u64>,
    pub preview_delay: Option<u64>,
    pub reconnection_timeout: u64,
    pub wrap_up_limit: u64,
}

/// A random floor.
#[derive(Clone, Debug)]
pub struct FloorSpec {
    pub agents: Vec<AgentSpec>,
    /// Whether the third queue exists.
    pub vip: bool,
    /// Sales, support, VIP, and outside any queue.
    pub options: [OptionsSpec; 4],
    /// Which of the four freezes chats waiting for the customer.
    pub freezing: usize,
}

/// Agent ids are 1..=n in the order of `FloorSpec::agents`.
pub fn agent_id(index: usize) -> AgentId {
    AgentId(u32::try_from(index).expect("few agents") + 1)
}

impl FloorSpec {
    /// The ids of the floor's agents.
    pub fn agent_ids(&self) -> Vec<AgentId> {
        (0..self.agents.len()).map(agent_id).collect()
    }

    /// The queues this floor has.
    pub fn queues(&self) -> Vec<QueueId> {
        QUEUES
            .into_iter()
            .filter(|q| *q != VIP || self.vip)
            .collect()
    }

    /// The members of `queue`.
    pub fn members(&self, queue: QueueId) -> BTreeSet<AgentId> {
        self.agents
            .iter()
            .enumerate()
            .filter(|(_, a)| self.agent_queues(a).contains(&queue))
            .map(|(i, _)| agent_id(i))
            .collect()
    }

    fn agent_queues(&self, spec: &AgentSpec) -> BTreeSet<QueueId> {
        QUEUES
            .iter()
            .enumerate()
            .filter(|(i, q)| spec.queue_mask & (1 << i) != 0 && (**q != VIP || self.vip))
            .map(|(_, q)| *q)
            .collect()
    }

    fn queue_options(&self, i: usize) -> QueueOptions {
        let secs = Duration::from_secs;
        let spec = &self.options[i];
        QueueOptions {
            offer_timeout: secs(spec.offer_timeout),
            auto_accept: spec.auto_accept.map(secs),
            preview_delay: spec.preview_delay.map(secs),
            freeze: self.freezing == i,
            reconnection_timeout: secs(spec.reconnection_timeout),
            wrap_up_limit: secs(spec.wrap_up_limit),
            script: Some(Script {
                name: "greet".into(),
                first_node: "Say hello".into(),
            })
            .filter(|_| i == 0),
            ..QueueOptions::default()
        }
    }

    /// The engine configuration.
    pub fn config(&self) -> Config {
        let queues = self
            .queues()
            .into_iter()
            .enumerate()
            .map(|(i, id)| QueueConfig {
                id,
                label: format!("queue-{}", id.0),
                priority: self.options[i].priority,
                options: self.queue_options(i),
            })
            .collect();
        let agents = self
            .agents
            .iter()
            .enumerate()
            .map(|(i, spec)| {
                let id = agent_id(i);
                let mut config = AgentConfig::new(id, format!("agent-{}", id.0), spec.capacity, []);
                config.queues = self.agent_queues(spec);
                if spec.supervisor {
                    config.profile = Profile::supervisor();
                    config.monitored_queues = self.queues().into_iter().collect();
                }
                config.profile.auto_accept = spec.auto_accept;
                config.profile.preview = spec.preview;
                config
            })
            .collect();
        Config {
            queues,
            flows: vec![welcome_flow()],
            agents,
            default_options: self.queue_options(3),
        }
    }
}

fn agent_spec() -> impl Strategy<Value = AgentSpec> {
    (
        1..=3u32,
        1..8u8,
        any::<bool>(),
        any::<bool>(),
        prop::bool::weighted(0.3),
        prop::bool::weighted(0.7),
    )
        .prop_map(
            |(capacity, queue_mask, auto_accept, preview, supervisor, starts_available)| {
                AgentSpec {
                    capacity,
                    queue_mask,
                    auto_accept,
                    preview,
                    supervisor,
                    starts_available,
                }
            },
        )
}

fn options_spec() -> impl Strategy<Value = OptionsSpec> {
    (
        -1..=2i32,
        5..=20u64,
        prop::option::of(1..=3u64),
        prop::option::of(1..=5u64),
        5..=20u64,
        5..=30u64,
    )
        .prop_map(
            |(priority, offer_timeout, auto_accept, preview_delay, reconnection, wrap_up)| {
                OptionsSpec {
                    priority,
                    offer_timeout,
                    auto_accept,
                    preview_delay,
                    reconnection_timeout: reconnection,
                    wrap_up_limit: wrap_up,
                }
            },
        )
}

/// Random floors.
pub fn floor_spec() -> impl Strategy<Value = FloorSpec> {
    (
        prop::collection::vec(agent_spec(), 4..=6),
        any::<bool>(),
        [
            options_spec(),
            options_spec(),
            options_spec(),
            options_spec(),
        ],
        0..4usize,
    )
        .prop_map(|(agents, vip, options, freezing)| FloorSpec {
            agents,
            vip,
            options,
            freezing,
        })
}
