//! The protocol's limits and timings, shared by the server (which enforces
//! them), the clients (which respect them) and the UI (which gets them as
//! `ui/src/protocol/constants.ts`).
//!
//! Limits checked while parsing — [`MAX_CLIENT_ID`], [`MAX_TEXT_CHARS`],
//! [`MAX_ATTACHMENTS`], [`MAX_SAFE_INTEGER`] for ids — make a frame that breaks
//! them fail to parse with a message naming the limit. The others are the
//! server's to enforce before parsing (sizes) or while serving (pages).

/// The largest WebSocket text frame, and the largest JSON HTTP body, in bytes
/// (64 KiB). The server refuses a bigger one with `too_large` before parsing
/// it; the socket stays open, unless the frame is so large (over 1 MiB) that
/// the server does not read it and closes with [`crate::close::TOO_LARGE`].
pub const MAX_FRAME_BYTES: usize = 64 * 1024;

/// The most characters in a message's text. Characters are Unicode scalar
/// values (Rust `chars`, JavaScript `[...text].length`), not UTF-16 units.
pub const MAX_TEXT_CHARS: usize = 4000;

/// The most characters in a client-made command id. An id is 1 to 64 printable
/// ASCII characters (`!` to `~`), e.g. a UUID.
pub const MAX_CLIENT_ID: usize = 64;

/// The most attachments in one message.
pub const MAX_ATTACHMENTS: usize = 10;

/// The most conversations a `hello` may ask to resume.
pub const MAX_RESUME: usize = 500;

/// The largest upload the protocol allows, in bytes (10 MiB). A server may be
/// configured lower; it refuses a bigger body with `too_large` before reading it.
pub const MAX_UPLOAD_BYTES: u64 = 10 * 1024 * 1024;

/// The most characters in an upload's file name (`X-Filename`, once decoded).
pub const MAX_FILENAME_CHARS: usize = 255;

/// The media types an upload may have, established by the server from the
/// file's first bytes (never from the name or the declared `Content-Type`).
/// A server may accept fewer; anything else is `unsupported_media_type`.
/// Nothing a browser would run or render as a page (HTML, SVG, scripts) is
/// here, nor plain text, which cannot be told from HTML by its bytes.
pub const MEDIA_TYPES: [&str; 18] = [
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "video/mp4",
    "video/webm",
    "audio/mpeg",
    "audio/ogg",
    "audio/wav",
    "audio/mp4",
    "application/pdf",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
];

/// The most events one `GET …/events` page returns; also the page size when
/// `limit` is absent is [`DEFAULT_EVENTS_PAGE`].
pub const MAX_EVENTS_PAGE: u32 = 500;

/// The page size of `GET …/events` when the query gives no `limit`.
pub const DEFAULT_EVENTS_PAGE: u32 = 100;

/// The finished chats a pool carries, newest first; older ones are found
/// with `GET /v1/history`. The pool goes out whole on every change of the
/// agent's chats (every message in one of them), so a full history there
/// made each frame ~10× larger for an agent at the end of a shift.
pub const POOL_HISTORY: usize = 50;

/// The most hits one `GET /v1/history` returns.
pub const MAX_HISTORY_HITS: u32 = 100;

/// The number of hits of `GET /v1/history` when the query gives no `limit`.
pub const DEFAULT_HISTORY_HITS: u32 = 20;

/// The largest integer a JavaScript number holds exactly (2^53 − 1): no id,
/// `seq` or time on the wire exceeds it.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// How long the server waits for `hello` after the WebSocket opens before it
/// closes the socket with [`crate::close::HELLO_TIMEOUT`], in milliseconds.
pub const HELLO_TIMEOUT_MS: u64 = 10_000;

/// While someone types, their client repeats `typing {on: true}` at most this
/// often (milliseconds), so that a lost `on: false` cannot stick.
pub const TYPING_REPEAT_MS: u64 = 3_000;

/// A typing indicator not renewed for this long (milliseconds) goes off by itself.
pub const TYPING_EXPIRES_MS: u64 = 6_000;
