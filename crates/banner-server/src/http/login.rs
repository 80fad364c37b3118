//! `POST /v1/login`: a password checked with argon2id, throttled per username
//! and address, answered with an opaque token (stored hashed) and the profile.
//! An unknown user and a wrong password get the same answer, after the same work.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::Json;
use axum::extract::{ConnectInfo, State};
use banner_proto::{ErrorCode, LoginRequest, LoginResponse};
use banner_store::{SessionSubject, Store, UserId};

use super::error::{ApiError, JsonBody};
use crate::AppState;
use crate::auth::password;
use crate::hub::Request;
use crate::session;

pub(super) async fn login<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    JsonBody(request): JsonBody<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    let ip = peer.ip();
    if !state.throttle.allows(&request.username, ip, Instant::now()) {
        return Err(ApiError::new(
            ErrorCode::RateLimited,
            "Too many failed logins; wait a few minutes before trying again.",
        ));
    }
    let agent = state
        .floor
        .usernames
        .get(&request.username.to_ascii_lowercase())
        .copied();
    let hash = match agent {
        Some(_) => state
            .store
            .user_by_username(&request.username)
            .await
            .ok()
            .map(|u| u.password_hash),
        None => None,
    };
    let known = hash.is_some();
    let matches = password::verify_blocking(request.password, hash).await;
    let Some(agent) = agent.filter(|_| known && matches) else {
        state.throttle.failed(&request.username, ip, Instant::now());
        return Err(ApiError::new(
            ErrorCode::Unauthorized,
            "Wrong username or password.",
        ));
    };
    state.throttle.succeeded(&request.username, ip);
    let (token, expires_at) = session::issue(
        state.store.as_ref(),
        SessionSubject::Agent(UserId(i64::from(agent.0))),
        state.settings.session_ttl_secs,
    )
    .await?;
    let profile = state
        .hub
        .ask(|reply| Request::Profile { agent, reply })
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::Unauthorized, "Wrong username or password."))?;
    Ok(Json(LoginResponse {
        token,
        expires_at,
        agent: profile,
    }))
}
