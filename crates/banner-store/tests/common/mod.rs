//! Helpers shared by the integration tests: a store on a temporary data dir and
//! builders for the rows the tests need.

#![allow(dead_code, clippy::unwrap_used)]

use banner_store::{
    AppendEvent, Conversation, ConversationId, NewConversation, SqliteStore, Store,
};
use tempfile::TempDir;

/// A store on its own temporary data dir; the dir outlives the store.
pub struct TestStore {
    pub store: SqliteStore,
    pub dir: TempDir,
}

pub fn open() -> TestStore {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).unwrap();
    TestStore { store, dir }
}

pub async fn conversation(store: &impl Store, visitor: &str) -> Conversation {
    store
        .create_conversation(NewConversation {
            visitor_id: visitor.to_owned(),
            customer_id: None,
            state: "queued".to_owned(),
            created_at: 1_000,
        })
        .await
        .unwrap()
}

/// A visitor message with a JSON body holding `text`, indexed for search.
pub fn message(conversation_id: ConversationId, text: &str) -> AppendEvent {
    AppendEvent {
        conversation_id,
        client_id: None,
        kind: "message.visitor".to_owned(),
        body: format!("{{\"text\":{text:?}}}"),
        searchable_text: Some(text.to_owned()),
        new_state: None,
        shows_attachments: Vec::new(),
        created_at: 2_000,
    }
}

/// The same message with a client id, as a client's command would carry.
pub fn message_with_id(
    conversation_id: ConversationId,
    text: &str,
    client_id: &str,
) -> AppendEvent {
    AppendEvent {
        client_id: Some(client_id.to_owned()),
        ..message(conversation_id, text)
    }
}
