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
//! The keep-alive timer lives in the struct too (an [`Alarm`]), moved only
//! when its deadline does, after a ping: not made again for every frame and
//! event the socket handles.

use std::time::Duration;

use axum::extract::ws::{Message, WebSocket};
use banner_proto::{ErrorCode, ErrorFrame, FrameProbe, close};
use serde::de::DeserializeOwned;
use tokio::time::Instant;

use super::{Frame, read};
use crate::alarm::Alarm;
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
    /// Set to the earlier of `next_ping` and `silent_at`; not set when
    /// keep-alive is off.
    timer: Alarm,
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
            timer: Alarm::new(),
        }
    }

    /// The next frame from the client, sending pings while waiting for it.
    /// Silence closes with 4408 (`Frame::Close`).
    pub(crate) async fn next<T: DeserializeOwned>(&mut self, socket: &mut WebSocket) -> Frame<T> {
        loop {
            self.timer
                .set(self.every.map(|_| self.next_ping.min(self.silent_at)));
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
                () = self.timer.ring(), if self.timer.is_set() => {
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
