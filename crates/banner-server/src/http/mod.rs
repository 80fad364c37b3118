//! The router: health, login, visitor sessions and the two WebSockets, with
//! CORS for the desktop app's webview (`tauri://localhost`) and any origins the
//! settings add, and rate limits per client address (`crate::limits::http`).
//!
//! Layout: [`error`] (error answers, the JSON and query extractors), [`caller`]
//! (who a request is from), `bearer` (its extractors), `access` (who may read
//! a conversation), `login`, `agent` (the agent's other endpoints), `visitor`,
//! `attachments` (uploads and downloads), `assets` (the widget's files), `demo_page` (`/demo`).

pub(crate) mod access;
mod agent;
mod assets;
mod attachments;
mod bearer;
pub mod caller;
mod demo_page;
pub mod error;
mod login;
mod visitor;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::routing::{get, post};
use axum::{Json, Router};
use banner_proto::http::path;
use banner_proto::limits::MAX_FRAME_BYTES;
use banner_proto::{Health, PROTOCOL_VERSION};
use banner_store::Store;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::AppState;

/// Every route of protocol version 1 this server serves.
pub fn router<S: Store>(state: Arc<AppState<S>>) -> Router {
    let cors = cors(&state.settings.cors_origins);
    Router::new()
        .route(path::HEALTHZ, get(healthz))
        .route(path::LOGIN, post(login::login::<S>))
        .route(path::LOGOUT, post(agent::logout::<S>))
        .route(path::POOL, get(agent::pool::<S>))
        .route(path::DIRECTORY, get(agent::directory::<S>))
        .route(path::SUPERVISION, get(agent::supervision::<S>))
        .route(path::CONVERSATION, get(agent::details::<S>))
        .route(path::CONVERSATION_EVENTS, get(agent::events::<S>))
        .route(path::HISTORY, get(agent::history::<S>))
        .route(path::VISITOR_SESSION, post(visitor::session::<S>))
        .route(demo_page::PATH, get(demo_page::demo::<S>))
        .route(path::VISITOR_CONVERSATION_EVENTS, get(visitor::events::<S>))
        .route(path::AGENT_WS, get(crate::ws::agent::upgrade::<S>))
        .route(path::VISITOR_WS, get(crate::ws::visitor::upgrade::<S>))
        .merge(assets::routes::<S>())
        .layer(DefaultBodyLimit::max(MAX_FRAME_BYTES))
        // Uploads stream their raw body and count it against their own cap.
        .route(
            path::CONVERSATION_ATTACHMENTS,
            post(attachments::upload::<S>),
        )
        .route(path::ATTACHMENT, get(attachments::download::<S>))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&state.limits),
            crate::limits::http::limit,
        ))
        .layer(cors)
        .with_state(state)
}

async fn healthz() -> Json<Health> {
    Json(Health {
        protocol: PROTOCOL_VERSION,
        version: env!("CARGO_PKG_VERSION").into(),
    })
}

fn cors(origins: &[String]) -> CorsLayer {
    let origins: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static("x-filename"),
        ])
}
