//! WebSocket close codes the server uses, in the private range 4000–4999 that
//! RFC 6455 leaves to applications. Each mirrors the HTTP status of the same
//! meaning (4401 ~ 401), so a log reader recognises them. Before closing with
//! one of these the server sends an `error` frame saying why, when it can.
//!
//! A client reconnects (with back-off and `resume`) after any close except
//! [`UNAUTHORIZED`] (log in, or open a visitor session, again first) and
//! [`UNSUPPORTED_PROTOCOL`] (the client must be upgraded). A session may have
//! several sockets at once (two windows, two tabs): each gets every frame.

/// The first frame was not a valid `hello`, or a frame was binary. (A later
/// frame that does not parse is answered with an `error` frame instead.)
pub const BAD_REQUEST: u16 = 4400;

/// The token in `hello` is unknown or expired, or the session was logged out.
pub const UNAUTHORIZED: u16 = 4401;

/// No `hello` arrived within [`crate::limits::HELLO_TIMEOUT_MS`], or the
/// client sent nothing (not even a Pong) for twice the server's keep-alive
/// interval.
pub const HELLO_TIMEOUT: u16 = 4408;

/// A frame was larger than [`crate::limits::MAX_FRAME_BYTES`].
pub const TOO_LARGE: u16 = 4413;

/// `hello.protocol` is a version this server does not speak.
pub const UNSUPPORTED_PROTOCOL: u16 = 4426;

/// The client sent commands faster than the server accepts.
pub const RATE_LIMITED: u16 = 4429;

/// The server is shutting down; reconnect with `resume` after a pause.
pub const GOING_AWAY: u16 = 1001;
