//! Refusals on the wire: banner-core's and banner-store's errors as
//! `{code, message}`, by the tables in `docs/protocol.md` §2.

use banner_core::Error;
use banner_proto::ErrorCode;
use banner_store::StoreError;

/// The wire code of a domain refusal.
pub fn core_code(e: &Error) -> ErrorCode {
    match e {
        Error::UnknownAgent(_)
        | Error::UnknownQueue(_)
        | Error::UnknownFlow(_)
        | Error::UnknownConversation(_) => ErrorCode::NotFound,
        Error::ConversationExists(_) => ErrorCode::Conflict,
        Error::Forbidden { .. } => ErrorCode::Forbidden,
        Error::NotHolder { .. } => ErrorCode::NotHolder,
        Error::NotOffered { .. } => ErrorCode::NotOffered,
        Error::NotPending(_) => ErrorCode::NotPending,
        Error::NotAMember { .. } => ErrorCode::NotAMember,
        Error::AtCapacity { .. } => ErrorCode::AtCapacity,
        Error::Unavailable { .. } => ErrorCode::Unavailable,
        Error::HoldingChats { .. } => ErrorCode::HoldingChats,
        Error::TransferInProgress(_) => ErrorCode::TransferInProgress,
        Error::NoTransferPending(_) => ErrorCode::NoTransferPending,
        Error::AttendedTransferToFlow => ErrorCode::AttendedTransferToFlow,
        Error::TransferToSelf(_) => ErrorCode::TransferToSelf,
        Error::NoAgentAvailable(_) => ErrorCode::NoAgentAvailable,
        Error::ConversationEnded(_) => ErrorCode::ConversationEnded,
        Error::CustomerCannotEnd => ErrorCode::CustomerCannotEnd,
        Error::WrongPlace { .. } => ErrorCode::WrongPlace,
        Error::EmptyMessage => ErrorCode::EmptyMessage,
    }
}

/// The wire code of a store failure.
pub fn store_code(e: &StoreError) -> ErrorCode {
    match e {
        StoreError::NotFound { .. } => ErrorCode::NotFound,
        StoreError::Conflict(_) => ErrorCode::Conflict,
        StoreError::InvalidInput(_) => ErrorCode::BadRequest,
        StoreError::Closed => ErrorCode::ServiceUnavailable,
        StoreError::UnsupportedSchema { .. } | StoreError::Io(_) | StoreError::Sqlite(_) => {
            ErrorCode::Internal
        }
    }
}
