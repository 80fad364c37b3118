//! Who may upload a file to a conversation, asked of the hub because the
//! answer depends on where the chat stands in the engine. The rule follows
//! `send_message`'s, since a file is uploaded to be sent: the visitor while
//! the chat is open for them; the agent holding it; a supervisor who may
//! whisper (a file for a private note). Anyone else learns nothing of the
//! conversation: `not_found`.

use banner_core::{self as core, ConversationId, Place};
use banner_store::Store;

use super::Hub;
use super::apply::{not_found, refusal};
use super::request::{Principal, Refusal};

impl<S: Store> Hub<S> {
    pub(super) fn may_upload(&self, who: &Principal, c: ConversationId) -> Result<(), Refusal> {
        let ended = || refusal(&core::Error::ConversationEnded(c));
        match who {
            Principal::Visitor(visitor_id) => {
                if self.owners.get(&c) != Some(visitor_id) {
                    return Err(not_found(c));
                }
                let open = self
                    .engine
                    .conversation(c)
                    .is_some_and(|conv| !conv.closed_for_visitor());
                if self.ended.contains(&c) || !open {
                    return Err(ended());
                }
                Ok(())
            }
            Principal::Agent(agent) => {
                if !self.engine.can_view(*agent, c) {
                    return Err(not_found(c));
                }
                let Some(conv) = self.engine.conversation(c) else {
                    return Err(not_found(c));
                };
                if conv.place() == Place::Ended {
                    return Err(ended());
                }
                let holds = conv.holder() == Some(*agent)
                    && matches!(conv.place(), Place::Active | Place::PendingCustomer);
                let whispers = self
                    .floor
                    .config
                    .agents
                    .iter()
                    .any(|a| a.id == *agent && a.profile.allows(core::Permission::Whisper));
                if holds || whispers {
                    Ok(())
                } else {
                    Err(refusal(&core::Error::NotHolder {
                        agent: *agent,
                        conversation: c,
                    }))
                }
            }
        }
    }
}
