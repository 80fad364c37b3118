//! The [`Store`] trait: everything the server persists, independent of the backend.
//!
//! Methods return `Send` futures so the server can await them from any task.
//! Every write is durable when its future resolves `Ok`. Implementations must
//! keep the event log's guarantees: gap-free 1-based `seq` per conversation and
//! idempotent appends by `client_id` (see [`crate::events`]).

use crate::attachments::{Attachment, NewAttachment};
use crate::conversations::{Conversation, NewConversation};
use crate::error::Result;
use crate::events::{AppendEvent, Appended, StoredEvent};
use crate::group::WriteGroup;
use crate::ids::{AttachmentId, ConversationId, UnixMillis, UserId};
use crate::search::{SearchHit, SearchQuery};
use crate::sessions::{NewSession, Session, SessionSubject};
use crate::users::{NewUser, User, UserUpdate};

/// Banner's persistence. SQLite today ([`crate::SqliteStore`]), PostgreSQL later.
///
/// The methods return `impl Future`, so the trait is used as a generic bound
/// (`S: Store`), not as `dyn Store`; a binary that picks its backend at run
/// time wraps the backends in an enum.
pub trait Store: Send + Sync + 'static {
    // --- conversations ---

    /// Creates a conversation; the store allocates its id.
    fn create_conversation(
        &self,
        new: NewConversation,
    ) -> impl Future<Output = Result<Conversation>> + Send;

    /// The lowest id no conversation ever had: where a caller that numbers
    /// the conversations of its [`WriteGroup`]s starts.
    fn next_conversation_id(&self) -> impl Future<Output = Result<ConversationId>> + Send;

    /// The conversation, or NotFound.
    fn conversation(&self, id: ConversationId)
    -> impl Future<Output = Result<Conversation>> + Send;

    /// Sets the state; `updated_at` only ever moves forward. NotFound if absent.
    fn set_conversation_state(
        &self,
        id: ConversationId,
        state: &str,
        updated_at: UnixMillis,
    ) -> impl Future<Output = Result<()>> + Send;

    /// The visitor's conversations, newest first, at most `limit`.
    fn conversations_of_visitor(
        &self,
        visitor_id: &str,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<Conversation>>> + Send;

    /// The customer's newest conversation: the thread a continuous conversation
    /// goes on in.
    fn latest_conversation_of_customer(
        &self,
        customer_id: &str,
    ) -> impl Future<Output = Result<Option<Conversation>>> + Send;

    /// Conversations in `state` with an id above `after`, oldest first, at most
    /// `limit` (page with the last id seen; start with `ConversationId(0)`).
    fn conversations_in_state(
        &self,
        state: &str,
        after: ConversationId,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<Conversation>>> + Send;

    // --- event log ---

    /// Appends an event with the conversation's next `seq`. A retry with a stored
    /// `client_id` returns the original event (`duplicate: true`) if kind and
    /// body are identical, or Conflict if not. NotFound for an unknown
    /// conversation; InvalidInput for an empty kind or a body that is not JSON
    /// (checked first: a body that is not JSON is InvalidInput whatever else
    /// is wrong).
    fn append(&self, event: AppendEvent) -> impl Future<Output = Result<Appended>> + Send;

    /// Appends several events atomically, in order: all are stored or none.
    fn append_all(
        &self,
        events: Vec<AppendEvent>,
    ) -> impl Future<Output = Result<Vec<Appended>>> + Send;

    /// Creates the group's conversations, appends its events and puts its
    /// settings in one transaction: all are stored or none. Answers the
    /// events as [`Store::append_all`] does.
    fn commit_group(&self, group: WriteGroup)
    -> impl Future<Output = Result<Vec<Appended>>> + Send;

    /// Up to `limit` events with `seq > after_seq`, in `seq` order: what a
    /// resuming client missed. NotFound for an unknown conversation.
    fn events_after(
        &self,
        id: ConversationId,
        after_seq: u64,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<StoredEvent>>> + Send;

    /// The conversation's highest `seq` (`0` for an empty log).
    fn latest_seq(&self, id: ConversationId) -> impl Future<Output = Result<u64>> + Send;

    /// Messages whose text matches every word of the query, best first. Any
    /// user text is accepted: it is never read as query syntax.
    fn search(&self, query: SearchQuery) -> impl Future<Output = Result<Vec<SearchHit>>> + Send;

    // --- users ---

    /// Creates a user; Conflict if the username is taken (ignoring ASCII case).
    fn create_user(&self, new: NewUser) -> impl Future<Output = Result<User>> + Send;

    /// The user, or NotFound.
    fn user(&self, id: UserId) -> impl Future<Output = Result<User>> + Send;

    /// The user with this username (ignoring ASCII case), or NotFound.
    fn user_by_username(&self, username: &str) -> impl Future<Output = Result<User>> + Send;

    /// Every user, by id.
    fn users(&self) -> impl Future<Output = Result<Vec<User>>> + Send;

    /// Applies the changes and returns the updated user, or NotFound.
    fn update_user(
        &self,
        id: UserId,
        update: UserUpdate,
    ) -> impl Future<Output = Result<User>> + Send;

    /// Deletes the user and their sessions, or NotFound.
    fn delete_user(&self, id: UserId) -> impl Future<Output = Result<()>> + Send;

    // --- sessions ---

    /// Stores a session under the hash of its raw token; Conflict if that token
    /// is already in use.
    fn create_session(&self, new: NewSession) -> impl Future<Output = Result<Session>> + Send;

    /// The session for a raw token, or NotFound if unknown or expired at `now`.
    fn session(&self, token: &str, now: UnixMillis)
    -> impl Future<Output = Result<Session>> + Send;

    /// Moves the expiry of a session still valid at `now`, or NotFound.
    fn extend_session(
        &self,
        token: &str,
        expires_at: UnixMillis,
        now: UnixMillis,
    ) -> impl Future<Output = Result<Session>> + Send;

    /// Deletes the session (log out); `false` if there was none.
    fn delete_session(&self, token: &str) -> impl Future<Output = Result<bool>> + Send;

    /// Deletes every session of the subject; returns how many.
    fn delete_sessions_of(
        &self,
        subject: SessionSubject,
    ) -> impl Future<Output = Result<u64>> + Send;

    /// Deletes every session expired at `now`; returns how many.
    fn purge_expired_sessions(&self, now: UnixMillis) -> impl Future<Output = Result<u64>> + Send;

    // --- attachments ---

    /// Records an attachment's metadata. NotFound for an unknown conversation,
    /// InvalidInput for an unsafe stored name.
    fn create_attachment(
        &self,
        new: NewAttachment,
    ) -> impl Future<Output = Result<Attachment>> + Send;

    /// The attachment's metadata, or NotFound.
    fn attachment(&self, id: AttachmentId) -> impl Future<Output = Result<Attachment>> + Send;

    /// The conversation's attachments, oldest first.
    fn attachments_of(
        &self,
        id: ConversationId,
    ) -> impl Future<Output = Result<Vec<Attachment>>> + Send;

    /// Deletes the metadata and returns it (so the caller can remove the file),
    /// or NotFound.
    fn delete_attachment(
        &self,
        id: AttachmentId,
    ) -> impl Future<Output = Result<Attachment>> + Send;

    // --- settings ---

    /// Sets a key, replacing its value.
    fn put_setting(
        &self,
        key: &str,
        value: &str,
        updated_at: UnixMillis,
    ) -> impl Future<Output = Result<()>> + Send;

    /// The value of a key, if set.
    fn setting(&self, key: &str) -> impl Future<Output = Result<Option<String>>> + Send;

    /// Removes a key; `false` if it was not set.
    fn delete_setting(&self, key: &str) -> impl Future<Output = Result<bool>> + Send;
}
