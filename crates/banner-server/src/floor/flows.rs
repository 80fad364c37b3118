//! Smart routing flows from the settings: node names become numbers in file
//! order (they never reach the log, so they need not be stable), queue and flow
//! names become the floor's ids. banner-core validates the graph itself.

use std::collections::{BTreeMap, HashMap};

use banner_core::{ChoiceOption, Flow, FlowId, Node, NodeId, QueueId, RouteRule, RouteTarget};

use super::FloorError;
use super::settings::{FlowSettings, NodeSettings, TargetSettings};

/// The core flow `id` described by `f`.
pub(super) fn build(
    id: FlowId,
    f: &FlowSettings,
    queue_id: &dyn Fn(&str) -> Result<QueueId, FloorError>,
    flow_id: &dyn Fn(&str) -> Result<FlowId, FloorError>,
) -> Result<Flow, FloorError> {
    let mut numbers: HashMap<&str, NodeId> = HashMap::new();
    for (n, node) in (1u32..).zip(&f.nodes) {
        if numbers.insert(node.id(), NodeId(n)).is_some() {
            return Err(FloorError::Duplicate {
                what: "flow node",
                name: format!("{}/{}", f.id, node.id()),
            });
        }
    }
    let node = |name: &str| {
        numbers
            .get(name)
            .copied()
            .ok_or_else(|| FloorError::Unknown {
                what: "flow node",
                name: format!("{}/{name}", f.id),
            })
    };
    let target = |t: &TargetSettings| -> Result<RouteTarget, FloorError> {
        Ok(match t {
            TargetSettings::Queue(q) => RouteTarget::Queue(queue_id(q)?),
            TargetSettings::Flow(name) => RouteTarget::Flow(flow_id(name)?),
        })
    };
    let mut nodes = BTreeMap::new();
    for settings in &f.nodes {
        let built = match settings {
            NodeSettings::Message { text, next, .. } => Node::Message {
                text: text.clone(),
                next: node(next)?,
            },
            NodeSettings::Question {
                text,
                variable,
                next,
                ..
            } => Node::Question {
                text: text.clone(),
                variable: variable.clone(),
                next: node(next)?,
            },
            NodeSettings::Choice {
                text,
                variable,
                options,
                ..
            } => Node::Choice {
                text: text.clone(),
                variable: variable.clone(),
                options: options
                    .iter()
                    .map(|o| {
                        Ok(ChoiceOption {
                            label: o.label.clone(),
                            value: o.value.clone(),
                            next: node(&o.next)?,
                        })
                    })
                    .collect::<Result<_, FloorError>>()?,
            },
            NodeSettings::Route {
                rules, otherwise, ..
            } => Node::Route {
                rules: rules
                    .iter()
                    .map(|r| {
                        Ok(RouteRule {
                            variable: r.variable.clone(),
                            any_of: r.any_of.clone(),
                            to: target(&r.to)?,
                        })
                    })
                    .collect::<Result<_, FloorError>>()?,
                otherwise: target(otherwise)?,
            },
        };
        nodes.insert(node(settings.id())?, built);
    }
    Ok(Flow {
        id,
        name: f.name.clone(),
        start: node(&f.start)?,
        nodes,
    })
}
