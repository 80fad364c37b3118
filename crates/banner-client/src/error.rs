//! What can go wrong talking to a server. A refusal the server explained
//! carries its stable `code` and its sentence for people ([`ClientError::Server`]);
//! everything else says which layer failed.

use std::time::Duration;

use banner_proto::{ClientId, ErrorBody, ErrorCode, ErrorFrame, LimitError};

/// Why a call or a command failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server refused, with `{code, message}` (an HTTP error body or an
    /// `error` frame). `status` is the HTTP status, `None` on a socket.
    #[error("{code}: {message}")]
    Server {
        /// The stable machine word.
        code: ErrorCode,
        /// The sentence for a person.
        message: String,
        /// The HTTP status, for HTTP answers.
        status: Option<u16>,
        /// How long to wait before trying again, when the answer said so
        /// (`Retry-After` on an HTTP 429). On a socket the wait is only in
        /// `message`.
        retry_after: Option<Duration>,
    },
    /// An HTTP error answer without an error body (e.g. a route this server
    /// does not serve).
    #[error("HTTP {status}: {body}")]
    Status {
        /// The HTTP status.
        status: u16,
        /// The body as text (may be empty).
        body: String,
    },
    /// The request did not get an answer (connection refused, reset…).
    #[error("HTTP transport: {0}")]
    Http(#[from] reqwest::Error),
    /// The WebSocket failed to open or broke.
    #[error("WebSocket: {0}")]
    WebSocket(Box<tokio_tungstenite::tungstenite::Error>),
    /// The server sent something that is not the protocol's JSON.
    #[error("unreadable answer: {0}")]
    Decode(#[from] serde_json::Error),
    /// The base URL cannot be used.
    #[error("bad server URL {url:?}: {reason}")]
    Url {
        /// What was given.
        url: String,
        /// Why it does not work.
        reason: String,
    },
    /// Input breaks a protocol limit (checked before anything is sent).
    #[error(transparent)]
    Limit(#[from] LimitError),
    /// The socket opened but the server did not answer `hello` with `welcome`.
    #[error("the server did not welcome us: {0}")]
    Handshake(String),
    /// The connection is closed for good (closed by us, or the server closed
    /// it with a code after which the protocol says not to reconnect).
    #[error("the connection is closed{}", close_code.map(|c| format!(" (code {c})")).unwrap_or_default())]
    Closed {
        /// The WebSocket close code, when the server sent one.
        close_code: Option<u16>,
    },
    /// A command without an id (`hello`, `typing`) was given where an answer is
    /// expected.
    #[error("this command has no id, so it gets no answer")]
    NoId,
    /// A command id already waits for an answer to a different command.
    #[error("command id {0} already waits for an answer to a different command")]
    IdInUse(String),
}

impl ClientError {
    /// The server's error code, when the server refused.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ClientError::Server { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// Whether the same request may succeed later unchanged: the server said
    /// so (`rate_limited`, `internal`, `service_unavailable`), or it never
    /// answered.
    pub fn is_retryable(&self) -> bool {
        match self {
            ClientError::Server { code, .. } => code.is_retryable(),
            ClientError::Http(_) | ClientError::WebSocket(_) => true,
            _ => false,
        }
    }

    /// How long the server asked to wait before trying again (`Retry-After`).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ClientError::Server { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    pub(crate) fn from_body(body: ErrorBody, status: u16, retry_after: Option<Duration>) -> Self {
        ClientError::Server {
            code: body.code,
            message: body.message,
            status: Some(status),
            retry_after,
        }
    }

    pub(crate) fn from_frame(frame: &ErrorFrame) -> Self {
        ClientError::Server {
            code: frame.code,
            message: frame.message.clone(),
            status: None,
            retry_after: None,
        }
    }

    pub(crate) fn id_in_use(id: &ClientId) -> Self {
        ClientError::IdInUse(id.as_str().to_owned())
    }
}

impl From<tokio_tungstenite::tungstenite::Error> for ClientError {
    fn from(e: tokio_tungstenite::tungstenite::Error) -> Self {
        ClientError::WebSocket(Box::new(e))
    }
}
