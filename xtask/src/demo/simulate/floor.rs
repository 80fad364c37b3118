//! The demo's contact center: Sales and Support, a welcome flow whose choice menu
//! routes by case type, three agents and a supervisor.

use std::time::Duration;

use banner_core::{
    AgentConfig, AgentId, ChoiceOption, Config, Flow, FlowId, Node, NodeId, NotificationSettings,
    Profile, QueueConfig, QueueId, QueueOptions, RouteRule, RouteTarget, Script,
};

pub(super) const SALES: QueueId = QueueId(1);
pub(super) const SUPPORT: QueueId = QueueId(2);
pub(super) const WELCOME: FlowId = FlowId(1);
pub(super) const ADA: AgentId = AgentId(1);
pub(super) const BOB: AgentId = AgentId(2);
pub(super) const CY: AgentId = AgentId(3);
pub(super) const SUE: AgentId = AgentId(9);

/// The whole configuration of the routing domain.
pub(super) fn config() -> Config {
    Config {
        queues: vec![sales(), support()],
        flows: vec![welcome()],
        agents: vec![
            AgentConfig::new(ADA, "Ada", 2, [SALES]),
            AgentConfig::new(BOB, "Bob", 2, [SALES]),
            auto_accepting(AgentConfig::new(CY, "Cy", 2, [SUPPORT])),
            supervisor(),
        ],
        default_options: QueueOptions {
            offer_timeout: Duration::from_secs(20),
            ..QueueOptions::default()
        },
    }
}

/// Sales freezes chats that wait for the customer, and has a script and a form.
fn sales() -> QueueConfig {
    let mut queue = QueueConfig::new(SALES, "Sales");
    queue.options = QueueOptions {
        freeze: true,
        qualification_form: Some("Sales lead".into()),
        script: Some(Script {
            name: "Sales greeting".into(),
            first_node: "Greet them by name and ask how many seats they need.".into(),
        }),
        ..QueueOptions::default()
    };
    queue
}

/// Support lets auto-accepting agents take chats after a 5-second countdown.
fn support() -> QueueConfig {
    let mut queue = QueueConfig::new(SUPPORT, "Support");
    queue.options = QueueOptions {
        auto_accept: Some(Duration::from_secs(5)),
        reconnection_timeout: Duration::from_secs(45),
        wrap_up_limit: Duration::from_secs(60),
        ..QueueOptions::default()
    };
    queue
}

fn auto_accepting(mut agent: AgentConfig) -> AgentConfig {
    agent.profile.name = "agent (auto-accept)".into();
    agent.profile.auto_accept = true;
    agent
}

/// Sue answers no queue herself; she watches both and whispers.
fn supervisor() -> AgentConfig {
    let mut sue = AgentConfig::new(SUE, "Sue", 2, []);
    sue.profile = Profile::supervisor();
    sue.monitored_queues = [SALES, SUPPORT].into();
    sue.notifications = NotificationSettings {
        message_exits_queue: true,
        ..NotificationSettings::default()
    };
    sue
}

/// A welcome message, then a choice menu whose case type picks the queue.
fn welcome() -> Flow {
    let n = NodeId;
    let option = |label: &str, value: &str| ChoiceOption {
        label: label.into(),
        value: value.into(),
        next: n(3),
    };
    Flow {
        id: WELCOME,
        name: "Welcome".into(),
        start: n(1),
        nodes: [
            (
                n(1),
                Node::Message {
                    text: "Welcome to Banner! An agent will be with you shortly.".into(),
                    next: n(2),
                },
            ),
            (
                n(2),
                Node::Choice {
                    text: "What can we help you with?".into(),
                    variable: "case_type".into(),
                    options: vec![
                        option("Buy something", "sales"),
                        option("Help with an order", "support"),
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
        .into(),
    }
}

/// Prints the floor: queues and their options, the flow, the people and profiles.
pub(super) fn describe(config: &Config) {
    for q in &config.queues {
        let o = &q.options;
        let mut traits = vec![format!("offers ring {} s", o.offer_timeout.as_secs())];
        if let Some(countdown) = o.auto_accept {
            traits.push(format!("auto-accept after {} s", countdown.as_secs()));
        }
        if o.freeze {
            traits.push("freezes chats waiting for the customer".into());
        }
        traits.push(format!(
            "reconnection {} s, wrap-up limit {} s",
            o.reconnection_timeout.as_secs(),
            o.wrap_up_limit.as_secs()
        ));
        if let Some(script) = &o.script {
            traits.push(format!("script \"{}\"", script.name));
        }
        println!("  queue {}: {}", q.label, traits.join(", "));
    }
    for f in &config.flows {
        println!(
            "  smart routing flow {}: a welcome message, then a choice menu; case type \
             \"sales\" goes to Sales, anything else to Support",
            f.name
        );
    }
    for a in &config.agents {
        let queues: Vec<String> = a
            .queues
            .iter()
            .filter_map(|q| config.queues.iter().find(|c| c.id == *q))
            .map(|q| q.label.clone())
            .collect();
        let role = if a.monitored_queues.is_empty() {
            format!("answers {}", queues.join(", "))
        } else {
            format!(
                "monitors {} queues, may whisper and reassign",
                a.monitored_queues.len()
            )
        };
        let permissions: Vec<String> = a
            .profile
            .permissions
            .iter()
            .map(|p| format!("{p:?}"))
            .collect();
        println!(
            "  {}: profile \"{}\", capacity {}, {role}; may {}",
            a.name,
            a.profile.name,
            a.capacity,
            permissions.join(", ")
        );
    }
}
