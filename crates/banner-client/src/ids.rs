//! Command ids: random UUIDs (version 4), as the protocol suggests. A new one
//! for each command; a retry reuses the original.

use banner_proto::ClientId;
use rand::Rng;

/// A fresh command id, e.g. `0f8fad5b-d9cb-469f-a165-70867728950e`.
pub fn new_id() -> ClientId {
    let mut b = [0u8; 16];
    rand::rng().fill_bytes(&mut b);
    // RFC 9562: version 4 in the high nibble of byte 6, variant 10 in byte 8.
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    let text = format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    );
    // 36 printable ASCII characters always make a valid id.
    ClientId::new(text).unwrap_or_else(|_| unreachable!("a UUID is a valid command id"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_version_4_uuids_and_distinct() {
        let (a, b) = (new_id(), new_id());
        assert_ne!(a, b);
        let s = a.as_str();
        assert_eq!(s.len(), 36);
        assert_eq!(&s[14..15], "4");
        assert!(matches!(&s[19..20], "8" | "9" | "a" | "b"), "{s}");
    }
}
