//! Full-text search over message text with SQLite FTS5.
//!
//! Appends that carry `searchable_text` put it in `search_pending`, in the
//! same transaction as the event; [`index_pending`] moves what waits there
//! into the `message_search` table. The writer runs it every [`INDEX_EVERY`]
//! while messages come, in steps of at most [`INDEX_STEP`] messages
//! (`upkeep.rs`), and the store runs it before every search, so a search
//! finds every message committed before it. A few FTS5 segments per quarter
//! second instead of one per group commit: FTS5 writes and merges its index
//! per transaction, and under load that was ~5 % of the server's CPU
//! (docs/benchmarks-journal.md). A query is the user's words, never FTS5
//! syntax: [`match_expression`] turns each word into a quoted FTS5 string, so
//! quotes, `NEAR`, `*`, `:`, `^` and parentheses are searched for as text (or
//! dropped as punctuation) and can never make the query fail.

use rusqlite::{Connection, Row, params};

use crate::error::Result;
use crate::ids::{ConversationId, UnixMillis};
use crate::upkeep::Step;

/// Marks where a matched term starts inside [`SearchHit::snippet`].
///
/// Control characters cannot be confused with markup: a front-end escapes the
/// snippet as text, then replaces the markers with its highlight element.
pub const HIGHLIGHT_START: &str = "\u{2}";
/// Marks where a matched term ends inside [`SearchHit::snippet`].
pub const HIGHLIGHT_END: &str = "\u{3}";

/// At most this many words of a query are used; the rest are ignored.
pub const MAX_TERMS: usize = 16;
/// Each word is cut to this many characters.
pub const MAX_TERM_CHARS: usize = 64;

/// A full-text search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// What the user typed; treated as plain words, all of which must match.
    pub text: String,
    /// Only this conversation, when given (e.g. for a visitor's own history).
    pub conversation_id: Option<ConversationId>,
    /// The most hits to return.
    pub limit: u32,
}

/// One message that matches, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    /// The conversation holding the message.
    pub conversation_id: ConversationId,
    /// The message event's `seq` in that conversation.
    pub seq: u64,
    /// An excerpt around the match, terms wrapped in [`HIGHLIGHT_START`] and
    /// [`HIGHLIGHT_END`].
    pub snippet: String,
    /// The event's time.
    pub created_at: UnixMillis,
    /// FTS5's bm25 rank: lower is a better match.
    pub rank: f64,
}

/// The FTS5 MATCH expression for plain user text, or `None` when it holds no
/// searchable word. Every word becomes a quoted string (implicit AND).
pub fn match_expression(text: &str) -> Option<String> {
    let terms: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|word| word.chars().any(char::is_alphanumeric))
        .take(MAX_TERMS)
        .map(|word| {
            let word: String = word.chars().take(MAX_TERM_CHARS).collect();
            format!("\"{}\"", word.replace('"', "\"\""))
        })
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// How long message text may wait in `search_pending` while writes go on.
pub(crate) const INDEX_EVERY: std::time::Duration = std::time::Duration::from_millis(250);

/// Queues a message's text for the index; must run inside the writer's
/// transaction.
pub(crate) fn index_message(
    conn: &Connection,
    conversation_id: ConversationId,
    seq: u64,
    text: &str,
) -> Result<()> {
    if text.trim().is_empty() {
        return Ok(());
    }
    conn.prepare_cached(
        "INSERT INTO search_pending (conversation_id, seq, text) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![conversation_id.0, seq, text])?;
    Ok(())
}

/// The most messages one step of the writer's upkeep indexes, in one
/// transaction that every command then waiting waits for. A quarter second
/// at 5,000 msg/s in one step was ~1,250 messages and a median 3.4–5.6 ms of
/// stall; a step of this size is about a millisecond, and the CPU per
/// message did not rise with the extra transactions (docs/benchmarks-journal.md).
pub(crate) const INDEX_STEP: usize = 256;

/// One step of the writer's upkeep: indexes at most [`INDEX_STEP`] messages,
/// and says whether more wait.
pub(crate) fn index_step(conn: &Connection) -> Result<Step> {
    let moved = index_pending(conn, Some(INDEX_STEP))?;
    Ok(if moved < INDEX_STEP {
        Step::All
    } else {
        Step::Part
    })
}

/// Moves the text waiting in `search_pending` into the index, in the order it
/// came, at most `most` messages (all of it with `None`); must run inside the
/// writer's transaction. Returns how many messages it indexed.
pub(crate) fn index_pending(conn: &Connection, most: Option<usize>) -> Result<usize> {
    // -1: no limit.
    let limit = most.map_or(-1, |n| i64::try_from(n).unwrap_or(i64::MAX));
    let last: Option<i64> = conn
        .prepare_cached("SELECT max(id) FROM (SELECT id FROM search_pending ORDER BY id LIMIT ?1)")?
        .query_row([limit], |row| row.get(0))?;
    let Some(last) = last else {
        return Ok(0);
    };
    let moved = conn
        .prepare_cached(
            "INSERT INTO message_search (text, conversation_id, seq)
             SELECT text, conversation_id, seq FROM search_pending WHERE id <= ?1 ORDER BY id",
        )?
        .execute([last])?;
    conn.prepare_cached("DELETE FROM search_pending WHERE id <= ?1")?
        .execute([last])?;
    Ok(moved)
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<SearchHit> {
    Ok(SearchHit {
        conversation_id: ConversationId(row.get(0)?),
        seq: row.get(1)?,
        snippet: row.get(2)?,
        created_at: row.get(3)?,
        rank: row.get(4)?,
    })
}

/// Messages matching every word of the query, best match first.
pub(crate) fn search(conn: &Connection, query: &SearchQuery) -> Result<Vec<SearchHit>> {
    let Some(expression) = match_expression(&query.text) else {
        return Ok(Vec::new());
    };
    let mut stmt = conn.prepare_cached(
        "SELECT s.conversation_id, s.seq, snippet(message_search, 0, ?2, ?3, '…', 16),
                e.created_at, s.rank
         FROM message_search AS s
         JOIN events AS e ON e.conversation_id = s.conversation_id AND e.seq = s.seq
         WHERE message_search MATCH ?1 AND (?4 IS NULL OR s.conversation_id = ?4)
         ORDER BY s.rank, s.conversation_id DESC, s.seq DESC
         LIMIT ?5",
    )?;
    let rows = stmt.query_map(
        params![
            expression,
            HIGHLIGHT_START,
            HIGHLIGHT_END,
            query.conversation_id.map(|id| id.0),
            query.limit
        ],
        from_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrations;
    use proptest::prelude::*;

    fn indexed(texts: &[&str]) -> Connection {
        let mut conn = Connection::open_in_memory().expect("db");
        migrations::migrate(&mut conn).expect("migrate");
        conn.execute(
            "INSERT INTO conversations (visitor_id, state, created_at, updated_at)
             VALUES ('v', 'active', 0, 0)",
            [],
        )
        .expect("conversation");
        for (n, text) in texts.iter().enumerate() {
            let seq = n as u64 + 1;
            conn.execute(
                "INSERT INTO events (conversation_id, seq, kind, body, digest, created_at)
                 VALUES (1, ?1, 'message', '{}', zeroblob(32), 0)",
                [seq],
            )
            .expect("event");
            index_message(&conn, ConversationId(1), seq, text).expect("index");
        }
        assert_eq!(
            index_pending(&conn, None).expect("indexed"),
            texts.iter().filter(|t| !t.trim().is_empty()).count()
        );
        conn
    }

    fn seqs(conn: &Connection, text: &str) -> Vec<u64> {
        let query = SearchQuery {
            text: text.to_owned(),
            conversation_id: None,
            limit: 50,
        };
        search(conn, &query)
            .expect("search")
            .into_iter()
            .map(|hit| hit.seq)
            .collect()
    }

    #[test]
    fn queued_text_is_found_once_indexed_and_leaves_the_queue() {
        let conn = indexed(&["first words"]);
        conn.execute(
            "INSERT INTO events (conversation_id, seq, kind, body, digest, created_at)
             VALUES (1, 2, 'message', '{}', zeroblob(32), 0)",
            [],
        )
        .expect("event");
        index_message(&conn, ConversationId(1), 2, "second words").expect("queued");
        conn.execute(
            "INSERT INTO events (conversation_id, seq, kind, body, digest, created_at)
             VALUES (1, 3, 'message', '{}', zeroblob(32), 0)",
            [],
        )
        .expect("event");
        index_message(&conn, ConversationId(1), 3, "third words").expect("queued");
        assert_eq!(seqs(&conn, "second"), Vec::<u64>::new(), "not yet indexed");
        // A bounded run takes the oldest first, and leaves the rest queued.
        assert_eq!(index_pending(&conn, Some(1)).expect("indexed"), 1);
        assert_eq!(seqs(&conn, "second"), vec![2]);
        assert_eq!(seqs(&conn, "third"), Vec::<u64>::new());
        assert_eq!(index_pending(&conn, None).expect("indexed"), 1);
        assert_eq!(seqs(&conn, "third"), vec![3]);
        assert_eq!(seqs(&conn, "words").len(), 3);
        let waiting: i64 = conn
            .query_row("SELECT count(*) FROM search_pending", [], |r| r.get(0))
            .expect("count");
        assert_eq!(waiting, 0);
        assert_eq!(index_pending(&conn, None).expect("nothing"), 0);
    }

    #[test]
    fn a_step_indexes_at_most_its_share_and_says_whether_more_waits() {
        let conn = indexed(&[]);
        let queued = INDEX_STEP + 10;
        for seq in 1..=queued as u64 {
            conn.execute(
                "INSERT INTO events (conversation_id, seq, kind, body, digest, created_at)
                 VALUES (1, ?1, 'message', '{}', zeroblob(32), 0)",
                [seq],
            )
            .expect("event");
            index_message(&conn, ConversationId(1), seq, &format!("word{seq}")).expect("queued");
        }
        assert_eq!(index_step(&conn).expect("step"), Step::Part);
        assert_eq!(
            seqs(&conn, &format!("word{INDEX_STEP}")),
            [INDEX_STEP as u64]
        );
        assert_eq!(
            seqs(&conn, &format!("word{}", INDEX_STEP + 1)),
            Vec::<u64>::new()
        );
        assert_eq!(index_step(&conn).expect("step"), Step::All);
        assert_eq!(seqs(&conn, &format!("word{queued}")), [queued as u64]);
        assert_eq!(index_step(&conn).expect("step"), Step::All);
    }

    #[test]
    fn words_are_quoted_and_punctuation_is_dropped() {
        assert_eq!(
            match_expression(r#"say "hi" NEAR(x) * ( )"#).as_deref(),
            Some(r#""say" """hi""" "NEAR(x)""#)
        );
        assert_eq!(match_expression("  * ( ) \" - "), None);
        assert_eq!(match_expression(""), None);
    }

    #[test]
    fn every_word_must_match_and_diacritics_fold() {
        let conn = indexed(&["my invoice is wrong", "the café is open", "invoice paid"]);
        assert_eq!(seqs(&conn, "invoice wrong"), [1]);
        assert_eq!(seqs(&conn, "CAFE"), [2]);
        let mut both = seqs(&conn, "invoice");
        both.sort_unstable();
        assert_eq!(both, [1, 3]);
    }

    #[test]
    fn snippets_mark_the_match() {
        let conn = indexed(&["where is my parcel today"]);
        let query = SearchQuery {
            text: "parcel".to_owned(),
            conversation_id: Some(ConversationId(1)),
            limit: 5,
        };
        let hits = search(&conn, &query).expect("search");
        assert_eq!(hits.len(), 1);
        assert_eq!(
            hits[0].snippet,
            format!("where is my {HIGHLIGHT_START}parcel{HIGHLIGHT_END} today")
        );
    }

    proptest! {
        #[test]
        fn no_user_text_breaks_the_query(
            text in prop_oneof![any::<String>(), "[\"*():^+\\-NEAROR ]{0,30}"]
        ) {
            let conn = indexed(&["hello world", "NEAR the (end) \"quoted\""]);
            let query = SearchQuery { text, conversation_id: None, limit: 10 };
            prop_assert!(search(&conn, &query).is_ok());
        }
    }
}
