//! File names: the uploader's `X-Filename` in, the download's
//! `Content-Disposition` out. The name is only ever shown and offered back; it
//! never becomes a path (files are stored under random names), but it is still
//! cleaned so that no part of the Banner, nor the visitor's browser, receives
//! a path, a control character or a bidi override that fakes an extension
//! (`invoice\u{202E}fdp.exe`).

use banner_proto::limits::MAX_FILENAME_CHARS;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// Why an `X-Filename` was refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum FilenameError {
    /// Not percent-encoded UTF-8.
    #[error("X-Filename must be percent-encoded UTF-8")]
    Encoding,
    /// Longer than the protocol allows.
    #[error("a file name has at most {MAX_FILENAME_CHARS} characters")]
    TooLong,
}

/// The uploader's name for the file, from the percent-encoded header value:
/// its last path component, without control or bidi formatting characters,
/// trimmed. `None` when nothing is left (the server then names the file).
pub fn from_header(value: &str) -> Result<Option<String>, FilenameError> {
    let decoded = percent_decode_str(value)
        .decode_utf8()
        .map_err(|_| FilenameError::Encoding)?;
    if decoded.chars().count() > MAX_FILENAME_CHARS {
        return Err(FilenameError::TooLong);
    }
    let base = decoded.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base.chars().filter(|&c| !hidden(c)).collect();
    let clean = clean.trim().trim_start_matches('.').trim();
    Ok((!clean.is_empty()).then(|| clean.to_owned()))
}

/// Characters that are invisible or reorder the text around them.
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200B}'..='\u{200F}' // zero-width characters, LRM, RLM
            | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
            | '\u{2066}'..='\u{2069}' // bidi isolates
            | '\u{FEFF}')
}

/// RFC 5987 `attr-char`s are kept; everything else is percent-encoded.
const ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// The `Content-Disposition` of a download: always `attachment` (the browser
/// saves the file rather than showing it), with the name in RFC 6266's
/// `filename*` form, so that any Unicode name survives and nothing in it can
/// end the header's parameter.
pub fn content_disposition(name: &str) -> String {
    format!(
        "attachment; filename*=UTF-8''{}",
        utf8_percent_encode(name, ATTR_CHAR)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_decoded_and_keep_their_unicode() {
        assert_eq!(
            from_header("facture%20mars.pdf"),
            Ok(Some("facture mars.pdf".into()))
        );
        assert_eq!(
            from_header("%E6%97%A5%E6%9C%AC.docx"),
            Ok(Some("日本.docx".into()))
        );
        assert_eq!(from_header("plain.png"), Ok(Some("plain.png".into())));
    }

    #[test]
    fn paths_controls_and_bidi_tricks_are_stripped() {
        let cases = [
            ("..%2F..%2Fetc%2Fpasswd", Some("passwd")),
            ("C:%5CUsers%5Cada%5Cscan.pdf", Some("scan.pdf")),
            (
                "a%0D%0AContent-Type%3A%20x.png",
                Some("aContent-Type: x.png"),
            ),
            ("invoice%E2%80%AEfdp.exe", Some("invoicefdp.exe")),
            ("%00%01..", None),
            ("..", None),
            ("%2E%2Ehidden", Some("hidden")),
            ("dir%2F", None),
            ("%20%20", None),
        ];
        for (header, expected) in cases {
            assert_eq!(
                from_header(header),
                Ok(expected.map(String::from)),
                "{header}"
            );
        }
    }

    #[test]
    fn bad_encodings_and_long_names_are_refused() {
        assert_eq!(from_header("%FF%FE.png"), Err(FilenameError::Encoding));
        let long = "a".repeat(MAX_FILENAME_CHARS + 1);
        assert_eq!(from_header(&long), Err(FilenameError::TooLong));
        let longest = "é".repeat(MAX_FILENAME_CHARS);
        let encoded = utf8_percent_encode(&longest, NON_ALPHANUMERIC).to_string();
        assert_eq!(
            from_header(&encoded),
            Ok(Some(longest)),
            "characters, not bytes"
        );
    }

    #[test]
    fn the_disposition_always_attaches_and_encodes_the_name() {
        assert_eq!(
            content_disposition("facture mars.pdf"),
            "attachment; filename*=UTF-8''facture%20mars.pdf"
        );
        assert_eq!(
            content_disposition("a\";b=c.pdf"),
            "attachment; filename*=UTF-8''a%22%3Bb%3Dc.pdf"
        );
        assert_eq!(
            content_disposition("日本.docx"),
            "attachment; filename*=UTF-8''%E6%97%A5%E6%9C%AC.docx"
        );
    }
}
