//! Attachments: files sent in a chat. They are uploaded over HTTP first
//! (`crate::http::attachments`), then named by id in a `send_message`, whose
//! `message` event carries their full records.
//!
//! Who sees what:
//! - agents who may see the conversation see all of its attachments;
//! - its visitor sees the files they uploaded, and the files a public message
//!   carried — never one an agent uploaded and sent only in a private note.
//!   The store marks a file as shown to the visitor in the same transaction as
//!   the public message that carries it (`AppendEvent::shows_attachments`).
//!
//! A visitor may only attach files they may see, so naming an agent's private
//! file in a message cannot publish it.
//!
//! Layout: [`sniff`] and `office` (what a file is, from its bytes),
//! [`filename`] (names in and out), [`files`] (the bytes on disk), and here
//! the access rules and the records messages carry.

pub mod filename;
pub mod files;
mod office;
pub mod sniff;

use banner_core::{AgentId, ConversationId};
use banner_proto::{self as proto, ErrorCode};
use banner_store::{self as store, Store};

use crate::AppState;
use crate::clock;
use crate::hub::Refusal;
use crate::hub::request::Principal;

/// The wire record of an attachment.
pub fn to_proto(a: &store::Attachment) -> proto::Attachment {
    proto::Attachment {
        id: proto::AttachmentId(u64::try_from(a.id.0).unwrap_or_default()),
        conversation: proto::ConversationId(u64::try_from(a.conversation_id.0).unwrap_or_default()),
        filename: a.original_name.clone(),
        media_type: a.media_type.clone(),
        size: a.size,
        created_at: clock::store_to_wire(a.created_at),
    }
}

/// A conversation's id in the store.
pub fn store_conversation(c: ConversationId) -> store::ConversationId {
    store::ConversationId(i64::try_from(c.0).unwrap_or(i64::MAX))
}

/// Whether the visitor `visitor_id` may see `a`, an attachment of their own
/// conversation: they uploaded it, or a public message showed it.
fn visitor_may_see(a: &store::Attachment, visitor_id: &str) -> bool {
    a.shown_to_visitor || a.uploaded_by == Principal::Visitor(visitor_id.to_owned()).label()
}

/// Whether `who` is a party of conversation `c`: an agent who may see it, or
/// its visitor (asked of the store, so that it holds after the conversation
/// ended and after a restart).
pub async fn is_party<S: Store>(state: &AppState<S>, who: &Principal, c: ConversationId) -> bool {
    match who {
        Principal::Agent(agent) => can_view(state, *agent, c).await,
        Principal::Visitor(visitor_id) => state
            .store
            .conversation(store_conversation(c))
            .await
            .is_ok_and(|conv| conv.visitor_id == *visitor_id),
    }
}

/// Live chats by the engine's `can_view`; ended ones by the log (see
/// `http::access`), so a file stays reachable in the History tab.
async fn can_view<S: Store>(state: &AppState<S>, agent: AgentId, c: ConversationId) -> bool {
    crate::http::access::agent_may_read(state, agent, c)
        .await
        .is_ok()
}

/// Whether `who` may download `a`.
pub async fn may_download<S: Store>(
    state: &AppState<S>,
    who: &Principal,
    a: &store::Attachment,
) -> bool {
    let c = ConversationId(u64::try_from(a.conversation_id.0).unwrap_or_default());
    let own = match who {
        Principal::Agent(_) => true,
        Principal::Visitor(visitor_id) => visitor_may_see(a, visitor_id),
    };
    own && is_party(state, who, c).await
}

fn not_found(what: String) -> Refusal {
    Refusal::new(ErrorCode::NotFound, what)
}

/// The records of the attachments a message of `who` in `conversation` names:
/// each must be an attachment of that conversation that the sender may see,
/// else `not_found` (without saying which part failed). `conversation: None`
/// is a visitor's first message, which cannot carry a file yet. A repeated id
/// counts once.
pub async fn for_message<S: Store>(
    state: &AppState<S>,
    who: &Principal,
    conversation: Option<ConversationId>,
    ids: &[proto::AttachmentId],
) -> Result<Vec<proto::Attachment>, Refusal> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let Some(c) = conversation else {
        return Err(not_found(
            "Attachments are uploaded to a conversation: send them in it.".into(),
        ));
    };
    if !is_party(state, who, c).await {
        return Err(not_found(format!(
            "No conversation {} is visible to you.",
            c.0
        )));
    }
    let mut records: Vec<proto::Attachment> = Vec::with_capacity(ids.len());
    for &id in ids {
        if records.iter().any(|r| r.id == id) {
            continue;
        }
        let missing = || not_found(format!("No attachment {id} in conversation {}.", c.0));
        let stored = state
            .store
            .attachment(store::AttachmentId(i64::try_from(id.0).unwrap_or(i64::MAX)))
            .await
            .map_err(|_| missing())?;
        let visible = match who {
            Principal::Agent(_) => true,
            Principal::Visitor(visitor_id) => visitor_may_see(&stored, visitor_id),
        };
        if stored.conversation_id != store_conversation(c) || !visible {
            return Err(missing());
        }
        records.push(to_proto(&stored));
    }
    Ok(records)
}
