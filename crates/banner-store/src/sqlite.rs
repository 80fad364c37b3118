//! [`SqliteStore`]: the [`Store`] on one SQLite file, `banner.db` in the data dir.
//!
//! Writes go to the single writer thread (group commit, in `writer.rs`);
//! reads go to the read pool (in `readers.rs`); the WAL is copied into the
//! file beside them (`checkpointer.rs`). Dropping the store
//! finishes every write already submitted, then closes the file (a search
//! still in flight keeps the read connections open until it ends).
//!
//! Each method submits its command when called, not when its future is first
//! polled: dropping the future only drops the answer, never the write (a retry
//! with the same `client_id` then returns what was stored).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::attachments::{self, Attachment, NewAttachment};
use crate::checkpointer::{self, Checkpointer};
use crate::connection::{open_checkpointer, open_reader, open_writer};
use crate::conversations::{self, Conversation, NewConversation};
use crate::error::Result;
use crate::events::{self, AppendEvent, Appended, StoredEvent};
use crate::group::{self, WriteGroup};
use crate::ids::{AttachmentId, ConversationId, UnixMillis, UserId};
use crate::migrations;
use crate::readers::ReadPool;
use crate::search::{self, SearchHit, SearchQuery};
use crate::sessions::{self, NewSession, Session, SessionSubject, token_hash};
use crate::settings;
use crate::store::Store;
use crate::upkeep::Upkeep;
use crate::users::{self, NewUser, User, UserUpdate};
use crate::writer::{StoreStats, Writer};

/// The database's file name inside the data dir.
pub const DB_FILE_NAME: &str = "banner.db";

/// Tuning for [`SqliteStore::open_with`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqliteOptions {
    /// The most commands one transaction carries.
    pub max_batch: usize,
    /// How many read connections (and reader threads) to keep.
    pub readers: usize,
    /// How long a connection waits for a lock held elsewhere (a checkpoint, a
    /// backup tool) before failing.
    pub busy_timeout: Duration,
}

impl Default for SqliteOptions {
    fn default() -> Self {
        Self {
            max_batch: 512,
            readers: 2,
            busy_timeout: Duration::from_secs(5),
        }
    }
}

/// The SQLite [`Store`]. Share it behind an `Arc`; drop the last one to close.
pub struct SqliteStore {
    // Fields drop in order: the checkpointer and the readers close before the
    // writer, whose connection is the last one and so checkpoints the WAL into
    // the main file. (A search still in flight keeps the readers until it
    // ends; the WAL is then left to the last connection to close, or to the
    // next open, which reads it.)
    _checkpointer: Checkpointer,
    /// Shared with a search in flight, which reads once the writer has
    /// indexed what waited; the pool closes when the last holder drops it.
    readers: Arc<ReadPool>,
    writer: Writer,
    path: PathBuf,
}

impl SqliteStore {
    /// Opens (creating if absent) the data dir and its `banner.db`, and migrates
    /// it to the latest schema.
    pub fn open(data_dir: impl AsRef<Path>) -> Result<Self> {
        Self::open_with(data_dir, SqliteOptions::default())
    }

    /// [`SqliteStore::open`] with explicit tuning.
    pub fn open_with(data_dir: impl AsRef<Path>, options: SqliteOptions) -> Result<Self> {
        let data_dir = data_dir.as_ref();
        std::fs::create_dir_all(data_dir)?;
        let path = data_dir.join(DB_FILE_NAME);

        let mut write_conn = open_writer(&path, options.busy_timeout)?;
        migrations::migrate(&mut write_conn)?;
        let read_conns = (0..options.readers.max(1))
            .map(|_| open_reader(&path, options.busy_timeout))
            .collect::<Result<Vec<_>>>()?;
        let checkpointer = Checkpointer::spawn(open_checkpointer(&path, options.busy_timeout)?)?;
        checkpointer::install(&mut write_conn, &checkpointer)?;

        Ok(Self {
            _checkpointer: checkpointer,
            readers: Arc::new(ReadPool::spawn(read_conns)?),
            writer: Writer::spawn(
                write_conn,
                options.max_batch,
                Some(Upkeep {
                    what: "indexing messages for search",
                    every: search::INDEX_EVERY,
                    work: search::index_step,
                }),
            )?,
            path,
        })
    }

    /// The database file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Counters of the writer's work since the store was opened.
    pub fn stats(&self) -> StoreStats {
        self.writer.stats()
    }
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

/// Awaits a submitted command, or fails at once with the error that kept the
/// input from being submitted (e.g. an empty session token).
async fn submitted<T>(result: Result<impl Future<Output = Result<T>>>) -> Result<T> {
    result?.await
}

impl Store for SqliteStore {
    fn create_conversation(
        &self,
        new: NewConversation,
    ) -> impl Future<Output = Result<Conversation>> + Send {
        self.writer.submit(move |c| conversations::create(c, &new))
    }

    fn next_conversation_id(&self) -> impl Future<Output = Result<ConversationId>> + Send {
        self.readers.run(conversations::next_id)
    }

    fn conversation(
        &self,
        id: ConversationId,
    ) -> impl Future<Output = Result<Conversation>> + Send {
        self.readers.run(move |c| conversations::get(c, id))
    }

    fn set_conversation_state(
        &self,
        id: ConversationId,
        state: &str,
        updated_at: UnixMillis,
    ) -> impl Future<Output = Result<()>> + Send {
        let state = state.to_owned();
        self.writer
            .submit(move |c| conversations::touch(c, id, Some(&state), updated_at))
    }

    fn conversations_of_visitor(
        &self,
        visitor_id: &str,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<Conversation>>> + Send {
        let visitor_id = visitor_id.to_owned();
        self.readers
            .run(move |c| conversations::of_visitor(c, &visitor_id, limit))
    }

    fn latest_conversation_of_customer(
        &self,
        customer_id: &str,
    ) -> impl Future<Output = Result<Option<Conversation>>> + Send {
        let customer_id = customer_id.to_owned();
        self.readers
            .run(move |c| conversations::latest_of_customer(c, &customer_id))
    }

    fn conversations_in_state(
        &self,
        state: &str,
        after: ConversationId,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<Conversation>>> + Send {
        let state = state.to_owned();
        self.readers
            .run(move |c| conversations::in_state(c, &state, after, limit))
    }

    fn append(&self, event: AppendEvent) -> impl Future<Output = Result<Appended>> + Send {
        self.writer.submit(move |c| events::append(c, &event))
    }

    fn append_all(
        &self,
        events: Vec<AppendEvent>,
    ) -> impl Future<Output = Result<Vec<Appended>>> + Send {
        self.writer.submit(move |c| events::append_all(c, &events))
    }

    fn commit_group(
        &self,
        group: WriteGroup,
    ) -> impl Future<Output = Result<Vec<Appended>>> + Send {
        self.writer.submit(move |c| group::write(c, &group))
    }

    fn events_after(
        &self,
        id: ConversationId,
        after_seq: u64,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<StoredEvent>>> + Send {
        self.readers
            .run(move |c| events::after(c, id, after_seq, limit))
    }

    fn latest_seq(&self, id: ConversationId) -> impl Future<Output = Result<u64>> + Send {
        self.readers.run(move |c| events::latest_seq(c, id))
    }

    fn search(&self, query: SearchQuery) -> impl Future<Output = Result<Vec<SearchHit>>> + Send {
        // What waits for the index goes in first (submitted now, as every
        // write), so the search finds every message committed before it. If
        // that fails, the search still runs on what is indexed.
        let indexed = self.writer.submit(|c| search::index_pending(c, None));
        let readers = Arc::clone(&self.readers);
        async move {
            if let Err(e) = indexed.await {
                tracing::warn!(error = %e, "a search ran without the latest messages");
            }
            readers.run(move |c| search::search(c, &query)).await
        }
    }

    fn create_user(&self, new: NewUser) -> impl Future<Output = Result<User>> + Send {
        self.writer.submit(move |c| users::create(c, &new))
    }

    fn user(&self, id: UserId) -> impl Future<Output = Result<User>> + Send {
        self.readers.run(move |c| users::get(c, id))
    }

    fn user_by_username(&self, username: &str) -> impl Future<Output = Result<User>> + Send {
        let username = username.to_owned();
        self.readers.run(move |c| users::by_username(c, &username))
    }

    fn users(&self) -> impl Future<Output = Result<Vec<User>>> + Send {
        self.readers.run(users::all)
    }

    fn update_user(
        &self,
        id: UserId,
        update: UserUpdate,
    ) -> impl Future<Output = Result<User>> + Send {
        self.writer.submit(move |c| users::update(c, id, &update))
    }

    fn delete_user(&self, id: UserId) -> impl Future<Output = Result<()>> + Send {
        self.writer.submit(move |c| users::delete(c, id))
    }

    fn create_session(&self, new: NewSession) -> impl Future<Output = Result<Session>> + Send {
        let hash = token_hash(&new.token);
        let submission = hash.map(|hash| {
            self.writer
                .submit(move |c| sessions::create(c, &hash, &new))
        });
        submitted(submission)
    }

    fn session(
        &self,
        token: &str,
        now: UnixMillis,
    ) -> impl Future<Output = Result<Session>> + Send {
        let submission =
            token_hash(token).map(|hash| self.readers.run(move |c| sessions::find(c, &hash, now)));
        submitted(submission)
    }

    fn extend_session(
        &self,
        token: &str,
        expires_at: UnixMillis,
        now: UnixMillis,
    ) -> impl Future<Output = Result<Session>> + Send {
        let submission = token_hash(token).map(|hash| {
            self.writer
                .submit(move |c| sessions::extend(c, &hash, expires_at, now))
        });
        submitted(submission)
    }

    fn delete_session(&self, token: &str) -> impl Future<Output = Result<bool>> + Send {
        let submission =
            token_hash(token).map(|hash| self.writer.submit(move |c| sessions::delete(c, &hash)));
        submitted(submission)
    }

    fn delete_sessions_of(
        &self,
        subject: SessionSubject,
    ) -> impl Future<Output = Result<u64>> + Send {
        self.writer
            .submit(move |c| sessions::delete_of(c, &subject))
    }

    fn purge_expired_sessions(&self, now: UnixMillis) -> impl Future<Output = Result<u64>> + Send {
        self.writer.submit(move |c| sessions::purge_expired(c, now))
    }

    fn create_attachment(
        &self,
        new: NewAttachment,
    ) -> impl Future<Output = Result<Attachment>> + Send {
        self.writer.submit(move |c| attachments::create(c, &new))
    }

    fn attachment(&self, id: AttachmentId) -> impl Future<Output = Result<Attachment>> + Send {
        self.readers.run(move |c| attachments::get(c, id))
    }

    fn attachments_of(
        &self,
        id: ConversationId,
    ) -> impl Future<Output = Result<Vec<Attachment>>> + Send {
        self.readers
            .run(move |c| attachments::of_conversation(c, id))
    }

    fn delete_attachment(
        &self,
        id: AttachmentId,
    ) -> impl Future<Output = Result<Attachment>> + Send {
        self.writer.submit(move |c| attachments::delete(c, id))
    }

    fn put_setting(
        &self,
        key: &str,
        value: &str,
        updated_at: UnixMillis,
    ) -> impl Future<Output = Result<()>> + Send {
        let (key, value) = (key.to_owned(), value.to_owned());
        self.writer
            .submit(move |c| settings::put(c, &key, &value, updated_at))
    }

    fn setting(&self, key: &str) -> impl Future<Output = Result<Option<String>>> + Send {
        let key = key.to_owned();
        self.readers.run(move |c| settings::get(c, &key))
    }

    fn delete_setting(&self, key: &str) -> impl Future<Output = Result<bool>> + Send {
        let key = key.to_owned();
        self.writer.submit(move |c| settings::delete(c, &key))
    }
}
