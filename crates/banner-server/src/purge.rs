//! The purge of expired sessions: every `session_purge_secs` the store deletes
//! the sessions whose expiry has passed. An expired token is refused anyway;
//! purging keeps the table (and the database file) from growing with every
//! visitor who ever opened the widget.

use std::sync::Arc;
use std::time::Duration;

use banner_store::Store;
use tokio::sync::watch;

use crate::clock;

/// Purges once now, then every `every_secs` (at least one second) until the
/// server stops.
pub async fn run<S: Store>(store: Arc<S>, every_secs: u64, mut stopping: watch::Receiver<bool>) {
    let mut ticks = tokio::time::interval(Duration::from_secs(every_secs.max(1)));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticks.tick() => purge_once(store.as_ref(), clock::now_store()).await,
            () = crate::ws::stopped(&mut stopping) => return,
        }
    }
}

/// Deletes the sessions expired at `now`. A failure is logged and retried at
/// the next tick: nothing depends on the purge but the size of the table.
pub async fn purge_once<S: Store>(store: &S, now: i64) {
    match store.purge_expired_sessions(now).await {
        Ok(0) => {}
        Ok(n) => tracing::debug!(sessions = n, "purged expired sessions"),
        Err(e) => tracing::warn!(error = %e, "cannot purge expired sessions"),
    }
}
