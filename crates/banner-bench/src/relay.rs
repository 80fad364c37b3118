//! The baseline of the load benchmark: a bare tokio-tungstenite relay that
//! speaks just enough of protocol 1 for banner-client — login and visitor
//! sessions over a minimal HTTP/1.1 answer, `hello`/`welcome`, `ack` for every
//! command — and forwards each chat's messages and typing between its
//! visitor and its agent (chats go to agents in turn, offered, then joined on
//! `accept`). No routing engine, no store, no checks: what is left of the
//! server's work is reading, writing and relaying frames, so the load
//! generator's ratio against it shows what routing and persistence cost.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

type Outbox = mpsc::UnboundedSender<String>;

#[derive(Default)]
struct Relay {
    /// Agents' sockets, in the order chats go to them.
    agents: Vec<(u64, Outbox)>,
    next_agent: usize,
    next_conversation: u64,
    chats: HashMap<u64, Chat>,
}

struct Chat {
    visitor: Outbox,
    agent: Option<(u64, Outbox)>,
    offered_to: u64,
    agent_outbox: Outbox,
    seq: u64,
}

/// Serves until the process ends.
pub async fn serve(listener: TcpListener) -> anyhow::Result<()> {
    let relay = Arc::new(Mutex::new(Relay::default()));
    loop {
        let (stream, _) = listener.accept().await?;
        let _ = stream.set_nodelay(true);
        let relay = Arc::clone(&relay);
        tokio::spawn(async move {
            let mut first = [0u8; 4];
            if stream.peek(&mut first).await.is_err() {
                return;
            }
            if &first == b"GET " {
                let _ = socket(stream, relay).await;
            } else {
                let _ = http(stream).await;
            }
        });
    }
}

fn lock(relay: &Mutex<Relay>) -> std::sync::MutexGuard<'_, Relay> {
    relay.lock().unwrap_or_else(|e| e.into_inner())
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

fn profile(id: u64, name: &str) -> Value {
    json!({
        "id": id, "username": name, "name": name, "profile": "agent",
        "permissions": ["pick"], "capacity": 1000, "auto_accept": false, "preview": false,
        "queues": [{"id": 1, "label": "Load"}], "monitored_queues": [],
        "notifications": {"message_arrives": false, "monitored_queue_message": false,
            "messaging_ended": false, "participant_leaves": false, "message_exits_queue": false},
        "presence": "offline"
    })
}

/// `POST /v1/login` and `POST /v1/visitor/session`, one request per connection.
async fn http(mut stream: TcpStream) -> anyhow::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let (head_end, length) = loop {
        let n = stream.read(&mut chunk).await?;
        anyhow::ensure!(n > 0, "closed");
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            break (end + 4, length);
        }
    };
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await?;
        anyhow::ensure!(n > 0, "closed");
        buf.extend_from_slice(&chunk[..n]);
    }
    let path = String::from_utf8_lossy(&buf[..head_end])
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    let body: Value = serde_json::from_slice(&buf[head_end..head_end + length]).unwrap_or_default();
    let expires = now_ms() + 86_400_000;
    let answer = if path.ends_with("/login") {
        let name = body["username"].as_str().unwrap_or("agent").to_owned();
        let id: u64 = name
            .trim_start_matches(|c: char| !c.is_ascii_digit())
            .parse()
            .unwrap_or(0)
            + 1;
        json!({"token": format!("a{id}:{name}"), "expires_at": expires, "agent": profile(id, &name)})
    } else {
        let n = rand::random::<u64>() >> 12;
        json!({"token": format!("v{n}"), "visitor_id": format!("v-{n}"), "expires_at": expires, "conversation": null})
    };
    let body = answer.to_string();
    let reply = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(reply.as_bytes()).await?;
    stream.shutdown().await?;
    Ok(())
}

/// One WebSocket, agent's or visitor's (told apart by the token).
async fn socket(stream: TcpStream, relay: Arc<Mutex<Relay>>) -> anyhow::Result<()> {
    let ws = tokio_tungstenite::accept_async(stream).await?;
    let (mut sink, mut stream) = ws.split();
    let Some(Ok(Message::Text(hello))) = stream.next().await else {
        return Ok(());
    };
    let hello: Value = serde_json::from_str(&hello)?;
    let token = hello["token"].as_str().unwrap_or_default().to_owned();
    let (tx, mut rx) = mpsc::unbounded_channel::<String>();
    let agent = token
        .strip_prefix('a')
        .and_then(|t| t.split_once(':'))
        .and_then(|(id, name)| Some((id.parse::<u64>().ok()?, name.to_owned())));
    let welcome = match &agent {
        Some((id, name)) => {
            lock(&relay).agents.push((*id, tx.clone()));
            json!({"type": "welcome", "protocol": 1, "server_time": now_ms(), "expires_at": now_ms() + 86_400_000,
                "agent": profile(*id, name), "resumed": [], "refused": []})
        }
        None => json!({"type": "welcome", "protocol": 1, "server_time": now_ms(),
            "expires_at": now_ms() + 86_400_000, "visitor_id": format!("v-{token}"),
            "conversation": null, "resumed": [], "refused": []}),
    };
    sink.send(Message::text(welcome.to_string())).await?;
    let writer = tokio::spawn(async move {
        while let Some(text) = rx.recv().await {
            if sink.send(Message::text(text)).await.is_err() {
                break;
            }
        }
    });
    while let Some(Ok(msg)) = stream.next().await {
        let Message::Text(text) = msg else { continue };
        let Ok(command) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        let mut relay = lock(&relay);
        match &agent {
            Some((id, name)) => agent_command(&mut relay, *id, name, &tx, &command),
            None => visitor_command(&mut relay, &tx, &command),
        }
    }
    writer.abort();
    Ok(())
}

fn ack(to: &Outbox, command: &Value, conversation: Option<u64>, seq: Option<u64>) {
    let _ = to.send(
        json!({"type": "ack", "id": command["id"], "conversation": conversation, "seq": seq})
            .to_string(),
    );
}

fn event(to: &Outbox, conversation: u64, seq: u64, event: Value) {
    let frame = json!({"type": "event", "conversation": conversation, "seq": seq, "at": now_ms(), "event": event});
    let _ = to.send(frame.to_string());
}

fn visitor_command(relay: &mut Relay, me: &Outbox, command: &Value) {
    let c = command["conversation"].as_u64();
    match (command["type"].as_str(), c) {
        (Some("send_message"), None) => {
            if relay.agents.is_empty() {
                return;
            }
            relay.next_conversation += 1;
            let c = relay.next_conversation;
            let (agent_id, agent) = relay.agents[relay.next_agent % relay.agents.len()].clone();
            relay.next_agent += 1;
            relay.chats.insert(
                c,
                Chat {
                    visitor: me.clone(),
                    agent: None,
                    offered_to: agent_id,
                    agent_outbox: agent.clone(),
                    seq: 1,
                },
            );
            ack(me, command, Some(c), Some(1));
            event(
                &agent,
                c,
                2,
                json!({
                    "type": "offer", "conversation": c, "agent": {"id": agent_id, "name": "Agent"},
                    "kind": "smart", "queue": {"id": 1, "label": "Load"},
                    "visitor": {"visitor_id": "v", "customer": null, "locale": null},
                    "waiting_since": now_ms(), "transfer": null, "phase": "ringing",
                    "deadline": now_ms() + 30_000, "script_first_node": null, "returning": false
                }),
            );
        }
        (Some("send_message"), Some(c)) => {
            let Some(chat) = relay.chats.get_mut(&c) else {
                return;
            };
            chat.seq += 1;
            ack(me, command, Some(c), Some(chat.seq));
            if let Some((_, agent)) = &chat.agent {
                event(
                    agent,
                    c,
                    chat.seq,
                    json!({"type": "message", "author": {"type": "visitor"}, "private": false,
                    "text": command["text"], "choices": [], "attachments": []}),
                );
            }
        }
        (Some("typing"), Some(c)) => {
            if let Some((_, agent)) = relay.chats.get(&c).and_then(|chat| chat.agent.as_ref()) {
                let _ = agent.send(json!({"type": "typing", "conversation": c, "who": {"type": "visitor"}, "on": command["on"], "private": false}).to_string());
            }
        }
        (Some("typing"), None) => {}
        _ => ack(me, command, c, None),
    }
}

fn agent_command(relay: &mut Relay, id: u64, name: &str, me: &Outbox, command: &Value) {
    let c = command["conversation"].as_u64();
    match (
        command["type"].as_str(),
        c.and_then(|c| relay.chats.get_mut(&c).map(|chat| (c, chat))),
    ) {
        (Some("accept"), Some((c, chat))) if chat.offered_to == id => {
            chat.agent = Some((id, chat.agent_outbox.clone()));
            chat.seq += 1;
            ack(me, command, Some(c), Some(chat.seq));
            event(
                &chat.visitor,
                c,
                chat.seq,
                json!({"type": "agent_joined", "name": name}),
            );
        }
        (Some("send_message"), Some((c, chat))) => {
            chat.seq += 1;
            ack(me, command, Some(c), Some(chat.seq));
            event(
                &chat.visitor,
                c,
                chat.seq,
                json!({"type": "message", "author": {"type": "agent", "name": name},
                "text": command["text"], "choices": [], "attachments": []}),
            );
        }
        (Some("typing"), Some((c, chat))) => {
            let _ = chat.visitor.send(
                json!({"type": "typing", "conversation": c, "name": name, "on": command["on"]})
                    .to_string(),
            );
        }
        (Some("typing"), None) => {}
        _ => ack(me, command, c, None),
    }
}
