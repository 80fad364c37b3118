//! The agent's notification settings on this computer: which of the five
//! kinds of native notification to show (the kinds of banner-proto's
//! `NotificationSettings`) and whether the incoming popup plays its sound.
//! Kept in `notifications.json` in the app's data dir, like the remembered
//! login, so they hold across restarts and before anyone logs in; the
//! notifier reads them for every `notification` frame.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use banner_proto::{NotificationKind, NotificationSettings};
use serde::{Deserialize, Serialize};

/// What the notification settings page edits (`NotificationPrefs` in
/// `ui/src/banner/backend/types.ts`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationPrefs {
    /// One switch per kind of native notification.
    pub kinds: NotificationSettings,
    /// The incoming popup's short tone.
    pub popup_sound: bool,
}

impl Default for NotificationPrefs {
    /// Everything on: an agent who never opened the page misses nothing.
    fn default() -> Self {
        NotificationPrefs {
            kinds: NotificationSettings {
                message_arrives: true,
                monitored_queue_message: true,
                messaging_ended: true,
                participant_leaves: true,
                message_exits_queue: true,
            },
            popup_sound: true,
        }
    }
}

impl NotificationPrefs {
    /// Whether a notification of `kind` is shown.
    pub fn wants(&self, kind: NotificationKind) -> bool {
        let k = &self.kinds;
        match kind {
            NotificationKind::MessageArrives => k.message_arrives,
            NotificationKind::MonitoredQueueMessage => k.monitored_queue_message,
            NotificationKind::MessagingEnded => k.messaging_ended,
            NotificationKind::ParticipantLeaves => k.participant_leaves,
            NotificationKind::MessageExitsQueue => k.message_exits_queue,
        }
    }
}

/// The file in `data_dir`.
pub fn file(data_dir: &Path) -> PathBuf {
    data_dir.join("notifications.json")
}

/// The saved settings; the defaults when none (or nothing readable) is saved.
pub fn load(data_dir: &Path) -> NotificationPrefs {
    std::fs::read(file(data_dir))
        .ok()
        .and_then(|text| serde_json::from_slice(&text).ok())
        .unwrap_or_default()
}

/// Saves `prefs` (creating the data dir if needed).
pub fn save(data_dir: &Path, prefs: &NotificationPrefs) -> std::io::Result<()> {
    std::fs::create_dir_all(data_dir)?;
    let json = serde_json::to_vec_pretty(prefs).map_err(std::io::Error::other)?;
    std::fs::write(file(data_dir), json)
}

/// The settings in force (state given to `manage()`), read by the notifier
/// on its own threads.
#[derive(Debug, Default)]
pub struct Current(Mutex<NotificationPrefs>);

impl Current {
    /// Starts from what `data_dir` holds.
    pub fn load(data_dir: &Path) -> Self {
        Current(Mutex::new(load(data_dir)))
    }

    /// The settings now.
    pub fn get(&self) -> NotificationPrefs {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Puts `prefs` in force.
    pub fn set(&self, prefs: NotificationPrefs) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = prefs;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_settings_come_back_and_missing_ones_mean_everything_on() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("data");
        assert_eq!(load(&dir), NotificationPrefs::default());
        let mut prefs = NotificationPrefs::default();
        prefs.kinds.messaging_ended = false;
        prefs.popup_sound = false;
        save(&dir, &prefs).unwrap();
        assert_eq!(load(&dir), prefs);
        assert!(!prefs.wants(NotificationKind::MessagingEnded));
        assert!(prefs.wants(NotificationKind::MessageArrives));
    }

    #[test]
    fn an_unreadable_file_falls_back_to_the_defaults() {
        let temp = tempfile::tempdir().unwrap();
        std::fs::write(file(temp.path()), b"{not json").unwrap();
        assert_eq!(load(temp.path()), NotificationPrefs::default());
    }
}
