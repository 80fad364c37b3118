//! banner-core's events as banner-proto's [`AgentEvent`]s. The domain speaks in
//! numbers; the wire shows names, labels and the visitor's details, which
//! [`Names`] supplies. Presence changes are not in a conversation's log and map
//! to the `presence` frame instead (`None` here).

use std::collections::HashMap;

use banner_core as core;
use banner_proto as proto;
use banner_proto::AgentEvent;

use crate::floor::Floor;

/// Where the wire's names come from: the floor, and each conversation's visitor.
pub struct Names<'a> {
    /// Agents, queues and flows.
    pub floor: &'a Floor,
    /// What the widget told about each conversation's visitor.
    pub visitors: &'a HashMap<core::ConversationId, proto::VisitorInfo>,
}

impl Names<'_> {
    /// An agent by id and display name.
    pub fn agent(&self, id: core::AgentId) -> proto::AgentRef {
        proto::AgentRef {
            id: proto::AgentId(id.0),
            name: self
                .floor
                .agents
                .get(&id)
                .map_or_else(|| id.to_string(), |a| a.name.clone()),
        }
    }

    /// A queue by id and label.
    pub fn queue(&self, id: core::QueueId) -> proto::QueueRef {
        proto::QueueRef {
            id: proto::QueueId(id.0),
            label: self
                .floor
                .queues
                .get(&id)
                .map_or_else(|| id.to_string(), |q| q.label.clone()),
        }
    }

    /// A flow by id and name.
    pub fn flow(&self, id: core::FlowId) -> proto::FlowRef {
        proto::FlowRef {
            id: proto::FlowId(id.0),
            name: self
                .floor
                .flows
                .get(&id)
                .cloned()
                .unwrap_or_else(|| id.to_string()),
        }
    }

    /// The visitor of conversation `c`.
    pub fn visitor(&self, c: core::ConversationId, v: &core::Visitor) -> proto::VisitorInfo {
        if let Some(info) = self.visitors.get(&c) {
            return info.clone();
        }
        match v {
            core::Visitor::Anonymous { visitor_id } => proto::VisitorInfo {
                visitor_id: visitor_id.clone(),
                customer: None,
                locale: None,
            },
            core::Visitor::Customer { customer_id } => proto::VisitorInfo {
                visitor_id: customer_id.clone(),
                customer: Some(proto::CustomerInfo {
                    id: customer_id.clone(),
                    name: None,
                    email: None,
                }),
                locale: None,
            },
        }
    }

    /// An entry point.
    pub fn entry(&self, e: core::Entry) -> proto::Entry {
        match e {
            core::Entry::Flow(f) => proto::Entry::Flow { flow: self.flow(f) },
            core::Entry::Queue(q) => proto::Entry::Queue {
                queue: self.queue(q),
            },
            core::Entry::Direct { agent, fallback } => proto::Entry::Direct {
                agent: self.agent(agent),
                fallback: fallback.map(|q| self.queue(q)),
            },
        }
    }

    /// An offer, with its visitor.
    pub fn offer(&self, o: &core::Offer, visitor: proto::VisitorInfo) -> proto::Offer {
        let (phase, deadline) = phase(o.phase);
        proto::Offer {
            conversation: super::conversation_to_proto(o.conversation),
            agent: self.agent(o.agent),
            kind: match o.kind {
                core::RoutingKind::Smart => proto::RoutingKind::Smart,
                core::RoutingKind::Direct => proto::RoutingKind::Direct,
            },
            queue: o.queue.map(|q| self.queue(q)),
            visitor,
            waiting_since: o.waiting_since.as_millis(),
            transfer: o.transfer.map(|t| proto::TransferInfo {
                from: self.agent(t.from),
                mode: mode(t.mode),
            }),
            phase,
            deadline,
            script_first_node: o.script_first_node.clone(),
            returning: o.returning,
        }
    }

    fn target(&self, t: core::TransferTarget) -> proto::TransferTargetRef {
        match t {
            core::TransferTarget::User(a) => proto::TransferTargetRef {
                kind: proto::TransferTargetKind::User,
                id: a.0,
                label: self.agent(a).name,
            },
            core::TransferTarget::Queue(q) => proto::TransferTargetRef {
                kind: proto::TransferTargetKind::Queue,
                id: q.0,
                label: self.queue(q).label,
            },
            core::TransferTarget::Flow(f) => proto::TransferTargetRef {
                kind: proto::TransferTargetKind::Flow,
                id: f.0,
                label: self.flow(f).name,
            },
        }
    }

    /// The wire form of `event`, which happened at `at` (Unix ms), with its
    /// conversation; `None` for a presence change.
    pub fn event(
        &self,
        event: &core::Event,
        at: u64,
    ) -> Option<(core::ConversationId, AgentEvent)> {
        use core::Event as E;
        let c = event.conversation()?;
        let wire = match event {
            E::ConversationOpened { visitor, entry, .. } => AgentEvent::ConversationOpened {
                visitor: self.visitor(c, visitor),
                entry: self.entry(*entry),
            },
            E::InteractionStarted { interaction, .. } => AgentEvent::InteractionStarted {
                interaction: *interaction,
            },
            E::Message {
                author,
                audience,
                text,
                choices,
                ..
            } => AgentEvent::Message {
                author: match author {
                    core::Author::Visitor => proto::Author::Visitor,
                    core::Author::Agent(a) => {
                        let r = self.agent(*a);
                        proto::Author::Agent {
                            id: r.id,
                            name: r.name,
                        }
                    }
                    core::Author::SmartRouting => proto::Author::SmartRouting,
                },
                private: *audience == core::Audience::AgentsOnly,
                text: text.clone(),
                choices: choices
                    .iter()
                    .map(|o| proto::ChoiceOption {
                        label: o.label.clone(),
                        value: o.value.clone(),
                    })
                    .collect(),
                // The domain only counts a message's files; the hub puts their
                // records on the message it logs (`Batch::attach`).
                attachments: Vec::new(),
            },
            E::VariableSet { name, value, .. } => AgentEvent::VariableSet {
                name: name.clone(),
                value: value.clone(),
            },
            E::Enqueued { queue, .. } => AgentEvent::Enqueued {
                queue: self.queue(*queue),
            },
            E::WaitingForAgent { agent, .. } => AgentEvent::WaitingForAgent {
                agent: self.agent(*agent),
            },
            E::Offered { offer } => {
                let visitor =
                    self.visitors
                        .get(&c)
                        .cloned()
                        .unwrap_or_else(|| proto::VisitorInfo {
                            visitor_id: String::new(),
                            customer: None,
                            locale: None,
                        });
                AgentEvent::Offer(self.offer(offer, visitor))
            }
            E::OfferPhaseChanged {
                agent, phase: p, ..
            } => {
                let (phase, deadline) = phase(*p);
                AgentEvent::OfferPhaseChanged {
                    agent: self.agent(*agent),
                    phase,
                    deadline,
                }
            }
            E::OfferEnded { agent, reason, .. } => AgentEvent::OfferEnded {
                agent: self.agent(*agent),
                reason: match reason {
                    core::OfferEnd::Declined => proto::OfferEnd::Declined,
                    core::OfferEnd::TimedOut => proto::OfferEnd::TimedOut,
                    core::OfferEnd::AgentLeft => proto::OfferEnd::AgentLeft,
                    core::OfferEnd::Withdrawn => proto::OfferEnd::Withdrawn,
                },
            },
            E::Assigned { agent, by, .. } => AgentEvent::Assigned {
                agent: self.agent(*agent),
                by: match by {
                    core::AssignedBy::Accepted => proto::AssignedBy::Accepted,
                    core::AssignedBy::AutoAccepted => proto::AssignedBy::AutoAccepted,
                    core::AssignedBy::Picked => proto::AssignedBy::Picked,
                    core::AssignedBy::Transferred => proto::AssignedBy::Transferred,
                    core::AssignedBy::CustomerReplied => proto::AssignedBy::CustomerReplied,
                },
            },
            E::TransferRequested {
                by,
                from,
                target,
                mode: m,
                ..
            } => AgentEvent::TransferRequested {
                by: self.agent(*by),
                from: self.agent(*from),
                target: self.target(*target),
                mode: mode(*m),
            },
            E::TransferReturned { to, .. } => AgentEvent::TransferReturned {
                to: self.agent(*to),
            },
            E::WaitingForCustomer { agent, frozen, .. } => AgentEvent::WaitingForCustomer {
                agent: self.agent(*agent),
                frozen: *frozen,
            },
            E::VisitorDisconnected {
                reconnect_within, ..
            } => AgentEvent::VisitorDisconnected {
                reconnect_deadline: reconnect_within
                    .map(|d| (core::Time::from_millis(at) + d).as_millis()),
            },
            E::VisitorReconnected { .. } => AgentEvent::VisitorReconnected,
            E::VisitorLeft { .. } => AgentEvent::VisitorLeft,
            E::Archived { agent, .. } => AgentEvent::Archived {
                agent: self.agent(*agent),
            },
            E::WrapUpStarted { agent, until, .. } => AgentEvent::WrapUpStarted {
                agent: self.agent(*agent),
                deadline: until.as_millis(),
            },
            E::WrapUpCompleted {
                agent,
                disposition,
                timed_out,
                ..
            } => AgentEvent::WrapUpCompleted {
                agent: self.agent(*agent),
                disposition: disposition.clone(),
                timed_out: *timed_out,
            },
            E::InteractionEnded { reason, .. } => AgentEvent::InteractionEnded {
                reason: match reason {
                    core::EndReason::Archived => proto::EndReason::Archived,
                    core::EndReason::Abandoned => proto::EndReason::Abandoned,
                },
            },
            E::ConversationEnded { .. } => AgentEvent::ConversationEnded,
            E::PresenceChanged { .. } => return None,
        };
        Some((c, wire))
    }
}

fn phase(p: core::OfferPhase) -> (proto::OfferPhase, u64) {
    match p {
        core::OfferPhase::Preview { until } => (proto::OfferPhase::Preview, until.as_millis()),
        core::OfferPhase::Ringing { until } => (proto::OfferPhase::Ringing, until.as_millis()),
        core::OfferPhase::AutoAccept { at } => (proto::OfferPhase::AutoAccept, at.as_millis()),
    }
}

fn mode(m: core::TransferMode) -> proto::TransferMode {
    match m {
        core::TransferMode::Attended => proto::TransferMode::Attended,
        core::TransferMode::Blind => proto::TransferMode::Blind,
    }
}
