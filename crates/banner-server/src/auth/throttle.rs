//! Login throttling: failures are counted per (username, client address) in a
//! window that starts at the first failure. Past the limit, attempts are
//! refused before the password is even checked, which also spares the CPU the
//! argon2 work an attacker would make it do. A success clears the count.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::settings::ThrottleSettings;

/// Entries beyond which expired ones are swept on the next failure.
const SWEEP_ABOVE: usize = 10_000;

/// Failure counts by (lowercase username, address).
#[derive(Debug)]
pub struct LoginThrottle {
    max_failures: u32,
    window: Duration,
    failures: Mutex<HashMap<(String, IpAddr), (u32, Instant)>>,
}

impl LoginThrottle {
    /// A throttle with these limits.
    pub fn new(settings: ThrottleSettings) -> Self {
        LoginThrottle {
            max_failures: settings.max_failures,
            window: Duration::from_secs(settings.window_secs),
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn key(username: &str, ip: IpAddr) -> (String, IpAddr) {
        (username.to_ascii_lowercase(), ip)
    }

    /// Whether an attempt may be checked now.
    pub fn allows(&self, username: &str, ip: IpAddr, now: Instant) -> bool {
        let map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        match map.get(&Self::key(username, ip)) {
            Some((count, since)) => {
                now.duration_since(*since) >= self.window || *count < self.max_failures
            }
            None => true,
        }
    }

    /// Counts a failed attempt.
    pub fn failed(&self, username: &str, ip: IpAddr, now: Instant) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > SWEEP_ABOVE {
            let window = self.window;
            map.retain(|_, (_, since)| now.duration_since(*since) < window);
        }
        let entry = map.entry(Self::key(username, ip)).or_insert((0, now));
        if now.duration_since(entry.1) >= self.window {
            *entry = (0, now);
        }
        entry.0 = entry.0.saturating_add(1);
    }

    /// Clears the count after a success.
    pub fn succeeded(&self, username: &str, ip: IpAddr) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&Self::key(username, ip));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_holds_per_user_and_address_for_the_window() {
        let t = LoginThrottle::new(ThrottleSettings {
            max_failures: 2,
            window_secs: 60,
        });
        let (ip, other) = ([10, 0, 0, 1].into(), [10, 0, 0, 2].into());
        let t0 = Instant::now();
        t.failed("Ada", ip, t0);
        assert!(t.allows("ada", ip, t0));
        t.failed("ada", ip, t0);
        assert!(!t.allows("ADA", ip, t0));
        assert!(t.allows("ada", other, t0));
        assert!(t.allows("bob", ip, t0));
        assert!(t.allows("ada", ip, t0 + Duration::from_secs(60)));
        t.succeeded("ada", ip);
        assert!(t.allows("ada", ip, t0));
    }
}
