//! A conversation as agents see it: who the visitor is, where the chat stands,
//! what smart routing collected, and what the agent may do with it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::agent::AgentRef;
use crate::ids::{ConversationId, Seq, UnixMillis};
use crate::routing::{Entry, Place, QueueRef};

/// Who is chatting from the widget.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct VisitorInfo {
    /// The visitor's id: random for anonymous visitors, stable per browser.
    pub visitor_id: String,
    /// Set for an authenticated customer (the host site signed the id).
    pub customer: Option<CustomerInfo>,
    /// The widget's language, as a BCP 47 tag (e.g. "fr-FR"), if it gave one.
    pub locale: Option<String>,
}

/// An authenticated customer. Only `id` is vouched for by the host site's
/// signature; `name` and `email` are what the host page claimed.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct CustomerInfo {
    /// The host site's id for the customer (signed).
    pub id: String,
    /// The customer's name, as the host page gave it.
    pub name: Option<String>,
    /// The customer's e-mail address, as the host page gave it.
    pub email: Option<String>,
}

/// An agent script attached to a queue.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct Script {
    /// The script's name.
    pub name: String,
    /// The text of its first node.
    pub first_node: String,
}

/// What the agent holding a chat may do with it, by profile and queue options.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct Actions {
    /// Transfer to a user.
    pub transfer_to_user: bool,
    /// Transfer to a queue.
    pub transfer_to_queue: bool,
    /// Transfer to a smart routing flow.
    pub transfer_to_flow: bool,
    /// The queue's qualification form, when the profile may fill it in.
    pub qualification_form: Option<String>,
    /// The queue's script, when the profile may run it.
    pub script: Option<Script>,
    /// A video call, when the queue enables it and the profile allows it.
    pub video_call: bool,
}

/// `GET /v1/conversations/{id}`: a conversation's state, for the chat panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ConversationDetails {
    /// Identity.
    pub conversation: ConversationId,
    /// Who is chatting.
    pub visitor: VisitorInfo,
    /// How its interactions are routed.
    pub entry: Entry,
    /// Where it stands now.
    pub place: Place,
    /// The queue of the current interaction, if any.
    pub queue: Option<QueueRef>,
    /// The agent holding it (active, waiting for the customer, or in wrap-up).
    pub agent: Option<AgentRef>,
    /// Answers smart routing collected (e.g. `case_type`).
    pub variables: BTreeMap<String, String>,
    /// Interactions so far (a customer's continuous conversation has several).
    pub interactions: u32,
    /// When the current interaction started.
    pub started_at: UnixMillis,
    /// The last `seq` of its log now: fetch events up to here, then follow the socket.
    pub latest_seq: Seq,
    /// What the caller may do with it; `null` unless the caller holds it.
    pub actions: Option<Actions>,
}
