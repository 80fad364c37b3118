//! Brings the store in line with the floor's settings at start: the queue and
//! flow numbers (only ever added to), and the users (created with a hashed
//! password, or updated). Then builds the [`Floor`].

use std::collections::HashMap;

use banner_core::AgentId;
use banner_store::{NewUser, Store, StoreError, UserUpdate};

use super::{Floor, FloorError, Ids, build};
use crate::auth::password;
use crate::clock;
use crate::settings::Settings;

/// The store setting holding [`Ids`] as JSON.
pub const IDS_KEY: &str = "floor.ids";

/// Why the floor could not be brought up.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The configuration is wrong.
    #[error(transparent)]
    Floor(#[from] FloorError),
    /// The store failed.
    #[error("store: {0}")]
    Store(#[from] StoreError),
    /// A stored value could not be read back.
    #[error("stored {what} is corrupt: {message}")]
    Corrupt { what: &'static str, message: String },
    /// Hashing a password failed.
    #[error("password hashing: {0}")]
    Hash(String),
}

/// Loads and extends the stored ids, syncs users, and builds the floor.
pub async fn sync<S: Store>(store: &S, settings: &Settings) -> Result<Floor, SyncError> {
    let now = clock::now_store();
    let mut ids: Ids = match store.setting(IDS_KEY).await? {
        Some(json) => serde_json::from_str(&json).map_err(|e| SyncError::Corrupt {
            what: "floor ids",
            message: e.to_string(),
        })?,
        None => Ids::default(),
    };
    if ids.assign(settings) {
        let json = serde_json::to_string(&ids).map_err(|e| SyncError::Corrupt {
            what: "floor ids",
            message: e.to_string(),
        })?;
        store.put_setting(IDS_KEY, &json, now).await?;
    }
    let mut users = HashMap::new();
    for u in &settings.users {
        let id = match store.user_by_username(&u.username).await {
            Ok(existing) => {
                let update = UserUpdate {
                    display_name: Some(u.name.clone()),
                    password_hash: u.password_hash.clone(),
                    profile: Some(u.profile.clone()),
                    capacity: Some(u.capacity),
                    settings: None,
                    updated_at: now,
                };
                store.update_user(existing.id, update).await?.id
            }
            Err(StoreError::NotFound { .. }) => {
                let hash = match (&u.password_hash, &u.password) {
                    (Some(hash), _) => hash.clone(),
                    (None, Some(plain)) => password::hash_blocking(plain.clone())
                        .await
                        .map_err(|e| SyncError::Hash(e.to_string()))?,
                    (None, None) => {
                        return Err(FloorError::NoPassword(u.username.clone()).into());
                    }
                };
                let new = NewUser {
                    username: u.username.clone(),
                    display_name: u.name.clone(),
                    password_hash: hash,
                    profile: u.profile.clone(),
                    capacity: u.capacity,
                    settings: "{}".into(),
                    created_at: now,
                };
                store.create_user(new).await?.id
            }
            Err(e) => return Err(e.into()),
        };
        let id = u32::try_from(id.0).map_err(|_| SyncError::Corrupt {
            what: "user id",
            message: format!("{} does not fit an agent id", id.0),
        })?;
        users.insert(u.username.to_ascii_lowercase(), AgentId(id));
    }
    Ok(build(settings, &ids, &users)?)
}
