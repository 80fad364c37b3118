//! The soak: a steady shift on top of the 10 open chats, for N minutes.
//! Each round a new visitor writes, the chat rings (the app's popup shows
//! it), Ada's own session accepts it, the app opens it and answers from its
//! composer, twenty messages pass, and the chat is archived and wrapped up,
//! leaving the app's "In progress" at 10 again. PSS of the app and its
//! WebKit processes is read every minute; the first reading (after one
//! minute of warm-up) is the baseline for the last.
//!
//! Hands off (`--soak-hands-off`): the same chats, but Ada's own session
//! answers them too and nothing drives the app between the minute's
//! readings. The app still rings, shows each chat in its pool and receives
//! every frame; only WebDriver's clicks, typing and polling are gone, so
//! the two runs tell the app's own growth from the harness's share. At each
//! reading the app's pool is checked to count the chat in progress, and
//! then not, so the app is known to be still receiving.
//!
//! In the page (`--soak-in-page`): the driven run's work, opening the chat,
//! typing the answer, sending it, waiting for the pool, done by a script in
//! the app's page, one WebDriver request a step. WebDriver's element
//! commands (finding, reading text, clicking and typing through the input
//! pipeline) and its polling are gone, the app's own work stays: a run that
//! grows like the driven one puts the growth in the app, one that stays flat
//! puts it in what WebDriver does.

use std::time::{Duration, Instant};

use banner_proto::ConversationId;
use serde_json::{Value, json};

use crate::pss;
use crate::seed::{self, Floor};
use crate::support::Fail;
use crate::support::server::Server;
use crate::support::steps::{STEP, button};
use crate::support::webdriver::Session;
use crate::{CHATS, MESSAGES, TABS, mib, row};

/// Who does the app's part of each chat.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Drive {
    /// WebDriver's element commands, as a person's clicks and keys.
    WebDriver,
    /// A script in the app's page, one WebDriver request a step.
    InPage,
    /// Nobody: Ada's own session answers; the app only watches.
    HandsOff,
}

/// Messages in each chat of the soak.
const PER_ROUND: usize = 20;
/// What the app answers each chat with.
const ANSWER_TEXT: &str = "Thanks for waiting, this is Ada from the app.";
/// A pause between rounds, as between a shift's chats.
const BREATHE: Duration = Duration::from_secs(3);

pub async fn run(
    app: &Session,
    server: &Server,
    floor: &mut Floor,
    pid: u32,
    minutes: u64,
    drive: Drive,
) -> Result<Vec<Value>, Fail> {
    let started = Instant::now();
    let end = started + Duration::from_secs(minutes * 60);
    let mut next_sample = started + Duration::from_secs(60);
    let mut samples: Vec<u64> = Vec::new();
    let mut rounds = 0usize;
    while Instant::now() < end {
        let reading = Instant::now() >= next_sample;
        round(app, drive, reading, server, floor, CHATS + rounds).await?;
        rounds += 1;
        if reading {
            let tree = pss::tree(pid)?;
            let kib = tree.total_kib();
            println!(
                "soak: minute {}: {} MiB, {rounds} chats; {}; {}",
                samples.len() + 1,
                mib(kib),
                tree.describe(),
                pages(app).await?
            );
            samples.push(kib);
            next_sample += Duration::from_secs(60);
        }
        tokio::time::sleep(BREATHE).await;
    }
    let first = *samples.first().ok_or("the soak was too short to sample")?;
    let last = *samples.last().unwrap_or(&first);
    let peak = samples.iter().copied().max().unwrap_or(last);
    let (name, how) = match drive {
        Drive::HandsOff => (
            "desktop.pss_after_soak_hands_off",
            "rung and answered by Ada's own session, the app not driven",
        ),
        Drive::InPage => (
            "desktop.pss_after_soak_in_page",
            "rung, opened, answered and wrapped up, by a script in the page",
        ),
        Drive::WebDriver => (
            "desktop.pss_after_soak",
            "rung, opened, answered and wrapped up",
        ),
    };
    Ok(vec![row(
        name,
        mib(last),
        "MiB",
        mib(first),
        &format!(
            "{minutes} min, {rounds} chats {how} beside {CHATS} open ones; \
             peak {} MiB; baseline: after the first minute",
            mib(peak)
        ),
    )])
}

/// One chat, from the visitor's first line to wrap-up. Driven, the app
/// opens it and answers from its composer before Ada's session archives
/// it; otherwise the app only watches, and at a minute's reading
/// (`reading`) its pool is checked to hold the chat, so that a hands-off
/// run whose app stopped receiving fails instead of reading flat.
async fn round(
    app: &Session,
    drive: Drive,
    reading: bool,
    server: &Server,
    floor: &mut Floor,
    n: usize,
) -> Result<(), Fail> {
    let chat = seed::new_chat(server, &mut floor.ada, n).await?;
    seed::exchange(&floor.ada, &chat, PER_ROUND).await?;
    match drive {
        Drive::WebDriver => answer_in_app(app, chat.id).await?,
        Drive::InPage => answer_in_page(app, chat.id).await?,
        Drive::HandsOff if reading => {
            button(app, TABS, &format!("In progress {}", CHATS + 1)).await?;
        }
        Drive::HandsOff => {}
    }
    floor.ada.archive(chat.id).await?;
    floor
        .ada
        .complete_wrap_up(chat.id, Some("Answered".into()))
        .await?;
    let back = format!("In progress {CHATS}");
    match drive {
        Drive::WebDriver => {
            button(app, TABS, &back).await?;
        }
        Drive::InPage => in_page(app, WAIT_FOR_TAB, json!([TABS, back, step_ms()])).await?,
        Drive::HandsOff if reading => {
            button(app, TABS, &back).await?;
        }
        Drive::HandsOff => {}
    }
    Ok(())
}

/// What [`answer_in_app`] does, by a script in the page: the row clicked,
/// the answer typed into the composer a character every 10 ms and sent.
/// Each character goes in through WebKit's editor (`insertText`, what a
/// key press does once it reaches the page): the `input` event React
/// listens to, a render and a typing check, and an edit in the page's undo
/// history, as an agent's keys make. Its arguments: the chat's last line,
/// the answer, the messages' selector and how long each step may take (ms).
const ANSWER: &str = r#"
const [last, answer, messages, step, done] = arguments;
const deadline = Date.now() + step;
const until = async (found, what) => {
  for (;;) {
    const value = found();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`no ${what} within ${step} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
};
const shown = (text) => [...document.querySelectorAll(messages)]
  .some((list) => list.textContent.includes(text));
(async () => {
  const row = await until(() => [...document.querySelectorAll('button.open')]
    .find((b) => b.textContent.includes(last)), 'row');
  row.click();
  await until(() => shown(last), 'last line');
  const box = await until(
    () => document.querySelector('textarea[aria-label="Message"]'), 'composer');
  box.focus();
  for (const character of answer) {
    document.execCommand('insertText', false, character);
    await new Promise((r) => setTimeout(r, 10));
  }
  const send = await until(() => [...document.querySelectorAll('.composer-actions button')]
    .find((b) => b.textContent.trim() === 'Send' && !b.disabled), 'Send');
  send.click();
  await until(() => shown(answer), 'the answer');
  done(null);
})().catch((e) => done(String(e)));
"#;

/// What [`button`] waits for, by a script in the page: an element matching
/// the first argument labelled the second, within the third (ms).
const WAIT_FOR_TAB: &str = r#"
const [css, label, step, done] = arguments;
const deadline = Date.now() + step;
(async () => {
  while (![...document.querySelectorAll(css)].some((e) => e.textContent.trim() === label)) {
    if (Date.now() > deadline) throw new Error(`no ${css} labelled ${label} within ${step} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  done(null);
})().catch((e) => done(String(e)));
"#;

/// Runs one of the scripts above; it answers `null`, or what went wrong.
async fn in_page(app: &Session, script: &str, args: Value) -> Result<(), Fail> {
    match app.execute_async(script, args).await? {
        Value::Null => Ok(()),
        other => Err(format!("in the page: {other}").into()),
    }
}

/// The app's part of a chat, by a script in its page (see [`ANSWER`]).
async fn answer_in_page(app: &Session, id: ConversationId) -> Result<(), Fail> {
    let last = seed::last_line(id);
    in_page(app, ANSWER, json!([last, ANSWER_TEXT, MESSAGES, step_ms()])).await
}

/// How long a step may take, as the WebDriver path waits ([`STEP`]).
fn step_ms() -> u64 {
    u64::try_from(STEP.as_millis()).unwrap_or(u64::MAX)
}

/// The app opens the chat from its pool and answers from its composer.
async fn answer_in_app(app: &Session, id: ConversationId) -> Result<(), Fail> {
    let last = seed::last_line(id);
    let row = button_containing(app, "button.open", &last).await?;
    app.click(&row).await?;
    app.wait_text(MESSAGES, &last, STEP).await?;
    let composer = app.wait(r#"textarea[aria-label="Message"]"#, STEP).await?;
    app.fill(&composer, ANSWER_TEXT).await?;
    let send = button(app, ".composer-actions button", "Send").await?;
    app.click(&send).await?;
    app.wait_text(MESSAGES, "this is Ada from the app", STEP)
        .await?;
    Ok(())
}

/// What each window's page holds: its DOM nodes and the Tauri callbacks
/// waiting. A count that only grows over a shift names a leak that memory
/// alone cannot.
async fn pages(app: &Session) -> Result<String, Fail> {
    const PROBE: &str = "const t = window.__TAURI_INTERNALS__; \
        return `${document.getElementsByTagName('*').length} nodes, \
        ${t && t.callbacks ? t.callbacks.size : '?'} callbacks`;";
    let home = app.window().await?;
    let mut each = Vec::new();
    for handle in app.windows().await? {
        app.switch_to(&handle).await?;
        let probe = app.execute(PROBE).await?;
        each.push(probe.as_str().unwrap_or("?").to_owned());
    }
    app.switch_to(&home).await?;
    Ok(format!("pages: {}", each.join(" | ")))
}

/// The first element matching `css` whose text contains `text`.
async fn button_containing(app: &Session, css: &str, text: &str) -> Result<String, Fail> {
    let deadline = Instant::now() + STEP;
    loop {
        for element in app.find_all(css).await? {
            let shown = app.property(&element, "textContent").await;
            if shown.is_ok_and(|t| t.contains(text)) {
                return Ok(element);
            }
        }
        if Instant::now() > deadline {
            return Err(format!("no {css:?} showing {text:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
