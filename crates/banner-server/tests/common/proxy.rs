//! A TCP proxy in front of the server, to lose a connection on purpose: `mute`
//! stops the server's bytes from reaching the clients (commands still get
//! through, their answers are lost), `cut` closes every connection at once, as
//! a network drop. Connections opened after a cut pass normally.

use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

#[derive(Clone, Copy, Debug, Default)]
struct Control {
    /// Bumped by each cut: connections of an older generation close.
    generation: u64,
    muted: bool,
}

/// See the module docs.
pub struct Proxy {
    pub addr: SocketAddr,
    control: watch::Sender<Control>,
    task: JoinHandle<()>,
}

impl Proxy {
    /// Listens on a free port and forwards to `upstream`.
    pub async fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (control, _) = watch::channel(Control::default());
        let rx = control.subscribe();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(pipe(client, upstream, rx.clone()));
            }
        });
        Proxy {
            addr,
            control,
            task,
        }
    }

    /// The base URL clients use to go through the proxy.
    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// From now on the server's bytes are dropped instead of forwarded.
    pub fn mute(&self) {
        self.control.send_modify(|c| c.muted = true);
    }

    /// Closes every connection; new ones pass, unmuted.
    pub fn cut(&self) {
        self.control.send_modify(|c| {
            c.generation += 1;
            c.muted = false;
        });
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn pipe(client: TcpStream, upstream: SocketAddr, control: watch::Receiver<Control>) {
    let generation = control.borrow().generation;
    let Ok(server) = TcpStream::connect(upstream).await else {
        return;
    };
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let up = tokio::io::copy(&mut client_read, &mut server_write);
    let muted = control.clone();
    let down = async {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match server_read.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            // A cut unmutes the connections that come after it, not this one:
            // a chunk read as the cut lands must not slip through before the
            // connection closes.
            let passes = {
                let c = muted.borrow();
                !c.muted && c.generation == generation
            };
            if !passes {
                continue;
            }
            if client_write.write_all(&buf[..n]).await.is_err() {
                return;
            }
        }
    };
    let mut cuts = control;
    let cut = cuts.wait_for(|c| c.generation != generation);
    tokio::select! {
        _ = up => {}
        () = down => {}
        _ = cut => {}
    }
}
