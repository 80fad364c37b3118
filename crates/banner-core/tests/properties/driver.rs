//! Drives an engine through `Op`s on a simulated clock, the way the server's loop
//! does (firing every due timer at its own deadline), and checks the invariants
//! after every input and every `handle_timeout`.

use std::time::Duration;

use banner_core::*;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use crate::aim::{self, Aim};
use crate::floor::{FloorSpec, agent_id};
use crate::invariants;
use crate::ledger::{EventLedger, TimerLedger};
use crate::ops::Op;

type Checked = Result<(), TestCaseError>;

/// How many timer firings a run may take to settle before it counts as a livelock.
const SETTLE_LIMIT: usize = 10_000;

/// An engine on a simulated clock, with what the checks need to remember.
pub struct Driver {
    pub engine: Engine,
    pub floor: FloorSpec,
    pub now: Time,
    /// Every conversation the engine said it opened, in order.
    pub chats: Vec<ConversationId>,
    next_id: u64,
    events: EventLedger,
    timers: TimerLedger,
}

impl Driver {
    pub fn new(floor: FloorSpec) -> Self {
        let engine = Engine::new(floor.config()).expect("the random floor is valid");
        let events = EventLedger::new(floor.agent_ids());
        Driver {
            engine,
            floor,
            now: Time::ZERO,
            chats: Vec::new(),
            next_id: 0,
            events,
            timers: TimerLedger::default(),
        }
    }

    /// The agents of the floor who start available say so, checked like any input.
    pub fn start(&mut self) -> Checked {
        self.drain()?;
        let starting: Vec<AgentId> = (0..self.floor.agents.len())
            .filter(|&i| self.floor.agents[i].starts_available)
            .map(agent_id)
            .collect();
        for a in starting {
            self.input(|e, now| e.set_presence(a, Presence::Available, now))?;
        }
        self.check()
    }

    /// Runs one step and checks every invariant after it.
    pub fn step(&mut self, op: &Op) -> Checked {
        if let Op::AdvanceTime { ms } = *op {
            return self.advance(Duration::from_millis(ms));
        }
        self.apply(op)?;
        self.check()
    }

    /// Lets every timer run out: offers ring out, wrap-ups end, visitors who
    /// dropped are gone.
    pub fn settle(&mut self) -> Checked {
        for _ in 0..SETTLE_LIMIT {
            let Some(deadline) = self.engine.poll_timeout() else {
                return Ok(());
            };
            self.now = self.now.max(deadline);
            self.fire_timers()?;
        }
        Err(TestCaseError::fail("timers never stop re-arming"))
    }

    /// Moves the clock by `d`, firing each due timer at its deadline.
    fn advance(&mut self, d: Duration) -> Checked {
        let until = self.now + d;
        while let Some(deadline) = self.engine.poll_timeout().filter(|t| *t <= until) {
            prop_assert!(
                deadline > self.now,
                "a timer due at {deadline:?} was left armed past it (now {:?})",
                self.now
            );
            self.now = deadline;
            self.fire_timers()?;
        }
        self.now = until;
        self.check()
    }

    /// `handle_timeout(now)` at the earliest deadline, as the server's loop does.
    fn fire_timers(&mut self) -> Checked {
        let armed = self.engine.pending_timers();
        let fired = self.engine.handle_timeout(self.now);
        self.timers.fired(&armed, &fired, self.now)?;
        self.drain()?;
        self.check()
    }

    fn check(&mut self) -> Checked {
        self.timers.armed(&self.engine.pending_timers())?;
        self.events.agrees_with(&self.engine)?;
        invariants::check_all(&self.engine, &self.floor, &self.chats, self.now)
    }

    /// Drains the outputs into the event ledger; says how many there were.
    fn drain(&mut self) -> Result<usize, TestCaseError> {
        let mut emitted = 0;
        while let Some(event) = self.engine.poll_event() {
            emitted += 1;
            self.events.record(&event)?;
        }
        while self.engine.poll_notification().is_some() {
            emitted += 1;
        }
        Ok(emitted)
    }

    /// Runs one input at the current time. A refused input must leave the engine
    /// exactly as it was and emit nothing.
    fn input<T>(
        &mut self,
        f: impl FnOnce(&mut Engine, Time) -> Result<T, Error>,
    ) -> Result<Option<T>, TestCaseError> {
        let before = format!("{:?}", self.engine);
        let result = f(&mut self.engine, self.now);
        let emitted = self.drain()?;
        match result {
            Ok(value) => Ok(Some(value)),
            Err(error) => {
                prop_assert_eq!(emitted, 0, "refused input ({}) emitted outputs", error);
                let after = format!("{:?}", self.engine);
                prop_assert!(
                    before == after,
                    "refused input ({error}) changed the engine"
                );
                Ok(None)
            }
        }
    }

    fn aim(&self) -> Aim<'_> {
        Aim {
            engine: &self.engine,
            floor: &self.floor,
            chats: &self.chats,
        }
    }

    fn apply(&mut self, op: &Op) -> Checked {
        let aim = self.aim();
        match *op {
            Op::Open {
                customer,
                entry,
                first,
                fresh_id,
            } => {
                let entry = aim.entry(entry);
                self.open(customer, entry, first, fresh_id)?;
            }
            Op::VisitorSays { chat, text } => {
                let c = aim.chat(chat, |conv| conv.place() != Place::Ended);
                self.input(|e, now| e.visitor_message(c, text, now))?;
            }
            Op::VisitorDisconnects { chat } => {
                let c = aim.chat(chat, |conv| {
                    conv.visitor_connected && conv.place() != Place::Ended
                });
                self.input(|e, now| e.visitor_disconnected(c, now))?;
            }
            Op::VisitorReconnects { chat } => {
                let c = aim.chat(chat, |conv| !conv.visitor_connected);
                self.input(|e, now| e.visitor_reconnected(c, now))?;
            }
            Op::VisitorLeaves { chat } => {
                let c = aim.chat(chat, |conv| {
                    !conv.visitor.is_customer()
                        && !matches!(conv.place(), Place::Ended | Place::WrapUp)
                });
                self.input(|e, now| e.visitor_leave(c, now))?;
            }
            Op::SetPresence { agent, presence } => {
                let a = aim.any_agent(agent);
                self.input(|e, now| e.set_presence(a, presence, now))?;
            }
            Op::Accept { who, chat } => {
                let c = aim.chat(chat, aim::is_ringing);
                let a = aim.who(who, c, aim::ringing);
                let allowed = aim::ringing(&self.engine, c) == Some(a);
                let done = self.input(|e, now| e.accept(a, c, now))?;
                prop_assert!(
                    done.is_none() || allowed,
                    "{a} accepted {c} not ringing them"
                );
            }
            Op::Decline { who, chat } => {
                let c = aim.chat(chat, aim::is_ringing);
                let a = aim.who(who, c, aim::ringing);
                let allowed = aim::ringing(&self.engine, c) == Some(a);
                let done = self.input(|e, now| e.decline(a, c, now))?;
                prop_assert!(
                    done.is_none() || allowed,
                    "{a} declined {c} not ringing them"
                );
            }
            Op::Pick { who, chat } => {
                let c = aim.chat(chat, |conv| conv.place() == Place::Pending);
                let a = aim.who(who, c, aim::picker);
                let allowed = aim::sees_pending(&self.engine, a, c);
                let done = self.input(|e, now| e.pick(a, c, now))?;
                prop_assert!(
                    done.is_none() || allowed,
                    "{a} picked {c} not pending for them"
                );
            }
            Op::AgentSays { who, chat, private } => {
                let c = aim.chat(chat, |conv| conv.holder().is_some());
                let a = aim.who(who, c, aim::holder);
                self.input(|e, now| e.agent_message(a, c, "Hello!", private, now))?;
            }
            Op::Transfer {
                who,
                chat,
                target,
                mode,
            } => {
                let c = aim.chat(chat, aim::is_active);
                let a = aim.who(who, c, aim::holder);
                let target = aim.target(target);
                self.input(|e, now| e.transfer(a, c, target, mode, now))?;
            }
            Op::CancelTransfer { who, chat } => {
                let c = aim.chat(chat, |conv| conv.transfer_target().is_some());
                let a = aim.who(who, c, aim::holder);
                self.input(|e, now| e.cancel_transfer(a, c, now))?;
            }
            Op::WaitForCustomer { who, chat } => {
                let c = aim.chat(chat, aim::is_active);
                let a = aim.who(who, c, aim::holder);
                self.input(|e, now| e.wait_for_customer(a, c, now))?;
            }
            Op::Archive { who, chat } => {
                let c = aim.chat(chat, |conv| {
                    matches!(conv.place(), Place::Active | Place::PendingCustomer)
                });
                let a = aim.who(who, c, aim::holder);
                self.input(|e, now| e.archive(a, c, now))?;
            }
            Op::CompleteWrapUp {
                who,
                chat,
                disposition,
            } => {
                let c = aim.chat(chat, |conv| conv.place() == Place::WrapUp);
                let a = aim.who(who, c, aim::holder);
                let disposition = disposition.then(|| "sold".to_owned());
                self.input(|e, now| e.complete_wrap_up(a, c, disposition, now))?;
            }
            Op::AdvanceTime { .. } => {}
        }
        Ok(())
    }

    /// Opens a conversation (a new id, or the last one again to be refused),
    /// then sends the visitor's first message, if any.
    fn open(
        &mut self,
        customer: Option<u8>,
        entry: Entry,
        first: Option<&'static str>,
        fresh_id: bool,
    ) -> Checked {
        if fresh_id || self.next_id == 0 {
            self.next_id += 1;
        }
        let id = ConversationId(self.next_id);
        let visitor = match customer {
            Some(n) => Visitor::Customer {
                customer_id: format!("customer-{n}"),
            },
            None => Visitor::Anonymous {
                visitor_id: format!("visitor-{}", id.0),
            },
        };
        let Some(c) = self.input(|e, now| e.open_conversation(id, visitor, entry, now))? else {
            return Ok(());
        };
        if !self.chats.contains(&c) {
            self.chats.push(c);
        }
        if let Some(text) = first {
            self.input(|e, now| e.visitor_message(c, text, now))?;
        }
        Ok(())
    }
}
