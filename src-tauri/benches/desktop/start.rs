//! Cold start on the app's own clocks: from the moment the kernel started
//! the app's process (`/proc/PID/stat`) to the first frame its window
//! painted (the UI's `banner:first-paint` User Timing mark, see
//! `ui/src/banner/paintMarks.ts`), with the page's navigation start
//! (`performance.timeOrigin`) in between; then, on the page's clock, from
//! pressing "Log in" (`banner:login-submitted`) to the first frame showing
//! the pool (`banner:pool-painted`). Nothing of WebDriver's own work before
//! the launch or its round trips after it is counted.
//!
//! The process's start is in clock ticks since boot; the page's times are in
//! milliseconds since the epoch. `/proc/uptime` read beside the wall clock
//! gives the boot's time on the epoch's scale. Both kernel figures come in
//! hundredths of a second, so each span is good to about ±20 ms.

use std::fs;
use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::support::Fail;
use crate::support::webdriver::Session;

/// What the page reports: navigation start and first paint, in ms since the
/// epoch (null until the mark exists).
const PAGE_TIMES: &str = "
    const paint = performance.getEntriesByName('banner:first-paint')[0];
    if (!paint) return null;
    return {
        origin: performance.timeOrigin,
        paint: performance.timeOrigin + paint.startTime,
    };";

/// What the page reports once the pool is painted: pressing "Log in" and
/// the first frame showing the pool, in ms on the page's clock (null until
/// both marks exist).
const LOGIN_TIMES: &str = "
    const submitted = performance.getEntriesByName('banner:login-submitted')[0];
    const painted = performance.getEntriesByName('banner:pool-painted')[0];
    if (!submitted || !painted) return null;
    return { submitted: submitted.startTime, painted: painted.startTime };";

/// The two spans of a cold start.
pub struct ColdStart {
    /// Process start to the page's navigation start: Rust, GTK, the tray,
    /// the window and WebKit's own processes.
    pub to_page: Duration,
    /// Navigation start to the first painted frame: loading, parsing and
    /// running the UI's script, React's first render, style and layout.
    pub to_paint: Duration,
}

impl ColdStart {
    /// Process start to first paint.
    pub fn total(&self) -> Duration {
        self.to_page + self.to_paint
    }
}

/// Reads the spans of the app `pid`, waiting up to `timeout` for the mark.
pub async fn measure(app: &Session, pid: u32, timeout: Duration) -> Result<ColdStart, Fail> {
    let started = process_start_ms(pid)?;
    let page = page_answer(app, PAGE_TIMES, timeout, "banner:first-paint").await?;
    let origin = page["origin"].as_f64().ok_or("no timeOrigin")?;
    let paint = page["paint"].as_f64().ok_or("no first-paint time")?;
    let span = |from: f64, to: f64| Duration::from_secs_f64(((to - from) / 1000.0).max(0.0));
    Ok(ColdStart {
        to_page: span(started, origin),
        to_paint: span(origin, paint),
    })
}

/// From pressing "Log in" to the first frame showing the pool, on the
/// page's clock, waiting up to `timeout` for the marks.
pub async fn login_to_pool(app: &Session, timeout: Duration) -> Result<Duration, Fail> {
    let times = page_answer(app, LOGIN_TIMES, timeout, "banner:pool-painted").await?;
    let submitted = times["submitted"].as_f64().ok_or("no login time")?;
    let painted = times["painted"].as_f64().ok_or("no pool-painted time")?;
    Ok(Duration::from_secs_f64(
        ((painted - submitted) / 1000.0).max(0.0),
    ))
}

/// What `script` answers once it answers something (its marks exist),
/// asking every 25 ms for up to `timeout`.
async fn page_answer(
    app: &Session,
    script: &str,
    timeout: Duration,
    mark: &str,
) -> Result<serde_json::Value, Fail> {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let answer = app.execute(script).await?;
        if !answer.is_null() {
            return Ok(answer);
        }
        if tokio::time::Instant::now() > deadline {
            return Err(format!("the page never marked {mark}").into());
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// When the process `pid` started, in ms since the epoch.
fn process_start_ms(pid: u32) -> Result<f64, Fail> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Field 22, `starttime`; the fields count from the one after the `)`
    // that closes the command name, which is field 3.
    let after = &stat[stat.rfind(')').ok_or("no ) in stat")? + 1..];
    let ticks: f64 = after
        .split_whitespace()
        .nth(22 - 3)
        .ok_or("no starttime in stat")?
        .parse()?;
    Ok(boot_ms()? + ticks / clock_ticks_per_second()? * 1000.0)
}

/// The boot's time in ms since the epoch: the wall clock minus the uptime,
/// both read now.
fn boot_ms() -> Result<f64, Fail> {
    let uptime = fs::read_to_string("/proc/uptime")?;
    let seconds: f64 = uptime
        .split_whitespace()
        .next()
        .ok_or("empty /proc/uptime")?
        .parse()?;
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?;
    Ok(now.as_secs_f64() * 1000.0 - seconds * 1000.0)
}

/// `CLK_TCK`, the unit of `starttime` (100 on every Linux seen so far, but
/// asked rather than assumed).
fn clock_ticks_per_second() -> Result<f64, Fail> {
    let out = Command::new("getconf").arg("CLK_TCK").output()?;
    Ok(String::from_utf8(out.stdout)?.trim().parse()?)
}
