//! Smart routing: messages, questions, choice menus, routing by rule, hand-over
//! to another flow, and the configuration checks that keep visitors from being
//! trapped.

mod common;

use banner_core::*;
use common::*;

#[test]
fn the_first_message_runs_the_flow_up_to_the_choice_menu() {
    let mut sim = Sim::new(floor(1));
    let c = sim.chat(Entry::Flow(WELCOME), "hello");
    assert_eq!(sim.place(c), Place::Routing);
    assert_eq!(
        sim.smart_routing_said(c),
        ["Welcome to Banner!", "What is it about?"]
    );
    let menu = sim.events.iter().rev().find_map(|e| match e {
        Event::Message {
            author: Author::SmartRouting,
            choices,
            ..
        } => Some(choices.clone()),
        _ => None,
    });
    let labels: Vec<_> = menu.unwrap().into_iter().map(|o| o.label).collect();
    assert_eq!(
        labels,
        ["Buy something", "Get help"],
        "the menu reaches the widget as buttons"
    );
}

#[test]
fn a_choice_stores_its_value_and_routes_by_case_type() {
    let mut sim = Sim::new(floor(1));
    let sales = sim.chat(Entry::Flow(WELCOME), "hello");
    sim.say(sales, "Buy something");
    assert_eq!(
        sim.engine.conversation(sales).unwrap().variables["case_type"],
        "sales"
    );
    assert_eq!(sim.engine.conversation(sales).unwrap().queue, Some(SALES));
    assert_eq!(sim.place(sales), Place::Pending);

    let support = sim.chat(Entry::Flow(WELCOME), "hello");
    sim.say(support, "2"); // the option's number works too
    assert_eq!(
        sim.engine.conversation(support).unwrap().queue,
        Some(SUPPORT)
    );
    assert!(sim.events.iter().any(|e| matches!(e,
        Event::VariableSet { conversation, name, value } if *conversation == support && name == "case_type" && value == "support")));
}

#[test]
fn an_answer_matching_no_option_asks_again() {
    let mut sim = Sim::new(floor(1));
    let c = sim.chat(Entry::Flow(WELCOME), "hello");
    sim.say(c, "banana");
    assert_eq!(sim.place(c), Place::Routing);
    let said = sim.smart_routing_said(c);
    assert_eq!(
        &said[2..],
        ["Please choose one of the options.", "What is it about?"]
    );
    sim.say(c, "get HELP");
    assert_eq!(sim.engine.conversation(c).unwrap().queue, Some(SUPPORT));
}

#[test]
fn a_question_stores_the_answer_and_a_hand_over_continues_in_another_flow() {
    let n = NodeId;
    let triage = Flow {
        id: FlowId(2),
        name: "triage".into(),
        start: n(1),
        nodes: [
            (
                n(1),
                Node::Question {
                    text: "Your order number?".into(),
                    variable: "order".into(),
                    next: n(2),
                },
            ),
            (
                n(2),
                Node::Route {
                    rules: vec![],
                    otherwise: RouteTarget::Flow(WELCOME),
                },
            ),
        ]
        .into_iter()
        .collect(),
    };
    let mut config = floor(1);
    config.flows.push(triage);
    let mut sim = Sim::new(config);
    let c = sim.chat(Entry::Flow(FlowId(2)), "hi");
    assert_eq!(sim.smart_routing_said(c), ["Your order number?"]);
    sim.say(c, "  A-42 ");
    assert_eq!(
        sim.engine.conversation(c).unwrap().variables["order"],
        "A-42"
    );
    assert_eq!(
        sim.smart_routing_said(c)[1..],
        ["Welcome to Banner!", "What is it about?"]
    );
    sim.say(c, "1");
    assert_eq!(sim.engine.conversation(c).unwrap().queue, Some(SALES));
}

#[test]
fn rules_match_case_insensitively_and_fall_back_to_otherwise() {
    let n = NodeId;
    let flow = Flow {
        id: FlowId(3),
        name: "case type".into(),
        start: n(1),
        nodes: [
            (
                n(1),
                Node::Question {
                    text: "Case type?".into(),
                    variable: "case_type".into(),
                    next: n(2),
                },
            ),
            (
                n(2),
                Node::Route {
                    rules: vec![RouteRule {
                        variable: "case_type".into(),
                        any_of: vec!["billing".into(), "refund".into()],
                        to: RouteTarget::Queue(SALES),
                    }],
                    otherwise: RouteTarget::Queue(SUPPORT),
                },
            ),
        ]
        .into_iter()
        .collect(),
    };
    let mut config = floor(1);
    config.flows.push(flow);
    let mut sim = Sim::new(config);
    let refund = sim.chat(Entry::Flow(FlowId(3)), "hi");
    sim.say(refund, "REFUND");
    let other = sim.chat(Entry::Flow(FlowId(3)), "hi");
    sim.say(other, "a broken screen");
    assert_eq!(sim.engine.conversation(refund).unwrap().queue, Some(SALES));
    assert_eq!(sim.engine.conversation(other).unwrap().queue, Some(SUPPORT));
}

fn config_with(flow: Flow) -> Config {
    Config {
        flows: vec![flow],
        ..floor(1)
    }
}

fn flow(nodes: Vec<(u32, Node)>) -> Flow {
    Flow {
        id: WELCOME,
        name: "f".into(),
        start: NodeId(1),
        nodes: nodes.into_iter().map(|(k, v)| (NodeId(k), v)).collect(),
    }
}

#[test]
fn flows_that_could_trap_a_visitor_are_refused() {
    let message = |next| Node::Message {
        text: "hi".into(),
        next: NodeId(next),
    };
    let loop_ = flow(vec![(1, message(2)), (2, message(1))]);
    assert_eq!(
        Engine::new(config_with(loop_)).unwrap_err(),
        ConfigError::CycleWithoutInput { flow: WELCOME }
    );

    let dangling = flow(vec![(1, message(7))]);
    assert_eq!(
        Engine::new(config_with(dangling)).unwrap_err(),
        ConfigError::MissingNode {
            flow: WELCOME,
            node: NodeId(7)
        }
    );

    let empty_menu = flow(vec![(
        1,
        Node::Choice {
            text: "?".into(),
            variable: "v".into(),
            options: vec![],
        },
    )]);
    assert_eq!(
        Engine::new(config_with(empty_menu)).unwrap_err(),
        ConfigError::EmptyChoice { flow: WELCOME }
    );

    let unknown_queue = flow(vec![(
        1,
        Node::Route {
            rules: vec![],
            otherwise: RouteTarget::Queue(QueueId(99)),
        },
    )]);
    assert_eq!(
        Engine::new(config_with(unknown_queue)).unwrap_err(),
        ConfigError::UnknownQueue(QueueId(99))
    );

    let self_handover = flow(vec![(
        1,
        Node::Route {
            rules: vec![],
            otherwise: RouteTarget::Flow(WELCOME),
        },
    )]);
    assert_eq!(
        Engine::new(config_with(self_handover)).unwrap_err(),
        ConfigError::CycleWithoutInput { flow: WELCOME }
    );
}

#[test]
fn a_loop_through_a_question_is_allowed() {
    let looping = flow(vec![
        (
            1,
            Node::Question {
                text: "Anything else?".into(),
                variable: "more".into(),
                next: NodeId(2),
            },
        ),
        (
            2,
            Node::Route {
                rules: vec![RouteRule {
                    variable: "more".into(),
                    any_of: vec!["yes".into()],
                    to: RouteTarget::Flow(WELCOME),
                }],
                otherwise: RouteTarget::Queue(SALES),
            },
        ),
    ]);
    let mut sim = Sim::new(config_with(looping));
    let c = sim.chat(Entry::Flow(WELCOME), "hi");
    sim.say(c, "yes");
    sim.say(c, "yes");
    assert_eq!(sim.place(c), Place::Routing);
    sim.say(c, "no");
    assert_eq!(sim.place(c), Place::Pending);
}
