//! An agent's commands: the wire's `AgentCommand` into the hub's
//! `AgentAction` (or answered here: `ping`, `typing`, `watch`, `unwatch`, and
//! the view subscriptions), then `ack` or `error`.

use banner_core as core;
use banner_proto::{
    Ack, AgentCommand, AgentFrame, ClientId, ErrorCode, Seq, Topic, TransferTargetKind,
};
use banner_store::Store;

use super::super::fingerprint;
use super::Conn;
use crate::attachments;
use crate::hub::fanout::{AgentFeed, Typing};
use crate::hub::request::{Answer, Command, Principal};
use crate::hub::{AgentAction, Refusal, Request};
use crate::wire;
use crate::ws::replay;

impl<S: Store> Conn<S> {
    pub(super) async fn command(&mut self, command: AgentCommand) -> bool {
        use AgentCommand as C;
        let digest = fingerprint(&command);
        let c = wire::conversation_to_core;
        let action = match command {
            C::Hello(_) => {
                let r = Refusal::new(ErrorCode::BadRequest, "hello was already sent.");
                return self.error(None, r).await;
            }
            C::Typing(t) => {
                let typing = Typing {
                    conversation: c(t.conversation),
                    who: self.me(),
                    on: t.on,
                    private: t.private,
                };
                self.state.hub.tell(Request::Typing(typing)).await;
                return true;
            }
            C::Ping(p) => return self.ack(p.id, None, None).await,
            C::SubscribePool(b) => return self.subscribe(b.id, Topic::Pool, true).await,
            C::SubscribeSupervision(b) => {
                return self.subscribe(b.id, Topic::Supervision, true).await;
            }
            C::Unsubscribe(u) => return self.subscribe(u.id, u.topic, false).await,
            C::Watch(w) => {
                let conversation = c(w.conversation);
                return match self.watch(conversation).await {
                    Ok(latest) => {
                        self.sent.insert(conversation, w.last_seq);
                        self.ack(w.id, Some(w.conversation), Some(latest)).await
                            && replay::catch_up(self, conversation).await
                    }
                    Err(r) => self.error(Some(w.id), r).await,
                };
            }
            C::Unwatch(u) => {
                self.watches.remove(c(u.conversation));
                return self.ack(u.id, Some(u.conversation), None).await;
            }
            C::SetPresence(p) => (
                p.id,
                AgentAction::SetPresence(wire::presence_to_core(p.presence)),
            ),
            C::Accept(x) => (x.id, AgentAction::Accept(c(x.conversation))),
            C::Decline(x) => (x.id, AgentAction::Decline(c(x.conversation))),
            C::Pick(x) => (x.id, AgentAction::Pick(c(x.conversation))),
            C::CancelTransfer(x) => (x.id, AgentAction::CancelTransfer(c(x.conversation))),
            C::WaitForCustomer(x) => (x.id, AgentAction::WaitForCustomer(c(x.conversation))),
            C::Archive(x) => (x.id, AgentAction::Archive(c(x.conversation))),
            C::SendMessage(m) => {
                let (who, conversation) = (Principal::Agent(self.agent), c(m.conversation));
                let ids = m.attachments.as_slice();
                let found = attachments::for_message(&self.state, &who, Some(conversation), ids);
                let attachments = match found.await {
                    Ok(records) => records,
                    Err(r) => return self.error(Some(m.id), r).await,
                };
                let action = AgentAction::SendMessage {
                    conversation,
                    text: m.text.into_string(),
                    private: m.private,
                    attachments,
                };
                (m.id, action)
            }
            C::Transfer(t) => {
                let target = match t.target.kind {
                    TransferTargetKind::User => {
                        core::TransferTarget::User(core::AgentId(t.target.id))
                    }
                    TransferTargetKind::Queue => {
                        core::TransferTarget::Queue(core::QueueId(t.target.id))
                    }
                    TransferTargetKind::Flow => {
                        core::TransferTarget::Flow(core::FlowId(t.target.id))
                    }
                };
                let mode = match t.mode {
                    banner_proto::TransferMode::Attended => core::TransferMode::Attended,
                    banner_proto::TransferMode::Blind => core::TransferMode::Blind,
                };
                (
                    t.id,
                    AgentAction::Transfer {
                        conversation: c(t.conversation),
                        target,
                        mode,
                    },
                )
            }
            C::CompleteWrapUp(w) => (
                w.id,
                AgentAction::CompleteWrapUp {
                    conversation: c(w.conversation),
                    disposition: w.disposition,
                },
            ),
            C::Read(r) => (
                r.id,
                AgentAction::Read {
                    conversation: c(r.conversation),
                    seq: r.seq,
                },
            ),
            C::SetNotificationSettings(s) => (
                s.id,
                AgentAction::SetNotifications(wire::notifications_to_core(s.settings)),
            ),
        };
        let (id, action) = action;
        let aside = matches!(action, AgentAction::Read { .. });
        let agent = self.agent;
        let command = |reply| Request::Agent {
            agent,
            command: Command {
                id: id.clone(),
                fingerprint: digest,
                action,
                reply,
            },
        };
        if aside {
            let submitted = self.awaited.submit(&self.state.hub, id.clone(), command);
            return match submitted.await {
                Ok(()) => true,
                Err(r) => self.error(Some(id), r).await,
            };
        }
        let answer = self.state.hub.ask(command).await.and_then(|answer| answer);
        self.answered(id, answer).await
    }

    /// Sends a command's answer: its `ack` after its own events, or its
    /// `error`.
    pub(super) async fn answered(&mut self, id: ClientId, answer: Answer) -> bool {
        match answer {
            Ok(ack) => self.flush().await && self.send(AgentFrame::Ack(ack)).await,
            Err(r) => self.error(Some(id), r).await,
        }
    }

    async fn ack(
        &mut self,
        id: ClientId,
        conversation: Option<banner_proto::ConversationId>,
        seq: Option<Seq>,
    ) -> bool {
        self.send(AgentFrame::Ack(Ack {
            id,
            conversation,
            seq,
        }))
        .await
    }

    /// Follows (or leaves) a view: the `ack`, then at once the view as it
    /// is now, then each change.
    async fn subscribe(&mut self, id: ClientId, topic: Topic, on: bool) -> bool {
        // The hub counts subscriptions per agent: only a change of this
        // socket's own state may move that count.
        if self.topics.contains(&topic) == on {
            return self.ack(id, None, None).await;
        }
        let agent = self.agent;
        let asked = self
            .state
            .hub
            .ask(|reply| Request::Subscribe {
                agent,
                topic,
                on,
                reply,
            })
            .await
            .and_then(|answer| answer);
        let now = match asked {
            Ok(now) => now,
            Err(r) => return self.error(Some(id), r).await,
        };
        if on {
            self.topics.insert(topic);
        } else {
            self.topics.remove(&topic);
        }
        if !self.ack(id, None, None).await {
            return false;
        }
        match now {
            Some(AgentFeed::Pool(pool)) => {
                self.send(AgentFrame::PoolChanged((*pool).clone())).await
            }
            Some(AgentFeed::Supervision(view)) => {
                self.send(AgentFrame::SupervisionChanged((*view).clone()))
                    .await
            }
            _ => true,
        }
    }
}
