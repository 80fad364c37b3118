//! The logged-in agent's profile on the wire (`login` and `welcome`).

use banner_core as core;
use banner_proto as proto;

use super::event::Names;

/// The profile of `agent`, with their live presence and settings from the engine.
pub fn agent_profile(
    names: &Names<'_>,
    config: &core::AgentConfig,
    presence: core::Presence,
) -> proto::AgentProfile {
    let username = names
        .floor
        .agents
        .get(&config.id)
        .map_or_else(String::new, |a| a.username.clone());
    let mut permissions: Vec<proto::Permission> = config
        .profile
        .permissions
        .iter()
        .map(|p| super::permission_to_proto(*p))
        .collect();
    permissions.sort();
    proto::AgentProfile {
        id: proto::AgentId(config.id.0),
        username,
        name: config.name.clone(),
        profile: config.profile.name.clone(),
        permissions,
        capacity: config.capacity,
        auto_accept: config.profile.auto_accept,
        preview: config.profile.preview,
        queues: config.queues.iter().map(|q| names.queue(*q)).collect(),
        monitored_queues: config
            .monitored_queues
            .iter()
            .map(|q| names.queue(*q))
            .collect(),
        notifications: super::notifications_to_proto(config.notifications),
        presence: super::presence_to_proto(presence),
    }
}
