//! The demo: until the server lands, a scripted shift through banner-core on a
//! simulated clock, printing every event the server would persist and fan out.

pub(crate) fn run() -> Result<(), String> {
    Ok(())
}
