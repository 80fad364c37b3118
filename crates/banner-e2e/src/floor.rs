//! The test server's settings: Billing and Sales, a welcome flow whose choice
//! menu routes by case type, Ada (Billing) and Bob (Sales), and one site that
//! accepts signed customers. Timers a test wants short come from [`Options`].

use std::path::{Path, PathBuf};

use anyhow::Context;
use banner_server::Settings;

/// The site key the test pages embed.
pub const SITE: &str = "pk_e2e";
/// The site's secret, with which tests sign customer ids.
pub const SECRET: &str = "e2e-site-secret";
/// Every agent's password.
pub const PASSWORD: &str = "correct horse battery staple";

/// What a test may change.
#[derive(Debug, Default)]
pub struct Options {
    /// The built UI to serve (`ui/dist`).
    pub ui_dir: Option<PathBuf>,
    /// How long an anonymous visitor who dropped may come back.
    pub reconnection_timeout_secs: Option<u64>,
    /// How long wrap-up lasts at most.
    pub wrap_up_limit_secs: Option<u64>,
}

/// The settings for a server whose data lives in `data_dir`.
pub fn settings(data_dir: &Path, options: &Options) -> anyhow::Result<Settings> {
    let queue_options = format!(
        "reconnection_timeout_secs = {}\nwrap_up_limit_secs = {}\n",
        options.reconnection_timeout_secs.unwrap_or(60),
        options.wrap_up_limit_secs.unwrap_or(120),
    );
    let toml = format!(
        r#"
data_dir = {dir:?}

[default_queue_options]
{queue_options}

[[queues]]
id = "billing"
label = "Billing"
[queues.options]
{queue_options}

[[queues]]
id = "sales"
label = "Sales"
[queues.options]
{queue_options}

[[flows]]
id = "welcome"
name = "Welcome"
start = "hello"

[[flows.nodes]]
type = "message"
id = "hello"
text = "Welcome to Acme!"
next = "ask"

[[flows.nodes]]
type = "choice"
id = "ask"
text = "What is your request about?"
variable = "case_type"
options = [
  {{ label = "An invoice", value = "billing", next = "route" }},
  {{ label = "A new order", value = "sales", next = "route" }},
]

[[flows.nodes]]
type = "route"
id = "route"
rules = [{{ variable = "case_type", any_of = ["billing"], to = {{ queue = "billing" }} }}]
otherwise = {{ queue = "sales" }}

[[users]]
username = "ada"
name = "Ada"
password = "{PASSWORD}"
queues = ["billing"]

[[users]]
username = "bob"
name = "Bob"
password = "{PASSWORD}"
queues = ["sales"]

# Watches both queues, takes no chats of her own.
[[users]]
username = "sue"
name = "Sue"
password = "{PASSWORD}"
profile = "supervisor"
monitored_queues = ["billing", "sales"]

[[sites]]
key = "{SITE}"
secret = "{SECRET}"
entry = {{ flow = "welcome" }}
"#,
        dir = data_dir.display().to_string(),
    );
    let mut settings = Settings::from_toml(&toml).context("the test floor")?;
    if let Some(ui_dir) = &options.ui_dir {
        settings.ui_dir.clone_from(ui_dir);
    }
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_floor_parses_and_takes_the_options() {
        let options = Options {
            ui_dir: Some("/srv/ui".into()),
            reconnection_timeout_secs: Some(2),
            wrap_up_limit_secs: Some(1),
        };
        let settings = settings(Path::new("/tmp/x"), &options).expect("valid settings");
        assert_eq!(settings.ui_dir, PathBuf::from("/srv/ui"));
        assert_eq!(settings.queues.len(), 2);
        assert_eq!(
            settings.queues[0].options.reconnection_timeout_secs, 2,
            "{settings:?}"
        );
        assert_eq!(settings.default_queue_options.wrap_up_limit_secs, 1);
    }
}
