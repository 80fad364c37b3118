//! Sockets opening and closing, as the engine must hear of them: an agent
//! whose last socket closes is set away (their offers go to others), and a
//! visitor whose last socket on a conversation closes starts its reconnection
//! timer (and stops it on coming back).

use banner_core::{self as core, AgentId, ConversationId};
use banner_store::Store;

use super::Hub;
use super::record::Batch;

impl<S: Store> Hub<S> {
    /// An agent's socket opened or closed: the last one closing sets an
    /// available agent away, which withdraws the offers ringing them.
    pub(super) fn agent_sockets(&mut self, agent: AgentId, opened: bool) {
        let count = self.agent_sockets.entry(agent).or_insert(0);
        if opened {
            *count += 1;
            return;
        }
        *count = count.saturating_sub(1);
        if *count > 0 {
            return;
        }
        self.agent_sockets.remove(&agent);
        let available = self
            .engine
            .agent(agent)
            .is_some_and(|a| a.presence == core::Presence::Available);
        if available {
            let now = self.now();
            let _ =
                self.engine
                    .set_presence(agent, core::Presence::Away, core::Time::from_millis(now));
            let mut batch = Batch::new(now, None);
            self.drain(&mut batch);
            self.send(batch);
        }
    }

    /// Visitor sockets opened or closed: the engine hears of a visitor who
    /// dropped (its last socket closed) or came back.
    pub(super) fn visitor_sockets(&mut self, conversations: &[ConversationId], opened: bool) {
        let now = self.now();
        let t = core::Time::from_millis(now);
        for &c in conversations {
            if self.ended.contains(&c) {
                continue;
            }
            let count = self.visitor_sockets.entry(c).or_insert(0);
            if opened {
                *count += 1;
                let away = self
                    .engine
                    .conversation(c)
                    .is_some_and(|conv| !conv.visitor_connected);
                if *count == 1 && away {
                    let _ = self.engine.visitor_reconnected(c, t);
                }
            } else {
                *count = count.saturating_sub(1);
                if *count == 0 {
                    self.visitor_sockets.remove(&c);
                    let _ = self.engine.visitor_disconnected(c, t);
                }
            }
        }
        let mut batch = Batch::new(now, None);
        self.drain(&mut batch);
        self.send(batch);
    }
}
