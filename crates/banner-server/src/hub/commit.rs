//! The committer: a task that writes batches to the store in the order the
//! hub made them, grouping whatever queued up while the previous write was in
//! flight into one [`WriteGroup`] (group commit on top of the store's own), and
//! hands each batch back with its stored events once durable.
//!
//! A group is one transaction: the conversations its batches opened, their
//! events, then the settings they changed. So a visitor's first message, or
//! an agent's notification switch, costs no commit of its own and no waiting
//! inside the hub.

use std::sync::Arc;

use banner_store::{Appended, SettingPut, Store, StoreError, WriteGroup};
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
        let write = write_group(&group);
        // What a group carries is what group commit buys: the load benchmark
        // reads these lines (`BANNER_LOG=…,banner_server::hub::commit=debug`).
        tracing::debug!(
            batches = group.len(),
            events = write.events.len(),
            conversations = write.conversations.len(),
            settings = write.settings.len(),
            "commit group"
        );
        let result = if write.is_empty() {
            Ok(Vec::new())
        } else {
            store.commit_group(write).await
        };
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

/// The group's writes, batch after batch, in the hub's order.
fn write_group(group: &[Batch]) -> WriteGroup {
    let now = crate::clock::now_store();
    WriteGroup {
        conversations: group
            .iter()
            .flat_map(|b| b.conversations.iter().cloned())
            .collect(),
        events: group
            .iter()
            .flat_map(|b| b.appends.iter().cloned())
            .collect(),
        settings: group
            .iter()
            .flat_map(|b| b.settings.iter())
            .map(|(key, value)| SettingPut {
                key: key.clone(),
                value: value.clone(),
                updated_at: now,
            })
            .collect(),
    }
}
