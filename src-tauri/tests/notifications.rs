//! Native notifications reach a real notification daemon. The test runs the
//! app's notifier path (`notify::wanted`, `notify::show`,
//! `notify::wait_for_click`) against dunst on a private session bus: the
//! kinds switched on in the notification settings appear with their text,
//! the kinds switched off never do, clicking one (`dunstctl action`)
//! names its chat — what makes the app emit `banner:focus` — one nobody
//! clicks is withdrawn when its wait is over, and waiting notifications hold
//! no thread each.
//!
//! It always uses a bus of its own, never the desktop's: it re-runs itself
//! under `dbus-run-session`, with `DISPLAY` on an Xvfb it starts (dunst draws
//! on X), a temporary `HOME` (no user dunstrc), and a marker file the inner
//! run writes at its end, so that an inner run that ran nothing fails.

// This test uses only Xvfb and the notification daemon of `support/`.
#[allow(dead_code)]
mod support;

use std::path::Path;
use std::time::Duration;

use banner_desktop::notification_prefs::NotificationPrefs;
use banner_desktop::notify;
use banner_proto::{AgentFrame, ConversationId, NotificationKind};
use support::notification_daemon::{self, Shown};
use support::{Fail, rerun};

/// Set (to the marker file's path) in the run inside `dbus-run-session`.
const INSIDE: &str = "BANNER_NOTIFICATIONS_INSIDE";
const TEST: &str = "notifications_switched_on_reach_the_daemon_and_a_click_names_the_chat";
const STEP: Duration = Duration::from_secs(10);
/// How long the unclicked notification waits here (the app's is minutes).
const KEPT: Duration = Duration::from_secs(1);

#[test]
fn notifications_switched_on_reach_the_daemon_and_a_click_names_the_chat() -> Result<(), Fail> {
    match std::env::var_os(INSIDE) {
        Some(marker) => inside(Path::new(&marker)),
        None => rerun::on_own_display(TEST, INSIDE),
    }
}

fn notification(kind: NotificationKind, conversation: u64) -> AgentFrame {
    AgentFrame::Notification {
        kind,
        conversation: ConversationId(conversation),
        at: 1_763_712_290_000,
    }
}

/// On the private bus, on a tokio runtime as the app's notifications are.
fn inside(marker: &Path) -> Result<(), Fail> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(on_the_bus(marker))
}

/// Dunst, the settings, the frames, the click, the withdrawal.
async fn on_the_bus(marker: &Path) -> Result<(), Fail> {
    let _dunst = notification_daemon::dunst()?;
    let mut prefs = NotificationPrefs::default();
    prefs.kinds.messaging_ended = false;
    let frames = [
        notification(NotificationKind::MessageArrives, 1042),
        notification(NotificationKind::MessagingEnded, 1043),
        notification(NotificationKind::ParticipantLeaves, 1044),
    ];

    // What the app does with each frame, minus the window: the settings
    // filter, then the daemon shows it and a task waits for the click.
    let (clicks, mut clicked) = tokio::sync::mpsc::unbounded_channel();
    let mut waiting = Vec::new();
    for frame in &frames {
        let Some((kind, conversation)) = notify::wanted(&prefs, frame) else {
            continue;
        };
        let handle = notify::show(kind, conversation)
            .await
            .map_err(|e| format!("the daemon refused the notification: {e}"))?;
        let clicks = clicks.clone();
        waiting.push(tokio::spawn(async move {
            notify::wait_for_click(handle, conversation, |c| {
                let _ = clicks.send(c);
            })
            .await;
        }));
    }
    notification_daemon::wait_displayed(2, STEP)?;

    // A click on the newest one (dunst's default action, as a person's
    // click on it) names its chat.
    notification_daemon::dunstctl(&["action", "0"])?;
    let chat = tokio::time::timeout(STEP, clicked.recv())
        .await
        .ok()
        .flatten()
        .ok_or("a clicked notification named no chat")?;
    notification_daemon::dunstctl(&["close-all"])?;
    for wait in waiting {
        tokio::time::timeout(STEP, wait)
            .await
            .map_err(|_| "a closed notification's wait did not end")?
            .map_err(|_| "a notification's wait panicked")?;
    }

    let mut shown = notification_daemon::history()?;
    shown.sort_by(|a, b| a.body.cmp(&b.body));
    let expected = [
        (NotificationKind::MessageArrives, 1042),
        (NotificationKind::ParticipantLeaves, 1044),
    ]
    .map(|(kind, conversation)| {
        let (summary, body) = notify::text(kind, ConversationId(conversation));
        Shown {
            appname: notify::APP_NAME.to_owned(),
            summary: summary.to_owned(),
            body,
        }
    });
    assert_eq!(shown, expected, "the kinds switched on, and only them");
    assert!(
        [ConversationId(1042), ConversationId(1044)].contains(&chat),
        "the click named chat {chat}"
    );

    // One nobody clicks (dunst never times one out while the person is
    // idle) is withdrawn once its wait is over, and its wait ends.
    let handle = notify::show(NotificationKind::MessageArrives, ConversationId(1045))
        .await
        .map_err(|e| format!("the daemon refused the notification: {e}"))?;
    notification_daemon::wait_displayed(1, STEP)?;
    let wait = tokio::spawn(notify::wait_for_click_within(
        handle,
        ConversationId(1045),
        |_| {},
        KEPT,
    ));
    // Well before dunst's own timeout (10 s without a dunstrc), which would
    // end the wait too.
    tokio::time::timeout(KEPT + Duration::from_secs(4), wait)
        .await
        .map_err(|_| "the unclicked notification's wait did not end")?
        .map_err(|_| "the unclicked notification's wait panicked")?;
    notification_daemon::wait_displayed(0, STEP)?;

    waiting_notifications_take_no_threads().await?;
    std::fs::write(marker, "done")?;
    Ok(())
}

/// Notifications waiting for their clicks hold no thread each, as the app
/// shows them (`notify::spawn`): a shift shows hundreds, and a daemon may
/// keep each for minutes. (The app once gave each wait a thread of its own,
/// and its blocking `show` a zbus runtime thread: 439 of each at minute 46
/// of an hour's soak.)
async fn waiting_notifications_take_no_threads() -> Result<(), Fail> {
    const WAITING: usize = 12;
    let threads = || std::fs::read_dir("/proc/self/task").map(|tasks| tasks.count());
    // The app's runtime starts its own threads once, before any of these.
    let _ = tauri::async_runtime::handle();
    let before = threads()?;
    let waiting: Vec<_> = (0..WAITING)
        .map(|n| {
            let conversation = ConversationId(2000 + n as u64);
            notify::spawn(NotificationKind::MessageArrives, conversation, |_| {})
        })
        .collect();
    notification_daemon::wait_displayed(WAITING as u32, STEP)?;
    // Shown, and each wait subscribed to the daemon's signals by now.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let during = threads()?;
    for wait in &waiting {
        wait.abort();
    }
    assert!(
        during < before + WAITING / 2,
        "{WAITING} waiting notifications took {} threads ({before} before)",
        during.saturating_sub(before)
    );
    Ok(())
}
