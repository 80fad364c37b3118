//! Full-text search over stored messages, including hostile query text.

#![allow(clippy::unwrap_used)]

mod common;

use banner_store::search::{HIGHLIGHT_END, HIGHLIGHT_START};
use banner_store::{AppendEvent, SearchQuery, Store};
use common::{conversation, message, open};

fn query(text: &str) -> SearchQuery {
    SearchQuery {
        text: text.to_owned(),
        conversation_id: None,
        limit: 20,
    }
}

#[tokio::test]
async fn messages_are_found_by_their_words() {
    let t = open();
    let a = conversation(&t.store, "va").await;
    let b = conversation(&t.store, "vb").await;
    t.store
        .append(message(a.id, "My invoice from March is wrong"))
        .await
        .unwrap();
    t.store
        .append(message(b.id, "Where is my parcel?"))
        .await
        .unwrap();
    t.store
        .append(message(b.id, "The invoice arrived, thanks"))
        .await
        .unwrap();
    // Events without searchable text (not messages) are not indexed.
    let typing = AppendEvent {
        kind: "typing".to_owned(),
        body: r#"{"text":"invoice"}"#.to_owned(),
        searchable_text: None,
        ..message(a.id, "")
    };
    t.store.append(typing).await.unwrap();

    let hits = t.store.search(query("invoice")).await.unwrap();
    let mut found: Vec<_> = hits.iter().map(|h| (h.conversation_id, h.seq)).collect();
    found.sort_unstable();
    assert_eq!(found, [(a.id, 1), (b.id, 2)]);
    assert!(hits.iter().all(|h| {
        h.snippet
            .contains(&format!("{HIGHLIGHT_START}invoice{HIGHLIGHT_END}"))
    }));

    let one = t.store.search(query("march INVOICE")).await.unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].conversation_id, a.id);

    let only_b = SearchQuery {
        conversation_id: Some(b.id),
        ..query("invoice")
    };
    let hits = t.store.search(only_b).await.unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!((hits[0].conversation_id, hits[0].seq), (b.id, 2));
    assert_eq!(hits[0].created_at, 2_000);

    assert!(t.store.search(query("refund")).await.unwrap().is_empty());
}

#[tokio::test]
async fn the_better_match_ranks_first() {
    let t = open();
    let c = conversation(&t.store, "v").await;
    t.store
        .append(message(
            c.id,
            "a long message about many things, one of which is a refund among other topics",
        ))
        .await
        .unwrap();
    t.store
        .append(message(c.id, "refund refund"))
        .await
        .unwrap();
    let hits = t.store.search(query("refund")).await.unwrap();
    assert_eq!(hits.iter().map(|h| h.seq).collect::<Vec<_>>(), [2, 1]);
    assert!(hits[0].rank <= hits[1].rank);
}

#[tokio::test]
async fn hostile_query_text_is_searched_as_plain_words() {
    let t = open();
    let c = conversation(&t.store, "v").await;
    t.store
        .append(message(c.id, r#"he said "NEAR" the (end) OR not*"#))
        .await
        .unwrap();

    for hostile in [
        "\"",
        "\"unbalanced",
        "NEAR(",
        "NEAR(a b, 3)",
        "a OR",
        "AND",
        "NOT",
        "*",
        "end*",
        "(end",
        "text:end",
        "^end",
        "{text}: end",
        "a -b",
        "'; DROP TABLE events; --",
        "\0",
        "",
        "   ",
    ] {
        let result = t.store.search(query(hostile)).await;
        assert!(result.is_ok(), "{hostile:?}: {result:?}");
    }
    // Operators are matched as the words they spell.
    assert_eq!(t.store.search(query("NEAR(")).await.unwrap().len(), 1);
    assert_eq!(t.store.search(query("(end")).await.unwrap().len(), 1);
    assert_eq!(t.store.search(query("\"said\" OR")).await.unwrap().len(), 1);
    assert!(t.store.search(query("text:end")).await.unwrap().is_empty());
    assert_eq!(t.store.events_after(c.id, 0, 10).await.unwrap().len(), 1);
}

fn count(path: &std::path::Path, table: &str) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

/// A store holding one conversation with one message saying `text`.
async fn one_message(text: &str) -> (common::TestStore, banner_store::Conversation) {
    let t = open();
    let a = conversation(&t.store, "va").await;
    t.store.append(message(a.id, text)).await.unwrap();
    (t, a)
}

#[tokio::test]
async fn the_writer_indexes_waiting_text_by_itself_within_a_moment() {
    let (t, _) = one_message("a parcel went missing").await;
    // Queued with the message, indexed a quarter second later at most,
    // with no search asking for it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while count(t.store.path(), "search_pending") > 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(count(t.store.path(), "search_pending"), 0);
    assert_eq!(count(t.store.path(), "message_search"), 1);
}

#[tokio::test]
async fn text_left_waiting_by_a_stop_is_found_after_the_restart() {
    let (t, a) = one_message("the invoice is wrong").await;
    let path = t.store.path().to_owned();
    let dir = t.dir;
    drop(t.store);
    // What a kill between the message's commit and the index's leaves: the
    // text still waiting.
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute_batch(
        "DELETE FROM message_search;
         INSERT INTO search_pending (conversation_id, seq, text)
             SELECT conversation_id, seq, 'the invoice is wrong' FROM events;",
    )
    .unwrap();
    drop(raw);

    let store = banner_store::SqliteStore::open(dir.path()).unwrap();
    let hits = store.search(query("invoice")).await.unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!((hits[0].conversation_id, hits[0].seq), (a.id, 1));
    assert_eq!(count(&path, "search_pending"), 0);
}

#[tokio::test]
async fn a_clean_stop_indexes_what_waits() {
    let (t, _) = one_message("see you tomorrow").await;
    let path = t.store.path().to_owned();
    drop(t.store);
    assert_eq!(count(&path, "search_pending"), 0);
    assert_eq!(count(&path, "message_search"), 1);
}
