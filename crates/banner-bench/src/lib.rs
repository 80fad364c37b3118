//! banner-bench: Banner's benchmarks and crash proof, as a library behind the
//! `banner-bench` binary that `cargo xtask bench` and `cargo xtask crash` run
//! (in release). Every benchmark prints its figures as [`figure::Figure`]s,
//! each compared with a baseline measured in the same run.
//!
//! # Layout
//!
//! - [`figure`]: one measured figure and how it is printed for xtask.
//! - [`server`]: the real `banner-server` binary on `127.0.0.1`, on a temp
//!   data dir with the bench floor.
//! - [`proc_stats`]: CPU time and memory of a process, from `/proc`.
//! - [`stats`]: latency percentiles.
//! - [`load`]: the load generator over banner-client (real chats).
//! - [`relay`]: the bare tokio-tungstenite relay the generator's baseline runs on.
//! - [`hold`]: idle sockets held open, for memory per connection.
//! - [`durable`]: durable writes: group commit against raw SQLite.
//! - [`disk_syncs`]: the disk's own sync times, the floor under every commit.
//! - [`crash`]: kill -9 under load, restart, compare acknowledged messages
//!   with the store.
//! - [`widget`]: the built widget's sizes, gzipped.

pub mod crash;
pub mod disk_syncs;
pub mod durable;
pub mod figure;
pub mod hold;
pub mod load;
pub mod proc_stats;
pub mod relay;
pub mod server;
pub mod stats;
pub mod widget;
