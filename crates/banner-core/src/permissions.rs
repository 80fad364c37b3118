//! Profiles: what an agent may do. Checked by the engine on every action, so the
//! server refuses what the UI merely hides.

use std::collections::BTreeSet;

/// One thing a profile may allow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Permission {
    /// Take a chat from "Messages pending" with the hand button.
    Pick,
    /// Transfer a chat to another user.
    TransferToUser,
    /// Transfer a chat to a queue.
    TransferToQueue,
    /// Transfer a chat to a smart routing flow, to qualify it again.
    TransferToFlow,
    /// Fill in the queue's qualification form.
    Qualification,
    /// Run the script attached to the queue (its first node shows in the popup).
    Script,
    /// Offer a video call where the queue enables it.
    VideoCall,
    /// See every queue, agent and conversation live (supervisors).
    Monitor,
    /// Send private messages into a chat one does not hold (supervisors).
    Whisper,
    /// Move another agent's chat elsewhere, or to oneself (supervisors).
    Reassign,
    /// Read reports (supervisors).
    Reports,
    /// Change configuration (admins).
    Admin,
}

impl Permission {
    /// Every permission, for the admin profile and for tests.
    pub const ALL: [Permission; 12] = [
        Permission::Pick,
        Permission::TransferToUser,
        Permission::TransferToQueue,
        Permission::TransferToFlow,
        Permission::Qualification,
        Permission::Script,
        Permission::VideoCall,
        Permission::Monitor,
        Permission::Whisper,
        Permission::Reassign,
        Permission::Reports,
        Permission::Admin,
    ];
}

/// A named set of permissions plus the two distribution behaviours a profile sets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    /// The profile's name, as configured.
    pub name: String,
    /// What agents with this profile may do.
    pub permissions: BTreeSet<Permission>,
    /// Offers are accepted automatically after the queue's visible countdown
    /// (when the queue allows auto-accept).
    pub auto_accept: bool,
    /// Offers are shown "In preview" for the queue's preview delay before they ring
    /// (when the queue has a preview delay).
    pub preview: bool,
}

impl Profile {
    /// A profile with these permissions and neither auto-accept nor preview.
    pub fn new(name: impl Into<String>, permissions: impl IntoIterator<Item = Permission>) -> Self {
        Profile {
            name: name.into(),
            permissions: permissions.into_iter().collect(),
            auto_accept: false,
            preview: false,
        }
    }

    /// The usual agent: picks, transfers, and uses the queue's tools.
    pub fn agent() -> Self {
        use Permission::*;
        Profile::new(
            "agent",
            [
                Pick,
                TransferToUser,
                TransferToQueue,
                TransferToFlow,
                Qualification,
                Script,
                VideoCall,
            ],
        )
    }

    /// An agent who also supervises the floor.
    pub fn supervisor() -> Self {
        let mut profile = Profile::agent();
        profile.name = "supervisor".into();
        profile.permissions.extend([
            Permission::Monitor,
            Permission::Whisper,
            Permission::Reassign,
            Permission::Reports,
        ]);
        profile
    }

    /// Whether this profile allows `permission`.
    pub fn allows(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_agent_cannot_supervise() {
        let agent = Profile::agent();
        assert!(agent.allows(Permission::Pick));
        assert!(!agent.allows(Permission::Monitor));
        assert!(!agent.allows(Permission::Reassign));
        let supervisor = Profile::supervisor();
        assert!(supervisor.allows(Permission::Monitor) && supervisor.allows(Permission::Pick));
    }
}
