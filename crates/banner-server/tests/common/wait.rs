//! Waiting for frames: every wait has a generous deadline and fails with what
//! it saw, so a slow machine slows a test down instead of failing it, and a
//! missing frame fails it with a readable message. Nothing here sleeps.

use std::time::Duration;

use banner_client::{
    AgentConnection, ClientError, Connection, Link, PendingAck, Side, VisitorConnection,
};
use banner_proto::*;

/// How long a test waits for a frame before failing.
pub const WAIT: Duration = Duration::from_secs(15);

/// Reads frames until `pick` picks one; returns it and every frame read,
/// the picked one last.
pub async fn until<S: Side, T>(
    ws: &mut Connection<S>,
    mut pick: impl FnMut(&S::Frame) -> Option<T>,
) -> (T, Vec<S::Frame>) {
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let frame = match tokio::time::timeout_at(deadline, ws.next()).await {
            Ok(Some(frame)) => frame,
            Ok(None) => panic!("the connection closed; frames so far: {seen:#?}"),
            Err(_) => panic!("no such frame within {WAIT:?}; frames so far: {seen:#?}"),
        };
        let picked = pick(&frame);
        seen.push(frame);
        if let Some(picked) = picked {
            return (picked, seen);
        }
    }
}

/// The answer to a submitted command.
pub async fn answer(pending: PendingAck) -> Result<Ack, ClientError> {
    let id = pending.id().clone();
    tokio::time::timeout(WAIT, pending)
        .await
        .unwrap_or_else(|_| panic!("no answer to {id:?} within {WAIT:?}"))
}

/// Waits until the connection noticed its socket dropped.
pub async fn noticed_drop<S: Side>(ws: &Connection<S>) {
    tokio::time::timeout(WAIT, ws.wait_link(|l| l != Link::Up))
        .await
        .expect("the client notices the drop");
}

/// The frames that have already arrived.
pub fn arrived<S: Side>(ws: &mut Connection<S>) -> Vec<S::Frame> {
    std::iter::from_fn(|| ws.try_next()).collect()
}

/// Waits for an event of `c` that `pick` picks, on an agent's socket.
pub async fn agent_event<T>(
    ws: &mut AgentConnection,
    c: ConversationId,
    mut pick: impl FnMut(&AgentEvent) -> Option<T>,
) -> (T, Vec<AgentFrame>) {
    until(ws, |f| match f {
        AgentFrame::Event(l) if l.conversation == c => pick(&l.event),
        _ => None,
    })
    .await
}

/// Waits for an event of `c` that `pick` picks, on a visitor's socket.
pub async fn visitor_event<T>(
    ws: &mut VisitorConnection,
    c: ConversationId,
    mut pick: impl FnMut(&VisitorEvent) -> Option<T>,
) -> (T, Vec<VisitorFrame>) {
    until(ws, |f| match f {
        VisitorFrame::Event(l) if l.conversation == c => pick(&l.event),
        _ => None,
    })
    .await
}

/// Waits for the offer of `c` ringing this agent.
pub async fn offer(ws: &mut AgentConnection, c: ConversationId) -> Offer {
    agent_event(ws, c, |e| match e {
        AgentEvent::Offer(o) => Some(o.clone()),
        _ => None,
    })
    .await
    .0
}

/// Waits for a message with this text in `c`, on an agent's socket.
pub async fn agent_text(
    ws: &mut AgentConnection,
    c: ConversationId,
    text: &str,
) -> Vec<AgentFrame> {
    agent_event(ws, c, |e| {
        matches!(e, AgentEvent::Message { text: t, .. } if t == text).then_some(())
    })
    .await
    .1
}

/// Waits for a message with this text in `c`, on a visitor's socket.
pub async fn visitor_text(
    ws: &mut VisitorConnection,
    c: ConversationId,
    text: &str,
) -> Vec<VisitorFrame> {
    visitor_event(ws, c, |e| {
        matches!(e, VisitorEvent::Message { text: t, .. } if t == text).then_some(())
    })
    .await
    .1
}

/// The events of `c` among agent frames.
pub fn agent_events(frames: &[AgentFrame], c: ConversationId) -> Vec<&Logged<AgentEvent>> {
    frames
        .iter()
        .filter_map(|f| match f {
            AgentFrame::Event(l) if l.conversation == c => Some(l),
            _ => None,
        })
        .collect()
}

/// The events of `c` among visitor frames.
pub fn visitor_events(frames: &[VisitorFrame], c: ConversationId) -> Vec<&Logged<VisitorEvent>> {
    frames
        .iter()
        .filter_map(|f| match f {
            VisitorFrame::Event(l) if l.conversation == c => Some(l),
            _ => None,
        })
        .collect()
}

/// The message texts among agent frames.
pub fn agent_texts(frames: &[AgentFrame]) -> Vec<String> {
    frames
        .iter()
        .filter_map(|f| match f {
            AgentFrame::Event(Logged {
                event: AgentEvent::Message { text, .. },
                ..
            }) => Some(text.clone()),
            _ => None,
        })
        .collect()
}

/// The message texts among visitor frames.
pub fn visitor_texts(frames: &[VisitorFrame]) -> Vec<String> {
    frames
        .iter()
        .filter_map(|f| match f {
            VisitorFrame::Event(Logged {
                event: VisitorEvent::Message { text, .. },
                ..
            }) => Some(text.clone()),
            _ => None,
        })
        .collect()
}

/// The offers (of any conversation) among agent frames.
pub fn offers(frames: &[AgentFrame]) -> Vec<&Offer> {
    frames
        .iter()
        .filter_map(|f| match f {
            AgentFrame::Event(Logged {
                event: AgentEvent::Offer(o),
                ..
            }) => Some(o),
            _ => None,
        })
        .collect()
}
