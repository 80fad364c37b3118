//! The per-conversation event log: gap-free `seq` allocation and idempotent append.
//!
//! `seq` is allocated inside the write transaction as `max + 1` (1-based; a
//! group's later events of the same conversation count on from the first).
//! Since one writer thread runs every append, two appends can never race for a
//! number, and a rolled-back append leaves no gap. The log is stored in
//! arrival order (migration 6) with `(conversation_id, seq)` as a unique index.
//!
//! A `client_id` makes a retry safe: the log stores a SHA-256 digest of the
//! `kind` and `body`, and a retry with the same `client_id` is answered with
//! the original event when the digests match, or a conflict when they differ
//! — never with a second row.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Row, params};
use sha2::{Digest, Sha256};

use crate::error::{Result, StoreError};
use crate::ids::{AttachmentId, ConversationId, UnixMillis};
use crate::{attachments, conversations, search};

/// The longest `client_id` accepted, in bytes.
pub const MAX_CLIENT_ID_LEN: usize = 256;

/// An event to append to a conversation's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppendEvent {
    /// The conversation whose log receives the event.
    pub conversation_id: ConversationId,
    /// The id the client made for the command, for idempotent retries.
    pub client_id: Option<String>,
    /// What happened, in the server's words (e.g. `"message.visitor"`).
    pub kind: String,
    /// The event's payload as JSON text.
    pub body: String,
    /// For messages: the text to index for full-text search.
    pub searchable_text: Option<String>,
    /// A new conversation state to set in the same transaction.
    pub new_state: Option<String>,
    /// Attachments of this conversation that the event shows to its visitor (a
    /// public message carrying them): marked in the same transaction.
    pub shows_attachments: Vec<AttachmentId>,
    /// When it happened.
    pub created_at: UnixMillis,
}

/// An event as stored in the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    /// The conversation it belongs to.
    pub conversation_id: ConversationId,
    /// Its place in the conversation's log: 1, 2, 3… without gaps.
    pub seq: u64,
    /// The client's id for the command, if it sent one.
    pub client_id: Option<String>,
    /// What happened.
    pub kind: String,
    /// The payload as JSON text.
    pub body: String,
    /// When it happened.
    pub created_at: UnixMillis,
}

/// The answer to an append.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appended {
    /// The stored event: the new one, or for a retry the original.
    pub event: StoredEvent,
    /// `true` when this was a retry and nothing new was stored.
    pub duplicate: bool,
}

const COLUMNS: &str = "conversation_id, seq, client_id, kind, body, created_at";

fn from_row(row: &Row<'_>) -> rusqlite::Result<StoredEvent> {
    Ok(StoredEvent {
        conversation_id: ConversationId(row.get(0)?),
        seq: row.get(1)?,
        client_id: row.get(2)?,
        kind: row.get(3)?,
        body: row.get(4)?,
        created_at: row.get(5)?,
    })
}

/// SHA-256 over the kind's length, the kind, then the body, so that no two
/// different (kind, body) pairs frame to the same bytes.
fn digest(kind: &str, body: &str) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update((kind.len() as u64).to_be_bytes());
    hasher.update(kind.as_bytes());
    hasher.update(body.as_bytes());
    hasher.finalize().into()
}

fn validate(event: &AppendEvent) -> Result<()> {
    if event.kind.is_empty() {
        return Err(StoreError::invalid("an event needs a kind"));
    }
    if let Some(client_id) = &event.client_id
        && (client_id.is_empty() || client_id.len() > MAX_CLIENT_ID_LEN)
    {
        return Err(StoreError::invalid(format!(
            "a client id must be 1 to {MAX_CLIENT_ID_LEN} bytes"
        )));
    }
    Ok(())
}

/// Appends one event; must run inside the writer's transaction.
pub(crate) fn append(conn: &Connection, event: &AppendEvent) -> Result<Appended> {
    append_to(conn, event, &mut Tails::default())
}

/// Appends several events, all or none; must run inside the writer's transaction.
pub(crate) fn append_all(conn: &Connection, events: &[AppendEvent]) -> Result<Vec<Appended>> {
    let mut tails = Tails::default();
    let appended = events
        .iter()
        .map(|event| append_to(conn, event, &mut tails))
        .collect::<Result<Vec<_>>>()?;
    tails.finish(conn)?;
    Ok(appended)
}

/// What a group of appends already knows of each conversation it wrote to.
///
/// A group commit carries several events of the same conversation. Only its
/// first one needs the conversation's last `seq` read and its `updated_at`
/// set at once; the others take the next number, and their `updated_at` is
/// set once at the end — two statements fewer per event on the writer's
/// busiest path.
#[derive(Default)]
struct Tails {
    /// Per conversation: the next `seq`, the `updated_at` already written and
    /// the latest event time not yet written.
    known: HashMap<i64, Tail>,
}

struct Tail {
    next_seq: u64,
    written_at: UnixMillis,
    latest_at: UnixMillis,
}

impl Tails {
    /// Sets `updated_at` where a later event of the group moved it forward.
    fn finish(&self, conn: &Connection) -> Result<()> {
        for (&id, tail) in &self.known {
            if tail.latest_at > tail.written_at {
                conversations::touch(conn, ConversationId(id), None, tail.latest_at)?;
            }
        }
        Ok(())
    }
}

/// The next `seq` of a conversation.
const NEXT_SEQ: &str = "SELECT COALESCE(MAX(seq), 0) + 1 FROM events WHERE conversation_id = ?1";

/// One event, unless its client id is stored already (then no row).
const INSERT_EVENT: &str =
    "INSERT INTO events (conversation_id, seq, client_id, kind, body, digest, created_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
     ON CONFLICT (conversation_id, client_id) WHERE client_id IS NOT NULL DO NOTHING";

fn append_to(conn: &Connection, event: &AppendEvent, tails: &mut Tails) -> Result<Appended> {
    validate(event)?;
    let digest = digest(&event.kind, &event.body);
    let id = event.conversation_id;
    let known = tails.known.get(&id.0).map(|tail| tail.next_seq);
    let seq = match known {
        Some(next_seq) => next_seq,
        // Cached statements, here and below: the writer runs them for every
        // group or every event, and preparing one costs as much as running it.
        None => conn
            .prepare_cached(NEXT_SEQ)?
            .query_row([id.0], |r| r.get(0))?,
    };
    // The insert comes first and is the retry check: the unique index on
    // client ids turns a stored one into no row written, and only then is
    // the stored event looked up. Looking it up before every insert cost
    // ~3 % of the server's CPU under load, for retries that are rare. The
    // conversation is touched only once the event is in, so that a retry
    // changes nothing. SQLite checks the body's CHECK before the client id's
    // index and the conversation's key after both, so a body that is not
    // JSON is InvalidInput even in a clashing retry or an unknown
    // conversation (`Store::append` names all three answers).
    let inserted = conn
        .prepare_cached(INSERT_EVENT)?
        .execute(params![
            id.0,
            seq,
            event.client_id,
            event.kind,
            event.body,
            digest,
            event.created_at
        ])
        .map_err(unknown_conversation)?;
    if inserted == 0 {
        return retried(conn, event, &digest);
    }
    match tails.known.get_mut(&id.0) {
        Some(tail) => {
            // A state change is written in order; a later time only at the end.
            if event.new_state.is_some() {
                conversations::touch(conn, id, event.new_state.as_deref(), event.created_at)?;
                tail.written_at = tail.written_at.max(event.created_at);
            }
            tail.latest_at = tail.latest_at.max(event.created_at);
            tail.next_seq = seq + 1;
        }
        None => {
            conversations::touch(conn, id, event.new_state.as_deref(), event.created_at)?;
            tails.known.insert(
                id.0,
                Tail {
                    next_seq: seq + 1,
                    written_at: event.created_at,
                    latest_at: event.created_at,
                },
            );
        }
    }
    if let Some(text) = &event.searchable_text {
        search::index_message(conn, id, seq, text)?;
    }
    attachments::mark_shown(conn, id, &event.shows_attachments)?;
    Ok(Appended {
        event: StoredEvent {
            conversation_id: id,
            seq,
            client_id: event.client_id.clone(),
            kind: event.kind.clone(),
            body: event.body.clone(),
            created_at: event.created_at,
        },
        duplicate: false,
    })
}

/// The answer to an append whose client id is stored already: the stored
/// event if the retry carries the same kind and body, Conflict if not.
fn retried(conn: &Connection, event: &AppendEvent, digest: &[u8; 32]) -> Result<Appended> {
    // Only a client id can clash: the index leaves NULLs out.
    let original = match &event.client_id {
        Some(client_id) => by_client_id(conn, event.conversation_id, client_id, digest)?,
        None => None,
    };
    let original = original.ok_or_else(|| {
        StoreError::Sqlite("an event was not written, and no event holds its client id".into())
    })?;
    Ok(Appended {
        event: original,
        duplicate: true,
    })
}

/// The events table's one foreign key is its conversation: an insert that
/// breaks it names a conversation that does not exist.
fn unknown_conversation(err: rusqlite::Error) -> StoreError {
    match &err {
        rusqlite::Error::SqliteFailure(code, _)
            if code.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY =>
        {
            StoreError::not_found("conversation")
        }
        _ => err.into(),
    }
}

/// The event stored under `client_id`, if its digest matches; Conflict if not.
fn by_client_id(
    conn: &Connection,
    conversation_id: ConversationId,
    client_id: &str,
    digest: &[u8; 32],
) -> Result<Option<StoredEvent>> {
    let sql = format!(
        "SELECT {COLUMNS}, digest FROM events WHERE conversation_id = ?1 AND client_id = ?2"
    );
    let found = conn
        .prepare_cached(&sql)?
        .query_row(params![conversation_id.0, client_id], |row| {
            Ok((from_row(row)?, row.get::<_, Vec<u8>>(6)?))
        })
        .optional()?;
    match found {
        None => Ok(None),
        Some((event, stored)) if stored.as_slice() == digest.as_slice() => Ok(Some(event)),
        Some((event, _)) => Err(StoreError::Conflict(format!(
            "client id {client_id:?} is already stored as event {} of conversation {} \
             with a different kind or body",
            event.seq, conversation_id
        ))),
    }
}

/// Up to `limit` events with `seq > after`, in order: what a resuming client missed.
pub(crate) fn after(
    conn: &Connection,
    conversation_id: ConversationId,
    after: u64,
    limit: u32,
) -> Result<Vec<StoredEvent>> {
    conversations::ensure_exists(conn, conversation_id)?;
    let sql = format!(
        "SELECT {COLUMNS} FROM events WHERE conversation_id = ?1 AND seq > ?2
         ORDER BY seq LIMIT ?3"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![conversation_id.0, after, limit], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The highest `seq` of the conversation, `0` when its log is empty.
pub(crate) fn latest_seq(conn: &Connection, conversation_id: ConversationId) -> Result<u64> {
    conversations::ensure_exists(conn, conversation_id)?;
    Ok(conn.query_row(
        "SELECT COALESCE(MAX(seq), 0) FROM events WHERE conversation_id = ?1",
        [conversation_id.0],
        |r| r.get(0),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plan SQLite picks for `sql`, one line per step.
    fn plan(conn: &Connection, sql: &str) -> String {
        let mut stmt = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .expect("explain");
        let unbound = vec![rusqlite::types::Null; stmt.parameter_count()];
        let steps: Vec<String> = stmt
            .query_map(rusqlite::params_from_iter(unbound), |r| r.get(3))
            .expect("plan")
            .collect::<rusqlite::Result<_>>()
            .expect("steps");
        steps.join("\n")
    }

    #[test]
    fn reads_by_seq_and_by_client_id_are_indexed() {
        let mut conn = Connection::open_in_memory().expect("db");
        crate::migrations::migrate(&mut conn).expect("migrate");
        let next = NEXT_SEQ;
        let gap = format!(
            "SELECT {COLUMNS} FROM events WHERE conversation_id = ?1 AND seq > ?2
             ORDER BY seq LIMIT ?3"
        );
        let retry =
            format!("SELECT {COLUMNS} FROM events WHERE conversation_id = ?1 AND client_id = ?2");
        assert!(
            plan(&conn, next).contains("events_by_seq"),
            "{}",
            plan(&conn, next)
        );
        assert!(
            plan(&conn, &gap).contains("USING INDEX events_by_seq"),
            "{}",
            plan(&conn, &gap)
        );
        assert!(
            plan(&conn, &retry).contains("events_by_client_id"),
            "{}",
            plan(&conn, &retry)
        );
    }

    /// The statements the writer runs for every event, as `append_to` and
    /// the functions it calls spell them.
    fn hot_statements() -> Vec<String> {
        vec![
            NEXT_SEQ.to_owned(),
            INSERT_EVENT.to_owned(),
            "UPDATE conversations SET updated_at = MAX(updated_at, ?2) WHERE id = ?1".to_owned(),
            "INSERT INTO search_pending (conversation_id, seq, text) VALUES (?1, ?2, ?3)"
                .to_owned(),
        ]
    }

    #[test]
    fn the_writers_statements_are_compiled_once_not_per_event() {
        let dir = tempfile::tempdir().expect("dir");
        let mut conn = crate::connection::open_writer(
            &dir.path().join("banner.db"),
            std::time::Duration::from_secs(1),
        )
        .expect("writer");
        crate::migrations::migrate(&mut conn).expect("migrate");
        // Ids 1 and 2 included: moving a parameter to or from 0 or 1 is what
        // SQLite's value-dependent planning watches for.
        let ids: Vec<ConversationId> = (1..=4).map(ConversationId).collect();
        for &id in &ids {
            let new = conversations::NewConversation {
                visitor_id: format!("v{}", id.0),
                customer_id: None,
                state: "open".into(),
                created_at: 1,
            };
            conversations::create_with_id(&conn, id, &new).expect("conversation");
        }
        for round in 0..10 {
            let group: Vec<AppendEvent> = ids
                .iter()
                .map(|&id| AppendEvent {
                    conversation_id: id,
                    client_id: Some(format!("c{round}-{}", id.0)),
                    kind: "message.visitor".into(),
                    body: "{}".into(),
                    searchable_text: Some("hello".into()),
                    new_state: None,
                    shows_attachments: Vec::new(),
                    created_at: 2 + round,
                })
                .collect();
            // Twice in a group: the later events take the shortcut, the
            // last one moves `updated_at`.
            let twice: Vec<AppendEvent> = group
                .iter()
                .cloned()
                .chain(group.iter().map(|e| AppendEvent {
                    client_id: e.client_id.as_ref().map(|c| format!("{c}b")),
                    created_at: e.created_at + 1,
                    ..e.clone()
                }))
                .collect();
            append_all(&conn, &twice).expect("append");
        }
        for sql in hot_statements() {
            let stmt = conn.prepare_cached(&sql).expect("cached");
            let runs = stmt.get_status(rusqlite::StatementStatus::Run);
            assert!(runs > 0, "not run, so not the writer's spelling: {sql}");
            assert_eq!(
                stmt.get_status(rusqlite::StatementStatus::RePrepare),
                0,
                "compiled again after {runs} runs: {sql}"
            );
        }
    }

    #[test]
    fn digest_frames_kind_and_body_apart() {
        assert_ne!(digest("ab", "c"), digest("a", "bc"));
        assert_eq!(digest("a", "{}"), digest("a", "{}"));
    }
}
