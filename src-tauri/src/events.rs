//! The events the app emits to its windows, by name and payload: the link's
//! state as `banner:link`, and a clicked notification as `banner:focus`.
//! `ui/src/banner/backend/tauri.ts` listens to them under the same names.
//! The frames themselves are not events: each page asks for its own
//! (`frames.rs`).

use banner_client::Link;
use banner_proto::ConversationId;
use serde::Serialize;

/// Each change of the socket's state: a [`LinkPayload`].
pub const LINK_EVENT: &str = "banner:link";
/// A notification was clicked: a [`FocusPayload`].
pub const FOCUS_EVENT: &str = "banner:focus";

/// The link as the UI's `Link` type spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum LinkPayload {
    /// Open and welcomed.
    Up,
    /// Dropped; reconnecting.
    Down {
        /// The WebSocket close code, when the server sent one.
        close_code: Option<u16>,
    },
    /// Closed for good: log in again.
    Closed {
        /// The WebSocket close code, when the server sent one.
        close_code: Option<u16>,
    },
}

impl From<Link> for LinkPayload {
    fn from(link: Link) -> Self {
        match link {
            Link::Up => LinkPayload::Up,
            Link::Down { close_code } => LinkPayload::Down { close_code },
            Link::Closed { close_code } => LinkPayload::Closed { close_code },
        }
    }
}

/// Which chat a clicked notification was about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct FocusPayload {
    /// The chat to show.
    pub conversation: ConversationId,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_link_is_spelled_as_the_ui_reads_it() {
        let up = serde_json::to_value(LinkPayload::from(Link::Up)).unwrap();
        assert_eq!(up, json!({"state": "up"}));
        let down = LinkPayload::from(Link::Down {
            close_code: Some(1006),
        });
        let down = serde_json::to_value(down).unwrap();
        assert_eq!(down, json!({"state": "down", "close_code": 1006}));
        let closed = serde_json::to_value(LinkPayload::from(Link::Closed { close_code: None }));
        assert_eq!(
            closed.unwrap(),
            json!({"state": "closed", "close_code": null})
        );
    }
}
