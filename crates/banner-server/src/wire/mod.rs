//! The map between banner-core's domain and banner-proto's wire (the two never
//! meet elsewhere): permissions, presence, notifications, errors ([`codes`]),
//! events ([`event`]) and the agent's profile ([`profile`]).

pub mod codes;
pub mod event;
pub mod profile;

use banner_core as core;
use banner_proto as proto;

/// A wire permission in the domain's words.
pub fn permission_to_core(p: proto::Permission) -> core::Permission {
    use core::Permission as C;
    use proto::Permission as P;
    match p {
        P::Pick => C::Pick,
        P::TransferToUser => C::TransferToUser,
        P::TransferToQueue => C::TransferToQueue,
        P::TransferToFlow => C::TransferToFlow,
        P::Qualification => C::Qualification,
        P::Script => C::Script,
        P::VideoCall => C::VideoCall,
        P::Monitor => C::Monitor,
        P::Whisper => C::Whisper,
        P::Reassign => C::Reassign,
        P::Reports => C::Reports,
        P::Admin => C::Admin,
    }
}

/// A domain permission on the wire.
pub fn permission_to_proto(p: core::Permission) -> proto::Permission {
    use core::Permission as C;
    use proto::Permission as P;
    match p {
        C::Pick => P::Pick,
        C::TransferToUser => P::TransferToUser,
        C::TransferToQueue => P::TransferToQueue,
        C::TransferToFlow => P::TransferToFlow,
        C::Qualification => P::Qualification,
        C::Script => P::Script,
        C::VideoCall => P::VideoCall,
        C::Monitor => P::Monitor,
        C::Whisper => P::Whisper,
        C::Reassign => P::Reassign,
        C::Reports => P::Reports,
        C::Admin => P::Admin,
    }
}

/// A presence on the wire.
pub fn presence_to_proto(p: core::Presence) -> proto::Presence {
    match p {
        core::Presence::Offline => proto::Presence::Offline,
        core::Presence::Available => proto::Presence::Available,
        core::Presence::Away => proto::Presence::Away,
    }
}

/// A wire presence in the domain's words.
pub fn presence_to_core(p: proto::Presence) -> core::Presence {
    match p {
        proto::Presence::Offline => core::Presence::Offline,
        proto::Presence::Available => core::Presence::Available,
        proto::Presence::Away => core::Presence::Away,
    }
}

/// Notification switches on the wire.
pub fn notifications_to_proto(s: core::NotificationSettings) -> proto::NotificationSettings {
    proto::NotificationSettings {
        message_arrives: s.message_arrives,
        monitored_queue_message: s.monitored_queue_message,
        messaging_ended: s.messaging_ended,
        participant_leaves: s.participant_leaves,
        message_exits_queue: s.message_exits_queue,
    }
}

/// Wire notification switches in the domain's words.
pub fn notifications_to_core(s: proto::NotificationSettings) -> core::NotificationSettings {
    core::NotificationSettings {
        message_arrives: s.message_arrives,
        monitored_queue_message: s.monitored_queue_message,
        messaging_ended: s.messaging_ended,
        participant_leaves: s.participant_leaves,
        message_exits_queue: s.message_exits_queue,
    }
}

/// A notification kind on the wire.
pub fn notification_kind(k: core::NotificationKind) -> proto::NotificationKind {
    use core::NotificationKind as C;
    use proto::NotificationKind as P;
    match k {
        C::MessageArrives => P::MessageArrives,
        C::MonitoredQueueMessage => P::MonitoredQueueMessage,
        C::MessagingEnded => P::MessagingEnded,
        C::ParticipantLeaves => P::ParticipantLeaves,
        C::MessageExitsQueue => P::MessageExitsQueue,
    }
}

/// A conversation id on the wire.
pub fn conversation_to_proto(c: core::ConversationId) -> proto::ConversationId {
    proto::ConversationId(c.0)
}

/// A wire conversation id in the domain's words.
pub fn conversation_to_core(c: proto::ConversationId) -> core::ConversationId {
    core::ConversationId(c.0)
}

/// Where a conversation stands.
pub fn place_to_proto(p: core::Place) -> proto::Place {
    match p {
        core::Place::Idle => proto::Place::Idle,
        core::Place::Routing => proto::Place::Routing,
        core::Place::Pending => proto::Place::Pending,
        core::Place::Offered => proto::Place::Offered,
        core::Place::Active => proto::Place::Active,
        core::Place::PendingCustomer => proto::Place::PendingCustomer,
        core::Place::WrapUp => proto::Place::WrapUp,
        core::Place::Ended => proto::Place::Ended,
    }
}
