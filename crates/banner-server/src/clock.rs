//! The shell's clock: the only place the server reads the time of day. Every
//! other module is handed the time, as banner-core is.

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch.
pub fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Now on banner-core's clock (which the server sets to the Unix epoch).
pub fn now_time() -> banner_core::Time {
    banner_core::Time::from_millis(now_millis())
}

/// Now in the store's unit.
pub fn now_store() -> i64 {
    i64::try_from(now_millis()).unwrap_or(i64::MAX)
}

/// A store time as wire time (negative times, which the server never writes, become 0).
pub fn store_to_wire(t: i64) -> u64 {
    u64::try_from(t).unwrap_or(0)
}

/// A wire time as a store time.
pub fn wire_to_store(t: u64) -> i64 {
    i64::try_from(t).unwrap_or(i64::MAX)
}
