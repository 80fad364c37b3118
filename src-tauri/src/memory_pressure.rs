//! How much memory the web process may hold before WebKit gives some back
//! (Linux).
//!
//! WebKitGTK measures each web process's own memory (the private dirty
//! pages of its anonymous mappings) once per poll interval and, above a
//! fraction of a limit, releases some: above the *conservative* threshold
//! its caches (fonts, glyphs, selectors, line layouts, style sheets, dead
//! resources); above the *strict* one also its live resources' decoded
//! data, its compiled JavaScript, a garbage collection, and the free pages
//! of its allocator, given back to the system. By default the limit is the
//! machine's RAM, at most 3 GB, and the thresholds a third and a half of
//! it: the agent's page, ~30 MB of its own in WebKit's count with 10 chats
//! open, never gets near them, so over a shift nothing is given back, and
//! the web process grew by ~0.5 MiB a minute in the soak
//! (docs/benchmarks-journal.md).
//!
//! [`DEFAULT`] sets a limit of 80 MB: the caches are trimmed at every poll
//! (the conservative threshold, 8 MB, is always passed), and the strict
//! release runs whenever the page's own memory passes 40 MB, ~10 MB above
//! its working set, so that garbage and freed pages cannot pile up past
//! that. No setting kills the process. `BANNER_WEB_MEMORY_MB` sets another
//! limit (the thresholds stay the same fractions of it), and `0` keeps
//! WebKit's defaults ([`from_environment`]).
//!
//! WebKitGTK takes these settings only while a web context is being
//! constructed (`memory-pressure-settings` is construct-only), and under
//! Tauri it is wry that constructs the context, with no way to pass them.
//! So [`install`], called before Tauri starts, wraps the context class's
//! GObject `constructor`: a context constructed without settings gets the
//! installed ones; one given settings keeps them. This is the crate's only
//! reach into a library's class, and it is small on purpose: GObject calls
//! `constructor` with every construct property and its value, and the
//! wrapper only swaps the value of that one.

#![allow(unsafe_code)]

use std::ffi::{CStr, c_uint};
use std::ptr::NonNull;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use webkit2gtk::ffi::{self as webkit, WebKitMemoryPressureSettings};
use webkit2gtk::glib::gobject_ffi;

/// What the web process may hold, in the terms of WebKit's settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    /// The limit the thresholds are fractions of, in WebKit's MB (MiB).
    pub limit_mb: u32,
    /// From this fraction of the limit, each poll releases the caches.
    pub conservative: f64,
    /// From this fraction, each poll also drops live resources' decoded
    /// data and compiled code, collects garbage and gives the allocator's
    /// free pages back.
    pub strict: f64,
    /// From this fraction, WebKit kills the web process if releasing did
    /// not bring it below (`0`: never, the app's choice: a killed page
    /// loses what the agent was typing).
    pub kill: f64,
    /// Seconds between two measurements.
    pub poll_seconds: f64,
}

/// A limit of 80 MB: trimmed caches at every poll (8 MB), the strict
/// release from 40 MB of the page's own memory, never killed. The poll is
/// WebKit's default.
pub const DEFAULT: Settings = Settings {
    limit_mb: 80,
    conservative: 0.1,
    strict: 0.5,
    kill: 0.0,
    poll_seconds: 30.0,
};

/// The variable that sets another limit, in MB (`0`: WebKit's defaults).
pub const VARIABLE: &str = "BANNER_WEB_MEMORY_MB";

/// The settings the environment asks for: [`DEFAULT`], another limit from
/// [`VARIABLE`], or `None` (`0`) for WebKit's own. A value that is not a
/// number is reported and [`DEFAULT`] used.
pub fn from_environment() -> Option<Settings> {
    parse(std::env::var(VARIABLE).ok().as_deref())
}

/// The settings [`VARIABLE`]'s value asks for (see [`from_environment`]).
fn parse(value: Option<&str>) -> Option<Settings> {
    let Some(text) = value else {
        return Some(DEFAULT);
    };
    match text.trim().parse::<u32>() {
        Ok(0) => None,
        Ok(limit_mb) => Some(Settings {
            limit_mb,
            ..DEFAULT
        }),
        Err(_) => {
            tracing::warn!(
                "{VARIABLE}={text:?} is not a number of MB; the limit stays {} MB",
                DEFAULT.limit_mb
            );
            Some(DEFAULT)
        }
    }
}

/// The context property WebKitGTK reads the settings from.
const PROPERTY: &CStr = c"memory-pressure-settings";

type Constructor = unsafe extern "C" fn(
    webkit2gtk::glib::ffi::GType,
    c_uint,
    *mut gobject_ffi::GObjectConstructParam,
) -> *mut gobject_ffi::GObject;

/// The context class's own constructor, which the wrapper calls.
static CHAINED: OnceLock<Constructor> = OnceLock::new();

/// The settings the wrapper gives.
static INSTALLED: OnceLock<Settings> = OnceLock::new();

/// How many contexts were given the installed settings (for the tests).
static GIVEN: AtomicUsize = AtomicUsize::new(0);

/// Wraps the web context class's constructor so that every context made
/// from now on without settings gets `settings`; whether it did. Call it
/// on the main thread before any web context exists (contexts made before
/// keep WebKit's defaults); calling it again changes nothing (the first
/// settings stay, and it answers false).
pub fn install(settings: Settings) -> bool {
    if INSTALLED.set(settings).is_err() {
        return false;
    }
    // SAFETY: `g_type_class_ref` returns the class of a registered GObject
    // type, which starts with a `GObjectClass`; the reference is never
    // given back, so the class outlives every use. GObject reads
    // `constructor` only while constructing an instance, on the thread that
    // constructs it (the main thread, for WebKit's contexts), and nothing
    // constructs a context before `install` returns: Tauri has not started.
    unsafe {
        let type_ = webkit::webkit_web_context_get_type();
        let class = gobject_ffi::g_type_class_ref(type_).cast::<gobject_ffi::GObjectClass>();
        let Some(original) = (*class).constructor else {
            tracing::warn!(
                "WebKit's context class has no constructor to wrap: WebKit's memory settings stay"
            );
            return false;
        };
        if CHAINED.set(original).is_err() {
            return false;
        }
        (*class).constructor = Some(construct);
    }
    true
}

/// How many contexts were given the installed settings so far.
pub fn given() -> usize {
    GIVEN.load(Ordering::Relaxed)
}

/// The wrapper: when the settings property came without a value, passes
/// the installed settings in its place, then constructs as the class would.
///
/// It calls only GObject's and WebKit's C functions (no GTK wrapper, which
/// would insist on GTK being initialised). Its two `expect`s cannot fail:
/// `install` keeps the original before it wraps, and WebKit's `_new`
/// allocates or aborts.
unsafe extern "C" fn construct(
    type_: webkit2gtk::glib::ffi::GType,
    count: c_uint,
    params: *mut gobject_ffi::GObjectConstructParam,
) -> *mut gobject_ffi::GObject {
    let chained = *CHAINED
        .get()
        .expect("the constructor is wrapped only after the original is kept");
    if count == 0 || params.is_null() {
        return unsafe { chained(type_, count, params) };
    }
    // SAFETY: GObject passes `count` valid parameters, each a property spec
    // and a value initialised to that property's type.
    let given = unsafe { std::slice::from_raw_parts(params, count as usize) };
    let slot = given.iter().position(|param| unsafe { unset(param) });
    let (Some(slot), Some(settings)) = (slot, INSTALLED.get()) else {
        return unsafe { chained(type_, count, params) };
    };
    let boxed = Boxed::new(*settings);
    let mut ours = given.to_vec();
    // SAFETY: a zeroed GValue is the unset value `g_value_init` expects; it
    // holds its own copy of the settings and lives on this frame until the
    // class's constructor, which copies them again, has returned.
    unsafe {
        let mut value: gobject_ffi::GValue = std::mem::zeroed();
        gobject_ffi::g_value_init(
            &mut value,
            webkit::webkit_memory_pressure_settings_get_type(),
        );
        gobject_ffi::g_value_set_boxed(&mut value, boxed.0.as_ptr().cast());
        ours[slot].value = &mut value;
        let object = chained(type_, count, ours.as_mut_ptr());
        gobject_ffi::g_value_unset(&mut value);
        GIVEN.fetch_add(1, Ordering::Relaxed);
        object
    }
}

/// Whether `param` is the settings property, passed with no settings.
///
/// # Safety
/// `param` holds a valid property spec and a value of its type.
unsafe fn unset(param: &gobject_ffi::GObjectConstructParam) -> bool {
    unsafe {
        CStr::from_ptr((*param.pspec).name) == PROPERTY
            && gobject_ffi::g_value_get_boxed(param.value).is_null()
    }
}

/// WebKitGTK's boxed settings, owned (freed on drop).
struct Boxed(NonNull<WebKitMemoryPressureSettings>);

impl Boxed {
    /// `settings` in WebKit's terms. WebKit refuses a value out of range or
    /// out of order with a warning and keeps the one before (the tests read
    /// them back).
    fn new(settings: Settings) -> Self {
        // SAFETY: `_new` returns a settings object this value owns; the
        // setters take it and plain numbers.
        unsafe {
            let raw = NonNull::new(webkit::webkit_memory_pressure_settings_new())
                .expect("WebKit made no memory-pressure settings");
            let p = raw.as_ptr();
            webkit::webkit_memory_pressure_settings_set_memory_limit(p, settings.limit_mb);
            // WebKit checks each threshold against the others in force
            // (conservative < strict < kill): strict first holds for any
            // strict above WebKit's own conservative default, 0.33, as
            // every setting here is.
            webkit::webkit_memory_pressure_settings_set_strict_threshold(p, settings.strict);
            webkit::webkit_memory_pressure_settings_set_conservative_threshold(
                p,
                settings.conservative,
            );
            webkit::webkit_memory_pressure_settings_set_kill_threshold(p, settings.kill);
            webkit::webkit_memory_pressure_settings_set_poll_interval(p, settings.poll_seconds);
            Boxed(raw)
        }
    }
}

impl Drop for Boxed {
    fn drop(&mut self) {
        // SAFETY: owned since `new`, freed once.
        unsafe { webkit::webkit_memory_pressure_settings_free(self.0.as_ptr()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webkit_takes_the_settings_as_they_are() {
        let boxed = Boxed::new(DEFAULT);
        let p = boxed.0.as_ptr();
        // SAFETY: `p` is alive until `boxed` drops.
        unsafe {
            assert_eq!(
                webkit::webkit_memory_pressure_settings_get_memory_limit(p),
                DEFAULT.limit_mb
            );
            assert_eq!(
                webkit::webkit_memory_pressure_settings_get_conservative_threshold(p),
                DEFAULT.conservative
            );
            assert_eq!(
                webkit::webkit_memory_pressure_settings_get_strict_threshold(p),
                DEFAULT.strict
            );
            assert_eq!(
                webkit::webkit_memory_pressure_settings_get_poll_interval(p),
                DEFAULT.poll_seconds
            );
            assert_eq!(
                webkit::webkit_memory_pressure_settings_get_kill_threshold(p),
                DEFAULT.kill
            );
        }
    }

    #[test]
    fn the_variable_sets_the_limit_or_keeps_webkits_own() {
        assert_eq!(parse(None), Some(DEFAULT));
        assert_eq!(
            parse(Some(" 250 ")),
            Some(Settings {
                limit_mb: 250,
                ..DEFAULT
            })
        );
        assert_eq!(parse(Some("0")), None, "WebKit's own settings");
        assert_eq!(
            parse(Some("lots")),
            Some(DEFAULT),
            "garbage keeps the default"
        );
        assert_eq!(parse(Some("-5")), Some(DEFAULT), "so does a negative limit");
    }
}
