//! `cargo xtask demo`: the README's run command.
//!
//! - `cargo xtask demo [--listen ADDR] [--fresh]` builds banner-server and runs
//!   it with the demo floor (`serve`): the URLs it serves and the demo users'
//!   credentials are printed, and it runs until Ctrl-C.
//! - `cargo xtask demo --simulate` plays a scripted shift through banner-core
//!   on a simulated clock (`simulate`), offline and instant.

pub(crate) mod serve;
mod simulate;

use std::net::SocketAddr;

const USAGE: &str =
    "usage: cargo xtask demo [--listen ADDR] [--fresh] | cargo xtask demo --simulate";

/// Runs the demo `args` ask for.
pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let mut options = serve::Options::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--simulate" => return simulate::run(),
            "--fresh" => options.fresh = true,
            "--listen" => {
                let addr = args.next().ok_or(USAGE)?;
                options.listen = addr
                    .parse::<SocketAddr>()
                    .map_err(|e| format!("--listen {addr}: {e}"))?;
            }
            _ => return Err(USAGE.into()),
        }
    }
    serve::run(&options)
}
