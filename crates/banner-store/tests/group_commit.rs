//! The single writer under load: gap-free numbering, real batching, and commands
//! that fail alone inside a shared transaction.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use banner_store::{ConversationId, SqliteStore, Store, StoreError};
use common::{conversation, message, message_with_id, open};

const TASKS: usize = 8;
const APPENDS_PER_TASK: u64 = 500;
const CONVERSATIONS: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_appenders_leave_no_gap_in_any_conversation() {
    let t = open();
    let store = Arc::new(t.store);
    let mut ids = Vec::new();
    for n in 0..CONVERSATIONS {
        ids.push(conversation(&*store, &format!("v{n}")).await.id);
    }

    let mut tasks = Vec::new();
    for task in 0..TASKS {
        let store = Arc::clone(&store);
        let id = ids[task % CONVERSATIONS];
        tasks.push(tokio::spawn(async move {
            let mut seqs = Vec::new();
            for n in 0..APPENDS_PER_TASK {
                let event = message_with_id(id, &format!("t{task} n{n}"), &format!("{task}-{n}"));
                seqs.push(store.append(event).await.unwrap().event.seq);
            }
            (id, seqs)
        }));
    }

    let mut acknowledged: BTreeMap<ConversationId, Vec<u64>> = BTreeMap::new();
    for task in tasks {
        let (id, seqs) = task.await.unwrap();
        // One appender's own events are numbered in the order it sent them.
        assert!(seqs.windows(2).all(|w| w[0] < w[1]));
        acknowledged.entry(id).or_default().extend(seqs);
    }

    let per_conversation = APPENDS_PER_TASK * (TASKS / CONVERSATIONS) as u64;
    for id in ids {
        let mut seqs = acknowledged.remove(&id).unwrap();
        seqs.sort_unstable();
        assert_eq!(seqs, (1..=per_conversation).collect::<Vec<_>>());

        let stored = store.events_after(id, 0, u32::MAX).await.unwrap();
        let stored: Vec<u64> = stored.iter().map(|e| e.seq).collect();
        assert_eq!(stored, (1..=per_conversation).collect::<Vec<_>>());
        assert_eq!(store.latest_seq(id).await.unwrap(), per_conversation);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_appends_share_few_transactions() {
    let t = open();
    let store = Arc::new(t.store);
    let c = conversation(&*store, "v").await;
    let before = store.stats();

    let tasks: Vec<_> = (0..1_000)
        .map(|n| {
            let store = Arc::clone(&store);
            tokio::spawn(async move { store.append(message(c.id, &format!("m{n}"))).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }

    let after = store.stats();
    let transactions = after.transactions - before.transactions;
    println!("1000 appends committed in {transactions} transactions: {after:?}");
    assert_eq!(after.commands - before.commands, 1_000);
    assert!(transactions < 100, "{transactions} transactions");
    assert!(after.largest_batch > 10);
    assert_eq!(store.latest_seq(c.id).await.unwrap(), 1_000);
}

/// Waits (bounded) until the writer has taken `commands` commands off its queue.
fn wait_for_commands(store: &SqliteStore, commands: u64) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while store.stats().commands < commands {
        assert!(
            Instant::now() < deadline,
            "the writer never took the command"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[tokio::test]
async fn one_failing_command_does_not_spoil_its_batch() {
    let t = open();
    let a = conversation(&t.store, "va").await;
    let b = conversation(&t.store, "vb").await;
    t.store
        .append(message_with_id(a.id, "original", "cmd-1"))
        .await
        .unwrap();

    // Hold SQLite's write lock from outside, so the writer stalls on the first
    // command while the test queues the batch under test behind it.
    let blocker = rusqlite::Connection::open(t.store.path()).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let before = t.store.stats();
    let plug = t.store.put_setting("plug", "1", 0);
    wait_for_commands(&t.store, before.commands + 1);

    let mut not_json = message(b.id, "x");
    not_json.body = "{".to_owned();
    let good_a = t.store.append(message(a.id, "second"));
    let conflict = t.store.append(message_with_id(a.id, "changed", "cmd-1"));
    let invalid = t.store.append(not_json);
    let unknown = t.store.append(message(ConversationId(404), "x"));
    let good_b = t.store.append(message(b.id, "first of b"));
    let good_a2 = t.store.append(message(a.id, "third"));
    blocker.execute_batch("COMMIT").unwrap();

    plug.await.unwrap();
    assert_eq!(good_a.await.unwrap().event.seq, 2);
    assert!(matches!(conflict.await, Err(StoreError::Conflict(_))));
    assert!(matches!(invalid.await, Err(StoreError::InvalidInput(_))));
    assert_eq!(
        unknown.await,
        Err(StoreError::NotFound {
            what: "conversation"
        })
    );
    assert_eq!(good_b.await.unwrap().event.seq, 1);
    assert_eq!(good_a2.await.unwrap().event.seq, 3);

    // The six commands after the plug shared one transaction.
    let after = t.store.stats();
    assert_eq!(after.commands - before.commands, 7);
    assert_eq!(after.transactions - before.transactions, 2);
    assert_eq!(after.largest_batch, 6);

    let texts: Vec<String> = t
        .store
        .events_after(a.id, 0, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.body)
        .collect();
    assert_eq!(
        texts,
        [
            r#"{"text":"original"}"#,
            r#"{"text":"second"}"#,
            r#"{"text":"third"}"#
        ]
    );
    assert_eq!(t.store.latest_seq(b.id).await.unwrap(), 1);
}
