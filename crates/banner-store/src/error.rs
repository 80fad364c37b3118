//! The store's typed errors, and how SQLite's errors map onto them.

use rusqlite::ErrorCode;
use rusqlite::ffi;

/// Shorthand for results of store operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Everything a store operation can fail with.
///
/// The error is `Clone` because one failed commit answers every command of its
/// batch with the same error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The named thing (a conversation, a user, a session…) does not exist.
    #[error("{what} not found")]
    NotFound {
        /// What was looked for, e.g. `"conversation"`.
        what: &'static str,
    },
    /// The write contradicts what is stored: a username already taken, or a retry
    /// whose `client_id` is stored with a different kind or body.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The input breaks a rule of the store (empty kind, body that is not JSON…).
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// The store is shut down (or its writer thread stopped): nothing was done.
    #[error("the store is closed")]
    Closed,
    /// The database was written by a newer Banner; this build will not touch it.
    #[error("database schema version {found} is newer than the {supported} this build supports")]
    UnsupportedSchema {
        /// The `user_version` found in the file.
        found: u32,
        /// The newest version this build knows.
        supported: u32,
    },
    /// The data directory could not be created or read.
    #[error("I/O error: {0}")]
    Io(String),
    /// Any other SQLite failure (disk full, corruption, a bug in a query…).
    #[error("sqlite: {0}")]
    Sqlite(String),
}

impl StoreError {
    /// A [`StoreError::NotFound`] for `what`.
    pub(crate) fn not_found(what: &'static str) -> Self {
        Self::NotFound { what }
    }

    /// A [`StoreError::InvalidInput`] with the given explanation.
    pub(crate) fn invalid(why: impl Into<String>) -> Self {
        Self::InvalidInput(why.into())
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        if let rusqlite::Error::SqliteFailure(code, _) = &err
            && code.code == ErrorCode::ConstraintViolation
        {
            return match code.extended_code {
                ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                    Self::Conflict(err.to_string())
                }
                ffi::SQLITE_CONSTRAINT_CHECK
                | ffi::SQLITE_CONSTRAINT_NOTNULL
                | ffi::SQLITE_CONSTRAINT_FOREIGNKEY => Self::InvalidInput(err.to_string()),
                _ => Self::Sqlite(err.to_string()),
            };
        }
        Self::Sqlite(err.to_string())
    }
}

impl From<std::io::Error> for StoreError {
    fn from(err: std::io::Error) -> Self {
        Self::Io(err.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    fn violation(sql: &str) -> StoreError {
        let conn = Connection::open_in_memory().expect("in-memory db");
        conn.execute_batch(
            "CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL CHECK (v > 0));
             INSERT INTO t VALUES ('a', 1);",
        )
        .expect("schema");
        StoreError::from(conn.execute_batch(sql).expect_err("must fail"))
    }

    #[test]
    fn unique_violation_is_a_conflict() {
        assert!(matches!(
            violation("INSERT INTO t VALUES ('a', 2)"),
            StoreError::Conflict(_)
        ));
    }

    #[test]
    fn check_and_not_null_violations_are_invalid_input() {
        assert!(matches!(
            violation("INSERT INTO t VALUES ('b', 0)"),
            StoreError::InvalidInput(_)
        ));
        assert!(matches!(
            violation("INSERT INTO t VALUES ('b', NULL)"),
            StoreError::InvalidInput(_)
        ));
    }

    #[test]
    fn other_failures_are_sqlite_errors() {
        assert!(matches!(
            violation("SELECT * FROM missing"),
            StoreError::Sqlite(_)
        ));
    }
}
