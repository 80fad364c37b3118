//! A real banner-server for the scenario, in-process on 127.0.0.1:0 with a
//! temporary data dir: the demo floor (fresh passwords, answered here) plus
//! the site `pk_desk`, whose chats go straight to the Billing queue.

use banner_server::Settings;
use banner_server::floor::demo;
use banner_server::floor::settings::{SiteSettings, TargetSettings};
use tokio::sync::oneshot;

use super::Fail;

/// The site the scenario's visitor chats from.
pub const SITE: &str = "pk_desk";

/// A running server; stopped on drop.
pub struct Server {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    /// The demo users: (username, password).
    pub users: Vec<(String, String)>,
    stop: Option<oneshot::Sender<()>>,
    _data: tempfile::TempDir,
}

impl Server {
    /// Binds, then serves in a task of the current runtime.
    pub async fn start() -> Result<Server, Fail> {
        Server::start_tuned(|_| {}).await
    }

    /// As [`Server::start`], with `tune` applied to the settings last (the
    /// benchmark raises a capacity and turns the rate limits off).
    pub async fn start_tuned(tune: impl FnOnce(&mut Settings)) -> Result<Server, Fail> {
        let data = tempfile::tempdir()?;
        let mut settings = Settings {
            data_dir: data.path().to_owned(),
            ..Settings::default()
        };
        settings.sites.push(SiteSettings {
            key: SITE.into(),
            secret: None,
            entry: TargetSettings::Queue("billing".into()),
            direct_fallback: None,
        });
        let added = demo::add(&mut settings).map_err(|e| e.to_string())?;
        tune(&mut settings);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            if let Err(e) = banner_server::run(listener, settings, shutdown).await {
                eprintln!("the test server stopped: {e:#}");
            }
        });
        banner_client::health(&url).await?;
        Ok(Server {
            url,
            users: added
                .users
                .into_iter()
                .map(|u| (u.username, u.password))
                .collect(),
            stop: Some(stop),
            _data: data,
        })
    }

    /// The password of a demo user.
    pub fn password(&self, username: &str) -> &str {
        self.users
            .iter()
            .find(|(u, _)| u == username)
            .map(|(_, p)| p.as_str())
            .unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
