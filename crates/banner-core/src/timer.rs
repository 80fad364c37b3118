//! Timers as plain data: a table of deadlines the shell polls with
//! `poll_timeout()` and fires with `handle_timeout(now)`.

use std::collections::{BTreeMap, HashMap};

use crate::ids::ConversationId;
use crate::time::Time;

/// What a timer is for. A conversation has at most one timer of each kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TimerKind {
    /// The current offer's phase ends (preview over, ring timeout, auto-accept).
    Offer,
    /// An anonymous visitor who dropped has not come back.
    Reconnection,
    /// Wrap-up reached the queue's limit.
    WrapUp,
}

/// A timer's unique identity, never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimerId(pub u64);

/// A timer that fired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FiredTimer {
    /// Which one.
    pub id: TimerId,
    /// For which conversation.
    pub conversation: ConversationId,
    /// What for.
    pub kind: TimerKind,
    /// When it was due (never after the `now` it fired at).
    pub deadline: Time,
}

/// The table of armed timers.
#[derive(Debug, Default)]
pub(crate) struct Timers {
    next_id: u64,
    by_deadline: BTreeMap<(Time, TimerId), (ConversationId, TimerKind)>,
    by_key: HashMap<(ConversationId, TimerKind), (Time, TimerId)>,
}

impl Timers {
    /// Arms (or re-arms) the `kind` timer of `conversation` for `deadline`.
    pub(crate) fn arm(
        &mut self,
        conversation: ConversationId,
        kind: TimerKind,
        deadline: Time,
    ) -> TimerId {
        self.cancel(conversation, kind);
        self.next_id += 1;
        let id = TimerId(self.next_id);
        self.by_deadline
            .insert((deadline, id), (conversation, kind));
        self.by_key.insert((conversation, kind), (deadline, id));
        id
    }

    /// Disarms it; true if it was armed.
    pub(crate) fn cancel(&mut self, conversation: ConversationId, kind: TimerKind) -> bool {
        match self.by_key.remove(&(conversation, kind)) {
            Some(key) => self.by_deadline.remove(&key).is_some(),
            None => false,
        }
    }

    /// Disarms every timer of a conversation.
    pub(crate) fn cancel_all(&mut self, conversation: ConversationId) {
        for kind in [TimerKind::Offer, TimerKind::Reconnection, TimerKind::WrapUp] {
            self.cancel(conversation, kind);
        }
    }

    /// The earliest deadline.
    pub(crate) fn next_deadline(&self) -> Option<Time> {
        self.by_deadline.keys().next().map(|(t, _)| *t)
    }

    /// Removes and returns the earliest timer due at `now`.
    pub(crate) fn pop_due(&mut self, now: Time) -> Option<FiredTimer> {
        let (&(deadline, id), _) = self
            .by_deadline
            .iter()
            .next()
            .filter(|((t, _), _)| *t <= now)?;
        let (conversation, kind) = self.by_deadline.remove(&(deadline, id))?;
        self.by_key.remove(&(conversation, kind));
        Some(FiredTimer {
            id,
            conversation,
            kind,
            deadline,
        })
    }

    /// Every armed timer.
    pub(crate) fn iter(&self) -> impl Iterator<Item = FiredTimer> + '_ {
        self.by_deadline
            .iter()
            .map(|(&(deadline, id), &(conversation, kind))| FiredTimer {
                id,
                conversation,
                kind,
                deadline,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const C: ConversationId = ConversationId(1);

    #[test]
    fn rearming_replaces_the_previous_deadline() {
        let mut timers = Timers::default();
        timers.arm(C, TimerKind::Offer, Time::from_millis(10));
        timers.arm(C, TimerKind::Offer, Time::from_millis(20));
        assert_eq!(timers.next_deadline(), Some(Time::from_millis(20)));
        assert!(timers.pop_due(Time::from_millis(19)).is_none());
        let fired = timers.pop_due(Time::from_millis(20)).expect("due");
        assert_eq!(
            (fired.kind, fired.deadline),
            (TimerKind::Offer, Time::from_millis(20))
        );
        assert!(timers.pop_due(Time::from_millis(100)).is_none());
    }

    #[test]
    fn timers_pop_in_deadline_order_and_cancel_removes() {
        let mut timers = Timers::default();
        timers.arm(C, TimerKind::WrapUp, Time::from_millis(30));
        timers.arm(ConversationId(2), TimerKind::Offer, Time::from_millis(5));
        timers.arm(C, TimerKind::Reconnection, Time::from_millis(7));
        assert!(timers.cancel(C, TimerKind::Reconnection));
        assert!(!timers.cancel(C, TimerKind::Reconnection));
        let order: Vec<_> = std::iter::from_fn(|| timers.pop_due(Time::from_millis(50)))
            .map(|f| f.deadline)
            .collect();
        assert_eq!(order, vec![Time::from_millis(5), Time::from_millis(30)]);
    }
}
