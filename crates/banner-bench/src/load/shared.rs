//! What every task of a load run shares: the delivered count, each
//! direction's latencies, the commands still unanswered, the errors counted
//! by command and cause, and the acknowledged messages (for the crash proof).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use banner_client::PendingAck;

use super::{AckedMessage, AckedRead};

/// What every task shares.
pub(crate) struct Shared {
    pub(super) epoch: Instant,
    pub(super) delivered: AtomicU64,
    /// Each error's command and cause, counted.
    pub(super) causes: Mutex<std::collections::BTreeMap<String, u64>>,
    /// Commands sent whose answer has not come yet.
    pub(super) unanswered: AtomicU64,
    /// Visitor→agent samples: when each message was sent (µs since
    /// `epoch`) and its latency (µs).
    pub(super) to_agent: Mutex<Vec<(u64, u64)>>,
    pub(super) to_visitor: Mutex<Vec<u64>>,
    pub(super) acked: Arc<Mutex<Vec<AckedMessage>>>,
    /// Kept only where something checks them (the crash proof): a load
    /// run would take a lock per read for nothing.
    pub(super) acked_reads: Option<Arc<Mutex<Vec<AckedRead>>>>,
}

impl Shared {
    /// Fresh counters; acknowledged messages go to `acked`, agents'
    /// acknowledged reads to `acked_reads` if given.
    pub(crate) fn new(
        acked: Arc<Mutex<Vec<AckedMessage>>>,
        acked_reads: Option<Arc<Mutex<Vec<AckedRead>>>>,
    ) -> Arc<Self> {
        Arc::new(Shared {
            epoch: Instant::now(),
            delivered: AtomicU64::new(0),
            causes: Mutex::default(),
            unanswered: AtomicU64::new(0),
            to_agent: Mutex::default(),
            to_visitor: Mutex::default(),
            acked,
            acked_reads,
        })
    }

    pub(super) fn now_us(&self) -> u64 {
        self.epoch.elapsed().as_micros() as u64
    }

    /// When a message stamped `prefix <µs>` was sent, and its latency, if
    /// it is one.
    pub(super) fn latency(&self, text: &str, prefix: &str) -> Option<(u64, u64)> {
        let sent: u64 = text
            .strip_prefix(prefix)?
            .split_whitespace()
            .next()?
            .parse()
            .ok()?;
        Some((sent, self.now_us().saturating_sub(sent)))
    }

    /// Counts an error of command `what`, and why: the server's error code,
    /// or the client's own words for anything else (a closed socket…).
    pub(crate) fn failed(&self, what: &str, error: &banner_client::ClientError) {
        let cause = match error {
            banner_client::ClientError::Server { code, .. } => code.as_str().to_owned(),
            other => other.to_string().chars().take(60).collect(),
        };
        self.count_error(what, &cause);
    }

    /// Counts an error of command `what` for `cause`.
    pub(super) fn count_error(&self, what: &str, cause: &str) {
        *lock(&self.causes)
            .entry(format!("{what}: {cause}"))
            .or_default() += 1;
    }

    /// Waits for the answer to command `what` without holding up the caller.
    pub(super) fn settle(
        self: &Arc<Self>,
        what: &'static str,
        pending: Result<PendingAck, banner_client::ClientError>,
    ) {
        let shared = Arc::clone(self);
        match pending {
            Ok(pending) => {
                shared.unanswered.fetch_add(1, Ordering::Relaxed);
                tokio::spawn(async move {
                    if let Err(e) = pending.await {
                        shared.failed(what, &e);
                    }
                    shared.unanswered.fetch_sub(1, Ordering::Relaxed);
                });
            }
            Err(e) => self.failed(what, &e),
        }
    }
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use banner_client::ClientError;
    use banner_proto::ErrorCode;

    use super::*;

    #[test]
    fn errors_are_counted_by_command_and_cause() {
        let shared = Shared::new(Arc::default(), None);
        let refused = || ClientError::Server {
            code: ErrorCode::NotOffered,
            message: "No offer.".into(),
            status: None,
            retry_after: None,
        };
        shared.failed("accept", &refused());
        shared.failed("accept", &refused());
        shared.failed("visitor message", &ClientError::Closed { close_code: None });
        let causes: Vec<(String, u64)> = lock(&shared.causes)
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect();
        assert_eq!(
            causes,
            [
                ("accept: not_offered".to_owned(), 2),
                ("visitor message: the connection is closed".to_owned(), 1),
            ]
        );
    }
}
