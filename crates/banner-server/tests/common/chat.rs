//! The scenario most tests start from: a visitor's chat, smart-routed to
//! Billing and accepted by Ada.

use banner_proto::*;
use serde_json::json;

use super::*;

/// The conversation a visitor started and the two sockets in it, once Ada
/// (available) has accepted it from Billing.
pub struct Chat {
    pub conversation: ConversationId,
    pub ada: Ws,
    pub visitor: Ws,
    pub visitor_token: String,
    /// The last `seq` the visitor's socket received.
    pub visitor_seq: Seq,
}

pub async fn start_chat(server: &Server) -> Chat {
    let (mut ada, welcome) = server.agent_ws(&server.token("ada").await, vec![]).await;
    assert_eq!(welcome.agent.name, "Ada");
    let frames = ada
        .agent_command(json!({"type": "set_presence", "id": "p1", "presence": "available"}))
        .await;
    assert!(frames.iter().any(|f| matches!(
        f,
        AgentFrame::Presence {
            presence: Presence::Available,
            ..
        }
    )));

    let session = server.visitor().await;
    let (mut visitor, _) = server.visitor_ws(&session.token, vec![]).await;
    let frames = visitor
        .visitor_command(json!({"type": "send_message", "id": "m1", "conversation": null, "text": "Hello!", "attachments": []}))
        .await;
    let ack = last_visitor_ack(&frames).clone();
    let conversation = ack.conversation.unwrap();
    // Smart routing answers before the ack: the greeting and the choice menu.
    assert_eq!(
        visitor_texts(&frames),
        ["Hello!", "Welcome to Acme!", "What is your request about?"]
    );
    let menu = frames.iter().find_map(|f| match f {
        VisitorFrame::Event(Logged {
            event: VisitorEvent::Message { choices, .. },
            ..
        }) if !choices.is_empty() => Some(choices.clone()),
        _ => None,
    });
    assert_eq!(menu.unwrap()[0].label, "An invoice");

    let frames = visitor
        .visitor_command(json!({"type": "send_message", "id": "m2", "conversation": conversation, "text": "An invoice", "attachments": []}))
        .await;
    assert!(frames.iter().any(|f| matches!(
        f,
        VisitorFrame::Event(Logged {
            event: VisitorEvent::Queued,
            ..
        })
    )));

    let offer = ada
        .agent_until(|f| {
            matches!(
                f,
                AgentFrame::Event(Logged {
                    event: AgentEvent::Offer(_),
                    ..
                })
            )
        })
        .await;
    let AgentFrame::Event(Logged {
        event: AgentEvent::Offer(offer),
        ..
    }) = offer.last().unwrap()
    else {
        unreachable!()
    };
    assert_eq!(offer.conversation, conversation);
    assert_eq!(offer.queue.as_ref().unwrap().label, "Billing");
    assert_eq!(offer.kind, RoutingKind::Smart);
    assert_eq!(offer.visitor.locale.as_deref(), Some("fr-FR"));

    let frames = ada
        .agent_command(json!({"type": "accept", "id": "a1", "conversation": conversation}))
        .await;
    let ack = last_ack(&frames);
    let assigned = frames.iter().find_map(|f| match f {
        AgentFrame::Event(
            l @ Logged {
                event: AgentEvent::Assigned { .. },
                ..
            },
        ) => Some(l.seq),
        _ => None,
    });
    assert_eq!(
        ack.seq, assigned,
        "the assigned event comes first, and is the ack's seq"
    );

    let joined = visitor
        .visitor_until(|f| {
            matches!(
                f,
                VisitorFrame::Event(Logged {
                    event: VisitorEvent::AgentJoined { .. },
                    ..
                })
            )
        })
        .await;
    let VisitorFrame::Event(Logged {
        seq,
        event: VisitorEvent::AgentJoined { name },
        ..
    }) = joined.last().unwrap()
    else {
        unreachable!()
    };
    assert_eq!(name, "Ada");
    Chat {
        conversation,
        ada,
        visitor,
        visitor_token: session.token,
        visitor_seq: *seq,
    }
}

/// An agent's `send_message` frame.
pub fn message(id: &str, c: ConversationId, text: &str, private: bool) -> serde_json::Value {
    json!({"type": "send_message", "id": id, "conversation": c, "text": text, "private": private, "attachments": []})
}
