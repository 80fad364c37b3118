//! The shapes of the floor in the settings file: profiles, queues, flows, users
//! and sites, named by strings. `floor::build` checks them and maps the names to
//! banner-core's numbers.

use banner_proto::Permission;
use serde::{Deserialize, Serialize};

/// A named permission set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileSettings {
    /// The name users refer to.
    pub name: String,
    /// What it allows (`pick`, `transfer_to_user`, … `admin`).
    pub permissions: Vec<Permission>,
    /// Offers are accepted automatically where the queue allows it.
    #[serde(default)]
    pub auto_accept: bool,
    /// Offers are shown in preview first where the queue has a preview delay.
    #[serde(default)]
    pub preview: bool,
}

/// A queue's options; every field has banner-core's default.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QueueOptionsSettings {
    /// How long an offer rings, in seconds.
    pub offer_timeout_secs: u64,
    /// The auto-accept countdown, in seconds; absent: no auto-accept.
    pub auto_accept_secs: Option<u64>,
    /// The preview delay, in seconds; absent: no preview.
    pub preview_secs: Option<u64>,
    /// "Wait for customer" freezes the chat.
    pub freeze: bool,
    /// How long an anonymous visitor who dropped has to come back, in seconds.
    pub reconnection_timeout_secs: u64,
    /// How long wrap-up may last, in seconds.
    pub wrap_up_limit_secs: u64,
    /// The qualification form's name.
    pub qualification_form: Option<String>,
    /// The agent script.
    pub script: Option<ScriptSettings>,
    /// Agents may offer a video call.
    pub video_call: bool,
}

impl Default for QueueOptionsSettings {
    fn default() -> Self {
        let core = banner_core::QueueOptions::default();
        QueueOptionsSettings {
            offer_timeout_secs: core.offer_timeout.as_secs(),
            auto_accept_secs: core.auto_accept.map(|d| d.as_secs()),
            preview_secs: core.preview_delay.map(|d| d.as_secs()),
            freeze: core.freeze,
            reconnection_timeout_secs: core.reconnection_timeout.as_secs(),
            wrap_up_limit_secs: core.wrap_up_limit.as_secs(),
            qualification_form: core.qualification_form,
            script: None,
            video_call: core.video_call,
        }
    }
}

/// An agent script attached to a queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScriptSettings {
    /// The script's name.
    pub name: String,
    /// The text of its first node.
    pub first_node: String,
}

/// A queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueSettings {
    /// The name flows, users and sites refer to.
    pub id: String,
    /// The label agents see.
    pub label: String,
    /// Higher is served first.
    #[serde(default)]
    pub priority: i32,
    /// Distribution options.
    #[serde(default)]
    pub options: QueueOptionsSettings,
}

/// Where a flow's route, or a site's entry, sends a chat.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum TargetSettings {
    /// `{ queue = "billing" }`
    Queue(String),
    /// `{ flow = "welcome" }`
    Flow(String),
}

/// A smart routing flow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlowSettings {
    /// The name routes and sites refer to.
    pub id: String,
    /// The name agents see.
    pub name: String,
    /// The id of the first node.
    pub start: String,
    /// The nodes.
    pub nodes: Vec<NodeSettings>,
}

/// One step of a flow, tagged by `type`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum NodeSettings {
    /// Send a message, then go on to `next`.
    Message {
        id: String,
        text: String,
        next: String,
    },
    /// Ask; the answer is stored in `variable`.
    Question {
        id: String,
        text: String,
        variable: String,
        next: String,
    },
    /// Offer buttons; the chosen option's value is stored in `variable`.
    Choice {
        id: String,
        text: String,
        variable: String,
        options: Vec<ChoiceSettings>,
    },
    /// Route by the first matching rule, else `otherwise`.
    Route {
        id: String,
        #[serde(default)]
        rules: Vec<RuleSettings>,
        otherwise: TargetSettings,
    },
}

impl NodeSettings {
    /// The node's id.
    pub fn id(&self) -> &str {
        match self {
            NodeSettings::Message { id, .. }
            | NodeSettings::Question { id, .. }
            | NodeSettings::Choice { id, .. }
            | NodeSettings::Route { id, .. } => id,
        }
    }
}

/// One button of a choice menu.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceSettings {
    /// What the button says.
    pub label: String,
    /// What is stored.
    pub value: String,
    /// The node it leads to.
    pub next: String,
}

/// A routing rule: `variable` equals one of `any_of` (ignoring ASCII case).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSettings {
    /// The variable tested.
    pub variable: String,
    /// The values that match.
    pub any_of: Vec<String>,
    /// Where a match goes.
    pub to: TargetSettings,
}

/// A user of the Banner.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserSettings {
    /// The login name.
    pub username: String,
    /// The name colleagues and visitors see.
    pub name: String,
    /// An argon2id PHC string (`banner-server --hash-password` prints one). Set on
    /// every start.
    #[serde(default)]
    pub password_hash: Option<String>,
    /// A plain password, hashed when the user is first created (for trials;
    /// prefer `password_hash`).
    #[serde(default)]
    pub password: Option<String>,
    /// The profile's name.
    #[serde(default = "default_profile")]
    pub profile: String,
    /// How many chats at once.
    #[serde(default = "default_capacity")]
    pub capacity: u32,
    /// Queues whose chats this user answers.
    #[serde(default)]
    pub queues: Vec<String>,
    /// Queues this user monitors.
    #[serde(default)]
    pub monitored_queues: Vec<String>,
}

fn default_profile() -> String {
    "agent".into()
}

fn default_capacity() -> u32 {
    3
}

// Hand-written so that passwords and hashes never reach a log.
impl std::fmt::Debug for UserSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserSettings")
            .field("username", &self.username)
            .field("name", &self.name)
            .field("profile", &self.profile)
            .field("capacity", &self.capacity)
            .field("queues", &self.queues)
            .finish_non_exhaustive()
    }
}

/// A website whose widget opens visitor sessions.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteSettings {
    /// The public key in the embed code.
    pub key: String,
    /// The secret the site's back end signs customer ids with (HMAC-SHA256).
    /// Absent: this site has anonymous visitors only.
    #[serde(default)]
    pub secret: Option<String>,
    /// Where the site's chats start: `{ flow = "…" }` or `{ queue = "…" }`.
    pub entry: TargetSettings,
    /// For direct routing (`direct_agent`): the queue a declined chat goes to.
    #[serde(default)]
    pub direct_fallback: Option<String>,
}

impl std::fmt::Debug for SiteSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SiteSettings")
            .field("key", &self.key)
            .field("entry", &self.entry)
            .finish_non_exhaustive()
    }
}
