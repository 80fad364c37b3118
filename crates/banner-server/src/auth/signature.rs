//! Authenticated customers: the host site's back end signs the customer id with
//! the site's secret (lowercase hex HMAC-SHA256 of the id's UTF-8 bytes); the
//! server recomputes it and compares in constant time.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// Whether `signature` is the site's signature of `customer_id`. An empty or
/// malformed signature, an empty id or an empty secret never verifies.
pub fn verify_customer(secret: &[u8], customer_id: &str, signature: &str) -> bool {
    if secret.is_empty() || customer_id.is_empty() || signature.len() != 64 {
        return false;
    }
    let Ok(given) = hex::decode(signature) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return false;
    };
    mac.update(customer_id.as_bytes());
    let expected = mac.finalize().into_bytes();
    bool::from(expected.as_slice().ct_eq(&given))
}

/// The signature of `customer_id` (what a host site computes; for the demo and tests).
pub fn sign_customer(secret: &[u8], customer_id: &str) -> String {
    match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(mut mac) => {
            mac.update(customer_id.as_bytes());
            hex::encode(mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_sites_signature_of_that_id_verifies() {
        let sig = sign_customer(b"s3cret", "cust-1");
        assert_eq!(sig.len(), 64);
        assert!(verify_customer(b"s3cret", "cust-1", &sig));
        assert!(verify_customer(b"s3cret", "cust-1", &sig.to_uppercase()));
        assert!(!verify_customer(b"s3cret", "cust-2", &sig));
        assert!(!verify_customer(b"other", "cust-1", &sig));
        assert!(!verify_customer(b"s3cret", "cust-1", ""));
        assert!(!verify_customer(b"", "cust-1", &sig));
    }
}
