//! `cargo xtask demo --simulate`: a scripted shift through banner-core on a
//! simulated clock, printing every event and notification the engine emits —
//! what the server persists and fans out. It needs no network and runs in an
//! instant: a readable proof of the routing rules, kept beside the real demo.
//!
//! Lines read `time  > input` for what someone does, `time      outcome` for each
//! event, `time      ! notification` for each notification, and `time  ~ timer`
//! when a timer fires.
//!
//! Layout: `floor` (the configuration), `shift` (engine, clock and printing),
//! `narrate` (outputs in English); the story is below.

mod floor;
mod narrate;
mod shift;

use std::time::Duration;

use banner_core::{Entry, Time, TransferMode, TransferTarget};

use floor::{ADA, BOB, CY, SALES, SUE, SUPPORT, WELCOME};
use shift::Shift;

const NINE_AM: Time = Time::from_millis(9 * 3600 * 1000);

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

pub(super) fn run() -> Result<(), String> {
    let config = floor::config();
    println!("Banner demo: one morning on a simulated clock, through banner-core.");
    println!();
    println!("The floor:");
    floor::describe(&config);
    let mut shift = Shift::new(config, NINE_AM)?;

    shift.section("The shift starts");
    shift.available(&[ADA, BOB, CY, SUE])?;

    shift.section("Ann goes through the welcome menu to Sales");
    shift.wait(secs(40));
    let ann = shift.open(1, "Ann", Entry::Flow(WELCOME))?;
    shift.visitor_says(ann, "Hi! I'd like a quote for 20 seats.")?;
    shift.wait(secs(8));
    shift.visitor_says(ann, "Buy something")?;

    shift.section("Ann writes while the offer rings; Ada declines, the chat goes to Bob");
    shift.wait(secs(4));
    shift.visitor_says(ann, "Anyone there?")?;
    shift.wait(secs(3));
    shift.act("Ada declines", |e, now| e.decline(ADA, ann, now))?;
    shift.wait(secs(6));
    shift.act("Bob accepts", |e, now| e.accept(BOB, ann, now))?;

    shift.section("Messages both ways, and a private message");
    shift.wait(secs(10));
    shift.agent_says(BOB, ann, "Hello Ann, I'm Bob. Monthly or yearly?", false)?;
    shift.wait(secs(20));
    shift.visitor_says(ann, "Yearly, please.")?;
    shift.wait(secs(5));
    shift.agent_says(SUE, ann, "Yearly plans get the spring discount.", true)?;
    shift.wait(secs(5));
    shift.agent_says(BOB, ann, "Thanks Sue, passing it to Ada.", true)?;

    shift.section("Attended transfer from Bob to Ada");
    shift.wait(secs(5));
    shift.act("Bob transfers the chat to Ada, attended", |e, now| {
        e.transfer(
            BOB,
            ann,
            TransferTarget::User(ADA),
            TransferMode::Attended,
            now,
        )
    })?;
    shift.wait(secs(4));
    shift.act("Ada accepts the transfer", |e, now| e.accept(ADA, ann, now))?;
    shift.wait(secs(10));
    shift.agent_says(ADA, ann, "Hi Ann, Ada here. Let me get the figures.", false)?;

    shift.section("Ada waits for the customer: Sales freezes the chat; Ann comes back");
    shift.act("Ada waits for the customer", |e, now| {
        e.wait_for_customer(ADA, ann, now)
    })?;
    shift.show_pool(ADA)?;
    shift.wait(secs(300));
    shift.visitor_says(ann, "I'm back, did you get the figures?")?;
    shift.wait(secs(3));
    shift.act("Ada accepts her returning chat", |e, now| {
        e.accept(ADA, ann, now)
    })?;
    shift.agent_says(ADA, ann, "Yes: 1,800 EUR a year for 20 seats.", false)?;
    shift.wait(secs(15));
    shift.visitor_says(ann, "Perfect, thank you!")?;

    shift.section("Archive, wrap-up, history");
    shift.wait(secs(10));
    shift.act("Ada archives the chat", |e, now| e.archive(ADA, ann, now))?;
    shift.wait(secs(30));
    shift.act("Ada completes wrap-up: \"Quote sent\"", |e, now| {
        e.complete_wrap_up(ADA, ann, Some("Quote sent".into()), now)
    })?;
    shift.show_pool(ADA)?;

    shift.section("Direct routing (ocean blue) next to smart routing (raspberry red)");
    shift.wait(secs(60));
    let dan = shift.open(
        2,
        "Dan",
        Entry::Direct {
            agent: BOB,
            fallback: Some(SALES),
        },
    )?;
    shift.visitor_says(dan, "Hi Bob, Dan from Acme about our contract.")?;
    shift.wait(secs(5));
    shift.act("Bob accepts", |e, now| e.accept(BOB, dan, now))?;

    shift.section("Auto-accept: Eve asks for help and Cy's popup counts down");
    shift.wait(secs(20));
    let eve = shift.open(3, "Eve", Entry::Flow(WELCOME))?;
    shift.visitor_says(eve, "Hello, my order has not arrived.")?;
    shift.wait(secs(6));
    shift.visitor_says(eve, "2")?;
    shift.wait(secs(5));
    shift.agent_says(CY, eve, "Hi Eve, let me look up your order.", false)?;

    shift.section("Eve drops and does not come back: the reconnection timer expires");
    shift.wait(secs(10));
    shift.act("Eve's connection drops", |e, now| {
        e.visitor_disconnected(eve, now)
    })?;
    shift.wait(secs(45));
    shift.wait(secs(60));
    shift.show_pool(CY)?;

    shift.section("Bob finishes with Dan");
    shift.agent_says(BOB, dan, "Your contract renews on 1 June.", false)?;
    shift.wait(secs(10));
    shift.act("Bob archives the chat", |e, now| e.archive(BOB, dan, now))?;
    shift.act("Bob completes wrap-up: \"Contract question\"", |e, now| {
        e.complete_wrap_up(BOB, dan, Some("Contract question".into()), now)
    })?;

    shift.section("End of the demo: everyone's pool");
    for agent in [ADA, BOB, CY, SUE] {
        shift.show_pool(agent)?;
    }
    for queue in [SALES, SUPPORT] {
        shift.show_queue(queue);
    }
    Ok(())
}
