//! The connection against a scripted server that checks every frame the client
//! sends: a reconnect resumes from the last `seq` and sends the outbox again
//! with the original ids, in order; typing is never resent; an event the
//! server replays twice reaches the caller once.
//!
//! (banner-server's own tests run the client against the real server.)

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use banner_client::connection::visitor_command;
use banner_client::{ClientError, ConnectOptions, Link, VisitorClient};
use banner_proto::*;
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;

const WAIT: Duration = Duration::from_secs(10);
const C: ConversationId = ConversationId(7);

/// One accepted socket of the scripted server.
struct Peer(WebSocketStream<TcpStream>);

impl Peer {
    async fn accept(listener: &TcpListener) -> Peer {
        let (tcp, _) = tokio::time::timeout(WAIT, listener.accept())
            .await
            .unwrap()
            .unwrap();
        Peer(tokio_tungstenite::accept_async(tcp).await.unwrap())
    }

    /// The next frame the client sent, as JSON.
    async fn read(&mut self) -> Value {
        loop {
            let message = tokio::time::timeout(WAIT, self.0.next())
                .await
                .expect("a frame in time")
                .unwrap()
                .unwrap();
            if let Message::Text(text) = message {
                return serde_json::from_str(text.as_str()).unwrap();
            }
        }
    }

    async fn write(&mut self, frame: Value) {
        self.0
            .send(Message::Text(frame.to_string().into()))
            .await
            .unwrap();
    }

    /// Reads `hello`, answers `welcome`; returns the hello's resume list.
    async fn welcome(&mut self) -> Value {
        let hello = self.read().await;
        assert_eq!(hello["type"], "hello");
        assert_eq!(hello["token"], "tok");
        self.write(json!({
            "type": "welcome", "protocol": 1, "server_time": 0, "expires_at": 0,
            "visitor_id": "v-1", "conversation": 7, "resumed": [], "refused": [],
            "a_field_from_the_future": true,
        }))
        .await;
        hello["resume"].clone()
    }

    async fn event(&mut self, seq: Seq) {
        let event = json!({"type": "queued"});
        self.write(
            json!({"type": "event", "conversation": 7, "seq": seq, "at": 0, "event": event}),
        )
        .await;
    }
}

fn id_of(command: &VisitorCommand) -> String {
    match command {
        VisitorCommand::SendMessage(m) => m.id.as_str().to_owned(),
        VisitorCommand::Ping(p) => p.id.as_str().to_owned(),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_reconnect_resumes_from_the_last_seq_and_resends_the_outbox_with_the_same_ids() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let client = VisitorClient::with_token(&base, "tok").unwrap();
    let (opened, first) = tokio::join!(client.connect(ConnectOptions::default()), async {
        let mut peer = Peer::accept(&listener).await;
        assert_eq!(peer.welcome().await, json!([]));
        peer
    });
    let (mut ws, welcome) = opened.unwrap();
    assert_eq!(welcome.conversation, Some(C));
    let mut peer = first;
    peer.event(1).await;
    peer.event(2).await;

    let a = visitor_command::send_message(Some(C), "A", &[]).unwrap();
    let a_id = id_of(&a);
    let a = ws.submit(a).unwrap();
    assert_eq!(peer.read().await["id"], a_id.as_str());
    // The answer never comes: the socket drops.
    drop(peer);
    tokio::time::timeout(WAIT, ws.wait_link(|l| l != Link::Up))
        .await
        .unwrap();

    ws.typing(C, true).unwrap();
    let b = visitor_command::send_message(Some(C), "B", &[]).unwrap();
    let b_id = id_of(&b);
    let b = ws.submit(b).unwrap();
    assert_eq!(
        ws.unanswered()
            .iter()
            .map(ClientId::as_str)
            .collect::<Vec<_>>(),
        [a_id.as_str(), b_id.as_str()]
    );

    let (again, mut peer) = tokio::join!(ws.reconnect(), async {
        let mut peer = Peer::accept(&listener).await;
        let resume = peer.welcome().await;
        assert_eq!(resume, json!([{"conversation": 7, "last_seq": 2}]));
        peer
    });
    again.unwrap();
    // A replay that overlaps what the client has: seq 2 is a duplicate.
    peer.event(2).await;
    peer.event(3).await;
    let resent = [peer.read().await, peer.read().await];
    assert_eq!(resent[0]["id"], a_id.as_str(), "the original id, first");
    assert_eq!(resent[0]["text"], "A");
    assert_eq!(resent[1]["id"], b_id.as_str());
    peer.write(json!({"type": "ack", "id": a_id, "conversation": 7, "seq": 4}))
        .await;
    peer.write(json!({"type": "error", "id": b_id, "code": "conflict", "message": "no"}))
        .await;

    let a = tokio::time::timeout(WAIT, a).await.unwrap().unwrap();
    assert_eq!((a.conversation, a.seq), (Some(C), Some(4)));
    let b = tokio::time::timeout(WAIT, b).await.unwrap();
    assert!(
        matches!(
            b,
            Err(ClientError::Server {
                code: ErrorCode::Conflict,
                ..
            })
        ),
        "{b:?}"
    );
    assert!(ws.unanswered().is_empty());
    assert_eq!(ws.last_seq(C), Some(3));

    // Nothing else was sent: the typing indicator was not kept for later.
    let ping = visitor_command::ping();
    let ping_id = id_of(&ping);
    let ping = ws.submit(ping).unwrap();
    assert_eq!(peer.read().await["id"], ping_id.as_str());
    peer.write(json!({"type": "ack", "id": ping_id, "conversation": null, "seq": null}))
        .await;
    tokio::time::timeout(WAIT, ping).await.unwrap().unwrap();

    let mut seen = Vec::new();
    while let Some(frame) = ws.try_next() {
        seen.push(match frame {
            VisitorFrame::Event(l) => format!("event {}", l.seq),
            VisitorFrame::Welcome(_) => "welcome".into(),
            other => format!("{other:?}"),
        });
    }
    assert_eq!(seen, ["event 1", "event 2", "welcome", "event 3"]);
}

#[tokio::test]
async fn a_closed_session_ends_the_connection_and_fails_what_waits() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let client = VisitorClient::with_token(&base, "tok").unwrap();
    let (opened, mut peer) = tokio::join!(client.connect(ConnectOptions::default()), async {
        let mut peer = Peer::accept(&listener).await;
        peer.welcome().await;
        peer
    });
    let (mut ws, _) = opened.unwrap();
    let waiting = ws.submit(visitor_command::ping()).unwrap();
    peer.read().await;
    // The session was logged out: 4401, after which a client must log in again.
    let frame = tokio_tungstenite::tungstenite::protocol::CloseFrame {
        code: close::UNAUTHORIZED.into(),
        reason: "".into(),
    };
    peer.0.close(Some(frame)).await.unwrap();

    let failed = tokio::time::timeout(WAIT, waiting).await.unwrap();
    assert!(
        matches!(
            failed,
            Err(ClientError::Closed {
                close_code: Some(4401)
            })
        ),
        "{failed:?}"
    );
    assert_eq!(
        ws.link(),
        Link::Closed {
            close_code: Some(4401)
        }
    );
    assert!(
        tokio::time::timeout(WAIT, ws.next())
            .await
            .unwrap()
            .is_none()
    );
    let late = ws.send(visitor_command::ping()).await;
    assert!(matches!(late, Err(ClientError::Closed { .. })), "{late:?}");
    assert!(ws.unanswered().is_empty());
}
