//! Users: unique usernames, updates, deletion with their sessions.

#![allow(clippy::unwrap_used)]

mod common;

use banner_store::{NewSession, NewUser, SessionSubject, Store, StoreError, UserId, UserUpdate};
use common::open;

fn alice() -> NewUser {
    NewUser {
        username: "alice".to_owned(),
        display_name: "Alice".to_owned(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned(),
        profile: "agent".to_owned(),
        capacity: 3,
        settings: r#"{"message_arrives":true}"#.to_owned(),
        created_at: 1_000,
    }
}

#[tokio::test]
async fn users_are_created_found_and_listed() {
    let t = open();
    let alice = t.store.create_user(alice()).await.unwrap();
    assert_eq!(alice.capacity, 3);
    assert_eq!(t.store.user(alice.id).await.unwrap(), alice);
    assert_eq!(t.store.user_by_username("ALICE").await.unwrap(), alice);
    assert_eq!(
        t.store.user_by_username("bob").await,
        Err(StoreError::NotFound { what: "user" })
    );
    assert_eq!(t.store.users().await.unwrap(), [alice]);
}

#[tokio::test]
async fn usernames_are_unique_regardless_of_case() {
    let t = open();
    t.store.create_user(alice()).await.unwrap();
    let twin = NewUser {
        username: "Alice".to_owned(),
        ..alice()
    };
    assert!(matches!(
        t.store.create_user(twin).await,
        Err(StoreError::Conflict(_))
    ));
}

#[tokio::test]
async fn bad_users_are_refused() {
    let t = open();
    let nameless = NewUser {
        username: " ".to_owned(),
        ..alice()
    };
    let bad_settings = NewUser {
        settings: "not json".to_owned(),
        ..alice()
    };
    for bad in [nameless, bad_settings] {
        assert!(matches!(
            t.store.create_user(bad).await,
            Err(StoreError::InvalidInput(_))
        ));
    }
}

#[tokio::test]
async fn updates_change_only_what_is_given() {
    let t = open();
    let alice = t.store.create_user(alice()).await.unwrap();
    let updated = t
        .store
        .update_user(
            alice.id,
            UserUpdate {
                capacity: Some(5),
                settings: Some(r#"{"message_arrives":false}"#.to_owned()),
                updated_at: 2_000,
                ..UserUpdate::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(updated.capacity, 5);
    assert_eq!(updated.settings, r#"{"message_arrives":false}"#);
    assert_eq!(updated.display_name, alice.display_name);
    assert_eq!(updated.password_hash, alice.password_hash);
    assert_eq!(updated.updated_at, 2_000);
    assert!(
        t.store
            .update_user(UserId(999), UserUpdate::default())
            .await
            .is_err()
    );
}

#[tokio::test]
async fn deleting_a_user_ends_their_sessions() {
    let t = open();
    let alice = t.store.create_user(alice()).await.unwrap();
    t.store
        .create_session(NewSession {
            token: "alice-token".to_owned(),
            subject: SessionSubject::Agent(alice.id),
            created_at: 1_000,
            expires_at: 10_000,
        })
        .await
        .unwrap();
    t.store.delete_user(alice.id).await.unwrap();
    assert!(t.store.session("alice-token", 2_000).await.is_err());
    assert!(t.store.user(alice.id).await.is_err());
    assert!(t.store.delete_user(alice.id).await.is_err());
}

#[test]
fn password_hashes_stay_out_of_debug_output() {
    let shown = format!("{:?}", alice());
    assert!(!shown.contains("argon2id"), "{shown}");
}
