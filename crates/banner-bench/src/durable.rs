//! Durable writes: messages stored with `synchronous=FULL`, three ways, on
//! the same disk in the same run.
//!
//! - **Group commit**: banner-store's [`SqliteStore`] as the server's
//!   committer (`hub/commit.rs`) drives it under load: one `append_all` of
//!   [`GROUP`] message events (each with its search text, as the server
//!   appends a message) after another, each waiting for its commit.
//! - **Raw batched**: plain rusqlite inserts into a table of the same shape,
//!   [`GROUP`] rows per transaction: the ceiling for this disk.
//! - **One commit per message**: plain rusqlite, a transaction per row: what
//!   durability costs without grouping.

use std::path::Path;
use std::time::{Duration, Instant};

use banner_store::{AppendEvent, NewConversation, SqliteStore, Store};
use rusqlite::{Connection, params};

/// Messages per transaction, as the committer's `MAX_GROUP`.
pub const GROUP: usize = 256;
/// Conversations the messages are spread over.
const CONVERSATIONS: u64 = 64;

/// Messages per second of each way.
#[derive(Clone, Copy, Debug)]
pub struct DurableReport {
    /// Through banner-store's group commit.
    pub group_commit: f64,
    /// Raw batched inserts.
    pub raw_batched: f64,
    /// One commit per message.
    pub one_per_commit: f64,
}

/// Runs all three in fresh databases under `dir`: `messages` for the
/// batched ways, `single` for one commit per message.
pub async fn run(dir: &Path, messages: usize, single: usize) -> anyhow::Result<DurableReport> {
    let group_commit = through_store(&dir.join("store"), messages).await?;
    let raw_dir = dir.join("raw");
    std::fs::create_dir_all(&raw_dir)?;
    let raw_batched = raw(&raw_dir.join("batched.db"), messages, GROUP)?;
    let one_per_commit = raw(&raw_dir.join("single.db"), single, 1)?;
    Ok(DurableReport {
        group_commit,
        raw_batched,
        one_per_commit,
    })
}

fn message(conversation: banner_store::ConversationId, n: usize) -> AppendEvent {
    let text = format!("message {n} from the durable-write benchmark");
    AppendEvent {
        conversation_id: conversation,
        client_id: Some(format!("bench-{n}")),
        kind: "message".to_owned(),
        body: format!(
            r#"{{"author":{{"type":"visitor"}},"private":false,"text":"{text}","choices":[],"attachments":[]}}"#
        ),
        searchable_text: Some(text),
        new_state: None,
        shows_attachments: Vec::new(),
        created_at: 1_763_712_000_000,
    }
}

async fn through_store(dir: &Path, messages: usize) -> anyhow::Result<f64> {
    let store = SqliteStore::open(dir)?;
    let mut conversations = Vec::new();
    for n in 0..CONVERSATIONS {
        let c = store
            .create_conversation(NewConversation {
                visitor_id: format!("v{n}"),
                customer_id: None,
                state: "active".to_owned(),
                created_at: 1_763_712_000_000,
            })
            .await?;
        conversations.push(c.id);
    }
    let start = Instant::now();
    let mut n = 0;
    while n < messages {
        let group: Vec<_> = (n..(n + GROUP).min(messages))
            .map(|i| message(conversations[i % conversations.len()], i))
            .collect();
        n += group.len();
        store.append_all(group).await?;
    }
    Ok(rate(messages, start.elapsed()))
}

fn raw(path: &Path, messages: usize, per_transaction: usize) -> anyhow::Result<f64> {
    let mut conn = Connection::open(path)?;
    let _: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.execute_batch(
        "CREATE TABLE events (
             conversation_id INTEGER NOT NULL,
             seq INTEGER NOT NULL,
             body TEXT NOT NULL,
             PRIMARY KEY (conversation_id, seq)
         ) WITHOUT ROWID;",
    )?;
    let start = Instant::now();
    let mut n = 0;
    while n < messages {
        let tx = conn.transaction()?;
        {
            let mut insert = tx.prepare_cached("INSERT INTO events VALUES (?1, ?2, ?3)")?;
            for i in n..(n + per_transaction).min(messages) {
                let c = i as u64 % CONVERSATIONS;
                let seq = i as u64 / CONVERSATIONS + 1;
                insert.execute(params![
                    c,
                    seq,
                    format!("message {i} from the durable-write benchmark")
                ])?;
            }
        }
        tx.commit()?;
        n += per_transaction;
    }
    Ok(rate(messages, start.elapsed()))
}

fn rate(messages: usize, elapsed: Duration) -> f64 {
    messages as f64 / elapsed.as_secs_f64().max(1e-9)
}
