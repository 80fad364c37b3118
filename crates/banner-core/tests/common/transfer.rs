//! Helpers shared by the transfer tests.

use banner_core::*;

use super::*;

pub fn transfer(
    sim: &mut Sim,
    actor: AgentId,
    c: ConversationId,
    target: TransferTarget,
    mode: TransferMode,
) -> Result<(), Error> {
    sim.run(|e, now| e.transfer(actor, c, target, mode, now))
}

/// The agents whose "In progress" tab shows `c`.
pub fn in_progress(sim: &Sim, c: ConversationId) -> Vec<AgentId> {
    [ADA, BOB, CY, SUE]
        .into_iter()
        .filter(|a| {
            let pool = sim.engine.pool(*a).expect("known agent");
            pool.in_progress.iter().any(|row| row.conversation == c)
        })
        .collect()
}

/// Asserts that `actor`'s transfer of `c` is refused for `why` and changes nothing:
/// the chat stays active with its holder, nobody is rung, no event is emitted.
pub fn assert_refused(
    sim: &mut Sim,
    actor: AgentId,
    c: ConversationId,
    (target, mode): (TransferTarget, TransferMode),
    why: Error,
) {
    let (before, holder) = (sim.events.len(), sim.holder(c));
    assert_eq!(transfer(sim, actor, c, target, mode), Err(why));
    assert_eq!(sim.events.len(), before, "a refusal emits nothing");
    assert_eq!(sim.place(c), Place::Active);
    assert_eq!(sim.holder(c), holder);
    assert_eq!(sim.ringing(c), None);
}

pub fn blind_from(from: AgentId) -> Option<TransferInfo> {
    Some(TransferInfo {
        from,
        mode: TransferMode::Blind,
    })
}

pub fn attended_from(from: AgentId) -> Option<TransferInfo> {
    Some(TransferInfo {
        from,
        mode: TransferMode::Attended,
    })
}

/// A floor where Ada (sales, longest idle) holds a sales chat and everyone in
/// `available` is available to chat.
pub fn ada_holding(capacity: u32, available: &[AgentId]) -> (Sim, ConversationId) {
    let mut sim = Sim::new(floor(capacity));
    sim.available(ADA);
    for a in available {
        sim.available(*a);
    }
    let c = sim.held_by(ADA, Entry::Queue(SALES));
    (sim, c)
}
