//! What banner-client would never send or never show: a bare WebSocket
//! speaking JSON by hand (garbage, unknown frames, a missing `hello`,
//! oversized frames, a client that never reads), bare HTTP requests (malformed
//! paths and queries, response headers), and requests written byte by byte
//! (a length with no body, a chunked body).

use std::net::SocketAddr;

use banner_proto::*;
use futures_util::{SinkExt, StreamExt};
use serde::Serialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::Server;
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

    /// Closes the socket from this side.
    pub async fn close(mut self) {
        let _ = self.stream.close(None).await;
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

/// `GET path` with a bearer token.
pub async fn get(server: &Server, path: &str, token: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(server.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

/// The status and code of an error answer.
pub async fn refused(response: reqwest::Response) -> (u16, ErrorCode) {
    let status = response.status().as_u16();
    let body: ErrorBody = response.json().await.unwrap();
    (status, body.code)
}

/// Sends a request's head, then `chunks` as a chunked body (none: the head
/// alone), and returns the status line of the answer.
pub async fn request(addr: SocketAddr, head: &str, chunks: Option<Vec<Vec<u8>>>) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunked = chunks.is_some();
    for chunk in chunks.unwrap_or_default() {
        let framed = [
            format!("{:x}\r\n", chunk.len()).into_bytes(),
            chunk,
            b"\r\n".to_vec(),
        ]
        .concat();
        // The server may answer and stop reading before the end: that is the point.
        if stream.write_all(&framed).await.is_err() {
            break;
        }
    }
    if chunked {
        let _ = stream.write_all(b"0\r\n\r\n").await;
    }
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    let read = async {
        while !answer.windows(2).any(|w| w == b"\r\n") {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => answer.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(WAIT, read)
        .await
        .expect("an answer in time");
    let text = String::from_utf8_lossy(&answer);
    text.lines().next().unwrap_or_default().to_owned()
}
