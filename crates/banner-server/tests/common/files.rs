//! Uploads and downloads over HTTP, raw requests for what reqwest will not
//! send (a length with no body, a chunked body), small files of each kind, and
//! messages that carry files.

use std::net::SocketAddr;

use banner_proto::*;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::*;

/// The first bytes of a PNG image (all the server reads to type it).
pub const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
/// A small PDF.
pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
/// A page that would run a script if a browser rendered it.
pub const HTML: &[u8] = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>";
/// The same in SVG.
pub const SVG: &[u8] =
    b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(document.cookie)\"/>";

/// An agent's `send_message` carrying `files`.
pub fn agent_message(
    id: &str,
    c: ConversationId,
    text: &str,
    private: bool,
    files: &[&Attachment],
) -> serde_json::Value {
    let ids: Vec<AttachmentId> = files.iter().map(|a| a.id).collect();
    json!({"type": "send_message", "id": id, "conversation": c, "text": text, "private": private, "attachments": ids})
}

/// A visitor's `send_message` carrying `files`.
pub fn visitor_message(
    id: &str,
    c: Option<ConversationId>,
    text: &str,
    files: &[AttachmentId],
) -> serde_json::Value {
    json!({"type": "send_message", "id": id, "conversation": c, "text": text, "attachments": files})
}

/// The attachments of the messages among agent frames.
pub fn agent_files(frames: &[AgentFrame]) -> Vec<Attachment> {
    frames
        .iter()
        .flat_map(|f| match f {
            AgentFrame::Event(Logged {
                event: AgentEvent::Message { attachments, .. },
                ..
            }) => attachments.clone(),
            _ => Vec::new(),
        })
        .collect()
}

/// The attachments of the messages among visitor frames.
pub fn visitor_files(frames: &[VisitorFrame]) -> Vec<Attachment> {
    frames
        .iter()
        .flat_map(|f| match f {
            VisitorFrame::Event(Logged {
                event: VisitorEvent::Message { attachments, .. },
                ..
            }) => attachments.clone(),
            _ => Vec::new(),
        })
        .collect()
}

/// The code of the error ending an agent command's frames.
pub fn agent_refusal(frames: &[AgentFrame]) -> ErrorCode {
    match frames.last() {
        Some(AgentFrame::Error(e)) => e.code,
        other => panic!("expected an error, got {other:?}"),
    }
}

/// The code of the error ending a visitor command's frames.
pub fn visitor_refusal(frames: &[VisitorFrame]) -> ErrorCode {
    match frames.last() {
        Some(VisitorFrame::Error(e)) => e.code,
        other => panic!("expected an error, got {other:?}"),
    }
}

impl Server {
    /// `POST /v1/conversations/{c}/attachments` with a claimed type and name.
    pub async fn upload(
        &self,
        token: &str,
        c: ConversationId,
        bytes: &[u8],
        claimed: &str,
        filename: Option<&str>,
    ) -> reqwest::Response {
        let url = self.url(&http::path::with_id(
            http::path::CONVERSATION_ATTACHMENTS,
            c,
        ));
        let mut request = reqwest::Client::new()
            .post(url)
            .bearer_auth(token)
            .header("Content-Type", claimed)
            .body(bytes.to_vec());
        if let Some(name) = filename {
            request = request.header("X-Filename", name);
        }
        request.send().await.unwrap()
    }

    /// An upload that must succeed: its record.
    pub async fn uploaded(
        &self,
        token: &str,
        c: ConversationId,
        bytes: &[u8],
        filename: &str,
    ) -> Attachment {
        let response = self
            .upload(token, c, bytes, "application/octet-stream", Some(filename))
            .await;
        assert_eq!(response.status(), 201);
        response.json::<Uploaded>().await.unwrap().attachment
    }

    /// `GET /v1/attachments/{id}`.
    pub async fn download(&self, token: &str, id: AttachmentId) -> reqwest::Response {
        reqwest::Client::new()
            .get(self.url(&http::path::with_id(http::path::ATTACHMENT, id)))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }
}

/// The status and code of a refusal.
pub async fn refused(response: reqwest::Response) -> (u16, ErrorCode) {
    let status = response.status().as_u16();
    let body: ErrorBody = response.json().await.unwrap();
    (status, body.code)
}

/// Sends a request's head, then `chunks` as a chunked body (none: the head
/// alone), and returns the status line of the answer.
pub async fn raw_request(addr: SocketAddr, head: &str, chunks: Option<Vec<Vec<u8>>>) -> String {
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
    tokio::time::timeout(std::time::Duration::from_secs(10), read)
        .await
        .expect("an answer in time");
    let text = String::from_utf8_lossy(&answer);
    text.lines().next().unwrap_or_default().to_owned()
}
