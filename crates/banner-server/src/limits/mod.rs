//! Rate limits: how fast one client may ask, so that one client (or a script
//! posing as many) cannot starve the others or the store.
//!
//! - Per client address on HTTP ([`http`]): opening sessions (`POST
//!   /v1/login`, `POST /v1/visitor/session`) strictly, every other request
//!   loosely; over the limit the answer is 429 `rate_limited` with
//!   `Retry-After`. WebSockets open per address are capped too.
//! - Per visitor and per agent on the sockets: a frame over the quota is
//!   answered with an `error` (`rate_limited`) for that command and the
//!   socket stays open (see `ws::inbound`).
//!
//! Every table is bounded: token buckets keyed in a table of at most
//! [`MAX_KEYS`] ([`keyed`]), and socket counts that go with their sockets
//! ([`sockets`]).
//!
//! Layout: [`bucket`] (one token bucket), [`keyed`] (buckets by key),
//! [`sockets`] (open sockets by address), [`client`] (which address a request
//! is from), [`http`] (the middleware).

pub mod bucket;
pub mod client;
pub mod http;
pub mod keyed;
pub mod sockets;

use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

pub use bucket::Rate;
use keyed::Keyed;
use sockets::{Counted, Slot};

/// A socket's place in its client address's count, kept as a request extension.
pub type SocketSlot = Arc<Slot>;

/// The most keys one table of buckets holds.
pub const MAX_KEYS: usize = 65_536;

/// The `[rate_limits]` settings; see `docs/configuration.md`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RateLimitSettings {
    /// Whether any limit applies.
    pub enabled: bool,
    /// Logins and visitor sessions, per client address.
    pub sessions: Rate,
    /// Every other HTTP request (WebSocket upgrades included), per client address.
    pub http: Rate,
    /// Frames on the visitor socket, per visitor.
    pub visitor_commands: Rate,
    /// Frames on the agent socket, per agent.
    pub agent_commands: Rate,
    /// WebSockets open at once per client address.
    pub sockets_per_address: u32,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<IpAddr>,
}

impl Default for RateLimitSettings {
    fn default() -> Self {
        RateLimitSettings {
            enabled: true,
            sessions: Rate::new(20, 60),
            http: Rate::new(120, 1200),
            visitor_commands: Rate::new(30, 120),
            agent_commands: Rate::new(120, 1200),
            sockets_per_address: 256,
            trusted_proxies: Vec::new(),
        }
    }
}

/// Which HTTP budget a request spends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Budget {
    /// Opening a session: strict.
    Sessions,
    /// Anything else: loose.
    Http,
}

/// Every limiter of the server.
#[derive(Debug)]
pub struct Limits {
    settings: RateLimitSettings,
    sessions: Keyed<IpAddr>,
    http: Keyed<IpAddr>,
    visitor_commands: Arc<Keyed<String>>,
    agent_commands: Arc<Keyed<u32>>,
    sockets: Counted<IpAddr>,
}

impl Limits {
    /// Empty tables for these settings.
    pub fn new(settings: RateLimitSettings) -> Self {
        Limits {
            sessions: Keyed::new(settings.sessions, MAX_KEYS),
            http: Keyed::new(settings.http, MAX_KEYS),
            visitor_commands: Arc::new(Keyed::new(settings.visitor_commands, MAX_KEYS)),
            agent_commands: Arc::new(Keyed::new(settings.agent_commands, MAX_KEYS)),
            sockets: Counted::new(settings.sockets_per_address),
            settings,
        }
    }

    /// The key of a request's client (see [`client`]).
    pub fn client(&self, peer: IpAddr, headers: &axum::http::HeaderMap) -> IpAddr {
        client::client_key(peer, headers, &self.settings.trusted_proxies)
    }

    /// Spends one request of `client`'s budget, or says how long to wait.
    pub fn request(&self, budget: Budget, client: IpAddr, now: Instant) -> Result<(), Duration> {
        if !self.settings.enabled {
            return Ok(());
        }
        match budget {
            Budget::Sessions => self.sessions.take(&client, now),
            Budget::Http => self.http.take(&client, now),
        }
    }

    /// Whether any limit applies.
    pub fn enabled(&self) -> bool {
        self.settings.enabled
    }

    /// A place for one more open socket of `client`, unless it has too many.
    pub fn socket(&self, client: IpAddr) -> Option<Slot> {
        self.sockets.acquire(client)
    }

    /// The frame quota of a visitor's sockets (all of them together).
    pub fn visitor(&self, visitor_id: &str) -> Quota {
        if !self.settings.enabled {
            return Quota::unlimited();
        }
        let table = Arc::clone(&self.visitor_commands);
        let key = visitor_id.to_owned();
        Quota(Some(Box::new(move |now| table.take(key.as_str(), now))))
    }

    /// The frame quota of an agent's sockets (all of them together).
    pub fn agent(&self, agent: u32) -> Quota {
        if !self.settings.enabled {
            return Quota::unlimited();
        }
        let table = Arc::clone(&self.agent_commands);
        Quota(Some(Box::new(move |now| table.take(&agent, now))))
    }
}

/// Spends one token at the given time, or says how long until one is back.
type Take = Box<dyn Fn(Instant) -> Result<(), Duration> + Send + Sync>;

/// One socket's way to spend its owner's frame budget.
pub struct Quota(Option<Take>);

impl Quota {
    /// No limit.
    pub fn unlimited() -> Self {
        Quota(None)
    }

    /// Spends one frame, or says how long to wait.
    pub fn take(&self, now: Instant) -> Result<(), Duration> {
        match &self.0 {
            Some(take) => take(now),
            None => Ok(()),
        }
    }
}

impl std::fmt::Debug for Quota {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Quota"
        } else {
            "Quota(unlimited)"
        })
    }
}

/// Whole seconds to wait, at least one: what `Retry-After` and messages say.
pub fn retry_secs(wait: Duration) -> u64 {
    // Whole milliseconds first, so that float dust (60.000000001 s) is not a second more.
    let millis = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
    millis.div_ceil(1000).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visitors_and_agents_spend_their_own_quotas() {
        let limits = Limits::new(RateLimitSettings {
            visitor_commands: Rate::new(1, 60),
            agent_commands: Rate::new(1, 60),
            ..RateLimitSettings::default()
        });
        let now = Instant::now();
        let (tab1, tab2) = (limits.visitor("v-1"), limits.visitor("v-1"));
        assert!(tab1.take(now).is_ok());
        assert!(
            tab2.take(now).is_err(),
            "two tabs share their visitor's quota"
        );
        assert!(limits.visitor("v-2").take(now).is_ok());
        assert!(limits.agent(4).take(now).is_ok());
        assert!(limits.agent(4).take(now).is_err());
        assert!(limits.agent(5).take(now).is_ok());
    }

    #[test]
    fn addresses_spend_their_own_budgets_and_sessions_are_apart() {
        let limits = Limits::new(RateLimitSettings {
            sessions: Rate::new(1, 1),
            http: Rate::new(2, 60),
            ..RateLimitSettings::default()
        });
        let now = Instant::now();
        let (a, b): (IpAddr, IpAddr) = ([127, 0, 0, 1].into(), [127, 0, 0, 2].into());
        assert!(limits.request(Budget::Sessions, a, now).is_ok());
        let wait = limits.request(Budget::Sessions, a, now).unwrap_err();
        assert_eq!(retry_secs(wait), 60);
        assert!(limits.request(Budget::Sessions, b, now).is_ok());
        assert!(limits.request(Budget::Http, a, now).is_ok());
    }

    #[test]
    fn nothing_is_limited_when_disabled() {
        let limits = Limits::new(RateLimitSettings {
            enabled: false,
            sessions: Rate::new(1, 1),
            visitor_commands: Rate::new(1, 1),
            ..RateLimitSettings::default()
        });
        let now = Instant::now();
        let a: IpAddr = [127, 0, 0, 1].into();
        for _ in 0..10 {
            assert!(limits.request(Budget::Sessions, a, now).is_ok());
            assert!(limits.visitor("v").take(now).is_ok());
        }
    }
}
