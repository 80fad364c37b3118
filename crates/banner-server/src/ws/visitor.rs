//! `/v1/visitor/ws`, the widget's socket. It carries the visitor's own
//! conversations only — the current one and those resumed in `hello` — and
//! every event goes through banner-proto's `Logged::for_visitor`, live and in
//! replays: there is no other way for an event to reach a visitor, so private
//! messages cannot. The hub hears when a visitor's last socket on a
//! conversation closes (the reconnection timer starts) and when one opens again.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Extension;
use axum::extract::State;
use axum::extract::ws::{WebSocket, WebSocketUpgrade};
use axum::response::Response;
use banner_core::ConversationId;
use banner_proto::{
    Ack, AgentEvent, Author, ClientId, ErrorCode, Logged, PROTOCOL_VERSION, Participant, Refused,
    Resumed, Seq, VisitorCommand, VisitorFrame, VisitorWelcome, close,
};
use banner_store::Store;

use super::awaited::Awaited;
use super::inbound::Inbound;
use super::replay;
use super::watches::{Watched, Watches};
use super::{Frame, error_frame, fingerprint, receive_hello, refuse};
use crate::AppState;
use crate::attachments;
use crate::clock;
use crate::hub::fanout::{ConversationFeed, Typing};
use crate::hub::request::{Answer, Command, Principal};
use crate::hub::{Refusal, Request, VisitorAction, VisitorCtx};
use crate::limits::SocketSlot;
use crate::session;
use crate::wire;

/// Upgrades `GET /v1/visitor/ws`.
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
        |c: VisitorCommand| match c {
            VisitorCommand::Hello(hello) => Some(hello),
            _ => None,
        },
        VisitorFrame::Error,
    )
    .await
    else {
        return;
    };
    let (visitor, expires_at) = match session::visitor(&state, &hello.token).await {
        Ok(found) => found,
        Err(r) => return refuse(&mut socket, r, close::UNAUTHORIZED).await,
    };
    let inbound = Inbound::new(
        state.settings.keepalive_secs,
        state.limits.visitor(&visitor.visitor_id),
    );
    let mut conn = Conn {
        socket,
        inbound,
        state,
        visitor,
        watches: Watches::default(),
        awaited: Awaited::default(),
        sent: HashMap::new(),
        unflushed: false,
    };
    if conn.welcome(&hello.resume, expires_at).await {
        conn.run(expires_at).await;
    }
    let conversations = conn.watches.ids();
    conn.state
        .hub
        .tell(Request::VisitorSockets {
            conversations,
            opened: false,
        })
        .await;
}

/// One visitor's open socket.
struct Conn<S> {
    socket: WebSocket,
    /// Keep-alive and the visitor's quota.
    inbound: Inbound,
    state: Arc<AppState<S>>,
    visitor: VisitorCtx,
    watches: Watches,
    /// Answers to `read`s, awaited while the socket goes on.
    awaited: Awaited,
    /// The last `seq` seen per conversation (sent or not: visitors see some).
    sent: HashMap<ConversationId, Seq>,
    /// Frames queued since the last flush.
    unflushed: bool,
}

impl<S: Store> Conn<S> {
    /// Queues a frame; [`Self::run`] flushes when nothing else is ready.
    async fn send(&mut self, frame: VisitorFrame) -> bool {
        self.unflushed = true;
        super::queue(&mut self.socket, &frame).await
    }

    async fn error(&mut self, id: Option<ClientId>, refusal: Refusal) -> bool {
        self.send(VisitorFrame::Error(error_frame(id, refusal)))
            .await
    }

    /// Follows `c`, which the visitor owns, and tells the hub a socket carries it.
    async fn carry(&mut self, c: ConversationId) -> Result<Seq, Refusal> {
        let rx = self
            .state
            .hub
            .ask(|reply| Request::Watch {
                conversation: c,
                reply,
            })
            .await?;
        self.watches.add(c, rx);
        self.state
            .hub
            .tell(Request::VisitorSockets {
                conversations: vec![c],
                opened: true,
            })
            .await;
        replay::latest(self.state.store.as_ref(), c).await
    }

    async fn welcome(&mut self, resume: &[banner_proto::Resume], expires_at: u64) -> bool {
        let (mut resumed, mut refused, mut replays) = (Vec::new(), Vec::new(), Vec::new());
        for r in resume {
            let c = wire::conversation_to_core(r.conversation);
            let owned = owns(self.state.hub.clone(), self.visitor.visitor_id.clone(), c).await;
            let latest = if owned {
                self.carry(c).await
            } else {
                Err(Refusal::new(ErrorCode::NotFound, "not yours"))
            };
            match latest {
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
        let visitor = self.visitor.clone();
        let current = self
            .state
            .hub
            .ask(|reply| Request::Current { visitor, reply })
            .await
            .ok()
            .flatten();
        if let Some(c) = current
            && !self.watches.contains(c)
        {
            // Carried from now on; its past is for the widget to fetch.
            match self.carry(c).await {
                Ok(latest) => {
                    self.sent.insert(c, latest);
                }
                Err(r) => return self.error(None, r).await,
            }
        }
        let welcome = VisitorWelcome {
            protocol: PROTOCOL_VERSION,
            server_time: clock::now_millis(),
            expires_at,
            visitor_id: self.visitor.visitor_id.clone(),
            conversation: current.map(wire::conversation_to_proto),
            resumed,
            refused,
        };
        if !self.send(VisitorFrame::Welcome(welcome)).await {
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

    /// Passes an agent's typing on; never a private note's, never the visitor's own.
    async fn typing(&mut self, typing: &Typing) -> bool {
        match &typing.who {
            Participant::Agent { name, .. } if !typing.private => {
                self.send(VisitorFrame::Typing {
                    conversation: wire::conversation_to_proto(typing.conversation),
                    name: name.clone(),
                    on: typing.on,
                })
                .await
            }
            _ => true,
        }
    }

    async fn on_watched(&mut self, watched: Watched) -> bool {
        match watched {
            Watched::Event(ConversationFeed::Event(event)) => replay::deliver(self, &event).await,
            Watched::Event(ConversationFeed::Typing(typing)) => self.typing(&typing).await,
            Watched::Gap(c) => replay::catch_up(self, c).await,
        }
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
                frame = self.inbound.next::<VisitorCommand>(&mut self.socket), if self.awaited.has_room() => match frame {
                    Frame::Command(command) => self.command(command).await,
                    Frame::Refused(frame) => self.send(VisitorFrame::Error(frame)).await,
                    Frame::Nothing => true,
                    Frame::Close(code) => {
                        if let Some(code) = code {
                            super::close(&mut self.socket, code, "").await;
                        }
                        false
                    }
                },
                // A read's answer first drains what is ready (`answered`),
                // so its events still go before it.
                (id, answer) = self.awaited.next() => self.answered(id, answer).await,
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

    async fn command(&mut self, command: VisitorCommand) -> bool {
        let digest = fingerprint(&command);
        let (id, action) = match command {
            VisitorCommand::Hello(_) => {
                let r = Refusal::new(ErrorCode::BadRequest, "hello was already sent.");
                return self.error(None, r).await;
            }
            VisitorCommand::Typing(t) => {
                let c = wire::conversation_to_core(t.conversation);
                // Only into a conversation this socket carries: its own.
                if self.watches.contains(c) {
                    let typing = Typing {
                        conversation: c,
                        who: Participant::Visitor,
                        on: t.on,
                        private: false,
                    };
                    self.state.hub.tell(Request::Typing(typing)).await;
                }
                return true;
            }
            VisitorCommand::Ping(p) => {
                return self
                    .ack(Ack {
                        id: p.id,
                        conversation: None,
                        seq: None,
                    })
                    .await;
            }
            VisitorCommand::Read(r) => (
                r.id,
                VisitorAction::Read {
                    conversation: wire::conversation_to_core(r.conversation),
                    seq: r.seq,
                },
            ),
            VisitorCommand::SendMessage(m) => {
                let who = Principal::Visitor(self.visitor.visitor_id.clone());
                let conversation = m.conversation.map(wire::conversation_to_core);
                let ids = m.attachments.as_slice();
                let found = attachments::for_message(&self.state, &who, conversation, ids);
                let attachments = match found.await {
                    Ok(records) => records,
                    Err(r) => return self.error(Some(m.id), r).await,
                };
                let action = VisitorAction::SendMessage {
                    conversation,
                    text: m.text.into_string(),
                    attachments,
                };
                (m.id, action)
            }
            VisitorCommand::Leave(l) => (
                l.id,
                VisitorAction::Leave(wire::conversation_to_core(l.conversation)),
            ),
        };
        let aside = matches!(action, VisitorAction::Read { .. });
        let visitor = self.visitor.clone();
        let ask = |reply| Request::Visitor {
            visitor,
            command: Command {
                id: id.clone(),
                fingerprint: digest,
                action,
                reply,
            },
        };
        if aside {
            let submitted = self.awaited.submit(&self.state.hub, id.clone(), ask);
            return match submitted.await {
                Ok(()) => true,
                Err(r) => self.error(Some(id), r).await,
            };
        }
        let answer = self.state.hub.ask(ask).await.and_then(|answer| answer);
        self.answered(id, answer).await
    }

    /// Sends a command's answer: its `ack` after its own events, or its
    /// `error`.
    async fn answered(&mut self, id: ClientId, answer: Answer) -> bool {
        match answer {
            Ok(ack) => {
                if let Some(c) = ack.conversation.map(wire::conversation_to_core)
                    && !self.watches.contains(c)
                {
                    // A new conversation: its first events were committed
                    // before this socket followed it, so they come from the store.
                    if self.carry(c).await.is_err() || !replay::catch_up(self, c).await {
                        return false;
                    }
                }
                while let Some(watched) = self.watches.ready() {
                    if !self.on_watched(watched).await {
                        return false;
                    }
                }
                self.ack(ack).await
            }
            Err(r) => self.error(Some(id), r).await,
        }
    }

    async fn ack(&mut self, ack: Ack) -> bool {
        self.send(VisitorFrame::Ack(ack)).await
    }
}

/// Whether the visitor owns `c`.
async fn owns(hub: crate::hub::HubHandle, visitor_id: String, c: ConversationId) -> bool {
    hub.ask(|reply| Request::Owns {
        visitor_id,
        conversation: c,
        reply,
    })
    .await
    .unwrap_or(false)
}

impl<S: Store> replay::Follower for Conn<S> {
    type Store = S;

    fn store(&self) -> &S {
        self.state.store.as_ref()
    }

    fn sent(&mut self) -> &mut HashMap<ConversationId, Seq> {
        &mut self.sent
    }

    /// The visitor's view of the event, if it has one (never a private
    /// note); an agent's public message also tells the hub it reached the
    /// visitor.
    async fn send_event(&mut self, event: &Logged<AgentEvent>) -> bool {
        let Some(seen) = event.for_visitor() else {
            return true;
        };
        if !self.send(VisitorFrame::Event(seen)).await {
            return false;
        }
        if let AgentEvent::Message {
            author: Author::Agent { .. },
            private: false,
            ..
        } = event.event
        {
            self.state
                .hub
                .tell(Request::Delivered {
                    conversation: wire::conversation_to_core(event.conversation),
                    by: Participant::Visitor,
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
