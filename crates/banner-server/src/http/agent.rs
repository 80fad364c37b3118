//! The agent's HTTP endpoints besides login: logout, the pool, the directory,
//! a conversation's details and log, history search and supervision. Each
//! answers only what the caller may see (see [`access`](super::access)).

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use banner_core::{ConversationId, Permission};
use banner_proto::{
    AgentEvent, ConversationDetails, Directory, ErrorCode, EventPage, EventsQuery, HistoryHit,
    HistoryPage, HistoryQuery, Place, Pool, Supervision,
};
use banner_store::{SearchQuery, Store};

use super::access::{self, agent_may_read};
use super::bearer::AgentCaller;
use super::error::{ApiError, QueryParams};
use crate::AppState;
use crate::auth::token;
use crate::hub::Request;
use crate::wire;
use crate::ws::replay;

/// Events per page when the client does not say.
const EVENTS_DEFAULT: u32 = 100;
/// Events per page at most.
const EVENTS_MAX: u32 = 500;
/// History hits when the client does not say.
const HITS_DEFAULT: u32 = 20;
/// History hits at most.
const HITS_MAX: u32 = 100;
/// Hits read from the index per hit asked, to make up for those the caller
/// may not see.
const HITS_OVERSCAN: u32 = 4;

/// The conversation a path names.
pub(super) fn conversation(id: &str) -> Result<ConversationId, ApiError> {
    Ok(ConversationId(super::caller::path_id(
        id,
        "a conversation",
    )?))
}

/// `POST /v1/logout`.
pub(super) async fn logout<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    caller: AgentCaller,
) -> Result<StatusCode, ApiError> {
    let agent = caller.agent;
    let session = token::digest(&caller.token);
    state
        .hub
        .ask(|reply| Request::Logout {
            agent,
            session,
            reply,
        })
        .await??;
    state
        .store
        .delete_session(&caller.token)
        .await
        .map_err(|e| ApiError::new(wire::codes::store_code(&e), e.to_string()))?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /v1/pool`.
pub(super) async fn pool<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    caller: AgentCaller,
) -> Result<Json<Pool>, ApiError> {
    let agent = caller.agent;
    state
        .hub
        .ask(|reply| Request::Pool { agent, reply })
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::new(ErrorCode::Unauthorized, "You are no longer on the floor."))
}

/// `GET /v1/directory`.
pub(super) async fn directory<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    _caller: AgentCaller,
) -> Result<Json<Directory>, ApiError> {
    Ok(Json(
        state.hub.ask(|reply| Request::Directory { reply }).await?,
    ))
}

/// `GET /v1/supervision`.
pub(super) async fn supervision<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    caller: AgentCaller,
) -> Result<Json<Supervision>, ApiError> {
    let agent = caller.agent;
    let view = state
        .hub
        .ask(|reply| Request::Supervision { agent, reply })
        .await??;
    Ok(Json(view))
}

/// `GET /v1/conversations/{id}`.
pub(super) async fn details<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    caller: AgentCaller,
    Path(id): Path<String>,
) -> Result<Json<ConversationDetails>, ApiError> {
    let c = conversation(&id)?;
    let agent = caller.agent;
    let live = state
        .hub
        .ask(|reply| Request::Details {
            agent,
            conversation: c,
            reply,
        })
        .await??;
    if let Some(details) = live {
        return Ok(Json(details));
    }
    agent_may_read(&state, agent, c).await?;
    Ok(Json(ended_details(&state, c).await?))
}

/// An ended conversation's details, as its log tells them.
async fn ended_details<S: Store>(
    state: &AppState<S>,
    c: ConversationId,
) -> Result<ConversationDetails, ApiError> {
    let mut details: Option<ConversationDetails> = None;
    let mut variables = BTreeMap::new();
    let mut interactions = 0;
    let mut after = 0;
    loop {
        let page = replay::page(state.store.as_ref(), c, after).await?;
        for logged in &page {
            after = logged.seq;
            match &logged.event {
                AgentEvent::ConversationOpened { visitor, entry } => {
                    details = Some(ConversationDetails {
                        conversation: logged.conversation,
                        visitor: visitor.clone(),
                        entry: entry.clone(),
                        place: Place::Ended,
                        queue: None,
                        agent: None,
                        variables: BTreeMap::new(),
                        interactions: 0,
                        started_at: logged.at,
                        latest_seq: 0,
                        actions: None,
                    });
                }
                AgentEvent::VariableSet { name, value } => {
                    variables.insert(name.clone(), value.clone());
                }
                AgentEvent::InteractionStarted { interaction } => interactions = *interaction,
                _ => {}
            }
        }
        if page.len() < replay::PAGE as usize {
            break;
        }
    }
    let mut details = details.ok_or_else(|| access::not_found(c))?;
    details.variables = variables;
    details.interactions = interactions;
    details.latest_seq = after;
    Ok(details)
}

/// `GET /v1/conversations/{id}/events`.
pub(super) async fn events<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    caller: AgentCaller,
    Path(id): Path<String>,
    QueryParams(query): QueryParams<EventsQuery>,
) -> Result<Json<EventPage<AgentEvent>>, ApiError> {
    let c = conversation(&id)?;
    agent_may_read(&state, caller.agent, c).await?;
    Ok(Json(event_page(&state, c, query, Some).await?))
}

/// A page of `c`'s log after `query.after`, each event seen through `view`.
pub(super) async fn event_page<S: Store, E>(
    state: &AppState<S>,
    c: ConversationId,
    query: EventsQuery,
    view: impl Fn(banner_proto::Logged<AgentEvent>) -> Option<banner_proto::Logged<E>>,
) -> Result<EventPage<E>, ApiError> {
    let limit = query.limit.unwrap_or(EVENTS_DEFAULT).clamp(1, EVENTS_MAX);
    let after = query.after.unwrap_or(0);
    // The latest `seq` is read before the page, and raised to the page's
    // last: read after it, an event committed between the two reads would
    // show in `latest_seq` but not in a page that says there is no more.
    let latest = replay::latest(state.store.as_ref(), c).await?;
    // One more than asked says whether there is more.
    let mut page = replay::page_of(state.store.as_ref(), c, after, limit + 1).await?;
    let more = page.len() > limit as usize;
    page.truncate(limit as usize);
    let latest_seq = page.last().map_or(latest, |e| e.seq.max(latest));
    Ok(EventPage {
        conversation: wire::conversation_to_proto(c),
        events: page.into_iter().filter_map(view).collect(),
        latest_seq,
        more,
    })
}

/// `GET /v1/history`.
pub(super) async fn history<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    caller: AgentCaller,
    QueryParams(query): QueryParams<HistoryQuery>,
) -> Result<Json<HistoryPage>, ApiError> {
    let limit = query.limit.unwrap_or(HITS_DEFAULT).clamp(1, HITS_MAX);
    if query.q.trim().is_empty() {
        return Ok(Json(HistoryPage { hits: Vec::new() }));
    }
    let monitor = access::allows(&state, caller.agent, Permission::Monitor).await?;
    let found = state
        .store
        .search(SearchQuery {
            text: query.q,
            conversation_id: None,
            limit: if monitor {
                limit
            } else {
                limit * HITS_OVERSCAN
            },
        })
        .await
        .map_err(|e| ApiError::new(wire::codes::store_code(&e), e.to_string()))?;
    let mut hits = Vec::new();
    for hit in found {
        if hits.len() >= limit as usize {
            break;
        }
        let c = ConversationId(u64::try_from(hit.conversation_id.0).unwrap_or_default());
        if !monitor && agent_may_read(&state, caller.agent, c).await.is_err() {
            continue;
        }
        hits.push(HistoryHit {
            conversation: wire::conversation_to_proto(c),
            seq: hit.seq,
            at: crate::clock::store_to_wire(hit.created_at),
            snippet: hit.snippet,
        });
    }
    Ok(Json(HistoryPage { hits }))
}
