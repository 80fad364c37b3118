//! The periodic purge: expired sessions are deleted from the store while the
//! server runs, not only refused.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use banner_store::{SqliteStore, Store};
use common::people::{login, visitor_session};
use common::{SITE, Server, settings};

#[tokio::test]
async fn expired_sessions_are_purged_from_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = settings(dir.path().to_owned());
    settings.visitor_session_ttl_secs = 1;
    settings.session_purge_secs = 1;
    let server = Server::start_with(settings).await;
    visitor_session(&server, SITE).await;
    // The session expires after a second; the next purge after that deletes it.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let agent = login(&server, "ada").await.token().to_owned();
    server.stop().await;

    let store = SqliteStore::open(dir.path()).unwrap();
    // Everything left would be purged at the end of time: only the agent's
    // session, still valid when the server stopped, is.
    assert_eq!(store.purge_expired_sessions(i64::MAX).await.unwrap(), 1);
    assert!(store.session(&agent, 0).await.is_err());
}
