//! The `--demo` floor: Billing and Sales, a "Welcome" smart routing flow whose
//! choice menu routes by case type, three agents and a supervisor, and a demo
//! site. Passwords and the site secret are drawn fresh at every start and
//! printed (their hashes replace the stored ones), so no fixed demo password
//! ever exists. Anything the settings already define under the same name is
//! kept as configured.

use std::fmt::Write as _;

use rand::Rng;

use super::settings::{
    ChoiceSettings, FlowSettings, NodeSettings, QueueOptionsSettings, QueueSettings, RuleSettings,
    SiteSettings, TargetSettings, UserSettings,
};
use crate::auth::password;
use crate::settings::Settings;

/// A demo user: username, name, profile, queues, monitored queues.
type Person = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
);

/// The demo site's public key.
pub const DEMO_SITE: &str = "pk_demo";

fn secret(bytes: usize) -> String {
    let mut raw = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut raw);
    hex::encode(raw)
}

fn queue(id: &str, label: &str) -> QueueSettings {
    QueueSettings {
        id: id.into(),
        label: label.into(),
        priority: 0,
        options: QueueOptionsSettings::default(),
    }
}

fn welcome_flow() -> FlowSettings {
    let to = |q: &str| TargetSettings::Queue(q.into());
    let option = |label: &str, value: &str| ChoiceSettings {
        label: label.into(),
        value: value.into(),
        next: "route".into(),
    };
    FlowSettings {
        id: "welcome".into(),
        name: "Welcome".into(),
        start: "greet".into(),
        nodes: vec![
            NodeSettings::Message {
                id: "greet".into(),
                text: "Welcome to Acme! An agent will be with you shortly.".into(),
                next: "case".into(),
            },
            NodeSettings::Choice {
                id: "case".into(),
                text: "What is your request about?".into(),
                variable: "case_type".into(),
                options: vec![
                    option("An invoice", "billing"),
                    option("A new order", "sales"),
                    option("Something else", "other"),
                ],
            },
            NodeSettings::Route {
                id: "route".into(),
                rules: vec![RuleSettings {
                    variable: "case_type".into(),
                    any_of: vec!["billing".into()],
                    to: to("billing"),
                }],
                otherwise: to("sales"),
            },
        ],
    }
}

/// A demo user added to the settings, with the password drawn for this start.
#[derive(Clone, Debug)]
pub struct DemoUser {
    /// The login name.
    pub username: String,
    /// The profile (`agent` or `supervisor`).
    pub profile: String,
    /// The fresh password.
    pub password: String,
}

/// What [`add`] put in the settings that someone has to be told.
#[derive(Clone, Debug, Default)]
pub struct DemoCredentials {
    /// The users added (not those the settings already defined).
    pub users: Vec<DemoUser>,
    /// The demo site's customer signing secret, when the site was added.
    pub site_secret: Option<String>,
}

/// Adds the demo floor to `settings` and returns what to print: the
/// credentials of its users and the site's key and secret.
pub fn apply(settings: &mut Settings) -> anyhow::Result<String> {
    let added = add(settings)?;
    let mut out = String::from("Demo floor: queues Billing and Sales, flow Welcome.\n");
    for user in &added.users {
        let DemoUser {
            username,
            profile,
            password,
        } = user;
        writeln!(out, "  {profile:<10} {username:<4} password {password}")?;
    }
    if let Some(site_secret) = &added.site_secret {
        writeln!(
            out,
            "  site key {DEMO_SITE}, customer signing secret {site_secret}"
        )?;
    }
    Ok(out)
}

/// Adds the demo floor to `settings` and returns the fresh credentials, for
/// callers that show them their own way (the desktop app's local server).
pub fn add(settings: &mut Settings) -> anyhow::Result<DemoCredentials> {
    for q in [queue("billing", "Billing"), queue("sales", "Sales")] {
        if !settings.queues.iter().any(|x| x.id == q.id) {
            settings.queues.push(q);
        }
    }
    if !settings.flows.iter().any(|f| f.id == "welcome") {
        settings.flows.push(welcome_flow());
    }
    settings.demo_page = Some(DEMO_SITE.to_owned());
    let mut added = DemoCredentials::default();
    let people: [Person; 4] = [
        ("ada", "Ada", "agent", &["billing"], &[]),
        ("bob", "Bob", "agent", &["sales"], &[]),
        ("cy", "Cy", "agent", &["billing", "sales"], &[]),
        (
            "sue",
            "Sue",
            "supervisor",
            &["billing", "sales"],
            &["billing", "sales"],
        ),
    ];
    for (username, name, profile, queues, monitored) in people {
        if settings.users.iter().any(|u| u.username == username) {
            continue;
        }
        let pass = secret(8);
        settings.users.push(UserSettings {
            username: username.into(),
            name: name.into(),
            password_hash: Some(password::hash(&pass)?),
            password: None,
            profile: profile.into(),
            capacity: 3,
            queues: queues.iter().map(|q| (*q).into()).collect(),
            monitored_queues: monitored.iter().map(|q| (*q).into()).collect(),
        });
        added.users.push(DemoUser {
            username: username.into(),
            profile: profile.into(),
            password: pass,
        });
    }
    if !settings.sites.iter().any(|s| s.key == DEMO_SITE) {
        let site_secret = secret(16);
        settings.sites.push(SiteSettings {
            key: DEMO_SITE.into(),
            secret: Some(site_secret.clone()),
            entry: TargetSettings::Flow("welcome".into()),
            direct_fallback: Some("billing".into()),
        });
        added.site_secret = Some(site_secret);
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::floor::{Ids, build};

    #[test]
    fn the_demo_floor_is_valid_and_prints_fresh_credentials() {
        let mut settings = Settings::default();
        let printed = apply(&mut settings).unwrap();
        assert_eq!(settings.users.len(), 4);
        assert!(
            printed.contains("sue") && printed.contains(DEMO_SITE),
            "{printed}"
        );
        let mut ids = Ids::default();
        ids.assign(&settings);
        let users: HashMap<_, _> = settings
            .users
            .iter()
            .zip(1..)
            .map(|(u, n)| (u.username.clone(), banner_core::AgentId(n)))
            .collect();
        let floor = build(&settings, &ids, &users).unwrap();
        assert_eq!(floor.queues.len(), 2);
        assert!(floor.sites.contains_key(DEMO_SITE));

        let mut again = Settings::default();
        let other = apply(&mut again).unwrap();
        assert_ne!(printed, other, "passwords are drawn at every start");
    }
}
