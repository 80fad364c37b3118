//! `/demo`: with `--demo`, a page that embeds the widget the way
//! `docs/widget.md` tells a website owner to, so that the demo can be tried
//! in a browser at once (the Banner on one side, this page on the other).
//! Without `--demo` the path does not exist.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use banner_proto::ErrorCode;
use banner_store::Store;

use super::error::ApiError;
use crate::AppState;

/// Where the page is served.
pub const PATH: &str = "/demo";

/// The page for `site`, whose key is one of ours (no user input reaches it).
fn page(site: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acme — Banner demo</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; color: #222; }}
code {{ background: #f3f3f3; padding: 0 .25rem; }}
</style>
</head>
<body>
<h1>Acme</h1>
<p>This is a website that embeds the Banner widget with one tag:</p>
<p><code>&lt;script src="/widget.js" data-site="{site}" async&gt;&lt;/script&gt;</code></p>
<p>Open the chat at the bottom right, pick "An invoice" or "A new order", and
answer from the Banner logged in as one of the demo agents.</p>
<script src="/widget.js" data-site="{site}" async></script>
</body>
</html>
"#
    )
}

/// `GET /demo`.
pub(super) async fn demo<S: Store>(State(state): State<Arc<AppState<S>>>) -> Response {
    let Some(site) = state.settings.demo_page.as_deref() else {
        return ApiError::new(ErrorCode::NotFound, "There is no demo page on this server.")
            .into_response();
    };
    let mut response = (StatusCode::OK, page(site)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; frame-src 'self'; style-src 'unsafe-inline'; base-uri 'none'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_embeds_the_loader_for_its_site() {
        let html = page("pk_demo");
        assert!(html.contains(r#"<script src="/widget.js" data-site="pk_demo" async></script>"#));
    }
}
