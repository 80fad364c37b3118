//! Who calls: the `Authorization: Bearer <token>` header resolved to an agent
//! ([`AgentCaller`]) or a visitor ([`VisitorCaller`]). A missing, malformed,
//! unknown or expired token is `unauthorized`, and a token of the other kind
//! too: an agent's token opens no visitor endpoint and the reverse.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use banner_core::AgentId;
use banner_store::Store;

use super::error::ApiError;
use crate::AppState;
use crate::hub::VisitorCtx;
use crate::session;

/// An agent, from their session token.
pub struct AgentCaller {
    /// Who.
    pub agent: AgentId,
    /// The raw token (to end the session on logout).
    pub token: String,
}

/// A visitor, from their session token.
pub struct VisitorCaller {
    /// Who, and where their chats go.
    pub visitor: VisitorCtx,
}

fn token(parts: &Parts) -> Result<String, ApiError> {
    Ok(super::caller::bearer(&parts.headers)?.to_owned())
}

impl<S: Store> FromRequestParts<Arc<AppState<S>>> for AgentCaller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState<S>>,
    ) -> Result<Self, Self::Rejection> {
        let token = token(parts)?;
        let (agent, _) = session::agent(state, &token).await?;
        Ok(AgentCaller { agent, token })
    }
}

impl<S: Store> FromRequestParts<Arc<AppState<S>>> for VisitorCaller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState<S>>,
    ) -> Result<Self, Self::Rejection> {
        let token = token(parts)?;
        let (visitor, _) = session::visitor(state, &token).await?;
        Ok(VisitorCaller { visitor })
    }
}
