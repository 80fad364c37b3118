//! HTTP error answers: an [`ErrorBody`] with the status its code maps to, and a
//! JSON body extractor whose failures are such answers too.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use banner_proto::{ErrorBody, ErrorCode, limits::MAX_FRAME_BYTES};
use serde::de::DeserializeOwned;

use crate::hub::Refusal;

/// A refusal as an HTTP answer.
#[derive(Debug)]
pub struct ApiError(pub Refusal);

impl ApiError {
    /// A refusal with this code and message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError(Refusal::new(code, message))
    }
}

impl From<Refusal> for ApiError {
    fn from(r: Refusal) -> Self {
        ApiError(r)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.code.http_status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = ErrorBody {
            code: self.0.code,
            message: self.0.message,
        };
        (status, Json(body)).into_response()
    }
}

/// A JSON body of at most `MAX_FRAME_BYTES`, refused as `too_large` or
/// `bad_request` in the protocol's error shape.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, St: Send + Sync> FromRequest<St> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &St) -> Result<Self, Self::Rejection> {
        let too_large = || {
            ApiError::new(
                ErrorCode::TooLarge,
                format!("A request body has at most {MAX_FRAME_BYTES} bytes."),
            )
        };
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large()
            } else {
                ApiError::new(ErrorCode::BadRequest, e.body_text())
            }
        })?;
        decode_body(&bytes).map(JsonBody)
    }
}

/// A JSON body's bytes read as `T`: `too_large` above `MAX_FRAME_BYTES`,
/// `bad_request` naming the problem when it does not parse. Pure, so that the
/// fuzzer (`crates/banner-fuzz`) calls exactly what the extractor does.
pub fn decode_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.len() > MAX_FRAME_BYTES {
        return Err(ApiError::new(
            ErrorCode::TooLarge,
            format!("A request body has at most {MAX_FRAME_BYTES} bytes."),
        ));
    }
    serde_json::from_slice(bytes)
        .map_err(|e| ApiError::new(ErrorCode::BadRequest, format!("Invalid JSON body: {e}")))
}

/// A query string extractor whose failures are [`ApiError`]s (`bad_request`
/// naming the problem), like [`JsonBody`]'s.
pub struct QueryParams<T>(pub T);

impl<T: DeserializeOwned, St: Send + Sync> FromRequestParts<St> for QueryParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &St) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        serde_urlencoded::from_str(query)
            .map(QueryParams)
            .map_err(|e| ApiError::new(ErrorCode::BadRequest, format!("Invalid query: {e}")))
    }
}
