//! Who an HTTP request comes from: the session behind its
//! `Authorization: Bearer` token, an agent's or a visitor's, as the
//! [`Principal`] the hub and the log know. Also the numeric ids of paths,
//! refused in the protocol's error shape.

use axum::http::{HeaderMap, header};
use banner_proto::ErrorCode;
use banner_proto::limits::MAX_SAFE_INTEGER;
use banner_store::Store;

use crate::AppState;
use crate::hub::Refusal;
use crate::hub::request::Principal;
use crate::session;

fn unauthorized() -> Refusal {
    Refusal::new(
        ErrorCode::Unauthorized,
        "Send your session token as `Authorization: Bearer <token>`.",
    )
}

/// The token of `Authorization: Bearer <token>`.
pub fn bearer(headers: &HeaderMap) -> Result<&str, Refusal> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(unauthorized)
}

/// The agent or visitor whose session the request's token opens.
pub async fn caller<S: Store>(
    state: &AppState<S>,
    headers: &HeaderMap,
) -> Result<Principal, Refusal> {
    let token = bearer(headers)?;
    if let Ok((agent, _)) = session::agent(state, token).await {
        return Ok(Principal::Agent(agent));
    }
    let (visitor, _) = session::visitor(state, token).await?;
    Ok(Principal::Visitor(visitor.visitor_id))
}

/// A `{id}` of a path: a number the protocol allows (at most 2^53 − 1).
pub fn path_id(raw: &str, what: &str) -> Result<u64, Refusal> {
    raw.parse::<u64>()
        .ok()
        .filter(|&id| id <= MAX_SAFE_INTEGER)
        .ok_or_else(|| {
            Refusal::new(
                ErrorCode::BadRequest,
                format!(
                    "{raw:?} is not {what} id: ids are whole numbers up to {MAX_SAFE_INTEGER}."
                ),
            )
        })
}
