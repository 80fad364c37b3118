//! banner-core: Banner's routing domain, with no I/O.
//!
//! It decides where every chat goes — smart routing, queues, offers, picks,
//! transfers, freeze, wrap-up — as plain data and pure transitions, in the manner
//! of quinn-proto. It reads no clock and touches no socket or file: the shell (the
//! server) passes the time in and carries the outputs out.
//!
//! # Driving the engine
//!
//! ```
//! use banner_core::*;
//!
//! let sales = QueueId(1);
//! let mut engine = Engine::new(Config {
//!     queues: vec![QueueConfig::new(sales, "Sales")],
//!     agents: vec![AgentConfig::new(AgentId(1), "Ada", 2, [sales])],
//!     ..Config::default()
//! })?;
//! let t0 = Time::from_millis(0);
//! engine.set_presence(AgentId(1), Presence::Available, t0)?;
//! let chat = engine.open_conversation(
//!     ConversationId(7),
//!     Visitor::Anonymous { visitor_id: "v-1".into() },
//!     Entry::Queue(sales),
//!     t0,
//! )?;
//! engine.visitor_message(chat, "Hello!", t0)?;
//! assert_eq!(engine.offer(chat).map(|o| o.agent), Some(AgentId(1)));
//! while let Some(event) = engine.poll_event() { /* persist, then fan out */ }
//! while let Some(note) = engine.poll_notification() { /* deliver */ }
//! if let Some(deadline) = engine.poll_timeout() {
//!     engine.handle_timeout(deadline); // the offer rang out: redistributed
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Layout
//!
//! - [`time`], [`ids`]: the clock type and identifiers.
//! - [`permissions`], [`agent`], [`queue`], [`flow`]: configuration — profiles,
//!   agents, queues and their options, smart routing flows.
//! - [`conversation`]: a visitor's thread, where it stands ([`Place`]), offers.
//! - [`timer`]: timers as data.
//! - [`event`]: outputs — events for the log, notifications for agents.
//! - [`error`]: typed refusals.
//! - `engine/`: the [`Engine`]; one file per concern — `distribution` (the
//!   router), `offers`, `visitor`, `work` (presence, messages, freeze, wrap-up),
//!   `transfer`, `pool` (what an agent sees), `index` (bookkeeping).

pub mod agent;
pub mod conversation;
mod engine;
pub mod error;
pub mod event;
pub mod flow;
pub mod ids;
pub mod permissions;
pub mod queue;
pub mod time;
pub mod timer;

pub use agent::{AgentConfig, AgentView, NotificationSettings, Presence};
pub use conversation::{
    Conversation, Entry, LatestMessage, Offer, OfferPhase, Place, RoutingKind, TransferInfo,
    TransferMode, TransferTarget, Visitor,
};
pub use engine::{
    Actions, Config, Engine, HISTORY_KEPT, InProgress, PendingChat, PendingCustomerChat, Pool,
};
pub use error::{ConfigError, Error};
pub use event::{
    AssignedBy, Audience, Author, EndReason, Event, Notification, NotificationKind, OfferEnd,
};
pub use flow::{ChoiceOption, Flow, FlowCursor, Node, RouteRule, RouteTarget};
pub use ids::{AgentId, ConversationId, FlowId, NodeId, QueueId};
pub use permissions::{Permission, Profile};
pub use queue::{QueueConfig, QueueOptions, QueueStats, Script};
pub use time::Time;
pub use timer::{FiredTimer, TimerId, TimerKind};
