//! A bare WebSocket speaking JSON by hand, for what banner-client would never
//! send: garbage, unknown frames, a missing `hello`, oversized frames.

use std::net::SocketAddr;

use banner_proto::*;
use futures_util::{SinkExt, StreamExt};
use serde::Serialize;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::wait::WAIT;

/// A WebSocket without a client library.
pub struct Ws {
    stream: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl Ws {
    pub async fn connect(addr: SocketAddr, path: &str) -> Ws {
        let (stream, _) = tokio_tungstenite::connect_async(format!("ws://{addr}{path}"))
            .await
            .unwrap();
        Ws { stream }
    }

    /// An agent socket after `hello` and `welcome`.
    pub async fn agent(addr: SocketAddr, token: &str) -> Ws {
        let mut ws = Ws::connect(addr, "/v1/ws").await;
        ws.hello(token).await;
        assert!(matches!(ws.agent_frame().await, AgentFrame::Welcome(_)));
        ws
    }

    /// A visitor socket after `hello` and `welcome`.
    pub async fn visitor(addr: SocketAddr, token: &str) -> Ws {
        let mut ws = Ws::connect(addr, "/v1/visitor/ws").await;
        ws.hello(token).await;
        assert!(matches!(ws.visitor_frame().await, VisitorFrame::Welcome(_)));
        ws
    }

    async fn hello(&mut self, token: &str) {
        self.send(
            &serde_json::json!({"type": "hello", "protocol": 1, "token": token, "resume": []}),
        )
        .await;
    }

    pub async fn send(&mut self, frame: &impl Serialize) {
        let text = serde_json::to_string(frame).unwrap();
        self.send_text(text).await;
    }

    pub async fn send_text(&mut self, text: String) {
        self.stream.send(Message::Text(text.into())).await.unwrap();
    }

    /// The next text frame (pings skipped).
    pub async fn text(&mut self) -> String {
        loop {
            let msg = tokio::time::timeout(WAIT, self.stream.next())
                .await
                .expect("a frame in time")
                .expect("the socket is open")
                .unwrap();
            match msg {
                Message::Text(t) => return t.as_str().to_owned(),
                Message::Close(frame) => panic!("closed: {frame:?}"),
                _ => {}
            }
        }
    }

    pub async fn agent_frame(&mut self) -> AgentFrame {
        let text = self.text().await;
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
    }

    pub async fn visitor_frame(&mut self) -> VisitorFrame {
        let text = self.text().await;
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
    }

    /// Reads until the server closes the socket; returns the close code.
    pub async fn close_code(&mut self) -> Option<u16> {
        loop {
            let msg = tokio::time::timeout(WAIT, self.stream.next())
                .await
                .expect("a close in time");
            match msg {
                None | Some(Err(_)) => return None,
                Some(Ok(Message::Close(frame))) => return frame.map(|f| f.code.into()),
                Some(Ok(_)) => {}
            }
        }
    }
}
