//! Identifiers. Numbers, not names: the server maps configured names to them, so the
//! router compares and copies machine words on its hot path.

use std::fmt;

macro_rules! id {
    ($(#[$doc:meta])* $name:ident($inner:ty), $prefix:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub $inner);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($prefix, "{}"), self.0)
            }
        }
    };
}

id!(
    /// An agent (or supervisor): a user of the Banner.
    AgentId(u32),
    "agent#"
);
id!(
    /// A queue where qualified chats wait.
    QueueId(u32),
    "queue#"
);
id!(
    /// A smart routing flow.
    FlowId(u32),
    "flow#"
);
id!(
    /// A node inside a smart routing flow.
    NodeId(u32),
    "node#"
);
id!(
    /// A conversation: one visitor's thread. Allocated by the shell (the store), so
    /// that it survives restarts.
    ConversationId(u64),
    "conversation#"
);
