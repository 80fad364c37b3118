//! The demo's voice: every event, notification and timer the engine emits, as
//! one line of English.

use std::collections::BTreeMap;

use banner_core::{
    AgentId, AssignedBy, Audience, Author, Config, ConversationId, EndReason, Entry, Event,
    FiredTimer, FlowId, Notification, NotificationKind, Offer, OfferEnd, OfferPhase, Presence,
    QueueId, RoutingKind, Time, TimerKind, TransferMode, TransferTarget, Visitor,
};

/// The names people use for the ids the engine speaks in.
pub(super) struct Names {
    agents: BTreeMap<AgentId, String>,
    queues: BTreeMap<QueueId, String>,
    flows: BTreeMap<FlowId, String>,
    visitors: BTreeMap<ConversationId, String>,
}

/// `09:01:20`: a simulated time of day.
pub(super) fn clock(t: Time) -> String {
    let s = t.as_millis() / 1000;
    format!("{:02}:{:02}:{:02}", s / 3600 % 24, s / 60 % 60, s % 60)
}

impl Names {
    pub(super) fn new(config: &Config) -> Self {
        Names {
            agents: config
                .agents
                .iter()
                .map(|a| (a.id, a.name.clone()))
                .collect(),
            queues: config
                .queues
                .iter()
                .map(|q| (q.id, q.label.clone()))
                .collect(),
            flows: config
                .flows
                .iter()
                .map(|f| (f.id, f.name.clone()))
                .collect(),
            visitors: BTreeMap::new(),
        }
    }

    /// Remembers who chats in `c`, for the lines about it.
    pub(super) fn visitor(&mut self, c: ConversationId, name: &str) {
        self.visitors.insert(c, name.to_owned());
    }

    pub(super) fn agent(&self, a: AgentId) -> String {
        self.agents
            .get(&a)
            .cloned()
            .unwrap_or_else(|| a.to_string())
    }

    fn queue(&self, q: QueueId) -> String {
        self.queues
            .get(&q)
            .cloned()
            .unwrap_or_else(|| q.to_string())
    }

    fn flow(&self, f: FlowId) -> String {
        self.flows.get(&f).cloned().unwrap_or_else(|| f.to_string())
    }

    fn chat(&self, c: ConversationId) -> String {
        match self.visitors.get(&c) {
            Some(name) => format!("chat {} ({name})", c.0),
            None => format!("chat {}", c.0),
        }
    }

    pub(super) fn who(&self, c: ConversationId) -> String {
        self.visitors
            .get(&c)
            .cloned()
            .unwrap_or_else(|| "the visitor".into())
    }

    pub(super) fn event(&self, event: &Event) -> String {
        use Event::*;
        match event {
            ConversationOpened {
                conversation,
                visitor,
                entry,
            } => {
                let visitor = match visitor {
                    Visitor::Anonymous { visitor_id } => format!("anonymous visitor {visitor_id}"),
                    Visitor::Customer { customer_id } => format!("customer {customer_id}"),
                };
                let entry = match *entry {
                    Entry::Flow(f) => format!("through smart routing flow {}", self.flow(f)),
                    Entry::Queue(q) => format!("straight into {}", self.queue(q)),
                    Entry::Direct { agent, fallback } => format!(
                        "by direct routing to {}{}",
                        self.agent(agent),
                        fallback
                            .map_or(String::new(), |q| format!(" (fallback {})", self.queue(q)))
                    ),
                };
                format!("{} opened by {visitor}, {entry}", self.chat(*conversation))
            }
            InteractionStarted {
                conversation,
                interaction,
            } => format!(
                "{}: interaction {interaction} begins",
                self.chat(*conversation)
            ),
            Message {
                conversation,
                author,
                audience,
                text,
                choices,
            } => {
                let who = match author {
                    Author::Visitor => self.who(*conversation),
                    Author::Agent(a) => self.agent(*a),
                    Author::SmartRouting => "smart routing".into(),
                };
                let private = match audience {
                    Audience::AgentsOnly => ", privately (agents only)",
                    Audience::Everyone => "",
                };
                let buttons: Vec<String> = choices
                    .iter()
                    .enumerate()
                    .map(|(i, o)| format!("[{}. {}]", i + 1, o.label))
                    .collect();
                let buttons = if buttons.is_empty() {
                    String::new()
                } else {
                    format!(" {}", buttons.join(" "))
                };
                format!(
                    "{}: {who}{private} says \"{text}\"{buttons}",
                    self.chat(*conversation)
                )
            }
            VariableSet {
                conversation,
                name,
                value,
            } => format!(
                "{}: smart routing stores {name} = \"{value}\"",
                self.chat(*conversation)
            ),
            Enqueued {
                conversation,
                queue,
            } => format!(
                "{} waits in Messages pending of {}",
                self.chat(*conversation),
                self.queue(*queue)
            ),
            WaitingForAgent {
                conversation,
                agent,
            } => format!(
                "{} waits for {} alone (direct routing)",
                self.chat(*conversation),
                self.agent(*agent)
            ),
            Offered { offer } => self.popup(offer),
            OfferPhaseChanged {
                conversation,
                agent,
                phase,
            } => format!(
                "{}'s popup for {}: {}",
                self.agent(*agent),
                self.chat(*conversation),
                phase_text(*phase)
            ),
            OfferEnded {
                conversation,
                agent,
                reason,
            } => {
                let (chat, agent) = (self.chat(*conversation), self.agent(*agent));
                match reason {
                    OfferEnd::Declined => format!("{agent} declined {chat}"),
                    OfferEnd::TimedOut => format!("{chat} rang out at {agent}"),
                    OfferEnd::AgentLeft => format!("{chat} stops ringing: {agent} left"),
                    OfferEnd::Withdrawn => format!("{chat} no longer rings {agent}"),
                }
            }
            Assigned {
                conversation,
                agent,
                by,
            } => {
                let how = match by {
                    AssignedBy::Accepted => "accepted",
                    AssignedBy::AutoAccepted => "auto-accepted when the countdown ended",
                    AssignedBy::Picked => "picked from Messages pending",
                    AssignedBy::Transferred => "the transfer completed",
                    AssignedBy::CustomerReplied => "the customer replied",
                };
                format!(
                    "{} is now In progress for {} ({how})",
                    self.chat(*conversation),
                    self.agent(*agent)
                )
            }
            TransferRequested {
                conversation,
                from,
                by: _,
                target,
                mode,
            } => {
                let to = match *target {
                    TransferTarget::User(a) => self.agent(a),
                    TransferTarget::Queue(q) => format!("queue {}", self.queue(q)),
                    TransferTarget::Flow(f) => format!("smart routing flow {}", self.flow(f)),
                };
                let mode = match mode {
                    TransferMode::Attended => "attended: they keep it until it is accepted",
                    TransferMode::Blind => "blind",
                };
                format!(
                    "{} transfers {} to {to} ({mode})",
                    self.agent(*from),
                    self.chat(*conversation)
                )
            }
            TransferReturned { conversation, to } => format!(
                "the transfer of {} was refused: it stays with {}",
                self.chat(*conversation),
                self.agent(*to)
            ),
            WaitingForCustomer {
                conversation,
                agent,
                frozen,
            } => format!(
                "{} waits for the customer in {}{}",
                self.agent(*agent),
                self.chat(*conversation),
                if *frozen {
                    ": frozen, outside their capacity, in Messages pending customers"
                } else {
                    ""
                }
            ),
            VisitorDisconnected {
                conversation,
                reconnect_within,
            } => format!(
                "{} dropped from chat {}{}",
                self.who(*conversation),
                conversation.0,
                reconnect_within.map_or(String::new(), |d| format!(
                    "; the reconnection timer gives them {} s",
                    d.as_secs()
                ))
            ),
            VisitorReconnected { conversation } => format!(
                "{} is back in chat {}",
                self.who(*conversation),
                conversation.0
            ),
            VisitorLeft { conversation } => format!(
                "{} has left chat {}",
                self.who(*conversation),
                conversation.0
            ),
            Archived {
                conversation,
                agent,
            } => format!(
                "{} archived {}",
                self.agent(*agent),
                self.chat(*conversation)
            ),
            WrapUpStarted {
                conversation,
                agent,
                until,
            } => format!(
                "{} wraps up {} (by {} at the latest)",
                self.agent(*agent),
                self.chat(*conversation),
                clock(*until)
            ),
            WrapUpCompleted {
                conversation,
                agent,
                disposition,
                timed_out,
            } => format!(
                "{}'s wrap-up of {} is {}{}",
                self.agent(*agent),
                self.chat(*conversation),
                if *timed_out {
                    "over: the wrap-up limit was reached"
                } else {
                    "complete"
                },
                disposition
                    .as_ref()
                    .map_or(String::new(), |d| format!(", disposition \"{d}\""))
            ),
            InteractionEnded {
                conversation,
                reason,
            } => format!(
                "{}: interaction over ({})",
                self.chat(*conversation),
                match reason {
                    EndReason::Archived => "archived",
                    EndReason::Abandoned => "abandoned before an agent took it",
                }
            ),
            ConversationEnded { conversation } => {
                format!("{} has ended and is in history", self.chat(*conversation))
            }
            PresenceChanged { agent, presence } => {
                let presence = match presence {
                    Presence::Available => "available to chat",
                    Presence::Away => "away",
                    Presence::Offline => "offline",
                };
                format!("{} is now {presence}", self.agent(*agent))
            }
        }
    }

    /// The incoming popup: raspberry red for smart routing, ocean blue for direct.
    fn popup(&self, offer: &Offer) -> String {
        let colour = match offer.kind {
            RoutingKind::Smart => "raspberry red",
            RoutingKind::Direct => "ocean blue",
        };
        let source = match offer.queue {
            Some(q) => format!("smart routing, {}", self.queue(q)),
            None => "direct routing".into(),
        };
        let mut line = format!(
            "popup for {} ({colour}, {source}): {}, waiting since {}; {}",
            self.agent(offer.agent),
            self.chat(offer.conversation),
            clock(offer.waiting_since),
            phase_text(offer.phase)
        );
        if let Some(t) = offer.transfer {
            let mode = match t.mode {
                TransferMode::Attended => "attended",
                TransferMode::Blind => "blind",
            };
            line += &format!("; transferred by {} ({mode})", self.agent(t.from));
        }
        if offer.returning {
            line += "; back to the agent who held it";
        }
        if let Some(node) = &offer.script_first_node {
            line += &format!("; script: \"{node}\"");
        }
        line
    }

    pub(super) fn notification(&self, n: &Notification) -> String {
        let c = self.chat(n.conversation);
        let what = match n.kind {
            NotificationKind::MessageArrives => format!("a message arrives in {c}"),
            NotificationKind::MonitoredQueueMessage => {
                format!("the visitor of {c} writes while waiting in a queue you monitor")
            }
            NotificationKind::MessagingEnded => format!("the visitor ended {c}"),
            NotificationKind::ParticipantLeaves => format!("the visitor of {c} dropped"),
            NotificationKind::MessageExitsQueue => format!("{c} left a queue you monitor"),
        };
        format!("notification for {}: {what}", self.agent(n.agent))
    }

    pub(super) fn timer(&self, t: &FiredTimer) -> String {
        let kind = match t.kind {
            TimerKind::Offer => "offer timer",
            TimerKind::Reconnection => "reconnection timer",
            TimerKind::WrapUp => "wrap-up limit",
        };
        format!("the {kind} of {} fires", self.chat(t.conversation))
    }
}

fn phase_text(phase: OfferPhase) -> String {
    match phase {
        OfferPhase::Preview { until } => format!("in preview until {}", clock(until)),
        OfferPhase::Ringing { until } => format!("ringing until {}", clock(until)),
        OfferPhase::AutoAccept { at } => format!("auto-accepts at {}", clock(at)),
    }
}
