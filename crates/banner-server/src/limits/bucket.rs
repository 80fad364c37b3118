//! A token bucket: up to `burst` tokens, refilled at `per_minute`; each request
//! takes one. A client may burst, then keeps the steady rate. Time is passed in.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// How many requests a key may make: `burst` at once, then `per_minute`.
/// Zeros are read as 1, so a limit can be made strict but never a wall.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rate {
    /// Requests allowed at once, after a quiet spell.
    pub burst: u32,
    /// Tokens given back per minute.
    pub per_minute: u32,
}

impl Rate {
    /// A rate of `burst`, then `per_minute`.
    pub const fn new(burst: u32, per_minute: u32) -> Self {
        Rate { burst, per_minute }
    }

    fn capacity(self) -> f64 {
        f64::from(self.burst.max(1))
    }

    fn per_sec(self) -> f64 {
        f64::from(self.per_minute.max(1)) / 60.0
    }
}

/// One key's bucket.
#[derive(Clone, Copy, Debug)]
pub struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    /// A full bucket: a new key may burst.
    pub fn full(rate: Rate, now: Instant) -> Self {
        Bucket {
            tokens: rate.capacity(),
            at: now,
        }
    }

    fn refill(&mut self, rate: Rate, now: Instant) {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens = (self.tokens + elapsed * rate.per_sec()).min(rate.capacity());
        self.at = self.at.max(now);
    }

    /// Takes a token, or says how long until one is back.
    pub fn take(&mut self, rate: Rate, now: Instant) -> Result<(), Duration> {
        self.refill(rate, now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64(
                (1.0 - self.tokens) / rate.per_sec(),
            ))
        }
    }

    /// Whether the bucket has refilled: it is then the same as a new one, so
    /// forgetting it loses nothing.
    pub fn is_idle(&self, rate: Rate, now: Instant) -> bool {
        let mut b = *self;
        b.refill(rate, now);
        b.tokens >= rate.capacity()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_the_steady_rate() {
        let rate = Rate::new(3, 60);
        let t0 = Instant::now();
        let mut b = Bucket::full(rate, t0);
        for _ in 0..3 {
            assert_eq!(b.take(rate, t0), Ok(()));
        }
        let wait = b.take(rate, t0).unwrap_err();
        assert!(wait > Duration::from_millis(990) && wait <= Duration::from_secs(1));
        assert!(b.take(rate, t0 + Duration::from_millis(500)).is_err());
        assert_eq!(b.take(rate, t0 + Duration::from_secs(1)), Ok(()));
        assert!(!b.is_idle(rate, t0 + Duration::from_secs(2)));
        assert!(b.is_idle(rate, t0 + Duration::from_secs(4)));
        // It never holds more than the burst, however long it rests.
        let later = t0 + Duration::from_secs(3600);
        for _ in 0..3 {
            assert_eq!(b.take(rate, later), Ok(()));
        }
        assert!(b.take(rate, later).is_err());
    }

    #[test]
    fn zeros_are_read_as_one() {
        let rate = Rate::new(0, 0);
        let t0 = Instant::now();
        let mut b = Bucket::full(rate, t0);
        assert_eq!(b.take(rate, t0), Ok(()));
        let wait = b.take(rate, t0).unwrap_err();
        assert_eq!(wait.as_secs_f64().round(), 60.0);
    }
}
