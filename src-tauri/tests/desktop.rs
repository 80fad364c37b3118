//! The real Banner end to end: under Xvfb, tauri-driver and WebKitWebDriver
//! drive the app's windows against a real banner-server on 127.0.0.1, with
//! visitors and a second agent played by banner-client.
//!
//! Ada logs in, goes available, gets a visitor's chat in the incoming popup
//! window, accepts it there, exchanges messages, archives and completes
//! wrap-up. Then, away, she picks a waiting chat from the pool, transfers it
//! (attended) to Cy, who accepts; Cy transfers it back (blind) and it rings
//! in Ada's popup, transfer shown, and she accepts it. Screenshots of the
//! main window, the popup and the whole display are kept in
//! `target/e2e-artifacts/`.

// Shared with the notification test and the desktop benchmark, which use
// parts of it this test does not.
#[allow(dead_code)]
mod support;

use std::path::Path;
use std::time::Duration;

use banner_client::{AgentClient, ConnectOptions};
use banner_proto::{ConversationId, Presence, TransferMode, TransferTarget, TransferTargetKind};
use support::steps::{
    STEP, artifacts, button, fill_login, visitor, wait_for_frame, wait_for_other_window, wait_gone,
};
use support::webdriver::Session;
use support::{Fail, app_tree, processes, server::Server};

/// Long enough for a cold WebKit start on a loaded 2-core machine.
const SLOW: Duration = Duration::from_secs(60);
const MESSAGES: &str = r#"ol[aria-label="Messages"]"#;
const TABS: &str = r#"[role="tab"]"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_works_chats_from_popup_pool_and_transfers_to_wrap_up() -> Result<(), Fail> {
    let artifacts = artifacts(env!("CARGO_BIN_EXE_banner"))?;
    let server = Server::start().await?;
    let home = tempfile::tempdir()?;
    let (_xvfb, display) = processes::xvfb()?;
    // The test keeps screenshots of each step.
    let (_driver, driver) =
        processes::tauri_driver_with(&display, home.path(), &[processes::SCREENSHOTS])?;
    let app = Session::start(&driver, Path::new(env!("CARGO_BIN_EXE_banner"))).await?;
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
    artifacts: &Path,
) -> Result<(), Fail> {
    let main = app.window().await?;
    log_in(app, server, artifacts).await?;
    set_presence(app, "available").await?;
    app.wait_text(r#".top-bar [role="status"]"#, "Connected", STEP)
        .await?;
    answer_from_popup(app, server, &main, display, artifacts).await?;
    pick_and_transfer(app, server, &main, artifacts).await
}

/// Logs in as a person would: the three fields, then submit.
async fn log_in(app: &Session, server: &Server, artifacts: &Path) -> Result<(), Fail> {
    app.wait(r#"form[aria-label="Log in"]"#, SLOW).await?;
    app.screenshot(&artifacts.join("login.png")).await?;
    let submit = fill_login(app, server, "ada").await?;
    app.click(&submit).await
}

/// Picks `presence` in the top bar and waits until the server confirmed it.
async fn set_presence(app: &Session, presence: &str) -> Result<(), Fail> {
    let option = app
        .wait(
            &format!(r#"select[aria-label="Presence"] option[value="{presence}"]"#),
            STEP,
        )
        .await?;
    app.click(&option).await?;
    app.wait(&format!("select.presence-{presence}"), STEP)
        .await?;
    Ok(())
}

/// A visitor writes; the chat rings Ada in the popup window; she accepts it
/// there, they talk, and she archives it through wrap-up into History.
async fn answer_from_popup(
    app: &Session,
    server: &Server,
    main: &str,
    display: &str,
    artifacts: &Path,
) -> Result<(), Fail> {
    let (visitor, mut socket) = visitor(&server.url).await?;
    let ack = socket
        .send_message(None, "Hello from the desk test")
        .await?;
    let conversation = ack
        .conversation
        .ok_or("the first message names no conversation")?;
    let popup = wait_for_other_window(app, main).await?;
    app.switch_to(&popup).await?;
    let accept = app
        .wait(r#"[role="alertdialog"] button.accept"#, STEP)
        .await?;
    app.screenshot(&artifacts.join("popup.png")).await?;
    processes::screenshot_display(display, &artifacts.join("display-offer.png"))?;
    // The popup's page shares the main window's web process (a related
    // view) instead of starting a second one of ~150 MiB.
    let pid = app_tree::find_app(Path::new(env!("CARGO_BIN_EXE_banner")))?;
    let web = app_tree::web_processes(pid)?;
    if web != 1 {
        return Err(format!("two windows ran {web} WebKit web processes, not one").into());
    }
    // The page's JavaScript is interpreted (main.rs): JavaScriptCore reads
    // that from the web process's environment, which the app sets.
    let jit = app_tree::web_process_environment(pid, banner_desktop::webview::JIT_VARIABLE)?;
    if jit != [Some("0".to_owned())] {
        return Err(format!("the web process's JIT setting is {jit:?}, not [Some(\"0\")]").into());
    }
    // Both pages let WebKit drop its record of their keys and clicks
    // (gesture_tokens.rs): the popup asks for a window at every click, so
    // the accept below asks, and no window may open.
    sheds_gesture_tokens(app, "the popup").await?;
    app.click(&accept).await?;

    app.switch_to(main).await?;
    sheds_gesture_tokens(app, "the main window").await?;
    let windows = app.windows().await?.len();
    if windows != 2 {
        return Err(format!("a click in the popup left {windows} windows, not 2").into());
    }
    let open = app.wait("button.open", STEP).await?;
    app.click(&open).await?;
    app.wait_text(MESSAGES, "Hello from the desk test", STEP)
        .await?;
    send(app, "Hi, this is Ada.").await?;
    wait_for_frame(&mut socket, "Ada's reply", |f| {
        f.to_string().contains("Hi, this is Ada.")
    })
    .await?;
    socket
        .send_message(Some(conversation), "Thanks, Ada!")
        .await?;
    app.wait_text(MESSAGES, "Thanks, Ada!", STEP).await?;
    app.screenshot(&artifacts.join("main.png")).await?;

    let archive = button(app, ".chat-actions button", "Archive").await?;
    app.click(&archive).await?;
    let outcome = app.wait(".chat-actions form input", STEP).await?;
    app.fill(&outcome, "Answered").await?;
    let complete = app
        .wait(r#".chat-actions form button[type="submit"]"#, STEP)
        .await?;
    app.click(&complete).await?;
    wait_gone(app, ".chat-actions form", "wrap-up did not complete").await?;
    app.wait_text(TABS, "History 1", STEP).await?;
    app.screenshot(&artifacts.join("after-wrap-up.png")).await?;
    drop(visitor);
    Ok(())
}

/// Away, Ada picks a waiting chat from "Messages pending" with the hand
/// button; she transfers it, attended, to Cy, who accepts; Cy transfers it
/// back, blind, and it rings in Ada's popup with the transfer shown.
async fn pick_and_transfer(
    app: &Session,
    server: &Server,
    main: &str,
    artifacts: &Path,
) -> Result<(), Fail> {
    set_presence(app, "away").await?;
    let (visitor, mut socket) = visitor(&server.url).await?;
    let ack = socket.send_message(None, "Is anyone there?").await?;
    let conversation = ack
        .conversation
        .ok_or("the first message names no conversation")?;

    let pending = button(app, TABS, "Messages pending 1").await?;
    app.click(&pending).await?;
    let pick = app.wait("button.pick:enabled", STEP).await?;
    app.screenshot(&artifacts.join("pool.png")).await?;
    app.click(&pick).await?;
    app.wait_text(TABS, "In progress 1", STEP).await?;
    app.wait_text(MESSAGES, "Is anyone there?", STEP).await?;
    send(app, "Ada here, picked from the pool.").await?;
    wait_for_frame(&mut socket, "Ada's answer after the pick", |f| {
        f.to_string().contains("picked from the pool")
    })
    .await?;

    // Cy, played by banner-client, is available to take the transfer.
    let cy = AgentClient::login(&server.url, "cy", server.password("cy")).await?;
    let (mut cy_socket, _) = cy.connect(ConnectOptions::default()).await?;
    cy_socket.set_presence(Presence::Available).await?;

    let transfer = button(app, ".chat-actions button", "Transfer…").await?;
    app.click(&transfer).await?;
    let dialog = r#"dialog[aria-label="Transfer"]"#;
    let attended = app
        .wait(&format!("{dialog} label:nth-of-type(2) input"), STEP)
        .await?;
    app.click(&attended).await?;
    let to_cy = button(app, &format!("{dialog} li button"), "Cy (available)").await?;
    app.screenshot(&artifacts.join("transfer.png")).await?;
    app.click(&to_cy).await?;
    let offer = wait_for_frame(&mut cy_socket, "the transfer's offer to Cy", |f| {
        is_offer(f, conversation)
    })
    .await?;
    let from = &offer["event"]["transfer"];
    if from["from"]["name"] != "Ada" || from["mode"] != "attended" {
        return Err(format!("Cy's offer does not show Ada's attended transfer: {offer}").into());
    }
    cy_socket.accept(conversation).await?;
    app.wait_text(TABS, "In progress 0", STEP).await?;

    // Back to Ada, blind, through her popup.
    set_presence(app, "available").await?;
    let ada = cy
        .directory()
        .await?
        .agents
        .into_iter()
        .find(|a| a.name == "Ada")
        .ok_or("Ada is not in the directory")?;
    let to_ada = TransferTarget {
        kind: TransferTargetKind::User,
        id: ada.id.0,
    };
    cy_socket
        .transfer(conversation, to_ada, TransferMode::Blind)
        .await?;
    let popup = wait_for_other_window(app, main).await?;
    app.switch_to(&popup).await?;
    app.wait_text(r#"[role="alertdialog"]"#, "Cy", STEP).await?;
    app.screenshot(&artifacts.join("popup-transfer.png"))
        .await?;
    let accept = app
        .wait(r#"[role="alertdialog"] button.accept"#, STEP)
        .await?;
    app.click(&accept).await?;
    app.switch_to(main).await?;
    app.wait_text(TABS, "In progress 1", STEP).await?;
    app.screenshot(&artifacts.join("after-transfer.png"))
        .await?;
    drop(visitor);
    Ok(())
}

/// Types `text` in the open chat's composer and sends it. Typed key by
/// key, it is an edit WebKit can undo; once sent, the page's undo history
/// is empty again (`undoHistory.ts`): WebKitGTK would otherwise keep every
/// edit, with the nodes it touched, for the rest of the shift.
async fn send(app: &Session, text: &str) -> Result<(), Fail> {
    let composer = app.wait(r#"textarea[aria-label="Message"]"#, STEP).await?;
    app.fill(&composer, text).await?;
    if !can_undo(app).await? {
        return Err("typing in the composer left nothing to undo".into());
    }
    let history = history_length(app).await?;
    let send = button(app, ".composer-actions button", "Send").await?;
    app.click(&send).await?;
    app.wait_text(MESSAGES, text, STEP).await?;
    let deadline = tokio::time::Instant::now() + STEP;
    while can_undo(app).await? {
        if tokio::time::Instant::now() > deadline {
            return Err(format!("{text:?} was sent and the page can still undo its typing").into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Emptying it loads a frame again, which must not leave an entry in the
    // page's session history each time (a Back would walk the frame
    // through them).
    let after = history_length(app).await?;
    if after != history {
        return Err(format!(
            "sending {text:?} took the session history from {history} to {after} entries"
        )
        .into());
    }
    Ok(())
}

/// Fails unless the page is told to let WebKit drop its gesture tokens.
async fn sheds_gesture_tokens(app: &Session, page: &str) -> Result<(), Fail> {
    let answer = app
        .execute_async(
            "const done = arguments[0];
             window.__TAURI_INTERNALS__.invoke('sheds_gesture_tokens')
               .then(done, (e) => done(String(e)));",
            serde_json::json!([]),
        )
        .await?;
    if answer != serde_json::json!(true) {
        return Err(format!("{page} asked whether to shed gesture tokens: {answer}").into());
    }
    Ok(())
}

/// How many entries the page's session history holds.
async fn history_length(app: &Session) -> Result<u64, Fail> {
    app.execute("return history.length;")
        .await?
        .as_u64()
        .ok_or_else(|| "history.length is not a number".into())
}

/// Whether the page has an edit to undo (WebKit asks its UI process).
async fn can_undo(app: &Session) -> Result<bool, Fail> {
    app.execute("return document.queryCommandEnabled('undo');")
        .await?
        .as_bool()
        .ok_or_else(|| "queryCommandEnabled did not answer a boolean".into())
}

/// Whether `frame` is the offer of `conversation`.
fn is_offer(frame: &serde_json::Value, conversation: ConversationId) -> bool {
    frame["type"] == "event"
        && frame["event"]["type"] == "offer"
        && frame["event"]["conversation"] == serde_json::json!(conversation)
}
