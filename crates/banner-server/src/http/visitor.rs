//! `POST /v1/visitor/session`: a site's widget opens a session for an
//! anonymous visitor, or for a customer whose id the site signed (HMAC-SHA256
//! with the site's secret, compared in constant time; an empty signature never
//! passes). Direct routing names an agent of the floor.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use banner_core::AgentId;
use banner_proto::{CustomerInfo, ErrorCode, VisitorSessionRequest, VisitorSessionResponse};
use banner_store::{SessionSubject, Store};
use sha2::{Digest, Sha256};

use super::error::{ApiError, JsonBody};
use crate::AppState;
use crate::auth::{signature, token};
use crate::hub::Request;
use crate::session::{self, StoredVisitor};
use crate::wire;

/// A customer's visitor id: stable per site and customer, so that their
/// conversations are found again, and not the customer id itself.
fn customer_visitor_id(site: &str, customer_id: &str) -> String {
    let mut h = Sha256::new();
    h.update((site.len() as u64).to_be_bytes());
    h.update(site.as_bytes());
    h.update(customer_id.as_bytes());
    format!("c-{}", &hex::encode(h.finalize())[..20])
}

pub(super) async fn session<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    JsonBody(request): JsonBody<VisitorSessionRequest>,
) -> Result<Json<VisitorSessionResponse>, ApiError> {
    let refused = |message: &str| ApiError::new(ErrorCode::Unauthorized, message);
    let site = state
        .floor
        .sites
        .get(&request.site_key)
        .ok_or_else(|| refused("Unknown site key."))?;
    let (visitor_id, customer) = match &request.customer {
        None => (token::new_visitor_id(), None),
        Some(claim) => {
            let secret = site
                .secret
                .as_deref()
                .ok_or_else(|| refused("This site does not accept authenticated customers."))?;
            if !signature::verify_customer(secret, &claim.id, &claim.signature) {
                return Err(refused("The customer signature does not match."));
            }
            let customer = CustomerInfo {
                id: claim.id.clone(),
                name: claim.name.clone(),
                email: claim.email.clone(),
            };
            (
                customer_visitor_id(&request.site_key, &claim.id),
                Some(customer),
            )
        }
    };
    if let Some(agent) = request.direct_agent
        && !state.floor.agents.contains_key(&AgentId(agent.0))
    {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!("No agent {agent} to route to."),
        ));
    }
    let stored = StoredVisitor {
        site: request.site_key.clone(),
        customer,
        locale: request.locale.clone(),
        direct_agent: request.direct_agent.map(|a| a.0),
    };
    session::save_visitor(state.store.as_ref(), &visitor_id, &stored).await?;
    let ctx = session::visitor_ctx(&state, visitor_id.clone(), stored)?;
    let (token, expires_at) = session::issue(
        state.store.as_ref(),
        SessionSubject::Visitor(visitor_id.clone()),
        state.settings.visitor_session_ttl_secs,
    )
    .await?;
    let conversation = state
        .hub
        .ask(|reply| Request::Current {
            visitor: ctx,
            reply,
        })
        .await?
        .map(wire::conversation_to_proto);
    Ok(Json(VisitorSessionResponse {
        token,
        visitor_id,
        expires_at,
        conversation,
    }))
}

/// `GET /v1/visitor/conversations/{id}/events`: the visitor's own
/// conversation, every event seen through `Logged::for_visitor` (private notes
/// and the agents' side never pass).
pub(super) async fn events<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    caller: super::bearer::VisitorCaller,
    axum::extract::Path(id): axum::extract::Path<String>,
    super::error::QueryParams(query): super::error::QueryParams<banner_proto::EventsQuery>,
) -> Result<Json<banner_proto::EventPage<banner_proto::VisitorEvent>>, ApiError> {
    let c = id
        .parse::<u64>()
        .map(banner_core::ConversationId)
        .map_err(|_| {
            ApiError::new(
                ErrorCode::BadRequest,
                "A conversation id is a positive integer.",
            )
        })?;
    super::access::visitor_owns(&state, &caller.visitor, c).await?;
    let page = super::agent::event_page(&state, c, query, |logged| logged.for_visitor()).await?;
    Ok(Json(page))
}
