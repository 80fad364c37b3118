//! The real Banner end to end: under Xvfb, tauri-driver and WebKitWebDriver
//! drive the app's windows against a real banner-server on 127.0.0.1, with a
//! visitor played by banner-client. Ada logs in, goes available, gets the
//! visitor's chat in the incoming popup window, accepts it there, exchanges
//! messages, archives and completes wrap-up. Screenshots of the main window,
//! the popup and the whole display are kept in `target/e2e-artifacts/`.

mod support;

use std::path::PathBuf;
use std::time::Duration;

use banner_client::{ConnectOptions, VisitorClient, VisitorConnection};
use banner_proto::VisitorSessionRequest;
use support::webdriver::Session;
use support::{Fail, processes, server::SITE, server::Server};

/// Long enough for a cold WebKit start on a loaded 2-core machine.
const SLOW: Duration = Duration::from_secs(60);
const STEP: Duration = Duration::from_secs(20);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_answers_a_visitor_from_the_popup_to_wrap_up() -> Result<(), Fail> {
    let artifacts = artifacts()?;
    let server = Server::start().await?;
    let home = tempfile::tempdir()?;
    let (_xvfb, display) = processes::xvfb()?;
    let (_driver, driver) = processes::tauri_driver(&display, home.path())?;
    let app = Session::start(&driver, std::path::Path::new(env!("CARGO_BIN_EXE_banner"))).await?;
    let result = scenario(&app, &server, &display, &artifacts).await;
    if result.is_err() {
        let _ = processes::screenshot_display(&display, &artifacts.join("failure.png"));
    }
    let _ = app.end().await;
    result
}

async fn scenario(
    app: &Session,
    server: &Server,
    display: &str,
    artifacts: &std::path::Path,
) -> Result<(), Fail> {
    // Log in, as a person would.
    let main = app.window().await?;
    app.wait(r#"form[aria-label="Log in"]"#, SLOW).await?;
    app.screenshot(&artifacts.join("login.png")).await?;
    for (name, value) in [
        ("server", server.url.as_str()),
        ("username", "ada"),
        ("password", server.password("ada")),
    ] {
        let field = app.wait(&format!(r#"input[name="{name}"]"#), STEP).await?;
        app.fill(&field, value).await?;
    }
    let submit = app
        .wait(r#"form[aria-label="Log in"] button[type="submit"]"#, STEP)
        .await?;
    app.click(&submit).await?;
    let available = app
        .wait(
            r#"select[aria-label="Presence"] option[value="available"]"#,
            STEP,
        )
        .await?;
    app.click(&available).await?;
    app.wait(r#"select.presence-available"#, STEP).await?;
    app.wait_text(r#".top-bar [role="status"]"#, "Connected", STEP)
        .await?;

    // A visitor writes; the chat rings Ada in the popup window.
    let (visitor, mut socket) = visitor(&server.url).await?;
    let ack = socket
        .send_message(None, "Hello from the desk test")
        .await?;
    let conversation = ack
        .conversation
        .ok_or("the first message names no conversation")?;
    let popup = wait_for_other_window(app, &main).await?;
    app.switch_to(&popup).await?;
    let accept = app
        .wait(r#"[role="alertdialog"] button.accept"#, STEP)
        .await?;
    app.screenshot(&artifacts.join("popup.png")).await?;
    processes::screenshot_display(display, &artifacts.join("display-offer.png"))?;
    app.click(&accept).await?;

    // The chat, in the main window.
    app.switch_to(&main).await?;
    let open = app.wait("button.open", STEP).await?;
    app.click(&open).await?;
    let messages = r#"ol[aria-label="Messages"]"#;
    app.wait_text(messages, "Hello from the desk test", STEP)
        .await?;
    let composer = app.wait(r#"textarea[aria-label="Message"]"#, STEP).await?;
    app.fill(&composer, "Hi, this is Ada.").await?;
    let send = button(app, ".composer-actions button", "Send").await?;
    app.click(&send).await?;
    wait_for_visitor_text(&mut socket, "Hi, this is Ada.").await?;
    socket
        .send_message(Some(conversation), "Thanks, Ada!")
        .await?;
    app.wait_text(messages, "Thanks, Ada!", STEP).await?;
    app.screenshot(&artifacts.join("main.png")).await?;

    // Archive, then wrap-up.
    let archive = button(app, ".chat-actions button", "Archive").await?;
    app.click(&archive).await?;
    let outcome = app.wait(".chat-actions form input", STEP).await?;
    app.fill(&outcome, "Answered").await?;
    let complete = app
        .wait(r#".chat-actions form button[type="submit"]"#, STEP)
        .await?;
    app.click(&complete).await?;
    let deadline = tokio::time::Instant::now() + STEP;
    while !app.find_all(".chat-actions form").await?.is_empty() {
        if tokio::time::Instant::now() > deadline {
            return Err("wrap-up did not complete".into());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    app.wait_text(r#"[role="tab"]"#, "History 1", STEP).await?;
    app.screenshot(&artifacts.join("after-wrap-up.png")).await?;
    drop(visitor);
    Ok(())
}

/// `target/e2e-artifacts/`, beside the app's binary's profile directory.
fn artifacts() -> Result<PathBuf, Fail> {
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_banner"));
    let target = binary
        .parent()
        .and_then(|profile| profile.parent())
        .ok_or("no target directory")?;
    let dir = target.join("e2e-artifacts");
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

async fn visitor(url: &str) -> Result<(VisitorClient, VisitorConnection), Fail> {
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
async fn wait_for_other_window(app: &Session, main: &str) -> Result<String, Fail> {
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

/// The button matching `css` whose text is `label`.
async fn button(app: &Session, css: &str, label: &str) -> Result<String, Fail> {
    app.wait(css, STEP).await?;
    for element in app.find_all(css).await? {
        if app.text(&element).await?.trim() == label {
            return Ok(element);
        }
    }
    Err(format!("no {css:?} button labelled {label:?}").into())
}

/// Reads the visitor's frames until one carries `text`.
async fn wait_for_visitor_text(socket: &mut VisitorConnection, text: &str) -> Result<(), Fail> {
    let deadline = tokio::time::Instant::now() + STEP;
    loop {
        let frame = tokio::time::timeout_at(deadline, socket.next())
            .await
            .map_err(|_| format!("the visitor never saw {text:?}"))?
            .ok_or("the visitor's socket closed")?;
        if serde_json::to_string(&frame)?.contains(text) {
            return Ok(());
        }
    }
}
