//! A timer kept across the turns of a task's loop.
//!
//! A `tokio::time::sleep_until` made in each turn of a `select!` loop is put
//! into the runtime's timer wheel when first polled and taken out again when
//! the turn ends, each time under the wheel's lock. The hub and every socket
//! turn once per frame, event or commit, so that was paid thousands of times a
//! second for deadlines that had not moved: ~5 % of the server's CPU under
//! load (docs/benchmarks-journal.md, "The timers kept"). An [`Alarm`] keeps one timer
//! and moves it only when its deadline changes.

use std::pin::Pin;

use tokio::time::{Instant, Sleep};

/// One deadline, or none.
#[derive(Debug)]
pub(crate) struct Alarm {
    at: Option<Instant>,
    sleep: Pin<Box<Sleep>>,
}

impl Alarm {
    /// An alarm not set. Inside the runtime: the timer belongs to its clock.
    pub(crate) fn new() -> Self {
        Alarm {
            at: None,
            sleep: Box::pin(tokio::time::sleep_until(Instant::now())),
        }
    }

    /// Rings at `at`, or never (`None`). The timer moves only if `at` differs
    /// from its deadline.
    pub(crate) fn set(&mut self, at: Option<Instant>) {
        if let Some(at) = at
            && self.sleep.deadline() != at
        {
            self.sleep.as_mut().reset(at);
        }
        self.at = at;
    }

    /// Whether it is set; `select!` awaits [`Alarm::ring`] only then.
    pub(crate) fn is_set(&self) -> bool {
        self.at.is_some()
    }

    /// Resolves at the deadline (at once if it has passed), and unsets the
    /// alarm: a timer that has fired stays ready, so an alarm left set would
    /// ring at every turn of the loop until set again. Await it only while
    /// [`Alarm::is_set`]; cancel-safe (dropped before the deadline, it stays
    /// set).
    pub(crate) async fn ring(&mut self) {
        self.sleep.as_mut().await;
        self.at = None;
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test(start_paused = true)]
    async fn rings_at_its_deadline_and_again_after_it_moves() {
        let start = Instant::now();
        let mut alarm = Alarm::new();
        assert!(!alarm.is_set());
        alarm.set(Some(start + Duration::from_secs(5)));
        assert!(alarm.is_set());
        alarm.ring().await;
        assert_eq!(Instant::now(), start + Duration::from_secs(5));
        alarm.set(Some(start + Duration::from_secs(8)));
        alarm.ring().await;
        assert_eq!(Instant::now(), start + Duration::from_secs(8));
        alarm.set(None);
        assert!(!alarm.is_set());
    }

    #[tokio::test(start_paused = true)]
    async fn a_rung_alarm_is_unset_until_set_again() {
        let start = Instant::now();
        let mut alarm = Alarm::new();
        alarm.set(Some(start + Duration::from_secs(2)));
        alarm.ring().await;
        // Its timer has fired and would be ready at once: a loop that
        // awaited it again whenever the deadline had not changed would spin.
        assert!(!alarm.is_set());
        // Set again to the deadline it rang at, it rings again at once.
        alarm.set(Some(start + Duration::from_secs(2)));
        assert!(alarm.is_set());
        alarm.ring().await;
        assert_eq!(Instant::now(), start + Duration::from_secs(2));
    }

    #[tokio::test(start_paused = true)]
    async fn an_earlier_deadline_takes_over_one_set_before() {
        let start = Instant::now();
        let mut alarm = Alarm::new();
        alarm.set(Some(start + Duration::from_secs(60)));
        // Polled once, so the timer is in the wheel, then moved earlier.
        assert!(
            tokio::time::timeout(Duration::from_secs(1), alarm.ring())
                .await
                .is_err()
        );
        alarm.set(Some(start + Duration::from_secs(3)));
        alarm.ring().await;
        assert_eq!(Instant::now(), start + Duration::from_secs(3));
    }
}
