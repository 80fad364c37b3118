//! Snapshots for the agent's screens, built from the engine and the ledger:
//! the pool (the Banner's tabs), the supervision view, one conversation's
//! details, and the directory of agents, queues and flows. The same shapes go
//! out over HTTP (`GET /v1/pool`…) and as `pool_changed` /
//! `supervision_changed` frames.

use banner_core::{self as core, AgentId, ConversationId, Permission};
use banner_proto::{self as proto, ErrorCode};
use banner_store::Store;

use super::{Hub, Refusal};
use crate::wire;

fn ms(t: core::Time) -> u64 {
    t.as_millis()
}

impl<S: Store> Hub<S> {
    fn visitor_of(&self, c: ConversationId) -> proto::VisitorInfo {
        let names = self.names();
        match self.engine.conversation(c) {
            Some(conv) => names.visitor(c, &conv.visitor),
            None => self
                .visitors
                .get(&c)
                .cloned()
                .unwrap_or_else(|| proto::VisitorInfo {
                    visitor_id: String::new(),
                    customer: None,
                    locale: None,
                }),
        }
    }

    fn queue_of(&self, c: ConversationId) -> Option<proto::QueueRef> {
        let q = self.engine.conversation(c)?.queue?;
        Some(self.names().queue(q))
    }

    /// Whether `agent`'s profile has `permission`.
    pub(super) fn allows(&self, agent: AgentId, permission: Permission) -> bool {
        self.floor
            .config
            .agents
            .iter()
            .find(|a| a.id == agent)
            .is_some_and(|a| a.profile.allows(permission))
    }

    /// The pool of `agent`, as of `at`.
    pub(super) fn pool(&self, agent: AgentId, at: u64) -> Option<proto::Pool> {
        let view = self.engine.agent(agent)?;
        let pool = self.engine.pool(agent).ok()?;
        let names = self.names();
        let visitor = |c| self.visitor_of(c);
        Some(proto::Pool {
            at,
            presence: wire::presence_to_proto(view.presence),
            load: view.load,
            capacity: view.capacity,
            offers: pool
                .offers
                .iter()
                .map(|o| names.offer(o, visitor(o.conversation)))
                .collect(),
            in_progress: pool
                .in_progress
                .iter()
                .map(|row| proto::InProgressChat {
                    conversation: wire::conversation_to_proto(row.conversation),
                    visitor: visitor(row.conversation),
                    queue: self.queue_of(row.conversation),
                    latest: self.ledger.latest(row.conversation),
                    unread: self.ledger.unread(row.conversation, agent),
                    started_at: ms(row.started_at),
                })
                .collect(),
            pending: pool
                .pending
                .iter()
                .map(|row| proto::PendingChat {
                    conversation: wire::conversation_to_proto(row.conversation),
                    visitor: visitor(row.conversation),
                    queue: row.queue.map(|q| names.queue(q)),
                    waiting_since: ms(row.waiting_since),
                    can_pick: row.can_pick.is_ok(),
                    reason: row.can_pick.as_ref().err().map(wire::codes::core_code),
                })
                .collect(),
            pending_customers: pool
                .pending_customers
                .iter()
                .map(|row| proto::PendingCustomerChat {
                    conversation: wire::conversation_to_proto(row.conversation),
                    visitor: visitor(row.conversation),
                    frozen: row.frozen,
                    since: self
                        .ledger
                        .customer_since(row.conversation)
                        .or_else(|| {
                            let conv = self.engine.conversation(row.conversation)?;
                            Some(ms(conv.waiting_since))
                        })
                        .unwrap_or(at),
                })
                .collect(),
            wrap_up: pool
                .wrap_up
                .iter()
                .map(|&c| proto::WrapUpChat {
                    conversation: wire::conversation_to_proto(c),
                    visitor: visitor(c),
                    deadline: self.ledger.wrap_up_deadline(c).unwrap_or(at),
                })
                .collect(),
            // The engine keeps them oldest first, and more of them (they are
            // what the agent may still open); the tab shows the newest first.
            history: pool
                .history
                .iter()
                .rev()
                .take(proto::limits::POOL_HISTORY)
                .map(|&c| proto::HistoryChat {
                    conversation: wire::conversation_to_proto(c),
                    visitor: visitor(c),
                    ended_at: self.ledger.finished_at(c).unwrap_or(0),
                })
                .collect(),
        })
    }

    /// The supervision view, as of `at`.
    pub(super) fn supervision(&self, at: u64) -> proto::Supervision {
        let names = self.names();
        let queues = self
            .floor
            .queues
            .keys()
            .filter_map(|&q| {
                let stats = self.engine.queue_stats(q)?;
                Some(proto::QueueLive {
                    queue: names.queue(q),
                    waiting: u32::try_from(stats.waiting).unwrap_or(u32::MAX),
                    oldest_since: stats.oldest_since.map(ms),
                    eligible_agents: u32::try_from(stats.eligible_agents).unwrap_or(u32::MAX),
                })
            })
            .collect();
        let agents = self
            .engine
            .agents()
            .map(|a| proto::AgentLive {
                agent: names.agent(a.id),
                presence: wire::presence_to_proto(a.presence),
                load: a.load,
                capacity: a.capacity,
                offers: a
                    .offers
                    .iter()
                    .map(|&c| wire::conversation_to_proto(c))
                    .collect(),
                idle_since: ms(a.idle_since),
            })
            .collect();
        let mut ids: Vec<ConversationId> = self.engine.conversation_ids().collect();
        ids.sort_unstable();
        let conversations = ids
            .into_iter()
            .filter_map(|c| {
                let conv = self.engine.conversation(c)?;
                let place = conv.place();
                let agent = conv
                    .holder()
                    .or_else(|| self.engine.offer(c).map(|o| o.agent))
                    .or_else(|| conv.direct_agent())
                    .or_else(|| conv.is_frozen().then_some(conv.last_agent).flatten());
                let waits = matches!(place, core::Place::Pending | core::Place::Offered);
                Some(proto::ConversationLive {
                    conversation: wire::conversation_to_proto(c),
                    visitor: names.visitor(c, &conv.visitor),
                    place: wire::place_to_proto(place),
                    queue: conv.queue.map(|q| names.queue(q)),
                    agent: agent.map(|a| names.agent(a)),
                    started_at: ms(conv.started_at),
                    waiting_since: waits.then(|| ms(conv.waiting_since)),
                })
            })
            .collect();
        proto::Supervision {
            at,
            queues,
            agents,
            conversations,
        }
    }

    /// The details of a live conversation `agent` may see; `None` when the
    /// engine no longer holds it (ended: the log tells the rest).
    pub(super) fn details(
        &self,
        agent: AgentId,
        c: ConversationId,
    ) -> Result<Option<proto::ConversationDetails>, Refusal> {
        let Some(conv) = self.engine.conversation(c) else {
            return Ok(None);
        };
        if !self.engine.can_view(agent, c) {
            return Err(Refusal::new(
                ErrorCode::NotFound,
                format!("No conversation {} is visible to you.", c.0),
            ));
        }
        let names = self.names();
        let actions = self.engine.actions(agent, c).ok().map(|a| proto::Actions {
            transfer_to_user: a.transfer_to_user,
            transfer_to_queue: a.transfer_to_queue,
            transfer_to_flow: a.transfer_to_flow,
            qualification_form: a.qualification_form,
            script: a.script.map(|s| proto::Script {
                name: s.name,
                first_node: s.first_node,
            }),
            video_call: a.video_call,
        });
        Ok(Some(proto::ConversationDetails {
            conversation: wire::conversation_to_proto(c),
            visitor: names.visitor(c, &conv.visitor),
            entry: names.entry(conv.entry),
            place: wire::place_to_proto(conv.place()),
            queue: conv.queue.map(|q| names.queue(q)),
            agent: conv.holder().map(|a| names.agent(a)),
            variables: conv.variables.clone(),
            interactions: conv.interactions,
            started_at: ms(conv.started_at),
            latest_seq: self.ledger.latest_seq(c),
            actions,
        }))
    }

    /// Every agent with their presence, every queue and every flow.
    pub(super) fn directory(&self) -> proto::Directory {
        let names = self.names();
        proto::Directory {
            agents: self
                .engine
                .agents()
                .map(|a| proto::DirectoryAgent {
                    id: proto::AgentId(a.id.0),
                    name: a.name,
                    presence: wire::presence_to_proto(a.presence),
                })
                .collect(),
            queues: self.floor.queues.keys().map(|&q| names.queue(q)).collect(),
            flows: self.floor.flows.keys().map(|&f| names.flow(f)).collect(),
        }
    }
}
