//! Idle connections: a holder process opens `count` visitor sockets (a
//! session each, then `hello` and `welcome`, as a widget left open) from one
//! loopback source address, keeps reading them (so pings get their pongs) and
//! holds them until its standard input closes. The connections benchmark runs
//! several holders — a process may open 20,000 files here — and reads the
//! server's memory before and after.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Context;
use banner_proto::{VisitorSessionRequest, VisitorSessionResponse};
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpSocket;
use tokio::sync::Semaphore;
use tokio_tungstenite::tungstenite::Message;

use crate::server::SITE;

/// Sockets opened at once while connecting.
const PARALLEL: usize = 128;

/// Opens `count` idle visitor sockets to `server` from `source`; returns how
/// many are open. The sockets stay open (in their reading tasks) until the
/// process ends.
pub async fn hold(server: SocketAddr, source: IpAddr, count: usize) -> anyhow::Result<usize> {
    let http = reqwest::Client::builder().local_address(source).build()?;
    let open = Arc::new(AtomicUsize::new(0));
    let gate = Arc::new(Semaphore::new(PARALLEL));
    for _ in 0..count {
        let permit = Arc::clone(&gate).acquire_owned().await?;
        let (http, open) = (http.clone(), Arc::clone(&open));
        tokio::spawn(async move {
            let ws = connect(&http, server, source).await;
            drop(permit);
            let mut ws = ws?;
            open.fetch_add(1, Ordering::Relaxed);
            while let Some(Ok(_)) = ws.next().await {}
            open.fetch_sub(1, Ordering::Relaxed);
            anyhow::Ok(())
        });
    }
    // Every socket has connected (or failed) once all permits are back.
    let _all = gate.acquire_many(PARALLEL as u32).await?;
    Ok(open.load(Ordering::Relaxed))
}

async fn connect(
    http: &reqwest::Client,
    server: SocketAddr,
    source: IpAddr,
) -> anyhow::Result<tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>> {
    let request = VisitorSessionRequest {
        site_key: SITE.to_owned(),
        customer: None,
        direct_agent: None,
        locale: None,
    };
    let session: VisitorSessionResponse = http
        .post(format!("http://{server}/v1/visitor/session"))
        .json(&request)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(source, 0))?;
    let stream = socket.connect(server).await?;
    let url = format!("ws://{server}/v1/visitor/ws");
    let (mut ws, _) = tokio_tungstenite::client_async(url, stream).await?;
    let hello =
        serde_json::json!({"type": "hello", "protocol": 1, "token": session.token, "resume": []});
    ws.send(Message::text(hello.to_string())).await?;
    match ws.next().await {
        Some(Ok(Message::Text(t))) if t.contains("\"welcome\"") => Ok(ws),
        other => Err(anyhow::anyhow!("no welcome: {other:?}")).context("hello"),
    }
}
