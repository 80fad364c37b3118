//! Each agent's notification switches, kept in the store's settings under
//! `notifications:<agent id>` (in the wire's JSON form) so that a change made
//! in the Banner outlives a restart. The configuration file gives the starting
//! switches; a stored change wins over it.

use banner_core::AgentId;
use banner_proto::NotificationSettings;
use banner_store::Store;

use super::{Hub, HubError};
use crate::wire;

fn key(agent: AgentId) -> String {
    format!("notifications:{}", agent.0)
}

/// The setting that keeps `agent`'s switches.
pub fn to_setting(agent: AgentId, settings: banner_core::NotificationSettings) -> (String, String) {
    let wire = wire::notifications_to_proto(settings);
    (key(agent), serde_json::to_string(&wire).unwrap_or_default())
}

impl<S: Store> Hub<S> {
    /// Applies the stored switches of every agent on the floor.
    pub(super) async fn load_notifications(&mut self) -> Result<(), HubError> {
        let agents: Vec<AgentId> = self.floor.config.agents.iter().map(|a| a.id).collect();
        for agent in agents {
            let Some(json) = self.store.setting(&key(agent)).await? else {
                continue;
            };
            // A value this version cannot read is left for the file's default.
            let Ok(stored) = serde_json::from_str::<NotificationSettings>(&json) else {
                tracing::warn!(agent = agent.0, "unreadable stored notification settings");
                continue;
            };
            let settings = wire::notifications_to_core(stored);
            if self
                .engine
                .set_notification_settings(agent, settings)
                .is_ok()
            {
                self.notifications.insert(agent, settings);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switches_round_trip_through_their_setting() {
        let settings = banner_core::NotificationSettings {
            message_arrives: false,
            ..Default::default()
        };
        let (key, json) = to_setting(AgentId(7), settings);
        assert_eq!(key, "notifications:7");
        let back: NotificationSettings = serde_json::from_str(&json).unwrap();
        assert_eq!(wire::notifications_to_core(back), settings);
    }
}
