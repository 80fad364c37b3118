//! Cold starts, launch after launch: each on a fresh display, a fresh home
//! (no remembered login, empty WebKit caches) and a fresh tauri-driver,
//! timed on the app's own clocks ([`crate::start`]) to the login form
//! painted, then from pressing "Log in" to the pool painted.
//!
//! One launch on two cores shared with the rest of the machine moves by
//! hundreds of milliseconds, so the benchmark reports the median of several,
//! with the spread beside it.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::start::{self, ColdStart};
use crate::support::desktop_session::DesktopSession;
use crate::support::webdriver::Session;
use crate::support::{Fail, app_tree, processes, server::Server};

/// Launches in a desktop session, whose median is the figure.
pub const LAUNCHES: usize = 5;
/// Launches on a bare display, for the record.
pub const BARE_LAUNCHES: usize = 3;

/// One launch's spans.
pub struct Launch {
    /// Process start to the first painted frame.
    pub start: ColdStart,
    /// Pressing "Log in" to the pool painted, on the page's clock.
    pub to_pool: Duration,
    /// The same span as WebDriver sees it: from the click request to the
    /// pool found (its round trips and 25 ms polling included).
    pub seen: Duration,
}

impl Launch {
    /// Process start to the pool painted, the person's typing left out.
    pub fn total(&self) -> Duration {
        self.start.total() + self.to_pool
    }
}

/// Where the app is launched.
#[derive(Clone, Copy, Debug)]
pub enum Desktop {
    /// A bare X display: no session bus, no accessibility bus.
    Bare,
    /// A display with a desktop session's buses running ([`DesktopSession`]).
    Session,
}

/// Launches the app `binary` on a display of its own, logs Ada in, and
/// closes it again.
pub async fn launch(binary: &Path, server: &Server, desktop: Desktop) -> Result<Launch, Fail> {
    // A fresh display each time: the buses an app starts for itself on a
    // bare display announce themselves on it, and the next launch would
    // find them.
    let (_xvfb, display) = processes::xvfb()?;
    let session = match desktop {
        Desktop::Bare => None,
        Desktop::Session => Some(DesktopSession::start(&display)?),
    };
    let env: Vec<(&str, &str)> = session
        .iter()
        .map(|s| ("DBUS_SESSION_BUS_ADDRESS", s.address.as_str()))
        .collect();
    let home = tempfile::tempdir()?;
    let (_driver, driver) = processes::tauri_driver_with(&display, home.path(), &env)?;
    let app = Session::start(&driver, binary).await?;
    let result = async {
        app.wait(crate::LOGIN_FORM, Duration::from_secs(60)).await?;
        let pid = app_tree::find_app(binary)?;
        let start = start::measure(&app, pid, Duration::from_secs(10)).await?;
        let seen = crate::log_in(&app, server).await?;
        let to_pool = start::login_to_pool(&app, Duration::from_secs(10)).await?;
        Ok(Launch {
            start,
            to_pool,
            seen,
        })
    }
    .await;
    let _ = app.end().await;
    gone(binary, Duration::from_secs(10)).await?;
    // Dropping the driver also kills the buses the app started for itself
    // on a bare display: left running, they slowed the next bare launches
    // (by ~3 s, in 2 of 3).
    result
}

/// Waits until no process runs `binary`, so that the next launch finds its
/// own.
async fn gone(binary: &Path, timeout: Duration) -> Result<(), Fail> {
    let deadline = Instant::now() + timeout;
    while app_tree::find_app(binary).is_ok() {
        if Instant::now() > deadline {
            return Err("the app did not exit after its session ended".into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(())
}

/// The cold-start row: the median launch in a desktop session against its
/// first paint, the spans and the bare display's launches in the note.
pub fn row(in_session: &[Launch], bare: &[Launch]) -> Result<Value, Fail> {
    let of = |launches: &[Launch], span: fn(&Launch) -> Duration| {
        spread(launches.iter().map(span).collect()).ok_or("no launches")
    };
    let (total, least, most) = of(in_session, Launch::total)?;
    let (to_page, ..) = of(in_session, |l| l.start.to_page)?;
    let (to_paint, ..) = of(in_session, |l| l.start.to_paint)?;
    let (to_pool, ..) = of(in_session, |l| l.to_pool)?;
    let (seen, ..) = of(in_session, |l| l.seen)?;
    let (bare_total, bare_least, bare_most) = of(bare, Launch::total)?;
    let ms = crate::ms;
    let list = |launches: &[Launch]| {
        let each: Vec<String> = launches.iter().map(|l| ms(l.total()).to_string()).collect();
        each.join(", ")
    };
    Ok(crate::row(
        "desktop.cold_start",
        ms(total),
        "ms",
        ms(median_first_paint(in_session)?),
        &format!(
            "median of {} launches in a desktop session (session and accessibility buses \
             running): {} ms ({}-{} ms); medians of the spans: process start to the page's \
             navigation start {} ms, to the painted login form {} ms, log in to the pool \
             painted {} ms (as WebDriver sees it: {} ms); each launch in order: {} ms; on a \
             bare display (no buses, the app starts its own): median {} ms ({}-{} ms) of {}: \
             {} ms; baseline: process start to first paint (median)",
            in_session.len(),
            ms(total),
            ms(least),
            ms(most),
            ms(to_page),
            ms(to_paint),
            ms(to_pool),
            ms(seen),
            list(in_session),
            ms(bare_total),
            ms(bare_least),
            ms(bare_most),
            bare.len(),
            list(bare)
        ),
    ))
}

/// The median process start to first paint of `launches`.
pub fn median_first_paint(launches: &[Launch]) -> Result<Duration, Fail> {
    let (median, ..) =
        spread(launches.iter().map(|l| l.start.total()).collect()).ok_or("no launches")?;
    Ok(median)
}

/// The median of `values` (the upper one of an even count), and the least
/// and the most.
pub fn spread(mut values: Vec<Duration>) -> Option<(Duration, Duration, Duration)> {
    values.sort();
    let median = *values.get(values.len() / 2)?;
    Some((median, *values.first()?, *values.last()?))
}
