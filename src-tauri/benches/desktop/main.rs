//! The desktop app's benchmark (`cargo bench -p banner-desktop --bench
//! desktop`, run by `cargo xtask bench --only desktop` and `cargo xtask
//! soak`): the real release app under Xvfb, driven through tauri-driver like
//! the end-to-end test, against a real server on 127.0.0.1.
//!
//! - **Cold start**: from the app's process starting to its first painted
//!   frame (the login form), on the app's own clocks ([`start`]), plus from
//!   pressing "Log in" to the first frame showing the pool with its 10
//!   chats, on the page's clock. The typing in between is the person's
//!   time, not the app's, and is left out. The median of several launches
//!   in a desktop session (its session and accessibility buses running, as
//!   at any agent's desktop), with launches on a bare display beside it
//!   ([`cold`]). The baseline, measured in the same run, is the first part
//!   alone: the app's and webview's own start. A second row keeps the
//!   older, outside figure: from asking tauri-driver for a session (which
//!   launches the app) to the login form found over WebDriver.
//! - **Memory**: PSS of the app and its WebKit processes once Ada's 10 chats
//!   (5,000 messages between them, every one loaded) are open, against the
//!   same app idle at its login form.
//! - **Soak** (`--soak-minutes N`): then, for N minutes, a steady shift: new
//!   chats ring, are opened, talked through and wrapped up while the 10 stay
//!   open; PSS is sampled every minute. With `--soak-hands-off` the app only
//!   watches: Ada's own session answers and nothing drives the app. With
//!   `--soak-in-page` the app does the same work as when driven, but a
//!   script in its page clicks and types, one WebDriver request a step,
//!   instead of WebDriver's element commands and polling ([`soak`]).
//!
//! Under `cargo test` (no `--bench` argument) it only says how to run it.
//! Results go, as JSON rows, to the file named by `--out`.

// A command-line benchmark: its report goes to stdout.
#![allow(clippy::print_stdout)]

#[path = "../../tests/support/mod.rs"]
#[allow(dead_code)]
mod support;

mod cold;
mod pss;
mod seed;
mod soak;
mod start;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::desktop_session::DesktopSession;
use support::steps::{button, fill_login};
use support::webdriver::Session;
use support::{Fail, processes, server::Server};

/// Ada's open chats, and the messages in each.
const CHATS: usize = 10;
const PER_CHAT: usize = 500;
/// Time for the page to settle before memory is read.
const SETTLE: Duration = Duration::from_secs(5);
const TABS: &str = r#"[role="tab"]"#;
const MESSAGES: &str = r#"ol[aria-label="Messages"]"#;
const LOGIN_FORM: &str = r#"form[aria-label="Log in"]"#;

struct Args {
    bench: bool,
    out: Option<PathBuf>,
    soak_minutes: Option<u64>,
    drive: soak::Drive,
}

fn parse() -> Result<Args, Fail> {
    let mut parsed = Args {
        bench: false,
        out: None,
        soak_minutes: None,
        drive: soak::Drive::WebDriver,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--bench" => parsed.bench = true,
            "--out" => parsed.out = Some(args.next().ok_or("--out needs a file")?.into()),
            "--soak-minutes" => {
                let n = args.next().ok_or("--soak-minutes needs a number")?;
                parsed.soak_minutes = Some(n.parse()?);
            }
            "--soak-hands-off" | "--soak-in-page" if parsed.drive != soak::Drive::WebDriver => {
                return Err(
                    "--soak-hands-off and --soak-in-page are two kinds of soak: give one".into(),
                );
            }
            "--soak-hands-off" => parsed.drive = soak::Drive::HandsOff,
            "--soak-in-page" => parsed.drive = soak::Drive::InPage,
            // cargo's and libtest's own flags (e.g. `--nocapture`) mean nothing here.
            _ => {}
        }
    }
    if parsed.drive != soak::Drive::WebDriver && parsed.soak_minutes.is_none() {
        return Err(
            "--soak-hands-off and --soak-in-page are kinds of soak: give --soak-minutes too".into(),
        );
    }
    Ok(parsed)
}

fn main() -> Result<(), Fail> {
    let args = parse()?;
    if !args.bench {
        println!("desktop benchmark: run it with `cargo xtask bench --only desktop`");
        return Ok(());
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let rows = runtime.block_on(measure(args.soak_minutes, args.drive))?;
    let text = serde_json::to_string_pretty(&rows)?;
    match &args.out {
        Some(path) => std::fs::write(path, text)?,
        None => println!("{text}"),
    }
    Ok(())
}

async fn measure(soak_minutes: Option<u64>, drive: soak::Drive) -> Result<Vec<Value>, Fail> {
    let binary = Path::new(env!("CARGO_BIN_EXE_banner"));
    let server = Server::start_tuned(|settings| {
        // The seeding writes 5,000 messages in seconds; Ada holds 10 chats.
        settings.rate_limits.enabled = false;
        for user in &mut settings.users {
            user.capacity = 12;
        }
    })
    .await?;
    let mut floor = seed::floor(&server, CHATS).await?;
    seed::talk(&floor, PER_CHAT).await?;
    let (in_session, bare) = cold_starts(binary, &server).await?;
    let home = tempfile::tempdir()?;
    // The memory launch, and the soak after it, in a desktop session too.
    let (_xvfb, display) = processes::xvfb()?;
    let session = DesktopSession::start(&display)?;
    let (_driver, driver) = processes::tauri_driver_with(
        &display,
        home.path(),
        &[("DBUS_SESSION_BUS_ADDRESS", session.address.as_str())],
    )?;
    let launched = Instant::now();
    let app = Session::start(&driver, binary).await?;
    let result = async {
        app.wait(LOGIN_FORM, Duration::from_secs(60)).await?;
        let to_login = launched.elapsed();
        let pid = support::app_tree::find_app(binary)?;
        tokio::time::sleep(SETTLE).await;
        let idle = pss::tree(pid)?;

        log_in(&app, &server).await?;
        open_every_chat(&app).await?;
        tokio::time::sleep(SETTLE).await;
        let busy = pss::tree(pid)?;

        let mut rows = vec![
            cold::row(&in_session, &bare)?,
            row(
                "desktop.start_through_webdriver",
                ms(to_login),
                "ms",
                ms(cold::median_first_paint(&in_session)?),
                "from the WebDriver new-session request (launch and automation attach) \
                 to the login form found over WebDriver, the memory launch's, in a desktop \
                 session; baseline: process start to first paint (median of the launches in a \
                 desktop session)",
            ),
            row(
                "desktop.pss_10_chats_5000_history",
                mib(busy.total_kib()),
                "MiB",
                mib(idle.total_kib()),
                &format!(
                    "{CHATS} open chats, {} messages loaded: {}; \
                     baseline: the app idle at its login form: {}",
                    CHATS * PER_CHAT,
                    busy.describe(),
                    idle.describe()
                ),
            ),
        ];
        if let Some(minutes) = soak_minutes {
            rows.extend(soak::run(&app, &server, &mut floor, pid, minutes, drive).await?);
        }
        Ok::<_, Fail>(rows)
    }
    .await;
    let _ = app.end().await;
    result
}

/// Launches in a desktop session, then on a bare display, alternated so
/// that the machine's moods fall on both.
async fn cold_starts(
    binary: &Path,
    server: &Server,
) -> Result<(Vec<cold::Launch>, Vec<cold::Launch>), Fail> {
    let (mut in_session, mut bare) = (Vec::new(), Vec::new());
    for i in 0..cold::LAUNCHES {
        in_session.push(cold::launch(binary, server, cold::Desktop::Session).await?);
        if i < cold::BARE_LAUNCHES {
            bare.push(cold::launch(binary, server, cold::Desktop::Bare).await?);
        }
    }
    Ok((in_session, bare))
}

/// Logs Ada in; the time from pressing "Log in" to her pool found with
/// every chat, as WebDriver sees it.
async fn log_in(app: &Session, server: &Server) -> Result<Duration, Fail> {
    let submit = fill_login(app, server, "ada").await?;
    let pressed = Instant::now();
    app.click(&submit).await?;
    button(app, TABS, &format!("In progress {CHATS}")).await?;
    Ok(pressed.elapsed())
}

/// Opens each chat under "In progress" and waits for its last line.
async fn open_every_chat(app: &Session) -> Result<(), Fail> {
    for i in 0..CHATS {
        let rows = app.find_all("button.open").await?;
        let row = rows.get(i).ok_or("fewer chats in progress than seeded")?;
        let shown = app.property(row, "textContent").await?;
        let last = last_line_in(&shown)
            .ok_or_else(|| format!("chat row without its last line: {shown:?}"))?;
        app.click(row).await?;
        app.wait_text(MESSAGES, &last, Duration::from_secs(60))
            .await?;
    }
    Ok(())
}

/// The "last line of chat N." a pool row shows as its latest message.
fn last_line_in(shown: &str) -> Option<String> {
    let at = shown.find("last line of chat ")?;
    let end = shown[at..].find('.')?;
    Some(shown[at..=at + end].to_owned())
}

/// A figure as `cargo xtask bench` records it.
pub fn row(name: &str, value: f64, unit: &str, baseline: f64, note: &str) -> Value {
    let ratio = (baseline > 0.0).then(|| value / baseline);
    json!({"name": name, "value": value, "unit": unit, "baseline": baseline,
           "ratio": ratio, "note": note})
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1000.0).round()
}

pub fn mib(kib: u64) -> f64 {
    // Memory sizes in KiB fit f64 exactly.
    #[allow(clippy::cast_precision_loss)]
    let kib = kib as f64;
    (kib / 1024.0 * 10.0).round() / 10.0
}
