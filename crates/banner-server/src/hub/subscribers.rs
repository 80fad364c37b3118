//! Who follows the pool and the supervision view, and what they were last
//! sent. After a commit the hub rebuilds the views that have followers and
//! sends only those that changed (the snapshot time `at` aside), so a busy
//! floor does not flood an idle agent's socket with identical pools.
//!
//! It does so at most once every [`VIEWS_EVERY`]: rebuilding every
//! follower's pool after every commit cost more than the chats themselves
//! (the load benchmark with `--subscribe-pool`, as the desktop app follows
//! its pool, ran at a third of the throughput, docs/benchmarks-journal.md). The
//! first commit after a quiet spell still refreshes at once; under load the
//! views trail the events by at most that much. Offers do not wait for it:
//! the `offer` event rings by itself.
//!
//! Counts are per agent: each of an agent's sockets subscribes on its own, the
//! frames go to the agent's channel, and a socket that did not subscribe drops
//! them.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use banner_core::{AgentId, Permission};
use banner_proto::{ErrorCode, Pool, Supervision, Topic};
use banner_store::Store;
use tokio::time::Instant;

use super::fanout::AgentFeed;
use super::{Hub, Refusal};

/// The followers of each view.
#[derive(Debug, Default)]
pub struct Subscribers {
    /// Subscribed sockets per agent, and the pool they were last sent.
    pool: HashMap<AgentId, (u32, Option<Pool>)>,
    /// Subscribed sockets per supervisor.
    supervision: HashMap<AgentId, u32>,
    /// The view supervisors were last sent.
    last_supervision: Option<Supervision>,
    /// When the views were last rebuilt.
    refreshed: Option<Instant>,
    /// A commit since then may have changed them.
    pending: bool,
}

/// The least time between two rebuilds of the views.
pub const VIEWS_EVERY: Duration = Duration::from_millis(100);

fn undated_pool(pool: &Pool) -> Pool {
    Pool {
        at: 0,
        ..pool.clone()
    }
}

fn undated_supervision(view: &Supervision) -> Supervision {
    Supervision {
        at: 0,
        ..view.clone()
    }
}

impl<S: Store> Hub<S> {
    /// A socket of `agent` subscribes to (or leaves) `topic`; a subscription
    /// is answered with the view as it is now.
    pub(super) fn subscribe(
        &mut self,
        agent: AgentId,
        topic: Topic,
        on: bool,
    ) -> Result<Option<AgentFeed>, Refusal> {
        let at = self.now();
        match (topic, on) {
            (Topic::Pool, true) => {
                let pool = self.pool(agent, at).ok_or_else(|| {
                    Refusal::new(ErrorCode::Unauthorized, "You are no longer on the floor.")
                })?;
                let entry = self.subscribers.pool.entry(agent).or_insert((0, None));
                entry.0 += 1;
                entry.1 = Some(undated_pool(&pool));
                Ok(Some(AgentFeed::Pool(Arc::new(pool))))
            }
            (Topic::Supervision, true) => {
                if !self.allows(agent, Permission::Monitor) {
                    return Err(Refusal::new(
                        ErrorCode::Forbidden,
                        "Supervision needs the monitor permission.",
                    ));
                }
                let view = self.supervision(at);
                *self.subscribers.supervision.entry(agent).or_insert(0) += 1;
                self.subscribers.last_supervision = Some(undated_supervision(&view));
                Ok(Some(AgentFeed::Supervision(Arc::new(view))))
            }
            (Topic::Pool, false) => {
                if let Some(entry) = self.subscribers.pool.get_mut(&agent) {
                    entry.0 = entry.0.saturating_sub(1);
                    if entry.0 == 0 {
                        self.subscribers.pool.remove(&agent);
                    }
                }
                Ok(None)
            }
            (Topic::Supervision, false) => {
                if let Some(count) = self.subscribers.supervision.get_mut(&agent) {
                    *count = count.saturating_sub(1);
                    if *count == 0 {
                        self.subscribers.supervision.remove(&agent);
                    }
                }
                Ok(None)
            }
        }
    }

    /// A committed batch may have changed the views: they go out now if
    /// none went out in the last [`VIEWS_EVERY`], or else when that is up,
    /// once, with whatever changed meanwhile.
    pub(super) fn views_changed(&mut self) {
        let now = Instant::now();
        match self.subscribers.refreshed {
            Some(at) if now < at + VIEWS_EVERY => self.subscribers.pending = true,
            _ => self.refresh_views_now(),
        }
    }

    /// When the views held back by [`Self::views_changed`] are due.
    pub(super) fn views_due(&self) -> Option<Instant> {
        let at = self.subscribers.refreshed?;
        self.subscribers.pending.then_some(at + VIEWS_EVERY)
    }

    /// Sends the views that changed to their followers, now.
    pub(super) fn refresh_views_now(&mut self) {
        self.subscribers.pending = false;
        self.subscribers.refreshed = Some(Instant::now());
        let at = self.now();
        self.refresh_views(at);
    }

    /// Sends the views that changed to their followers.
    fn refresh_views(&mut self, at: u64) {
        let agents: Vec<AgentId> = self.subscribers.pool.keys().copied().collect();
        for agent in agents {
            let Some(pool) = self.pool(agent, at) else {
                continue;
            };
            let undated = undated_pool(&pool);
            let Some(entry) = self.subscribers.pool.get_mut(&agent) else {
                continue;
            };
            if entry.1.as_ref() == Some(&undated) {
                continue;
            }
            entry.1 = Some(undated);
            self.fanout.to_agent(agent, AgentFeed::Pool(Arc::new(pool)));
        }
        if self.subscribers.supervision.is_empty() {
            return;
        }
        let view = self.supervision(at);
        let undated = undated_supervision(&view);
        if self.subscribers.last_supervision.as_ref() == Some(&undated) {
            return;
        }
        self.subscribers.last_supervision = Some(undated);
        let view = Arc::new(view);
        let supervisors: Vec<AgentId> = self.subscribers.supervision.keys().copied().collect();
        for agent in supervisors {
            self.fanout
                .to_agent(agent, AgentFeed::Supervision(Arc::clone(&view)));
        }
    }
}
