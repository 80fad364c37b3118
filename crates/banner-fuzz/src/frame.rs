//! The server's inbound text frames: `banner_server::ws::decode_text`, as the
//! agent's and the visitor's sockets call it after `hello`, and the `hello`
//! itself. The bytes are read as UTF-8 first, as tungstenite does before a
//! text frame reaches the server; other bytes never get that far.

use banner_proto::{AgentCommand, VisitorCommand};
use banner_server::ws::decode_text;

/// Decodes `data` as each kind of inbound frame. A refusal must keep the
/// frame's id only when the frame had one it could read.
pub fn fuzz(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(refused) = decode_text::<AgentCommand>(text) {
        check_refusal(text, &refused);
    }
    if let Err(refused) = decode_text::<VisitorCommand>(text) {
        check_refusal(text, &refused);
    }
}

fn check_refusal(text: &str, refused: &banner_proto::ErrorFrame) {
    assert!(!refused.message.is_empty(), "a refusal says why: {text:?}");
}
