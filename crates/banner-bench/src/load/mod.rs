//! The load generator: `agents` agents and `visitors` visitors, each on its
//! own banner-client WebSocket, run real chats. Every visitor opens a chat
//! (routed to the `load` queue, offered, accepted), then once every chat is
//! up they all write `messages` messages each; the agent holding the chat
//! answers each one, with a typing indicator and a read receipt, and the
//! visitor reads the answers. Both read as the widget and the agents' app
//! do: one `read` of a conversation in flight, the next covering whatever
//! was shown meanwhile (`reads`).
//!
//! Pacing: with `interval` each visitor writes every `interval` (open loop:
//! a fixed offered load, for latency); without it, a visitor writes its next
//! message when the answer to the last one arrives (closed loop: as fast as
//! the server goes, for throughput). In the open loop the visitors' clocks
//! are spread evenly over one interval ([`first_tick`]): started together,
//! all of them wrote in the same instant every interval, and the latency
//! measured was that burst's queue (the bare relay's p99 at 5,000 msg/s was
//! 33–41 ms), not the path's.
//!
//! Each message carries the microseconds since the run's start at which it
//! was sent; the receiver (in this process) takes the difference: the
//! visitor→agent latency is the time from `send_message` to the agent's
//! socket delivering the event (committed, routed, fanned out). Every acked
//! visitor message is recorded (conversation, `seq`, command id) for the
//! crash proof.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use anyhow::Context;
use banner_client::connection::{agent_command, visitor_command};
use banner_client::{
    AgentClient, AgentConnection, ConnectOptions, VisitorClient, VisitorConnection,
};
use banner_proto::{
    AgentEvent, AgentFrame, Author, ConversationId, Presence, VisitorAuthor, VisitorEvent,
    VisitorFrame, VisitorSessionRequest,
};
use tokio::sync::{Barrier, watch};

use crate::server::{PASSWORD, SITE, agent_name};

pub mod pooled;
mod reads;
mod shared;

use reads::{AgentReads, Reads};
pub(crate) use shared::{Shared, lock};

/// How a run is shaped.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// Visitors, each with one chat.
    pub visitors: usize,
    /// Agents (the floor must have at least this many, with room for every chat).
    pub agents: usize,
    /// Messages each visitor writes.
    pub messages: usize,
    /// Open loop: one message per visitor every `interval`; `None`: closed loop.
    pub interval: Option<Duration>,
    /// The most a run may take once the chats are up.
    pub deadline: Duration,
    /// The agents' sockets follow their pool, as the desktop app's do.
    pub subscribe_pool: bool,
}

/// A visitor message the server acknowledged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AckedMessage {
    /// Its conversation.
    pub conversation: ConversationId,
    /// Its `seq` in the conversation's log.
    pub seq: u64,
    /// The command id it was sent with.
    pub client_id: String,
}

/// An agent's `read` the server acknowledged: the crash proof checks that
/// the store keeps what its `ack` promised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AckedRead {
    /// Its conversation.
    pub conversation: ConversationId,
    /// The `seq` of the receipt that records it, or `None` when it read
    /// nothing new (the reader had read that far already).
    pub seq: Option<u64>,
    /// How far it read.
    pub up_to: u64,
    /// The reader.
    pub agent: banner_proto::AgentId,
    /// The command id it was sent with.
    pub client_id: String,
}

/// What a run measured.
#[derive(Debug, Default)]
pub struct LoadReport {
    /// Messages delivered, both ways, during the measured window.
    pub delivered: u64,
    /// The measured window: from every chat being up to the last answer.
    pub elapsed: Duration,
    /// Visitor→agent latencies, µs.
    pub to_agent_us: Vec<u64>,
    /// When each of those messages was sent, µs after `epoch_unix_us`:
    /// what tells a burst of slow messages from slow messages spread out.
    pub to_agent_sent_us: Vec<u64>,
    /// The run's clock start, µs since the Unix epoch, to line the samples
    /// up with a server's log or a profile.
    pub epoch_unix_us: u64,
    /// Agent→visitor latencies, µs.
    pub to_visitor_us: Vec<u64>,
    /// Commands refused or lost.
    pub errors: u64,
    /// The errors by command and cause ("accept: not_offered"), counted;
    /// they add up to `errors`.
    pub error_causes: Vec<(String, u64)>,
    /// The acknowledged visitor messages.
    pub acked: Vec<AckedMessage>,
    /// Messages delivered per second.
    pub per_sec: f64,
}

/// How long the commands still unanswered at the end may take: a visitor's
/// read receipts before it closes its socket, everyone's before the agents'
/// sockets close.
const SETTLE: Duration = Duration::from_secs(10);

/// Runs the load against the server (or relay) at `base`; `window` is called
/// once when every chat is up and once when every visitor is done, its
/// reads answered too (to sample the server's CPU, which logging the last
/// held reads is part of). The report's `elapsed` ends at the last answer.
pub async fn run(
    base: &str,
    options: &LoadOptions,
    mut window: impl FnMut(),
) -> anyhow::Result<LoadReport> {
    let shared = Shared::new(Arc::default(), None);
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut agents = Vec::new();
    for n in 0..options.agents {
        agents.push(start_agent(base, n, options.subscribe_pool, &shared, &stop_rx).await?);
    }
    let ready = Arc::new(Barrier::new(options.visitors + 1));
    let mut visitors = Vec::new();
    for n in 0..options.visitors {
        let (base, options) = (base.to_owned(), options.clone());
        let (shared, ready) = (Arc::clone(&shared), Arc::clone(&ready));
        visitors.push(tokio::spawn(async move {
            visitor_loop(&base, n, &options, &shared, &ready).await
        }));
    }
    ready.wait().await;
    let start = Instant::now();
    shared.delivered.store(0, Ordering::Relaxed);
    window();
    let mut failed = None;
    let mut last_answer = start;
    for visitor in visitors {
        match visitor.await {
            Ok(Ok(at)) => last_answer = last_answer.max(at),
            Ok(Err(e)) => failed = Some(e),
            Err(e) => failed = Some(e.into()),
        }
    }
    // Up to the last answer: the visitors' wait for their reads' answers
    // after it (which the server may hold a moment, `read_receipt_hold_ms`)
    // is not part of the chats' pace.
    let elapsed = last_answer - start;
    window();
    // The last answer reaches its visitor in the same step as the agent's
    // `ack` for it: closing the agents' sockets at once used to drop that
    // `ack` and count the command as lost (`load.errors` = 1). Wait for the
    // answers first; one still missing after the grace period is an error.
    let settled = tokio::time::Instant::now() + SETTLE;
    while shared.unanswered.load(Ordering::Relaxed) > 0 && tokio::time::Instant::now() < settled {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let _ = stop_tx.send(true);
    for agent in agents {
        let _ = agent.await;
    }
    if let Some(e) = failed {
        return Err(e.context("a visitor failed"));
    }
    let delivered = shared.delivered.load(Ordering::Relaxed);
    let causes: Vec<(String, u64)> = std::mem::take(&mut *lock(&shared.causes))
        .into_iter()
        .collect();
    let (to_agent_sent_us, to_agent_us) = std::mem::take(&mut *lock(&shared.to_agent))
        .into_iter()
        .unzip();
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .saturating_sub(shared.epoch.elapsed());
    Ok(LoadReport {
        delivered,
        elapsed,
        per_sec: delivered as f64 / elapsed.as_secs_f64().max(1e-9),
        to_agent_us,
        to_agent_sent_us,
        epoch_unix_us: u64::try_from(since_epoch.as_micros()).unwrap_or(u64::MAX),
        to_visitor_us: std::mem::take(&mut *lock(&shared.to_visitor)),
        errors: causes.iter().map(|(_, n)| n).sum(),
        error_causes: causes,
        acked: std::mem::take(&mut *lock(&shared.acked)),
    })
}

/// Logs agent `n` in, makes them available (following their pool if
/// `subscribe_pool`) and starts their loop.
pub(crate) async fn start_agent(
    base: &str,
    n: usize,
    subscribe_pool: bool,
    shared: &Arc<Shared>,
    stop: &watch::Receiver<bool>,
) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    let client = AgentClient::login(base, &agent_name(n), PASSWORD)
        .await
        .with_context(|| format!("login of {}", agent_name(n)))?;
    let (ws, welcome) = client.connect(ConnectOptions::default()).await?;
    ws.set_presence(Presence::Available).await?;
    if subscribe_pool {
        ws.subscribe_pool().await?;
    }
    let me = welcome.agent.id;
    Ok(tokio::spawn(agent_loop(
        ws,
        me,
        Arc::clone(shared),
        stop.clone(),
    )))
}

/// An agent: accepts what it is offered, answers every visitor message.
async fn agent_loop(
    mut ws: AgentConnection,
    me: banner_proto::AgentId,
    shared: Arc<Shared>,
    mut stop: watch::Receiver<bool>,
) {
    let (mut reads, mut answered) = AgentReads::new(me);
    loop {
        let frame = tokio::select! {
            frame = ws.next() => frame,
            Some(c) = answered.recv() => {
                reads.answered(&ws, c, &shared);
                continue;
            }
            _ = stop.changed() => break,
        };
        let Some(AgentFrame::Event(logged)) = frame else {
            if frame.is_none() {
                break;
            }
            continue;
        };
        let c = logged.conversation;
        match logged.event {
            AgentEvent::Offer(offer) if offer.agent.id == me => {
                shared.settle("accept", ws.submit(agent_command::accept(c)));
            }
            // The chat opens, as in the app: what the visitor wrote while
            // it waited is shown, and read.
            AgentEvent::Assigned { agent, .. } if agent.id == me => {
                reads.shown(&ws, c, logged.seq, &shared);
            }
            AgentEvent::Message {
                author: Author::Visitor,
                text,
                ..
            } => {
                let Some(sample) = shared.latency(&text, "v ") else {
                    continue;
                };
                lock(&shared.to_agent).push(sample);
                shared.delivered.fetch_add(1, Ordering::Relaxed);
                if let Err(e) = ws.typing(c, true, false) {
                    shared.failed("agent typing", &e);
                }
                reads.shown(&ws, c, logged.seq, &shared);
                let reply = format!("a {}", shared.now_us());
                match agent_command::send_message(c, &reply, false, &[]) {
                    Ok(command) => shared.settle("agent message", ws.submit(command)),
                    Err(e) => shared.failed("agent message", &e),
                }
            }
            _ => {}
        }
    }
    ws.close().await;
}

/// A visitor: opens a chat, waits for an agent and for everyone else, then
/// writes its messages and reads the answers. Returns when the last answer
/// arrived.
async fn visitor_loop(
    base: &str,
    n: usize,
    options: &LoadOptions,
    shared: &Arc<Shared>,
    ready: &Barrier,
) -> anyhow::Result<Instant> {
    let opened = async {
        let client = visitor_session(base).await?;
        let (mut ws, _) = client.connect(ConnectOptions::default()).await?;
        let ack = ws.send_message(None, "hello").await?;
        let c = ack
            .conversation
            .context("the first message's ack names no conversation")?;
        loop {
            match ws.next().await {
                Some(VisitorFrame::Event(l))
                    if l.conversation == c
                        && matches!(l.event, VisitorEvent::AgentJoined { .. }) =>
                {
                    break;
                }
                Some(_) => {}
                None => anyhow::bail!("the visitor's socket closed before an agent joined"),
            }
        }
        anyhow::Ok((ws, c))
    };
    let opened = tokio::time::timeout(Duration::from_secs(120), opened).await;
    // Wait at the barrier even after a failure, so that the run never hangs.
    ready.wait().await;
    let (mut ws, c) = opened.context("no agent joined in time")??;
    let deadline = tokio::time::Instant::now() + options.deadline;
    let period = options.interval.unwrap_or(Duration::from_secs(3600));
    let now = tokio::time::Instant::now();
    let mut tick = tokio::time::interval_at(now + first_tick(period, n, options.visitors), period);
    let (mut sent, mut answered) = (0, 0);
    let mut reads = Reads::new(c);
    if options.interval.is_none() {
        send(&ws, c, shared, &mut sent);
    }
    while answered < options.messages {
        tokio::select! {
            frame = ws.next() => {
                let Some(VisitorFrame::Event(l)) = frame else {
                    if frame.is_none() {
                        anyhow::bail!("the visitor's socket closed");
                    }
                    continue;
                };
                let VisitorEvent::Message { author: VisitorAuthor::Agent { .. }, text, .. } = &l.event else {
                    continue;
                };
                let Some((_, latency)) = shared.latency(text, "a ") else { continue };
                lock(&shared.to_visitor).push(latency);
                shared.delivered.fetch_add(1, Ordering::Relaxed);
                answered += 1;
                reads.shown(&ws, l.seq, shared);
                if options.interval.is_none() && sent < options.messages {
                    send(&ws, c, shared, &mut sent);
                }
            }
            answer = reads.answer(), if reads.waiting() => reads.answered(answer, &ws, shared),
            _ = tick.tick(), if options.interval.is_some() && sent < options.messages => {
                send(&ws, c, shared, &mut sent);
            }
            () = tokio::time::sleep_until(deadline) => {
                anyhow::bail!("{answered} of {} answers within {:?}", options.messages, options.deadline);
            }
        }
    }
    let last_answer = Instant::now();
    reads.finish(&ws, shared, SETTLE).await;
    ws.close().await;
    Ok(last_answer)
}

/// A new anonymous visitor's session on the load floor's site.
pub(crate) async fn visitor_session(
    base: &str,
) -> Result<VisitorClient, banner_client::ClientError> {
    let request = VisitorSessionRequest {
        site_key: SITE.to_owned(),
        customer: None,
        direct_agent: None,
        locale: None,
    };
    VisitorClient::session(base, &request).await
}

/// How long after the start visitor `n` of `visitors` writes first in the
/// open loop: the visitors' writes spread evenly over one `period`, so that
/// the offered load arrives as a steady stream, not a burst per period.
fn first_tick(period: Duration, n: usize, visitors: usize) -> Duration {
    let visitors = u32::try_from(visitors.max(1)).unwrap_or(u32::MAX);
    let n = u32::try_from(n).unwrap_or(u32::MAX).min(visitors - 1);
    period / visitors * n
}

/// Writes the visitor's next message (after a typing indicator), recording
/// its ack.
pub(crate) fn send(
    ws: &VisitorConnection,
    c: ConversationId,
    shared: &Arc<Shared>,
    sent: &mut usize,
) {
    let _ = ws.typing(c, true);
    let text = format!("v {} {}", shared.now_us(), *sent);
    let command = match visitor_command::send_message(Some(c), &text, &[]) {
        Ok(command) => command,
        Err(e) => return shared.failed("visitor message", &e),
    };
    *sent += 1;
    let pending = match ws.submit(command) {
        Ok(pending) => pending,
        Err(e) => return shared.failed("visitor message", &e),
    };
    let shared = Arc::clone(shared);
    shared.unanswered.fetch_add(1, Ordering::Relaxed);
    tokio::spawn(async move {
        let id = pending.id().as_str().to_owned();
        match pending.await {
            Ok(ack) => lock(&shared.acked).push(AckedMessage {
                conversation: c,
                seq: ack.seq.unwrap_or(0),
                client_id: id,
            }),
            Err(e) => shared.failed("visitor message", &e),
        }
        shared.unanswered.fetch_sub(1, Ordering::Relaxed);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_open_loops_first_writes_spread_over_one_period() {
        let period = Duration::from_millis(80);
        let firsts: Vec<Duration> = (0..4).map(|n| first_tick(period, n, 4)).collect();
        assert_eq!(firsts, [0, 20, 40, 60].map(Duration::from_millis));
        // Every visitor writes within the first period, none at the same time.
        let many: Vec<Duration> = (0..200).map(|n| first_tick(period, n, 200)).collect();
        assert!(many.windows(2).all(|w| w[0] < w[1]));
        assert!(many.iter().all(|&d| d < period));
        assert_eq!(first_tick(period, 0, 0), Duration::ZERO);
    }
}
