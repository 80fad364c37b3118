//! banner-proto: Banner's wire protocol, version 1.
//!
//! Every HTTP body and WebSocket frame that banner-server, banner-client and the
//! UI exchange is a type here, with serde for JSON and ts-rs for the UI's
//! TypeScript (`ui/src/protocol/`, kept in step by a test). The crate knows the
//! wire, not the domain: it depends on serde and ts-rs only, and the server maps
//! banner-core's types to these. `docs/protocol.md` is the reference a third
//! party writes a client from; every JSON example in it is parsed by the tests.
//!
//! # The shape of the protocol
//!
//! - JSON everywhere. HTTP under `/v1/`; WebSockets at `/v1/ws` (agents) and
//!   `/v1/visitor/ws` (visitors). Frames are objects tagged by `"type"`.
//! - The first client frame is `hello {protocol, token, resume}` (tokens never in
//!   URLs); the server answers `welcome`, replays each resumed conversation's
//!   missing events, then sends live frames.
//! - Commands carry a client-made `id`; the server answers `ack` after the
//!   commit, or `error {id, code, message}`. A retry gets the original answer.
//! - Events carry `{conversation, seq, at, event}`; `seq` numbers each
//!   conversation's log 1, 2, 3….
//! - Client bodies refuse unknown fields; server frames may gain fields and
//!   types within version 1, which clients ignore.
//! - Visitors get [`VisitorEvent`]s, which cannot carry a private message:
//!   [`AgentEvent::for_visitor`] is the only gate.
//!
//! # Layout
//!
//! - [`limits`], [`close`]: limits, timings and WebSocket close codes.
//! - [`ids`]: identifiers, `seq` and times (numbers below 2^53).
//! - [`bounded`]: client input whose limits are checked while parsing.
//! - [`error`]: [`ErrorCode`] and the error bodies.
//! - [`agent`], [`routing`], [`message`], [`conversation`]: the values frames
//!   carry — agents, queues and offers, messages, conversations.
//! - [`pool`], [`supervision`]: the agent's pool and the supervisor's live view.
//! - [`client`]: what an agent's client sends ([`AgentCommand`]).
//! - [`server`]: what the server sends an agent ([`AgentFrame`], [`AgentEvent`]).
//! - [`visitor`]: the visitor's socket both ways, and the gate to it.
//! - [`http`]: paths, headers and the remaining HTTP bodies.
//! - [`typescript`]: rendering `ui/src/protocol/`.

pub mod agent;
pub mod bounded;
pub mod client;
pub mod close;
pub mod conversation;
pub mod error;
pub mod http;
pub mod ids;
pub mod limits;
pub mod message;
pub mod pool;
pub mod routing;
pub mod server;
pub mod supervision;
pub mod typescript;
pub mod visitor;

/// The protocol version this crate describes: `hello.protocol`, the `/v1/` prefix.
pub const PROTOCOL_VERSION: u32 = 1;

pub use agent::{
    AgentProfile, AgentRef, NotificationKind, NotificationSettings, Permission, Presence,
};
pub use bounded::{AttachmentIds, ClientId, LimitError, MessageText};
pub use client::{
    AgentCommand, AgentTyping, BareCommand, CompleteWrapUp, ConversationCommand, FrameProbe, Hello,
    Read, Resume, SendMessage, SetNotificationSettings, SetPresence, Topic, Transfer, Unsubscribe,
    Watch,
};
pub use conversation::{Actions, ConversationDetails, CustomerInfo, Script, VisitorInfo};
pub use error::{ErrorBody, ErrorCode, ErrorFrame};
pub use http::{
    CustomerClaim, Directory, DirectoryAgent, EventPage, EventsQuery, Health, HistoryHit,
    HistoryPage, HistoryQuery, LoginRequest, LoginResponse, Uploaded, VisitorSessionRequest,
    VisitorSessionResponse,
};
pub use ids::{AgentId, AttachmentId, ConversationId, FlowId, QueueId, Seq, UnixMillis};
pub use message::{Attachment, Author, ChoiceOption, LatestMessage, Participant, ReceiptKind};
pub use pool::{HistoryChat, InProgressChat, PendingChat, PendingCustomerChat, Pool, WrapUpChat};
pub use routing::{
    AssignedBy, EndReason, Entry, FlowRef, Offer, OfferEnd, OfferPhase, Place, QueueRef,
    RoutingKind, TransferInfo, TransferMode, TransferTarget, TransferTargetKind, TransferTargetRef,
};
pub use server::{Ack, AgentEvent, AgentFrame, Logged, Refused, Resumed, Welcome};
pub use supervision::{AgentLive, ConversationLive, QueueLive, Supervision};
pub use visitor::{
    VisitorAuthor, VisitorCommand, VisitorEvent, VisitorFrame, VisitorSendMessage, VisitorTyping,
    VisitorWelcome,
};
