//! Conversations: one row per chat thread, with its visitor and current state.
//!
//! The state is the server's word for where the chat is (queued, active,
//! frozen, archived…); the store keeps it as text and never interprets it.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::error::{Result, StoreError};
use crate::ids::{ConversationId, UnixMillis};

/// A conversation to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConversation {
    /// The visitor's id (random for anonymous visitors).
    pub visitor_id: String,
    /// The authenticated customer's id, if the host site vouched for one.
    pub customer_id: Option<String>,
    /// The initial state.
    pub state: String,
    /// When it started.
    pub created_at: UnixMillis,
}

/// A stored conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversation {
    /// Allocated by the store.
    pub id: ConversationId,
    /// The visitor's id.
    pub visitor_id: String,
    /// The authenticated customer's id, if any.
    pub customer_id: Option<String>,
    /// The current state.
    pub state: String,
    /// When it started.
    pub created_at: UnixMillis,
    /// The latest state change or appended event.
    pub updated_at: UnixMillis,
}

const COLUMNS: &str = "id, visitor_id, customer_id, state, created_at, updated_at";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Conversation> {
    Ok(Conversation {
        id: ConversationId(row.get(0)?),
        visitor_id: row.get(1)?,
        customer_id: row.get(2)?,
        state: row.get(3)?,
        created_at: row.get(4)?,
        updated_at: row.get(5)?,
    })
}

pub(crate) fn create(conn: &Connection, new: &NewConversation) -> Result<Conversation> {
    if new.visitor_id.is_empty() {
        return Err(StoreError::invalid("a conversation needs a visitor id"));
    }
    let sql = format!(
        "INSERT INTO conversations (visitor_id, customer_id, state, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?4) RETURNING {COLUMNS}"
    );
    Ok(conn.query_row(
        &sql,
        params![new.visitor_id, new.customer_id, new.state, new.created_at],
        from_row,
    )?)
}

/// Creates a conversation under an id the caller chose (a group commit's);
/// Conflict if the id is taken. The table's AUTOINCREMENT counter moves past
/// it, so [`next_id`] never hands it out again.
pub(crate) fn create_with_id(
    conn: &Connection,
    id: ConversationId,
    new: &NewConversation,
) -> Result<()> {
    if new.visitor_id.is_empty() {
        return Err(StoreError::invalid("a conversation needs a visitor id"));
    }
    if id.0 < 1 {
        return Err(StoreError::invalid("a conversation id starts at 1"));
    }
    conn.prepare_cached(
        "INSERT INTO conversations (id, visitor_id, customer_id, state, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
    )?
    .execute(params![
        id.0,
        new.visitor_id,
        new.customer_id,
        new.state,
        new.created_at
    ])?;
    Ok(())
}

/// The lowest id never given to a conversation, deleted ones included: past
/// both the AUTOINCREMENT counter and the largest id present.
pub(crate) fn next_id(conn: &Connection) -> Result<ConversationId> {
    let high: i64 = conn.query_row(
        "SELECT MAX(
             COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'conversations'), 0),
             COALESCE((SELECT MAX(id) FROM conversations), 0))",
        [],
        |r| r.get(0),
    )?;
    Ok(ConversationId(high + 1))
}

pub(crate) fn get(conn: &Connection, id: ConversationId) -> Result<Conversation> {
    let sql = format!("SELECT {COLUMNS} FROM conversations WHERE id = ?1");
    conn.query_row(&sql, [id.0], from_row)
        .optional()?
        .ok_or(StoreError::not_found("conversation"))
}

/// Fails with NotFound unless the conversation exists.
pub(crate) fn ensure_exists(conn: &Connection, id: ConversationId) -> Result<()> {
    let found = conn
        .query_row("SELECT 1 FROM conversations WHERE id = ?1", [id.0], |_| {
            Ok(())
        })
        .optional()?;
    found.ok_or(StoreError::not_found("conversation"))
}

/// Sets the state (when given) and moves `updated_at` forward, never back.
pub(crate) fn touch(
    conn: &Connection,
    id: ConversationId,
    state: Option<&str>,
    at: UnixMillis,
) -> Result<()> {
    // Without a new state, leave `state` out of the SET: SQLite rewrites the
    // entries of every index on a column that is SET, changed or not, and
    // most appends only move the time.
    let changed = match state {
        Some(state) => conn
            .prepare_cached(
                "UPDATE conversations SET state = ?2, updated_at = MAX(updated_at, ?3)
                 WHERE id = ?1",
            )?
            .execute(params![id.0, state, at])?,
        None => conn
            .prepare_cached(
                "UPDATE conversations SET updated_at = MAX(updated_at, ?2) WHERE id = ?1",
            )?
            .execute(params![id.0, at])?,
    };
    if changed == 0 {
        return Err(StoreError::not_found("conversation"));
    }
    Ok(())
}

pub(crate) fn of_visitor(
    conn: &Connection,
    visitor_id: &str,
    limit: u32,
) -> Result<Vec<Conversation>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM conversations WHERE visitor_id = ?1 ORDER BY id DESC LIMIT ?2"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![visitor_id, limit], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn latest_of_customer(
    conn: &Connection,
    customer_id: &str,
) -> Result<Option<Conversation>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM conversations WHERE customer_id = ?1 ORDER BY id DESC LIMIT 1"
    );
    Ok(conn.query_row(&sql, [customer_id], from_row).optional()?)
}

pub(crate) fn in_state(
    conn: &Connection,
    state: &str,
    after: ConversationId,
    limit: u32,
) -> Result<Vec<Conversation>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM conversations WHERE state = ?1 AND id > ?2 ORDER BY id LIMIT ?3"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![state, after.0, limit], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
