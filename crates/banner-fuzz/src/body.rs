//! The server's JSON bodies: `banner_server::http::error::decode_body`, as the
//! extractor calls it, for the two bodies anyone may send without a token
//! (login and visitor session).

use banner_proto::{LoginRequest, VisitorSessionRequest};
use banner_server::http::error::decode_body;

/// Decodes `data` as each body; a refusal must say why.
pub fn fuzz(data: &[u8]) {
    if let Err(e) = decode_body::<LoginRequest>(data) {
        assert!(!e.0.message.is_empty());
    }
    if let Err(e) = decode_body::<VisitorSessionRequest>(data) {
        assert!(!e.0.message.is_empty());
    }
}
