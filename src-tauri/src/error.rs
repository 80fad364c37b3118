//! What a command answers when it fails: `{code, message}`, the server's
//! stable code or one of the app's own (`network`, `closed`, `bad_url`,
//! `not_logged_in`, `app`), mirrored by `LocalErrorCode` in
//! `ui/src/banner/backend/types.ts`.

use banner_client::ClientError;
use serde::Serialize;

/// A refusal, as the UI's `BackendError` reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{code}: {message}")]
pub struct AppError {
    /// The stable machine word.
    pub code: String,
    /// The sentence for a person.
    pub message: String,
}

impl AppError {
    /// An error with one of the app's own codes.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        AppError {
            code: code.to_owned(),
            message: message.into(),
        }
    }

    /// Nobody is logged in.
    pub fn not_logged_in() -> Self {
        AppError::new("not_logged_in", "Log in first.")
    }

    /// The app's own failure (a window, a file, the local server).
    pub fn app(message: impl std::fmt::Display) -> Self {
        AppError::new("app", message.to_string())
    }
}

impl From<ClientError> for AppError {
    fn from(e: ClientError) -> Self {
        let code = match &e {
            ClientError::Server { code, message, .. } => {
                return AppError::new(code.as_str(), message.clone());
            }
            ClientError::Http(_) | ClientError::WebSocket(_) | ClientError::Handshake(_) => {
                "network"
            }
            ClientError::Url { .. } => "bad_url",
            ClientError::Closed { .. } => "closed",
            ClientError::Limit(_) => "bad_request",
            ClientError::Status { .. }
            | ClientError::Decode(_)
            | ClientError::NoId
            | ClientError::IdInUse(_) => "app",
        };
        AppError::new(code, e.to_string())
    }
}

/// What every command returns.
pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use banner_proto::ErrorCode;

    use super::*;

    #[test]
    fn a_server_refusal_keeps_its_code_and_sentence() {
        let e = AppError::from(ClientError::Server {
            code: ErrorCode::NotOffered,
            message: "This chat is not offered to you.".into(),
            status: None,
            retry_after: None,
        });
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "not_offered", "message": "This chat is not offered to you."})
        );
    }

    #[test]
    fn local_failures_get_the_codes_the_ui_knows() {
        let closed = AppError::from(ClientError::Closed {
            close_code: Some(4401),
        });
        assert_eq!(closed.code, "closed");
        let url = AppError::from(ClientError::Url {
            url: "nope".into(),
            reason: "no scheme".into(),
        });
        assert_eq!(url.code, "bad_url");
    }
}
