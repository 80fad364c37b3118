//! The inputs a property run is made of: every engine input, aimed at random
//! (often wrong) agents and conversations, plus steps of the simulated clock.

use banner_core::{Presence, TransferMode};
use proptest::prelude::*;

/// Which agent performs an action.
#[derive(Clone, Copy, Debug)]
pub enum Who {
    /// The agent the action is meant for: the one an offer rings, the holder,
    /// a member who sees the chat pending. Keeps runs from being mostly refusals.
    Fitting,
    /// Any agent of the floor, or a stranger (index modulo the choices).
    Any(u8),
}

/// Which conversation an action is aimed at.
#[derive(Clone, Copy, Debug)]
pub enum ChatPick {
    /// One where the action makes sense (ringing for an accept, active for a
    /// transfer…), when there is one; index modulo those.
    Fitting(u8),
    /// Any conversation opened so far, or (rarely) one that does not exist.
    Any(u8),
}

/// Where a new conversation enters.
#[derive(Clone, Copy, Debug)]
pub enum EntryPick {
    /// The welcome flow.
    Welcome,
    /// A flow that does not exist.
    UnknownFlow,
    /// A queue (index over the three queues and an unknown one).
    Queue(u8),
    /// Direct routing to an agent (or a stranger), with or without a fallback queue.
    Direct { agent: u8, fallback: Option<u8> },
}

/// Where a transfer sends a chat.
#[derive(Clone, Copy, Debug)]
pub enum TargetPick {
    User(u8),
    Queue(u8),
    Welcome,
    UnknownFlow,
}

/// One step of a run.
#[derive(Clone, Debug)]
pub enum Op {
    /// A visitor opens a conversation and, usually, writes a first message.
    Open {
        /// `Some(n)`: authenticated customer number `n`; `None`: anonymous.
        customer: Option<u8>,
        entry: EntryPick,
        first: Option<&'static str>,
        /// False: reuse the last conversation id (refused unless a customer's
        /// existing conversation is found first).
        fresh_id: bool,
    },
    VisitorSays {
        chat: ChatPick,
        text: &'static str,
    },
    VisitorDisconnects {
        chat: ChatPick,
    },
    VisitorReconnects {
        chat: ChatPick,
    },
    VisitorLeaves {
        chat: ChatPick,
    },
    SetPresence {
        agent: u8,
        presence: Presence,
    },
    Accept {
        who: Who,
        chat: ChatPick,
    },
    Decline {
        who: Who,
        chat: ChatPick,
    },
    Pick {
        who: Who,
        chat: ChatPick,
    },
    AgentSays {
        who: Who,
        chat: ChatPick,
        private: bool,
    },
    Transfer {
        who: Who,
        chat: ChatPick,
        target: TargetPick,
        mode: TransferMode,
    },
    CancelTransfer {
        who: Who,
        chat: ChatPick,
    },
    WaitForCustomer {
        who: Who,
        chat: ChatPick,
    },
    Archive {
        who: Who,
        chat: ChatPick,
    },
    CompleteWrapUp {
        who: Who,
        chat: ChatPick,
        disposition: bool,
    },
    /// The simulated clock moves on, firing due timers at their deadlines.
    AdvanceTime {
        ms: u64,
    },
}

/// Visitor texts: valid answers to the welcome menu, other words, and a blank.
fn text() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "1",
        "2",
        "3",
        "Buy something",
        "get help",
        "sales",
        "hello there",
        "  ",
    ])
}

fn chat() -> impl Strategy<Value = ChatPick> {
    prop_oneof![
        3 => any::<u8>().prop_map(ChatPick::Fitting),
        1 => any::<u8>().prop_map(ChatPick::Any),
    ]
}

fn who() -> impl Strategy<Value = Who> {
    prop_oneof![3 => Just(Who::Fitting), 2 => any::<u8>().prop_map(Who::Any)]
}

fn presence() -> impl Strategy<Value = Presence> {
    prop_oneof![
        6 => Just(Presence::Available),
        1 => Just(Presence::Away),
        1 => Just(Presence::Offline),
    ]
}

fn entry() -> impl Strategy<Value = EntryPick> {
    prop_oneof![
        4 => Just(EntryPick::Welcome),
        1 => Just(EntryPick::UnknownFlow),
        3 => any::<u8>().prop_map(EntryPick::Queue),
        2 => (any::<u8>(), prop::option::of(any::<u8>()))
            .prop_map(|(agent, fallback)| EntryPick::Direct { agent, fallback }),
    ]
}

fn target() -> impl Strategy<Value = TargetPick> {
    prop_oneof![
        3 => any::<u8>().prop_map(TargetPick::User),
        3 => any::<u8>().prop_map(TargetPick::Queue),
        1 => Just(TargetPick::Welcome),
        1 => Just(TargetPick::UnknownFlow),
    ]
}

fn mode() -> impl Strategy<Value = TransferMode> {
    prop_oneof![Just(TransferMode::Attended), Just(TransferMode::Blind)]
}

/// Random steps, weighted so that chats arrive, ring, get answered and end.
pub fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        14 => (
            prop::option::weighted(0.3, 0..3u8),
            entry(),
            prop::option::weighted(0.9, text()),
            prop::bool::weighted(0.9),
        )
            .prop_map(|(customer, entry, first, fresh_id)| Op::Open {
                customer,
                entry,
                first,
                fresh_id,
            }),
        12 => (chat(), text()).prop_map(|(chat, text)| Op::VisitorSays { chat, text }),
        3 => chat().prop_map(|chat| Op::VisitorDisconnects { chat }),
        2 => chat().prop_map(|chat| Op::VisitorReconnects { chat }),
        2 => chat().prop_map(|chat| Op::VisitorLeaves { chat }),
        14 => (any::<u8>(), presence())
            .prop_map(|(agent, presence)| Op::SetPresence { agent, presence }),
        12 => (who(), chat()).prop_map(|(who, chat)| Op::Accept { who, chat }),
        4 => (who(), chat()).prop_map(|(who, chat)| Op::Decline { who, chat }),
        5 => (who(), chat()).prop_map(|(who, chat)| Op::Pick { who, chat }),
        3 => (who(), chat(), any::<bool>())
            .prop_map(|(who, chat, private)| Op::AgentSays { who, chat, private }),
        10 => (who(), chat(), target(), mode()).prop_map(|(who, chat, target, mode)| {
            Op::Transfer {
                who,
                chat,
                target,
                mode,
            }
        }),
        3 => (who(), chat()).prop_map(|(who, chat)| Op::CancelTransfer { who, chat }),
        4 => (who(), chat()).prop_map(|(who, chat)| Op::WaitForCustomer { who, chat }),
        6 => (who(), chat()).prop_map(|(who, chat)| Op::Archive { who, chat }),
        5 => (who(), chat(), any::<bool>()).prop_map(|(who, chat, disposition)| {
            Op::CompleteWrapUp {
                who,
                chat,
                disposition,
            }
        }),
        // Mostly short steps, so that offers are answered as often as they ring out.
        10 => (0..=3_000u64).prop_map(|ms| Op::AdvanceTime { ms }),
        2 => (0..=60_000u64).prop_map(|ms| Op::AdvanceTime { ms }),
    ]
}
