//! Sessions: issuing tokens and resolving them back to an agent or a visitor.
//! Tokens are stored hashed by banner-store; a visitor's details (site,
//! customer, locale, direct agent) are kept beside the session in the store's
//! settings under `visitor:<visitor id>`, so that any socket — after a restart
//! too — knows where the visitor's chats go.

use banner_core::{AgentId, Entry};
use banner_proto::{CustomerInfo, ErrorCode};
use banner_store::{NewSession, SessionSubject, Store, StoreError, UserId};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::auth::token;
use crate::clock;
use crate::hub::{Refusal, VisitorCtx};

/// What the server keeps about a visitor.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StoredVisitor {
    /// The site's public key.
    pub site: String,
    /// The customer, if the site vouched for one.
    pub customer: Option<CustomerInfo>,
    /// The widget's language.
    pub locale: Option<String>,
    /// Direct routing to this agent.
    pub direct_agent: Option<u32>,
}

fn setting_key(visitor_id: &str) -> String {
    format!("visitor:{visitor_id}")
}

fn unauthorized() -> Refusal {
    Refusal::new(
        ErrorCode::Unauthorized,
        "This session is unknown or expired; log in (or open a visitor session) again.",
    )
}

fn store_refusal(e: &StoreError) -> Refusal {
    Refusal::new(crate::wire::codes::store_code(e), e.to_string())
}

/// Creates a session for `subject` living `ttl_secs`; returns the raw token and
/// its expiry (Unix ms).
pub async fn issue<S: Store>(
    store: &S,
    subject: SessionSubject,
    ttl_secs: u64,
) -> Result<(String, u64), Refusal> {
    let now = clock::now_millis();
    let expires_at = now.saturating_add(ttl_secs.saturating_mul(1000));
    let token = token::new_token();
    store
        .create_session(NewSession {
            token: token.clone(),
            subject,
            created_at: clock::wire_to_store(now),
            expires_at: clock::wire_to_store(expires_at),
        })
        .await
        .map_err(|e| store_refusal(&e))?;
    Ok((token, expires_at))
}

/// The agent behind a token, and when the session expires.
pub async fn agent<S: Store>(state: &AppState<S>, token: &str) -> Result<(AgentId, u64), Refusal> {
    let session = state
        .store
        .session(token, clock::now_store())
        .await
        .map_err(|_| unauthorized())?;
    let SessionSubject::Agent(UserId(id)) = session.subject else {
        return Err(unauthorized());
    };
    let agent = AgentId(u32::try_from(id).map_err(|_| unauthorized())?);
    if !state.floor.agents.contains_key(&agent) {
        return Err(unauthorized());
    }
    Ok((agent, clock::store_to_wire(session.expires_at)))
}

/// Keeps a visitor's details.
pub async fn save_visitor<S: Store>(
    store: &S,
    visitor_id: &str,
    visitor: &StoredVisitor,
) -> Result<(), Refusal> {
    let json = serde_json::to_string(visitor)
        .map_err(|e| Refusal::new(ErrorCode::Internal, e.to_string()))?;
    store
        .put_setting(&setting_key(visitor_id), &json, clock::now_store())
        .await
        .map_err(|e| store_refusal(&e))
}

/// Where a visitor's chats go, from their details and the floor.
pub fn visitor_ctx<S>(
    state: &AppState<S>,
    visitor_id: String,
    stored: StoredVisitor,
) -> Result<VisitorCtx, Refusal> {
    let site = state
        .floor
        .sites
        .get(&stored.site)
        .ok_or_else(unauthorized)?;
    let entry = match stored.direct_agent {
        Some(a) if state.floor.agents.contains_key(&AgentId(a)) => Entry::Direct {
            agent: AgentId(a),
            fallback: site.direct_fallback,
        },
        Some(_) => return Err(unauthorized()),
        None => site.entry,
    };
    Ok(VisitorCtx {
        visitor_id,
        customer: stored.customer,
        locale: stored.locale,
        entry,
    })
}

/// The visitor behind a token, and when the session expires.
pub async fn visitor<S: Store>(
    state: &AppState<S>,
    token: &str,
) -> Result<(VisitorCtx, u64), Refusal> {
    let session = state
        .store
        .session(token, clock::now_store())
        .await
        .map_err(|_| unauthorized())?;
    let SessionSubject::Visitor(visitor_id) = session.subject else {
        return Err(unauthorized());
    };
    let json = state
        .store
        .setting(&setting_key(&visitor_id))
        .await
        .map_err(|e| store_refusal(&e))?
        .ok_or_else(unauthorized)?;
    let stored: StoredVisitor = serde_json::from_str(&json)
        .map_err(|e| Refusal::new(ErrorCode::Internal, e.to_string()))?;
    let ctx = visitor_ctx(state, visitor_id, stored)?;
    Ok((ctx, clock::store_to_wire(session.expires_at)))
}
