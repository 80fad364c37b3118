//! Bookkeeping shared by every transition: an agent's place in the eligible
//! indexes, and a chat's place in "Messages pending".

use super::{Engine, WaitKey};
use crate::agent::AgentState;
use crate::conversation::State;
use crate::event::{Event, NotificationKind};
use crate::ids::{AgentId, ConversationId, QueueId};
use crate::time::Time;

impl Engine {
    /// Removes an agent from the eligible index of each of their queues.
    pub(crate) fn unindex(&mut self, id: AgentId) {
        let Engine { agents, queues, .. } = self;
        let Some(agent) = agents.get(&id) else { return };
        let key = (agent.idle_since, id);
        for q in &agent.config.queues {
            if let Some(queue) = queues.get_mut(q) {
                queue.eligible.remove(&key);
            }
        }
    }

    /// Puts an eligible agent back into the indexes and marks them for filling.
    pub(crate) fn index(&mut self, id: AgentId) {
        let Engine {
            agents,
            queues,
            dirty_agents,
            ..
        } = self;
        let Some(agent) = agents.get(&id) else { return };
        if !agent.eligible() {
            return;
        }
        let key = (agent.idle_since, id);
        for q in &agent.config.queues {
            if let Some(queue) = queues.get_mut(q) {
                queue.eligible.insert(key);
            }
        }
        dirty_agents.insert(id);
    }

    /// Changes an agent and keeps the indexes true.
    pub(crate) fn with_agent(&mut self, id: AgentId, change: impl FnOnce(&mut AgentState)) {
        self.unindex(id);
        if let Some(agent) = self.agents.get_mut(&id) {
            change(agent);
        }
        self.index(id);
    }

    /// Puts a chat in a queue's "Messages pending", keeping its FIFO position if it
    /// had one (a declined chat goes back where it was).
    pub(crate) fn pend_in_queue(&mut self, c: ConversationId, queue: QueueId, now: Time) {
        // A declined chat going back to its place has not newly arrived.
        let arrives = self
            .conversations
            .get(&c)
            .is_some_and(|conv| conv.wait_key.is_none() || conv.queue != Some(queue));
        let key = self.wait_key(c, now);
        let Some(conv) = self.conversations.get_mut(&c) else {
            return;
        };
        conv.queue = Some(queue);
        conv.state = State::Queued(queue);
        if let Some(q) = self.queues.get_mut(&queue) {
            q.waiting.insert(key);
        }
        self.dirty_chats.insert(c);
        self.emit(Event::Enqueued {
            conversation: c,
            queue,
        });
        if arrives {
            self.notify_monitors(Some(queue), NotificationKind::MonitoredQueueMessage, c);
        }
    }

    /// Puts a chat in one agent's "Messages pending" (direct routing).
    pub(crate) fn pend_for_agent(&mut self, c: ConversationId, agent: AgentId, now: Time) {
        let key = self.wait_key(c, now);
        let Some(conv) = self.conversations.get_mut(&c) else {
            return;
        };
        conv.state = State::DirectWaiting(agent);
        self.direct_waiting.entry(agent).or_default().insert(key);
        self.dirty_chats.insert(c);
        self.emit(Event::WaitingForAgent {
            conversation: c,
            agent,
        });
    }

    fn wait_key(&mut self, c: ConversationId, now: Time) -> WaitKey {
        let Some(conv) = self.conversations.get_mut(&c) else {
            return (now, 0, c);
        };
        let (since, n) = *conv.wait_key.get_or_insert_with(|| {
            self.arrivals += 1;
            (now, self.arrivals)
        });
        conv.waiting_since = since;
        (since, n, c)
    }

    /// Takes a chat out of whichever "Messages pending" holds it. The caller sets
    /// its next state.
    pub(crate) fn unpend(&mut self, c: ConversationId) {
        let Some(conv) = self.conversations.get(&c) else {
            return;
        };
        let Some((since, n)) = conv.wait_key else {
            return;
        };
        let key = (since, n, c);
        match conv.state {
            State::Queued(q) => {
                if let Some(queue) = self.queues.get_mut(&q) {
                    queue.waiting.remove(&key);
                }
            }
            State::DirectWaiting(agent) => {
                if let Some(set) = self.direct_waiting.get_mut(&agent) {
                    set.remove(&key);
                }
            }
            _ => {}
        }
        self.dirty_chats.remove(&c);
    }
}
