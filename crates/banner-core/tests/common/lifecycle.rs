//! Helpers shared by the lifecycle and reconnection tests.

use banner_core::*;

use super::*;

pub fn freeze_floor(capacity: u32) -> Config {
    floor_with(
        QueueOptions {
            freeze: true,
            ..QueueOptions::default()
        },
        capacity,
    )
}

pub fn archive(sim: &mut Sim, agent: AgentId, c: ConversationId) {
    sim.run(|e, now| e.archive(agent, c, now)).expect("archive");
}

pub fn wait_for_customer(sim: &mut Sim, agent: AgentId, c: ConversationId) {
    sim.run(|e, now| e.wait_for_customer(agent, c, now))
        .expect("wait for the customer");
}

pub fn pending_customers(sim: &Sim, agent: AgentId) -> Vec<PendingCustomerChat> {
    sim.engine
        .pool(agent)
        .expect("known agent")
        .pending_customers
}

pub fn has_reconnection_timer(sim: &Sim, c: ConversationId) -> bool {
    sim.engine
        .pending_timers()
        .iter()
        .any(|t| t.conversation == c && t.kind == TimerKind::Reconnection)
}

pub fn left(sim: &Sim, c: ConversationId) -> bool {
    sim.events.contains(&Event::VisitorLeft { conversation: c })
}
