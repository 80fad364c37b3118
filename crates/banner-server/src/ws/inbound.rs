//! What an open socket hears, after `welcome`: the client's frames, read
//! through two guards.
//!
//! - **Keep-alive.** Every `keepalive_secs` the server sends a WebSocket Ping;
//!   a client that sends nothing at all — no frame, no Pong — for twice that
//!   long is gone (a laptop closed, a dead NAT mapping), and its socket is
//!   closed with 4408 so that its resources and the agent's presence (away
//!   when the last socket closes) do not wait for TCP to notice, which can take
//!   hours. Browsers answer pings by themselves.
//! - **Quota.** Each text frame spends one token of the sender's quota (the
//!   visitor's, or the agent's, shared by all their sockets). A frame over it
//!   is answered with an `error` (`rate_limited`, with its id) and not read
//!   further; the socket stays open, so a client that slows down carries on. A
//!   `typing` over the quota is dropped without an answer, as `typing` never
//!   has one.
//!
//! [`Inbound::next`] is cancel-safe, for use in a `select!`: the deadlines are
//! kept in the struct, and the socket's `recv` loses nothing when dropped.
//!
//! The keep-alive timer lives in the struct too, and is moved only when its
//! deadline does (after a ping). A timer made in each call was registered
//! with the runtime's timer wheel and taken out again for every frame and
//! every event the socket handled, under the wheel's lock: with the session's
//! expiry made the same way, ~5 % of the server's CPU under load
//! (docs/BENCHMARKS.md, "The sockets' timers kept").

use std::pin::Pin;
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket};
use banner_proto::{ErrorCode, ErrorFrame, FrameProbe, close};
use serde::de::DeserializeOwned;
use tokio::time::{Instant, Sleep};

use super::{Frame, read};
use crate::limits::{Quota, retry_secs};

/// Keep-alive timers and the frame quota of one socket.
#[derive(Debug)]
pub(crate) struct Inbound {
    /// Between pings; `None`: keep-alive is off.
    every: Option<Duration>,
    next_ping: Instant,
    /// When the client will have been silent too long.
    silent_at: Instant,
    quota: Quota,
    /// Fires at the earlier of `next_ping` and `silent_at`; never polled
    /// when keep-alive is off.
    timer: Pin<Box<Sleep>>,
}

impl Inbound {
    /// Guards for a socket that just said `hello` (inside the runtime: the
    /// timer belongs to its clock).
    pub(crate) fn new(keepalive_secs: u64, quota: Quota) -> Self {
        let every = (keepalive_secs > 0).then(|| Duration::from_secs(keepalive_secs));
        let now = Instant::now();
        let step = every.unwrap_or_default();
        Inbound {
            every,
            next_ping: now + step,
            silent_at: now + step * 2,
            quota,
            timer: Box::pin(tokio::time::sleep_until(now + step)),
        }
    }

    /// The next frame from the client, sending pings while waiting for it.
    /// Silence closes with 4408 (`Frame::Close`).
    pub(crate) async fn next<T: DeserializeOwned>(&mut self, socket: &mut WebSocket) -> Frame<T> {
        loop {
            let wake = self.every.map(|_| self.next_ping.min(self.silent_at));
            if let Some(at) = wake
                && self.timer.deadline() != at
            {
                self.timer.as_mut().reset(at);
            }
            tokio::select! {
                msg = socket.recv() => {
                    let now = Instant::now();
                    if let Some(every) = self.every {
                        self.silent_at = now + every * 2;
                    }
                    if let Some(Ok(Message::Text(text))) = &msg
                        && let Err(wait) = self.quota.take(now.into_std())
                    {
                        return over_quota(text, wait);
                    }
                    return read(msg);
                }
                () = self.timer.as_mut(), if wake.is_some() => {
                    let Some(every) = self.every else { continue };
                    let now = Instant::now();
                    if now >= self.silent_at {
                        return Frame::Close(Some(close::HELLO_TIMEOUT));
                    }
                    self.next_ping = now + every;
                    let ping = socket.send(Message::Ping(Default::default()));
                    if !matches!(tokio::time::timeout(every, ping).await, Ok(Ok(()))) {
                        // Not even a ping leaves: the client is not reading.
                        return Frame::Close(None);
                    }
                }
            }
        }
    }
}

/// The answer to a frame over the quota.
fn over_quota<T>(text: &str, wait: Duration) -> Frame<T> {
    let probe: FrameProbe = serde_json::from_str(text).unwrap_or_default();
    if probe.kind.as_deref() == Some("typing") {
        return Frame::Nothing;
    }
    let secs = retry_secs(wait);
    Frame::Refused(ErrorFrame {
        id: probe.id,
        code: ErrorCode::RateLimited,
        message: format!("Too many commands; this one was not run. Retry in {secs} s."),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_command_keeps_its_id_and_typing_gets_no_answer() {
        let frame = over_quota::<()>(
            r#"{"type": "send_message", "id": "m9", "conversation": null, "text": "x", "attachments": []}"#,
            Duration::from_millis(300),
        );
        let Frame::Refused(error) = frame else {
            panic!("expected a refusal");
        };
        assert_eq!(error.id.as_ref().map(|i| i.as_str()), Some("m9"));
        assert_eq!(error.code, ErrorCode::RateLimited);
        let typing = over_quota::<()>(
            r#"{"type": "typing", "conversation": 1, "on": true}"#,
            Duration::ZERO,
        );
        assert!(matches!(typing, Frame::Nothing));
    }
}
