//! Opening SQLite connections with Banner's settings.
//!
//! The writer's connection sets the file-wide settings (WAL) and per-connection
//! ones (`synchronous=FULL`, foreign keys, busy timeout). Readers get the
//! per-connection settings plus `query_only`, so a read path can never write.

use std::path::Path;
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};

use crate::error::{Result, StoreError};
use crate::wal_gather;

/// Opens (creating if absent) the database for writing, in WAL mode.
///
/// Through the VFS that gathers the log's writes (`wal_gather.rs`), which
/// relies on the `synchronous=FULL` set here: only the writer uses it.
pub(crate) fn open_writer(path: &Path, busy_timeout: Duration) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = match wal_gather::vfs_name() {
        Some(vfs) => Connection::open_with_flags_and_vfs(path, flags, vfs)?,
        None => Connection::open_with_flags(path, flags)?,
    };
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Sqlite(format!(
            "could not switch the database to WAL (journal_mode is {mode})"
        )));
    }
    configure(&conn, busy_timeout)?;
    // A group commit of a few hundred events dirties a hundred pages or more
    // (each conversation's leaf in the log's seq and client-id indexes, the
    // log's tail, the FTS segments). The default cache (2 MiB) no longer holds
    // the hot pages of a large log. This does not touch durability: every
    // commit still syncs the WAL (`synchronous=FULL`). The WAL is copied into
    // the file by the checkpointer's thread (`checkpointer.rs`), which
    // replaces SQLite's automatic checkpoint once the store is open;
    // migrations run before, with SQLite's default.
    conn.pragma_update(None, "cache_size", WRITER_CACHE_KIB)?;
    // When the log starts again, the WAL file is cut back to this, not left
    // at its peak.
    conn.pragma_update(None, "journal_size_limit", WAL_KEPT_BYTES)?;
    // Every write command goes through this one connection: keep all of their
    // statements prepared (rusqlite's default cache holds 16).
    conn.set_prepared_statement_cache_capacity(WRITER_STATEMENTS);
    Ok(conn)
}

/// How many prepared statements the writer keeps.
const WRITER_STATEMENTS: usize = 128;

/// The writer's page cache, as SQLite's negative `cache_size` (KiB): 8 MiB,
/// ~2,000 pages — several times the pages one group commit touches.
///
/// Not more: when a B-tree split swaps two new pages, SQLite parks one
/// under the lock-byte page's number (262,145 with 4 KiB pages) for a
/// moment, so the cache's highest key is far past the end of the file, and
/// the commit's cache truncation then walks the whole hash table instead of
/// its tail. With 32 MiB (~7,400 pages cached) that walk was 19 % of the
/// writer's time under load; at 8 MiB it is a quarter of that, and the
/// durable and load benchmarks ran the same or faster (docs/benchmarks-journal.md).
const WRITER_CACHE_KIB: i64 = -8 * 1024;

/// The WAL size kept when the log starts again from its beginning.
const WAL_KEPT_BYTES: i64 = 64 * 1024 * 1024;

/// Opens the checkpointer's connection on an existing database: the
/// per-connection settings, so it syncs the file as the writer would
/// (`synchronous=FULL`), and never writes anything but checkpoints.
pub(crate) fn open_checkpointer(path: &Path, busy_timeout: Duration) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    configure(&conn, busy_timeout)?;
    Ok(conn)
}

/// Opens a read connection on an existing database.
pub(crate) fn open_reader(path: &Path, busy_timeout: Duration) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    configure(&conn, busy_timeout)?;
    conn.pragma_update(None, "query_only", true)?;
    Ok(conn)
}

fn configure(conn: &Connection, busy_timeout: Duration) -> Result<()> {
    // FULL: in WAL mode this syncs the log on every commit, so an acknowledged
    // write survives power loss, not only a process crash.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.busy_timeout(busy_timeout)?;
    // Plans that do not depend on bound values. Without this, planning a
    // `col = ?` term marks the parameter in the statement's reprepare mask
    // (SQLite's heuristic for values 0 and 1), and `sqlite3_clear_bindings`
    // — which rusqlite's statement cache calls whenever a statement goes
    // back — expires any statement with a mask. Every cached statement of
    // the writer was then compiled again on each use: 17 % of the writer's
    // time under load went to `sqlite3Reprepare`. Banner's queries gain
    // nothing from value-dependent plans (no `LIKE ?`, no STAT4 tables).
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_carry_the_settings() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("banner.db");
        let writer = open_writer(&path, Duration::from_secs(5)).expect("writer");
        let reader = open_reader(&path, Duration::from_secs(5)).expect("reader");
        for conn in [&writer, &reader] {
            let mode: String = conn
                .pragma_query_value(None, "journal_mode", |r| r.get(0))
                .expect("journal_mode");
            assert_eq!(mode, "wal");
            let sync: i64 = conn
                .pragma_query_value(None, "synchronous", |r| r.get(0))
                .expect("synchronous");
            assert_eq!(sync, 2, "synchronous=FULL");
            let fk: i64 = conn
                .pragma_query_value(None, "foreign_keys", |r| r.get(0))
                .expect("foreign_keys");
            assert_eq!(fk, 1);
        }
        assert!(reader.execute_batch("CREATE TABLE nope (x)").is_err());
        // The writer's group commits: a cache that holds the hot pages.
        let cache: i64 = writer
            .pragma_query_value(None, "cache_size", |r| r.get(0))
            .expect("cache_size");
        assert_eq!(cache, WRITER_CACHE_KIB);
        // The checkpointer syncs the file as the writer syncs the log.
        let checkpointer = open_checkpointer(&path, Duration::from_secs(5)).expect("checkpointer");
        let sync: i64 = checkpointer
            .pragma_query_value(None, "synchronous", |r| r.get(0))
            .expect("synchronous");
        assert_eq!(sync, 2, "synchronous=FULL");
    }
}
