//! Login sessions: opaque bearer tokens, stored only as SHA-256 hashes.
//!
//! The caller hands in the raw token it gave the client; the store hashes it
//! before any SQL sees it, so a copy of the database file yields no usable
//! token. A session is valid while `now < expires_at`; `now` is passed in.

use rusqlite::{Connection, OptionalExtension, Row, params};
use sha2::{Digest, Sha256};

use crate::error::{Result, StoreError};
use crate::ids::{UnixMillis, UserId};

/// Whose session it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SessionSubject {
    /// A user of the Banner (agent, supervisor, admin).
    Agent(UserId),
    /// A widget visitor, by visitor id.
    Visitor(String),
}

impl SessionSubject {
    fn kind(&self) -> &'static str {
        match self {
            Self::Agent(_) => "agent",
            Self::Visitor(_) => "visitor",
        }
    }

    fn subject(&self) -> String {
        match self {
            Self::Agent(id) => id.0.to_string(),
            Self::Visitor(visitor_id) => visitor_id.clone(),
        }
    }

    fn from_columns(kind: &str, subject: String) -> rusqlite::Result<Self> {
        let corrupt = |why: String| {
            rusqlite::Error::FromSqlConversionFailure(
                1,
                rusqlite::types::Type::Text,
                Box::new(StoreError::Sqlite(why)),
            )
        };
        match kind {
            "agent" => subject
                .parse()
                .map(|id| Self::Agent(UserId(id)))
                .map_err(|_| corrupt(format!("agent session subject {subject:?} is no user id"))),
            "visitor" => Ok(Self::Visitor(subject)),
            other => Err(corrupt(format!("unknown session kind {other:?}"))),
        }
    }
}

/// A session to create.
#[derive(Clone, PartialEq, Eq)]
pub struct NewSession {
    /// The raw token given to the client. Only its hash is stored.
    pub token: String,
    /// Whose session it is.
    pub subject: SessionSubject,
    /// When it was made.
    pub created_at: UnixMillis,
    /// The first instant at which it is no longer valid.
    pub expires_at: UnixMillis,
}

// Hand-written so a raw token never reaches a log through `{:?}`.
impl std::fmt::Debug for NewSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewSession")
            .field("token", &"<redacted>")
            .field("subject", &self.subject)
            .field("created_at", &self.created_at)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// A stored, valid session. It does not carry the token: the store has none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Whose session it is.
    pub subject: SessionSubject,
    /// When it was made.
    pub created_at: UnixMillis,
    /// The first instant at which it is no longer valid.
    pub expires_at: UnixMillis,
}

/// The SHA-256 of a raw token: the only form in which tokens are stored.
pub(crate) fn token_hash(token: &str) -> Result<[u8; 32]> {
    if token.is_empty() {
        return Err(StoreError::invalid("a session token cannot be empty"));
    }
    Ok(Sha256::digest(token.as_bytes()).into())
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<Session> {
    let kind: String = row.get(0)?;
    Ok(Session {
        subject: SessionSubject::from_columns(&kind, row.get(1)?)?,
        created_at: row.get(2)?,
        expires_at: row.get(3)?,
    })
}

pub(crate) fn create(conn: &Connection, hash: &[u8; 32], new: &NewSession) -> Result<Session> {
    if new.expires_at <= new.created_at {
        return Err(StoreError::invalid("a session must expire after it starts"));
    }
    conn.execute(
        "INSERT INTO sessions (token_hash, kind, subject, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            hash,
            new.subject.kind(),
            new.subject.subject(),
            new.created_at,
            new.expires_at
        ],
    )?;
    Ok(Session {
        subject: new.subject.clone(),
        created_at: new.created_at,
        expires_at: new.expires_at,
    })
}

/// The session for the token, unless absent or expired at `now`.
pub(crate) fn find(conn: &Connection, hash: &[u8; 32], now: UnixMillis) -> Result<Session> {
    conn.prepare_cached(
        "SELECT kind, subject, created_at, expires_at FROM sessions
         WHERE token_hash = ?1 AND expires_at > ?2",
    )?
    .query_row(params![hash, now], from_row)
    .optional()?
    .ok_or(StoreError::not_found("session"))
}

/// Moves the expiry of a session still valid at `now`.
pub(crate) fn extend(
    conn: &Connection,
    hash: &[u8; 32],
    expires_at: UnixMillis,
    now: UnixMillis,
) -> Result<Session> {
    conn.query_row(
        "UPDATE sessions SET expires_at = ?2 WHERE token_hash = ?1 AND expires_at > ?3
         RETURNING kind, subject, created_at, expires_at",
        params![hash, expires_at, now],
        from_row,
    )
    .optional()?
    .ok_or(StoreError::not_found("session"))
}

/// Deletes the session; `false` when there was none.
pub(crate) fn delete(conn: &Connection, hash: &[u8; 32]) -> Result<bool> {
    Ok(conn.execute("DELETE FROM sessions WHERE token_hash = ?1", [hash])? > 0)
}

/// Deletes every session of the subject (log out everywhere); returns how many.
pub(crate) fn delete_of(conn: &Connection, subject: &SessionSubject) -> Result<u64> {
    let deleted = conn.execute(
        "DELETE FROM sessions WHERE kind = ?1 AND subject = ?2",
        params![subject.kind(), subject.subject()],
    )?;
    Ok(deleted as u64)
}

/// Deletes every session expired at `now`; returns how many.
pub(crate) fn purge_expired(conn: &Connection, now: UnixMillis) -> Result<u64> {
    let deleted = conn.execute("DELETE FROM sessions WHERE expires_at <= ?1", [now])?;
    Ok(deleted as u64)
}
