//! Rebuilding the engine at start from the log, which is the truth.
//!
//! banner-core keeps no state of its own on disk, so the hub re-drives a fresh
//! engine with the inputs the log implies, discarding what the engine emits
//! (it is already in the log). For every conversation still open in the store:
//!
//! 1. open it again (same id, visitor and entry, original time);
//! 2. replay the visitor's messages of the current interaction, which runs
//!    smart routing to the same queue (flows are deterministic);
//! 3. if an agent held it (active, waiting for the customer, wrap-up), set
//!    that agent *away* and let them pick it — away agents keep chats and get
//!    no offers — then put it back where it stood (`wait_for_customer`, or
//!    `archive` at the original time, so the wrap-up limit keeps its deadline).
//!
//! A chat that was ringing goes back to its queue and is offered again once
//! agents are available. Then the hub tells the engine that no visitor is
//! connected (nobody is, after a restart): anonymous visitors get their
//! reconnection timeout, exactly as after a drop. The command table is
//! refilled from the recording events, so a retry after a restart still gets
//! its original `ack`, and the ledger reads every event again (latest
//! messages, read and delivered marks).
//!
//! Known limits (phase 1): a chat an agent held outside their queues (a
//! transfer to a user) goes back to its queue instead; answers given to a flow
//! after a transfer to that flow do not re-qualify the chat; a customer's
//! interaction counter restarts at 1.

use banner_core::{self as core, AgentId, ConversationId, Presence};
use banner_proto::{self as proto, Ack, AgentEvent, ClientId, Logged};
use banner_store::Store;

use super::commands::CommandKey;
use super::record::{Batch, Envelope, OPEN, stored_client_id};
use super::request::Principal;
use super::{Hub, HubError};
use crate::clock;

/// Conversations read per store query.
const PAGE: u32 = 500;

/// Where the log says a conversation's current interaction stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Stand {
    /// No interaction running.
    #[default]
    Idle,
    /// Routing, queued, or ringing: nobody holds it.
    Unheld,
    /// Held by an agent.
    Held(AgentId),
    /// Waiting for the customer, held by (or frozen for) an agent.
    WaitingForCustomer(AgentId),
    /// In an agent's wrap-up since `at`.
    WrapUp(AgentId, u64),
}

/// What the hub needs of one conversation's log.
#[derive(Default)]
struct Story {
    visitor: Option<proto::VisitorInfo>,
    entry: Option<proto::Entry>,
    opened_at: u64,
    /// The time of the latest event.
    last_at: u64,
    /// The visitor's messages of the current interaction: text, number of
    /// files, time.
    messages: Vec<(String, usize, u64)>,
    stand: Stand,
    /// Commands recorded: (sender label, client id, digest, seq).
    commands: Vec<(String, String, String, u64)>,
}

impl Story {
    fn read(&mut self, logged: &Logged<AgentEvent>) {
        let id = |r: &proto::AgentRef| AgentId(r.id.0);
        self.last_at = self.last_at.max(logged.at);
        match &logged.event {
            AgentEvent::ConversationOpened { visitor, entry } => {
                self.visitor = Some(visitor.clone());
                self.entry = Some(entry.clone());
                self.opened_at = logged.at;
            }
            AgentEvent::InteractionStarted { .. } => {
                self.messages.clear();
                self.stand = Stand::Unheld;
            }
            AgentEvent::Message {
                author: proto::Author::Visitor,
                text,
                attachments,
                ..
            } => self
                .messages
                .push((text.clone(), attachments.len(), logged.at)),
            AgentEvent::Assigned { agent, .. } | AgentEvent::TransferReturned { to: agent } => {
                self.stand = Stand::Held(id(agent));
            }
            AgentEvent::TransferRequested {
                mode: proto::TransferMode::Blind,
                ..
            } => self.stand = Stand::Unheld,
            AgentEvent::WaitingForCustomer { agent, .. } => {
                self.stand = Stand::WaitingForCustomer(id(agent));
            }
            AgentEvent::WrapUpStarted { agent, .. } => {
                self.stand = Stand::WrapUp(id(agent), logged.at);
            }
            AgentEvent::InteractionEnded { .. } => self.stand = Stand::Idle,
            _ => {}
        }
    }
}

fn entry_to_core(e: &proto::Entry) -> core::Entry {
    match e {
        proto::Entry::Flow { flow } => core::Entry::Flow(core::FlowId(flow.id.0)),
        proto::Entry::Queue { queue } => core::Entry::Queue(core::QueueId(queue.id.0)),
        proto::Entry::Direct { agent, fallback } => core::Entry::Direct {
            agent: AgentId(agent.id.0),
            fallback: fallback.as_ref().map(|q| core::QueueId(q.id.0)),
        },
    }
}

fn principal(label: &str) -> Option<Principal> {
    match label.split_once(':')? {
        ("agent", id) => id.parse().ok().map(|n| Principal::Agent(AgentId(n))),
        ("visitor", id) => Some(Principal::Visitor(id.to_owned())),
        _ => None,
    }
}

fn digest(hex_digest: &str) -> Option<[u8; 32]> {
    hex::decode(hex_digest).ok()?.try_into().ok()
}

impl<S: Store> Hub<S> {
    /// Rebuilds every open conversation (see the module docs).
    pub(super) async fn recover(&mut self) -> Result<(), HubError> {
        let mut after = banner_store::ConversationId(0);
        let mut rebuilt = Vec::new();
        loop {
            let page = self.store.conversations_in_state(OPEN, after, PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.id;
            for stored in page {
                let c = ConversationId(u64::try_from(stored.id.0).unwrap_or_default());
                let story = self.read_story(c).await?;
                if self.rebuild(c, &story) {
                    rebuilt.push(c);
                }
            }
        }
        while self.engine.poll_event().is_some() {}
        while self.engine.poll_notification().is_some() {}
        let now = self.now();
        for &c in &rebuilt {
            let _ = self
                .engine
                .visitor_disconnected(c, core::Time::from_millis(now));
        }
        let mut batch = Batch::new(now, None);
        self.drain(&mut batch);
        self.send(batch);
        if !rebuilt.is_empty() {
            tracing::info!(
                conversations = rebuilt.len(),
                "rebuilt open conversations from the log"
            );
        }
        Ok(())
    }

    async fn read_story(&mut self, c: ConversationId) -> Result<Story, HubError> {
        let mut story = Story::default();
        let mut seq = 0;
        let id = banner_store::ConversationId(i64::try_from(c.0).unwrap_or(i64::MAX));
        loop {
            let page = self.store.events_after(id, seq, PAGE).await?;
            let full = page.len() >= PAGE as usize;
            for stored in page {
                seq = stored.seq;
                let envelope: Envelope = serde_json::from_str(&stored.body)
                    .map_err(|e| HubError::Recover(format!("{c} event {seq}: {e}")))?;
                if let (Some(by), Some(cmd), Some(client)) =
                    (&envelope.by, &envelope.command, &stored.client_id)
                {
                    story
                        .commands
                        .push((by.clone(), client.clone(), cmd.clone(), seq));
                    // The other reads a held receipt answered, same sender.
                    for also in &envelope.also {
                        let client = stored_client_id(by, &also.id);
                        story
                            .commands
                            .push((by.clone(), client, also.command.clone(), seq));
                    }
                }
                let logged = Logged {
                    conversation: proto::ConversationId(c.0),
                    seq,
                    at: clock::store_to_wire(stored.created_at),
                    event: envelope.event,
                };
                self.ledger.observe(&logged);
                story.read(&logged);
            }
            if !full {
                return Ok(story);
            }
        }
    }

    /// Re-drives the engine for one conversation; false if it could not be opened.
    fn rebuild(&mut self, c: ConversationId, story: &Story) -> bool {
        let (Some(info), Some(entry)) = (&story.visitor, &story.entry) else {
            return false;
        };
        for (by, client, cmd, seq) in &story.commands {
            let Some(client) = client.strip_prefix(&stored_client_id(by, "")) else {
                continue;
            };
            if let (Some(p), Ok(client), Some(d)) =
                (principal(by), ClientId::new(client.to_owned()), digest(cmd))
            {
                let ack = Ack {
                    id: client.clone(),
                    conversation: Some(proto::ConversationId(c.0)),
                    seq: Some(*seq),
                };
                let key: CommandKey = (p, client);
                self.commands.remember(key, d, ack);
            }
        }
        let visitor = match &info.customer {
            Some(customer) => core::Visitor::Customer {
                customer_id: customer.id.clone(),
            },
            None => core::Visitor::Anonymous {
                visitor_id: info.visitor_id.clone(),
            },
        };
        let t = core::Time::from_millis;
        if let Err(e) =
            self.engine
                .open_conversation(c, visitor, entry_to_core(entry), t(story.opened_at))
        {
            tracing::warn!(conversation = c.0, error = %e, "cannot rebuild a conversation");
            return false;
        }
        self.visitors.insert(c, info.clone());
        self.owners.insert(c, info.visitor_id.clone());
        self.current.insert(info.visitor_id.clone(), c);
        if story.stand == Stand::Idle {
            return true;
        }
        for (text, files, at) in &story.messages {
            let _ = self
                .engine
                .visitor_message_with_attachments(c, text, *files, t(*at));
        }
        let (agent, at) = match story.stand {
            Stand::Idle | Stand::Unheld => return true,
            Stand::Held(a) | Stand::WaitingForCustomer(a) => (a, story.last_at),
            Stand::WrapUp(a, at) => (a, at),
        };
        let _ = self.engine.set_presence(agent, Presence::Away, t(at));
        if let Err(e) = self.engine.pick(agent, c, t(at)) {
            tracing::warn!(conversation = c.0, error = %e, "a held chat goes back to its queue");
            return true;
        }
        self.fanout.set_holder(c, Some(agent));
        let _ = match story.stand {
            Stand::WaitingForCustomer(_) => self.engine.wait_for_customer(agent, c, t(at)),
            Stand::WrapUp(..) => self.engine.archive(agent, c, t(at)),
            _ => Ok(()),
        };
        true
    }
}
