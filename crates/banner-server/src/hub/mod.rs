//! The hub: the one task that owns banner-core's [`Engine`] — no locks around
//! routing. Sockets and handlers send it [`Request`]s over an mpsc with oneshot
//! replies; it applies each input with the time of day, drains the engine's
//! outputs into a [`Batch`], and hands the batch to the committer. Only when
//! the store says the batch is durable does the hub fan it out and acknowledge
//! the command. Between inputs it sleeps until `poll_timeout()` and then calls
//! `handle_timeout(now)`.
//!
//! If a commit fails, the engine has moved past the log: the hub stops (and the
//! server with it) so that a restart rebuilds the engine from the log, which is
//! the truth (`recover`).
//!
//! Layout: [`request`] (what is asked), `apply` (commands into the engine),
//! [`record`] (outputs into batches), `commit` (the committer task),
//! `deliver` (fan-out and answers after the commit), `handle` (how
//! sockets and handlers ask),
//! [`fanout`] (channels), `commands` (idempotency; in a `sharded` map, so it
//! never grows all at once), `recover` (restart),
//! `notifications` (each agent's switches, kept in the store), `ledger`
//! (marks and summaries the engine does not keep), `live` (typing, receipts,
//! logout), `held` (receipts held a moment: a delivered one a read may make
//! needless, a reader's reads gathered into one), `views` (pool, supervision, details, directory), `subscribers`
//! (who follows the pool and supervision views), `sweep` (trimming the command
//! table), `sockets` (sockets opening and closing) and `uploads` (who may
//! upload a file where).

mod apply;
mod commands;
mod commit;
mod deliver;
pub mod fanout;
mod handle;
mod held;
mod ledger;
mod live;
mod notifications;
pub mod record;
mod recover;
pub mod request;
mod sharded;
mod sockets;
mod subscribers;
mod sweep;
mod uploads;
mod views;

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use banner_core::{self as core, AgentId, ConversationId, Engine};
use banner_proto::{self as proto, ErrorCode};
use banner_store::{Store, StoreError};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::alarm::Alarm;
use crate::clock;
use crate::floor::Floor;
use crate::wire::{self, event::Names};
use commands::Commands;
use commit::Committed;
use deliver::answer;
use fanout::Fanout;
pub use handle::HubHandle;
pub(crate) use handle::gone;
pub use held::ReceiptHolds;
use ledger::Ledger;
use record::Batch;
pub use request::{AgentAction, Refusal, Request, VisitorAction, VisitorCtx};
use subscribers::Subscribers;

/// Ended conversations the hub still remembers (their visitor, owner, end);
/// older ones are only in the store.
const ENDED_KEPT: usize = 50_000;

/// How many requests may wait for the hub before senders wait too.
const QUEUE: usize = 4096;

/// Why the hub stopped.
#[derive(Debug, thiserror::Error)]
pub enum HubError {
    /// A commit failed; restart to rebuild from the log.
    #[error("the store failed to commit: {0}")]
    Store(#[from] StoreError),
    /// The floor could not be built into an engine.
    #[error("the routing configuration is invalid: {0}")]
    Config(#[from] core::ConfigError),
    /// The log could not be read back at start.
    #[error("cannot rebuild from the log: {0}")]
    Recover(String),
}

/// The hub's state. See the module docs.
pub(crate) struct Hub<S: Store> {
    store: Arc<S>,
    engine: Engine,
    floor: Arc<Floor>,
    /// What the widget said about each conversation's visitor.
    visitors: HashMap<ConversationId, proto::VisitorInfo>,
    /// Each conversation's visitor id.
    owners: HashMap<ConversationId, String>,
    /// Each visitor's latest conversation.
    current: HashMap<String, ConversationId>,
    /// Conversations over for good (forgotten by the engine).
    ended: HashSet<ConversationId>,
    /// The same, oldest first: past [`ENDED_KEPT`] the oldest leave every map
    /// above, so memory does not grow with the server's age. The store still
    /// knows them; the HTTP endpoints ask it.
    retired: VecDeque<ConversationId>,
    /// Open visitor sockets per conversation.
    visitor_sockets: HashMap<ConversationId, u32>,
    /// Open sockets per agent.
    agent_sockets: HashMap<AgentId, u32>,
    /// Agents' notification switches as changed since start.
    notifications: HashMap<AgentId, core::NotificationSettings>,
    commands: Commands,
    fanout: Fanout,
    ledger: Ledger,
    subscribers: Subscribers,
    /// Delivered receipts waiting to be logged or made needless by a read.
    held_delivered: held::HeldReceipts,
    /// Read receipts waiting to be logged with the commands they answer.
    held_reads: held::HeldReceipts,
    /// Settings changed by the input being applied, for its batch.
    pending_settings: Vec<(String, String)>,
    /// Conversations opened by the input being applied, for its batch.
    pending_conversations: Vec<(banner_store::ConversationId, banner_store::NewConversation)>,
    /// The id the next conversation gets. The hub numbers conversations
    /// itself so that opening one never waits for the store: the row is
    /// written in the group commit with the first events. At start it is past
    /// every id the store ever gave; an id used only in memory before a crash
    /// (never acknowledged, never fanned out) may be given again.
    next_conversation: u64,
    batches: Option<mpsc::UnboundedSender<Batch>>,
    last_now: u64,
}

/// Rebuilds the engine from the store and starts the hub and its committer.
pub async fn start<S: Store>(
    store: Arc<S>,
    floor: Arc<Floor>,
    holds: ReceiptHolds,
) -> Result<(HubHandle, JoinHandle<Result<(), HubError>>), HubError> {
    let engine = Engine::new(floor.config.clone())?;
    let (batches_tx, batches_rx) = mpsc::unbounded_channel();
    let (done_tx, done_rx) = mpsc::unbounded_channel();
    let mut hub = Hub {
        store: Arc::clone(&store),
        engine,
        floor,
        visitors: HashMap::new(),
        owners: HashMap::new(),
        current: HashMap::new(),
        ended: HashSet::new(),
        retired: VecDeque::new(),
        visitor_sockets: HashMap::new(),
        agent_sockets: HashMap::new(),
        notifications: HashMap::new(),
        commands: Commands::default(),
        fanout: Fanout::default(),
        ledger: Ledger::default(),
        subscribers: Subscribers::default(),
        held_delivered: held::HeldReceipts::new(holds.delivered),
        held_reads: held::HeldReceipts::new(holds.read),
        pending_settings: Vec::new(),
        pending_conversations: Vec::new(),
        next_conversation: 1,
        batches: Some(batches_tx),
        last_now: 0,
    };
    hub.load_notifications().await?;
    hub.recover().await?;
    let next = store.next_conversation_id().await?.0;
    hub.next_conversation = u64::try_from(next).unwrap_or(1).max(1);
    tokio::spawn(commit::run(store, batches_rx, done_tx));
    let (tx, rx) = mpsc::channel(QUEUE);
    let task = tokio::spawn(hub.run(rx, done_rx));
    Ok((HubHandle { tx }, task))
}

impl<S: Store> Hub<S> {
    async fn run(
        mut self,
        mut requests: mpsc::Receiver<Request>,
        mut done: mpsc::UnboundedReceiver<Committed>,
    ) -> Result<(), HubError> {
        let mut sweeps =
            tokio::time::interval_at(Instant::now() + sweep::SWEEP_EVERY, sweep::SWEEP_EVERY);
        // The engine's next deadline (Unix ms) and its alarm; the hub's other
        // two alarms are set from `Instant`s it keeps. Each moves only when
        // its deadline does (`alarm.rs`).
        let mut engine_deadline = None;
        let mut engine_alarm = Alarm::new();
        let mut held_alarm = Alarm::new();
        let mut views_alarm = Alarm::new();
        loop {
            let deadline = self.engine.poll_timeout().map(|d| d.as_millis());
            if deadline != engine_deadline {
                engine_deadline = deadline;
                engine_alarm.set(deadline.map(|ms| {
                    let wait = ms.saturating_sub(clock::now_millis());
                    Instant::now() + Duration::from_millis(wait)
                }));
            }
            let held_due = [self.held_delivered.next_due(), self.held_reads.next_due()]
                .into_iter()
                .flatten()
                .min();
            held_alarm.set(held_due);
            views_alarm.set(self.views_due());
            tokio::select! {
                biased;
                committed = done.recv() => match committed {
                    Some(committed) => self.committed(committed)?,
                    None => break,
                },
                _ = sweeps.tick() => self.sweep(),
                request = requests.recv() => match request {
                    Some(request) => {
                        self.request(request);
                        // Requests come first; a queue that never empties
                        // must not put held receipts (and reads' answers)
                        // off for ever.
                        if held_due.is_some_and(|due| due <= Instant::now()) {
                            self.log_held(Some(Instant::now()));
                        }
                    }
                    None => break,
                },
                () = engine_alarm.ring(), if engine_alarm.is_set() => {
                    // The alarm is unset now; the next turn sets it from
                    // the engine's next deadline, even the same one (the
                    // wall clock a millisecond behind the timer).
                    engine_deadline = None;
                    self.timeout();
                }
                () = held_alarm.ring(), if held_alarm.is_set() => {
                    self.log_held(Some(Instant::now()));
                }
                () = views_alarm.ring(), if views_alarm.is_set() => self.refresh_views_now(),
            }
        }
        // Every handle is gone: log what is held, then let the committer
        // finish what is queued.
        self.log_held(None);
        self.batches = None;
        while let Some(committed) = done.recv().await {
            self.committed(committed)?;
        }
        Ok(())
    }

    /// Now, never before the previous input's now.
    fn now(&mut self) -> u64 {
        self.last_now = clock::now_millis().max(self.last_now);
        self.last_now
    }

    fn names(&self) -> Names<'_> {
        Names {
            floor: &self.floor,
            visitors: &self.visitors,
        }
    }

    fn timeout(&mut self) {
        let deadline = self.engine.poll_timeout().map_or(0, |t| t.as_millis());
        // The sleep ended at the deadline; a clock a millisecond behind must not
        // leave the timer armed and the loop spinning.
        let now = self.now().max(deadline);
        self.last_now = now;
        self.engine.handle_timeout(core::Time::from_millis(now));
        let mut batch = Batch::new(now, None);
        self.drain(&mut batch);
        self.send(batch);
    }

    /// Moves everything the engine emitted into `batch`.
    fn drain(&mut self, batch: &mut Batch) {
        let mut ended = Vec::new();
        while let Some(event) = self.engine.poll_event() {
            if let core::Event::PresenceChanged { agent, presence } = &event {
                batch
                    .presence
                    .push((*agent, wire::presence_to_proto(*presence)));
                continue;
            }
            if let core::Event::ConversationEnded { conversation } = &event {
                ended.push(*conversation);
            }
            if let Some((c, wire)) = self.names().event(&event, batch.at) {
                if live::ends_a_part(&wire) {
                    self.log_held_reads_of(c, batch.at);
                }
                batch.push(c, wire);
            }
        }
        while let Some(n) = self.engine.poll_notification() {
            batch.notifications.push(n);
        }
        batch.settings.append(&mut self.pending_settings);
        batch.conversations.append(&mut self.pending_conversations);
        for c in ended {
            self.drop_held_delivered(c);
            // The store keeps its history; the engine keeps only live chats.
            let _ = self.engine.forget(c);
            self.ended.insert(c);
            self.retired.push_back(c);
            self.visitor_sockets.remove(&c);
        }
        while self.retired.len() > ENDED_KEPT {
            let Some(old) = self.retired.pop_front() else {
                break;
            };
            self.ended.remove(&old);
            self.visitors.remove(&old);
            if let Some(visitor) = self.owners.remove(&old)
                && self.current.get(&visitor) == Some(&old)
            {
                self.current.remove(&visitor);
            }
        }
    }

    fn send(&mut self, batch: Batch) {
        if batch.is_empty() {
            return;
        }
        if let Some(tx) = &self.batches
            && let Err(mpsc::error::SendError(batch)) = tx.send(batch)
        {
            answer(
                batch.waiting,
                Err(Refusal::new(
                    ErrorCode::ServiceUnavailable,
                    "The server is stopping.",
                )),
            );
        }
    }

    fn request(&mut self, request: Request) {
        match request {
            Request::Agent { agent, command } => self.agent_command(agent, command),
            Request::Visitor { visitor, command } => self.visitor_command(visitor, command),
            Request::Watch {
                conversation,
                reply,
            } => {
                let _ = reply.send(self.fanout.watch(conversation));
            }
            Request::Follow { agent, reply } => {
                let _ = reply.send(self.fanout.follow(agent));
            }
            Request::Profile { agent, reply } => {
                let _ = reply.send(self.profile(agent));
            }
            Request::CanView {
                agent,
                conversation,
                reply,
            } => {
                let _ = reply.send(self.engine.can_view(agent, conversation));
            }
            Request::MayUpload {
                who,
                conversation,
                reply,
            } => {
                let _ = reply.send(self.may_upload(&who, conversation));
            }
            Request::Owns {
                visitor_id,
                conversation,
                reply,
            } => {
                let owns = self.owners.get(&conversation) == Some(&visitor_id);
                let _ = reply.send(owns);
            }
            Request::Current { visitor, reply } => {
                let current = match &visitor.customer {
                    Some(customer) => self.engine.customer_conversation(&customer.id),
                    None => self
                        .current
                        .get(&visitor.visitor_id)
                        .copied()
                        .filter(|c| !self.ended.contains(c)),
                };
                let _ = reply.send(current);
            }
            Request::VisitorSockets {
                conversations,
                opened,
            } => self.visitor_sockets(&conversations, opened),
            Request::AgentSockets { agent, opened } => self.agent_sockets(agent, opened),
            Request::Pool { agent, reply } => {
                let at = self.now();
                let _ = reply.send(self.pool(agent, at));
            }
            Request::Supervision { agent, reply } => {
                let view = if self.allows(agent, core::Permission::Monitor) {
                    let at = self.now();
                    Ok(self.supervision(at))
                } else {
                    Err(Refusal::new(
                        ErrorCode::Forbidden,
                        "Supervision needs the monitor permission.",
                    ))
                };
                let _ = reply.send(view);
            }
            Request::Details {
                agent,
                conversation,
                reply,
            } => {
                let _ = reply.send(self.details(agent, conversation));
            }
            Request::Directory { reply } => {
                let _ = reply.send(self.directory());
            }
            Request::Allows {
                agent,
                permission,
                reply,
            } => {
                let _ = reply.send(self.allows(agent, permission));
            }
            Request::Subscribe {
                agent,
                topic,
                on,
                reply,
            } => {
                let _ = reply.send(self.subscribe(agent, topic, on));
            }
            Request::Typing(typing) => self.typing(typing),
            Request::Delivered {
                conversation,
                by,
                seq,
            } => self.delivered(conversation, &by, seq),
            Request::Logout {
                agent,
                session,
                reply,
            } => {
                let _ = reply.send(self.logout(agent, session));
            }
        }
    }

    fn profile(&self, agent: AgentId) -> Option<proto::AgentProfile> {
        let mut config = self
            .floor
            .config
            .agents
            .iter()
            .find(|a| a.id == agent)?
            .clone();
        if let Some(settings) = self.notifications.get(&agent) {
            config.notifications = *settings;
        }
        let presence = self.engine.agent(agent)?.presence;
        Some(wire::profile::agent_profile(
            &self.names(),
            &config,
            presence,
        ))
    }
}
