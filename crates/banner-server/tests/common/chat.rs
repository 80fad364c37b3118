//! The scenario most tests start from: a visitor's chat, smart-routed to
//! Billing and accepted by Ada.

use banner_proto::*;

use super::people::{Agent, Visitor, available, visitor};
use super::wait::{offer, visitor_event};
use super::{SITE, Server};

/// The conversation a visitor started, once Ada (available) has accepted it
/// from Billing.
pub struct Chat {
    pub conversation: ConversationId,
    pub ada: Agent,
    pub visitor: Visitor,
}

pub async fn start_chat(server: &Server) -> Chat {
    let ada = available(server, "ada").await;
    let mut visitor = visitor(server, SITE).await;
    let c = visitor.start("Hello!").await;
    visitor.say(c, "An invoice").await;
    let mut ada = ada;
    let offer = offer(&mut ada.ws, c).await;
    assert_eq!(offer.queue.as_ref().unwrap().label, "Billing");
    ada.ws.accept(c).await.unwrap();
    let (name, _) = visitor_event(&mut visitor.ws, c, |e| match e {
        VisitorEvent::AgentJoined { name } => Some(name.clone()),
        _ => None,
    })
    .await;
    assert_eq!(name, "Ada");
    Chat {
        conversation: c,
        ada,
        visitor,
    }
}
