//! Login sessions: expiry judged by the caller's clock, tokens kept only as hashes.

#![allow(clippy::unwrap_used)]

mod common;

use banner_store::{NewSession, SessionSubject, Store, StoreError, UserId};
use common::open;
use sha2::{Digest, Sha256};

const TOKEN: &str = "tok_3c2f9a7e1b8d4f60a5e2c7d9b1f04e8a";

fn agent_session(token: &str, expires_at: i64) -> NewSession {
    NewSession {
        token: token.to_owned(),
        subject: SessionSubject::Agent(UserId(7)),
        created_at: 1_000,
        expires_at,
    }
}

#[tokio::test]
async fn a_session_is_found_by_its_token_until_it_expires() {
    let t = open();
    t.store
        .create_session(agent_session(TOKEN, 5_000))
        .await
        .unwrap();

    let found = t.store.session(TOKEN, 4_999).await.unwrap();
    assert_eq!(found.subject, SessionSubject::Agent(UserId(7)));
    assert_eq!(found.expires_at, 5_000);

    let expired = t.store.session(TOKEN, 5_000).await;
    assert_eq!(expired, Err(StoreError::NotFound { what: "session" }));
    assert!(t.store.session("some-other-token", 10).await.is_err());
    assert!(matches!(
        t.store.session("", 10).await,
        Err(StoreError::InvalidInput(_))
    ));
}

#[tokio::test]
async fn sessions_can_be_extended_deleted_and_purged() {
    let t = open();
    let visitor = SessionSubject::Visitor("visitor-42".to_owned());
    for (token, expires_at) in [("a", 2_000), ("b", 3_000), ("c", 9_000)] {
        t.store
            .create_session(NewSession {
                subject: visitor.clone(),
                ..agent_session(token, expires_at)
            })
            .await
            .unwrap();
    }

    let extended = t.store.extend_session("a", 8_000, 1_500).await.unwrap();
    assert_eq!(extended.expires_at, 8_000);
    assert!(t.store.session("a", 7_000).await.is_ok());
    // An expired session cannot be brought back.
    assert!(t.store.extend_session("b", 9_000, 3_000).await.is_err());

    assert_eq!(t.store.purge_expired_sessions(3_000).await.unwrap(), 1);
    assert!(t.store.delete_session("c").await.unwrap());
    assert!(!t.store.delete_session("c").await.unwrap());
    assert_eq!(t.store.delete_sessions_of(visitor).await.unwrap(), 1);
    assert!(t.store.session("a", 7_000).await.is_err());
}

#[tokio::test]
async fn the_same_token_cannot_open_two_sessions() {
    let t = open();
    t.store
        .create_session(agent_session(TOKEN, 5_000))
        .await
        .unwrap();
    assert!(matches!(
        t.store.create_session(agent_session(TOKEN, 6_000)).await,
        Err(StoreError::Conflict(_))
    ));
}

#[tokio::test]
async fn tokens_are_stored_only_as_sha256_hashes() {
    let t = open();
    t.store
        .create_session(agent_session(TOKEN, 5_000))
        .await
        .unwrap();
    let db = t.store.path().to_owned();
    drop(t.store); // checkpoints the WAL into the main file

    let conn = rusqlite::Connection::open(&db).unwrap();
    let stored: Vec<u8> = conn
        .query_row("SELECT token_hash FROM sessions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, Sha256::digest(TOKEN.as_bytes()).to_vec());
    drop(conn);

    // No file of the data dir holds the token in clear text.
    for entry in std::fs::read_dir(t.dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(
            !bytes.windows(TOKEN.len()).any(|w| w == TOKEN.as_bytes()),
            "raw token found on disk"
        );
    }
    let file = std::fs::read(&db).unwrap();
    assert!(file.windows(32).any(|w| w == stored.as_slice()));
}
