//! Turns an `Op`'s abstract choices into concrete agents, conversations, queues
//! and entries, given what the engine looks like right now.

use banner_core::*;

use crate::common::{SALES, SUPPORT, WELCOME};
use crate::floor::{FloorSpec, STRANGER, VIP, agent_id};
use crate::ops::{ChatPick, EntryPick, TargetPick, Who};

/// A conversation id no run opens.
pub const UNKNOWN_CHAT: ConversationId = ConversationId(4242);
/// A queue and a flow no floor has.
const UNKNOWN_QUEUE: QueueId = QueueId(8);
const UNKNOWN_FLOW: FlowId = FlowId(5);

/// What a choice is resolved against.
pub struct Aim<'a> {
    pub engine: &'a Engine,
    pub floor: &'a FloorSpec,
    /// Every conversation opened so far.
    pub chats: &'a [ConversationId],
}

impl Aim<'_> {
    /// The conversation `pick` aims at: one that `fits` the action if asked and
    /// there is one; else any opened so far, or now and then an unknown one.
    pub fn chat(&self, pick: ChatPick, fits: fn(&Conversation) -> bool) -> ConversationId {
        let i = match pick {
            ChatPick::Fitting(i) => {
                let fitting: Vec<ConversationId> = self
                    .chats
                    .iter()
                    .copied()
                    .filter(|&c| self.engine.conversation(c).is_some_and(fits))
                    .collect();
                if let Some(&c) = fitting.get(usize::from(i) % fitting.len().max(1)) {
                    return c;
                }
                i
            }
            ChatPick::Any(i) => i,
        };
        if i % 16 == 15 {
            return UNKNOWN_CHAT;
        }
        let len = self.chats.len().max(1);
        self.chats
            .get(usize::from(i) % len)
            .copied()
            .unwrap_or(UNKNOWN_CHAT)
    }

    /// An agent of the floor, or a stranger.
    pub fn any_agent(&self, i: u8) -> AgentId {
        let mut ids = self.floor.agent_ids();
        ids.push(STRANGER);
        ids[usize::from(i) % ids.len()]
    }

    /// The agent who acts: the fitting one for chat `c` (falling back to the
    /// first agent), or any.
    pub fn who(
        &self,
        who: Who,
        c: ConversationId,
        fitting: fn(&Engine, ConversationId) -> Option<AgentId>,
    ) -> AgentId {
        match who {
            Who::Fitting => fitting(self.engine, c).unwrap_or(agent_id(0)),
            Who::Any(i) => self.any_agent(i),
        }
    }

    pub fn entry(&self, entry: EntryPick) -> Entry {
        match entry {
            EntryPick::Welcome => Entry::Flow(WELCOME),
            EntryPick::UnknownFlow => Entry::Flow(UNKNOWN_FLOW),
            EntryPick::Queue(i) => Entry::Queue(any_queue(i)),
            EntryPick::Direct { agent, fallback } => Entry::Direct {
                agent: self.any_agent(agent),
                fallback: fallback.map(any_queue),
            },
        }
    }

    pub fn target(&self, target: TargetPick) -> TransferTarget {
        match target {
            TargetPick::User(i) => TransferTarget::User(self.any_agent(i)),
            TargetPick::Queue(i) => TransferTarget::Queue(any_queue(i)),
            TargetPick::Welcome => TransferTarget::Flow(WELCOME),
            TargetPick::UnknownFlow => TransferTarget::Flow(UNKNOWN_FLOW),
        }
    }
}

/// A queue of any floor, or one that no floor has.
fn any_queue(i: u8) -> QueueId {
    [SALES, SUPPORT, VIP, UNKNOWN_QUEUE][usize::from(i) % 4]
}

/// Ringing someone (an offer, or an attended transfer's target).
pub fn is_ringing(conv: &Conversation) -> bool {
    conv.place() == Place::Offered || conv.transfer_target().is_some()
}

pub fn is_active(conv: &Conversation) -> bool {
    conv.place() == Place::Active
}

/// The agent the chat's offer rings.
pub fn ringing(engine: &Engine, c: ConversationId) -> Option<AgentId> {
    engine.offer(c).map(|o| o.agent)
}

/// The agent holding the chat, or who froze it.
pub fn holder(engine: &Engine, c: ConversationId) -> Option<AgentId> {
    let conv = engine.conversation(c)?;
    conv.holder().or(conv.last_agent)
}

/// An agent who sees the chat in "Messages pending".
pub fn picker(engine: &Engine, c: ConversationId) -> Option<AgentId> {
    engine
        .agents()
        .map(|a| a.id)
        .find(|&a| sees_pending(engine, a, c))
}

/// Whether `a` sees chat `c` in their "Messages pending".
pub fn sees_pending(engine: &Engine, a: AgentId, c: ConversationId) -> bool {
    engine
        .pool(a)
        .is_ok_and(|pool| pool.pending.iter().any(|p| p.conversation == c))
}
