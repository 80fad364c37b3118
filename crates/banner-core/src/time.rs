//! The engine's clock: plain numbers passed in by the shell, never read here.

use std::ops::Add;
use std::time::Duration;

/// A moment on the engine's clock, in milliseconds since an epoch the shell chooses
/// (the server uses the Unix epoch; tests start at zero).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(u64);

impl Time {
    /// The epoch itself.
    pub const ZERO: Time = Time(0);

    /// A moment `ms` milliseconds after the epoch.
    pub const fn from_millis(ms: u64) -> Self {
        Time(ms)
    }

    /// Milliseconds since the epoch.
    pub const fn as_millis(self) -> u64 {
        self.0
    }

    /// How long after `earlier` this moment is; zero if it is not after it.
    pub fn since(self, earlier: Time) -> Duration {
        Duration::from_millis(self.0.saturating_sub(earlier.0))
    }
}

impl Add<Duration> for Time {
    type Output = Time;

    fn add(self, rhs: Duration) -> Time {
        let ms = u64::try_from(rhs.as_millis()).unwrap_or(u64::MAX);
        Time(self.0.saturating_add(ms))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adding_a_duration_saturates_instead_of_wrapping() {
        assert_eq!(
            Time::from_millis(5) + Duration::from_millis(7),
            Time::from_millis(12)
        );
        assert_eq!(
            Time::from_millis(u64::MAX) + Duration::from_secs(1),
            Time::from_millis(u64::MAX)
        );
    }

    #[test]
    fn since_is_zero_for_a_later_moment() {
        assert_eq!(
            Time::from_millis(3).since(Time::from_millis(10)),
            Duration::ZERO
        );
        assert_eq!(
            Time::from_millis(10).since(Time::from_millis(3)),
            Duration::from_millis(7)
        );
    }
}
