//! A small simulator for black-box tests: an engine, a simulated clock that only
//! moves when a test says so (firing due timers on the way, like the server's
//! loop), and everything the engine emitted, kept for assertions.

#![allow(dead_code)]

use std::time::Duration;

pub mod lifecycle;
pub mod transfer;

use banner_core::*;

/// The sales queue of the standard floor.
pub const SALES: QueueId = QueueId(1);
/// The support queue of the standard floor.
pub const SUPPORT: QueueId = QueueId(2);
/// Agents of the standard floor.
pub const ADA: AgentId = AgentId(1);
pub const BOB: AgentId = AgentId(2);
pub const CY: AgentId = AgentId(3);
/// The supervisor of the standard floor.
pub const SUE: AgentId = AgentId(9);
/// The smart routing flow of the standard floor.
pub const WELCOME: FlowId = FlowId(1);

pub fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

/// An engine on a simulated clock, recording its outputs.
pub struct Sim {
    pub engine: Engine,
    pub now: Time,
    pub events: Vec<Event>,
    pub notifications: Vec<Notification>,
    pub fired: Vec<FiredTimer>,
    next_conversation: u64,
}

impl Sim {
    pub fn new(config: Config) -> Self {
        let engine = Engine::new(config).expect("valid config");
        let mut sim = Sim {
            engine,
            now: Time::ZERO,
            events: vec![],
            notifications: vec![],
            fired: vec![],
            next_conversation: 0,
        };
        sim.drain();
        sim
    }

    /// Moves the clock forward by `d`, firing every timer due on the way, each at
    /// its own deadline.
    pub fn advance(&mut self, d: Duration) {
        let until = self.now + d;
        while let Some(deadline) = self.engine.poll_timeout().filter(|t| *t <= until) {
            self.now = self.now.max(deadline);
            let fired = self.engine.handle_timeout(self.now);
            self.fired.extend(fired);
            self.drain();
        }
        self.now = until;
    }

    /// Collects what the engine emitted so far.
    pub fn drain(&mut self) {
        while let Some(e) = self.engine.poll_event() {
            self.events.push(e);
        }
        while let Some(n) = self.engine.poll_notification() {
            self.notifications.push(n);
        }
    }

    /// Runs one input at the current time and collects its outputs.
    pub fn run<T>(
        &mut self,
        f: impl FnOnce(&mut Engine, Time) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let now = self.now;
        let result = f(&mut self.engine, now);
        self.drain();
        result
    }

    pub fn available(&mut self, agent: AgentId) {
        self.run(|e, now| e.set_presence(agent, Presence::Available, now))
            .expect("presence");
    }

    /// Opens a conversation for a new anonymous visitor with this entry.
    pub fn open(&mut self, entry: Entry) -> ConversationId {
        self.next_conversation += 1;
        let id = ConversationId(self.next_conversation);
        let visitor = Visitor::Anonymous {
            visitor_id: format!("visitor-{}", id.0),
        };
        self.run(|e, now| e.open_conversation(id, visitor, entry, now))
            .expect("open")
    }

    /// Opens (or finds) an authenticated customer's conversation.
    pub fn open_customer(&mut self, customer_id: &str, entry: Entry) -> ConversationId {
        self.next_conversation += 1;
        let id = ConversationId(self.next_conversation);
        let visitor = Visitor::Customer {
            customer_id: customer_id.into(),
        };
        self.run(|e, now| e.open_conversation(id, visitor, entry, now))
            .expect("open")
    }

    /// An anonymous visitor writes their first message in a new conversation.
    pub fn chat(&mut self, entry: Entry, text: &str) -> ConversationId {
        let c = self.open(entry);
        self.say(c, text);
        c
    }

    pub fn say(&mut self, c: ConversationId, text: &str) {
        self.run(|e, now| e.visitor_message(c, text, now))
            .expect("visitor message");
    }

    pub fn place(&self, c: ConversationId) -> Place {
        self.engine.conversation(c).expect("conversation").place()
    }

    pub fn holder(&self, c: ConversationId) -> Option<AgentId> {
        self.engine.conversation(c).and_then(Conversation::holder)
    }

    /// Who the chat is ringing, if anyone.
    pub fn ringing(&self, c: ConversationId) -> Option<AgentId> {
        self.engine.offer(c).map(|o| o.agent)
    }

    pub fn load(&self, agent: AgentId) -> u32 {
        self.engine.agent(agent).expect("agent").load
    }

    pub fn presence(&self, agent: AgentId) -> Presence {
        self.engine.agent(agent).expect("agent").presence
    }

    /// Notifications of `kind` received by `agent` so far.
    pub fn notified(&self, agent: AgentId, kind: NotificationKind) -> Vec<ConversationId> {
        self.notifications
            .iter()
            .filter(|n| n.agent == agent && n.kind == kind)
            .map(|n| n.conversation)
            .collect()
    }

    /// Texts of smart routing messages sent in `c`.
    pub fn smart_routing_said(&self, c: ConversationId) -> Vec<String> {
        self.events
            .iter()
            .filter_map(|e| match e {
                Event::Message {
                    conversation,
                    author: Author::SmartRouting,
                    text,
                    ..
                } if *conversation == c => Some(text.clone()),
                _ => None,
            })
            .collect()
    }
}

/// A queue with the given options.
pub fn queue(id: QueueId, label: &str, options: QueueOptions) -> QueueConfig {
    QueueConfig {
        id,
        label: label.into(),
        priority: 0,
        options,
    }
}

/// An agent of the plain profile.
pub fn agent(id: AgentId, name: &str, capacity: u32, queues: &[QueueId]) -> AgentConfig {
    AgentConfig::new(id, name, capacity, queues.iter().copied())
}

/// A supervisor monitoring `monitored`.
pub fn supervisor(
    id: AgentId,
    name: &str,
    queues: &[QueueId],
    monitored: &[QueueId],
) -> AgentConfig {
    let mut config = AgentConfig::new(id, name, 2, queues.iter().copied());
    config.profile = Profile::supervisor();
    config.monitored_queues = monitored.iter().copied().collect();
    config
}

/// The welcome flow: a message, then a choice menu whose case type routes to
/// sales or support.
pub fn welcome_flow() -> Flow {
    let n = NodeId;
    Flow {
        id: WELCOME,
        name: "welcome".into(),
        start: n(1),
        nodes: [
            (
                n(1),
                Node::Message {
                    text: "Welcome to Banner!".into(),
                    next: n(2),
                },
            ),
            (
                n(2),
                Node::Choice {
                    text: "What is it about?".into(),
                    variable: "case_type".into(),
                    options: vec![
                        ChoiceOption {
                            label: "Buy something".into(),
                            value: "sales".into(),
                            next: n(3),
                        },
                        ChoiceOption {
                            label: "Get help".into(),
                            value: "support".into(),
                            next: n(3),
                        },
                    ],
                },
            ),
            (
                n(3),
                Node::Route {
                    rules: vec![RouteRule {
                        variable: "case_type".into(),
                        any_of: vec!["sales".into()],
                        to: RouteTarget::Queue(SALES),
                    }],
                    otherwise: RouteTarget::Queue(SUPPORT),
                },
            ),
        ]
        .into_iter()
        .collect(),
    }
}

/// Two queues with default options, the welcome flow, three agents of capacity
/// `capacity` (Ada and Bob in sales, Cy in support) and a supervisor in both.
pub fn floor(capacity: u32) -> Config {
    floor_with(QueueOptions::default(), capacity)
}

/// The standard floor with `options` on both queues.
pub fn floor_with(options: QueueOptions, capacity: u32) -> Config {
    Config {
        queues: vec![
            queue(SALES, "Sales", options.clone()),
            queue(SUPPORT, "Support", options),
        ],
        flows: vec![welcome_flow()],
        agents: vec![
            agent(ADA, "Ada", capacity, &[SALES]),
            agent(BOB, "Bob", capacity, &[SALES]),
            agent(CY, "Cy", capacity, &[SUPPORT]),
            supervisor(SUE, "Sue", &[], &[SALES, SUPPORT]),
        ],
        default_options: QueueOptions::default(),
    }
}

/// Helpers for chats that agents hold (transfers, lifecycle, notifications).
impl Sim {
    /// An anonymous visitor's new chat through `entry`; it must ring `agent`, who
    /// accepts it.
    pub fn held_by(&mut self, agent: AgentId, entry: Entry) -> ConversationId {
        let c = self.chat(entry, "Hello");
        assert_eq!(self.ringing(c), Some(agent), "{c} should ring {agent}");
        self.run(|e, now| e.accept(agent, c, now)).expect("accept");
        c
    }

    /// What the engine emitted after `mark`, a length of `events` taken earlier.
    pub fn events_since(&self, mark: usize) -> &[Event] {
        &self.events[mark..]
    }
}
