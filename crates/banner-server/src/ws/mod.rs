//! The WebSockets, `/v1/ws` (agents) and `/v1/visitor/ws` (visitors): what both
//! share — frame limits, the `hello` deadline, sending and closing, command
//! digests — is here; each side is a file.
//!
//! A text frame over `MAX_FRAME_BYTES` is answered with an `error`
//! (`too_large`) and the socket stays open; only a frame over [`HARD_LIMIT`],
//! which is not even read, closes it (4413). Garbage and unknown frames get a
//! `bad_request` error and the socket stays open too.
//!
//! After `welcome`, frames are read through `inbound`: keep-alive pings (a
//! socket silent for twice `keepalive_secs` is closed with 4408) and the
//! sender's rate limit (a frame over it gets a `rate_limited` error).
//!
//! Layout: [`agent`] (its commands in `agent::command`), [`visitor`],
//! `inbound` (keep-alive and quota), `watches` (following conversations),
//! `replay` (catching up from the store), `awaited` (answers to `read`s,
//! awaited while the socket goes on).

pub mod agent;
mod awaited;
mod inbound;
pub(crate) mod replay;
pub mod visitor;
mod watches;

use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use banner_proto::limits::MAX_RESUME;
use banner_proto::limits::{HELLO_TIMEOUT_MS, MAX_FRAME_BYTES};
use banner_proto::{ClientId, ErrorCode, ErrorFrame, FrameProbe, Hello, PROTOCOL_VERSION, close};
use futures_util::SinkExt;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::hub::Refusal;

/// Frames above this many bytes are not read at all: the socket closes (4413).
pub const HARD_LIMIT: usize = 1024 * 1024;

/// The read buffer each socket allocates up front. tungstenite's default is
/// 128 KiB, which made an idle socket cost ~139 KiB; a few KiB fits the usual
/// frame, and the buffer grows (then stays) for a rare big one, up to
/// [`HARD_LIMIT`].
const READ_BUFFER: usize = 4 * 1024;

/// Bytes gathered before they are written out. Every send is followed by a
/// flush anyway, so this only bounds what a burst gathers before writing.
const WRITE_BUFFER: usize = 4 * 1024;

/// The most a socket's write buffer may hold while the peer does not read:
/// past it a send fails and the socket closes (as a [`SEND_TIMEOUT`] would),
/// instead of the buffer growing without bound. It holds at least one frame
/// of the largest size the server reads.
const MAX_WRITE_BUFFER: usize = WRITE_BUFFER + 2 * HARD_LIMIT;

/// Applies the socket limits and buffer sizes both sockets share.
pub(crate) fn configure(ws: WebSocketUpgrade) -> WebSocketUpgrade {
    ws.max_message_size(HARD_LIMIT)
        .max_frame_size(HARD_LIMIT)
        .read_buffer_size(READ_BUFFER)
        .write_buffer_size(WRITE_BUFFER)
        .max_write_buffer_size(MAX_WRITE_BUFFER)
}

/// How long one frame may take to leave. A client that stopped reading (or
/// vanished without a FIN) fills the TCP window, and a send would then wait
/// as long as TCP retries — many minutes — holding the socket's task; past
/// this the socket counts as gone, as keep-alive would find it.
const SEND_TIMEOUT: Duration = Duration::from_secs(30);

/// How the first frame turned out.
pub(crate) enum First {
    /// A text frame within the limit.
    Text(String),
    /// Nothing usable: the socket was closed (with the reason sent when possible).
    Closed,
}

/// Waits for the first frame, closing the socket as the protocol says when it
/// does not come in time or is not a text frame within the limit.
pub(crate) async fn first_frame(socket: &mut WebSocket) -> First {
    let wait = tokio::time::timeout(Duration::from_millis(HELLO_TIMEOUT_MS), socket.recv());
    match wait.await {
        Err(_) => {
            refuse(
                socket,
                hello_refusal(ErrorCode::BadRequest, "No hello in time."),
                4408,
            )
            .await;
            First::Closed
        }
        Ok(Some(Ok(Message::Text(text)))) if text.len() > MAX_FRAME_BYTES => {
            let r = Refusal::new(ErrorCode::TooLarge, too_large_message(text.len()));
            refuse(socket, r, banner_proto::close::TOO_LARGE).await;
            First::Closed
        }
        Ok(Some(Ok(Message::Text(text)))) => First::Text(text.as_str().to_owned()),
        Ok(Some(Ok(Message::Binary(_)))) => {
            let r = Refusal::new(ErrorCode::BadRequest, "Frames are JSON text frames.");
            refuse(socket, r, banner_proto::close::BAD_REQUEST).await;
            First::Closed
        }
        Ok(_) => First::Closed,
    }
}

fn hello_refusal(code: ErrorCode, message: &str) -> Refusal {
    Refusal::new(code, message)
}

/// The message of a `too_large` error.
/// Reads the socket's first frame as the `hello` of command type `C`. Anything
/// else, another protocol version, or too many conversations to resume is
/// refused and the socket closed with the protocol's code: `None` then.
pub(crate) async fn receive_hello<C: serde::de::DeserializeOwned, F: Serialize>(
    socket: &mut WebSocket,
    hello_of: impl Fn(C) -> Option<Hello>,
    error_frame: impl Fn(ErrorFrame) -> F,
) -> Option<Hello> {
    let First::Text(text) = first_frame(socket).await else {
        return None;
    };
    let hello = match serde_json::from_str::<C>(&text) {
        Ok(command) => hello_of(command),
        Err(e) => {
            let _ = send(socket, &error_frame(parse_error(&text, &e))).await;
            close(socket, close::BAD_REQUEST, "").await;
            return None;
        }
    };
    let refusal = match &hello {
        None => (
            Refusal::new(ErrorCode::BadRequest, "The first frame must be hello."),
            close::BAD_REQUEST,
        ),
        Some(h) if h.protocol != PROTOCOL_VERSION => (
            Refusal::new(
                ErrorCode::UnsupportedProtocol,
                format!("This server speaks protocol {PROTOCOL_VERSION}."),
            ),
            close::UNSUPPORTED_PROTOCOL,
        ),
        Some(h) if h.resume.len() > MAX_RESUME => (
            Refusal::new(
                ErrorCode::BadRequest,
                format!("hello may resume at most {MAX_RESUME} conversations."),
            ),
            close::BAD_REQUEST,
        ),
        Some(_) => return hello,
    };
    refuse(socket, refusal.0, refusal.1).await;
    None
}

pub(crate) fn too_large_message(len: usize) -> String {
    format!("A frame has at most {MAX_FRAME_BYTES} bytes; this one has {len}.")
}

/// Sends an `error` frame without an id, then closes with `code`.
pub(crate) async fn refuse(socket: &mut WebSocket, refusal: Refusal, code: u16) {
    let frame = error_frame(None, refusal);
    let _ = send(socket, &banner_proto::AgentFrame::Error(frame)).await;
    close(socket, code, "").await;
}

/// The `error` frame for a refusal.
pub(crate) fn error_frame(id: Option<ClientId>, refusal: Refusal) -> ErrorFrame {
    ErrorFrame {
        id,
        code: refusal.code,
        message: refusal.message,
    }
}

/// The refusal of a frame that did not parse, with the id when it can be read.
pub(crate) fn parse_error(text: &str, error: &serde_json::Error) -> ErrorFrame {
    let probe: FrameProbe = serde_json::from_str(text).unwrap_or_default();
    let message = match probe.kind {
        Some(kind) => format!("Cannot read this {kind:?} frame: {error}"),
        None => format!("Cannot read this frame: {error}"),
    };
    ErrorFrame {
        id: probe.id,
        code: ErrorCode::BadRequest,
        message,
    }
}

/// Sends one JSON frame and flushes it; false once the socket is gone.
pub(crate) async fn send(socket: &mut WebSocket, frame: &impl Serialize) -> bool {
    queue(socket, frame).await && flush(socket).await
}

/// Puts one JSON frame in the socket's write buffer; false once the socket is
/// gone. It leaves when the buffer fills ([`WRITE_BUFFER`]) or at the next
/// [`flush`]: a socket loop queues everything that is ready — an event, the
/// events fanned out with it, the command's `ack` — and flushes once when it
/// has nothing else to do, so a burst costs one `write` instead of one per
/// frame.
pub(crate) async fn queue(socket: &mut WebSocket, frame: &impl Serialize) -> bool {
    match serde_json::to_string(frame) {
        Ok(json) => {
            let queued =
                tokio::time::timeout(SEND_TIMEOUT, socket.feed(Message::Text(json.into())));
            matches!(queued.await, Ok(Ok(())))
        }
        Err(e) => {
            tracing::error!(error = %e, "a frame did not serialize");
            true
        }
    }
}

/// Writes out what [`queue`] gathered; false once the socket is gone.
pub(crate) async fn flush(socket: &mut WebSocket) -> bool {
    matches!(
        tokio::time::timeout(SEND_TIMEOUT, socket.flush()).await,
        Ok(Ok(()))
    )
}

/// Why a socket's run ends by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum End {
    /// The session it opened with expired.
    Expired,
    /// The server is stopping.
    Stopping,
}

/// Resolves when the socket's session expires or the server stops, whichever
/// comes first. A socket's run makes this once and keeps it pinned: made in
/// every turn of its loop, it put a timer and a watch waiter in and took them
/// out again for every frame and event (see `alarm.rs`).
pub(crate) async fn ended(
    expires_at: u64,
    mut stopping: tokio::sync::watch::Receiver<bool>,
) -> End {
    tokio::select! {
        () = expired(expires_at) => End::Expired,
        () = stopped(&mut stopping) => End::Stopping,
    }
}

/// Closes the socket as `end` says.
pub(crate) async fn close_for(socket: &mut WebSocket, end: End) {
    match end {
        End::Expired => close(socket, close::UNAUTHORIZED, "session expired").await,
        End::Stopping => close(socket, close::GOING_AWAY, "server stopping").await,
    }
}

/// Resolves when the session a socket opened with expires (`at`, Unix ms):
/// the socket then closes with 4401 and the client logs in again. Sessions are
/// not extended by use, so the deadline read at `hello` holds.
async fn expired(at: u64) {
    let wait = at.saturating_sub(crate::clock::now_millis());
    tokio::time::sleep(Duration::from_millis(wait)).await;
}

/// Resolves once the server is stopping.
pub(crate) async fn stopped(rx: &mut tokio::sync::watch::Receiver<bool>) {
    loop {
        if *rx.borrow_and_update() {
            return;
        }
        if rx.changed().await.is_err() {
            return;
        }
    }
}

/// Closes with a code and reason.
pub(crate) async fn close(socket: &mut WebSocket, code: u16, reason: &str) {
    let frame = CloseFrame {
        code,
        reason: reason.into(),
    };
    let _ = tokio::time::timeout(SEND_TIMEOUT, socket.send(Message::Close(Some(frame)))).await;
}

/// The digest a retry must match: SHA-256 of the command as parsed.
pub(crate) fn fingerprint(command: &impl Serialize) -> [u8; 32] {
    let bytes = serde_json::to_vec(command).unwrap_or_default();
    Sha256::digest(&bytes).into()
}

/// What a socket does with a frame that is not a `hello`: `Err` closes.
pub(crate) enum Frame<T> {
    /// Parsed.
    Command(T),
    /// Refused; the socket stays open.
    Refused(ErrorFrame),
    /// The socket must close (binary frame, peer closed, read error).
    Close(Option<u16>),
    /// A control frame, nothing to do.
    Nothing,
}

/// Reads one incoming message into a frame of type `T`.
pub(crate) fn read<T: serde::de::DeserializeOwned>(
    msg: Option<Result<Message, axum::Error>>,
) -> Frame<T> {
    match msg {
        // tungstenite refuses a frame above the hard limit before reading it.
        Some(Err(e)) if e.to_string().contains("too long") => {
            Frame::Close(Some(banner_proto::close::TOO_LARGE))
        }
        None | Some(Err(_)) => Frame::Close(None),
        Some(Ok(Message::Close(_))) => Frame::Close(None),
        Some(Ok(Message::Binary(_))) => Frame::Close(Some(banner_proto::close::BAD_REQUEST)),
        Some(Ok(Message::Ping(_) | Message::Pong(_))) => Frame::Nothing,
        Some(Ok(Message::Text(text))) => match decode_text(&text) {
            Ok(command) => Frame::Command(command),
            Err(refused) => Frame::Refused(refused),
        },
    }
}

/// An inbound text frame read as a command of type `T` (`AgentCommand`,
/// `VisitorCommand`), or the `error` frame that refuses it: `too_large` above
/// `MAX_FRAME_BYTES`, `bad_request` (with the frame's id when it has one)
/// when it does not parse. Pure, so that the fuzzer (`crates/banner-fuzz`)
/// calls exactly what the sockets do.
pub fn decode_text<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, ErrorFrame> {
    if text.len() > MAX_FRAME_BYTES {
        return Err(ErrorFrame {
            id: None,
            code: ErrorCode::TooLarge,
            message: too_large_message(text.len()),
        });
    }
    serde_json::from_str::<T>(text).map_err(|e| parse_error(text, &e))
}
