//! Identifiers the store allocates, and the unit of time it is handed.

use std::fmt;

/// A point in time as Unix milliseconds. The store never reads a clock: every
/// timestamp, and every "now" used to judge expiry, is passed in by the caller.
pub type UnixMillis = i64;

macro_rules! row_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

row_id!(
    /// A conversation, allocated by the store; never reused, even after a restart.
    ConversationId
);
row_id!(
    /// A user (agent, supervisor, admin), allocated by the store.
    UserId
);
row_id!(
    /// An attachment's metadata row, allocated by the store.
    AttachmentId
);
