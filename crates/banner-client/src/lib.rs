//! banner-client: a client of Banner's protocol version 1 (`docs/protocol.md`),
//! for the tests, the load generator and the desktop app.
//!
//! It speaks banner-proto's types only — it never links the routing engine —
//! over reqwest (HTTP) and tokio-tungstenite (WebSockets).
//!
//! # Using it
//!
//! ```no_run
//! # async fn demo() -> Result<(), banner_client::ClientError> {
//! use banner_client::{AgentClient, ConnectOptions};
//! use banner_proto::Presence;
//!
//! let ada = AgentClient::login("http://127.0.0.1:8080", "ada", "secret").await?;
//! let (mut socket, welcome) = ada.connect(ConnectOptions::default()).await?;
//! println!("logged in as {}", welcome.agent.name);
//! socket.set_presence(Presence::Available).await?;
//! while let Some(frame) = socket.next().await {
//!     println!("{frame:?}");
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # What the sockets do for you
//!
//! - Every command gets a fresh id ([`new_id`]) and stays in an **outbox** until
//!   its `ack` or `error` arrives; [`Connection::send`] returns that answer.
//! - The last `seq` of each conversation is kept from every `event` frame;
//!   events at or below it are dropped, so none is seen twice.
//! - [`Connection::reconnect`] (and, in [`ConnectOptions::auto_reconnect`]
//!   mode, any drop) opens a new socket whose `hello` resumes each conversation
//!   from its last `seq`, then sends the outbox again with the original ids:
//!   the server answers a command it already applied with its original `ack`,
//!   so nothing is lost, doubled or applied twice.
//! - `typing` frames carry no id and never enter the outbox.
//!
//! # Layout
//!
//! - [`error`]: [`ClientError`], with the server's `{code, message}` when it sent one.
//! - `http`: the HTTP plumbing both clients share (bearer token, error bodies).
//! - [`agent`]: [`AgentClient`], login and the agent's HTTP endpoints.
//! - [`visitor`]: [`VisitorClient`], visitor sessions and their endpoints.
//! - [`side`]: what differs between the agent's and the visitor's socket.
//! - [`ledger`]: the outbox and the last `seq` per conversation, without I/O.
//! - [`connection`]: the socket itself, its driver task and typed commands.
//! - [`ids`]: command ids.

pub mod agent;
pub mod connection;
pub mod error;
mod http;
pub mod ids;
pub mod ledger;
pub mod side;
pub mod visitor;

pub use agent::AgentClient;
pub use connection::{
    AgentConnection, ConnectOptions, Connection, Link, PendingAck, VisitorConnection,
};
pub use error::ClientError;
pub use http::{Download, health};
pub use ids::new_id;
pub use ledger::Ledger;
pub use side::{AgentSide, Side, VisitorSide};
pub use visitor::VisitorClient;
