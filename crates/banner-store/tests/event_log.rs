//! The event log as a client sees it: append, read, resume, retry.

#![allow(clippy::unwrap_used)]

mod common;

use banner_store::{AppendEvent, ConversationId, Store, StoreError};
use common::{conversation, message, message_with_id, open};

#[tokio::test]
async fn appended_events_are_numbered_and_read_back_in_order() {
    let t = open();
    let c = conversation(&t.store, "v1").await;
    assert_eq!(t.store.latest_seq(c.id).await.unwrap(), 0);

    for (n, text) in ["hello", "anyone there?", "thanks"].into_iter().enumerate() {
        let appended = t.store.append(message(c.id, text)).await.unwrap();
        assert!(!appended.duplicate);
        assert_eq!(appended.event.seq, n as u64 + 1);
    }

    let events = t.store.events_after(c.id, 0, 100).await.unwrap();
    let seqs: Vec<u64> = events.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, [1, 2, 3]);
    assert_eq!(events[1].body, r#"{"text":"anyone there?"}"#);
    assert_eq!(events[1].kind, "message.visitor");
    assert_eq!(events[1].created_at, 2_000);
    assert_eq!(t.store.latest_seq(c.id).await.unwrap(), 3);
}

#[tokio::test]
async fn a_resuming_client_gets_exactly_the_gap() {
    let t = open();
    let c = conversation(&t.store, "v1").await;
    for n in 0..10 {
        t.store
            .append(message(c.id, &format!("m{n}")))
            .await
            .unwrap();
    }
    // The client saw up to seq 4; it asks in pages of 3.
    let page = t.store.events_after(c.id, 4, 3).await.unwrap();
    assert_eq!(page.iter().map(|e| e.seq).collect::<Vec<_>>(), [5, 6, 7]);
    let rest = t.store.events_after(c.id, 7, 3).await.unwrap();
    assert_eq!(rest.iter().map(|e| e.seq).collect::<Vec<_>>(), [8, 9, 10]);
    assert!(t.store.events_after(c.id, 10, 3).await.unwrap().is_empty());
}

#[tokio::test]
async fn logs_of_different_conversations_are_numbered_apart() {
    let t = open();
    let a = conversation(&t.store, "va").await;
    let b = conversation(&t.store, "vb").await;
    assert_ne!(a.id, b.id);
    t.store.append(message(a.id, "a1")).await.unwrap();
    t.store.append(message(a.id, "a2")).await.unwrap();
    let first_of_b = t.store.append(message(b.id, "b1")).await.unwrap();
    assert_eq!(first_of_b.event.seq, 1);
    assert_eq!(t.store.latest_seq(a.id).await.unwrap(), 2);
}

#[tokio::test]
async fn a_retry_returns_the_original_event() {
    let t = open();
    let c = conversation(&t.store, "v1").await;
    let first = t
        .store
        .append(message_with_id(c.id, "hi", "cmd-1"))
        .await
        .unwrap();
    t.store.append(message(c.id, "later")).await.unwrap();

    let mut retry = message_with_id(c.id, "hi", "cmd-1");
    retry.created_at = 9_999; // a retry is sent later; the original time stands
    let again = t.store.append(retry).await.unwrap();
    assert!(again.duplicate);
    assert_eq!(again.event, first.event);
    assert_eq!(t.store.latest_seq(c.id).await.unwrap(), 2);
}

#[tokio::test]
async fn a_retry_changes_nothing_of_the_conversation() {
    let t = open();
    let c = conversation(&t.store, "v1").await;
    let archive = AppendEvent {
        kind: "conversation.archived".to_owned(),
        body: "{}".to_owned(),
        searchable_text: None,
        new_state: Some("wrap-up".to_owned()),
        created_at: 5_000,
        ..message_with_id(c.id, "", "cmd-archive")
    };
    t.store.append(archive.clone()).await.unwrap();
    t.store
        .append(AppendEvent {
            kind: "conversation.closed".to_owned(),
            new_state: Some("closed".to_owned()),
            created_at: 6_000,
            client_id: Some("cmd-close".to_owned()),
            ..archive.clone()
        })
        .await
        .unwrap();

    // The archive's retry, late: answered with the original, and neither
    // the state nor the time moves back to it or on to the retry's.
    let retry = t
        .store
        .append(AppendEvent {
            created_at: 9_999,
            ..archive.clone()
        })
        .await
        .unwrap();
    assert!(retry.duplicate);
    assert_eq!((retry.event.seq, retry.event.created_at), (1, 5_000));
    let now = t.store.conversation(c.id).await.unwrap();
    assert_eq!((now.state.as_str(), now.updated_at), ("closed", 6_000));
    assert_eq!(t.store.latest_seq(c.id).await.unwrap(), 2);
}

#[tokio::test]
async fn a_retry_in_the_same_group_is_answered_with_the_first() {
    let t = open();
    let c = conversation(&t.store, "v1").await;
    let stored = t
        .store
        .append_all(vec![
            message_with_id(c.id, "hi", "cmd-1"),
            message_with_id(c.id, "hi", "cmd-1"),
            message(c.id, "next"),
        ])
        .await
        .unwrap();
    let seqs: Vec<(u64, bool)> = stored.iter().map(|a| (a.event.seq, a.duplicate)).collect();
    assert_eq!(seqs, [(1, false), (1, true), (2, false)]);
    assert_eq!(t.store.latest_seq(c.id).await.unwrap(), 2);
}

#[tokio::test]
async fn a_conflicting_retry_is_refused_and_stores_nothing() {
    let t = open();
    let c = conversation(&t.store, "v1").await;
    t.store
        .append(message_with_id(c.id, "hi", "cmd-1"))
        .await
        .unwrap();

    let changed_body = t.store.append(message_with_id(c.id, "bye", "cmd-1")).await;
    assert!(matches!(changed_body, Err(StoreError::Conflict(_))));
    let mut changed_kind = message_with_id(c.id, "hi", "cmd-1");
    changed_kind.kind = "message.agent".to_owned();
    assert!(matches!(
        t.store.append(changed_kind).await,
        Err(StoreError::Conflict(_))
    ));

    let events = t.store.events_after(c.id, 0, 10).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].body, r#"{"text":"hi"}"#);
}

#[tokio::test]
async fn client_ids_are_scoped_to_their_conversation() {
    let t = open();
    let a = conversation(&t.store, "va").await;
    let b = conversation(&t.store, "vb").await;
    t.store
        .append(message_with_id(a.id, "hi", "cmd-1"))
        .await
        .unwrap();
    let other = t
        .store
        .append(message_with_id(b.id, "hi", "cmd-1"))
        .await
        .unwrap();
    assert!(!other.duplicate);
}

#[tokio::test]
async fn bad_appends_are_refused_without_leaving_a_gap() {
    let t = open();
    let c = conversation(&t.store, "v1").await;

    let unknown = t.store.append(message(ConversationId(9_999), "x")).await;
    assert_eq!(
        unknown,
        Err(StoreError::NotFound {
            what: "conversation"
        })
    );
    // With a client id too: the insert, not a lookup, finds it unknown.
    let unknown = t
        .store
        .append(message_with_id(ConversationId(9_999), "x", "cmd-9"))
        .await;
    assert_eq!(
        unknown,
        Err(StoreError::NotFound {
            what: "conversation"
        })
    );
    let mut not_json = message(c.id, "x");
    not_json.body = "{not json".to_owned();
    assert!(matches!(
        t.store.append(not_json).await,
        Err(StoreError::InvalidInput(_))
    ));
    let mut no_kind = message(c.id, "x");
    no_kind.kind = String::new();
    assert!(matches!(
        t.store.append(no_kind).await,
        Err(StoreError::InvalidInput(_))
    ));

    assert_eq!(
        t.store.append(message(c.id, "ok")).await.unwrap().event.seq,
        1
    );
    assert_eq!(
        t.store.events_after(ConversationId(9_999), 0, 10).await,
        Err(StoreError::NotFound {
            what: "conversation"
        })
    );
}

#[tokio::test]
async fn append_all_stores_every_event_or_none() {
    let t = open();
    let c = conversation(&t.store, "v1").await;
    let stored = t
        .store
        .append_all(vec![message(c.id, "one"), message(c.id, "two")])
        .await
        .unwrap();
    assert_eq!(
        stored.iter().map(|a| a.event.seq).collect::<Vec<_>>(),
        [1, 2]
    );

    let mut broken = message(c.id, "four");
    broken.body = "nope".to_owned();
    let refused = t
        .store
        .append_all(vec![message(c.id, "three"), broken])
        .await;
    assert!(matches!(refused, Err(StoreError::InvalidInput(_))));
    assert_eq!(t.store.latest_seq(c.id).await.unwrap(), 2);
}

#[tokio::test]
async fn an_event_can_move_the_conversation_state() {
    let t = open();
    let c = conversation(&t.store, "v1").await;
    let archived = AppendEvent {
        kind: "conversation.archived".to_owned(),
        body: "{}".to_owned(),
        searchable_text: None,
        new_state: Some("wrap-up".to_owned()),
        created_at: 5_000,
        ..message(c.id, "")
    };
    t.store.append(archived).await.unwrap();
    let now = t.store.conversation(c.id).await.unwrap();
    assert_eq!(now.state, "wrap-up");
    assert_eq!(now.updated_at, 5_000);

    // An older timestamp never moves updated_at back.
    t.store
        .set_conversation_state(c.id, "archived", 4_000)
        .await
        .unwrap();
    let now = t.store.conversation(c.id).await.unwrap();
    assert_eq!((now.state.as_str(), now.updated_at), ("archived", 5_000));
}

#[tokio::test]
async fn a_group_over_several_conversations_numbers_each_and_keeps_its_state_and_time() {
    let t = open();
    let (a, b) = (
        conversation(&t.store, "v1").await.id,
        conversation(&t.store, "v2").await.id,
    );
    let at = |event: AppendEvent, created_at, state: Option<&str>| AppendEvent {
        created_at,
        new_state: state.map(str::to_owned),
        ..event
    };
    let stored = t
        .store
        .append_all(vec![
            at(message(a, "a1"), 3_000, None),
            at(message(b, "b1"), 3_000, None),
            at(message(a, "a2"), 3_500, Some("active")),
            at(message(a, "a3"), 4_000, None),
            at(message(b, "b2"), 2_000, Some("frozen")),
        ])
        .await
        .unwrap();
    let seqs: Vec<_> = stored
        .iter()
        .map(|s| (s.event.conversation_id, s.event.seq))
        .collect();
    assert_eq!(seqs, [(a, 1), (b, 1), (a, 2), (a, 3), (b, 2)]);
    let a_now = t.store.conversation(a).await.unwrap();
    assert_eq!((a_now.state.as_str(), a_now.updated_at), ("active", 4_000));
    // A state change applies even with an older time, which never moves
    // `updated_at` back.
    let b_now = t.store.conversation(b).await.unwrap();
    assert_eq!((b_now.state.as_str(), b_now.updated_at), ("frozen", 3_000));
    assert_eq!(t.store.latest_seq(a).await.unwrap(), 3);
}
