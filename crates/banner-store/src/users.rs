//! Users: the agents, supervisors and admins who log in to the Banner.
//!
//! The store keeps the password hash it is given (the server hashes with
//! argon2id) and never sees a password. Usernames are unique regardless of
//! ASCII case, so `Alice` and `alice` cannot be two accounts.

use std::fmt;

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::error::{Result, StoreError};
use crate::ids::{UnixMillis, UserId};
use crate::sessions::{self, SessionSubject};

/// A user to create.
#[derive(Clone, PartialEq, Eq)]
pub struct NewUser {
    /// The login name; unique, compared without regard to ASCII case.
    pub username: String,
    /// The name shown to visitors and colleagues.
    pub display_name: String,
    /// The password hash in PHC string format, made by the caller.
    pub password_hash: String,
    /// The name of the profile (set of permissions) from the configuration.
    pub profile: String,
    /// How many chats the user takes at once.
    pub capacity: u32,
    /// Notification settings as a JSON object.
    pub settings: String,
    /// When the account was made.
    pub created_at: UnixMillis,
}

/// A stored user.
#[derive(Clone, PartialEq, Eq)]
pub struct User {
    /// Allocated by the store.
    pub id: UserId,
    /// The login name.
    pub username: String,
    /// The name shown to others.
    pub display_name: String,
    /// The password hash, as given.
    pub password_hash: String,
    /// The profile's name.
    pub profile: String,
    /// How many chats at once.
    pub capacity: u32,
    /// Notification settings (JSON).
    pub settings: String,
    /// When the account was made.
    pub created_at: UnixMillis,
    /// The last change.
    pub updated_at: UnixMillis,
}

/// Changes to a user; `None` leaves a field as it is.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct UserUpdate {
    /// A new display name.
    pub display_name: Option<String>,
    /// A new password hash.
    pub password_hash: Option<String>,
    /// A new profile.
    pub profile: Option<String>,
    /// A new capacity.
    pub capacity: Option<u32>,
    /// New notification settings (JSON).
    pub settings: Option<String>,
    /// When the change is made.
    pub updated_at: UnixMillis,
}

// Hand-written so a hash never reaches a log through `{:?}`.
impl fmt::Debug for NewUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewUser")
            .field("username", &self.username)
            .field("display_name", &self.display_name)
            .field("password_hash", &"<redacted>")
            .field("profile", &self.profile)
            .field("capacity", &self.capacity)
            .field("settings", &self.settings)
            .field("created_at", &self.created_at)
            .finish()
    }
}

impl fmt::Debug for User {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("display_name", &self.display_name)
            .field("password_hash", &"<redacted>")
            .field("profile", &self.profile)
            .field("capacity", &self.capacity)
            .field("settings", &self.settings)
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .finish()
    }
}

impl fmt::Debug for UserUpdate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserUpdate")
            .field("display_name", &self.display_name)
            .field(
                "password_hash",
                &self.password_hash.as_ref().map(|_| "<redacted>"),
            )
            .field("profile", &self.profile)
            .field("capacity", &self.capacity)
            .field("settings", &self.settings)
            .field("updated_at", &self.updated_at)
            .finish()
    }
}

const COLUMNS: &str = "id, username, display_name, password_hash, profile, capacity, settings, created_at, updated_at";

fn from_row(row: &Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: UserId(row.get(0)?),
        username: row.get(1)?,
        display_name: row.get(2)?,
        password_hash: row.get(3)?,
        profile: row.get(4)?,
        capacity: row.get(5)?,
        settings: row.get(6)?,
        created_at: row.get(7)?,
        updated_at: row.get(8)?,
    })
}

pub(crate) fn create(conn: &Connection, new: &NewUser) -> Result<User> {
    if new.username.trim().is_empty() {
        return Err(StoreError::invalid("a user needs a username"));
    }
    let taken = conn
        .query_row(
            "SELECT 1 FROM users WHERE username = ?1",
            [&new.username],
            |_| Ok(()),
        )
        .optional()?;
    if taken.is_some() {
        return Err(StoreError::Conflict(format!(
            "the username {:?} is taken",
            new.username
        )));
    }
    let sql = format!(
        "INSERT INTO users (username, display_name, password_hash, profile, capacity, settings,
                            created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) RETURNING {COLUMNS}"
    );
    Ok(conn.query_row(
        &sql,
        params![
            new.username,
            new.display_name,
            new.password_hash,
            new.profile,
            new.capacity,
            new.settings,
            new.created_at
        ],
        from_row,
    )?)
}

pub(crate) fn get(conn: &Connection, id: UserId) -> Result<User> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = ?1");
    conn.query_row(&sql, [id.0], from_row)
        .optional()?
        .ok_or(StoreError::not_found("user"))
}

pub(crate) fn by_username(conn: &Connection, username: &str) -> Result<User> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE username = ?1");
    conn.query_row(&sql, [username], from_row)
        .optional()?
        .ok_or(StoreError::not_found("user"))
}

pub(crate) fn all(conn: &Connection) -> Result<Vec<User>> {
    let sql = format!("SELECT {COLUMNS} FROM users ORDER BY id");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn update(conn: &Connection, id: UserId, update: &UserUpdate) -> Result<User> {
    let sql = format!(
        "UPDATE users SET
             display_name  = COALESCE(?2, display_name),
             password_hash = COALESCE(?3, password_hash),
             profile       = COALESCE(?4, profile),
             capacity      = COALESCE(?5, capacity),
             settings      = COALESCE(?6, settings),
             updated_at    = ?7
         WHERE id = ?1 RETURNING {COLUMNS}"
    );
    conn.query_row(
        &sql,
        params![
            id.0,
            update.display_name,
            update.password_hash,
            update.profile,
            update.capacity,
            update.settings,
            update.updated_at
        ],
        from_row,
    )
    .optional()?
    .ok_or(StoreError::not_found("user"))
}

/// Deletes the user and every session they hold.
pub(crate) fn delete(conn: &Connection, id: UserId) -> Result<()> {
    if conn.execute("DELETE FROM users WHERE id = ?1", [id.0])? == 0 {
        return Err(StoreError::not_found("user"));
    }
    sessions::delete_of(conn, &SessionSubject::Agent(id))?;
    Ok(())
}
