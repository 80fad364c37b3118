//! Client input whose limits are checked while parsing: a command's id, a
//! message's text, a message's attachments. A value of these types always
//! respects its limit, so the server cannot forget to check it, and a frame
//! that breaks one fails to parse with a message naming the limit.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer};
use serde::{Serialize, Serializer};
use ts_rs::TS;

use crate::ids::AttachmentId;
use crate::limits::{MAX_ATTACHMENTS, MAX_CLIENT_ID, MAX_TEXT_CHARS};

/// What `Debug` prints instead of a secret (a token, a password, a signature).
pub(crate) const REDACTED: &str = "<redacted>";

/// Why a value breaks a limit of the protocol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LimitError(String);

impl fmt::Display for LimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LimitError {}

/// The id a client makes for a command (e.g. a UUID): 1 to [`MAX_CLIENT_ID`]
/// printable ASCII characters. A retry carries the same id and is answered with
/// the original result; the same id with a different body is a `conflict`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, TS)]
pub struct ClientId(String);

impl ClientId {
    /// Checks `id` against the rules above.
    pub fn new(id: impl Into<String>) -> Result<Self, LimitError> {
        let id = id.into();
        let len = id.chars().count();
        if !(1..=MAX_CLIENT_ID).contains(&len) {
            return Err(LimitError(format!(
                "a command id has 1 to {MAX_CLIENT_ID} characters; this one has {len}"
            )));
        }
        if !id.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(LimitError(
                "a command id has only printable ASCII characters, without spaces".into(),
            ));
        }
        Ok(ClientId(id))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A message's text: at most [`MAX_TEXT_CHARS`] characters (Unicode scalar
/// values). It may be empty when the message carries attachments.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, TS)]
pub struct MessageText(String);

impl MessageText {
    /// Checks `text` against [`MAX_TEXT_CHARS`].
    pub fn new(text: impl Into<String>) -> Result<Self, LimitError> {
        let text = text.into();
        let len = text.chars().count();
        if len > MAX_TEXT_CHARS {
            return Err(LimitError(format!(
                "a message has at most {MAX_TEXT_CHARS} characters; this one has {len}"
            )));
        }
        Ok(MessageText(text))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text, owned.
    pub fn into_string(self) -> String {
        self.0
    }
}

/// The attachments of a message, uploaded beforehand: at most
/// [`MAX_ATTACHMENTS`] ids.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, TS)]
pub struct AttachmentIds(Vec<AttachmentId>);

impl AttachmentIds {
    /// Checks the count against [`MAX_ATTACHMENTS`].
    pub fn new(ids: Vec<AttachmentId>) -> Result<Self, LimitError> {
        if ids.len() > MAX_ATTACHMENTS {
            return Err(LimitError(format!(
                "a message has at most {MAX_ATTACHMENTS} attachments; this one has {}",
                ids.len()
            )));
        }
        Ok(AttachmentIds(ids))
    }

    /// The ids, in the order the client gave them.
    pub fn as_slice(&self) -> &[AttachmentId] {
        &self.0
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

macro_rules! serde_via {
    ($name:ident, $inner:ty) => {
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                self.0.serialize(serializer)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <$inner>::deserialize(deserializer)
                    .and_then(|inner| $name::new(inner).map_err(de::Error::custom))
            }
        }

        impl TryFrom<$inner> for $name {
            type Error = LimitError;

            fn try_from(inner: $inner) -> Result<Self, LimitError> {
                $name::new(inner)
            }
        }
    };
}

serde_via!(ClientId, String);
serde_via!(MessageText, String);
serde_via!(AttachmentIds, Vec<AttachmentId>);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_uuid_is_a_client_id_and_a_blank_or_long_one_is_not() {
        assert!(ClientId::new("0f8fad5b-d9cb-469f-a165-70867728950e").is_ok());
        assert!(ClientId::new("x".repeat(MAX_CLIENT_ID)).is_ok());
        assert!(ClientId::new("x".repeat(MAX_CLIENT_ID + 1)).is_err());
        assert!(ClientId::new("").is_err());
        assert!(ClientId::new("a b").is_err());
        assert!(ClientId::new("é").is_err());
    }

    #[test]
    fn text_is_counted_in_characters_not_bytes() {
        assert!(MessageText::new("é".repeat(MAX_TEXT_CHARS)).is_ok());
        let err = MessageText::new("é".repeat(MAX_TEXT_CHARS + 1)).unwrap_err();
        assert!(err.to_string().contains("4000"), "{err}");
    }

    #[test]
    fn limits_apply_while_parsing() {
        let long = format!("\"{}\"", "x".repeat(MAX_TEXT_CHARS + 1));
        let err = serde_json::from_str::<MessageText>(&long).unwrap_err();
        assert!(err.to_string().contains("at most 4000"), "{err}");
        let many = format!("[{}]", ["1"; MAX_ATTACHMENTS + 1].join(","));
        assert!(serde_json::from_str::<AttachmentIds>(&many).is_err());
        assert!(serde_json::from_str::<ClientId>("\"\"").is_err());
    }
}
