//! Versioned schema migrations, tracked in SQLite's `PRAGMA user_version`.
//!
//! [`MIGRATIONS`] is an ordered list: step `i` (0-based) moves a database from
//! version `i` to `i + 1`. Each step runs in its own transaction together with the
//! bump of `user_version`, so a crash mid-migration leaves the previous version
//! intact. Steps are never edited once released; a change is a new step.

use rusqlite::Connection;

use crate::error::{Result, StoreError};

/// The schema, one step per version. Append only.
pub const MIGRATIONS: &[&str] = &[
    // 1: conversations and their event logs.
    "CREATE TABLE conversations (
         id          INTEGER PRIMARY KEY AUTOINCREMENT,
         visitor_id  TEXT    NOT NULL,
         customer_id TEXT,
         state       TEXT    NOT NULL,
         created_at  INTEGER NOT NULL,
         updated_at  INTEGER NOT NULL
     );
     CREATE INDEX conversations_by_visitor ON conversations (visitor_id, id);
     CREATE INDEX conversations_by_customer ON conversations (customer_id, id)
         WHERE customer_id IS NOT NULL;
     CREATE INDEX conversations_by_state ON conversations (state, id);

     CREATE TABLE events (
         conversation_id INTEGER NOT NULL REFERENCES conversations (id),
         seq             INTEGER NOT NULL CHECK (seq >= 1),
         client_id       TEXT,
         kind            TEXT    NOT NULL CHECK (kind <> ''),
         body            TEXT    NOT NULL CHECK (json_valid(body)),
         digest          BLOB    NOT NULL CHECK (length(digest) = 32),
         created_at      INTEGER NOT NULL,
         PRIMARY KEY (conversation_id, seq),
         UNIQUE (conversation_id, client_id)
     ) WITHOUT ROWID;",
    // 2: users and login sessions.
    "CREATE TABLE users (
         id            INTEGER PRIMARY KEY AUTOINCREMENT,
         username      TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (username <> ''),
         display_name  TEXT    NOT NULL,
         password_hash TEXT    NOT NULL,
         profile       TEXT    NOT NULL,
         capacity      INTEGER NOT NULL CHECK (capacity >= 0),
         settings      TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(settings)),
         created_at    INTEGER NOT NULL,
         updated_at    INTEGER NOT NULL
     );

     CREATE TABLE sessions (
         token_hash BLOB    PRIMARY KEY CHECK (length(token_hash) = 32),
         kind       TEXT    NOT NULL CHECK (kind IN ('agent', 'visitor')),
         subject    TEXT    NOT NULL,
         created_at INTEGER NOT NULL,
         expires_at INTEGER NOT NULL
     ) WITHOUT ROWID;
     CREATE INDEX sessions_by_expiry ON sessions (expires_at);
     CREATE INDEX sessions_by_subject ON sessions (kind, subject);",
    // 3: attachment metadata and the key/value settings (config snapshots).
    "CREATE TABLE attachments (
         id              INTEGER PRIMARY KEY AUTOINCREMENT,
         conversation_id INTEGER NOT NULL REFERENCES conversations (id),
         stored_name     TEXT    NOT NULL UNIQUE,
         original_name   TEXT    NOT NULL,
         media_type      TEXT    NOT NULL,
         size            INTEGER NOT NULL CHECK (size >= 0),
         created_at      INTEGER NOT NULL
     );
     CREATE INDEX attachments_by_conversation ON attachments (conversation_id, id);

     CREATE TABLE settings (
         key        TEXT    PRIMARY KEY,
         value      TEXT    NOT NULL,
         updated_at INTEGER NOT NULL
     ) WITHOUT ROWID;",
    // 4: full-text search over message text, fed on append.
    "CREATE VIRTUAL TABLE message_search USING fts5 (
         text,
         conversation_id UNINDEXED,
         seq UNINDEXED,
         tokenize = 'unicode61 remove_diacritics 2'
     );",
    // 5: who uploaded each attachment, and whether a public message showed it
    // to the visitor (private notes' files stay with the agents).
    "ALTER TABLE attachments ADD COLUMN uploaded_by TEXT NOT NULL DEFAULT '';
     ALTER TABLE attachments ADD COLUMN shown_to_visitor INTEGER NOT NULL DEFAULT 0
         CHECK (shown_to_visitor IN (0, 1));",
    // 6: the log in arrival order. Keyed by `(conversation_id, seq)` (step 1),
    // a group commit spread over many conversations wrote into the middle of
    // the tree at every conversation's tail: ~300 WAL pages per 256 events.
    // A rowid table appends a group's rows to a few pages at its end; the
    // `(conversation_id, seq)` key becomes a unique index (reads by seq stay
    // indexed). Client ids are indexed only where present (commands), with the
    // same uniqueness as step 1's constraint (NULLs never clashed there).
    // Every row is copied; `seq`, `client_id` and `digest` keep their values,
    // so the search table (keyed by conversation and seq) needs no change.
    "CREATE TABLE events_in_arrival_order (
         id              INTEGER PRIMARY KEY,
         conversation_id INTEGER NOT NULL REFERENCES conversations (id),
         seq             INTEGER NOT NULL CHECK (seq >= 1),
         client_id       TEXT,
         kind            TEXT    NOT NULL CHECK (kind <> ''),
         body            TEXT    NOT NULL CHECK (json_valid(body)),
         digest          BLOB    NOT NULL CHECK (length(digest) = 32),
         created_at      INTEGER NOT NULL
     );
     INSERT INTO events_in_arrival_order
         (conversation_id, seq, client_id, kind, body, digest, created_at)
         SELECT conversation_id, seq, client_id, kind, body, digest, created_at
         FROM events ORDER BY created_at, conversation_id, seq;
     DROP TABLE events;
     ALTER TABLE events_in_arrival_order RENAME TO events;
     CREATE UNIQUE INDEX events_by_seq ON events (conversation_id, seq);
     CREATE UNIQUE INDEX events_by_client_id ON events (conversation_id, client_id)
         WHERE client_id IS NOT NULL;",
    // 7: message text waiting for the search index. FTS5 writes a segment of
    // its index at every commit that indexed something, and merges them as
    // they pile up: with a group commit every ~0.6 ms under load, that was
    // ~5 % of the server's CPU and a share of every commit's pages. A
    // message's text now lands here, in the message's own transaction, and
    // the writer moves what waits into `message_search` every quarter
    // second, in steps of a few hundred, and before any search (`search.rs`).
    "CREATE TABLE search_pending (
         id              INTEGER PRIMARY KEY,
         conversation_id INTEGER NOT NULL,
         seq             INTEGER NOT NULL,
         text            TEXT    NOT NULL
     );",
];

/// The version a fully migrated database has.
pub const LATEST_VERSION: u32 = MIGRATIONS.len() as u32;

/// The schema version stored in the database (`0` for a new, empty file).
pub fn schema_version(conn: &Connection) -> Result<u32> {
    Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
}

/// Brings the database to [`LATEST_VERSION`]; returns how many steps ran
/// (`0` when it was already current).
pub fn migrate(conn: &mut Connection) -> Result<usize> {
    migrate_to(conn, LATEST_VERSION)
}

/// Brings the database to `target` (at most [`LATEST_VERSION`]); returns how many
/// steps ran. Refuses a database newer than this build, and never migrates down.
pub fn migrate_to(conn: &mut Connection, target: u32) -> Result<usize> {
    let found = schema_version(conn)?;
    if found > LATEST_VERSION {
        return Err(StoreError::UnsupportedSchema {
            found,
            supported: LATEST_VERSION,
        });
    }
    if target > LATEST_VERSION {
        return Err(StoreError::invalid(format!(
            "no migration leads to schema version {target}"
        )));
    }
    let mut applied = 0;
    for version in found..target {
        let step = MIGRATIONS[version as usize];
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch(step)?;
        // PRAGMA takes no bound parameters; the value is our own integer.
        tx.execute_batch(&format!("PRAGMA user_version = {}", version + 1))?;
        tx.commit()?;
        applied += 1;
    }
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_database_reaches_latest_and_stays_there() {
        let mut conn = Connection::open_in_memory().expect("db");
        assert_eq!(schema_version(&conn).expect("version"), 0);
        assert_eq!(migrate(&mut conn).expect("migrate"), MIGRATIONS.len());
        assert_eq!(schema_version(&conn).expect("version"), LATEST_VERSION);
        assert_eq!(migrate(&mut conn).expect("again"), 0);
    }

    #[test]
    fn a_failing_step_leaves_the_previous_version() {
        let mut conn = Connection::open_in_memory().expect("db");
        migrate_to(&mut conn, 1).expect("to 1");
        // Sabotage step 2: its table name is taken, so the step must roll back whole.
        conn.execute_batch("CREATE TABLE users (x)")
            .expect("sabotage");
        assert!(migrate(&mut conn).is_err());
        assert_eq!(schema_version(&conn).expect("version"), 1);
        let sessions: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'sessions'",
                [],
                |r| r.get(0),
            )
            .expect("query");
        assert_eq!(sessions, 0);
    }

    #[test]
    fn refuses_newer_databases_and_unknown_targets() {
        let mut conn = Connection::open_in_memory().expect("db");
        assert!(matches!(
            migrate_to(&mut conn, LATEST_VERSION + 1),
            Err(StoreError::InvalidInput(_))
        ));
        conn.execute_batch(&format!("PRAGMA user_version = {}", LATEST_VERSION + 1))
            .expect("bump");
        assert_eq!(
            migrate(&mut conn),
            Err(StoreError::UnsupportedSchema {
                found: LATEST_VERSION + 1,
                supported: LATEST_VERSION
            })
        );
    }
}
