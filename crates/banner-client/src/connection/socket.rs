//! Opening a socket: connect, send `hello`, read `welcome` — or the server's
//! `error` frame and close code, which say why not.

use std::time::Duration;

use banner_proto::{Hello, PROTOCOL_VERSION, Resume};
use futures_util::{SinkExt, StreamExt};
use reqwest::Url;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::error::ClientError;
use crate::side::{Kind, Side};

/// An open socket.
pub(crate) type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// How long opening a socket and getting its `welcome` may take.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(20);

/// The socket's read buffer. tungstenite's default (128 KiB) is zero-filled
/// before every read, and frames here are a few hundred bytes: in the load
/// generator's 220 sockets that `memset` was a fifth of the client's CPU. A
/// rare bigger frame (a pool snapshot, a long history page) grows the buffer.
const READ_BUFFER: usize = 8 * 1024;

/// Opens `url` and says `hello` with `token` and `resume`.
pub(crate) async fn open<S: Side>(
    url: &Url,
    token: &str,
    resume: Vec<Resume>,
) -> Result<(Socket, S::Welcome), ClientError> {
    let hello = S::hello(Hello {
        protocol: PROTOCOL_VERSION,
        token: token.to_owned(),
        resume,
    });
    let handshake = async {
        // `true`: TCP_NODELAY, so that a small frame leaves at once instead of
        // waiting (~40 ms) for the server's delayed ACK.
        let config = WebSocketConfig::default().read_buffer_size(READ_BUFFER);
        let (mut socket, _) =
            tokio_tungstenite::connect_async_with_config(url.as_str(), Some(config), true).await?;
        socket
            .send(Message::Text(serde_json::to_string(&hello)?.into()))
            .await?;
        let welcome = welcome::<S>(&mut socket).await?;
        Ok((socket, welcome))
    };
    tokio::time::timeout(HANDSHAKE_TIMEOUT, handshake)
        .await
        .map_err(|_| ClientError::Handshake("no welcome in time".into()))?
}

/// Reads the answer to `hello`.
async fn welcome<S: Side>(socket: &mut Socket) -> Result<S::Welcome, ClientError> {
    loop {
        let text = match socket.next().await {
            Some(Ok(Message::Text(text))) => text,
            Some(Ok(Message::Close(frame))) => {
                return Err(ClientError::Closed {
                    close_code: frame.map(|f| f.code.into()),
                });
            }
            Some(Ok(_)) => continue,
            Some(Err(e)) => return Err(e.into()),
            None => return Err(ClientError::Closed { close_code: None }),
        };
        let frame: S::Frame = serde_json::from_str(text.as_str())?;
        return match S::kind(&frame, S::Me::default()) {
            Kind::Welcome(welcome) => Ok(welcome.clone()),
            Kind::Error(refusal) => Err(ClientError::from_frame(refusal)),
            _ => Err(ClientError::Handshake(format!(
                "expected welcome, got {}",
                text.as_str()
            ))),
        };
    }
}

/// Sends one frame.
pub(crate) async fn send(
    socket: &mut Socket,
    frame: &impl serde::Serialize,
) -> Result<(), ClientError> {
    let text = serde_json::to_string(frame)?;
    socket.send(Message::Text(text.into())).await?;
    Ok(())
}
