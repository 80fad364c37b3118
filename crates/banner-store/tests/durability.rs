//! What survives closing the store, and what opening an older file does.

#![allow(clippy::unwrap_used)]

mod common;

use banner_store::migrations::{self, LATEST_VERSION};
use banner_store::sqlite::DB_FILE_NAME;
use banner_store::{ConversationId, SearchQuery, SqliteStore, Store, StoreError};
use common::{conversation, message, message_with_id, open};
use rusqlite::Connection;

#[tokio::test]
async fn data_survives_close_and_reopen() {
    let t = open();
    let c = conversation(&t.store, "v1").await;
    t.store
        .append(message_with_id(c.id, "kept across restarts", "cmd-1"))
        .await
        .unwrap();
    t.store
        .put_setting("config.snapshot", "{}", 1)
        .await
        .unwrap();
    drop(t.store);

    let store = SqliteStore::open(t.dir.path()).unwrap();
    let reopened = store.conversation(c.id).await.unwrap();
    assert_eq!(
        (reopened.visitor_id.as_str(), reopened.created_at),
        ("v1", 1_000)
    );
    assert_eq!(reopened.updated_at, 2_000, "the append moved updated_at");
    assert_eq!(store.latest_seq(c.id).await.unwrap(), 1);
    let retry = store
        .append(message_with_id(c.id, "kept across restarts", "cmd-1"))
        .await
        .unwrap();
    assert!(retry.duplicate, "idempotency holds across a restart");
    assert_eq!(
        store.append(message(c.id, "next")).await.unwrap().event.seq,
        2
    );
    let hits = store
        .search(SearchQuery {
            text: "restarts".to_owned(),
            conversation_id: None,
            limit: 10,
        })
        .await
        .unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(
        store.setting("config.snapshot").await.unwrap().as_deref(),
        Some("{}")
    );
    // Conversation ids are never handed out twice.
    let next = conversation(&store, "v2").await;
    assert!(next.id > c.id);
}

#[tokio::test]
async fn the_data_dir_is_created_when_absent() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("banner-data").join("nested");
    let store = SqliteStore::open(&nested).unwrap();
    assert_eq!(store.path(), nested.join(DB_FILE_NAME));
    assert!(store.path().exists());
}

#[tokio::test]
async fn an_older_database_is_migrated_and_reopening_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE_NAME);
    {
        // A database as the first release left it, with a conversation in it.
        let mut conn = Connection::open(&path).unwrap();
        assert_eq!(migrations::migrate_to(&mut conn, 1).unwrap(), 1);
        conn.execute_batch(
            "INSERT INTO conversations (visitor_id, state, created_at, updated_at)
                 VALUES ('v-old', 'active', 10, 10);
             INSERT INTO events (conversation_id, seq, kind, body, digest, created_at)
                 VALUES (1, 1, 'message.visitor', '{\"text\":\"old\"}', zeroblob(32), 10);",
        )
        .unwrap();
    }

    let store = SqliteStore::open(dir.path()).unwrap();
    let old = ConversationId(1);
    assert_eq!(store.conversation(old).await.unwrap().visitor_id, "v-old");
    assert_eq!(
        store.append(message(old, "new")).await.unwrap().event.seq,
        2
    );
    drop(store);

    let mut conn = Connection::open(&path).unwrap();
    assert_eq!(migrations::schema_version(&conn).unwrap(), LATEST_VERSION);
    let schema_before = schema_sql(&conn);
    drop(conn);

    // Reopening a current database runs no step and changes no table.
    let store = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(store.latest_seq(old).await.unwrap(), 2);
    drop(store);
    conn = Connection::open(&path).unwrap();
    assert_eq!(migrations::schema_version(&conn).unwrap(), LATEST_VERSION);
    assert_eq!(schema_sql(&conn), schema_before);
    assert_eq!(migrations::migrate(&mut conn).unwrap(), 0);
}

#[tokio::test]
async fn a_log_keyed_by_seq_moves_to_arrival_order_with_nothing_lost() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE_NAME);
    {
        // Schema 5 kept the log keyed by (conversation, seq): two conversations,
        // interleaved, one command each, and their search entries.
        let mut conn = Connection::open(&path).unwrap();
        assert_eq!(migrations::migrate_to(&mut conn, 5).unwrap(), 5);
        conn.execute_batch(
            "INSERT INTO conversations (visitor_id, state, created_at, updated_at)
                 VALUES ('v1', 'open', 10, 10), ('v2', 'open', 11, 11);
             INSERT INTO events (conversation_id, seq, client_id, kind, body, digest, created_at)
                 VALUES (1, 1, NULL, 'opened', '{}', zeroblob(32), 10),
                        (2, 1, NULL, 'opened', '{}', zeroblob(32), 11),
                        (1, 2, 'c-1', 'message', '{\"text\":\"parcel lost\"}', zeroblob(32), 12),
                        (2, 2, 'c-1', 'message', '{\"text\":\"invoice\"}', zeroblob(32), 13);
             INSERT INTO message_search (text, conversation_id, seq)
                 VALUES ('parcel lost', 1, 2), ('invoice', 2, 2);",
        )
        .unwrap();
    }

    let store = SqliteStore::open(dir.path()).unwrap();
    let (one, two) = (ConversationId(1), ConversationId(2));
    let log = store.events_after(one, 0, 10).await.unwrap();
    let seqs: Vec<_> = log.iter().map(|e| (e.seq, e.client_id.clone())).collect();
    assert_eq!(seqs, [(1, None), (2, Some("c-1".to_owned()))]);
    assert_eq!(log[1].body, r#"{"text":"parcel lost"}"#);
    assert_eq!(store.latest_seq(two).await.unwrap(), 2);

    // Old search entries still join their events.
    let hits = store
        .search(SearchQuery {
            text: "parcel".to_owned(),
            conversation_id: None,
            limit: 5,
        })
        .await
        .unwrap();
    assert_eq!((hits.len(), hits[0].seq, hits[0].created_at), (1, 2, 12));

    // Numbering goes on, client ids stay unique per conversation, and a
    // client id may repeat in another conversation.
    let next = store
        .append(message_with_id(one, "found it", "c-2"))
        .await
        .unwrap();
    assert_eq!((next.event.seq, next.duplicate), (3, false));
    let clash = store.append(message_with_id(two, "other", "c-1")).await;
    assert!(matches!(clash, Err(StoreError::Conflict(_))));
    let reused = store
        .append(message_with_id(two, "again", "c-2"))
        .await
        .unwrap();
    assert_eq!(reused.event.seq, 3);
}

#[test]
fn a_database_from_a_newer_release_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let conn = Connection::open(dir.path().join(DB_FILE_NAME)).unwrap();
    conn.pragma_update(None, "user_version", LATEST_VERSION + 1)
        .unwrap();
    drop(conn);
    assert_eq!(
        SqliteStore::open(dir.path()).unwrap_err(),
        StoreError::UnsupportedSchema {
            found: LATEST_VERSION + 1,
            supported: LATEST_VERSION
        }
    );
}

fn schema_sql(conn: &Connection) -> Vec<String> {
    conn.prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}
