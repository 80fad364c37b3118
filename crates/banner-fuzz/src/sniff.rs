//! The upload type sniffer, `banner_server::attachments::sniff::sniff`: what
//! a file is, from its bytes. Whatever it answers must be on the protocol's
//! allowlist.

use banner_proto::limits::MEDIA_TYPES;
use banner_server::attachments::sniff::sniff;

/// Sniffs `data`; an answer must be an allowed media type.
pub fn fuzz(data: &[u8]) {
    if let Some(media) = sniff(data) {
        assert!(
            MEDIA_TYPES.contains(&media.mime()),
            "{} is not allowed",
            media.mime()
        );
    }
}
