//! The HTTP endpoints against a real server: health, CORS for the desktop app,
//! agents' login (good, bad, throttled) and visitors' sessions (anonymous,
//! signed customers, forged or empty signatures).

#![allow(clippy::unwrap_used)]

mod common;

use banner_proto::{ErrorBody, ErrorCode, Health, LoginResponse, VisitorSessionResponse};
use banner_server::auth::signature::sign_customer;
use common::{PASSWORD, SECRET, SITE, Server};
use serde_json::json;

#[tokio::test]
async fn healthz_answers_and_cors_admits_the_desktop_app() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let response = reqwest::get(server.url("/healthz")).await.unwrap();
    assert_eq!(response.status(), 200);
    let health: Health = response.json().await.unwrap();
    assert_eq!(health.protocol, 1);

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
    let good = server.login("Ada", PASSWORD).await;
    assert_eq!(good.status(), 200);
    let login: LoginResponse = good.json().await.unwrap();
    assert_eq!(login.agent.username, "ada");
    assert_eq!(login.agent.queues[0].label, "Billing");
    assert_eq!(login.token.len(), 64);

    let wrong = server.login("ada", "hunter2").await;
    assert_eq!(wrong.status(), 401);
    let wrong: ErrorBody = wrong.json().await.unwrap();
    let unknown = server.login("nobody", PASSWORD).await;
    assert_eq!(unknown.status(), 401);
    let unknown: ErrorBody = unknown.json().await.unwrap();
    assert_eq!(
        wrong, unknown,
        "an unknown user looks like a wrong password"
    );

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
        assert_eq!(server.login("bob", "wrong").await.status(), 401);
    }
    let throttled = server.login("bob", PASSWORD).await;
    assert_eq!(throttled.status(), 429);
    let body: ErrorBody = throttled.json().await.unwrap();
    assert_eq!(body.code, ErrorCode::RateLimited);
    // Another username from the same address is not affected.
    assert_eq!(server.login("ada", PASSWORD).await.status(), 200);
    server.stop().await;
}

#[tokio::test]
async fn visitor_sessions_need_a_known_site_and_a_true_signature() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let anonymous = server.visitor().await;
    assert!(anonymous.visitor_id.starts_with("v-"));
    assert!(anonymous.conversation.is_none());

    let signature = sign_customer(SECRET.as_bytes(), "cust-1");
    let customer = server
        .visitor_session(json!({
            "site_key": SITE,
            "customer": {"id": "cust-1", "name": "Jane", "signature": signature},
        }))
        .await;
    assert_eq!(customer.status(), 200);
    let customer: VisitorSessionResponse = customer.json().await.unwrap();
    assert_ne!(customer.visitor_id, "cust-1");

    let forged = sign_customer(b"not the secret", "cust-1");
    for signature in [forged.as_str(), ""] {
        let refused = server
            .visitor_session(json!({
                "site_key": SITE,
                "customer": {"id": "cust-1", "signature": signature},
            }))
            .await;
        assert_eq!(refused.status(), 401, "signature {signature:?}");
    }
    let unknown_site = server
        .visitor_session(json!({"site_key": "pk_other"}))
        .await;
    assert_eq!(unknown_site.status(), 401);
    server.stop().await;
}
