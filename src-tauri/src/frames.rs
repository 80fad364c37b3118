//! The frames each page reads, queued here until the page asks for them
//! (`next_frames`), instead of sent to it as Tauri events.
//!
//! Why: on Linux, Tauri delivers an event by running a script in every page
//! that listens, with the payload written into the script's text, so
//! WebKit's web process parsed and compiled a new program for every frame —
//! each message, receipt and typing change, and the whole pool at each of
//! its changes. An answer to a command comes back as the body of Tauri's IPC
//! protocol instead (`ipc:`, allowed by the CSP), which the page reads as
//! JSON. So each page asks in a loop: "the frames after number N", and the
//! answer comes as soon as there are any.
//!
//! Each page has its own queue ([`Page`]): the main window gets every frame,
//! the popup the few it reads ([`crate::popup::for_popup`]). A queue keeps
//! frames only while its page reads (from its first ask on), and only those
//! the page has not confirmed: asking for the frames after N confirms every
//! frame up to N. A page that stops asking (closed, reloading) holds at most
//! [`KEPT`] frames; a reloaded page starts again from "now", as a newly
//! loaded one, and fetches its state (pool, chats) as it always does.
//!
//! A page's first ask is answered with the session's last `welcome` (who is
//! logged in, the server's clock), kept from when it was pushed whether or
//! not the page read then: the popup's page is made after the login, and a
//! reloaded page would otherwise count its countdowns on its own clock
//! until the next reconnect. [`Frames::forget_welcome`] drops it when the
//! session ends.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use banner_proto::AgentFrame;
use serde::Serialize;
use tokio::sync::watch;

/// The most frames one answer carries.
const BATCH: usize = 256;

/// The most frames a queue keeps for a page that does not ask; past it the
/// oldest go.
pub const KEPT: usize = 10_000;

/// How long an ask waits for a frame before it answers with none (the page
/// asks again). A page that went away while it waited then leaves no task
/// behind for longer than this.
const WAIT: Duration = Duration::from_secs(20);

/// Which page's queue (the asking window's, see `commands::next_frames`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    /// The main window: every frame.
    Main,
    /// The incoming popup: `welcome`, and `pool_changed` with only the offers.
    Popup,
}

/// What an ask answers: the frames after the number asked for, in order, and
/// the number of the last one (or, with none, the last number so far), which
/// the page asks after next.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FrameBatch {
    /// The number to ask after next.
    pub last: u64,
    /// The frames, oldest first.
    pub frames: Vec<AgentFrame>,
}

/// Both pages' queues (state given to `manage()`).
#[derive(Debug, Default)]
pub struct Frames {
    main: Queue,
    popup: Queue,
}

impl Frames {
    /// Queues `frame` for `page`, if that page reads.
    pub fn push(&self, page: Page, frame: AgentFrame) {
        self.queue(page).push(frame);
    }

    /// The session ended: a page that starts now gets no `welcome`.
    pub fn forget_welcome(&self) {
        self.main.lock().welcome = None;
        self.popup.lock().welcome = None;
    }

    /// The frames for `page` after `after`, waiting up to [`WAIT`] for one;
    /// `None`: from now on (the page's first ask).
    pub async fn next(&self, page: Page, after: Option<u64>) -> FrameBatch {
        self.queue(page).next(after, WAIT).await
    }

    fn queue(&self, page: Page) -> &Queue {
        match page {
            Page::Main => &self.main,
            Page::Popup => &self.popup,
        }
    }
}

/// One page's frames, numbered from 1.
#[derive(Debug)]
struct Queue {
    inner: Mutex<Inner>,
    /// The number of the last frame pushed; an ask waits on it.
    pushed: watch::Sender<u64>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Whether the page has asked yet: frames before that are not kept.
    reading: bool,
    /// The last number given.
    last: u64,
    /// Frames not yet confirmed, with their numbers, oldest first.
    frames: VecDeque<(u64, AgentFrame)>,
    /// The last `welcome` pushed, for the page's first ask.
    welcome: Option<AgentFrame>,
}

impl Default for Queue {
    fn default() -> Self {
        Self {
            inner: Mutex::default(),
            pushed: watch::Sender::new(0),
        }
    }
}

impl Queue {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves plain data; keep going.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn push(&self, frame: AgentFrame) {
        let last = {
            let mut inner = self.lock();
            if matches!(frame, AgentFrame::Welcome(_)) {
                inner.welcome = Some(frame.clone());
            }
            if !inner.reading {
                return;
            }
            inner.last += 1;
            let number = inner.last;
            inner.frames.push_back((number, frame));
            if inner.frames.len() > KEPT {
                inner.frames.pop_front();
            }
            number
        };
        self.pushed.send_replace(last);
    }

    async fn next(&self, after: Option<u64>, wait: Duration) -> FrameBatch {
        let Some(after) = after else {
            let mut inner = self.lock();
            inner.reading = true;
            inner.frames.clear();
            return FrameBatch {
                last: inner.last,
                frames: inner.welcome.iter().cloned().collect(),
            };
        };
        // Subscribed before looking, so a push in between still wakes it.
        let mut pushed = self.pushed.subscribe();
        if let Some(batch) = self.take(after) {
            return batch;
        }
        let _ = tokio::time::timeout(wait, pushed.wait_for(|&last| last > after)).await;
        self.take(after).unwrap_or_else(|| FrameBatch {
            last: after.min(self.lock().last),
            frames: Vec::new(),
        })
    }

    /// Confirms every frame up to `after` and takes the next ones, if any.
    fn take(&self, after: u64) -> Option<FrameBatch> {
        let mut inner = self.lock();
        inner.reading = true;
        while inner.frames.front().is_some_and(|(n, _)| *n <= after) {
            inner.frames.pop_front();
        }
        let frames: Vec<(u64, AgentFrame)> = inner.frames.iter().take(BATCH).cloned().collect();
        let last = frames.last()?.0;
        Some(FrameBatch {
            last,
            frames: frames.into_iter().map(|(_, f)| f).collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use banner_proto::{ConversationId, Participant};

    use super::*;

    /// A frame that carries its number (as its conversation).
    fn frame(n: u64) -> AgentFrame {
        AgentFrame::Typing {
            conversation: ConversationId(n),
            who: Participant::Visitor,
            on: true,
            private: false,
        }
    }

    fn numbers(batch: &FrameBatch) -> Vec<u64> {
        batch
            .frames
            .iter()
            .map(|f| match f {
                AgentFrame::Typing { conversation, .. } => conversation.0,
                _ => 0,
            })
            .collect()
    }

    #[tokio::test]
    async fn a_page_reads_every_frame_once_in_order_from_its_first_ask() {
        let frames = Frames::default();
        frames.push(Page::Main, frame(1)); // before the page reads: not kept
        let start = frames.next(Page::Main, None).await;
        assert_eq!((start.last, start.frames.len()), (0, 0));
        for n in 2..=4 {
            frames.push(Page::Main, frame(n));
        }
        let first = frames.next(Page::Main, Some(start.last)).await;
        assert_eq!(numbers(&first), [2, 3, 4]);
        // Asking after the same number again (an answer the page lost) gives
        // the same frames; asking after the last confirms them.
        let again = frames.next(Page::Main, Some(start.last)).await;
        assert_eq!(numbers(&again), [2, 3, 4]);
        frames.push(Page::Main, frame(5));
        let next = frames.next(Page::Main, Some(first.last)).await;
        assert_eq!(numbers(&next), [5]);
        assert_eq!(frames.main.lock().frames.len(), 1);
        // The popup's queue is its own.
        assert_eq!(frames.popup.lock().frames.len(), 0);
    }

    #[tokio::test]
    async fn an_ask_waits_for_the_next_frame_and_ends_empty_after_its_wait() {
        let frames = std::sync::Arc::new(Frames::default());
        let start = frames.next(Page::Popup, None).await;
        let waiting = {
            let frames = std::sync::Arc::clone(&frames);
            tokio::spawn(async move { frames.next(Page::Popup, Some(start.last)).await })
        };
        tokio::task::yield_now().await;
        frames.push(Page::Popup, frame(7));
        let woken = waiting.await.expect("the ask ends");
        assert_eq!(numbers(&woken), [7]);
        // Nothing more: an empty answer after the wait, still after 1.
        let empty = frames
            .popup
            .next(Some(woken.last), Duration::from_millis(20))
            .await;
        assert_eq!((empty.last, empty.frames.len()), (woken.last, 0));
    }

    fn welcome(server_time: u64) -> AgentFrame {
        let frame = serde_json::json!({
            "type": "welcome", "protocol": 1, "server_time": server_time,
            "expires_at": server_time + 1, "resumed": [], "refused": [],
            "agent": {
                "id": 1, "username": "ada", "name": "Ada", "profile": "agent",
                "permissions": [], "capacity": 3, "auto_accept": false,
                "preview": false, "queues": [], "monitored_queues": [],
                "presence": "available",
                "notifications": {
                    "message_arrives": true, "monitored_queue_message": true,
                    "messaging_ended": true, "participant_leaves": true,
                    "message_exits_queue": true
                }
            }
        });
        serde_json::from_value(frame).expect("a welcome")
    }

    #[tokio::test]
    async fn a_page_starts_with_the_last_welcome_until_the_session_ends() {
        let frames = Frames::default();
        // Pushed while no page reads (the login, before the popup exists).
        frames.push(Page::Popup, welcome(1_000));
        frames.push(Page::Popup, welcome(2_000));
        frames.push(Page::Popup, frame(1));
        let start = frames.next(Page::Popup, None).await;
        assert_eq!(start.frames, [welcome(2_000)]);
        assert_eq!(start.last, 0, "the welcome has no number to confirm");
        // Read as any frame once the page reads, and kept for a reload.
        frames.push(Page::Popup, welcome(3_000));
        let next = frames.next(Page::Popup, Some(start.last)).await;
        assert_eq!(next.frames, [welcome(3_000)]);
        let reload = frames.next(Page::Popup, None).await;
        assert_eq!(reload.frames, [welcome(3_000)]);
        frames.forget_welcome();
        assert!(frames.next(Page::Popup, None).await.frames.is_empty());
        assert!(frames.next(Page::Main, None).await.frames.is_empty());
    }

    #[tokio::test]
    async fn a_page_that_stops_asking_holds_at_most_the_kept_frames() {
        let frames = Frames::default();
        let start = frames.next(Page::Main, None).await;
        for n in 0..(KEPT as u64 + 5) {
            frames.push(Page::Main, frame(n));
        }
        assert_eq!(frames.main.lock().frames.len(), KEPT);
        let batch = frames.next(Page::Main, Some(start.last)).await;
        assert_eq!(batch.frames.len(), BATCH);
        assert_eq!(numbers(&batch)[0], 5, "the oldest five went");
        // A reloaded page starts from now.
        let restart = frames.next(Page::Main, None).await;
        assert_eq!(restart.last, KEPT as u64 + 5);
        assert!(frames.main.lock().frames.is_empty());
    }
}
