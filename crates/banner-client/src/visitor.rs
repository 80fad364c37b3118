//! [`VisitorClient`]: a visitor's session — what the widget does over HTTP
//! (`POST /v1/visitor/session`, the visitor's events pages, attachments) and
//! the visitor's socket.

use std::fmt;

use banner_proto::http::path;
use banner_proto::{
    AttachmentId, ConversationId, EventPage, EventsQuery, Uploaded, VisitorEvent,
    VisitorSessionRequest, VisitorSessionResponse, VisitorWelcome,
};

use crate::connection::{ConnectOptions, Connection, VisitorConnection};
use crate::error::ClientError;
use crate::http::{Download, Http};

/// A visitor's session on one server. Cheap to clone.
#[derive(Clone)]
pub struct VisitorClient {
    http: Http,
    token: String,
    visitor_id: Option<String>,
    conversation: Option<ConversationId>,
}

// Hand-written so that the token never reaches a log.
impl fmt::Debug for VisitorClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VisitorClient")
            .field("server", &self.http.base())
            .field("visitor_id", &self.visitor_id)
            .field("conversation", &self.conversation)
            .finish_non_exhaustive()
    }
}

impl VisitorClient {
    /// `POST /v1/visitor/session`: a session for an anonymous visitor or a
    /// signed customer of the site `request.site_key`.
    pub async fn session(
        base_url: &str,
        request: &VisitorSessionRequest,
    ) -> Result<Self, ClientError> {
        let http = Http::new(base_url)?;
        let answer: VisitorSessionResponse =
            http.post_json(None, path::VISITOR_SESSION, request).await?;
        Ok(VisitorClient {
            http,
            token: answer.token,
            visitor_id: Some(answer.visitor_id),
            conversation: answer.conversation,
        })
    }

    /// A session whose token the widget kept (e.g. across a reload).
    pub fn with_token(base_url: &str, token: impl Into<String>) -> Result<Self, ClientError> {
        Ok(VisitorClient {
            http: Http::new(base_url)?,
            token: token.into(),
            visitor_id: None,
            conversation: None,
        })
    }

    /// The session token.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The visitor's id, as the session answered.
    pub fn visitor_id(&self) -> Option<&str> {
        self.visitor_id.as_deref()
    }

    /// A customer's continuous conversation, as the session answered.
    pub fn conversation(&self) -> Option<ConversationId> {
        self.conversation
    }

    /// The server's base URL.
    pub fn base_url(&self) -> &str {
        self.http.base()
    }

    /// The same session on another base URL (the same server behind a
    /// proxy, say).
    pub fn at(&self, base_url: &str) -> Result<Self, ClientError> {
        Ok(VisitorClient {
            http: Http::new(base_url)?,
            ..self.clone()
        })
    }

    /// Opens the visitor's socket, `/v1/visitor/ws`.
    pub async fn connect(
        &self,
        options: ConnectOptions,
    ) -> Result<(VisitorConnection, VisitorWelcome), ClientError> {
        Connection::open(self.http.base(), &self.token, options).await
    }

    /// `GET /v1/visitor/conversations/{id}/events`: a page of one of the
    /// visitor's conversations, as the visitor sees it.
    pub async fn events(
        &self,
        conversation: ConversationId,
        query: EventsQuery,
    ) -> Result<EventPage<VisitorEvent>, ClientError> {
        let path = path::with_id(path::VISITOR_CONVERSATION_EVENTS, conversation);
        self.http.get(&self.token, &path, &query).await
    }

    /// `POST /v1/conversations/{id}/attachments` with the visitor's token.
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

    /// `GET /v1/attachments/{id}` with the visitor's token.
    pub async fn download(&self, attachment: AttachmentId) -> Result<Download, ClientError> {
        self.http.download(&self.token, attachment).await
    }
}
