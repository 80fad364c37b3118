//! Opaque session tokens: 32 random bytes from the OS-seeded CSPRNG, as hex.
//! The store keeps only their SHA-256.

use rand::Rng;
use sha2::{Digest, Sha256};

/// A fresh token.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A token's digest: how a session is named between the server's tasks (a
/// logout closes the sockets opened with it) without passing the token around.
pub fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// A fresh anonymous visitor id (`v-` and 16 hex digits).
pub fn new_visitor_id() -> String {
    let mut bytes = [0u8; 8];
    rand::rng().fill_bytes(&mut bytes);
    format!("v-{}", hex::encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_and_distinct() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert!(new_visitor_id().starts_with("v-"));
    }
}
