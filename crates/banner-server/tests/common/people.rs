//! Agents and visitors of the test floor, each with a banner-client session and
//! an open socket.

use banner_client::{
    AgentClient, AgentConnection, ConnectOptions, VisitorClient, VisitorConnection,
};
use banner_proto::*;
use banner_server::auth::signature::sign_customer;

use super::wait::{arrived, until};
use super::{PASSWORD, SECRET, SITE, Server};

/// An agent logged in, with a socket.
pub struct Agent {
    pub client: AgentClient,
    pub ws: AgentConnection,
    pub welcome: Welcome,
}

impl Agent {
    pub fn id(&self) -> AgentId {
        self.welcome.agent.id
    }

    /// The id of the agent's first queue.
    pub fn queue(&self) -> QueueId {
        self.welcome.agent.queues[0].id
    }

    /// Every frame the server had fanned out to this agent before this call:
    /// a command that changes nothing (the agent's own notification settings)
    /// goes through the routing task, and the server sends what is waiting
    /// for the socket before its `ack`.
    pub async fn settle(&mut self) -> Vec<AgentFrame> {
        let same = self.welcome.agent.notifications;
        self.ws.set_notification_settings(same).await.unwrap();
        arrived(&mut self.ws)
    }
}

/// A new session of `username`, without a socket.
pub async fn login(server: &Server, username: &str) -> AgentClient {
    AgentClient::login(&server.base(), username, PASSWORD)
        .await
        .unwrap()
}

/// `username` logged in and connected (offline, as every agent starts).
pub async fn agent(server: &Server, username: &str) -> Agent {
    let client = login(server, username).await;
    let (ws, welcome) = client.connect(ConnectOptions::default()).await.unwrap();
    assert_eq!(welcome.agent.username, username);
    Agent {
        client,
        ws,
        welcome,
    }
}

/// `username` logged in, connected and available to chat.
pub async fn available(server: &Server, username: &str) -> Agent {
    let agent = agent(server, username).await;
    agent.ws.set_presence(Presence::Available).await.unwrap();
    agent
}

/// A visitor with a session and a socket.
pub struct Visitor {
    pub client: VisitorClient,
    pub ws: VisitorConnection,
    pub welcome: VisitorWelcome,
}

impl Visitor {
    /// Writes the first message; returns the conversation it started.
    pub async fn start(&self, text: &str) -> ConversationId {
        let ack = self.ws.send_message(None, text).await.unwrap();
        ack.conversation
            .expect("the ack names the new conversation")
    }

    /// Writes in `c`; returns the message's `seq`.
    pub async fn say(&self, c: ConversationId, text: &str) -> Seq {
        let ack = self.ws.send_message(Some(c), text).await.unwrap();
        ack.seq.expect("a message is logged")
    }
}

/// An anonymous visitor's session on `site_key`'s widget, without a socket.
pub async fn visitor_session(server: &Server, site_key: &str) -> VisitorClient {
    let request = VisitorSessionRequest {
        site_key: site_key.to_owned(),
        customer: None,
        direct_agent: None,
        locale: Some("fr-FR".into()),
    };
    VisitorClient::session(&server.base(), &request)
        .await
        .unwrap()
}

/// An anonymous visitor of `site_key`'s widget, connected.
pub async fn visitor(server: &Server, site_key: &str) -> Visitor {
    let client = visitor_session(server, site_key).await;
    connect_visitor(client, ConnectOptions::default()).await
}

/// A visitor's socket for an existing session.
pub async fn connect_visitor(client: VisitorClient, options: ConnectOptions) -> Visitor {
    let (ws, welcome) = client.connect(options).await.unwrap();
    Visitor {
        client,
        ws,
        welcome,
    }
}

/// A session for the customer `id` of the test site, signed by its back end.
pub async fn customer_session(server: &Server, id: &str, name: &str) -> VisitorClient {
    let request = VisitorSessionRequest {
        site_key: SITE.to_owned(),
        customer: Some(CustomerClaim {
            id: id.to_owned(),
            name: Some(name.to_owned()),
            email: None,
            signature: sign_customer(SECRET.as_bytes(), id),
        }),
        direct_agent: None,
        locale: None,
    };
    VisitorClient::session(&server.base(), &request)
        .await
        .unwrap()
}

/// Conversation `c`'s whole log as the store keeps it, read by Sue (who
/// supervises every chat) on a socket of her own.
pub async fn log_of(server: &Server, c: ConversationId) -> Vec<Logged<AgentEvent>> {
    let mut sue = agent(server, "sue").await;
    let latest = sue.ws.watch(c).await.unwrap().seq.unwrap();
    let (_, frames) = until(&mut sue.ws, |f| match f {
        AgentFrame::Event(l) if l.conversation == c && l.seq == latest => Some(()),
        _ => None,
    })
    .await;
    frames
        .into_iter()
        .filter_map(|f| match f {
            AgentFrame::Event(l) if l.conversation == c => Some(l),
            _ => None,
        })
        .collect()
}
