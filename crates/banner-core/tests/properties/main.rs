//! Property tests: random interleavings of every engine input and of time, on
//! random floors, with the routing invariants checked after every step.
//!
//! - `floor`: random floors (agents, capacities, queues and their options).
//! - `ops`: the inputs and their strategy.
//! - `aim`: turns an op's choices into agents and chats, often fitting ones.
//! - `driver`: runs ops on a simulated clock; a refused input changes nothing.
//! - `invariants`: capacity, one holder, one place, no chat lost, timers,
//!   offers only to available agents, no pair left unserved.
//! - `ledger`: the event stream agrees with the engine; timers fire once, on time.

mod aim;
#[path = "../common/mod.rs"]
mod common;
mod driver;
mod floor;
mod invariants;
mod ledger;
mod ops;

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use driver::Driver;
use floor::{FloorSpec, floor_spec};
use ops::{Op, op};

/// Runs `ops` on `floor`, then lets every timer run out, checking after each step.
fn run(floor: FloorSpec, ops: &[Op]) -> Result<(), TestCaseError> {
    let mut driver = Driver::new(floor);
    driver.start()?;
    for (i, op) in ops.iter().enumerate() {
        driver.step(op).map_err(|e| {
            TestCaseError::fail(format!("after step {i} ({op:?}) at {:?}: {e}", driver.now))
        })?;
    }
    driver
        .settle()
        .map_err(|e| TestCaseError::fail(format!("while settling: {e}")))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn routing_invariants_hold_after_every_step(
        floor in floor_spec(),
        ops in prop::collection::vec(op(), 1..120),
    ) {
        run(floor, &ops)?;
    }
}
