//! Small steps the desktop scenario repeats: where artifacts go, a visitor
//! played by banner-client, the popup window's handle, a button by its label,
//! and waiting for a frame on a banner-client socket.

use std::path::PathBuf;
use std::time::Duration;

use banner_client::{ConnectOptions, Connection, Side, VisitorClient, VisitorConnection};
use banner_proto::VisitorSessionRequest;

use super::Fail;
use super::server::{SITE, Server};
use super::webdriver::Session;

/// How long one step of the scenario may take on a loaded 2-core machine.
pub const STEP: Duration = Duration::from_secs(20);

/// `target/e2e-artifacts/`, beside the app's binary's profile directory.
pub fn artifacts(binary: &str) -> Result<PathBuf, Fail> {
    let binary = PathBuf::from(binary);
    let target = binary
        .parent()
        .and_then(|profile| profile.parent())
        .ok_or("no target directory")?;
    let dir = target.join("e2e-artifacts");
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Fills the login form (server, `username` and its password) and returns
/// its submit button, for the caller to press (and time).
pub async fn fill_login(app: &Session, server: &Server, username: &str) -> Result<String, Fail> {
    for (name, value) in [
        ("server", server.url.as_str()),
        ("username", username),
        ("password", server.password(username)),
    ] {
        let field = app.wait(&format!(r#"input[name="{name}"]"#), STEP).await?;
        app.fill(&field, value).await?;
    }
    app.wait(r#"form[aria-label="Log in"] button[type="submit"]"#, STEP)
        .await
}

/// A new anonymous visitor on the scenario's site, with its socket open.
pub async fn visitor(url: &str) -> Result<(VisitorClient, VisitorConnection), Fail> {
    let request = VisitorSessionRequest {
        site_key: SITE.into(),
        customer: None,
        direct_agent: None,
        locale: None,
    };
    let visitor = VisitorClient::session(url, &request).await?;
    let (socket, _welcome) = visitor.connect(ConnectOptions::default()).await?;
    Ok((visitor, socket))
}

/// The popup's handle, once the app has a second window.
pub async fn wait_for_other_window(app: &Session, main: &str) -> Result<String, Fail> {
    let deadline = tokio::time::Instant::now() + STEP;
    loop {
        if let Some(other) = app.windows().await?.into_iter().find(|h| h != main) {
            return Ok(other);
        }
        if tokio::time::Instant::now() > deadline {
            return Err("the incoming popup window did not open".into());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The button matching `css` whose text is `label`, waiting for it.
pub async fn button(app: &Session, css: &str, label: &str) -> Result<String, Fail> {
    let deadline = tokio::time::Instant::now() + STEP;
    loop {
        for element in app.find_all(css).await? {
            if app.text(&element).await.is_ok_and(|t| t.trim() == label) {
                return Ok(element);
            }
        }
        if tokio::time::Instant::now() > deadline {
            return Err(format!("no {css:?} button labelled {label:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Waits until no element matches `css`.
pub async fn wait_gone(app: &Session, css: &str, what: &str) -> Result<(), Fail> {
    let deadline = tokio::time::Instant::now() + STEP;
    while !app.find_all(css).await?.is_empty() {
        if tokio::time::Instant::now() > deadline {
            return Err(format!("{what} within {} s", STEP.as_secs()).into());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Ok(())
}

/// Reads frames from a banner-client socket until one, as JSON, satisfies
/// `wanted`; returns it.
pub async fn wait_for_frame<S: Side>(
    socket: &mut Connection<S>,
    what: &str,
    wanted: impl Fn(&serde_json::Value) -> bool,
) -> Result<serde_json::Value, Fail>
where
    S::Frame: serde::Serialize,
{
    let deadline = tokio::time::Instant::now() + STEP;
    loop {
        let frame = tokio::time::timeout_at(deadline, socket.next())
            .await
            .map_err(|_| format!("never saw {what}"))?
            .ok_or("the socket closed")?;
        let frame = serde_json::to_value(&frame)?;
        if wanted(&frame) {
            return Ok(frame);
        }
    }
}
