//! Settings, atuin-style: built-in defaults, then a TOML file, then `BANNER_*`
//! environment variables (each layer overrides the one before). The binary's
//! flags come last. Every option is documented in `docs/configuration.md`.
//!
//! The floor (profiles, queues, flows, users, sites) is configuration too; its
//! shapes live in [`crate::floor::settings`], and `floor` turns it into
//! banner-core's numbers.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use banner_proto::limits::MAX_UPLOAD_BYTES;
use serde::{Deserialize, Serialize};

use crate::floor::settings::{
    FlowSettings, ProfileSettings, QueueOptionsSettings, QueueSettings, SiteSettings, UserSettings,
};
use crate::limits::RateLimitSettings;

/// Everything the server is configured with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Where to listen.
    pub listen: SocketAddr,
    /// Where `banner.db` and the attachments' files live.
    pub data_dir: PathBuf,
    /// How long an agent's session token lives, in seconds.
    pub session_ttl_secs: u64,
    /// How long a visitor's session token lives, in seconds.
    pub visitor_session_ttl_secs: u64,
    /// Origins allowed by CORS, besides the server's own.
    pub cors_origins: Vec<String>,
    /// Login throttling.
    pub login_throttle: ThrottleSettings,
    /// Rate limits per client address, visitor and agent.
    pub rate_limits: RateLimitSettings,
    /// Seconds between the WebSocket pings the server sends; a socket silent
    /// for twice this long is closed (4408). 0: no pings, no closing.
    pub keepalive_secs: u64,
    /// Milliseconds a `delivered` receipt waits before it is logged: a `read`
    /// receipt of the same reader covering it in that time makes it needless
    /// (read implies delivered). 0: logged at once.
    pub delivered_receipt_hold_ms: u64,
    /// Milliseconds a `read` receipt waits before it is logged, gathering the
    /// same reader's later reads into it: one event answers them all, and
    /// each `read` command is acknowledged when it is logged. 0: logged at
    /// once, one per command.
    pub read_receipt_hold_ms: u64,
    /// Seconds between purges of expired sessions from the store.
    pub session_purge_secs: u64,
    /// Uploads.
    pub attachments: AttachmentSettings,
    /// Options of chats outside any queue (direct routing, smart routing).
    pub default_queue_options: QueueOptionsSettings,
    /// Named permission sets; `agent`, `supervisor` and `admin` exist unless redefined.
    pub profiles: Vec<ProfileSettings>,
    /// The queues.
    pub queues: Vec<QueueSettings>,
    /// The smart routing flows.
    pub flows: Vec<FlowSettings>,
    /// The agents, supervisors and admins.
    pub users: Vec<UserSettings>,
    /// The websites whose widget may open visitor sessions.
    pub sites: Vec<SiteSettings>,
    /// Where the built UI lives (`widget/` inside it is served at `/widget.js`
    /// and `/widget/`); relative paths start from the working directory.
    pub ui_dir: PathBuf,
    /// Serve `/demo`, a page that embeds the widget for this site key (set by
    /// `--demo`; not read from the file or the environment).
    #[serde(skip)]
    pub demo_page: Option<String>,
}

/// How many failed logins a username may have from one address, and for how long
/// the count is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ThrottleSettings {
    /// Failures allowed in the window; the next attempt is refused unchecked.
    pub max_failures: u32,
    /// The window, in seconds, counted from the first failure.
    pub window_secs: u64,
}

impl Default for ThrottleSettings {
    fn default() -> Self {
        ThrottleSettings {
            max_failures: 5,
            window_secs: 300,
        }
    }
}

/// Uploads of attachments.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AttachmentSettings {
    /// The largest upload, in bytes. The protocol's `MAX_UPLOAD_BYTES` (10 MiB)
    /// is the ceiling: a larger value is lowered to it.
    pub max_bytes: u64,
}

impl AttachmentSettings {
    /// The cap in force: `max_bytes`, never above the protocol's limit.
    pub fn cap(&self) -> u64 {
        self.max_bytes.min(MAX_UPLOAD_BYTES)
    }
}

impl Default for AttachmentSettings {
    fn default() -> Self {
        AttachmentSettings {
            max_bytes: MAX_UPLOAD_BYTES,
        }
    }
}

/// The default listening address.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

impl Default for Settings {
    fn default() -> Self {
        Settings {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./banner-data"),
            session_ttl_secs: 12 * 3600,
            visitor_session_ttl_secs: 24 * 3600,
            cors_origins: vec!["tauri://localhost".into()],
            login_throttle: ThrottleSettings::default(),
            rate_limits: RateLimitSettings::default(),
            keepalive_secs: 20,
            delivered_receipt_hold_ms: 250,
            read_receipt_hold_ms: 250,
            session_purge_secs: 600,
            attachments: AttachmentSettings::default(),
            default_queue_options: QueueOptionsSettings::default(),
            profiles: Vec::new(),
            queues: Vec::new(),
            flows: Vec::new(),
            users: Vec::new(),
            sites: Vec::new(),
            ui_dir: PathBuf::from("ui/dist"),
            demo_page: None,
        }
    }
}

/// Why settings could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file is not valid TOML for these settings.
    #[error("{path}: {source}")]
    Parse {
        path: PathBuf,
        source: Box<toml::de::Error>,
    },
    /// An environment variable has a value of the wrong shape.
    #[error("{name}: {message}")]
    Env { name: String, message: String },
}

impl Settings {
    /// Defaults, then `file` if given, then the `BANNER_*` variables of `env`.
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, SettingsError> {
        let mut settings = match file {
            Some(path) => Self::from_file(path)?,
            None => Settings::default(),
        };
        settings.apply_env(env)?;
        Ok(settings)
    }

    /// Defaults overridden by a TOML file.
    pub fn from_file(path: &Path) -> Result<Self, SettingsError> {
        let text = std::fs::read_to_string(path).map_err(|source| SettingsError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::from_toml(&text).map_err(|source| SettingsError::Parse {
            path: path.to_owned(),
            source: Box::new(source),
        })
    }

    /// Defaults overridden by TOML text.
    pub fn from_toml(text: &str) -> Result<Self, toml::de::Error> {
        toml::from_str(text)
    }

    /// Applies the `BANNER_*` variables this server knows; others are ignored.
    pub fn apply_env(
        &mut self,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<(), SettingsError> {
        for (name, value) in env {
            let bad = |message: String| SettingsError::Env {
                name: name.clone(),
                message,
            };
            let number = |v: &str| {
                v.trim()
                    .parse::<u64>()
                    .map_err(|e| bad(format!("expected a whole number: {e}")))
            };
            match name.as_str() {
                "BANNER_LISTEN" => {
                    self.listen = value.trim().parse().map_err(|e| {
                        bad(format!("expected an address like 127.0.0.1:8080: {e}"))
                    })?;
                }
                "BANNER_DATA_DIR" => self.data_dir = PathBuf::from(value),
                "BANNER_UI_DIR" => self.ui_dir = PathBuf::from(value),
                "BANNER_SESSION_TTL_SECS" => self.session_ttl_secs = number(&value)?,
                "BANNER_VISITOR_SESSION_TTL_SECS" => {
                    self.visitor_session_ttl_secs = number(&value)?;
                }
                "BANNER_CORS_ORIGINS" => {
                    self.cors_origins = value
                        .split(',')
                        .map(str::trim)
                        .filter(|o| !o.is_empty())
                        .map(String::from)
                        .collect();
                }
                "BANNER_LOGIN_MAX_FAILURES" => {
                    self.login_throttle.max_failures =
                        u32::try_from(number(&value)?).map_err(|_| bad("too large".into()))?;
                }
                "BANNER_LOGIN_WINDOW_SECS" => self.login_throttle.window_secs = number(&value)?,
                "BANNER_KEEPALIVE_SECS" => self.keepalive_secs = number(&value)?,
                "BANNER_DELIVERED_RECEIPT_HOLD_MS" => {
                    self.delivered_receipt_hold_ms = number(&value)?;
                }
                "BANNER_READ_RECEIPT_HOLD_MS" => self.read_receipt_hold_ms = number(&value)?,
                "BANNER_SESSION_PURGE_SECS" => self.session_purge_secs = number(&value)?,
                "BANNER_RATE_LIMITS" => {
                    self.rate_limits.enabled = match value.trim() {
                        "on" => true,
                        "off" => false,
                        _ => return Err(bad("expected on or off".into())),
                    };
                }
                "BANNER_ATTACHMENTS_MAX_BYTES" => self.attachments.max_bytes = number(&value)?,
                _ => {}
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_file_overrides_defaults_and_the_environment_overrides_the_file() {
        let mut settings = Settings::from_toml(
            "listen = \"0.0.0.0:9000\"\ndata_dir = \"/srv/banner\"\nsession_ttl_secs = 60\n",
        )
        .unwrap();
        assert_eq!(settings.visitor_session_ttl_secs, 24 * 3600);
        settings
            .apply_env(env(&[
                ("BANNER_LISTEN", "127.0.0.1:7000"),
                (
                    "BANNER_CORS_ORIGINS",
                    "tauri://localhost, https://app.example",
                ),
                ("HOME", "/root"),
            ]))
            .unwrap();
        assert_eq!(settings.listen.port(), 7000);
        assert_eq!(settings.data_dir, PathBuf::from("/srv/banner"));
        assert_eq!(settings.session_ttl_secs, 60);
        assert_eq!(settings.cors_origins.len(), 2);
    }

    #[test]
    fn rate_limits_and_keep_alive_come_from_the_file_and_the_environment() {
        let mut settings = Settings::from_toml(
            "keepalive_secs = 5\n[rate_limits]\nsessions = { burst = 3, per_minute = 6 }\ntrusted_proxies = [\"10.0.0.5\"]\n",
        )
        .unwrap();
        assert_eq!(settings.keepalive_secs, 5);
        assert_eq!(settings.rate_limits.sessions.burst, 3);
        assert_eq!(
            settings.rate_limits.http,
            crate::limits::RateLimitSettings::default().http,
            "what the file leaves out keeps its default"
        );
        settings
            .apply_env(env(&[
                ("BANNER_RATE_LIMITS", "off"),
                ("BANNER_SESSION_PURGE_SECS", "60"),
                ("BANNER_DELIVERED_RECEIPT_HOLD_MS", "0"),
                ("BANNER_READ_RECEIPT_HOLD_MS", "40"),
            ]))
            .unwrap();
        assert!(!settings.rate_limits.enabled);
        assert_eq!(settings.session_purge_secs, 60);
        assert_eq!(settings.delivered_receipt_hold_ms, 0);
        assert_eq!(Settings::default().delivered_receipt_hold_ms, 250);
        assert_eq!(settings.read_receipt_hold_ms, 40);
        assert_eq!(Settings::default().read_receipt_hold_ms, 250);
        assert!(Settings::from_toml("[rate_limits]\nsessions = { burst = 3 }").is_err());
        assert!(
            settings
                .apply_env(env(&[("BANNER_RATE_LIMITS", "maybe")]))
                .is_err()
        );
    }

    #[test]
    fn the_upload_cap_is_configurable_but_never_above_the_protocols() {
        assert_eq!(Settings::default().attachments.cap(), MAX_UPLOAD_BYTES);
        let mut settings = Settings::from_toml("[attachments]\nmax_bytes = 1048576\n").unwrap();
        assert_eq!(settings.attachments.cap(), 1024 * 1024);
        settings
            .apply_env(env(&[("BANNER_ATTACHMENTS_MAX_BYTES", "999999999")]))
            .unwrap();
        assert_eq!(settings.attachments.max_bytes, 999_999_999);
        assert_eq!(settings.attachments.cap(), MAX_UPLOAD_BYTES);
    }

    #[test]
    fn a_typo_in_the_file_or_a_bad_variable_is_refused() {
        assert!(Settings::from_toml("lisen = \"0.0.0.0:9000\"").is_err());
        let mut settings = Settings::default();
        let err = settings
            .apply_env(env(&[("BANNER_SESSION_TTL_SECS", "soon")]))
            .unwrap_err();
        assert!(err.to_string().contains("BANNER_SESSION_TTL_SECS"), "{err}");
    }
}
