//! The VFS's tests: a commit reaches the log in a few writes, and readers
//! find every frame, synced or spilled.

use super::*;

/// A writer and a reader on a new database in `dir`, the writer's
/// table holding 64-byte random keys (so inserts land all over it).
fn open(dir: &std::path::Path) -> (rusqlite::Connection, rusqlite::Connection) {
    use std::time::Duration;
    let path = dir.join("banner.db");
    let writer = crate::connection::open_writer(&path, Duration::from_secs(5)).expect("writer");
    writer
        .execute_batch(
            "CREATE TABLE t (k BLOB PRIMARY KEY, v BLOB NOT NULL, n INTEGER NOT NULL);
             CREATE INDEX t_by_v ON t (v);",
        )
        .expect("schema");
    let reader = crate::connection::open_reader(&path, Duration::from_secs(5)).expect("reader");
    (writer, reader)
}

fn insert(conn: &rusqlite::Connection, from: i64, rows: i64) {
    conn.execute(
        "WITH RECURSIVE n(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1 + ?2 - 1)
         INSERT INTO t SELECT randomblob(64), randomblob(200), i FROM n",
        rusqlite::params![from, rows],
    )
    .expect("insert");
}

fn count(conn: &rusqlite::Connection) -> i64 {
    conn.query_row("SELECT count(*) FROM t", [], |r| r.get(0))
        .expect("count")
}

/// SQLite's own check of every page, through the reader's (default) VFS.
fn assert_whole(conn: &rusqlite::Connection) {
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("check");
    assert_eq!(ok, "ok");
}

fn changed(conn: &rusqlite::Connection) -> i64 {
    conn.query_row("SELECT count(*) FROM t WHERE n < 0", [], |r| r.get(0))
        .expect("changed")
}

#[test]
fn a_commit_reaches_the_log_in_a_few_writes_and_the_reader_sees_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (writer, reader) = open(dir.path());
    insert(&writer, 0, 2_000);
    let (asked, written) = counts::get();
    // ~1,000 random keys over a table and an index: dozens of pages.
    insert(&writer, 2_000, 1_000);
    let asked = counts::get().0 - asked;
    let written = counts::get().1 - written;
    assert!(asked >= 100, "SQLite asked for {asked} writes");
    assert!(
        written * 20 <= asked,
        "{written} writes reached the log for {asked} asked"
    );
    // Another connection, on SQLite's own VFS, reads the commit at once.
    assert_eq!(count(&reader), 3_000);
    assert_whole(&reader);
}

#[test]
fn without_a_sync_at_each_commit_a_reader_still_finds_every_frame_in_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (writer, reader) = open(dir.path());
    // NORMAL syncs the log only at checkpoints: nothing but the WAL
    // index's barrier sends the kept frames out before SQLite publishes
    // the commit to other connections.
    writer
        .pragma_update(None, "synchronous", "NORMAL")
        .expect("normal");
    for round in 0..5 {
        insert(&writer, round * 500 + 1, 500);
        assert_eq!(count(&reader), (round + 1) * 500);
    }
    assert_whole(&reader);
}

#[test]
fn a_transaction_larger_than_the_cache_reads_back_what_it_spilled() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut writer, reader) = open(dir.path());
    // A cache of 16 pages: the transaction below spills dirty pages into
    // the log before its commit, reads them back, and changes some of
    // them again (SQLite then rewrites their frames in place).
    writer.pragma_update(None, "cache_size", 16).expect("cache");
    let tx = writer.transaction().expect("tx");
    insert(&tx, 1, 3_000);
    tx.execute(
        "UPDATE t SET v = randomblob(300), n = -n WHERE n % 3 = 0",
        [],
    )
    .expect("update");
    assert_eq!((count(&tx), changed(&tx)), (3_000, 1_000));
    tx.commit().expect("commit");
    // What the log holds is whole, read through SQLite's own VFS before
    // and after the writer closes (which copies the log into the file).
    for step in ["committed", "closed"] {
        assert_eq!((count(&reader), changed(&reader)), (3_000, 1_000), "{step}");
        assert_whole(&reader);
        if step == "committed" {
            let writer = std::mem::replace(
                &mut writer,
                rusqlite::Connection::open_in_memory().expect("mem"),
            );
            writer.close().expect("close");
        }
    }
}
