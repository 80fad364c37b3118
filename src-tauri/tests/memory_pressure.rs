//! The memory-pressure settings reach WebKit's web process through the
//! wrapped context constructor (`src/memory_pressure.rs`), the way Tauri's
//! contexts are made: with no settings of their own.
//!
//! WebKit offers no way to read a context's settings back, so the test
//! makes them visible: it installs settings that kill a web process above
//! 0.9 MB, checked every half second, and loads a page in a view of a
//! context made without settings: WebKit must end that page's web process
//! for exceeding its memory limit. A second context, made with settings of
//! its own (no kill), must keep them: its page loads and then lives four
//! more checks after the first page was ended.
//!
//! GTK needs a display and one thread of its own, so the test runs itself
//! again (`support/rerun.rs`) on an Xvfb it starts, on a session bus of
//! its own, with one test in that run: GTK starts on that test's thread,
//! and everything GTK and WebKit do happens there.
#![cfg(target_os = "linux")]

// This test uses only the rerun (and its Xvfb) of `support/`.
#[allow(dead_code)]
mod support;

use std::cell::Cell;
use std::path::Path;
use std::rc::Rc;
use std::time::{Duration, Instant};

use banner_desktop::memory_pressure::{self, Settings};
use support::{Fail, rerun};
use webkit2gtk::{
    LoadEvent, MemoryPressureSettings, WebContext, WebProcessTerminationReason, WebView, WebViewExt,
};

/// Set (to the marker file's path) in the run on the display.
const INSIDE: &str = "BANNER_MEMORY_PRESSURE_INSIDE";
const TEST: &str = "a_context_made_without_settings_gets_the_installed_ones";

/// Settings no page can live under: a 1 MB limit, killed above 0.9 of it.
const KILLING: Settings = Settings {
    limit_mb: 1,
    conservative: 0.2,
    strict: 0.5,
    kill: 0.9,
    poll_seconds: 0.5,
};

/// How long the pages are given: WebKit measures every half second.
const WAIT: Duration = Duration::from_secs(30);
/// How long the second page must live on after the first one was ended:
/// four of WebKit's checks under [`KILLING`].
const LIVES_ON: Duration = Duration::from_secs(2);

#[test]
fn a_context_made_without_settings_gets_the_installed_ones() -> Result<(), Fail> {
    match std::env::var_os(INSIDE) {
        Some(marker) => inside(Path::new(&marker)),
        None => rerun::on_own_display(TEST, INSIDE),
    }
}

/// On the display, on GTK's thread.
fn inside(marker: &Path) -> Result<(), Fail> {
    gtk::init()?;
    assert!(
        memory_pressure::install(KILLING),
        "the constructor is wrapped"
    );
    let before = memory_pressure::given();

    let plain = WebContext::builder().build();
    assert_eq!(memory_pressure::given(), before + 1, "made as wry makes it");
    let mut own = MemoryPressureSettings::new();
    own.set_memory_limit(100_000);
    let chosen = WebContext::builder().memory_pressure_settings(&own).build();
    assert_eq!(
        memory_pressure::given(),
        before + 1,
        "its own settings kept"
    );

    let plain = Page::open(&plain);
    let chosen = Page::open(&chosen);
    let main = gtk::glib::MainContext::default();
    let run_until = |done: &dyn Fn() -> bool, deadline: Instant| {
        while !done() && Instant::now() < deadline {
            main.iteration(false);
            std::thread::sleep(Duration::from_millis(5));
        }
    };
    run_until(
        &|| plain.ended.get().is_some() && chosen.loaded.get(),
        Instant::now() + WAIT,
    );
    run_until(&|| false, Instant::now() + LIVES_ON);
    assert_eq!(
        plain.ended.get(),
        Some(WebProcessTerminationReason::ExceededMemoryLimit),
        "the installed settings reached the web process of a context made without any"
    );
    assert!(chosen.loaded.get(), "the other page loaded");
    assert_eq!(
        chosen.ended.get(),
        None,
        "a context given settings of its own keeps them"
    );
    std::fs::write(marker, "done")?;
    // Every check passed. End the run now: when this thread (GTK's) exits,
    // WebKit's thread-exit teardown can wait forever on its run loop
    // (seen once, a hung run); the outer run needs only the marker and
    // this run's status.
    std::process::exit(0);
}

/// A view of one context, showing a small page, and what became of it.
struct Page {
    _view: WebView,
    loaded: Rc<Cell<bool>>,
    ended: Rc<Cell<Option<WebProcessTerminationReason>>>,
}

impl Page {
    fn open(context: &WebContext) -> Page {
        let view = WebView::with_context(context);
        let loaded = Rc::new(Cell::new(false));
        let ended = Rc::new(Cell::new(None));
        let on_load = loaded.clone();
        view.connect_load_changed(move |_, event| {
            if event == LoadEvent::Finished {
                on_load.set(true);
            }
        });
        let on_end = ended.clone();
        view.connect_web_process_terminated(move |_, reason| on_end.set(Some(reason)));
        view.load_html("<p>An agent's page, in miniature.</p>", None);
        Page {
            _view: view,
            loaded,
            ended,
        }
    }
}
