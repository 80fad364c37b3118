//! The crash proof: the real server under load, killed with SIGKILL at a
//! random moment (seeded), restarted on the same data dir, again and again.
//!
//! Each cycle starts the server, checks what it rebuilt from the log, brings
//! in fresh agents and visitors (more chats than the agents have room for, so
//! some wait in the queue) who chat and keep writing, takes the supervision
//! view, and kills the server. Then, with the server dead, it reads the
//! SQLite file and checks every message acknowledged in any cycle so far.
//!
//! - **lost**: an acknowledged message not in the store at its `seq` with its
//!   command id (stored as `<sender>/<id>`);
//! - **reads lost**: an agent's acknowledged `read` whose receipt is not in
//!   the store: at the `seq` its `ack` named, a `read` receipt reaching as
//!   far, recording the command (its id stored as the event's, or among
//!   those a held receipt answers, `also`); for an `ack` without a `seq`
//!   (nothing new was read), a stored `read` receipt of the same agent that
//!   reaches as far;
//! - **duplicated**: a visitor message stored twice in a conversation;
//! - **gaps**: a conversation whose `seq`s are not 1, 2, 3… without holes or repeats;
//! - **two agents**: after a restart, a chat in two agents' "In progress";
//! - **queue positions**: a chat waiting in the queue before the kill that is
//!   not known after the restart, or whose wait (`waiting_since`) changed,
//!   or that changed order with another that still waits.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use banner_client::{AgentClient, ConnectOptions};
use banner_proto::{Place, Supervision};
use rand::rngs::SmallRng;
use rand::{RngExt, SeedableRng};
use rusqlite::{Connection, OpenFlags};
use tokio::sync::watch;

use crate::load::{AckedMessage, AckedRead, Shared, lock, send, start_agent, visitor_session};
use crate::server::{PASSWORD, SUPERVISOR, ServerProcess, agent_name};

/// New agents per cycle.
const AGENTS: usize = 2;
/// Their room.
const CAPACITY: usize = 2;
/// New visitors per cycle: more than the agents' room, so some wait.
const VISITORS: usize = 6;
/// How often each visitor writes.
const WRITE_EVERY: Duration = Duration::from_millis(20);

/// How a crash run goes.
#[derive(Clone, Debug)]
pub struct CrashOptions {
    /// The `banner-server` binary.
    pub server: PathBuf,
    /// Where the data dir lives.
    pub dir: PathBuf,
    /// How many kills.
    pub cycles: usize,
    /// The random moments' seed.
    pub seed: u64,
}

/// What the checks counted, over the whole run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CrashReport {
    /// Cycles run.
    pub cycles: usize,
    /// Messages acknowledged to visitors.
    pub acked: usize,
    /// Acknowledged messages missing from the store.
    pub lost: usize,
    /// Agents' `read`s acknowledged.
    pub reads_acked: usize,
    /// Acknowledged reads the store does not keep.
    pub reads_lost: usize,
    /// Visitor messages stored twice.
    pub duplicated: usize,
    /// Conversations with a gap in `seq`.
    pub gaps: usize,
    /// Chats active for two agents after a restart.
    pub two_agents: usize,
    /// Waiting chats checked after a restart.
    pub queued_checked: usize,
    /// Waiting chats whose place was not kept.
    pub queue_positions_lost: usize,
}

impl CrashReport {
    /// Whether every check passed.
    pub fn clean(&self) -> bool {
        self.lost
            + self.reads_lost
            + self.duplicated
            + self.gaps
            + self.two_agents
            + self.queue_positions_lost
            == 0
    }
}

/// Runs the cycles, calling `progress` after each.
pub async fn run(
    options: &CrashOptions,
    mut progress: impl FnMut(usize, &CrashReport),
) -> anyhow::Result<CrashReport> {
    let mut rng = SmallRng::seed_from_u64(options.seed);
    let data = options.dir.join("data");
    let agents_total = options.cycles * AGENTS;
    let acked: Arc<Mutex<Vec<AckedMessage>>> = Arc::default();
    let acked_reads: Arc<Mutex<Vec<AckedRead>>> = Arc::default();
    let mut report = CrashReport::default();
    let mut waiting_before: Vec<(u64, u64)> = Vec::new();
    for cycle in 0..=options.cycles {
        let mut server = ServerProcess::start(&options.server, &data, agents_total, CAPACITY)?;
        let base = server.base();
        after_restart(&base, cycle * AGENTS, &waiting_before, &mut report).await?;
        if cycle == options.cycles {
            break;
        }
        let kill_after = Duration::from_millis(rng.random_range(300..2500));
        let shared = Shared::new(Arc::clone(&acked), Some(Arc::clone(&acked_reads)));
        let (stop_tx, stop_rx) = watch::channel(false);
        let mut tasks = Vec::new();
        for n in cycle * AGENTS..(cycle + 1) * AGENTS {
            tasks.push(start_agent(&base, n, false, &shared, &stop_rx).await?);
        }
        for _ in 0..VISITORS {
            let (base, shared, stop) = (base.clone(), Arc::clone(&shared), stop_rx.clone());
            tasks.push(tokio::spawn(async move {
                let _ = visitor(&base, &shared, stop).await;
            }));
        }
        tokio::time::sleep(kill_after).await;
        waiting_before = waiting(&base).await.unwrap_or_default();
        server.kill();
        let _ = stop_tx.send(true);
        for task in tasks {
            let _ = tokio::time::timeout(Duration::from_secs(10), task).await;
        }
        report.cycles = cycle + 1;
        let acked = lock(&acked).clone();
        let reads = lock(&acked_reads).clone();
        check_store(&data, &acked, &reads, &mut report)?;
        progress(cycle + 1, &report);
    }
    Ok(report)
}

/// A visitor: opens a chat and writes every [`WRITE_EVERY`] until stopped
/// or the server is gone.
async fn visitor(
    base: &str,
    shared: &Arc<Shared>,
    mut stop: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    let client = visitor_session(base).await?;
    let (ws, _) = client.connect(ConnectOptions::default()).await?;
    let ack = ws.send_message(None, "hello").await?;
    let c = ack.conversation.context("no conversation")?;
    let mut sent = 0;
    let mut tick = tokio::time::interval(WRITE_EVERY);
    loop {
        tokio::select! {
            _ = tick.tick() => send(&ws, c, shared, &mut sent),
            _ = stop.changed() => return Ok(()),
        }
    }
}

/// The chats waiting in the queue, in order, with their `waiting_since`.
async fn waiting(base: &str) -> anyhow::Result<Vec<(u64, u64)>> {
    let sup = AgentClient::login(base, SUPERVISOR, PASSWORD).await?;
    let view: Supervision = sup.supervision().await?;
    let mut pending: Vec<(u64, u64)> = view
        .conversations
        .iter()
        .filter(|c| c.place == Place::Pending)
        .map(|c| (c.waiting_since.unwrap_or(0), c.conversation.0))
        .collect();
    pending.sort_unstable();
    Ok(pending)
}

/// Checks the restarted server: no chat in two agents' "In progress", and
/// every chat that waited before the kill still known, with its wait and
/// its order among those still waiting.
async fn after_restart(
    base: &str,
    agents: usize,
    waiting_before: &[(u64, u64)],
    report: &mut CrashReport,
) -> anyhow::Result<()> {
    let mut holders: HashMap<u64, usize> = HashMap::new();
    for n in 0..agents {
        let agent = AgentClient::login(base, &agent_name(n), PASSWORD).await?;
        for chat in agent.pool().await?.in_progress {
            *holders.entry(chat.conversation.0).or_default() += 1;
        }
    }
    report.two_agents += holders.values().filter(|n| **n > 1).count();
    let sup = AgentClient::login(base, SUPERVISOR, PASSWORD).await?;
    let view = sup.supervision().await?;
    let known: HashMap<u64, (Place, Option<u64>)> = view
        .conversations
        .iter()
        .map(|c| (c.conversation.0, (c.place, c.waiting_since)))
        .collect();
    let now = waiting(base).await?;
    let still: HashSet<u64> = now.iter().map(|(_, c)| *c).collect();
    let order_before: Vec<u64> = waiting_before
        .iter()
        .map(|(_, c)| *c)
        .filter(|c| still.contains(c))
        .collect();
    let order_now: Vec<u64> = now
        .iter()
        .map(|(_, c)| *c)
        .filter(|c| waiting_before.iter().any(|(_, b)| b == c))
        .collect();
    for (since, c) in waiting_before {
        report.queued_checked += 1;
        let kept = match known.get(c) {
            Some((Place::Pending, at)) => *at == Some(*since),
            // Offered or taken between the view and the kill: moved on.
            Some((Place::Offered | Place::Active, _)) => true,
            _ => false,
        };
        if !kept {
            report.queue_positions_lost += 1;
        }
    }
    if order_before != order_now {
        report.queue_positions_lost += 1;
    }
    Ok(())
}

/// Compares the acknowledged messages and reads with the store (read-only,
/// server dead).
fn check_store(
    data: &Path,
    acked: &[AckedMessage],
    reads: &[AckedRead],
    report: &mut CrashReport,
) -> anyhow::Result<()> {
    let db = Connection::open_with_flags(
        data.join("banner.db"),
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // The log itself, read once, instead of one query per acknowledged
    // message; the checks below go by what the rows hold, not by the
    // schema's unique index, so they hold for any layout of the log.
    let mut stored: HashMap<(i64, i64), Option<String>> = HashMap::new();
    let mut all = db.prepare("SELECT conversation_id, seq, client_id FROM events")?;
    let mut rows = all.query([])?;
    while let Some(row) = rows.next()? {
        // A seq written twice keeps its first row (and counts as a gap below).
        stored
            .entry((row.get(0)?, row.get(1)?))
            .or_insert(row.get(2)?);
    }
    report.acked = acked.len();
    report.lost = 0;
    for m in acked {
        let found = stored.get(&(m.conversation.0 as i64, m.seq as i64));
        // The server stores `<sender>/<command id>` (hub/record.rs).
        let suffix = format!("/{}", m.client_id);
        if !found
            .and_then(Option::as_ref)
            .is_some_and(|id| id.ends_with(&suffix))
        {
            report.lost += 1;
        }
    }
    check_reads(&db, reads, report)?;
    report.duplicated = db.query_row(
        "SELECT count(*) FROM (
             SELECT conversation_id, json_extract(body, '$.event.text') AS text, count(*) AS n
             FROM events
             WHERE kind = 'message' AND json_extract(body, '$.event.author.type') = 'visitor'
             GROUP BY 1, 2 HAVING n > 1)",
        [],
        |r| r.get::<_, i64>(0),
    )? as usize;
    // A conversation's seqs must be exactly 1..=n: no gap, none twice.
    let mut seqs: BTreeMap<i64, (i64, i64, i64, i64)> = BTreeMap::new();
    let mut rows = db.prepare(
        "SELECT conversation_id, count(*), count(DISTINCT seq), min(seq), max(seq)
         FROM events GROUP BY 1",
    )?;
    let mut rows = rows.query([])?;
    while let Some(row) = rows.next()? {
        seqs.insert(
            row.get(0)?,
            (row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?),
        );
    }
    report.gaps = seqs
        .values()
        .filter(|(n, distinct, lo, hi)| *lo != 1 || hi != n || distinct != n)
        .count();
    Ok(())
}

/// A `read` receipt as the store keeps it.
struct StoredRead {
    seq: u64,
    /// The agent who read (none for the visitor).
    agent: Option<u64>,
    up_to: u64,
    /// `<sender>/<id>` of the command in `command`.
    client_id: Option<String>,
    /// The ids of the other commands it answers (`also`), without the sender.
    also: Vec<String>,
}

/// The acknowledged reads against the store's `read` receipts.
fn check_reads(
    db: &Connection,
    reads: &[AckedRead],
    report: &mut CrashReport,
) -> anyhow::Result<()> {
    let mut stored: HashMap<u64, Vec<StoredRead>> = HashMap::new();
    let mut rows = db.prepare(
        "SELECT conversation_id, seq, client_id, body FROM events
         WHERE kind = 'receipt' AND json_extract(body, '$.event.kind') = 'read'",
    )?;
    let mut rows = rows.query([])?;
    while let Some(row) = rows.next()? {
        let body: serde_json::Value = serde_json::from_str(&row.get::<_, String>(3)?)?;
        let also = body["also"].as_array().map_or_else(Vec::new, |list| {
            list.iter()
                .filter_map(|a| a["id"].as_str().map(str::to_owned))
                .collect()
        });
        stored
            .entry(row.get::<_, i64>(0)?.unsigned_abs())
            .or_default()
            .push(StoredRead {
                seq: row.get::<_, i64>(1)?.unsigned_abs(),
                agent: match body["event"]["by"]["type"].as_str() {
                    Some("agent") => body["event"]["by"]["id"].as_u64(),
                    _ => None,
                },
                up_to: body["event"]["up_to"].as_u64().unwrap_or(0),
                client_id: row.get(2)?,
                also,
            });
    }
    report.reads_acked = reads.len();
    report.reads_lost = reads
        .iter()
        .filter(|r| !read_kept(stored.get(&r.conversation.0).map_or(&[], Vec::as_slice), r))
        .count();
    Ok(())
}

/// Whether `receipts`, one conversation's, keep what `read`'s `ack` said.
fn read_kept(receipts: &[StoredRead], read: &AckedRead) -> bool {
    let by_reader = |r: &&StoredRead| r.agent == Some(u64::from(read.agent.0));
    // The server stores `agent:<id>/<command id>` (hub/record.rs).
    let stored_id = format!("agent:{}/{}", read.agent.0, read.client_id);
    match read.seq {
        Some(seq) => receipts.iter().filter(by_reader).any(|r| {
            r.seq == seq
                && r.up_to >= read.up_to
                && (r.client_id.as_deref() == Some(stored_id.as_str())
                    || r.also.contains(&read.client_id))
        }),
        None => receipts
            .iter()
            .filter(by_reader)
            .any(|r| r.up_to >= read.up_to),
    }
}

#[cfg(test)]
mod tests {
    use banner_proto::ConversationId;

    use super::*;

    /// A store's log as the checker reads it: conversation 1 whole, 2 with a
    /// `seq` written twice and one missing (as many rows as its highest
    /// `seq`, which a count alone takes for whole), 3 with a hole.
    fn log(dir: &Path) {
        let db = Connection::open(dir.join("banner.db")).expect("db");
        db.execute_batch(
            "CREATE TABLE events (conversation_id, seq, client_id, kind, body);
             INSERT INTO events VALUES
                 (1, 1, 'v/a', 'message', '{\"event\":{\"text\":\"hi\",\"author\":{\"type\":\"visitor\"}}}'),
                 (1, 2, NULL, 'receipt', '{}'),
                 (1, 3, 'v/b', 'message', '{\"event\":{\"text\":\"again\",\"author\":{\"type\":\"visitor\"}}}'),
                 (2, 1, NULL, 'opened', '{}'),
                 (2, 2, NULL, 'receipt', '{}'),
                 (2, 2, NULL, 'receipt', '{}'),
                 (2, 4, NULL, 'receipt', '{}'),
                 (3, 1, NULL, 'opened', '{}'),
                 (3, 3, NULL, 'receipt', '{}'),
                 (4, 1, NULL, 'opened', '{}'),
                 (4, 2, 'agent:7/r1', 'receipt', '{\"event\":{\"type\":\"receipt\",\"kind\":\"read\",\"up_to\":1,\"by\":{\"type\":\"agent\",\"id\":7,\"name\":\"Ada\"}}}'),
                 (4, 3, 'agent:7/r2', 'receipt', '{\"event\":{\"type\":\"receipt\",\"kind\":\"read\",\"up_to\":3,\"by\":{\"type\":\"agent\",\"id\":7,\"name\":\"Ada\"}},\"also\":[{\"id\":\"r3\",\"command\":\"00\"}]}'),
                 (4, 4, 'visitor:v/r9', 'receipt', '{\"event\":{\"type\":\"receipt\",\"kind\":\"read\",\"up_to\":4,\"by\":{\"type\":\"visitor\"}}}');",
        )
        .expect("log");
    }

    fn acked(conversation: u64, seq: u64, id: &str) -> AckedMessage {
        AckedMessage {
            conversation: ConversationId(conversation),
            seq,
            client_id: id.to_owned(),
        }
    }

    fn read(seq: Option<u64>, up_to: u64, agent: u32, id: &str) -> AckedRead {
        AckedRead {
            conversation: ConversationId(4),
            seq,
            up_to,
            agent: banner_proto::AgentId(agent),
            client_id: id.to_owned(),
        }
    }

    #[test]
    fn the_store_check_counts_losses_holes_and_repeats() {
        let dir = tempfile::tempdir().expect("dir");
        log(dir.path());
        let mut report = CrashReport::default();
        let messages = [
            acked(1, 1, "a"),
            acked(1, 3, "b"),
            // Its seq holds another command's message, or nothing at all.
            acked(1, 3, "c"),
            acked(1, 4, "d"),
        ];
        let reads = [
            read(Some(2), 1, 7, "r1"),
            // Answered by the receipt a held read raised for r2 and r3.
            read(Some(3), 2, 7, "r3"),
            // The receipt at its seq records other commands, or too little.
            read(Some(3), 3, 7, "r4"),
            read(Some(2), 2, 7, "r5"),
            // Nothing new to read: a receipt of the same agent reaches as far.
            read(None, 3, 7, "r6"),
            read(None, 4, 7, "r7"),
            read(Some(3), 3, 8, "r3"),
        ];
        check_store(dir.path(), &messages, &reads, &mut report).expect("check");
        assert_eq!((report.acked, report.lost), (4, 2));
        assert_eq!((report.reads_acked, report.reads_lost), (7, 4));
        assert_eq!(report.duplicated, 0);
        assert_eq!(report.gaps, 2, "the repeat and hole in 2, the hole in 3");
        assert!(!report.clean());
    }
}
