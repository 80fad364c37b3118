//! The UI's files as the server serves them from `ui_dir` — the widget's and
//! the agents' web app's: content types, caching, security headers,
//! revalidation, names that are refused, and a clear `503` when the UI is not
//! built.

#![allow(clippy::unwrap_used)]

mod common;

use banner_proto::{ErrorBody, ErrorCode};
use common::Server;

/// A server whose `ui_dir` holds a small fake build.
async fn server_with_build(dir: &tempfile::TempDir) -> Server {
    let ui = dir.path().join("ui");
    let widget = ui.join("widget");
    std::fs::create_dir_all(&widget).unwrap();
    std::fs::write(widget.join("widget.js"), "/* loader */").unwrap();
    std::fs::write(
        widget.join("frame.html"),
        "<!doctype html><title>frame</title>",
    )
    .unwrap();
    std::fs::write(widget.join("frame-ABCD2345.js"), "/* frame */").unwrap();
    let app = ui.join("banner");
    std::fs::create_dir_all(app.join("assets")).unwrap();
    std::fs::write(app.join("index.html"), "<!doctype html><title>app</title>").unwrap();
    std::fs::write(app.join("assets").join("index-CMgOR_3G.js"), "/* app */").unwrap();
    std::fs::write(dir.path().join("secret.txt"), "not for you").unwrap();
    let mut settings = common::settings(dir.path().join("data"));
    settings.ui_dir = ui;
    Server::start_with(settings).await
}

async fn get(server: &Server, path: &str) -> reqwest::Response {
    reqwest::get(server.url(path)).await.unwrap()
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn the_loader_is_javascript_cached_briefly_and_revalidated_by_etag() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_with_build(&dir).await;
    let response = get(&server, "/widget.js").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(header(&response, "x-content-type-options"), Some("nosniff"));
    assert_eq!(
        header(&response, "cache-control"),
        Some("public, max-age=300")
    );
    let etag = header(&response, "etag").unwrap().to_owned();
    assert_eq!(response.text().await.unwrap(), "/* loader */");

    let again = reqwest::Client::new()
        .get(server.url("/widget.js"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(again.bytes().await.unwrap().len(), 0);
    server.stop().await;
}

#[tokio::test]
async fn the_frame_page_has_a_strict_csp_and_may_be_framed_by_any_site() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_with_build(&dir).await;
    let response = get(&server, "/widget/frame.html").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "content-type"),
        Some("text/html; charset=utf-8")
    );
    let csp = header(&response, "content-security-policy").unwrap();
    for directive in [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "require-trusted-types-for 'script'",
    ] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    assert!(!csp.contains("unsafe-inline") && !csp.contains("frame-ancestors"));
    assert_eq!(header(&response, "x-frame-options"), None);
    assert_eq!(header(&response, "x-content-type-options"), Some("nosniff"));
    assert_eq!(header(&response, "cache-control"), Some("no-cache"));

    let script = get(&server, "/widget/frame-ABCD2345.js").await;
    assert_eq!(script.status(), 200);
    assert_eq!(
        header(&script, "cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    server.stop().await;
}

#[tokio::test]
async fn only_the_widget_files_are_served() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_with_build(&dir).await;
    for path in [
        "/widget/..%2Fsecret.txt",
        "/widget/..%2F..%2Fsecret.txt",
        "/widget/.hidden.js",
        "/widget/frame-ZZZZ9999.js",
        "/widget/secret.txt",
        "/widget/frame.html.bak",
    ] {
        let response = get(&server, path).await;
        assert_eq!(response.status(), 404, "{path}");
        let body: ErrorBody = response.json().await.unwrap();
        assert_eq!(body.code, ErrorCode::NotFound, "{path}");
    }
    server.stop().await;
}

#[tokio::test]
async fn without_a_build_the_server_runs_and_says_how_to_build() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = common::settings(dir.path().join("data"));
    settings.ui_dir = dir.path().join("no-ui-here");
    let server = Server::start_with(settings).await;
    assert_eq!(get(&server, "/healthz").await.status(), 200);
    for path in ["/widget.js", "/widget/frame.html", "/app/"] {
        let response = get(&server, path).await;
        assert_eq!(response.status(), 503, "{path}");
        let body: ErrorBody = response.json().await.unwrap();
        assert_eq!(body.code, ErrorCode::ServiceUnavailable);
        assert!(body.message.contains("bootstrap.sh"), "{}", body.message);
    }
    server.stop().await;
}

#[tokio::test]
async fn the_agents_web_app_has_a_strict_csp_may_not_be_framed_and_caches_its_assets() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_with_build(&dir).await;
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let bare = no_redirects.get(server.url("/app")).send().await.unwrap();
    assert_eq!(bare.status(), 308);
    assert_eq!(header(&bare, "location"), Some("/app/"));

    let page = get(&server, "/app/").await;
    assert_eq!(page.status(), 200);
    assert_eq!(
        header(&page, "content-type"),
        Some("text/html; charset=utf-8")
    );
    let csp = header(&page, "content-security-policy").unwrap();
    for directive in [
        "script-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(directive), "{csp}");
    }
    assert!(!csp.contains("unsafe"), "{csp}");
    assert_eq!(header(&page, "x-frame-options"), Some("DENY"));
    assert_eq!(header(&page, "cache-control"), Some("no-cache"));
    assert_eq!(
        page.text().await.unwrap(),
        "<!doctype html><title>app</title>"
    );

    let script = get(&server, "/app/assets/index-CMgOR_3G.js").await;
    assert_eq!(script.status(), 200);
    assert_eq!(
        header(&script, "content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(
        header(&script, "cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(header(&script, "x-content-type-options"), Some("nosniff"));

    for path in [
        "/app/assets/..%2F..%2F..%2Fsecret.txt",
        "/app/assets/missing-ABCDEFGH.js",
        "/app/assets/.env",
        "/app/index.html.bak",
    ] {
        let response = get(&server, path).await;
        assert_eq!(response.status(), 404, "{path}");
    }
    server.stop().await;
}
