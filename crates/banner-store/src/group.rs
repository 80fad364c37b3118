//! One group commit's writes in one transaction: the conversations it opens,
//! the events it appends and the settings it changes.
//!
//! The server's committer gathers everything its engine emitted while the
//! previous commit was syncing. Writing it as one [`WriteGroup`] makes it one
//! `COMMIT` (one WAL sync) instead of one per conversation opened and per
//! setting changed, and makes it all-or-nothing: nobody is answered about a
//! conversation whose first events were not kept, or the reverse.
//!
//! The caller numbers the conversations it opens (from
//! [`crate::Store::next_conversation_id`]), so it never waits for the store
//! to learn an id; a number already taken fails the whole group.

use rusqlite::Connection;

use crate::conversations::{self, NewConversation};
use crate::error::Result;
use crate::events::{self, AppendEvent, Appended};
use crate::ids::{ConversationId, UnixMillis};
use crate::settings;

/// A setting to put, as [`crate::Store::put_setting`] would.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingPut {
    /// The key.
    pub key: String,
    /// The new value.
    pub value: String,
    /// When it changed.
    pub updated_at: UnixMillis,
}

/// Everything one group commit writes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteGroup {
    /// Conversations to create first, under the ids the caller chose.
    pub conversations: Vec<(ConversationId, NewConversation)>,
    /// Events to append, in order (they may belong to the conversations above).
    pub events: Vec<AppendEvent>,
    /// Settings to put last.
    pub settings: Vec<SettingPut>,
}

impl WriteGroup {
    /// Whether there is nothing to write.
    pub fn is_empty(&self) -> bool {
        self.conversations.is_empty() && self.events.is_empty() && self.settings.is_empty()
    }
}

/// Writes the group; must run inside the writer's transaction (one savepoint,
/// so an error keeps none of it). Returns the events as appended.
pub(crate) fn write(conn: &Connection, group: &WriteGroup) -> Result<Vec<Appended>> {
    for (id, new) in &group.conversations {
        conversations::create_with_id(conn, *id, new)?;
    }
    let appended = events::append_all(conn, &group.events)?;
    for put in &group.settings {
        settings::put(conn, &put.key, &put.value, put.updated_at)?;
    }
    Ok(appended)
}
