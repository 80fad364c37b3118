//! `/v1/ws`, the agent's socket: `hello` → `welcome` → the replay of each
//! resumed conversation → live frames; commands answered with `ack` after the
//! commit (their own events first) or `error`.
//!
//! Live events come from two places: the agent's channel (conversations that
//! ring them or that they hold) and one channel per watched or resumed
//! conversation. A conversation that is watched is taken from its own channel
//! only, and every conversation's events pass a `seq` check, so none is sent
//! twice or out of order.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use axum::Extension;
use axum::extract::State;
use axum::extract::ws::{WebSocket, WebSocketUpgrade};
use axum::response::Response;
use banner_core::{self as core, ConversationId};
use banner_proto::{
    AgentCommand, AgentEvent, AgentFrame, Author, ClientId, ErrorCode, Logged, PROTOCOL_VERSION,
    Participant, Refused, Resumed, Seq, Topic, Welcome, close,
};
use banner_store::Store;
use tokio::sync::broadcast::{self, error::TryRecvError};

mod command;

use super::awaited::Awaited;
use super::inbound::Inbound;
use super::replay;
use super::watches::{Watched, Watches};
use super::{Frame, error_frame, receive_hello, refuse};
use crate::AppState;
use crate::clock;
use crate::hub::fanout::{AgentFeed, ConversationFeed, Typing};
use crate::hub::{Refusal, Request};
use crate::limits::SocketSlot;
use crate::session;
use crate::wire;

/// Upgrades `GET /v1/ws`.
pub async fn upgrade<S: Store>(
    ws: WebSocketUpgrade,
    State(state): State<Arc<AppState<S>>>,
    slot: Option<Extension<SocketSlot>>,
) -> Response {
    super::configure(ws).on_upgrade(move |socket| async move {
        // The client address's socket count holds this socket until it ends.
        let _slot = slot;
        serve(socket, state).await;
    })
}

async fn serve<S: Store>(mut socket: WebSocket, state: Arc<AppState<S>>) {
    let Some(hello) = receive_hello(
        &mut socket,
        |c: AgentCommand| match c {
            AgentCommand::Hello(hello) => Some(hello),
            _ => None,
        },
        AgentFrame::Error,
    )
    .await
    else {
        return;
    };
    let (agent, expires_at) = match session::agent(&state, &hello.token).await {
        Ok(found) => found,
        Err(r) => return refuse(&mut socket, r, close::UNAUTHORIZED).await,
    };
    let follow = match state
        .hub
        .ask(|reply| Request::Follow { agent, reply })
        .await
    {
        Ok(rx) => rx,
        Err(r) => return refuse(&mut socket, r, close::GOING_AWAY).await,
    };
    let hub = state.hub.clone();
    hub.tell(Request::AgentSockets {
        agent,
        opened: true,
    })
    .await;
    let inbound = Inbound::new(state.settings.keepalive_secs, state.limits.agent(agent.0));
    let mut conn = Conn {
        socket,
        inbound,
        state,
        agent,
        session: crate::auth::token::digest(&hello.token),
        follow,
        watches: Watches::default(),
        awaited: Awaited::default(),
        sent: HashMap::new(),
        unflushed: false,
        topics: HashSet::new(),
    };
    if conn.welcome(&hello.resume, expires_at).await {
        conn.run(expires_at).await;
    }
    for topic in conn.topics.drain() {
        let _ = hub
            .ask(|reply| Request::Subscribe {
                agent,
                topic,
                on: false,
                reply,
            })
            .await;
    }
    hub.tell(Request::AgentSockets {
        agent,
        opened: false,
    })
    .await;
}

/// One agent's open socket.
struct Conn<S> {
    socket: WebSocket,
    /// Keep-alive and the agent's quota.
    inbound: Inbound,
    state: Arc<AppState<S>>,
    agent: core::AgentId,
    /// The digest of the token this socket opened with.
    session: [u8; 32],
    follow: broadcast::Receiver<AgentFeed>,
    watches: Watches,
    /// Answers to `read`s, awaited while the socket goes on.
    awaited: Awaited,
    /// The last `seq` sent per conversation.
    sent: HashMap<ConversationId, Seq>,
    /// Frames queued since the last flush.
    unflushed: bool,
    /// The views this socket subscribed to.
    topics: HashSet<Topic>,
}

impl<S: Store> Conn<S> {
    /// Queues a frame; [`Self::run`] flushes when nothing else is ready.
    async fn send(&mut self, frame: AgentFrame) -> bool {
        self.unflushed = true;
        super::queue(&mut self.socket, &frame).await
    }

    async fn error(&mut self, id: Option<ClientId>, refusal: Refusal) -> bool {
        self.send(AgentFrame::Error(error_frame(id, refusal))).await
    }

    /// Starts following `c` on its own channel, if the agent may read it.
    async fn watch(&mut self, c: ConversationId) -> Result<Seq, Refusal> {
        let agent = self.agent;
        let may = self
            .state
            .hub
            .ask(|reply| Request::CanView {
                agent,
                conversation: c,
                reply,
            })
            .await?;
        if !may {
            return Err(Refusal::new(
                ErrorCode::NotFound,
                format!("No conversation {} is visible to you.", c.0),
            ));
        }
        let rx = self
            .state
            .hub
            .ask(|reply| Request::Watch {
                conversation: c,
                reply,
            })
            .await?;
        self.watches.add(c, rx);
        replay::latest(self.state.store.as_ref(), c).await
    }

    async fn welcome(&mut self, resume: &[banner_proto::Resume], expires_at: u64) -> bool {
        let (mut resumed, mut refused, mut replays) = (Vec::new(), Vec::new(), Vec::new());
        for r in resume {
            let c = wire::conversation_to_core(r.conversation);
            match self.watch(c).await {
                Ok(latest_seq) => {
                    resumed.push(Resumed {
                        conversation: r.conversation,
                        latest_seq,
                    });
                    replays.push((c, r.last_seq));
                }
                Err(e) => refused.push(Refused {
                    conversation: r.conversation,
                    code: e.code,
                }),
            }
        }
        let agent = self.agent;
        let profile = match self
            .state
            .hub
            .ask(|reply| Request::Profile { agent, reply })
            .await
        {
            Ok(Some(profile)) => profile,
            _ => {
                let r = Refusal::new(ErrorCode::Unauthorized, "You are no longer on the floor.");
                refuse(&mut self.socket, r, close::UNAUTHORIZED).await;
                return false;
            }
        };
        let welcome = Welcome {
            protocol: PROTOCOL_VERSION,
            server_time: clock::now_millis(),
            expires_at,
            agent: profile,
            resumed,
            refused,
        };
        if !self.send(AgentFrame::Welcome(welcome)).await {
            return false;
        }
        for (c, after) in replays {
            self.sent.insert(c, after);
            if !replay::catch_up(self, c).await {
                return false;
            }
        }
        true
    }

    /// This agent, as a participant.
    fn me(&self) -> Participant {
        Participant::Agent {
            id: banner_proto::AgentId(self.agent.0),
            name: self
                .state
                .floor
                .agents
                .get(&self.agent)
                .map_or_else(String::new, |a| a.name.clone()),
        }
    }

    /// Passes someone else's typing on.
    async fn typing(&mut self, typing: &Typing) -> bool {
        if typing.who == self.me() {
            return true;
        }
        self.send(AgentFrame::Typing {
            conversation: wire::conversation_to_proto(typing.conversation),
            who: typing.who.clone(),
            on: typing.on,
            private: typing.private,
        })
        .await
    }

    async fn on_feed(&mut self, feed: AgentFeed) -> bool {
        match feed {
            AgentFeed::Event(event) => {
                let c = wire::conversation_to_core(event.conversation);
                if self.watches.contains(c) {
                    return true;
                }
                replay::deliver(self, &event).await
            }
            AgentFeed::Typing(typing) => {
                if self.watches.contains(typing.conversation) {
                    return true;
                }
                self.typing(&typing).await
            }
            AgentFeed::Pool(pool) => {
                if !self.topics.contains(&Topic::Pool) {
                    return true;
                }
                self.send(AgentFrame::PoolChanged((*pool).clone())).await
            }
            AgentFeed::Supervision(view) => {
                if !self.topics.contains(&Topic::Supervision) {
                    return true;
                }
                self.send(AgentFrame::SupervisionChanged((*view).clone()))
                    .await
            }
            AgentFeed::SessionEnded(session) => {
                if session != self.session {
                    return true;
                }
                super::close(&mut self.socket, close::UNAUTHORIZED, "logged out").await;
                false
            }
            AgentFeed::Presence { presence, at } => {
                let agent = banner_proto::AgentId(self.agent.0);
                self.send(AgentFrame::Presence {
                    agent,
                    presence,
                    at,
                })
                .await
            }
            AgentFeed::Notification {
                kind,
                conversation,
                at,
            } => {
                self.send(AgentFrame::Notification {
                    kind,
                    conversation: wire::conversation_to_proto(conversation),
                    at,
                })
                .await
            }
        }
    }

    async fn on_watched(&mut self, watched: Watched) -> bool {
        match watched {
            Watched::Event(ConversationFeed::Event(event)) => replay::deliver(self, &event).await,
            Watched::Event(ConversationFeed::Typing(typing)) => self.typing(&typing).await,
            Watched::Gap(c) => replay::catch_up(self, c).await,
        }
    }

    /// Sends what is already waiting in the channels: a command's own events
    /// were fanned out before its answer, so they go before its `ack`.
    async fn flush(&mut self) -> bool {
        loop {
            match self.follow.try_recv() {
                Ok(feed) => {
                    if !self.on_feed(feed).await {
                        return false;
                    }
                }
                Err(TryRecvError::Empty) => break,
                // Too far behind, as in `run`: the client resumes.
                Err(TryRecvError::Lagged(_)) => {
                    super::close(&mut self.socket, 1011, "fell behind; resume").await;
                    return false;
                }
                Err(TryRecvError::Closed) => return false,
            }
        }
        while let Some(watched) = self.watches.ready() {
            if !self.on_watched(watched).await {
                return false;
            }
        }
        true
    }

    async fn run(&mut self, expires_at: u64) {
        let ended = super::ended(expires_at, self.state.stopping.clone());
        tokio::pin!(ended);
        loop {
            let keep = tokio::select! {
                // In order, and the flush last: it runs only when no frame,
                // event or timer is ready, so whatever became ready together
                // leaves together.
                biased;
                frame = self.inbound.next::<AgentCommand>(&mut self.socket), if self.awaited.has_room() => match frame {
                    Frame::Command(command) => self.command(command).await,
                    Frame::Refused(frame) => self.send(AgentFrame::Error(frame)).await,
                    Frame::Nothing => true,
                    Frame::Close(code) => {
                        if let Some(code) = code {
                            super::close(&mut self.socket, code, "").await;
                        }
                        false
                    }
                },
                // A read's answer first drains what is ready (`answered`
                // flushes), so its events still go before it.
                (id, answer) = self.awaited.next() => self.answered(id, answer).await,
                feed = self.follow.recv() => match feed {
                    Ok(feed) => self.on_feed(feed).await,
                    // Too far behind to know what was missed: the client resumes.
                    Err(_) => {
                        super::close(&mut self.socket, 1011, "fell behind; resume").await;
                        false
                    }
                },
                watched = self.watches.next() => self.on_watched(watched).await,
                end = &mut ended => {
                    super::close_for(&mut self.socket, end).await;
                    false
                }
                () = std::future::ready(()), if self.unflushed => {
                    self.unflushed = false;
                    super::flush(&mut self.socket).await
                }
            };
            if !keep {
                return;
            }
        }
    }
}

impl<S: Store> replay::Follower for Conn<S> {
    type Store = S;

    fn store(&self) -> &S {
        self.state.store.as_ref()
    }

    fn sent(&mut self) -> &mut HashMap<ConversationId, Seq> {
        &mut self.sent
    }

    /// Every event as it is; a visitor's message also tells the hub it
    /// reached this agent (recorded only if the agent holds the chat).
    async fn send_event(&mut self, event: &Logged<AgentEvent>) -> bool {
        if !self.send(AgentFrame::Event(event.clone())).await {
            return false;
        }
        if let AgentEvent::Message {
            author: Author::Visitor,
            ..
        } = event.event
        {
            self.state
                .hub
                .tell(Request::Delivered {
                    conversation: wire::conversation_to_core(event.conversation),
                    by: self.me(),
                    seq: event.seq,
                })
                .await;
        }
        true
    }

    async fn refuse(&mut self, refusal: Refusal) -> bool {
        self.error(None, refusal).await
    }
}
