//! The HTTP middleware: each request spends its client address's budget —
//! opening a session the strict one, anything else the loose one — and a
//! WebSocket upgrade also takes one of the address's socket slots, which the
//! socket keeps (as a request extension) for as long as it is open. Over a
//! limit the answer is 429 with `rate_limited` and `Retry-After`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use banner_proto::ErrorCode;
use banner_proto::http::path;

use super::{Budget, Limits, retry_secs};
use crate::http::error::ApiError;

/// How long a client told "too many sockets" should wait before trying again.
const SOCKETS_RETRY: Duration = Duration::from_secs(10);

/// Which budget a request spends.
pub fn budget(method: &Method, path: &str) -> Budget {
    let opens_session = path == path::LOGIN || path == path::VISITOR_SESSION;
    if method == Method::POST && opens_session {
        Budget::Sessions
    } else {
        Budget::Http
    }
}

fn is_socket(path: &str) -> bool {
    path == path::AGENT_WS || path == path::VISITOR_WS
}

/// The middleware; see the module docs.
pub async fn limit(
    State(limits): State<Arc<Limits>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    let Some(peer) = peer.filter(|_| limits.enabled()) else {
        return next.run(request).await;
    };
    let client = limits.client(peer, request.headers());
    let path = request.uri().path();
    let spent = budget(request.method(), path);
    if let Err(wait) = limits.request(spent, client, Instant::now()) {
        let message = match spent {
            Budget::Sessions => "Too many sessions opened from your address",
            Budget::Http => "Too many requests from your address",
        };
        return too_many(message, wait);
    }
    if is_socket(path) {
        let Some(slot) = limits.socket(client) else {
            return too_many("Too many connections open from your address", SOCKETS_RETRY);
        };
        request.extensions_mut().insert(Arc::new(slot));
    }
    next.run(request).await
}

/// 429 `rate_limited`, saying when to retry.
fn too_many(what: &str, wait: Duration) -> Response {
    let secs = retry_secs(wait);
    let body = ApiError::new(
        ErrorCode::RateLimited,
        format!("{what}; retry in {secs} s."),
    );
    let mut response = body.into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_a_session_spends_the_strict_budget() {
        assert_eq!(budget(&Method::POST, path::LOGIN), Budget::Sessions);
        assert_eq!(
            budget(&Method::POST, path::VISITOR_SESSION),
            Budget::Sessions
        );
        assert_eq!(budget(&Method::GET, path::HEALTHZ), Budget::Http);
        assert_eq!(budget(&Method::GET, path::AGENT_WS), Budget::Http);
    }

    #[test]
    fn a_refusal_is_429_rate_limited_with_retry_after() {
        let response = too_many("Too many", Duration::from_millis(1500));
        assert_eq!(response.status(), 429);
        assert_eq!(response.headers()[header::RETRY_AFTER], "2");
    }
}
