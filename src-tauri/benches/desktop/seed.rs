//! The floor the app is measured on: Ada, played by banner-client on her own
//! session, holds `chats` chats, each with `per_chat` messages written both
//! ways, the last one Ada's "last line of chat N". The app then logs in as
//! Ada too and sees them all under "In progress".

use banner_client::{AgentClient, AgentConnection, ConnectOptions, VisitorConnection};
use banner_proto::{ConversationId, Presence};

use crate::support::Fail;
use crate::support::server::Server;
use crate::support::steps::{visitor, wait_for_frame};

/// A chat being worked: its id and the visitor's side of it.
pub struct Chat {
    pub id: ConversationId,
    pub visitor: VisitorConnection,
    _client: banner_client::VisitorClient,
}

/// Ada's banner-client session and the chats she holds.
pub struct Floor {
    pub ada: AgentConnection,
    pub chats: Vec<Chat>,
    _client: AgentClient,
}

/// Ada available on her own session, then `chats` visitors, each accepted.
pub async fn floor(server: &Server, chats: usize) -> Result<Floor, Fail> {
    let client = AgentClient::login(&server.url, "ada", server.password("ada")).await?;
    let (mut ada, _) = client.connect(ConnectOptions::default()).await?;
    ada.set_presence(Presence::Available).await?;
    let mut list = Vec::with_capacity(chats);
    for n in 0..chats {
        list.push(new_chat(server, &mut ada, n).await?);
    }
    Ok(Floor {
        ada,
        chats: list,
        _client: client,
    })
}

/// One visitor writes; the chat rings Ada, who accepts it.
pub async fn new_chat(server: &Server, ada: &mut AgentConnection, n: usize) -> Result<Chat, Fail> {
    let (client, visitor) = visitor(&server.url).await?;
    let ack = visitor
        .send_message(None, &format!("Hello, I am visitor {n}."))
        .await?;
    let id = ack
        .conversation
        .ok_or("the first message names no conversation")?;
    wait_for_frame(ada, "the offer", |f| {
        f["event"]["type"] == "offer" && f["event"]["conversation"] == serde_json::json!(id)
    })
    .await?;
    ada.accept(id).await?;
    Ok(Chat {
        id,
        visitor,
        _client: client,
    })
}

/// Writes `per_chat` messages in every chat (visitor and Ada in turn, the
/// chats in parallel), ending each with Ada's "last line of chat N".
pub async fn talk(floor: &Floor, per_chat: usize) -> Result<(), Fail> {
    let each = floor
        .chats
        .iter()
        .map(|chat| exchange(&floor.ada, chat, per_chat));
    futures_util::future::try_join_all(each).await?;
    Ok(())
}

/// `count` more messages in one chat; the first message is already there.
pub async fn exchange(ada: &AgentConnection, chat: &Chat, count: usize) -> Result<(), Fail> {
    for k in 1..count.saturating_sub(1) {
        let text = format!(
            "Message {k} of chat {}: a line of ordinary length, about an order and a delivery date.",
            chat.id
        );
        if k % 2 == 1 {
            chat.visitor.send_message(Some(chat.id), &text).await?;
        } else {
            ada.send_message(chat.id, &text, false).await?;
        }
    }
    ada.send_message(chat.id, &last_line(chat.id), false)
        .await?;
    Ok(())
}

/// The text that ends each chat, shown as its latest message in the pool.
pub fn last_line(id: ConversationId) -> String {
    // The full stop keeps "chat 1." from matching inside "chat 10.".
    format!("last line of chat {id}.")
}
