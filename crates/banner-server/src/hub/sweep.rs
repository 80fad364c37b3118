//! The hub's periodic housekeeping: trimming the idempotency table (see
//! `commands`), so that it holds the commands of open conversations and the
//! last few minutes' others, not every command since the server started.

use std::time::Duration;

use banner_store::Store;

use super::Hub;

/// How often the hub sweeps. An entry lives one to two of these after it
/// became trimmable.
pub(super) const SWEEP_EVERY: Duration = Duration::from_secs(300);

impl<S: Store> Hub<S> {
    /// One sweep.
    pub(super) fn sweep(&mut self) {
        let ended = &self.ended;
        let removed = self.commands.trim(|c| ended.contains(&c));
        if removed > 0 {
            tracing::debug!(
                removed,
                kept = self.commands.len(),
                "trimmed the command table"
            );
        }
    }
}
