//! A group commit's conversations, events and settings: one transaction.

#![allow(clippy::unwrap_used)]

mod common;

use banner_store::{ConversationId, NewConversation, SettingPut, Store, StoreError, WriteGroup};
use common::{conversation, message_with_id, open};

fn new_conversation(visitor: &str) -> NewConversation {
    NewConversation {
        visitor_id: visitor.to_owned(),
        customer_id: None,
        state: "open".to_owned(),
        created_at: 1_000,
    }
}

fn setting(value: &str) -> SettingPut {
    SettingPut {
        key: "notifications.agent.4".to_owned(),
        value: value.to_owned(),
        updated_at: 1_000,
    }
}

#[tokio::test]
async fn a_group_opens_numbered_conversations_and_logs_into_them() {
    let t = open();
    let first = conversation(&t.store, "v-old").await;
    let next = t.store.next_conversation_id().await.unwrap();
    assert_eq!(next, ConversationId(first.id.0 + 1));

    let group = WriteGroup {
        conversations: vec![
            (next, new_conversation("v-a")),
            (ConversationId(next.0 + 1), new_conversation("v-b")),
        ],
        events: vec![
            message_with_id(next, "hello", "a-1"),
            message_with_id(ConversationId(next.0 + 1), "hi", "b-1"),
            message_with_id(next, "anyone?", "a-2"),
        ],
        settings: vec![setting("{\"sound\":true}")],
    };
    let stored = t.store.commit_group(group).await.unwrap();
    let seqs: Vec<_> = stored
        .iter()
        .map(|a| (a.event.conversation_id, a.event.seq))
        .collect();
    assert_eq!(
        seqs,
        [(next, 1), (ConversationId(next.0 + 1), 1), (next, 2)]
    );
    assert_eq!(t.store.conversation(next).await.unwrap().visitor_id, "v-a");
    assert_eq!(
        t.store
            .setting("notifications.agent.4")
            .await
            .unwrap()
            .as_deref(),
        Some("{\"sound\":true}")
    );
    assert_eq!(
        t.store.next_conversation_id().await.unwrap(),
        ConversationId(next.0 + 2)
    );
    // The store's own numbering goes on after the caller's.
    let later = conversation(&t.store, "v-later").await;
    assert_eq!(later.id, ConversationId(next.0 + 2));
}

#[tokio::test]
async fn a_taken_id_fails_the_whole_group() {
    let t = open();
    let taken = conversation(&t.store, "v-old").await.id;
    let fresh = t.store.next_conversation_id().await.unwrap();
    let group = WriteGroup {
        conversations: vec![
            (fresh, new_conversation("v-a")),
            (taken, new_conversation("v-b")),
        ],
        events: vec![message_with_id(fresh, "hello", "a-1")],
        settings: vec![setting("{}")],
    };
    let result = t.store.commit_group(group).await;
    assert!(matches!(result, Err(StoreError::Conflict(_))), "{result:?}");
    assert!(matches!(
        t.store.conversation(fresh).await,
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(t.store.latest_seq(taken).await.unwrap(), 0);
    assert_eq!(
        t.store.setting("notifications.agent.4").await.unwrap(),
        None
    );
    assert_eq!(t.store.next_conversation_id().await.unwrap(), fresh);
}
