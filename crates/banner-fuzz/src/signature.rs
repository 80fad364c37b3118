//! The authenticated customer's signature check,
//! `banner_server::auth::signature::verify_customer`.
//!
//! The input is split into secret, customer id and signature at its first two
//! zero bytes. Besides never panicking, the site's own signature of the id
//! must verify, and a signature with one hex digit changed must not.

use banner_server::auth::signature::{sign_customer, verify_customer};

/// Checks arbitrary (secret, id, signature) triples, and the property above.
pub fn fuzz(data: &[u8]) {
    let mut parts = data.splitn(3, |b| *b == 0);
    let secret = parts.next().unwrap_or_default();
    let id = String::from_utf8_lossy(parts.next().unwrap_or_default());
    let signature = String::from_utf8_lossy(parts.next().unwrap_or_default());
    let _ = verify_customer(secret, &id, &signature);
    if secret.is_empty() || id.is_empty() {
        return;
    }
    let good = sign_customer(secret, &id);
    assert!(
        verify_customer(secret, &id, &good),
        "the site's signature verifies"
    );
    let mut bad = good.into_bytes();
    bad[0] = if bad[0] == b'0' { b'1' } else { b'0' };
    let bad = String::from_utf8_lossy(&bad);
    assert!(
        !verify_customer(secret, &id, &bad),
        "a changed signature fails"
    );
}
