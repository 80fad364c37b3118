//! Errors on the wire: a stable machine `code` and a `message` a person can act
//! on. The codes are part of protocol version 1: a code is never renamed or
//! reused, only added. Clients branch on `code`, show `message`.
//!
//! The mapping from banner-core's refusals to these codes is a table in
//! `docs/protocol.md`, applied by the server: this crate does not know the domain.

use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::bounded::ClientId;

/// Why a request or command was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    // --- the request itself ---
    /// Not valid JSON, a missing or unknown field, a wrong type, a broken limit,
    /// or a frame that does not fit where it was sent (a second `hello`).
    BadRequest,
    /// No token, or an unknown or expired one, or a wrong password or signature.
    Unauthorized,
    /// The profile lacks the permission for this action.
    Forbidden,
    /// No such conversation, agent, queue, flow or attachment — or one the
    /// caller may not see (the server never says which).
    NotFound,
    /// The command id was already used with a different body, or a name is taken.
    Conflict,
    /// The frame, body or upload is bigger than the limit.
    TooLarge,
    /// The upload's content is not an allowed media type.
    UnsupportedMediaType,
    /// `hello` asked for a protocol version this server does not speak.
    UnsupportedProtocol,
    /// Too many requests or commands; retry later, more slowly.
    RateLimited,
    /// The server failed; the command may be retried with the same id.
    Internal,
    /// The server cannot serve now (starting, stopping); retry later.
    ServiceUnavailable,
    // --- refusals of the routing domain (banner-core) ---
    /// Only the agent holding the chat may do this.
    NotHolder,
    /// The chat does not ring this agent (any more).
    NotOffered,
    /// The chat is no longer in "Messages pending": someone else took it.
    NotPending,
    /// The agent is not a member of the chat's queue.
    NotAMember,
    /// The agent has no room for another chat.
    AtCapacity,
    /// The agent is offline, or not available to chat for a transfer.
    Unavailable,
    /// The agent still holds chats and cannot go offline.
    HoldingChats,
    /// A transfer of this chat is already in progress; one at a time.
    TransferInProgress,
    /// There is no attended transfer of this chat to cancel.
    NoTransferPending,
    /// Transfers to a smart routing flow are blind only.
    AttendedTransferToFlow,
    /// The chat cannot be transferred to the agent who holds it.
    TransferToSelf,
    /// No member of the target queue is available to take an attended transfer.
    NoAgentAvailable,
    /// The conversation is over.
    ConversationEnded,
    /// An authenticated customer's conversation is continuous: the customer
    /// cannot end it.
    CustomerCannotEnd,
    /// The action does not apply where the chat stands (e.g. archiving a chat
    /// in wrap-up).
    WrongPlace,
    /// A message needs some text or an attachment.
    EmptyMessage,
}

impl ErrorCode {
    /// Every code, in declaration order.
    pub const ALL: [ErrorCode; 27] = [
        ErrorCode::BadRequest,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::Conflict,
        ErrorCode::TooLarge,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::UnsupportedProtocol,
        ErrorCode::RateLimited,
        ErrorCode::Internal,
        ErrorCode::ServiceUnavailable,
        ErrorCode::NotHolder,
        ErrorCode::NotOffered,
        ErrorCode::NotPending,
        ErrorCode::NotAMember,
        ErrorCode::AtCapacity,
        ErrorCode::Unavailable,
        ErrorCode::HoldingChats,
        ErrorCode::TransferInProgress,
        ErrorCode::NoTransferPending,
        ErrorCode::AttendedTransferToFlow,
        ErrorCode::TransferToSelf,
        ErrorCode::NoAgentAvailable,
        ErrorCode::ConversationEnded,
        ErrorCode::CustomerCannotEnd,
        ErrorCode::WrongPlace,
        ErrorCode::EmptyMessage,
    ];

    /// The code as it appears in JSON.
    pub const fn as_str(self) -> &'static str {
        use ErrorCode::*;
        match self {
            BadRequest => "bad_request",
            Unauthorized => "unauthorized",
            Forbidden => "forbidden",
            NotFound => "not_found",
            Conflict => "conflict",
            TooLarge => "too_large",
            UnsupportedMediaType => "unsupported_media_type",
            UnsupportedProtocol => "unsupported_protocol",
            RateLimited => "rate_limited",
            Internal => "internal",
            ServiceUnavailable => "service_unavailable",
            NotHolder => "not_holder",
            NotOffered => "not_offered",
            NotPending => "not_pending",
            NotAMember => "not_a_member",
            AtCapacity => "at_capacity",
            Unavailable => "unavailable",
            HoldingChats => "holding_chats",
            TransferInProgress => "transfer_in_progress",
            NoTransferPending => "no_transfer_pending",
            AttendedTransferToFlow => "attended_transfer_to_flow",
            TransferToSelf => "transfer_to_self",
            NoAgentAvailable => "no_agent_available",
            ConversationEnded => "conversation_ended",
            CustomerCannotEnd => "customer_cannot_end",
            WrongPlace => "wrong_place",
            EmptyMessage => "empty_message",
        }
    }

    /// The HTTP status an HTTP answer with this code has. Refusals that depend
    /// on where things stand are 409; refusals of the input itself are 400.
    pub const fn http_status(self) -> u16 {
        use ErrorCode::*;
        match self {
            BadRequest | UnsupportedProtocol | AttendedTransferToFlow | EmptyMessage => 400,
            Unauthorized => 401,
            Forbidden => 403,
            NotFound => 404,
            TooLarge => 413,
            UnsupportedMediaType => 415,
            RateLimited => 429,
            Internal => 500,
            ServiceUnavailable => 503,
            Conflict | NotHolder | NotOffered | NotPending | NotAMember | AtCapacity
            | Unavailable | HoldingChats | TransferInProgress | NoTransferPending
            | TransferToSelf | NoAgentAvailable | ConversationEnded | CustomerCannotEnd
            | WrongPlace => 409,
        }
    }

    /// Whether the same request may succeed later unchanged: a client retries
    /// these (with back-off, and the same command id); it shows the others.
    pub const fn is_retryable(self) -> bool {
        matches!(
            self,
            ErrorCode::RateLimited | ErrorCode::Internal | ErrorCode::ServiceUnavailable
        )
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The body of every HTTP error answer (any status ≥ 400).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ErrorBody {
    /// What went wrong, for programs.
    pub code: ErrorCode,
    /// What went wrong, for people: a sentence they can act on.
    pub message: String,
}

/// The `error` frame on a WebSocket: an [`ErrorBody`] plus the id of the
/// command it answers, when there is one (absent for `hello`, `typing`, and
/// frames whose id could not be read).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ErrorFrame {
    /// The command refused.
    pub id: Option<ClientId>,
    /// What went wrong, for programs.
    pub code: ErrorCode,
    /// What went wrong, for people.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_str_is_the_json_spelling() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(serde_json::from_str::<ErrorCode>(&json).unwrap(), code);
        }
    }

    #[test]
    fn only_transient_failures_are_retried() {
        assert!(ErrorCode::RateLimited.is_retryable());
        assert!(!ErrorCode::Conflict.is_retryable());
        assert!(!ErrorCode::NotPending.is_retryable());
        assert_eq!(ErrorCode::NotPending.http_status(), 409);
        assert_eq!(ErrorCode::TooLarge.http_status(), 413);
    }
}
