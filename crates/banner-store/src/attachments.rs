//! Attachment metadata. The bytes live on disk under the data dir, written by
//! the server under a random name; the store records that name, what the
//! uploader called the file, who uploaded it, and whether a public message has
//! shown it to the conversation's visitor (set by an append's
//! `shows_attachments`, in the same transaction as the message).

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::conversations;
use crate::error::{Result, StoreError};
use crate::ids::{AttachmentId, ConversationId, UnixMillis};

/// The longest stored file name accepted, in bytes.
pub const MAX_STORED_NAME_LEN: usize = 128;

/// An attachment to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttachment {
    /// The conversation it was sent in.
    pub conversation_id: ConversationId,
    /// The random file name on disk: ASCII letters, digits, `-` and `_`, with
    /// dots allowed inside (never first), so it can never leave its directory.
    pub stored_name: String,
    /// The name the uploader gave the file (shown, never used as a path).
    pub original_name: String,
    /// The media type established from the file's magic bytes.
    pub media_type: String,
    /// The size in bytes.
    pub size: u64,
    /// Who uploaded it, in the server's words (e.g. `agent:4`, `visitor:v-…`).
    pub uploaded_by: String,
    /// When it was uploaded.
    pub created_at: UnixMillis,
}

/// A stored attachment's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Allocated by the store.
    pub id: AttachmentId,
    /// The conversation it was sent in.
    pub conversation_id: ConversationId,
    /// The file name on disk.
    pub stored_name: String,
    /// The uploader's file name.
    pub original_name: String,
    /// The media type.
    pub media_type: String,
    /// The size in bytes.
    pub size: u64,
    /// Who uploaded it.
    pub uploaded_by: String,
    /// Whether a public message carried it: the visitor has seen it.
    pub shown_to_visitor: bool,
    /// When it was uploaded.
    pub created_at: UnixMillis,
}

const COLUMNS: &str = "id, conversation_id, stored_name, original_name, media_type, size, \
     uploaded_by, shown_to_visitor, created_at";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Attachment> {
    Ok(Attachment {
        id: AttachmentId(row.get(0)?),
        conversation_id: ConversationId(row.get(1)?),
        stored_name: row.get(2)?,
        original_name: row.get(3)?,
        media_type: row.get(4)?,
        size: row.get(5)?,
        uploaded_by: row.get(6)?,
        shown_to_visitor: row.get(7)?,
        created_at: row.get(8)?,
    })
}

/// Whether `name` is safe as a single path component on every platform.
fn is_safe_stored_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_STORED_NAME_LEN
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

pub(crate) fn create(conn: &Connection, new: &NewAttachment) -> Result<Attachment> {
    if !is_safe_stored_name(&new.stored_name) {
        return Err(StoreError::invalid(format!(
            "{:?} is not a safe stored file name",
            new.stored_name
        )));
    }
    if new.media_type.is_empty() {
        return Err(StoreError::invalid("an attachment needs a media type"));
    }
    conversations::ensure_exists(conn, new.conversation_id)?;
    let sql = format!(
        "INSERT INTO attachments
             (conversation_id, stored_name, original_name, media_type, size, uploaded_by,
              created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING {COLUMNS}"
    );
    Ok(conn.query_row(
        &sql,
        params![
            new.conversation_id.0,
            new.stored_name,
            new.original_name,
            new.media_type,
            new.size,
            new.uploaded_by,
            new.created_at
        ],
        from_row,
    )?)
}

pub(crate) fn get(conn: &Connection, id: AttachmentId) -> Result<Attachment> {
    let sql = format!("SELECT {COLUMNS} FROM attachments WHERE id = ?1");
    conn.query_row(&sql, [id.0], from_row)
        .optional()?
        .ok_or(StoreError::not_found("attachment"))
}

pub(crate) fn of_conversation(conn: &Connection, id: ConversationId) -> Result<Vec<Attachment>> {
    let sql = format!("SELECT {COLUMNS} FROM attachments WHERE conversation_id = ?1 ORDER BY id");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([id.0], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Marks attachments of `conversation` as shown to its visitor; ids of other
/// conversations are left alone. Runs inside the append's transaction.
pub(crate) fn mark_shown(
    conn: &Connection,
    conversation: ConversationId,
    ids: &[AttachmentId],
) -> Result<()> {
    // Most events show no file: skip even the statement cache's lookup.
    if ids.is_empty() {
        return Ok(());
    }
    let mut stmt = conn.prepare_cached(
        "UPDATE attachments SET shown_to_visitor = 1 WHERE id = ?1 AND conversation_id = ?2",
    )?;
    for id in ids {
        stmt.execute(params![id.0, conversation.0])?;
    }
    Ok(())
}

/// Deletes the metadata and returns it, so the caller can remove the file.
pub(crate) fn delete(conn: &Connection, id: AttachmentId) -> Result<Attachment> {
    let sql = format!("DELETE FROM attachments WHERE id = ?1 RETURNING {COLUMNS}");
    conn.query_row(&sql, [id.0], from_row)
        .optional()?
        .ok_or(StoreError::not_found("attachment"))
}

#[cfg(test)]
mod tests {
    use super::is_safe_stored_name;

    #[test]
    fn stored_names_cannot_escape_their_directory() {
        for good in ["a1B2-c3_d4", "9f86d081884c7d65.png", "x"] {
            assert!(is_safe_stored_name(good), "{good}");
        }
        for bad in [
            "", "..", ".hidden", "a/b", "a\\b", "../x", "a b", "é", "c:x",
        ] {
            assert!(!is_safe_stored_name(bad), "{bad}");
        }
        assert!(!is_safe_stored_name(&"a".repeat(129)));
    }
}
