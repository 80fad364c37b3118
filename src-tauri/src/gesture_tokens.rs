//! WebKitGTK's user-gesture tokens, which its UI process (the app's own
//! process) would otherwise keep for as long as the app runs (Linux).
//!
//! Before it sends the web process a key event, or a mouse press or
//! release, WebKit's UI process records the event's authorization token
//! in a table of the page's (`WebProcessProxy::
//! recordUserGestureAuthorizationToken`; WebKitGTK 2.50 here): one
//! entry of ~48 bytes, plus its slot, for every key an agent presses and
//! releases and for every click. Nothing takes an entry out again, except
//! one thing: when the page asks for a new window during a gesture, and the
//! feature `VerifyWindowOpenUserGestureFromUIProcess` is on, WebKit checks
//! the gesture's token against the table and, finding it, drops the page's
//! whole table (`WebProcessProxy::consumeIfNotVerifiablyFromUIProcess`).
//! The feature is off by default, so the table grew ~330 bytes a key for
//! the whole shift (docs/benchmarks-journal.md, "The driven hour's growth").
//!
//! So the app turns the feature on for each of its views ([`verify`]), and
//! the page, every so many key presses and clicks, asks for a window within
//! the gesture (`ui/src/banner/gestureTokens.ts`). The app opens no window:
//! it gives WebKit no handler for new windows, and WebKit's own answer is
//! none.
//! The page asks only when [`verified`] says the feature is on.
//!
//! The feature API came with WebKitGTK 2.42, newer than the oldest
//! WebKitGTK the app builds against, so its functions are looked up when
//! the app runs; an older WebKit keeps its default and the page never asks.
//! That lookup and the calls are why this module allows `unsafe`.
//!
//! `BANNER_GESTURE_TOKENS=keep` leaves the feature off, and WebKit keeping
//! its record, as before (the benchmark's comparison; a way out should a
//! WebKit release mind the refused windows).

#![allow(unsafe_code)]

use std::ffi::{CStr, c_char, c_int, c_void};
use std::sync::atomic::{AtomicBool, Ordering};

use webkit2gtk::glib::translate::ToGlibPtr;

/// The WebKit feature that makes WebKit check a window request's gesture
/// in the UI process, and drop the page's tokens when it can.
pub const FEATURE: &CStr = c"VerifyWindowOpenUserGestureFromUIProcess";

/// The variable that leaves WebKit's default (`keep`).
pub const VARIABLE: &str = "BANNER_GESTURE_TOKENS";

/// Whether the feature was turned on for a view (see [`verified`]).
static VERIFIED: AtomicBool = AtomicBool::new(false);

/// Whether the feature is on for the app's views: the page asks for its
/// windows only then.
pub fn verified() -> bool {
    VERIFIED.load(Ordering::Relaxed)
}

/// Turns the feature on in `settings`; whether it is on. False when this
/// WebKitGTK has no feature API (before 2.42) or no such feature.
pub fn verify(settings: &webkit2gtk::Settings) -> bool {
    if std::env::var(VARIABLE).is_ok_and(|value| value == "keep") {
        return false;
    }
    let on = with_feature(settings, |api, settings, feature| {
        // SAFETY: as `with_feature` hands them over, for this call.
        unsafe {
            (api.set_enabled)(settings, feature, 1);
            (api.enabled)(settings, feature) != 0
        }
    });
    if on == Some(true) {
        VERIFIED.store(true, Ordering::Relaxed);
        return true;
    }
    tracing::info!(
        "WebKitGTK did not turn {FEATURE:?} on (no feature API before 2.42, or no such \
         feature): its gesture tokens stay for the session"
    );
    false
}

/// Whether the feature is on in `settings`; `None` without it.
pub fn is_on(settings: &webkit2gtk::Settings) -> Option<bool> {
    // SAFETY: as `with_feature` hands them over, for this call.
    with_feature(settings, |api, settings, feature| unsafe {
        (api.enabled)(settings, feature) != 0
    })
}

/// Runs `f` with the API, `settings` and the feature; `None` when this
/// WebKitGTK has no feature API or no such feature. The pointers are
/// valid for the call only.
fn with_feature<T>(
    settings: &webkit2gtk::Settings,
    f: impl FnOnce(&FeatureApi, *mut c_void, *mut c_void) -> T,
) -> Option<T> {
    let api = FeatureApi::find()?;
    let settings: *mut webkit2gtk::ffi::WebKitSettings = settings.to_glib_none().0;
    let settings = settings.cast::<c_void>();
    // SAFETY: the functions have the signatures WebKitGTK declares
    // (`webkit/WebKitFeature.h`, `WebKitSettings.h`); the list is ours to
    // free and is freed once, after its last use; each feature is borrowed
    // from the list and used only before the list is freed; `settings` is
    // a live WebKitSettings borrowed for the call.
    unsafe {
        let list = (api.all_features)();
        if list.is_null() {
            return None;
        }
        let mut answer = None;
        for index in 0..(api.length)(list) {
            let feature = (api.get)(list, index);
            let identifier = (api.identifier)(feature);
            if !identifier.is_null() && CStr::from_ptr(identifier) == FEATURE {
                answer = Some(f(&api, settings, feature));
                break;
            }
        }
        (api.unref)(list);
        answer
    }
}

/// The functions of WebKitGTK's feature API this module uses.
struct FeatureApi {
    all_features: unsafe extern "C" fn() -> *mut c_void,
    length: unsafe extern "C" fn(*mut c_void) -> usize,
    get: unsafe extern "C" fn(*mut c_void, usize) -> *mut c_void,
    identifier: unsafe extern "C" fn(*mut c_void) -> *const c_char,
    set_enabled: unsafe extern "C" fn(*mut c_void, *mut c_void, c_int),
    enabled: unsafe extern "C" fn(*mut c_void, *mut c_void) -> c_int,
    unref: unsafe extern "C" fn(*mut c_void),
}

impl FeatureApi {
    /// The functions, from the WebKitGTK the app runs with; `None` when any
    /// is missing.
    fn find() -> Option<Self> {
        /// The address of the loaded function named `name`, as `F`.
        ///
        /// SAFETY (for the caller): `F` must be the function's type.
        unsafe fn symbol<F: Copy>(name: &CStr) -> Option<F> {
            // SAFETY: dlsym reads a NUL-terminated name; RTLD_DEFAULT
            // searches every object loaded, WebKitGTK among them.
            let address = unsafe { libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr()) };
            // SAFETY: a function pointer and `*mut c_void` have one size
            // and representation on the platforms GTK runs on; the caller
            // names the function's type.
            (!address.is_null()).then(|| unsafe { std::mem::transmute_copy(&address) })
        }
        // SAFETY: each type below is the C declaration of the function named.
        unsafe {
            Some(Self {
                all_features: symbol(c"webkit_settings_get_all_features")?,
                length: symbol(c"webkit_feature_list_get_length")?,
                get: symbol(c"webkit_feature_list_get")?,
                identifier: symbol(c"webkit_feature_get_identifier")?,
                set_enabled: symbol(c"webkit_settings_set_feature_enabled")?,
                enabled: symbol(c"webkit_settings_get_feature_enabled")?,
                unref: symbol(c"webkit_feature_list_unref")?,
            })
        }
    }
}
