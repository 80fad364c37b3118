//! Smart routing flows (the "messaging IVR"): their shape, their validation, and a
//! pure step function that the engine calls with each visitor answer.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::error::ConfigError;
use crate::ids::{FlowId, NodeId, QueueId};

/// A smart routing flow: a graph of nodes from `start`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flow {
    /// Identity.
    pub id: FlowId,
    /// The flow's name, as configured.
    pub name: String,
    /// Where the flow begins.
    pub start: NodeId,
    /// Its nodes.
    pub nodes: BTreeMap<NodeId, Node>,
}

/// One step of a flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// Send a message, then go on.
    Message { text: String, next: NodeId },
    /// Ask a question; the visitor's answer is stored in `variable`.
    Question {
        text: String,
        variable: String,
        next: NodeId,
    },
    /// Offer a choice menu; the chosen option's value is stored in `variable`.
    Choice {
        text: String,
        variable: String,
        options: Vec<ChoiceOption>,
    },
    /// Route by rules on variables; the first rule that matches wins.
    Route {
        rules: Vec<RouteRule>,
        otherwise: RouteTarget,
    },
}

/// One option of a choice menu.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChoiceOption {
    /// What the visitor sees on the button.
    pub label: String,
    /// What is stored in the variable (e.g. a case type).
    pub value: String,
    /// Where the flow goes next.
    pub next: NodeId,
}

/// A routing rule: `variable` equals one of `any_of` (case-insensitive).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteRule {
    /// The variable to test.
    pub variable: String,
    /// The values that match.
    pub any_of: Vec<String>,
    /// Where a match goes.
    pub to: RouteTarget,
}

/// Where a flow hands the chat over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteTarget {
    /// Enqueue in a queue.
    Queue(QueueId),
    /// Continue in another flow, from its start.
    Flow(FlowId),
}

/// A position in a flow: the node waiting for the visitor's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlowCursor {
    /// The flow.
    pub flow: FlowId,
    /// The node (a question or a choice menu).
    pub node: NodeId,
}

/// What a step of a flow produced.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct FlowStep {
    /// Smart routing messages to send, in order, each with its choice buttons.
    pub(crate) said: Vec<(String, Vec<ChoiceOption>)>,
    /// Variables stored by this step.
    pub(crate) stored: Vec<(String, String)>,
    /// Where the flow stands after the step.
    pub(crate) outcome: FlowOutcome,
}

/// Where the flow stands after a step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum FlowOutcome {
    /// Waiting for the visitor at this node.
    Waiting(FlowCursor),
    /// Finished: enqueue in this queue.
    Routed(QueueId),
    /// Defensive: the flow could not go on (validation makes this unreachable).
    #[default]
    Broken,
}

/// What a visitor is told when an answer matches no option of a choice menu.
pub(crate) const CHOOSE_AGAIN: &str = "Please choose one of the options.";

/// Automatic steps allowed in a row; validation forbids cycles without input, so
/// this only guards against a configuration that skipped validation.
const MAX_AUTOMATIC_STEPS: usize = 1024;

/// Runs a flow from `cursor` (or from `start` of `entry` when `cursor` is `None`),
/// feeding `answer` to the node the cursor waits on.
pub(crate) fn step(
    flows: &HashMap<FlowId, Flow>,
    position: Position,
    answer: Option<&str>,
    variables: &BTreeMap<String, String>,
) -> FlowStep {
    let mut out = FlowStep::default();
    let mut stored: BTreeMap<String, String> = BTreeMap::new();
    let (mut flow_id, mut node_id) = match position {
        Position::Start(flow) => match flows.get(&flow) {
            Some(f) => (flow, f.start),
            None => return out,
        },
        Position::At(cursor) => {
            let Some(node) = flows
                .get(&cursor.flow)
                .and_then(|f| f.nodes.get(&cursor.node))
            else {
                return out;
            };
            let answer = answer.unwrap_or("").trim();
            match node {
                Node::Question { variable, next, .. } => {
                    stored.insert(variable.clone(), answer.to_owned());
                    out.stored.push((variable.clone(), answer.to_owned()));
                    (cursor.flow, *next)
                }
                Node::Choice {
                    text,
                    variable,
                    options,
                } => match choose(options, answer) {
                    Some(option) => {
                        stored.insert(variable.clone(), option.value.clone());
                        out.stored.push((variable.clone(), option.value.clone()));
                        (cursor.flow, option.next)
                    }
                    None => {
                        out.said.push((CHOOSE_AGAIN.to_owned(), Vec::new()));
                        out.said.push((text.clone(), options.clone()));
                        out.outcome = FlowOutcome::Waiting(cursor);
                        return out;
                    }
                },
                _ => (cursor.flow, cursor.node),
            }
        }
    };
    for _ in 0..MAX_AUTOMATIC_STEPS {
        let Some(node) = flows.get(&flow_id).and_then(|f| f.nodes.get(&node_id)) else {
            return out;
        };
        match node {
            Node::Message { text, next } => {
                out.said.push((text.clone(), Vec::new()));
                node_id = *next;
            }
            Node::Question { text, .. } => {
                out.said.push((text.clone(), Vec::new()));
                out.outcome = FlowOutcome::Waiting(FlowCursor {
                    flow: flow_id,
                    node: node_id,
                });
                return out;
            }
            Node::Choice { text, options, .. } => {
                out.said.push((text.clone(), options.clone()));
                out.outcome = FlowOutcome::Waiting(FlowCursor {
                    flow: flow_id,
                    node: node_id,
                });
                return out;
            }
            Node::Route { rules, otherwise } => {
                let lookup = |name: &str| stored.get(name).or_else(|| variables.get(name));
                let target = rules
                    .iter()
                    .find(|rule| {
                        lookup(&rule.variable).is_some_and(|value| {
                            rule.any_of.iter().any(|v| v.eq_ignore_ascii_case(value))
                        })
                    })
                    .map_or(*otherwise, |rule| rule.to);
                match target {
                    RouteTarget::Queue(queue) => {
                        out.outcome = FlowOutcome::Routed(queue);
                        return out;
                    }
                    RouteTarget::Flow(next_flow) => match flows.get(&next_flow) {
                        Some(f) => (flow_id, node_id) = (next_flow, f.start),
                        None => return out,
                    },
                }
            }
        }
    }
    out
}

/// Where a step begins.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Position {
    /// At the start of a flow.
    Start(FlowId),
    /// At a waiting node, with the visitor's answer.
    At(FlowCursor),
}

/// Matches an answer to an option: its value, its label (both case-insensitive), or
/// its 1-based number, so typed answers work as well as buttons.
fn choose<'a>(options: &'a [ChoiceOption], answer: &str) -> Option<&'a ChoiceOption> {
    options
        .iter()
        .find(|o| o.value.eq_ignore_ascii_case(answer) || o.label.eq_ignore_ascii_case(answer))
        .or_else(|| {
            answer
                .parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1))
                .and_then(|i| options.get(i))
        })
}

/// Checks every flow: nodes exist, queues and flows named exist, choice menus have
/// options, and no path loops without waiting for the visitor.
pub(crate) fn validate(
    flows: &HashMap<FlowId, Flow>,
    queue_exists: impl Fn(QueueId) -> bool,
) -> Result<(), ConfigError> {
    for flow in flows.values() {
        let has = |node: &NodeId| flow.nodes.contains_key(node);
        let missing = |node: NodeId| ConfigError::MissingNode {
            flow: flow.id,
            node,
        };
        if !has(&flow.start) {
            return Err(missing(flow.start));
        }
        for node in flow.nodes.values() {
            match node {
                Node::Message { next, .. } | Node::Question { next, .. } if !has(next) => {
                    return Err(missing(*next));
                }
                Node::Choice { options, .. } => {
                    if options.is_empty() {
                        return Err(ConfigError::EmptyChoice { flow: flow.id });
                    }
                    if let Some(o) = options.iter().find(|o| !has(&o.next)) {
                        return Err(missing(o.next));
                    }
                }
                Node::Route { rules, otherwise } => {
                    for target in rules.iter().map(|r| &r.to).chain([otherwise]) {
                        match *target {
                            RouteTarget::Queue(q) if !queue_exists(q) => {
                                return Err(ConfigError::UnknownQueue(q));
                            }
                            RouteTarget::Flow(f) if !flows.contains_key(&f) => {
                                return Err(ConfigError::UnknownFlow(f));
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
    }
    find_automatic_cycle(flows).map_or(Ok(()), |flow| Err(ConfigError::CycleWithoutInput { flow }))
}

/// Depth-first search over the edges a flow follows without waiting for input
/// (messages, routes, hand-overs to another flow). Returns a flow on a cycle.
fn find_automatic_cycle(flows: &HashMap<FlowId, Flow>) -> Option<FlowId> {
    let successors = |(flow_id, node_id): (FlowId, NodeId)| -> Vec<(FlowId, NodeId)> {
        let Some(flow) = flows.get(&flow_id) else {
            return Vec::new();
        };
        match flow.nodes.get(&node_id) {
            Some(Node::Message { next, .. }) => vec![(flow_id, *next)],
            Some(Node::Route { rules, otherwise }) => rules
                .iter()
                .map(|r| r.to)
                .chain([*otherwise])
                .filter_map(|t| match t {
                    RouteTarget::Flow(f) => flows.get(&f).map(|next| (f, next.start)),
                    RouteTarget::Queue(_) => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    };
    let mut done: HashSet<(FlowId, NodeId)> = HashSet::new();
    for flow in flows.values() {
        for &node in flow.nodes.keys() {
            let root = (flow.id, node);
            if done.contains(&root) {
                continue;
            }
            // Iterative DFS: (vertex, its successors, next index) on the stack.
            let mut on_path: HashSet<(FlowId, NodeId)> = HashSet::from([root]);
            let mut stack = vec![(root, successors(root), 0usize)];
            while let Some((vertex, next, index)) = stack.last_mut() {
                if let Some(&succ) = next.get(*index) {
                    *index += 1;
                    if on_path.contains(&succ) {
                        return Some(succ.0);
                    }
                    if !done.contains(&succ) {
                        on_path.insert(succ);
                        stack.push((succ, successors(succ), 0));
                    }
                } else {
                    let vertex = *vertex;
                    on_path.remove(&vertex);
                    done.insert(vertex);
                    stack.pop();
                }
            }
        }
    }
    None
}
