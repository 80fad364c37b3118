//! [`AgentClient`]: an agent's session — login, the agent's HTTP endpoints
//! (`docs/protocol.md` §4) and the agent's socket.

use std::fmt;

use banner_proto::http::path;
use banner_proto::{
    AgentEvent, AgentProfile, AttachmentId, ConversationDetails, ConversationId, Directory,
    EventPage, EventsQuery, HistoryPage, HistoryQuery, LoginRequest, LoginResponse, Pool,
    Supervision, UnixMillis, Uploaded, Welcome,
};

use crate::connection::{AgentConnection, ConnectOptions, Connection};
use crate::error::ClientError;
use crate::http::{Download, Http};

/// An agent's session on one server. Cheap to clone.
#[derive(Clone)]
pub struct AgentClient {
    http: Http,
    token: String,
    login: Option<(AgentProfile, UnixMillis)>,
}

// Hand-written so that the token never reaches a log.
impl fmt::Debug for AgentClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AgentClient")
            .field("server", &self.http.base())
            .field("agent", &self.login.as_ref().map(|(p, _)| &p.username))
            .finish_non_exhaustive()
    }
}

impl AgentClient {
    /// `POST /v1/login`: a new session for `username` on the server at
    /// `base_url` (e.g. `http://127.0.0.1:8080`). A wrong password and an
    /// unknown user both fail with `unauthorized`; too many failures with
    /// `rate_limited`.
    pub async fn login(
        base_url: &str,
        username: &str,
        password: &str,
    ) -> Result<Self, ClientError> {
        let http = Http::new(base_url)?;
        let request = LoginRequest {
            username: username.to_owned(),
            password: password.to_owned(),
        };
        let answer: LoginResponse = http.post_json(None, path::LOGIN, &request).await?;
        Ok(AgentClient {
            http,
            token: answer.token,
            login: Some((answer.agent, answer.expires_at)),
        })
    }

    /// A session whose token the caller kept from an earlier login.
    pub fn with_token(base_url: &str, token: impl Into<String>) -> Result<Self, ClientError> {
        Ok(AgentClient {
            http: Http::new(base_url)?,
            token: token.into(),
            login: None,
        })
    }

    /// The session token (for `hello` and `Authorization`).
    pub fn token(&self) -> &str {
        &self.token
    }

    /// Who logged in, as the login answered (`None` for [`Self::with_token`]).
    pub fn profile(&self) -> Option<&AgentProfile> {
        self.login.as_ref().map(|(profile, _)| profile)
    }

    /// When the token expires, as the login answered.
    pub fn expires_at(&self) -> Option<UnixMillis> {
        self.login.as_ref().map(|(_, at)| *at)
    }

    /// The server's base URL.
    pub fn base_url(&self) -> &str {
        self.http.base()
    }

    /// Opens the agent's socket, `/v1/ws`.
    pub async fn connect(
        &self,
        options: ConnectOptions,
    ) -> Result<(AgentConnection, Welcome), ClientError> {
        Connection::open(self.http.base(), &self.token, options).await
    }

    /// `POST /v1/logout`: ends the session (refused with `holding_chats`
    /// while the agent holds chats).
    pub async fn logout(&self) -> Result<(), ClientError> {
        self.http.post_empty(&self.token, path::LOGOUT).await
    }

    /// `GET /v1/pool`: the agent's lists.
    pub async fn pool(&self) -> Result<Pool, ClientError> {
        self.http.get(&self.token, path::POOL, &()).await
    }

    /// `GET /v1/directory`: where the agent may transfer a chat.
    pub async fn directory(&self) -> Result<Directory, ClientError> {
        self.http.get(&self.token, path::DIRECTORY, &()).await
    }

    /// `GET /v1/conversations/{id}`: a conversation's state for the chat panel.
    pub async fn conversation(
        &self,
        conversation: ConversationId,
    ) -> Result<ConversationDetails, ClientError> {
        let path = path::with_id(path::CONVERSATION, conversation);
        self.http.get(&self.token, &path, &()).await
    }

    /// `GET /v1/conversations/{id}/events`: a page of the conversation's log.
    pub async fn events(
        &self,
        conversation: ConversationId,
        query: EventsQuery,
    ) -> Result<EventPage<AgentEvent>, ClientError> {
        let path = path::with_id(path::CONVERSATION_EVENTS, conversation);
        self.http.get(&self.token, &path, &query).await
    }

    /// `GET /v1/history`: full-text search of past messages.
    pub async fn history(&self, query: &HistoryQuery) -> Result<HistoryPage, ClientError> {
        self.http.get(&self.token, path::HISTORY, query).await
    }

    /// `GET /v1/supervision`: the live view (needs `monitor`).
    pub async fn supervision(&self) -> Result<Supervision, ClientError> {
        self.http.get(&self.token, path::SUPERVISION, &()).await
    }

    /// `POST /v1/conversations/{id}/attachments`: uploads a file; send the
    /// returned id in a message's attachments. The server decides the type
    /// from the content; `content_type` is what the caller believes.
    pub async fn upload(
        &self,
        conversation: ConversationId,
        filename: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Result<Uploaded, ClientError> {
        let http = &self.http;
        http.upload(&self.token, conversation, filename, content_type, bytes)
            .await
    }

    /// `GET /v1/attachments/{id}`: a file of a conversation the agent may see.
    pub async fn download(&self, attachment: AttachmentId) -> Result<Download, ClientError> {
        self.http.download(&self.token, attachment).await
    }
}
