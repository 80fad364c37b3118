//! The HTTP endpoints against a real server: health, CORS for the desktop app,
//! agents' login (good, bad, throttled) and visitors' sessions (anonymous,
//! signed customers, forged or empty signatures) — through banner-client,
//! whose errors carry the server's code and status.

#![allow(clippy::unwrap_used)]

mod common;

use banner_client::{AgentClient, VisitorClient};
use banner_proto::{CustomerClaim, ErrorBody, ErrorCode, VisitorSessionRequest};
use banner_server::auth::signature::sign_customer;
use common::{PASSWORD, SECRET, SITE, Server, refusal};

fn session(site_key: &str, customer: Option<(&str, String)>) -> VisitorSessionRequest {
    VisitorSessionRequest {
        site_key: site_key.into(),
        customer: customer.map(|(id, signature)| CustomerClaim {
            id: id.into(),
            name: Some("Jane".into()),
            email: None,
            signature,
        }),
        direct_agent: None,
        locale: None,
    }
}

#[tokio::test]
async fn healthz_answers_and_cors_admits_the_desktop_app() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let health = banner_client::health(&server.base()).await.unwrap();
    assert_eq!(health.protocol, 1);

    // Preflights are the browser's business, not a client library's.
    let client = reqwest::Client::new();
    let preflight = client
        .request(reqwest::Method::OPTIONS, server.url("/v1/login"))
        .header("Origin", "tauri://localhost")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type")
        .send()
        .await
        .unwrap();
    assert_eq!(
        preflight.headers()["access-control-allow-origin"],
        "tauri://localhost"
    );
    let stranger = client
        .request(reqwest::Method::OPTIONS, server.url("/v1/login"))
        .header("Origin", "https://evil.example")
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await
        .unwrap();
    assert!(
        stranger
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    server.stop().await;
}

#[tokio::test]
async fn login_accepts_the_password_and_refuses_others_alike() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let ada = AgentClient::login(&server.base(), "Ada", PASSWORD)
        .await
        .unwrap();
    let profile = ada.profile().unwrap();
    assert_eq!(profile.username, "ada");
    assert_eq!(profile.queues[0].label, "Billing");
    assert_eq!(ada.token().len(), 64);
    assert!(
        !format!("{ada:?}").contains(ada.token()),
        "no token in logs"
    );

    let wrong = refusal(AgentClient::login(&server.base(), "ada", "hunter2").await);
    assert_eq!((wrong.0, wrong.1), (ErrorCode::Unauthorized, Some(401)));
    let unknown = refusal(AgentClient::login(&server.base(), "nobody", PASSWORD).await);
    assert_eq!(
        wrong, unknown,
        "an unknown user looks like a wrong password"
    );

    // A body no client would send.
    let garbage = reqwest::Client::new()
        .post(server.url("/v1/login"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(garbage.status(), 400);
    let body: ErrorBody = garbage.json().await.unwrap();
    assert_eq!(body.code, ErrorCode::BadRequest);
    server.stop().await;
}

#[tokio::test]
async fn repeated_failures_throttle_that_username_even_with_the_right_password() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    for _ in 0..3 {
        let failed = refusal(AgentClient::login(&server.base(), "bob", "wrong").await);
        assert_eq!(failed.0, ErrorCode::Unauthorized);
    }
    let throttled = AgentClient::login(&server.base(), "bob", PASSWORD).await;
    let throttled = refusal(throttled);
    assert_eq!(
        (throttled.0, throttled.1),
        (ErrorCode::RateLimited, Some(429))
    );
    // Another username from the same address is not affected.
    AgentClient::login(&server.base(), "ada", PASSWORD)
        .await
        .unwrap();
    server.stop().await;
}

#[tokio::test]
async fn visitor_sessions_need_a_known_site_and_a_true_signature() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let base = server.base();
    let anonymous = VisitorClient::session(&base, &session(SITE, None))
        .await
        .unwrap();
    assert!(anonymous.visitor_id().unwrap().starts_with("v-"));
    assert!(anonymous.conversation().is_none());

    let signature = sign_customer(SECRET.as_bytes(), "cust-1");
    let customer = VisitorClient::session(&base, &session(SITE, Some(("cust-1", signature))))
        .await
        .unwrap();
    assert_ne!(customer.visitor_id(), Some("cust-1"));

    let forged = sign_customer(b"not the secret", "cust-1");
    for signature in [forged, String::new()] {
        let request = session(SITE, Some(("cust-1", signature)));
        let refused = refusal(VisitorClient::session(&base, &request).await);
        assert_eq!((refused.0, refused.1), (ErrorCode::Unauthorized, Some(401)));
    }
    let unknown_site = refusal(VisitorClient::session(&base, &session("pk_other", None)).await);
    assert_eq!(unknown_site.0, ErrorCode::Unauthorized);
    server.stop().await;
}
