//! Routing decisions on a busy floor: 10 queues, 1,000 agents (each in 2–3 queues,
//! capacity 2–3), 10,000 chats waiting. Target: 100,000 decisions per second on one
//! core.
//!
//! # What counts as a decision
//!
//! A routing decision is one look the router takes: a chat that entered "Messages
//! pending" looking for an agent (`dispatch_chat`), or an agent who gained room
//! looking for the best chat of their queues (`best_chat_for` in `fill_agent`) —
//! whether or not it finds one. Every iteration below makes an exact, known number
//! of them, and that number is its `ItemsCount`, so divan's items/s are decisions/s:
//!
//! - `steady_state` (2 per iteration): on the full floor an agent archives a chat
//!   and completes wrap-up; the freed slot is offered the best waiting chat (1) and
//!   accepted; a new visitor chat arrives in the queue that chat came from and
//!   finds every agent full (1). Each queue keeps its waiting chats, every agent
//!   stays full, so the floor never drifts.
//! - `chat_finds_agent` (2 per iteration): every agent has room and nothing waits.
//!   A chat arrives and is offered to the longest idle of its queue's members (1);
//!   the visitor leaves while it rings, and the freed agent looks for a waiting
//!   chat and finds none (1).
//! - `decline` (2 per iteration): an agent declines a ringing chat; it is offered
//!   to the longest idle member who has not declined it (1), and the decliner looks
//!   for a waiting chat and finds none (1). Ringing the chat beforehand is untimed.
//!
//! Those two floors give every agent capacity 1, so that an offer fills its
//! agent: the router has an agent who is offered a chat and still has room look
//! for another one at once, which would add a third, empty look to some
//! iterations and make the count inexact.
//!
//! The other calls of an iteration (accept, complete wrap-up, open, draining the
//! outputs as the shell would) are timed too but make no decision: they are the
//! price of staying in a steady state. Floors are built once per benchmark,
//! outside the timed section.
//!
//! divan prints no single figure nor tail latency, so `main` then runs the steady
//! state on its own: 200,000 decisions, each decision-making call timed with
//! `Instant`, and prints decisions/s (over the whole loop, every call included),
//! p50/p99 of those calls, and two ratios: against the target, and against the
//! same loop on a small floor (10 agents, 100 waiting) run in this process.

#![allow(clippy::print_stdout)] // a benchmark prints its figures

use std::cell::RefCell;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

use banner_core::{
    AgentConfig, AgentId, Config, ConversationId, Engine, Entry, Event, Presence, QueueConfig,
    QueueId, Time, Visitor,
};
use divan::Bencher;
use divan::counter::ItemsCount;

const QUEUES: u32 = 10;
const AGENTS: u32 = 1_000;
const WAITING: usize = 10_000;
const TARGET_PER_SEC: f64 = 100_000.0;
/// Decisions made by one turn of the steady state.
const DECISIONS_PER_TURN: u32 = 2;
/// Chats left ringing by the decline benchmark before the oldest visitors leave.
const MAX_RINGING: usize = 500;

fn main() {
    divan::main();
    // Like divan: measure only under `cargo bench`, not `cargo test --benches`.
    let args: Vec<String> = std::env::args().collect();
    let benching = args.iter().any(|a| a == "--bench");
    if benching && !args.iter().any(|a| a == "--test" || a == "--list") {
        report();
    }
}

#[divan::bench(sample_count = 500, sample_size = 200)]
fn steady_state(bencher: Bencher) {
    let mut floor = Floor::new(QUEUES, AGENTS, WAITING, Capacity::TwoOrThree);
    bencher
        .counter(ItemsCount::new(DECISIONS_PER_TURN))
        .bench_local(|| floor.turn(&mut Untimed));
}

#[divan::bench(sample_count = 500, sample_size = 200)]
fn chat_finds_agent(bencher: Bencher) {
    let mut floor = Floor::new(QUEUES, AGENTS, 0, Capacity::One);
    bencher.counter(ItemsCount::new(2u32)).bench_local(|| {
        let (_, c) = floor.ring_new_chat();
        let now = floor.tick();
        floor
            .engine
            .visitor_leave(c, now)
            .expect("a visitor may leave a ringing chat");
        floor.drain();
    });
}

#[divan::bench(sample_count = 500, sample_size = 200)]
fn decline(bencher: Bencher) {
    let floor = RefCell::new(Floor::new(QUEUES, AGENTS, 0, Capacity::One));
    let ringing = RefCell::new(VecDeque::new());
    bencher
        .counter(ItemsCount::new(2u32))
        .with_inputs(|| {
            let mut floor = floor.borrow_mut();
            let mut ringing = ringing.borrow_mut();
            if ringing.len() >= MAX_RINGING
                && let Some(old) = ringing.pop_front()
            {
                let now = floor.tick();
                floor
                    .engine
                    .visitor_leave(old, now)
                    .expect("a visitor may leave a ringing chat");
            }
            let (agent, c) = floor.ring_new_chat();
            ringing.push_back(c);
            (agent, c, floor.tick())
        })
        .bench_local_values(|(agent, c, now)| {
            let mut floor = floor.borrow_mut();
            floor
                .engine
                .decline(agent, c, now)
                .expect("the chat rings this agent");
            debug_assert!(floor.engine.offer(c).is_some_and(|o| o.agent != agent));
            floor.drain();
        });
}

/// Times the calls that make decisions, or not.
trait Stopwatch {
    fn time<R>(&mut self, call: impl FnOnce() -> R) -> R;
}

/// For divan, which times the whole iteration itself.
struct Untimed;

impl Stopwatch for Untimed {
    #[inline(always)]
    fn time<R>(&mut self, call: impl FnOnce() -> R) -> R {
        call()
    }
}

/// Every decision-making call's duration, in nanoseconds.
struct Laps(Vec<u64>);

impl Stopwatch for Laps {
    fn time<R>(&mut self, call: impl FnOnce() -> R) -> R {
        let start = Instant::now();
        let result = call();
        let nanos = start.elapsed().as_nanos();
        self.0.push(u64::try_from(nanos).unwrap_or(u64::MAX));
        result
    }
}

/// A floor of agents and queues, with what the benchmark must remember about it.
struct Floor {
    engine: Engine,
    now: Time,
    queues: u32,
    next_chat: u64,
    /// The chats each agent holds (index: agent id − 1), oldest first.
    held: Vec<VecDeque<ConversationId>>,
    /// The agent whose turn it is to archive a chat.
    next_agent: usize,
}

impl Floor {
    /// Every agent available; when `waiting` > 0, every agent full and `waiting`
    /// chats in "Messages pending", spread evenly over the queues.
    fn new(queues: u32, agents: u32, waiting: usize, capacity: Capacity) -> Self {
        let config = Config {
            queues: (0..queues)
                .map(|q| QueueConfig::new(QueueId(q), format!("queue {q}")))
                .collect(),
            agents: (0..agents).map(|i| member(i, queues, capacity)).collect(),
            ..Config::default()
        };
        let mut floor = Floor {
            engine: Engine::new(config).expect("a valid floor"),
            now: Time::ZERO,
            queues,
            next_chat: 0,
            held: vec![VecDeque::new(); agents as usize],
            next_agent: 0,
        };
        for i in 0..agents {
            let now = floor.tick();
            floor
                .engine
                .set_presence(AgentId(i + 1), Presence::Available, now)
                .expect("a known agent");
        }
        let slots: usize = (0..agents)
            .map(|i| member(i, queues, capacity).capacity as usize)
            .sum();
        let mut free = if waiting > 0 { slots } else { 0 };
        let mut queued = 0;
        let mut q = 0;
        while free > 0 || queued < waiting {
            let c = floor.arrive(QueueId(q % queues));
            q += 1;
            let offer = floor.engine.offer(c).map(|o| o.agent);
            match offer {
                Some(agent) => {
                    let now = floor.now;
                    floor.engine.accept(agent, c, now).expect("offered");
                    floor.held[agent.0 as usize - 1].push_back(c);
                    free -= 1;
                }
                None => queued += 1,
            }
            floor.drain();
        }
        floor
    }

    fn tick(&mut self) -> Time {
        self.now = self.now + Duration::from_millis(1);
        self.now
    }

    /// A new visitor writes in a chat that enters `queue`.
    fn arrive(&mut self, queue: QueueId) -> ConversationId {
        let c = self.open(queue);
        let now = self.now;
        self.engine
            .visitor_message(c, "Hello", now)
            .expect("an open chat");
        c
    }

    fn open(&mut self, queue: QueueId) -> ConversationId {
        self.next_chat += 1;
        let id = ConversationId(self.next_chat);
        let visitor = Visitor::Anonymous {
            visitor_id: format!("v{}", self.next_chat),
        };
        let now = self.tick();
        self.engine
            .open_conversation(id, visitor, Entry::Queue(queue), now)
            .expect("a new chat")
    }

    /// A chat arrives on a floor with room: it rings someone. Returns who.
    fn ring_new_chat(&mut self) -> (AgentId, ConversationId) {
        let queue = QueueId(u32::try_from(self.next_chat % u64::from(self.queues)).unwrap_or(0));
        let c = self.arrive(queue);
        let agent = self.engine.offer(c).expect("an agent has room").agent;
        self.drain();
        (agent, c)
    }

    /// One turn of the steady state: two decisions, timed by `watch`.
    fn turn(&mut self, watch: &mut impl Stopwatch) {
        let now = self.tick();
        let index = self.next_agent;
        self.next_agent = (index + 1) % self.held.len();
        let agent = AgentId(u32::try_from(index + 1).unwrap_or(u32::MAX));
        let done = self.held[index].pop_front().expect("a full agent");
        watch
            .time(|| self.engine.archive(agent, done, now))
            .expect("the agent holds the chat");
        let (offered, queue) = self.offered_to(agent);
        self.engine
            .complete_wrap_up(agent, done, None, now)
            .expect("in wrap-up");
        self.engine.accept(agent, offered, now).expect("offered");
        self.held[index].push_back(offered);
        let c = self.open(queue);
        watch
            .time(|| self.engine.visitor_message(c, "Hello", now))
            .expect("an open chat");
        debug_assert!(self.engine.offer(c).is_none(), "every agent is full");
        self.drain();
    }

    /// Drains the outputs and finds the offer made to `agent`.
    fn offered_to(&mut self, agent: AgentId) -> (ConversationId, QueueId) {
        let mut found = None;
        while let Some(event) = self.engine.poll_event() {
            if let Event::Offered { offer } = event
                && offer.agent == agent
            {
                found = offer.queue.map(|q| (offer.conversation, q));
            }
        }
        found.expect("the freed slot was offered a waiting chat")
    }

    /// Drains the outputs, as the shell does after every input.
    fn drain(&mut self) {
        while self.engine.poll_event().is_some() {}
        while self.engine.poll_notification().is_some() {}
    }

    fn waiting(&self) -> usize {
        (0..self.queues)
            .filter_map(|q| self.engine.queue_stats(QueueId(q)))
            .map(|s| s.waiting)
            .sum()
    }
}

/// How many chats each agent of a floor takes at once.
#[derive(Clone, Copy)]
enum Capacity {
    /// Two, or three for every third agent.
    TwoOrThree,
    One,
}

/// Agent `i` of the floor: in 2 or 3 neighbouring queues.
fn member(i: u32, queues: u32, capacity: Capacity) -> AgentConfig {
    let home = i % queues;
    let mut in_queues = vec![QueueId(home), QueueId((home + 1) % queues)];
    if i.is_multiple_of(2) {
        in_queues.push(QueueId((home + queues / 2) % queues));
    }
    let capacity = match capacity {
        Capacity::TwoOrThree if i.is_multiple_of(3) => 3,
        Capacity::TwoOrThree => 2,
        Capacity::One => 1,
    };
    AgentConfig::new(AgentId(i + 1), format!("agent {i}"), capacity, in_queues)
}

/// What one run of the steady state measured.
struct Run {
    per_sec: f64,
    p50: Duration,
    p99: Duration,
    waiting: usize,
    agents: usize,
}

/// Runs `turns` turns of the steady state on `floor` after a warm-up.
fn run(floor: &mut Floor, turns: usize) -> Run {
    for _ in 0..turns / 10 {
        floor.turn(&mut Untimed);
    }
    let mut laps = Laps(Vec::with_capacity(turns * DECISIONS_PER_TURN as usize));
    let start = Instant::now();
    for _ in 0..turns {
        floor.turn(&mut laps);
    }
    let elapsed = start.elapsed();
    let mut laps = laps.0;
    laps.sort_unstable();
    let at = |fraction: f64| {
        let index = ((laps.len() as f64 * fraction) as usize).min(laps.len() - 1);
        Duration::from_nanos(laps[index])
    };
    Run {
        per_sec: laps.len() as f64 / elapsed.as_secs_f64(),
        p50: at(0.50),
        p99: at(0.99),
        waiting: floor.waiting(),
        agents: floor.engine.agents().count(),
    }
}

/// The single line the issue asks for, then the baseline ratio (rule 7).
fn report() {
    let full = run(
        &mut Floor::new(QUEUES, AGENTS, WAITING, Capacity::TwoOrThree),
        100_000,
    );
    let micros = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "routing: {:.0} decisions/s (p50 {:.1} µs, p99 {:.1} µs) with {} waiting chats and {} agents: {:.2}x the {:.0}/s target",
        full.per_sec,
        micros(full.p50),
        micros(full.p99),
        full.waiting,
        full.agents,
        full.per_sec / TARGET_PER_SEC,
        TARGET_PER_SEC,
    );
    let small = run(
        &mut Floor::new(QUEUES, 10, 100, Capacity::TwoOrThree),
        100_000,
    );
    println!(
        "routing: baseline {:.0} decisions/s (p50 {:.1} µs, p99 {:.1} µs) with {} waiting chats and {} agents: the full floor runs at {:.2}x the baseline",
        small.per_sec,
        micros(small.p50),
        micros(small.p99),
        small.waiting,
        small.agents,
        full.per_sec / small.per_sec,
    );
}
