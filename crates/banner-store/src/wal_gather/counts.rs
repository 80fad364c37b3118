//! The writes SQLite asked for and those that reached the file, per thread
//! (SQLite runs a connection's calls on the caller's thread), for the tests.

use std::cell::Cell;

thread_local! {
    static ASKED: Cell<u64> = const { Cell::new(0) };
    static INNER: Cell<u64> = const { Cell::new(0) };
}

pub(super) fn asked_write() {
    ASKED.with(|c| c.set(c.get() + 1));
}

pub(super) fn inner_write() {
    INNER.with(|c| c.set(c.get() + 1));
}

/// (asked, written) on this thread so far.
pub(crate) fn get() -> (u64, u64) {
    (ASKED.with(Cell::get), INNER.with(Cell::get))
}
