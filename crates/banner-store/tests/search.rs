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
