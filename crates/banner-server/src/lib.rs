//! banner-server: the tokio/axum shell around banner-core. It serves HTTP and
//! WebSockets in protocol version 1 (banner-proto), persists every event through
//! banner-store before anyone hears of it, and drives the routing engine with
//! real time.
//!
//! # Running it
//!
//! [`run`] takes what it needs as arguments, mini-redis style: a bound
//! listener, the [`Settings`], and a future that resolves when the server
//! should stop. The binary (`src/main.rs`) is a thin clap wrapper; tests bind
//! `127.0.0.1:0` and call [`run`] directly.
//!
//! # Layout
//!
//! - [`settings`]: defaults, then TOML, then `BANNER_*` environment.
//! - [`floor`]: profiles, queues, flows, users and sites, named in the
//!   settings, numbered for banner-core; `floor::demo` is `--demo`'s floor.
//! - [`wire`]: the only place banner-core's types meet banner-proto's.
//! - [`hub`]: the task that owns the engine, commits its events and fans them out.
//! - [`attachments`]: what a file is, where its bytes live, who may see it.
//! - [`auth`]: passwords, tokens, login throttling, customer signatures.
//! - [`limits`]: rate limits per client address, visitor and agent.
//! - [`purge`]: the periodic purge of expired sessions.
//! - [`http`]: the router and the HTTP endpoints.
//! - [`ws`]: the agent and visitor WebSockets.
//! - [`clock`]: the only reader of the time of day.
//! - `alarm`: a timer kept across the turns of the hub's and the sockets' loops.

mod alarm;
pub mod attachments;
pub mod auth;
pub mod clock;
pub mod floor;
pub mod http;
pub mod hub;
pub mod limits;
pub mod purge;
pub mod session;
pub mod settings;
pub mod wire;
pub mod ws;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use banner_store::SqliteStore;
use tokio::net::TcpListener;
use tokio::sync::watch;

pub use settings::Settings;

/// Everything a handler or socket needs, shared.
pub struct AppState<S> {
    /// The store.
    pub store: Arc<S>,
    /// The engine's task.
    pub hub: hub::HubHandle,
    /// The floor's names.
    pub floor: Arc<floor::Floor>,
    /// The settings in force.
    pub settings: Settings,
    /// Failed logins.
    pub throttle: auth::throttle::LoginThrottle,
    /// Rate limits.
    pub limits: Arc<limits::Limits>,
    /// Turns `true` when the server stops: sockets close with 1001.
    pub stopping: watch::Receiver<bool>,
}

/// Serves on `listener` with `settings` until `shutdown` resolves, then closes
/// sockets, finishes the commits under way and returns. Fails at start when the
/// data dir or the floor's configuration is unusable, and later when the store
/// fails (restart to rebuild from the log).
pub async fn run(
    listener: TcpListener,
    settings: Settings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let data_dir = settings.data_dir.clone();
    let store = tokio::task::spawn_blocking(move || SqliteStore::open(&data_dir))
        .await
        .context("opening the store")?
        .with_context(|| format!("opening the data dir {}", settings.data_dir.display()))?;
    let store = Arc::new(store);
    let floor = Arc::new(
        floor::sync::sync(store.as_ref(), &settings)
            .await
            .context("loading the floor")?,
    );
    let holds = hub::ReceiptHolds {
        delivered: std::time::Duration::from_millis(settings.delivered_receipt_hold_ms),
        read: std::time::Duration::from_millis(settings.read_receipt_hold_ms),
    };
    let (hub, hub_task) = hub::start(Arc::clone(&store), Arc::clone(&floor), holds)
        .await
        .context("starting the routing engine")?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let state = Arc::new(AppState {
        store,
        hub,
        floor,
        throttle: auth::throttle::LoginThrottle::new(settings.login_throttle),
        limits: Arc::new(limits::Limits::new(settings.rate_limits.clone())),
        settings,
        stopping: stop_rx,
    });
    let app = http::router(Arc::clone(&state));
    let purging = tokio::spawn(purge::run(
        Arc::clone(&state.store),
        state.settings.session_purge_secs,
        state.stopping.clone(),
    ));
    drop(state);
    // Frames are small and latency matters: without TCP_NODELAY, Nagle's
    // algorithm holds a frame back until the peer's delayed ACK (~40 ms).
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let serve = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown.await;
        let _ = stop_tx.send(true);
    });
    serve.await.context("serving")?;
    let _ = purging.await;
    match hub_task.await {
        Ok(result) => result.context("the routing engine stopped"),
        Err(e) => Err(anyhow::anyhow!("the routing engine panicked: {e}")),
    }
}
