//! The UI's static files, as `npm run build` in `ui/` writes them under
//! `ui_dir`, in two builds:
//!
//! - the visitor widget, `<ui_dir>/widget/`: the loader at `/widget.js`, the
//!   frame page at `/widget/frame.html`, and the frame's content-hashed
//!   scripts and styles beside it;
//! - the agents' web app (the Banner's UI in a browser), `<ui_dir>/banner/`:
//!   its page at `/app/` and Vite's content-hashed files at `/app/assets/`.
//!
//! Files are read at each request: they are few and small, and a rebuild shows
//! without a restart. When the build is missing the server still runs and these
//! paths answer `503` with the fix in the message.
//!
//! Every answer carries `X-Content-Type-Options: nosniff` and an `ETag` (a
//! digest of the bytes; `If-None-Match` gets `304`). The loader's URL never
//! changes, so it is cached for minutes; hashed files for a year; the frame page
//! is revalidated each time. The frame page has a strict CSP and, on purpose,
//! neither `X-Frame-Options` nor `frame-ancestors`: any host site embeds it.
//! The app's page has a strict CSP too, and may not be framed at all.

use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use banner_proto::ErrorCode;
use banner_store::Store;
use sha2::{Digest, Sha256};

use super::error::ApiError;
use crate::AppState;

/// The loader's path, what a host page's `<script src>` names.
pub const LOADER_PATH: &str = "/widget.js";

/// The frame page's policy. Scripts and styles come from files of this origin
/// only (no inline code), the socket and uploads go to this server only, image
/// previews are object URLs, and Trusted Types make any HTML-parsing sink
/// (`innerHTML`…) throw, so text can only ever be set as text.
pub const FRAME_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    img-src 'self' blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; \
    require-trusted-types-for 'script'; trusted-types 'none'";

/// The agents' web app's policy: its own scripts and styles only, the API and
/// sockets of this server only, image previews as object URLs, never framed.
pub const APP_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    img-src 'self' blob:; media-src 'self' blob:; connect-src 'self'; base-uri 'none'; \
    form-action 'none'; frame-ancestors 'none'";

/// Where the agents' web app is served.
pub const APP_PATH: &str = "/app/";

/// One of the UI's builds under `ui_dir`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Build {
    /// `widget/`: the loader and the frame.
    Widget,
    /// `banner/`: the agents' web app (`index.html`, `assets/`).
    App,
    /// `banner/assets/`: the app's hashed files.
    AppAssets,
}

impl Build {
    fn dir(self) -> &'static str {
        match self {
            Build::Widget => "widget",
            Build::App => "banner",
            Build::AppAssets => "banner/assets",
        }
    }

    fn not_found(self) -> ApiError {
        match self {
            Build::Widget => ApiError::new(ErrorCode::NotFound, "No such widget file."),
            Build::App | Build::AppAssets => {
                ApiError::new(ErrorCode::NotFound, "No such app file.")
            }
        }
    }
}

/// The routes of the UI's files.
pub fn routes<S: Store>() -> Router<Arc<AppState<S>>> {
    Router::new()
        .route(LOADER_PATH, get(loader::<S>))
        .route("/widget/{file}", get(widget_file::<S>))
        .route("/app", get(|| async { Redirect::permanent(APP_PATH) }))
        .route(APP_PATH, get(app_page::<S>))
        .route("/app/assets/{file}", get(app_file::<S>))
}

async fn loader<S: Store>(State(state): State<Arc<AppState<S>>>, request: HeaderMap) -> Response {
    serve(&state.settings.ui_dir, Build::Widget, "widget.js", &request).await
}

async fn widget_file<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    UrlPath(file): UrlPath<String>,
    request: HeaderMap,
) -> Response {
    serve(&state.settings.ui_dir, Build::Widget, &file, &request).await
}

async fn app_page<S: Store>(State(state): State<Arc<AppState<S>>>, request: HeaderMap) -> Response {
    serve(&state.settings.ui_dir, Build::App, "index.html", &request).await
}

async fn app_file<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    UrlPath(file): UrlPath<String>,
    request: HeaderMap,
) -> Response {
    serve(&state.settings.ui_dir, Build::AppAssets, &file, &request).await
}

async fn serve(ui_dir: &Path, build: Build, file: &str, request: &HeaderMap) -> Response {
    let Some(content_type) = content_type(file) else {
        return build.not_found().into_response();
    };
    let path = ui_dir.join(build.dir()).join(file);
    let read = {
        let path = path.clone();
        tokio::task::spawn_blocking(move || std::fs::read(path)).await
    };
    let bytes = match read.unwrap_or_else(|e| Err(std::io::Error::other(e))) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !is_entry_point(file) => {
            return build.not_found().into_response();
        }
        Err(e) => {
            tracing::warn!("UI file {}: {e}", path.display());
            return ApiError::new(
                ErrorCode::ServiceUnavailable,
                "The UI is not built on this server: run ./scripts/bootstrap.sh \
                 (or `npm ci && npm run build` in ui/), or point the ui_dir setting at a built UI.",
            )
            .into_response();
        }
    };
    let etag = etag(&bytes);
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control(build, file)),
    );
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    match (build, file) {
        (Build::Widget, "frame.html") => {
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(FRAME_CSP),
            );
            headers.insert(
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            );
        }
        // Host pages that require CORP (COEP) may still load the loader.
        (Build::Widget, _) => {
            headers.insert(
                "cross-origin-resource-policy",
                HeaderValue::from_static("cross-origin"),
            );
        }
        (Build::App, _) => {
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(APP_CSP),
            );
            headers.insert(
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            );
            headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        }
        (Build::AppAssets, _) => {
            headers.insert(
                "cross-origin-resource-policy",
                HeaderValue::from_static("same-origin"),
            );
        }
    }
    let revalidated = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| etag_matches(v, &etag));
    if revalidated {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    (StatusCode::OK, headers, bytes).into_response()
}

/// The files without which a build cannot start: missing, the build is.
fn is_entry_point(file: &str) -> bool {
    matches!(file, "widget.js" | "frame.html" | "index.html")
}

/// The media type of a file the widget may have, from its name; `None` for
/// any other name (other extensions, hidden files, anything like a path).
fn content_type(file: &str) -> Option<&'static str> {
    let safe = !file.is_empty()
        && file.len() <= 100
        && !file.starts_with('.')
        && file
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    if !safe {
        return None;
    }
    match file.rsplit_once('.')?.1 {
        "html" => Some("text/html; charset=utf-8"),
        "js" => Some("text/javascript; charset=utf-8"),
        "css" => Some("text/css; charset=utf-8"),
        "svg" => Some("image/svg+xml"),
        "png" => Some("image/png"),
        "woff2" => Some("font/woff2"),
        _ => None,
    }
}

fn cache_control(build: Build, file: &str) -> &'static str {
    if build == Build::AppAssets {
        // Vite names everything under assets/ by its content.
        "public, max-age=31536000, immutable"
    } else if file == "widget.js" {
        // One URL for every version: a new build reaches visitors within minutes.
        "public, max-age=300"
    } else if is_hashed(file) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

/// Whether the name carries a content hash, as the build writes them:
/// `frame-ABCD2345.js` (esbuild's 8-character base-32 `[hash]`).
fn is_hashed(file: &str) -> bool {
    let Some((stem, _ext)) = file.rsplit_once('.') else {
        return false;
    };
    let Some((_name, hash)) = stem.rsplit_once('-') else {
        return false;
    };
    hash.len() >= 8
        && hash
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

fn etag(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    format!("\"{}\"", hex::encode(&digest[..16]))
}

/// `If-None-Match` names this tag (weakly compared, lists and `*` allowed).
fn etag_matches(header: &str, etag: &str) -> bool {
    header.split(',').map(str::trim).any(|candidate| {
        candidate == "*" || candidate.strip_prefix("W/").unwrap_or(candidate) == etag
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_names_with_known_extensions_are_served() {
        assert_eq!(content_type("frame.html"), Some("text/html; charset=utf-8"));
        assert_eq!(
            content_type("frame-AB12CD34.js"),
            Some("text/javascript; charset=utf-8")
        );
        for bad in [
            "",
            ".env",
            "../banner.db",
            "..%2Fbanner.db",
            "a/b.js",
            "a\\b.js",
            "frame.map",
            "frame",
            "x.JS",
        ] {
            assert_eq!(content_type(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn hashed_files_are_cached_for_good_and_the_others_revalidated() {
        let widget = |file| cache_control(Build::Widget, file);
        assert_eq!(
            widget("frame-AB12CD34.js"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(widget("frame.html"), "no-cache");
        assert_eq!(widget("widget.js"), "public, max-age=300");
        assert_eq!(widget("my-frame.js"), "no-cache");
        assert_eq!(cache_control(Build::App, "index.html"), "no-cache");
        assert_eq!(
            cache_control(Build::AppAssets, "index-CMgOR_3G.js"),
            "public, max-age=31536000, immutable"
        );
    }

    #[test]
    fn if_none_match_accepts_lists_weak_tags_and_star() {
        let tag = etag(b"hello");
        assert!(etag_matches(&tag, &tag));
        assert!(etag_matches(&format!("\"x\", W/{tag}"), &tag));
        assert!(etag_matches("*", &tag));
        assert!(!etag_matches("\"other\"", &tag));
    }
}
