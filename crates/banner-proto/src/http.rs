//! The HTTP side of protocol version 1: paths, headers, and the JSON bodies
//! that no other module owns (login, visitor sessions, event pages, search,
//! uploads, the transfer directory, health).
//!
//! Every request but `/healthz`, `POST /v1/login` and `POST /v1/visitor/session`
//! carries `Authorization: Bearer <token>`. Tokens never appear in a URL. An
//! error answer has a status ≥ 400 and an [`crate::ErrorBody`].

use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::agent::{AgentProfile, Presence};
use crate::bounded::REDACTED;
use crate::ids::{AgentId, ConversationId, Seq, UnixMillis};
use crate::message::Attachment;
use crate::routing::{FlowRef, QueueRef};
use crate::server::Logged;

/// Request paths. `{id}` stands for a number (use [`path::with_id`]).
pub mod path {
    /// `GET`: is the server up? Answers [`super::Health`]. No token.
    pub const HEALTHZ: &str = "/healthz";
    /// `POST` [`super::LoginRequest`] → [`super::LoginResponse`]. No token.
    pub const LOGIN: &str = "/v1/login";
    /// `POST`, no body → `204`: ends the agent's session.
    pub const LOGOUT: &str = "/v1/logout";
    /// The agent's WebSocket.
    pub const AGENT_WS: &str = "/v1/ws";
    /// `GET` → [`crate::Pool`].
    pub const POOL: &str = "/v1/pool";
    /// `GET` → [`super::Directory`]: who and where the agent may transfer to.
    pub const DIRECTORY: &str = "/v1/directory";
    /// `GET` → [`crate::ConversationDetails`].
    pub const CONVERSATION: &str = "/v1/conversations/{id}";
    /// `GET ?after=&limit=` → [`super::EventPage`] of agent events.
    pub const CONVERSATION_EVENTS: &str = "/v1/conversations/{id}/events";
    /// `POST` the raw file (agent or visitor token) → `201` [`super::Uploaded`].
    pub const CONVERSATION_ATTACHMENTS: &str = "/v1/conversations/{id}/attachments";
    /// `GET` the file's bytes (agent or visitor token).
    pub const ATTACHMENT: &str = "/v1/attachments/{id}";
    /// `GET ?q=&limit=` → [`super::HistoryPage`]: full-text search of history.
    pub const HISTORY: &str = "/v1/history";
    /// `GET` → [`crate::Supervision`] (needs `monitor`).
    pub const SUPERVISION: &str = "/v1/supervision";
    /// `POST` [`super::VisitorSessionRequest`] → [`super::VisitorSessionResponse`].
    pub const VISITOR_SESSION: &str = "/v1/visitor/session";
    /// The visitor's WebSocket.
    pub const VISITOR_WS: &str = "/v1/visitor/ws";
    /// `GET ?after=&limit=` → [`super::EventPage`] of visitor events.
    pub const VISITOR_CONVERSATION_EVENTS: &str = "/v1/visitor/conversations/{id}/events";

    /// `path` with `{id}` replaced by `id`.
    pub fn with_id(path: &str, id: impl std::fmt::Display) -> String {
        path.replacen("{id}", &id.to_string(), 1)
    }
}

/// Request headers with a meaning in this protocol.
pub mod header {
    /// `Bearer <token>` on every authenticated request.
    pub const AUTHORIZATION: &str = "Authorization";
    /// An upload's file name, percent-encoded UTF-8 (RFC 3986), as the
    /// uploader called it.
    pub const FILENAME: &str = "X-Filename";
}

/// `POST /v1/login`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// The login name (ASCII case does not matter).
    pub username: String,
    /// The password.
    pub password: String,
}

/// The answer to a login.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LoginResponse {
    /// The session token: send it as `Authorization: Bearer` and in `hello`.
    pub token: String,
    /// When the token stops working.
    pub expires_at: UnixMillis,
    /// Who logged in.
    pub agent: AgentProfile,
}

/// `POST /v1/visitor/session`: the widget starts a visitor session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct VisitorSessionRequest {
    /// The site's public key, from the widget's embed code.
    pub site_key: String,
    /// An authenticated customer, vouched for by the host site.
    pub customer: Option<CustomerClaim>,
    /// Direct routing: the agent this visitor's chats go to.
    pub direct_agent: Option<AgentId>,
    /// The widget's language, a BCP 47 tag (e.g. "fr-FR").
    pub locale: Option<String>,
}

/// The host site's word that the visitor is one of its customers.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct CustomerClaim {
    /// The host site's id for the customer.
    pub id: String,
    /// The customer's name (not signed: shown as given).
    pub name: Option<String>,
    /// The customer's e-mail address (not signed: shown as given).
    pub email: Option<String>,
    /// Lowercase hex HMAC-SHA256 of `id`'s UTF-8 bytes, keyed with the site's
    /// secret: 64 characters.
    pub signature: String,
}

/// The answer to a visitor session request.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VisitorSessionResponse {
    /// The visitor's token, for `Authorization: Bearer` and `hello`.
    pub token: String,
    /// The visitor's id.
    pub visitor_id: String,
    /// When the token stops working.
    pub expires_at: UnixMillis,
    /// The conversation the visitor writes in now (a customer's continuous
    /// conversation), if any.
    pub conversation: Option<ConversationId>,
}

// Hand-written so that secrets never reach a log through `{:?}`.
impl fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginRequest")
            .field("username", &self.username)
            .field("password", &REDACTED)
            .finish()
    }
}

impl fmt::Debug for LoginResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginResponse")
            .field("token", &REDACTED)
            .field("expires_at", &self.expires_at)
            .field("agent", &self.agent)
            .finish()
    }
}

impl fmt::Debug for CustomerClaim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CustomerClaim")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("email", &self.email)
            .field("signature", &REDACTED)
            .finish()
    }
}

impl fmt::Debug for VisitorSessionResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VisitorSessionResponse")
            .field("token", &REDACTED)
            .field("visitor_id", &self.visitor_id)
            .field("expires_at", &self.expires_at)
            .field("conversation", &self.conversation)
            .finish()
    }
}

/// The query of `GET …/events`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct EventsQuery {
    /// Only events with a greater `seq` (absent: from the start).
    pub after: Option<Seq>,
    /// At most this many (absent: `DEFAULT_EVENTS_PAGE`; at most `MAX_EVENTS_PAGE`).
    pub limit: Option<u32>,
}

/// A page of a conversation's log, in `seq` order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EventPage<E> {
    /// The conversation.
    pub conversation: ConversationId,
    /// The events.
    pub events: Vec<Logged<E>>,
    /// The last `seq` of the log now.
    pub latest_seq: Seq,
    /// More events follow: ask again with `after` = the last `seq` received.
    pub more: bool,
}

/// The query of `GET /v1/history`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(optional_fields = nullable)]
pub struct HistoryQuery {
    /// Words that must all appear in a message (plain words, no syntax).
    pub q: String,
    /// At most this many hits (absent: `DEFAULT_HISTORY_HITS`; at most
    /// `MAX_HISTORY_HITS`).
    pub limit: Option<u32>,
}

/// The answer to a history search: matching messages, best first, among the
/// conversations the caller may see.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HistoryPage {
    /// The hits.
    pub hits: Vec<HistoryHit>,
}

/// One message that matches a search.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct HistoryHit {
    /// The conversation.
    pub conversation: ConversationId,
    /// The message's `seq`.
    pub seq: Seq,
    /// When it was written.
    pub at: UnixMillis,
    /// An excerpt; each matched word is between U+0002 and U+0003. Escape it
    /// as text, then replace the markers with the highlight element.
    pub snippet: String,
}

/// The answer to an upload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Uploaded {
    /// The stored file; send its id in a message's `attachments`.
    pub attachment: Attachment,
}

/// `GET /v1/directory`: where the agent may transfer a chat.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Directory {
    /// Users, with their presence (an attended transfer needs one available).
    pub agents: Vec<DirectoryAgent>,
    /// Queues.
    pub queues: Vec<QueueRef>,
    /// Smart routing flows.
    pub flows: Vec<FlowRef>,
}

/// A user in the directory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DirectoryAgent {
    /// Identity.
    pub id: AgentId,
    /// Display name.
    pub name: String,
    /// Presence now.
    pub presence: Presence,
}

/// `GET /healthz`: the server is up and speaks this protocol.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Health {
    /// The protocol version: [`crate::PROTOCOL_VERSION`].
    pub protocol: u32,
    /// The server's version (e.g. "0.1.0").
    pub version: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_stay_out_of_debug_output() {
        let login = LoginRequest {
            username: "ada".into(),
            password: "hunter2".into(),
        };
        let claim = CustomerClaim {
            id: "cust-1".into(),
            name: None,
            email: None,
            signature: "5d8c3e5a".into(),
        };
        let session = VisitorSessionResponse {
            token: "tok-secret".into(),
            visitor_id: "v-1".into(),
            expires_at: 0,
            conversation: None,
        };
        let hello = crate::Hello {
            protocol: 1,
            token: "tok-secret".into(),
            resume: vec![],
        };
        let printed = format!("{login:?} {claim:?} {session:?} {hello:?}");
        for secret in ["hunter2", "5d8c3e5a", "tok-secret"] {
            assert!(!printed.contains(secret), "{printed}");
        }
        assert!(printed.contains("ada") && printed.contains("cust-1"));
    }
}
