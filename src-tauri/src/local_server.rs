//! "Start a local server": the app runs banner-server in-process
//! (`banner_server::run`) on SQLite in its data dir, with the demo floor, and
//! connects to it over loopback like any other client. It answers what the
//! login screen shows: the URL, the data dir, the demo site's key, the widget
//! snippet to paste into a website, and the demo users' fresh passwords.
//! Started once; later calls answer the same.

use std::path::{Path, PathBuf};
use std::time::Duration;

use banner_server::Settings;
use banner_server::floor::demo;
use serde::Serialize;
use tokio::net::TcpListener;
use tokio::sync::OnceCell;

use crate::error::{AppError, AppResult};

/// How long the server may take to open its store and answer `/healthz`.
const READY: Duration = Duration::from_secs(20);

/// A demo user and this start's password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LocalUser {
    /// The login name.
    pub username: String,
    /// The password drawn for this start.
    pub password: String,
}

/// What `start_local_server` answers (`LocalServerInfo` in `backend/tauri.ts`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LocalServerInfo {
    /// The server's base URL, on 127.0.0.1.
    pub url: String,
    /// Where its database and files are.
    pub data_dir: String,
    /// The demo site's public key.
    pub site_key: String,
    /// The tag to paste into a website to show the chat widget.
    pub snippet: String,
    /// The demo users, agents first.
    pub users: Vec<LocalUser>,
}

/// The local server, once started (state given to `manage()`).
#[derive(Debug, Default)]
pub struct LocalServer(OnceCell<LocalServerInfo>);

impl LocalServer {
    /// Starts the server the first time; answers the same afterwards.
    pub async fn start(&self, data_dir: PathBuf, ui_dir: PathBuf) -> AppResult<LocalServerInfo> {
        self.0
            .get_or_try_init(|| start(data_dir, ui_dir))
            .await
            .cloned()
    }
}

/// The widget's tag for a server at `url`.
pub fn snippet(url: &str, site_key: &str) -> String {
    format!(r#"<script src="{url}/widget.js" data-site="{site_key}" async></script>"#)
}

async fn start(data_dir: PathBuf, ui_dir: PathBuf) -> AppResult<LocalServerInfo> {
    std::fs::create_dir_all(&data_dir).map_err(|e| {
        AppError::app(format!(
            "cannot make the data dir {}: {e}",
            data_dir.display()
        ))
    })?;
    let mut settings = Settings {
        data_dir: data_dir.clone(),
        ui_dir,
        ..Settings::default()
    };
    let added = demo::add(&mut settings).map_err(AppError::app)?;
    let listener = bind(&data_dir).await?;
    let address = listener.local_addr().map_err(AppError::app)?;
    settings.listen = address;
    let url = format!("http://{address}");
    let mut server = tauri::async_runtime::spawn(banner_server::run(
        listener,
        settings,
        std::future::pending(),
    ));
    // The listener is bound already: a request waits in its backlog until
    // the store is open, so one health check says when it serves.
    tokio::select! {
        health = tokio::time::timeout(READY, banner_client::health(&url)) => match health {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => return Err(AppError::app(format!("the local server does not answer: {e}"))),
            Err(_) => return Err(AppError::app("the local server did not start in time")),
        },
        ended = &mut server => {
            let why = match ended {
                Ok(Ok(())) => "it stopped".to_owned(),
                Ok(Err(e)) => format!("{e:#}"),
                Err(e) => e.to_string(),
            };
            return Err(AppError::app(format!("the local server failed to start: {why}")));
        }
    }
    tauri::async_runtime::spawn(async move {
        if let Ok(Err(e)) = server.await {
            tracing::error!("the local server stopped: {e:#}");
        }
    });
    tracing::info!("local server on {url}, data in {}", data_dir.display());
    Ok(LocalServerInfo {
        snippet: snippet(&url, demo::DEMO_SITE),
        url,
        data_dir: data_dir.display().to_string(),
        site_key: demo::DEMO_SITE.to_owned(),
        users: added
            .users
            .into_iter()
            .map(|u| LocalUser {
                username: u.username,
                password: u.password,
            })
            .collect(),
    })
}

/// Listens on 127.0.0.1, on the port of the last start when it is free (so
/// that the remembered URL and pasted snippets keep working), else on any.
async fn bind(data_dir: &Path) -> AppResult<TcpListener> {
    let port_file = data_dir.join("port");
    let last: Option<u16> = std::fs::read_to_string(&port_file)
        .ok()
        .and_then(|text| text.trim().parse().ok());
    let reused = match last {
        Some(port) => TcpListener::bind(("127.0.0.1", port)).await.ok(),
        None => None,
    };
    let listener = match reused {
        Some(listener) => listener,
        None => TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(AppError::app)?,
    };
    let port = listener.local_addr().map_err(AppError::app)?.port();
    if let Err(e) = std::fs::write(&port_file, port.to_string()) {
        tracing::warn!("cannot remember the local server's port: {e}");
    }
    Ok(listener)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_snippet_loads_the_widget_of_this_server_for_the_site() {
        let tag = snippet("http://127.0.0.1:8123", "pk_demo");
        assert_eq!(
            tag,
            r#"<script src="http://127.0.0.1:8123/widget.js" data-site="pk_demo" async></script>"#
        );
    }

    #[tokio::test]
    async fn a_local_server_starts_on_loopback_and_lets_a_demo_agent_in() {
        let temp = tempfile::tempdir().unwrap();
        let server = LocalServer::default();
        let info = server
            .start(temp.path().join("server"), temp.path().join("ui"))
            .await
            .unwrap();
        assert!(info.url.starts_with("http://127.0.0.1:"), "{}", info.url);
        assert_eq!(info.users.len(), 4);
        let ada = &info.users[0];
        let client = banner_client::AgentClient::login(&info.url, &ada.username, &ada.password)
            .await
            .unwrap();
        assert_eq!(client.profile().map(|p| p.username.as_str()), Some("ada"));
        let again = server.start(PathBuf::new(), PathBuf::new()).await.unwrap();
        assert_eq!(again, info, "started once");
    }
}
