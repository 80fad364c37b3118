//! banner-fuzz: the bodies of Banner's fuzz targets, each a function taking
//! arbitrary bytes that must never panic, whatever the bytes.
//!
//! The cargo-fuzz project in `fuzz/` (outside the workspace, nightly) calls
//! these functions from its targets; `tests/smoke.rs` (stable, part of
//! `cargo xtask test`) feeds each a bounded number of seeded pseudo-random and
//! mutated inputs plus every file of `fuzz/regressions/`. Each target checks
//! a property on top of "does not panic" where one is cheap to state.
//!
//! # Layout
//!
//! - [`frame`]: the server's decoding of inbound WebSocket text frames.
//! - [`body`]: the server's decoding of HTTP JSON bodies.
//! - [`signature`]: the authenticated customer's signature check.
//! - [`sniff`]: the upload type sniffer.

pub mod body;
pub mod frame;
pub mod signature;
pub mod sniff;

/// A fuzz target: a name (the cargo-fuzz target's and the regressions
/// folder's) and its body.
pub struct Target {
    /// The target's name.
    pub name: &'static str,
    /// Its body.
    pub run: fn(&[u8]),
}

/// Every target, in the order the smoke test runs them.
pub const TARGETS: [Target; 4] = [
    Target {
        name: "ws_frame",
        run: frame::fuzz,
    },
    Target {
        name: "http_body",
        run: body::fuzz,
    },
    Target {
        name: "signature",
        run: signature::fuzz,
    },
    Target {
        name: "sniff",
        run: sniff::fuzz,
    },
];
