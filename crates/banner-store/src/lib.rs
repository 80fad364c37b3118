//! Banner's persistence: the [`Store`] trait and its SQLite backend.
//!
//! The store knows conversations, their event logs, users, sessions, attachment
//! metadata and a few settings. It is agnostic about what events mean: the
//! server maps each domain event to a `kind` and a JSON `body`. It never reads
//! a clock; every time is passed in as [`UnixMillis`].
//!
//! # Guarantees
//!
//! - An acknowledged write is committed with `synchronous=FULL`: it survives a
//!   crash or power loss.
//! - Each conversation's log numbers its events 1, 2, 3… with no gaps.
//! - An append retried with the same `client_id` is answered with the original
//!   event and never stored twice; a different body under that id is a
//!   [`StoreError::Conflict`].
//!
//! # Layout
//!
//! - [`store`]: the [`Store`] trait, what every backend offers.
//! - [`sqlite`]: [`SqliteStore`], which wires the pieces below together.
//! - `connection`: opening SQLite connections with WAL, `synchronous=FULL`,
//!   foreign keys and a busy timeout.
//! - [`migrations`]: the ordered schema steps, tracked in `PRAGMA user_version`.
//! - `writer`: the single writer thread and its group commit (one transaction
//!   per batch, one savepoint per command, replies after the commit).
//! - `upkeep`: work the writer does in one go between batches (the search
//!   index).
//! - `readers`: the read pool beside the writer.
//! - `checkpointer`: the thread that copies the WAL into the file, off the
//!   writer's commits.
//! - `wal_gather`: the writer's VFS, which sends each commit's WAL frames to
//!   the file in a few writes instead of two per page.
//! - [`group`]: one group commit's conversations, events and settings in
//!   one transaction.
//! - [`conversations`], [`events`], [`search`], [`users`], [`sessions`],
//!   [`attachments`], [`settings`]: one table family each, its types and SQL.
//! - [`error`]: [`StoreError`]. [`ids`]: identifiers and [`UnixMillis`].

pub mod attachments;
mod checkpointer;
mod connection;
pub mod conversations;
pub mod error;
pub mod events;
pub mod group;
pub mod ids;
pub mod migrations;
mod readers;
pub mod search;
pub mod sessions;
pub mod settings;
pub mod sqlite;
pub mod store;
mod upkeep;
pub mod users;
mod wal_gather;
mod writer;

pub use attachments::{Attachment, NewAttachment};
pub use conversations::{Conversation, NewConversation};
pub use error::{Result, StoreError};
pub use events::{AppendEvent, Appended, StoredEvent};
pub use group::{SettingPut, WriteGroup};
pub use ids::{AttachmentId, ConversationId, UnixMillis, UserId};
pub use search::{SearchHit, SearchQuery};
pub use sessions::{NewSession, Session, SessionSubject};
pub use sqlite::{SqliteOptions, SqliteStore};
pub use store::Store;
pub use users::{NewUser, User, UserUpdate};
pub use writer::StoreStats;
