//! Conversation listings, attachment metadata and settings.

#![allow(clippy::unwrap_used)]

mod common;

use banner_store::{
    AttachmentId, ConversationId, NewAttachment, NewConversation, Store, StoreError,
};
use common::{conversation, message, open};

fn attachment(conversation_id: ConversationId, stored_name: &str) -> NewAttachment {
    NewAttachment {
        conversation_id,
        stored_name: stored_name.to_owned(),
        original_name: "../../etc/passwd scan.pdf".to_owned(),
        media_type: "application/pdf".to_owned(),
        size: 48_213,
        uploaded_by: "agent:4".to_owned(),
        created_at: 3_000,
    }
}

#[tokio::test]
async fn conversations_are_listed_by_visitor_customer_and_state() {
    let t = open();
    let first = conversation(&t.store, "v1").await;
    let second = conversation(&t.store, "v1").await;
    conversation(&t.store, "v2").await;
    let of_v1 = t.store.conversations_of_visitor("v1", 10).await.unwrap();
    assert_eq!(
        of_v1.iter().map(|c| c.id).collect::<Vec<_>>(),
        [second.id, first.id]
    );

    let customer = |created_at| NewConversation {
        visitor_id: "v3".to_owned(),
        customer_id: Some("crm-77".to_owned()),
        state: "archived".to_owned(),
        created_at,
    };
    t.store.create_conversation(customer(10)).await.unwrap();
    let latest = t.store.create_conversation(customer(20)).await.unwrap();
    assert_eq!(
        t.store
            .latest_conversation_of_customer("crm-77")
            .await
            .unwrap(),
        Some(latest)
    );
    assert_eq!(
        t.store
            .latest_conversation_of_customer("crm-00")
            .await
            .unwrap(),
        None
    );

    t.store
        .set_conversation_state(second.id, "active", 2_000)
        .await
        .unwrap();
    let queued = t
        .store
        .conversations_in_state("queued", ConversationId(0), 1)
        .await
        .unwrap();
    assert_eq!(queued.len(), 1);
    let next_page = t
        .store
        .conversations_in_state("queued", queued[0].id, 10)
        .await
        .unwrap();
    assert_eq!(next_page.len(), 1);
    assert_eq!(queued[0].id, first.id);
    assert_eq!(next_page[0].visitor_id, "v2");
    assert_eq!(
        t.store
            .set_conversation_state(ConversationId(404), "x", 1)
            .await,
        Err(StoreError::NotFound {
            what: "conversation"
        })
    );
}

#[tokio::test]
async fn attachment_metadata_is_recorded_listed_and_deleted() {
    let t = open();
    let c = conversation(&t.store, "v").await;
    let stored = t
        .store
        .create_attachment(attachment(c.id, "f3a9c1d2e4b5.pdf"))
        .await
        .unwrap();
    assert_eq!(t.store.attachment(stored.id).await.unwrap(), stored);
    assert_eq!(stored.original_name, "../../etc/passwd scan.pdf");
    assert_eq!(stored.uploaded_by, "agent:4");
    assert!(!stored.shown_to_visitor);
    assert_eq!(
        t.store.attachments_of(c.id).await.unwrap(),
        std::slice::from_ref(&stored)
    );

    assert_eq!(t.store.delete_attachment(stored.id).await.unwrap(), stored);
    assert_eq!(
        t.store.attachment(stored.id).await,
        Err(StoreError::NotFound { what: "attachment" })
    );
    assert!(t.store.delete_attachment(AttachmentId(404)).await.is_err());
}

#[tokio::test]
async fn an_event_that_shows_attachments_marks_them_in_its_transaction() {
    let t = open();
    let c = conversation(&t.store, "v").await;
    let other = conversation(&t.store, "w").await;
    let shown = t
        .store
        .create_attachment(attachment(c.id, "a1"))
        .await
        .unwrap();
    let kept = t
        .store
        .create_attachment(attachment(c.id, "a2"))
        .await
        .unwrap();
    let elsewhere = t
        .store
        .create_attachment(attachment(other.id, "a3"))
        .await
        .unwrap();
    let public = banner_store::AppendEvent {
        shows_attachments: vec![shown.id, elsewhere.id],
        ..message(c.id, "here it is")
    };
    t.store.append(public).await.unwrap();
    let mut seen = Vec::new();
    for id in [shown.id, kept.id, elsewhere.id] {
        seen.push(t.store.attachment(id).await.unwrap().shown_to_visitor);
    }
    assert_eq!(
        seen,
        [true, false, false],
        "only this conversation's attachments named by the event"
    );

    // A refused batch marks nothing: the mark commits with the event or not at all.
    let refused = vec![
        banner_store::AppendEvent {
            shows_attachments: vec![kept.id],
            ..message(c.id, "second")
        },
        banner_store::AppendEvent {
            kind: String::new(),
            ..message(c.id, "broken")
        },
    ];
    assert!(t.store.append_all(refused).await.is_err());
    assert!(!t.store.attachment(kept.id).await.unwrap().shown_to_visitor);
}

#[tokio::test]
async fn unsafe_or_orphan_attachments_are_refused() {
    let t = open();
    let c = conversation(&t.store, "v").await;
    for name in ["../escape", "a/b", ".hidden", ""] {
        assert!(matches!(
            t.store.create_attachment(attachment(c.id, name)).await,
            Err(StoreError::InvalidInput(_))
        ));
    }
    assert_eq!(
        t.store
            .create_attachment(attachment(ConversationId(404), "x1"))
            .await,
        Err(StoreError::NotFound {
            what: "conversation"
        })
    );
    t.store
        .create_attachment(attachment(c.id, "same"))
        .await
        .unwrap();
    assert!(matches!(
        t.store.create_attachment(attachment(c.id, "same")).await,
        Err(StoreError::Conflict(_))
    ));
}

#[tokio::test]
async fn settings_are_put_replaced_and_deleted() {
    let t = open();
    assert_eq!(t.store.setting("config.snapshot").await.unwrap(), None);
    t.store
        .put_setting("config.snapshot", r#"{"queues":[]}"#, 1)
        .await
        .unwrap();
    t.store
        .put_setting("config.snapshot", r#"{"queues":["sales"]}"#, 2)
        .await
        .unwrap();
    assert_eq!(
        t.store.setting("config.snapshot").await.unwrap().as_deref(),
        Some(r#"{"queues":["sales"]}"#)
    );
    assert!(t.store.delete_setting("config.snapshot").await.unwrap());
    assert!(!t.store.delete_setting("config.snapshot").await.unwrap());
}
