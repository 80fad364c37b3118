//! How a chat reaches an agent: smart routing qualifies it into a queue, the
//! router rings one member (the incoming popup); a decline or a rung-out offer
//! moves it on; auto-accept and preview change the popup's phases; the hand
//! button lets exactly one agent take a pending chat; nobody is offered more
//! chats than their capacity.

#![allow(clippy::unwrap_used)]

mod common;

use banner_proto::*;
use common::people::{agent, available, visitor};
use common::wait::{agent_event, arrived, offer, offers, until, visitor_event, visitor_texts};
use common::{HOTLINE, INSTANT, PREVIEW, SITE, SUPPORT, Server, site};

#[tokio::test]
async fn smart_routing_qualifies_the_chat_into_a_queue_and_offers_it_to_a_member() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let mut ada = available(&server, "ada").await;
    let mut bob = available(&server, "bob").await;
    let mut visitor = visitor(&server, SITE).await;

    let c = visitor.start("Hello!").await;
    // Smart routing answers before the ack: the greeting and the choice menu.
    let greeted = arrived(&mut visitor.ws);
    assert_eq!(
        visitor_texts(&greeted),
        ["Hello!", "Welcome to Acme!", "What is your request about?"]
    );
    let menu = greeted.iter().find_map(|f| match f {
        VisitorFrame::Event(Logged {
            event: VisitorEvent::Message { choices, .. },
            ..
        }) if !choices.is_empty() => Some(choices.clone()),
        _ => None,
    });
    let labels: Vec<String> = menu.unwrap().into_iter().map(|o| o.label).collect();
    assert_eq!(labels, ["An invoice", "A new order"]);

    visitor.say(c, "An invoice").await;
    visitor_event(&mut visitor.ws, c, |e| {
        matches!(e, VisitorEvent::Queued).then_some(())
    })
    .await;
    let offer = offer(&mut ada.ws, c).await;
    assert_eq!(offer.agent.id, ada.id());
    assert_eq!(offer.kind, RoutingKind::Smart);
    assert_eq!(offer.queue.as_ref().unwrap().label, "Billing");
    assert_eq!(offer.phase, OfferPhase::Ringing);
    assert_eq!(offer.visitor.locale.as_deref(), Some("fr-FR"));
    assert!(!offer.returning && offer.transfer.is_none());
    // Bob answers Sales only: the billing chat never rings him.
    assert!(offers(&bob.settle().await).is_empty());
    server.stop().await;
}

#[tokio::test]
async fn a_declined_offer_goes_to_another_member() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let mut cy = available(&server, "cy").await;
    let visitor = visitor(&server, &site(SUPPORT)).await;
    let c = visitor.start("Help, please.").await;
    offer(&mut cy.ws, c).await;
    let mut dee = available(&server, "dee").await;

    let ack = cy.ws.decline(c).await.unwrap();
    let cy_id = cy.id();
    let (reason, _) = agent_event(&mut cy.ws, c, |e| match e {
        AgentEvent::OfferEnded { agent, reason } if agent.id == cy_id => Some(*reason),
        _ => None,
    })
    .await;
    assert_eq!(reason, OfferEnd::Declined);
    assert!(ack.seq.is_some(), "the decline is logged");
    let offer = offer(&mut dee.ws, c).await;
    assert_eq!(offer.agent.id, dee.id());
    dee.ws.accept(c).await.unwrap();
    assert_eq!(
        cy.ws.accept(c).await.unwrap_err().code(),
        Some(ErrorCode::NotOffered)
    );
    server.stop().await;
}

#[tokio::test]
async fn an_offer_that_rings_out_goes_to_another_member_and_sets_the_agent_away() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let mut cy = available(&server, "cy").await;
    let visitor = visitor(&server, &site(HOTLINE)).await;
    let c = visitor.start("Anyone?").await;
    let rang = offer(&mut cy.ws, c).await;
    assert_eq!(rang.phase, OfferPhase::Ringing);
    let mut dee = available(&server, "dee").await;

    // Nobody touches it: the hotline's offers ring for one second.
    let (reason, _) = agent_event(&mut cy.ws, c, |e| match e {
        AgentEvent::OfferEnded { reason, .. } => Some(*reason),
        _ => None,
    })
    .await;
    assert_eq!(reason, OfferEnd::TimedOut);
    let (presence, _) = until(&mut cy.ws, |f| match f {
        AgentFrame::Presence { presence, .. } => Some(*presence),
        _ => None,
    })
    .await;
    assert_eq!(presence, Presence::Away);
    assert_eq!(offer(&mut dee.ws, c).await.agent.id, dee.id());
    server.stop().await;
}

#[tokio::test]
async fn an_agent_whose_profile_auto_accepts_gets_the_chat_after_the_countdown() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let mut otto = available(&server, "otto").await;
    assert!(otto.welcome.agent.auto_accept);
    let mut visitor = visitor(&server, &site(INSTANT)).await;
    let c = visitor.start("Quick question.").await;

    let offer = offer(&mut otto.ws, c).await;
    assert_eq!(offer.phase, OfferPhase::AutoAccept);
    // Otto does nothing.
    let otto_id = otto.id();
    let (by, _) = agent_event(&mut otto.ws, c, |e| match e {
        AgentEvent::Assigned { agent, by } if agent.id == otto_id => Some(*by),
        _ => None,
    })
    .await;
    assert_eq!(by, AssignedBy::AutoAccepted);
    let (name, _) = visitor_event(&mut visitor.ws, c, |e| match e {
        VisitorEvent::AgentJoined { name } => Some(name.clone()),
        _ => None,
    })
    .await;
    assert_eq!(name, "Otto");
    server.stop().await;
}

#[tokio::test]
async fn an_agent_whose_profile_previews_sees_the_chat_in_preview_before_it_rings() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let mut pia = available(&server, "pia").await;
    let visitor = visitor(&server, &site(PREVIEW)).await;
    let c = visitor.start("Hi there.").await;

    let offer = offer(&mut pia.ws, c).await;
    assert_eq!(offer.phase, OfferPhase::Preview);
    let (phase, _) = agent_event(&mut pia.ws, c, |e| match e {
        AgentEvent::OfferPhaseChanged { phase, .. } => Some(*phase),
        _ => None,
    })
    .await;
    assert_eq!(phase, OfferPhase::Ringing);
    pia.ws.accept(c).await.unwrap();
    let (by, _) = agent_event(&mut pia.ws, c, |e| match e {
        AgentEvent::Assigned { by, .. } => Some(*by),
        _ => None,
    })
    .await;
    assert_eq!(by, AssignedBy::Accepted);
    server.stop().await;
}

#[tokio::test]
async fn of_two_agents_picking_the_same_chat_exactly_one_gets_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    // Away: nobody is offered anything, the chats wait in "Messages pending".
    let cy = agent(&server, "cy").await;
    let dee = agent(&server, "dee").await;
    cy.ws.set_presence(Presence::Away).await.unwrap();
    dee.ws.set_presence(Presence::Away).await.unwrap();

    for round in 0..3 {
        let mut visitor = visitor(&server, &site(SUPPORT)).await;
        let c = visitor.start(&format!("Chat {round}")).await;
        let (cy_pick, dee_pick) = tokio::join!(cy.ws.pick(c), dee.ws.pick(c));
        let (winner, loser) = match (&cy_pick, &dee_pick) {
            (Ok(_), Err(e)) => ("Cy", e),
            (Err(e), Ok(_)) => ("Dee", e),
            other => panic!("exactly one pick wins: {other:?}"),
        };
        assert_eq!(loser.code(), Some(ErrorCode::NotPending), "{loser}");
        let (name, _) = visitor_event(&mut visitor.ws, c, |e| match e {
            VisitorEvent::AgentJoined { name } => Some(name.clone()),
            _ => None,
        })
        .await;
        assert_eq!(name, winner);
    }
    server.stop().await;
}

#[tokio::test]
async fn an_agent_is_never_offered_more_chats_than_their_capacity() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir).await;
    let mut max = available(&server, "max").await;
    assert_eq!(max.welcome.agent.capacity, 1);
    let first = visitor(&server, &site(SUPPORT)).await;
    let c1 = first.start("First!").await;
    offer(&mut max.ws, c1).await;

    // The ringing offer fills Max's only place: the second chat waits.
    let mut second = visitor(&server, &site(SUPPORT)).await;
    let c2 = second.start("Second!").await;
    let queued = arrived(&mut second.ws);
    assert!(
        queued.iter().any(|f| matches!(
            f,
            VisitorFrame::Event(Logged {
                event: VisitorEvent::Queued,
                ..
            })
        )),
        "{queued:?}"
    );
    let refused = max.ws.pick(c2).await.unwrap_err();
    assert_eq!(refused.code(), Some(ErrorCode::AtCapacity));
    max.ws.accept(c1).await.unwrap();
    let seen = max.settle().await;
    assert!(
        offers(&seen).iter().all(|o| o.conversation != c2),
        "no offer beyond capacity: {seen:?}"
    );

    // Once the first chat is over, the second one rings.
    max.ws.archive(c1).await.unwrap();
    max.ws.complete_wrap_up(c1, None).await.unwrap();
    assert_eq!(offer(&mut max.ws, c2).await.agent.id, max.id());
    server.stop().await;
}
