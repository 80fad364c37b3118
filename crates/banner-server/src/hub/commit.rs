//! The committer: a task that appends batches to the store in the order the
//! hub made them, grouping whatever queued up while the previous append was in
//! flight into one `append_all` (group commit on top of the store's own), and
//! hands each batch back with its stored events once durable.

use std::sync::Arc;

use banner_store::{Appended, Store, StoreError};
use tokio::sync::mpsc;

use super::record::Batch;

/// The most batches one append carries.
const MAX_GROUP: usize = 256;

/// A batch back from the store.
pub type Committed = (Batch, Result<Vec<Appended>, StoreError>);

/// Runs until the hub drops its sender, then finishes what is queued.
pub async fn run<S: Store>(
    store: Arc<S>,
    mut batches: mpsc::UnboundedReceiver<Batch>,
    done: mpsc::UnboundedSender<Committed>,
) {
    while let Some(first) = batches.recv().await {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match batches.try_recv() {
                Ok(batch) => group.push(batch),
                Err(_) => break,
            }
        }
        let appends: Vec<_> = group
            .iter()
            .flat_map(|b| b.appends.iter().cloned())
            .collect();
        // What a group carries is what group commit buys: the load benchmark
        // reads these lines (`BANNER_LOG=…,banner_server::hub::commit=debug`).
        tracing::debug!(
            batches = group.len(),
            events = appends.len(),
            "commit group"
        );
        let mut result = if appends.is_empty() {
            Ok(Vec::new())
        } else {
            store.append_all(appends).await
        };
        for (key, value) in group.iter().flat_map(|b| b.settings.iter()) {
            if result.is_err() {
                break;
            }
            let now = crate::clock::now_store();
            if let Err(e) = store.put_setting(key, value, now).await {
                result = Err(e);
            }
        }
        match result {
            Ok(mut stored) => {
                for batch in group {
                    let rest = stored.split_off(batch.appends.len().min(stored.len()));
                    let mine = std::mem::replace(&mut stored, rest);
                    if done.send((batch, Ok(mine))).is_err() {
                        return;
                    }
                }
            }
            Err(e) => {
                for batch in group {
                    if done.send((batch, Err(e.clone()))).is_err() {
                        return;
                    }
                }
            }
        }
    }
}
