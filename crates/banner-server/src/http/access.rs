//! Who may read a conversation over HTTP.
//!
//! Live conversations: the engine decides (`can_view`: it rings them, they
//! hold or held it, it waits in one of their queues, or they have `monitor`).
//! Ended ones are gone from the engine, so the log decides: supervisors with
//! `monitor`, and agents the log shows were offered or assigned the chat.
//! Visitors: the store's record of whose conversation it is — their visitor
//! id, or the customer id the site vouched for — which survives restarts.
//! Everyone else gets `not_found`, never a hint that the conversation exists.

use banner_core::{AgentId, ConversationId, Permission};
use banner_proto::{AgentEvent, ErrorCode, Logged, Seq};
use banner_store::Store;

use super::error::ApiError;
use crate::AppState;
use crate::hub::{Request, VisitorCtx};
use crate::ws::replay;

/// The answer to anyone who may not see `c`.
pub fn not_found(c: ConversationId) -> ApiError {
    ApiError::new(
        ErrorCode::NotFound,
        format!("No conversation {} is visible to you.", c.0),
    )
}

fn store_id(c: ConversationId) -> banner_store::ConversationId {
    banner_store::ConversationId(i64::try_from(c.0).unwrap_or(i64::MAX))
}

/// Whether the agent's profile has `permission`.
pub async fn allows<S: Store>(
    state: &AppState<S>,
    agent: AgentId,
    permission: Permission,
) -> Result<bool, ApiError> {
    Ok(state
        .hub
        .ask(|reply| Request::Allows {
            agent,
            permission,
            reply,
        })
        .await?)
}

/// `Ok` if `agent` may read `c`, else `not_found`.
pub async fn agent_may_read<S: Store>(
    state: &AppState<S>,
    agent: AgentId,
    c: ConversationId,
) -> Result<(), ApiError> {
    let live = state
        .hub
        .ask(|reply| Request::CanView {
            agent,
            conversation: c,
            reply,
        })
        .await?;
    if live {
        return Ok(());
    }
    let Ok(stored) = state.store.conversation(store_id(c)).await else {
        return Err(not_found(c));
    };
    if stored.state != crate::hub::record::ENDED {
        return Err(not_found(c));
    }
    if allows(state, agent, Permission::Monitor).await? {
        return Ok(());
    }
    if took_part(state, agent, c).await? {
        return Ok(());
    }
    Err(not_found(c))
}

/// Whether the log shows `agent` was offered or assigned `c`.
async fn took_part<S: Store>(
    state: &AppState<S>,
    agent: AgentId,
    c: ConversationId,
) -> Result<bool, ApiError> {
    let mine = |event: &Logged<AgentEvent>| match &event.event {
        AgentEvent::Offer(offer) => offer.agent.id.0 == agent.0,
        AgentEvent::Assigned { agent: a, .. } => a.id.0 == agent.0,
        _ => false,
    };
    let mut after: Seq = 0;
    loop {
        let page = replay::page(state.store.as_ref(), c, after).await?;
        if page.iter().any(mine) {
            return Ok(true);
        }
        match page.last() {
            Some(last) if page.len() >= replay::PAGE as usize => after = last.seq,
            _ => return Ok(false),
        }
    }
}

/// `Ok` if `c` is the visitor's own (as a customer: any of the customer's),
/// else `not_found`.
pub async fn visitor_owns<S: Store>(
    state: &AppState<S>,
    visitor: &VisitorCtx,
    c: ConversationId,
) -> Result<(), ApiError> {
    let Ok(stored) = state.store.conversation(store_id(c)).await else {
        return Err(not_found(c));
    };
    let same_visitor = stored.visitor_id == visitor.visitor_id;
    let same_customer = match (&visitor.customer, &stored.customer_id) {
        (Some(customer), Some(id)) => customer.id == *id,
        _ => false,
    };
    if same_visitor || same_customer {
        Ok(())
    } else {
        Err(not_found(c))
    }
}
