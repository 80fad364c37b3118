//! Identifiers, sequence numbers and times: plain JSON numbers.
//!
//! Every number on the wire stays at or below [`MAX_SAFE_INTEGER`] (2^53 − 1),
//! the largest integer a JavaScript `number` holds exactly, so the generated
//! TypeScript types say `number` and a browser never rounds an id. Conversations
//! and attachments are numbered by the store one after another from 1, so the
//! bound costs nothing in practice; the parser refuses a larger conversation or
//! attachment id rather than letting a client and the server disagree about it.
//! Numbers were chosen over strings so that ids read the same in JSON, SQL and
//! logs, and compare and sort as numbers in every language.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer};
use serde::{Serialize, Serializer};
use ts_rs::TS;

use crate::limits::MAX_SAFE_INTEGER;

/// Milliseconds since the Unix epoch, UTC.
pub type UnixMillis = u64;

/// A position in one conversation's event log: 1, 2, 3… without gaps in the log
/// itself (a visitor sees only some events, so a visitor may see gaps).
pub type Seq = u64;

macro_rules! small_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash,
            Serialize, serde::Deserialize, TS,
        )]
        pub struct $name(pub u32);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

macro_rules! large_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, TS)]
        pub struct $name(pub u64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_u64(self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let n = u64::deserialize(deserializer)?;
                if n > MAX_SAFE_INTEGER {
                    return Err(de::Error::custom(format!(
                        concat!("a ", $what, " id is at most {} (2^53 - 1); got {}"),
                        MAX_SAFE_INTEGER, n
                    )));
                }
                Ok($name(n))
            }
        }
    };
}

large_id!(
    /// A conversation: one visitor's thread.
    ConversationId,
    "conversation"
);
large_id!(
    /// An uploaded attachment.
    AttachmentId,
    "attachment"
);
small_id!(
    /// An agent (or supervisor, or admin): a user of the Banner.
    AgentId
);
small_id!(
    /// A queue where qualified chats wait.
    QueueId
);
small_id!(
    /// A smart routing flow.
    FlowId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_bare_numbers_in_json() {
        let json = serde_json::to_string(&(ConversationId(7), AgentId(3))).unwrap();
        assert_eq!(json, "[7,3]");
    }

    #[test]
    fn an_id_beyond_javascripts_exact_range_is_refused() {
        let ok: ConversationId = serde_json::from_str("9007199254740991").unwrap();
        assert_eq!(ok, ConversationId(MAX_SAFE_INTEGER));
        let err = serde_json::from_str::<AttachmentId>("9007199254740992").unwrap_err();
        assert!(err.to_string().contains("2^53 - 1"), "{err}");
        assert!(serde_json::from_str::<ConversationId>("-1").is_err());
        assert!(serde_json::from_str::<ConversationId>("\"7\"").is_err());
    }
}
