//! [`HubHandle`]: how sockets and handlers reach the hub — a request over
//! its bounded queue, with a oneshot for the reply, awaited at once
//! ([`HubHandle::ask`]) or aside ([`HubHandle::submit`], `ws::awaited`).

use banner_proto::ErrorCode;
use tokio::sync::{mpsc, oneshot};

use super::{Refusal, Request};

/// The refusal for a hub that is gone.
pub(crate) fn gone() -> Refusal {
    Refusal::new(
        ErrorCode::ServiceUnavailable,
        "The server is stopping; try again in a moment.",
    )
}

/// A cheap handle for asking the hub.
#[derive(Clone, Debug)]
pub struct HubHandle {
    pub(super) tx: mpsc::Sender<Request>,
}

impl HubHandle {
    /// Sends the request `make` builds around a reply channel, and awaits the reply.
    pub async fn ask<T>(
        &self,
        make: impl FnOnce(oneshot::Sender<T>) -> Request,
    ) -> Result<T, Refusal> {
        let reply = self.submit(make).await?;
        reply.await.map_err(|_| gone())
    }

    /// Sends the request `make` builds around a reply channel, without
    /// awaiting the reply: the caller awaits it when it suits (`ws::awaited`).
    pub async fn submit<T>(
        &self,
        make: impl FnOnce(oneshot::Sender<T>) -> Request,
    ) -> Result<oneshot::Receiver<T>, Refusal> {
        let (tx, rx) = oneshot::channel();
        self.tx.send(make(tx)).await.map_err(|_| gone())?;
        Ok(rx)
    }

    /// Sends a request that has no reply.
    pub async fn tell(&self, request: Request) {
        let _ = self.tx.send(request).await;
    }
}
