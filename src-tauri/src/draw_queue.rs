//! Keeps tao's queue of draw notices empty on Linux.
//!
//! Tauri's window library, tao, connects to each GTK window's `draw` signal
//! and queues a notice (the window's id) in an unbounded channel at every
//! draw, but its event loop takes at most one notice per turn, and only in
//! a turn some other event started: with nothing else happening, the loop
//! sleeps in GTK while the window goes on drawing. Every frame the page
//! paints is such a draw (typing, a message arriving, a countdown), so the
//! notices pile up for the life of the app: heaptrack, over 24 minutes of
//! the in-page soak (333 chats), found 1,976 of the channel's blocks
//! allocated and **none freed**, 962 KiB, the largest growth in the app's
//! process (docs/benchmarks-journal.md, "Tao's draw notices"). Upstream:
//! tauri-apps/tao#1335, not fixed in a release when this was written.
//!
//! The channel is tao's own, so the app cannot empty it; it can make the
//! loop turn as often as notices are queued. This module counts the draws
//! on each window it [`watch`]es (its handler runs beside tao's, so the
//! count follows tao's queue) and, while the count is above zero, asks the
//! loop for one more turn (a task posted from another thread, which tao
//! sees as an event). Each turn ends at [`main_events_cleared`], just
//! before tao takes one notice, which counts one off. So the app turns the
//! loop once per draw, and never when nothing draws.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use tauri::{AppHandle, Manager, Runtime, WebviewWindow};

/// Draws tao has queued and not yet taken, as counted here, and whether a
/// turn of the loop is already asked for (state given to `manage()`).
#[derive(Debug, Default)]
pub struct DrawQueue {
    pending: AtomicU64,
    asked: AtomicBool,
}

impl DrawQueue {
    /// A window drew: tao queued a notice. True when a turn is to be asked
    /// for (none is asked yet).
    fn drew(&self) -> bool {
        self.pending.fetch_add(1, Ordering::AcqRel);
        !self.asked.swap(true, Ordering::AcqRel)
    }

    /// A turn reached its end, where tao takes one notice if it has any.
    /// True when notices are left and another turn is to be asked for.
    fn turned(&self) -> bool {
        let left = self
            .pending
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                Some(n.saturating_sub(1))
            })
            .map_or(0, |before| before.saturating_sub(1));
        self.asked.store(false, Ordering::Release);
        left > 0 && !self.asked.swap(true, Ordering::AcqRel)
    }

    /// Notices queued and not yet taken.
    #[cfg(test)]
    fn pending(&self) -> u64 {
        self.pending.load(Ordering::Acquire)
    }
}

/// Counts `window`'s draws (Linux; elsewhere tao's loop is not this one).
pub fn watch<R: Runtime>(window: &WebviewWindow<R>) {
    #[cfg(target_os = "linux")]
    {
        use gtk::prelude::WidgetExt;
        let Some(queue) = window.try_state::<Arc<DrawQueue>>() else {
            return;
        };
        let queue = Arc::clone(&queue);
        let app = window.app_handle().clone();
        match window.gtk_window() {
            Ok(gtk_window) => {
                gtk_window.connect_draw(move |_, _| {
                    if queue.drew() {
                        ask_for_a_turn(&app);
                    }
                    gtk::glib::Propagation::Proceed
                });
            }
            Err(e) => tracing::warn!("no GTK window to count draws on: {e}"),
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}

/// The loop's turn ended (`RunEvent::MainEventsCleared`): tao is about to
/// take one notice.
pub fn main_events_cleared<R: Runtime>(app: &AppHandle<R>) {
    let Some(queue) = app.try_state::<Arc<DrawQueue>>() else {
        return;
    };
    if queue.turned() {
        ask_for_a_turn(app);
    }
}

/// One more turn of the loop: a task posted from a runtime thread (posted
/// from the main thread, Tauri would run it at once, with no turn).
fn ask_for_a_turn<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        if let Err(e) = app.run_on_main_thread(|| {}) {
            tracing::debug!("no turn of the loop: {e}");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_turn_is_asked_for_at_a_time_until_every_draw_is_taken() {
        let queue = DrawQueue::default();
        // Three draws in a row: one turn asked for.
        assert!(queue.drew());
        assert!(!queue.drew());
        assert!(!queue.drew());
        assert_eq!(queue.pending(), 3);
        // Each turn takes one and asks for the next while any is left.
        assert!(queue.turned());
        assert!(queue.turned());
        assert!(!queue.turned(), "the last one taken: no more turns");
        assert_eq!(queue.pending(), 0);
        // Turns that other events start take nothing from an empty queue.
        assert!(!queue.turned());
        assert_eq!(queue.pending(), 0);
        // A draw after that asks again.
        assert!(queue.drew());
    }

    #[test]
    fn a_draw_while_a_turn_is_asked_for_waits_for_that_turn() {
        let queue = DrawQueue::default();
        assert!(queue.drew());
        assert!(!queue.drew(), "a turn is already asked for");
        assert!(queue.turned(), "one left: the next turn");
        assert!(!queue.turned());
    }
}
