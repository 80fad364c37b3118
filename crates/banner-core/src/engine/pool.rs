//! What an agent sees: the pool tabs, the actions open to them on a chat, and
//! which chats they may look at.

use super::Engine;
use crate::conversation::{LatestMessage, Offer, State};
use crate::error::Error;
use crate::ids::{AgentId, ConversationId, QueueId};
use crate::permissions::Permission;
use crate::queue::Script;
use crate::time::Time;

/// A row of "In progress".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InProgress {
    /// The chat.
    pub conversation: ConversationId,
    /// Its latest message.
    pub latest: Option<LatestMessage>,
    /// When its interaction started.
    pub started_at: Time,
}

/// A row of "Messages pending".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingChat {
    /// The chat.
    pub conversation: ConversationId,
    /// Its queue (`None`: direct routing to this agent).
    pub queue: Option<QueueId>,
    /// Since when it waits.
    pub waiting_since: Time,
    /// Whether the hand button works, and why not.
    pub can_pick: Result<(), Error>,
}

/// A row of "Messages pending customers".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingCustomerChat {
    /// The chat.
    pub conversation: ConversationId,
    /// Frozen: outside the agent's capacity.
    pub frozen: bool,
}

/// An agent's pool.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pool {
    /// Offers ringing this agent.
    pub offers: Vec<Offer>,
    /// My active chats.
    pub in_progress: Vec<InProgress>,
    /// Chats of my queues (and direct chats for me) waiting to be picked, in the
    /// order the router would serve them within each queue.
    pub pending: Vec<PendingChat>,
    /// My chats waiting for the customer's reply.
    pub pending_customers: Vec<PendingCustomerChat>,
    /// My chats in wrap-up.
    pub wrap_up: Vec<ConversationId>,
    /// Interactions I finished, oldest first.
    pub history: Vec<ConversationId>,
}

/// The actions an agent has on a chat they hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Actions {
    /// Transfer to a user.
    pub transfer_to_user: bool,
    /// Transfer to a queue.
    pub transfer_to_queue: bool,
    /// Transfer to a smart routing flow.
    pub transfer_to_flow: bool,
    /// The queue's qualification form, when the profile may fill it in.
    pub qualification_form: Option<String>,
    /// The queue's script, when the profile may run it.
    pub script: Option<Script>,
    /// A video call, when the queue enables it and the profile may.
    pub video_call: bool,
}

impl Engine {
    /// The pool tabs of `agent`.
    pub fn pool(&self, agent: AgentId) -> Result<Pool, Error> {
        let state = self.agent_state(agent)?;
        let mut pool = Pool {
            offers: state
                .offers
                .iter()
                .filter_map(|c| self.offers.get(c).cloned())
                .collect(),
            wrap_up: state.wrap_up.iter().copied().collect(),
            history: state.history.clone(),
            ..Pool::default()
        };
        for c in &state.holding {
            let Some(conv) = self.conversations.get(c) else {
                continue;
            };
            match conv.state {
                State::Active { .. } => pool.in_progress.push(InProgress {
                    conversation: *c,
                    latest: conv.latest_message.clone(),
                    started_at: conv.started_at,
                }),
                State::PendingCustomer { .. } => {
                    pool.pending_customers.push(PendingCustomerChat {
                        conversation: *c,
                        frozen: false,
                    });
                }
                _ => {}
            }
        }
        pool.pending_customers
            .extend(state.frozen.iter().map(|c| PendingCustomerChat {
                conversation: *c,
                frozen: true,
            }));
        let direct = self
            .direct_waiting
            .get(&agent)
            .into_iter()
            .flatten()
            .map(|k| (None, k));
        let queued = state
            .config
            .queues
            .iter()
            .filter_map(|q| self.queues.get(q).map(|queue| (q, queue)))
            .flat_map(|(q, queue)| queue.waiting.iter().map(move |k| (Some(*q), k)));
        pool.pending = direct
            .chain(queued)
            .map(|(queue, &(since, _, c))| PendingChat {
                conversation: c,
                queue,
                waiting_since: since,
                can_pick: self.check_pick(agent, c),
            })
            .collect();
        Ok(pool)
    }

    /// What `agent` may do on chat `c`, which they must hold.
    pub fn actions(&self, agent: AgentId, c: ConversationId) -> Result<Actions, Error> {
        let profile = &self.agent_state(agent)?.config.profile;
        let conv = self
            .conversations
            .get(&c)
            .ok_or(Error::UnknownConversation(c))?;
        if conv.holder() != Some(agent) {
            return Err(Error::NotHolder {
                agent,
                conversation: c,
            });
        }
        let options = self.options(conv.queue);
        let allows = |p| profile.allows(p);
        Ok(Actions {
            transfer_to_user: allows(Permission::TransferToUser),
            transfer_to_queue: allows(Permission::TransferToQueue),
            transfer_to_flow: allows(Permission::TransferToFlow),
            qualification_form: options
                .qualification_form
                .clone()
                .filter(|_| allows(Permission::Qualification)),
            script: options
                .script
                .clone()
                .filter(|_| allows(Permission::Script)),
            video_call: options.video_call && allows(Permission::VideoCall),
        })
    }

    /// Whether `agent` may read chat `c`: supervisors with `Monitor` see every
    /// chat; agents see what they hold, held, are offered, or may pick.
    pub fn can_view(&self, agent: AgentId, c: ConversationId) -> bool {
        let (Some(state), Some(conv)) = (self.agents.get(&agent), self.conversations.get(&c))
        else {
            return false;
        };
        if state.config.profile.allows(Permission::Monitor) {
            return true;
        }
        let offered = self.offers.get(&c).is_some_and(|o| o.agent == agent);
        let pending_for_me = match conv.state {
            State::Queued(q) => state.config.queues.contains(&q),
            State::DirectWaiting(a) => a == agent,
            _ => false,
        };
        offered || pending_for_me || conv.last_agent == Some(agent) || state.history.contains(&c)
    }
}
