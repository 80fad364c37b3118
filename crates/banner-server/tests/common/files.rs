//! Attachments: small files of each kind, uploads that must succeed, and the
//! files carried by the messages among frames.

use banner_client::{AgentClient, ClientError, VisitorClient};
use banner_proto::*;

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

/// Whoever may upload: an agent's or a visitor's session.
pub trait Uploader {
    /// `POST /v1/conversations/{c}/attachments`, claiming a generic type.
    fn upload_file(
        &self,
        c: ConversationId,
        bytes: &[u8],
        filename: &str,
    ) -> impl Future<Output = Result<Uploaded, ClientError>>;

    /// An upload that must succeed: its record.
    fn uploaded(
        &self,
        c: ConversationId,
        bytes: &[u8],
        filename: &str,
    ) -> impl Future<Output = Attachment> {
        async move {
            self.upload_file(c, bytes, filename)
                .await
                .unwrap()
                .attachment
        }
    }
}

impl Uploader for AgentClient {
    async fn upload_file(
        &self,
        c: ConversationId,
        bytes: &[u8],
        filename: &str,
    ) -> Result<Uploaded, ClientError> {
        self.upload(c, filename, "application/octet-stream", bytes.to_vec())
            .await
    }
}

impl Uploader for VisitorClient {
    async fn upload_file(
        &self,
        c: ConversationId,
        bytes: &[u8],
        filename: &str,
    ) -> Result<Uploaded, ClientError> {
        self.upload(c, filename, "application/octet-stream", bytes.to_vec())
            .await
    }
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
