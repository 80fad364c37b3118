//! The demo's stand-in for the server: it owns the engine, keeps a simulated clock,
//! feeds in each scripted input, fires timers when the clock passes them, and
//! prints everything the engine emits.

use std::time::Duration;

use banner_core::{
    AgentId, Config, ConversationId, Engine, Entry, Error, Presence, QueueId, Time, Visitor,
};

use super::narrate::{Names, clock};

pub(super) struct Shift {
    engine: Engine,
    now: Time,
    names: Names,
}

impl Shift {
    /// An engine for `config` on a clock reading `start`.
    pub(super) fn new(config: Config, start: Time) -> Result<Self, String> {
        let names = Names::new(&config);
        let engine = Engine::new(config).map_err(|e| format!("invalid configuration: {e}"))?;
        Ok(Shift {
            engine,
            now: start,
            names,
        })
    }

    /// A section title.
    pub(super) fn section(&self, title: &str) {
        println!();
        println!("== {title}");
    }

    /// Runs one input at the current time, then prints what the engine emitted.
    pub(super) fn act<T>(
        &mut self,
        what: &str,
        input: impl FnOnce(&mut Engine, Time) -> Result<T, Error>,
    ) -> Result<T, String> {
        println!("{}  > {what}", clock(self.now));
        let result = input(&mut self.engine, self.now).map_err(|e| format!("{what}: {e}"))?;
        self.print_outputs();
        Ok(result)
    }

    /// A visitor opens the widget: a conversation that routes by `entry`.
    pub(super) fn open(
        &mut self,
        id: u64,
        name: &str,
        entry: Entry,
    ) -> Result<ConversationId, String> {
        let c = ConversationId(id);
        self.names.visitor(c, name);
        let visitor = Visitor::Anonymous {
            visitor_id: name.to_lowercase(),
        };
        self.act(&format!("{name} opens the chat widget"), |e, now| {
            e.open_conversation(c, visitor, entry, now)
        })
    }

    /// A visitor writes.
    pub(super) fn visitor_says(&mut self, c: ConversationId, text: &str) -> Result<(), String> {
        let name = self.names.who(c);
        self.act(&format!("{name} writes \"{text}\""), |e, now| {
            e.visitor_message(c, text, now)
        })
    }

    /// An agent writes, publicly or privately (agents only).
    pub(super) fn agent_says(
        &mut self,
        agent: AgentId,
        c: ConversationId,
        text: &str,
        private: bool,
    ) -> Result<(), String> {
        let how = if private {
            "privately writes"
        } else {
            "writes"
        };
        let what = format!("{} {how} \"{text}\"", self.names.agent(agent));
        self.act(&what, |e, now| {
            e.agent_message(agent, c, text, private, now)
        })
    }

    /// Agents switch to "available to chat", one after the other.
    pub(super) fn available(&mut self, agents: &[AgentId]) -> Result<(), String> {
        for &agent in agents {
            let what = format!("{} switches to available", self.names.agent(agent));
            self.act(&what, |e, now| {
                e.set_presence(agent, Presence::Available, now)
            })?;
            self.wait(Duration::from_secs(5));
        }
        Ok(())
    }

    /// Moves the clock forward by `d`, firing each timer due on the way at its
    /// own deadline, like the server's loop around `poll_timeout()`.
    pub(super) fn wait(&mut self, d: Duration) {
        let until = self.now + d;
        while let Some(deadline) = self.engine.poll_timeout().filter(|t| *t <= until) {
            self.now = self.now.max(deadline);
            for timer in self.engine.handle_timeout(self.now) {
                println!("{}  ~ {}", clock(self.now), self.names.timer(&timer));
            }
            self.print_outputs();
        }
        self.now = until;
    }

    /// Prints one agent's pool tabs that have anything in them.
    pub(super) fn show_pool(&self, agent: AgentId) -> Result<(), String> {
        let pool = self.engine.pool(agent).map_err(|e| e.to_string())?;
        let ids = |chats: &mut dyn Iterator<Item = ConversationId>| {
            chats
                .map(|c| c.0.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        println!(
            "  {}: in progress [{}], pending customers [{}], wrap-up [{}], history [{}]",
            self.names.agent(agent),
            ids(&mut pool.in_progress.iter().map(|r| r.conversation)),
            ids(&mut pool.pending_customers.iter().map(|r| r.conversation)),
            ids(&mut pool.wrap_up.iter().copied()),
            ids(&mut pool.history.iter().copied()),
        );
        Ok(())
    }

    /// Prints a queue's live figures, as a supervisor sees them.
    pub(super) fn show_queue(&self, queue: QueueId) {
        let (Some(config), Some(stats)) =
            (self.engine.queue(queue), self.engine.queue_stats(queue))
        else {
            return;
        };
        println!(
            "  queue {}: {} waiting, {} member(s) available with room",
            config.label, stats.waiting, stats.eligible_agents
        );
    }

    fn print_outputs(&mut self) {
        let at = clock(self.now);
        while let Some(event) = self.engine.poll_event() {
            println!("{at}      {}", self.names.event(&event));
        }
        while let Some(note) = self.engine.poll_notification() {
            println!("{at}      ! {}", self.names.notification(&note));
        }
    }
}
