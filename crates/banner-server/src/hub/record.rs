//! What one engine input leaves behind, ready for the store: its events in the
//! wire form (the log keeps exactly what agents are sent, so a replay is a
//! read), plus the presence changes and notifications that are not logged, and
//! who waits for the answer.

use banner_core::{AgentId, ConversationId, Notification};
use banner_proto::{AgentEvent, Attachment, ConversationId as WireConversation, Presence};
use banner_store::{AppendEvent, AttachmentId, NewConversation};
use serde::{Deserialize, Serialize};

use super::commands::CommandKey;
use super::request::{Answer, Refusal};
use tokio::sync::oneshot;

/// The conversation state the store keeps for an ended conversation; open
/// ones are [`OPEN`]. Restarts rebuild the open ones.
pub const ENDED: &str = "ended";
/// The store state of a conversation that is not over.
pub const OPEN: &str = "open";

/// The JSON body of a logged event: the event as agents see it, and for the
/// event that records a command, who sent it and the digest of its frame.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Envelope {
    /// The event.
    pub event: AgentEvent,
    /// `agent:<id>` or `visitor:<visitor id>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// Hex SHA-256 of the command's frame.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// The other commands of the same sender this event records: the `read`s
    /// one held receipt answers (`hub::held`), after the one in `command`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<AlsoRecord>,
}

/// One more command an event records: its client id (as sent, without the
/// sender) and the digest of its frame.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlsoRecord {
    /// The client id.
    pub id: String,
    /// Hex SHA-256 of its frame.
    pub command: String,
}

/// The event type's name, as in its JSON (`"message"`…), for the store's `kind`.
pub fn kind(event: &AgentEvent) -> String {
    serde_json::to_value(event)
        .ok()
        .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(String::from))
        .unwrap_or_else(|| "event".into())
}

/// The start of every envelope's JSON: its first field is the event, whose
/// first is its internally tagged `type`.
const BODY_START: &str = r#"{"event":{"type":""#;

/// [`kind`] read off an envelope's JSON, which every logged event already
/// has, instead of serializing the event once more into a tree; [`kind`]
/// itself when the body does not start as expected.
fn kind_of_body(body: &str, event: &AgentEvent) -> String {
    body.strip_prefix(BODY_START)
        .and_then(|rest| rest.split_once('"'))
        .map(|(name, _)| name)
        // A type name is a plain snake_case word: nothing escaped in it.
        .filter(|name| !name.is_empty() && !name.contains('\\'))
        .map_or_else(|| kind(event), str::to_owned)
}

/// An envelope's JSON with the recording fields added: `body` holds the
/// event alone (`{"event":…}`), and the fields follow in [`Envelope`]'s
/// order, so the text is what serializing the whole envelope would give,
/// without serializing the event again.
fn with_record(body: &str, by: &str, command: &str) -> Option<String> {
    let open = body.strip_suffix('}')?;
    let by = serde_json::to_string(by).ok()?;
    let command = serde_json::to_string(command).ok()?;
    Some(format!(r#"{open},"by":{by},"command":{command}}}"#))
}

/// A command that was applied: it is acknowledged after the commit.
#[derive(Debug)]
pub struct Applied {
    pub key: CommandKey,
    pub reply: oneshot::Sender<Answer>,
    pub conversation: Option<ConversationId>,
    /// Which event of the batch records the command.
    pub record: Option<usize>,
}

/// Who waits for the outcome of a batch.
#[derive(Debug)]
pub enum Waiting {
    /// Nobody (a timer, a socket closing).
    Nobody,
    /// Commands that were applied: one, or the `read`s that held receipts
    /// answer (`hub::held`).
    Applied(Vec<Applied>),
    /// A command that was refused after an earlier step changed the engine (a
    /// conversation opened, then the message refused): refused after the commit.
    Refused {
        reply: oneshot::Sender<Answer>,
        refusal: Refusal,
    },
}

/// One input's outputs, committed together and fanned out in order.
#[derive(Debug)]
pub struct Batch {
    /// When the input happened (Unix ms).
    pub at: u64,
    /// The agent whose command it was.
    pub actor: Option<AgentId>,
    /// The conversation the command was about: its events also go to the actor.
    pub about: Option<ConversationId>,
    /// Conversations the input opened, numbered by the hub: stored in the
    /// same transaction as their first events.
    pub conversations: Vec<(banner_store::ConversationId, NewConversation)>,
    /// The logged events, in order.
    pub events: Vec<(ConversationId, AgentEvent)>,
    /// The same events for the store.
    pub appends: Vec<AppendEvent>,
    /// Presence changes (not logged).
    pub presence: Vec<(AgentId, Presence)>,
    /// Notifications (not logged).
    pub notifications: Vec<Notification>,
    /// Settings to keep beside the events (key, JSON value), written in the
    /// same commit step, before the answer.
    pub settings: Vec<(String, String)>,
    /// Who waits.
    pub waiting: Waiting,
}

impl Batch {
    /// An empty batch at `at`.
    pub fn new(at: u64, actor: Option<AgentId>) -> Self {
        Batch {
            at,
            actor,
            about: None,
            conversations: Vec::new(),
            events: Vec::new(),
            appends: Vec::new(),
            presence: Vec::new(),
            notifications: Vec::new(),
            settings: Vec::new(),
            waiting: Waiting::Nobody,
        }
    }

    /// Whether there is nothing to commit, send or answer.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
            && self.conversations.is_empty()
            && self.presence.is_empty()
            && self.notifications.is_empty()
            && self.settings.is_empty()
            && matches!(self.waiting, Waiting::Nobody)
    }

    /// Adds a command that waits for the batch's commit. Held reads are
    /// put on batches nobody else waits for, or only applied commands do; a
    /// refusal waiting would be replaced, so it never shares a batch.
    pub fn wait_for(&mut self, applied: Applied) {
        debug_assert!(
            !matches!(self.waiting, Waiting::Refused { .. }),
            "a refusal shares no batch with held reads"
        );
        match &mut self.waiting {
            Waiting::Applied(waiting) => waiting.push(applied),
            waiting => *waiting = Waiting::Applied(vec![applied]),
        }
    }

    /// Adds a logged event.
    pub fn push(&mut self, c: ConversationId, event: AgentEvent) {
        let searchable_text = match &event {
            AgentEvent::Message { text, .. } => Some(text.clone()),
            _ => None,
        };
        let new_state = match &event {
            AgentEvent::ConversationOpened { .. } => Some(OPEN.to_owned()),
            AgentEvent::ConversationEnded => Some(ENDED.to_owned()),
            _ => None,
        };
        let envelope = Envelope {
            event,
            by: None,
            command: None,
            also: Vec::new(),
        };
        let body = serde_json::to_string(&envelope).unwrap_or_default();
        let event = envelope.event;
        self.appends.push(AppendEvent {
            conversation_id: banner_store::ConversationId(i64::try_from(c.0).unwrap_or(i64::MAX)),
            client_id: None,
            kind: kind_of_body(&body, &event),
            body,
            searchable_text,
            new_state,
            shows_attachments: Vec::new(),
            created_at: crate::clock::wire_to_store(self.at),
        });
        self.events.push((c, event));
    }

    /// Puts the records of the files a command's message carries on that
    /// message: the first one of `c` in the batch, since the engine emits the
    /// sender's message before anything it sets off (smart routing's answers).
    /// A public message also has the store mark the files as shown to the
    /// visitor, in the transaction that logs it.
    pub fn attach(&mut self, c: ConversationId, attachments: &[Attachment]) {
        if attachments.is_empty() {
            return;
        }
        let found = self.events.iter_mut().zip(self.appends.iter_mut()).find(
            |((conversation, event), _)| {
                *conversation == c && matches!(event, AgentEvent::Message { .. })
            },
        );
        let Some(((_, event), append)) = found else {
            return;
        };
        let AgentEvent::Message {
            private,
            attachments: carried,
            ..
        } = event
        else {
            return;
        };
        *carried = attachments.to_vec();
        if !*private {
            append.shows_attachments = attachments
                .iter()
                .map(|a| AttachmentId(i64::try_from(a.id.0).unwrap_or(i64::MAX)))
                .collect();
        }
        let envelope = Envelope {
            event: event.clone(),
            by: None,
            command: None,
            also: Vec::new(),
        };
        append.body = serde_json::to_string(&envelope).unwrap_or_default();
    }

    /// Marks event `index` as the record of a command, for idempotency.
    pub fn mark_record(&mut self, index: usize, key: &CommandKey, fingerprint: &[u8; 32]) {
        let (Some(append), Some((_, event))) =
            (self.appends.get_mut(index), self.events.get(index))
        else {
            return;
        };
        let by = key.0.label();
        let command = hex::encode(fingerprint);
        // The body is still the event alone unless the event was marked
        // already; then it is serialized whole, replacing the first record.
        // (`attach` rewrites a body without its record, so it runs before
        // this, as `finish` orders it.)
        let spliced = match append.client_id {
            None => with_record(&append.body, &by, &command),
            Some(_) => None,
        };
        append.client_id = Some(stored_client_id(&by, key.1.as_str()));
        append.body = spliced.unwrap_or_else(|| {
            let envelope = Envelope {
                event: event.clone(),
                by: Some(by),
                command: Some(command),
                also: Vec::new(),
            };
            serde_json::to_string(&envelope).unwrap_or_default()
        });
    }

    /// Marks event `index` as the record of several commands of one
    /// sender (the `read`s a held receipt answers): the first as
    /// [`Self::mark_record`] does, the others in the envelope's `also`, where
    /// a restart finds them too.
    pub fn mark_records(&mut self, index: usize, commands: &[(&CommandKey, &[u8; 32])]) {
        let Some(((key, fingerprint), others)) = commands.split_first() else {
            return;
        };
        // One reader's reads: the restart keys the others by the first's sender.
        debug_assert!(others.iter().all(|(other, _)| other.0 == key.0));
        if others.is_empty() {
            return self.mark_record(index, key, fingerprint);
        }
        let (Some(append), Some((_, event))) =
            (self.appends.get_mut(index), self.events.get(index))
        else {
            return;
        };
        let by = key.0.label();
        append.client_id = Some(stored_client_id(&by, key.1.as_str()));
        let envelope = Envelope {
            event: event.clone(),
            by: Some(by),
            command: Some(hex::encode(fingerprint)),
            also: others
                .iter()
                .map(|(key, fingerprint)| AlsoRecord {
                    id: key.1.as_str().to_owned(),
                    command: hex::encode(fingerprint),
                })
                .collect(),
        };
        append.body = serde_json::to_string(&envelope).unwrap_or_default();
    }

    /// The wire id of a conversation.
    pub fn wire(c: ConversationId) -> WireConversation {
        WireConversation(c.0)
    }
}

/// The client id as the store keeps it: prefixed with its sender, because the
/// store's key is `(conversation, client id)` while ids are only unique per
/// sender — a visitor's `m1` and their agent's `m1` are two commands.
pub fn stored_client_id(sender: &str, id: &str) -> String {
    format!("{sender}/{id}")
}

#[cfg(test)]
mod tests {
    use banner_proto::{Author, Participant, ReceiptKind};

    use super::*;

    fn events() -> Vec<AgentEvent> {
        vec![
            AgentEvent::Message {
                author: Author::Visitor,
                private: false,
                text: "a \"quoted\" line}\\".into(),
                choices: Vec::new(),
                attachments: Vec::new(),
            },
            AgentEvent::Receipt {
                kind: ReceiptKind::Read,
                up_to: 7,
                by: Participant::Visitor,
            },
            AgentEvent::InteractionStarted { interaction: 2 },
            AgentEvent::VisitorLeft,
            AgentEvent::ConversationEnded,
        ]
        .into_iter()
        // A newtype variant and nested objects, as a load run logged them.
        .chain(
            [
                r#"{"type":"offer","conversation":1,"agent":{"id":2,"name":"Agent 0"},"kind":"smart","queue":{"id":1,"label":"Load"},"visitor":{"visitor_id":"v-7599a5498eb7654b","customer":null,"locale":null},"waiting_since":1795346144290,"transfer":null,"phase":"ringing","deadline":1795346174290,"script_first_node":null,"returning":false}"#,
                r#"{"type":"conversation_opened","visitor":{"visitor_id":"v-1","customer":null,"locale":null},"entry":{"type":"queue","queue":{"id":1,"label":"Load"}}}"#,
                r#"{"type":"assigned","agent":{"id":11,"name":"Agent 9"},"by":"accepted"}"#,
            ]
            .map(|json| serde_json::from_str::<AgentEvent>(json).expect("an event")),
        )
        .collect()
    }

    fn envelope(event: &AgentEvent, by: Option<&str>, command: Option<&str>) -> String {
        let envelope = Envelope {
            event: event.clone(),
            by: by.map(str::to_owned),
            command: command.map(str::to_owned),
            also: Vec::new(),
        };
        serde_json::to_string(&envelope).expect("json")
    }

    #[test]
    fn the_kind_read_off_the_body_is_the_events_type() {
        for event in events() {
            let body = envelope(&event, None, None);
            assert_eq!(kind_of_body(&body, &event), kind(&event), "{body}");
        }
        // A body that does not start as expected falls back to the event.
        let event = AgentEvent::VisitorLeft;
        assert_eq!(kind_of_body("{}", &event), "visitor_left");
    }

    #[test]
    fn a_recorded_body_is_the_whole_envelope_serialized() {
        for event in events() {
            let body = envelope(&event, None, None);
            let by = r#"visitor:v-"1"\"#;
            let command = "ab12";
            assert_eq!(
                with_record(&body, by, command).as_deref(),
                Some(envelope(&event, Some(by), Some(command)).as_str())
            );
        }
        assert_eq!(with_record("", "a", "b"), None);
    }
}
