//! `POST /v1/conversations/{id}/attachments` and `GET /v1/attachments/{id}`.
//!
//! An upload is refused before any of its body is read when its
//! `Content-Length` passes the cap, when the caller is not who may upload to
//! the conversation, or when its name is unusable; then the body streams to a
//! temporary file, counted as it comes (a body without a length cannot pass
//! the cap either), and only the bytes decide its type. A download goes only
//! to a party of the conversation (see [`crate::attachments`]), with headers
//! that make browsers save it rather than render it.

use std::sync::Arc;

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use banner_core::ConversationId;
use banner_proto::http::header::FILENAME;
use banner_proto::{ErrorCode, Uploaded};
use banner_store::{AttachmentId, NewAttachment, Store, StoreError};
use futures_util::StreamExt;

use super::caller::{caller, path_id};
use super::error::ApiError;
use crate::AppState;
use crate::attachments::files::{Files, Upload};
use crate::attachments::sniff::{Sample, sniff};
use crate::attachments::{self, filename, store_conversation};
use crate::clock;
use crate::hub::Request;
use crate::wire::codes;

fn too_large(cap: u64) -> ApiError {
    ApiError::new(
        ErrorCode::TooLarge,
        format!("An upload has at most {cap} bytes."),
    )
}

fn internal(what: &str, e: &std::io::Error) -> ApiError {
    tracing::error!(error = %e, "{what}");
    ApiError::new(
        ErrorCode::Internal,
        "The server could not store the file; try again.",
    )
}

fn store_error(e: &StoreError) -> ApiError {
    ApiError::new(codes::store_code(e), e.to_string())
}

/// The body's declared length, if any.
fn declared_length(headers: &HeaderMap) -> Result<Option<u64>, ApiError> {
    headers
        .get(header::CONTENT_LENGTH)
        .map(|v| {
            v.to_str().ok().and_then(|v| v.parse().ok()).ok_or_else(|| {
                ApiError::new(ErrorCode::BadRequest, "Content-Length is not a number.")
            })
        })
        .transpose()
}

/// The uploader's file name, if they gave a usable one.
fn uploaded_name(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get(FILENAME) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| {
        ApiError::new(
            ErrorCode::BadRequest,
            "X-Filename must be percent-encoded UTF-8.",
        )
    })?;
    filename::from_header(value).map_err(|e| ApiError::new(ErrorCode::BadRequest, e.to_string()))
}

pub(super) async fn upload<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    Path(raw): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let conversation = ConversationId(path_id(&raw, "a conversation")?);
    let cap = state.settings.attachments.cap();
    if declared_length(&headers)?.is_some_and(|len| len > cap) {
        return Err(too_large(cap));
    }
    let who = caller(&state, &headers).await?;
    let name = uploaded_name(&headers)?;
    let asker = who.clone();
    state
        .hub
        .ask(|reply| Request::MayUpload {
            who: asker,
            conversation,
            reply,
        })
        .await??;

    let files = Files::new(&state.settings.data_dir);
    let (upload, sample, size) = receive(&files, body, cap).await?;
    let media_type = sniff(&sample.bytes()).ok_or_else(|| {
        ApiError::new(
            ErrorCode::UnsupportedMediaType,
            "This kind of file cannot be sent: images, video, audio, PDF and office documents can.",
        )
    })?;
    let stored_name = upload
        .keep()
        .await
        .map_err(|e| internal("cannot keep an upload", &e))?;
    let new = NewAttachment {
        conversation_id: store_conversation(conversation),
        stored_name: stored_name.clone(),
        original_name: name.unwrap_or_else(|| format!("attachment.{}", media_type.extension())),
        media_type: media_type.mime().to_owned(),
        size,
        uploaded_by: who.label(),
        created_at: clock::now_store(),
    };
    match state.store.create_attachment(new).await {
        Ok(record) => {
            let uploaded = Uploaded {
                attachment: attachments::to_proto(&record),
            };
            Ok((StatusCode::CREATED, Json(uploaded)).into_response())
        }
        Err(e) => {
            files.remove(&stored_name).await;
            Err(store_error(&e))
        }
    }
}

/// Streams the body into a new upload, counting it against `cap`.
async fn receive(files: &Files, body: Body, cap: u64) -> Result<(Upload, Sample, u64), ApiError> {
    let mut upload = files
        .create()
        .await
        .map_err(|e| internal("cannot start an upload", &e))?;
    let (mut sample, mut size) = (Sample::default(), 0u64);
    let mut chunks = body.into_data_stream();
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(|e| {
            ApiError::new(
                ErrorCode::BadRequest,
                format!("The upload was interrupted: {e}"),
            )
        })?;
        size = size.saturating_add(chunk.len() as u64);
        if size > cap {
            return Err(too_large(cap));
        }
        sample.push(&chunk);
        upload
            .write(&chunk)
            .await
            .map_err(|e| internal("cannot write an upload", &e))?;
    }
    Ok((upload, sample, size))
}

pub(super) async fn download<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    Path(raw): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let id = path_id(&raw, "an attachment")?;
    let who = caller(&state, &headers).await?;
    let hidden = || {
        ApiError::new(
            ErrorCode::NotFound,
            format!("No attachment {id} is visible to you."),
        )
    };
    let record = match state
        .store
        .attachment(AttachmentId(i64::try_from(id).unwrap_or(i64::MAX)))
        .await
    {
        Ok(record) => record,
        Err(StoreError::NotFound { .. }) => return Err(hidden()),
        Err(e) => return Err(store_error(&e)),
    };
    if !attachments::may_download(&state, &who, &record).await {
        return Err(hidden());
    }
    let stream = Files::new(&state.settings.data_dir)
        .read(&record.stored_name)
        .await
        .map_err(|e| internal("an attachment's file cannot be read", &e))?;
    let disposition = filename::content_disposition(&record.original_name);
    let value = |v: &str| HeaderValue::from_str(v).unwrap_or(HeaderValue::from_static(""));
    let headers = [
        (header::CONTENT_TYPE, value(&record.media_type)),
        (header::CONTENT_LENGTH, HeaderValue::from(record.size)),
        (header::CONTENT_DISPOSITION, value(&disposition)),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        // Should a browser open it anyway, it runs nothing and loads nothing.
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; sandbox"),
        ),
        // Shared workstations: the file stays out of caches.
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        ),
    ];
    Ok((headers, Body::from_stream(stream)).into_response())
}
