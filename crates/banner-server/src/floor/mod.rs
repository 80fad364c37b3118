//! The floor: the configured profiles, queues, flows, users and sites, checked
//! and mapped from the settings' string names to banner-core's numbers.
//!
//! Queue and flow numbers appear in the event log, so they must not change when
//! the file is edited: [`Ids`] keeps the name → number map in the store and only
//! ever adds to it. Agents are numbered by the store's user ids.
//!
//! Layout: [`settings`] (the file's shapes), `flows` (flow graphs), [`sync`]
//! (users and ids in the store), [`demo`] (the `--demo` floor).

pub mod demo;
mod flows;
pub mod settings;
pub mod sync;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Duration;

use banner_core::{
    AgentConfig, AgentId, Config, ConfigError, Entry, FlowId, Permission, Profile, QueueConfig,
    QueueId, QueueOptions, Script,
};
use serde::{Deserialize, Serialize};

use crate::settings::Settings;
use crate::wire;
use settings::{QueueOptionsSettings, TargetSettings};

/// Why the floor's configuration was refused.
#[derive(Debug, thiserror::Error)]
pub enum FloorError {
    /// A name refers to something not configured.
    #[error("{what} {name:?} is not configured")]
    Unknown { what: &'static str, name: String },
    /// Two things share a name.
    #[error("{what} {name:?} is configured twice")]
    Duplicate { what: &'static str, name: String },
    /// A user has neither a password nor a password hash.
    #[error("user {0:?} needs a password_hash (or a password)")]
    NoPassword(String),
    /// banner-core refused the configuration.
    #[error("the routing configuration is invalid: {0}")]
    Core(#[from] ConfigError),
}

/// Name → number maps for queues and flows, kept in the store.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ids {
    /// Queue names.
    pub queues: BTreeMap<String, u32>,
    /// Flow names.
    pub flows: BTreeMap<String, u32>,
}

impl Ids {
    /// Numbers every configured queue and flow that has none yet; true if any
    /// number was added.
    pub fn assign(&mut self, settings: &Settings) -> bool {
        let mut changed = false;
        for (map, names) in [
            (
                &mut self.queues,
                settings.queues.iter().map(|q| &q.id).collect::<Vec<_>>(),
            ),
            (
                &mut self.flows,
                settings.flows.iter().map(|f| &f.id).collect::<Vec<_>>(),
            ),
        ] {
            for name in names {
                if !map.contains_key(name) {
                    let next = map.values().max().map_or(1, |n| n + 1);
                    map.insert(name.clone(), next);
                    changed = true;
                }
            }
        }
        changed
    }
}

/// A queue as the server shows it.
#[derive(Clone, Debug)]
pub struct QueueEntry {
    /// The configured name.
    pub name: String,
    /// The label agents see.
    pub label: String,
}

/// An agent as the server knows them.
#[derive(Clone, Debug)]
pub struct AgentEntry {
    /// The login name.
    pub username: String,
    /// The display name.
    pub name: String,
    /// The profile's name.
    pub profile: String,
}

/// A site whose widget may open visitor sessions.
#[derive(Clone)]
pub struct Site {
    /// The HMAC key for customer signatures, if customers are allowed.
    pub secret: Option<Vec<u8>>,
    /// Where its chats start.
    pub entry: Entry,
    /// Where a declined direct chat goes.
    pub direct_fallback: Option<QueueId>,
}

/// The checked floor: banner-core's configuration plus the names to show.
#[derive(Clone)]
pub struct Floor {
    /// What the engine is built from.
    pub config: Config,
    /// Queue names and labels.
    pub queues: BTreeMap<QueueId, QueueEntry>,
    /// Flow display names.
    pub flows: BTreeMap<FlowId, String>,
    /// Agents.
    pub agents: BTreeMap<AgentId, AgentEntry>,
    /// Agents by lowercase username.
    pub usernames: HashMap<String, AgentId>,
    /// Sites by public key.
    pub sites: HashMap<String, Site>,
}

/// The built-in profiles, which the settings may redefine.
fn builtin_profiles() -> Vec<Profile> {
    let mut admin = Profile::new("admin", Permission::ALL);
    admin.auto_accept = false;
    vec![Profile::agent(), Profile::supervisor(), admin]
}

/// Core queue options from their settings.
pub fn queue_options(s: &QueueOptionsSettings) -> QueueOptions {
    QueueOptions {
        offer_timeout: Duration::from_secs(s.offer_timeout_secs),
        auto_accept: s.auto_accept_secs.map(Duration::from_secs),
        preview_delay: s.preview_secs.map(Duration::from_secs),
        freeze: s.freeze,
        reconnection_timeout: Duration::from_secs(s.reconnection_timeout_secs),
        wrap_up_limit: Duration::from_secs(s.wrap_up_limit_secs),
        qualification_form: s.qualification_form.clone(),
        script: s.script.as_ref().map(|sc| Script {
            name: sc.name.clone(),
            first_node: sc.first_node.clone(),
        }),
        video_call: s.video_call,
    }
}

/// Checks the settings' floor and numbers it with `ids` (which must cover every
/// queue and flow) and `users` (lowercase username → store id).
pub fn build(
    settings: &Settings,
    ids: &Ids,
    users: &HashMap<String, AgentId>,
) -> Result<Floor, FloorError> {
    let unknown = |what: &'static str, name: &str| FloorError::Unknown {
        what,
        name: name.to_owned(),
    };
    let queue_id = |name: &str| {
        ids.queues
            .get(name)
            .map(|n| QueueId(*n))
            .ok_or_else(|| unknown("queue", name))
    };
    let flow_id = |name: &str| {
        ids.flows
            .get(name)
            .map(|n| FlowId(*n))
            .ok_or_else(|| unknown("flow", name))
    };
    let target = |t: &TargetSettings| -> Result<Entry, FloorError> {
        Ok(match t {
            TargetSettings::Queue(q) => Entry::Queue(queue_id(q)?),
            TargetSettings::Flow(f) => Entry::Flow(flow_id(f)?),
        })
    };

    let mut profiles: HashMap<String, Profile> = builtin_profiles()
        .into_iter()
        .map(|p| (p.name.clone(), p))
        .collect();
    for p in &settings.profiles {
        let mut profile = Profile::new(
            p.name.clone(),
            p.permissions.iter().map(|x| wire::permission_to_core(*x)),
        );
        profile.auto_accept = p.auto_accept;
        profile.preview = p.preview;
        profiles.insert(p.name.clone(), profile);
    }

    let mut queues = BTreeMap::new();
    let mut queue_configs = Vec::new();
    for q in &settings.queues {
        let id = queue_id(&q.id)?;
        let entry = QueueEntry {
            name: q.id.clone(),
            label: q.label.clone(),
        };
        if queues.insert(id, entry).is_some() {
            return Err(FloorError::Duplicate {
                what: "queue",
                name: q.id.clone(),
            });
        }
        let mut config = QueueConfig::new(id, q.label.clone());
        config.priority = q.priority;
        config.options = queue_options(&q.options);
        queue_configs.push(config);
    }

    let mut flow_names = BTreeMap::new();
    let mut flows = Vec::new();
    for f in &settings.flows {
        let id = flow_id(&f.id)?;
        if flow_names.insert(id, f.name.clone()).is_some() {
            return Err(FloorError::Duplicate {
                what: "flow",
                name: f.id.clone(),
            });
        }
        flows.push(flows::build(id, f, &queue_id, &flow_id)?);
    }

    let mut agents = BTreeMap::new();
    let mut usernames = HashMap::new();
    let mut agent_configs = Vec::new();
    for u in &settings.users {
        let key = u.username.to_ascii_lowercase();
        let id = *users
            .get(&key)
            .ok_or_else(|| unknown("user", &u.username))?;
        if usernames.insert(key, id).is_some() {
            return Err(FloorError::Duplicate {
                what: "user",
                name: u.username.clone(),
            });
        }
        let profile = profiles
            .get(&u.profile)
            .cloned()
            .ok_or_else(|| unknown("profile", &u.profile))?;
        let member_of = u
            .queues
            .iter()
            .map(|q| queue_id(q))
            .collect::<Result<BTreeSet<_>, _>>()?;
        let monitored = u
            .monitored_queues
            .iter()
            .map(|q| queue_id(q))
            .collect::<Result<BTreeSet<_>, _>>()?;
        let mut config = AgentConfig::new(id, u.name.clone(), u.capacity, member_of);
        config.profile = profile;
        config.monitored_queues = monitored;
        agent_configs.push(config);
        agents.insert(
            id,
            AgentEntry {
                username: u.username.clone(),
                name: u.name.clone(),
                profile: u.profile.clone(),
            },
        );
    }

    let mut sites = HashMap::new();
    for s in &settings.sites {
        let site = Site {
            secret: s.secret.as_ref().map(|x| x.as_bytes().to_vec()),
            entry: target(&s.entry)?,
            direct_fallback: s.direct_fallback.as_deref().map(queue_id).transpose()?,
        };
        if sites.insert(s.key.clone(), site).is_some() {
            return Err(FloorError::Duplicate {
                what: "site",
                name: s.key.clone(),
            });
        }
    }

    let config = Config {
        queues: queue_configs,
        flows,
        agents: agent_configs,
        default_options: queue_options(&settings.default_queue_options),
    };
    // Let banner-core check the graph now, so a bad file fails at start.
    banner_core::Engine::new(config.clone())?;
    Ok(Floor {
        config,
        queues,
        flows: flow_names,
        agents,
        usernames,
        sites,
    })
}
