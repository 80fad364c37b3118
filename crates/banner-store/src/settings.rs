//! A small key/value table for what the server wants to keep beside the data,
//! such as a JSON snapshot of the configuration (queues, flows, profiles) in
//! force when the data was written.

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Result, StoreError};
use crate::ids::UnixMillis;

/// The key under which the server keeps its configuration snapshot.
pub const CONFIG_SNAPSHOT_KEY: &str = "config.snapshot";

/// Sets `key` to `value`, replacing any previous value.
pub(crate) fn put(conn: &Connection, key: &str, value: &str, updated_at: UnixMillis) -> Result<()> {
    if key.is_empty() {
        return Err(StoreError::invalid("a setting needs a key"));
    }
    conn.execute(
        "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        params![key, value, updated_at],
    )?;
    Ok(())
}

/// The value of `key`, if set.
pub(crate) fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Removes `key`; `false` when it was not set.
pub(crate) fn delete(conn: &Connection, key: &str) -> Result<bool> {
    Ok(conn.execute("DELETE FROM settings WHERE key = ?1", [key])? > 0)
}
