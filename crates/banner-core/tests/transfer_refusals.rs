//! Transfers that are refused: one at a time, permissions by kind of target,
//! supervisors' reassign, transfers to oneself, and targets who cannot take it.

mod common;

use TransferMode::{Attended, Blind};
use TransferTarget::{Queue, User};
use banner_core::*;
use common::transfer::*;
use common::*;

#[test]
fn only_one_transfer_at_a_time() {
    let (mut sim, c) = ada_holding(2, &[BOB, CY]);
    transfer(&mut sim, ADA, c, User(BOB), Attended).unwrap();
    let before = sim.events.len();
    for (target, mode) in [
        (User(CY), Attended),
        (User(CY), Blind),
        (Queue(SUPPORT), Blind),
        (TransferTarget::Flow(WELCOME), Blind),
    ] {
        assert_eq!(
            transfer(&mut sim, ADA, c, target, mode),
            Err(Error::TransferInProgress(c)),
            "{target:?} {mode:?}"
        );
    }
    assert_eq!(
        sim.run(|e, now| e.archive(ADA, c, now)),
        Err(Error::TransferInProgress(c)),
        "nor archived while the transfer rings"
    );
    assert_eq!(sim.events.len(), before);
    assert_eq!(sim.ringing(c), Some(BOB));
}

#[test]
fn an_agent_needs_the_permission_for_the_kind_of_target() {
    let cases = [
        (Permission::TransferToUser, User(BOB)),
        (Permission::TransferToQueue, Queue(SUPPORT)),
        (Permission::TransferToFlow, TransferTarget::Flow(WELCOME)),
    ];
    for (permission, target) in cases {
        let mut config = floor(2);
        config.agents[0].profile.permissions.remove(&permission);
        let mut sim = Sim::new(config);
        for a in [ADA, BOB, CY] {
            sim.available(a);
        }
        let c = sim.held_by(ADA, Entry::Queue(SALES));
        let actions = sim.engine.actions(ADA, c).unwrap();
        let shown = [
            actions.transfer_to_user,
            actions.transfer_to_queue,
            actions.transfer_to_flow,
        ];
        assert_eq!(shown.iter().filter(|s| !**s).count(), 1, "{permission:?}");

        let why = Error::Forbidden {
            agent: ADA,
            permission,
        };
        assert_refused(&mut sim, ADA, c, (target, Blind), why);
        assert_eq!(sim.holder(c), Some(ADA));
    }
}

#[test]
fn a_supervisor_with_reassign_moves_another_agents_chat() {
    let (mut sim, c) = ada_holding(2, &[BOB]);
    transfer(&mut sim, SUE, c, User(BOB), Blind).unwrap();
    assert!(sim.events.contains(&Event::TransferRequested {
        conversation: c,
        by: SUE,
        from: ADA,
        target: User(BOB),
        mode: Blind,
    }));
    assert_eq!(sim.ringing(c), Some(BOB));
    assert_eq!(sim.load(ADA), 0);
}

#[test]
fn a_supervisor_may_reassign_a_chat_to_herself() {
    let (mut sim, c) = ada_holding(2, &[SUE]);
    transfer(&mut sim, SUE, c, User(SUE), Blind).unwrap();
    sim.run(|e, now| e.accept(SUE, c, now)).unwrap();
    assert_eq!(sim.holder(c), Some(SUE));
    assert_eq!(in_progress(&sim, c), vec![SUE]);
}

#[test]
fn a_supervisor_without_reassign_cannot_move_someone_elses_chat() {
    let mut config = floor(2);
    config.agents[3]
        .profile
        .permissions
        .remove(&Permission::Reassign);
    let mut sim = Sim::new(config);
    sim.available(ADA);
    sim.available(BOB);
    let c = sim.held_by(ADA, Entry::Queue(SALES));
    let why = Error::Forbidden {
        agent: SUE,
        permission: Permission::Reassign,
    };
    assert_refused(&mut sim, SUE, c, (User(BOB), Blind), why);
}

#[test]
fn a_plain_agent_cannot_transfer_or_cancel_another_agents_transfer() {
    let (mut sim, c) = ada_holding(2, &[BOB, CY]);
    let why = Error::Forbidden {
        agent: CY,
        permission: Permission::Reassign,
    };
    assert_refused(&mut sim, CY, c, (User(CY), Blind), why.clone());

    transfer(&mut sim, ADA, c, User(BOB), Attended).unwrap();
    assert_eq!(sim.run(|e, now| e.cancel_transfer(CY, c, now)), Err(why));
    assert_eq!(sim.ringing(c), Some(BOB));
    sim.run(|e, now| e.cancel_transfer(SUE, c, now))
        .expect("a supervisor may call it off");
    assert_eq!(sim.holder(c), Some(ADA));
}

#[test]
fn a_transfer_to_oneself_is_refused() {
    let (mut sim, c) = ada_holding(2, &[]);
    for mode in [Blind, Attended] {
        assert_refused(
            &mut sim,
            ADA,
            c,
            (User(ADA), mode),
            Error::TransferToSelf(ADA),
        );
        assert_eq!(sim.holder(c), Some(ADA));
    }
}

#[test]
fn a_transfer_to_a_user_who_is_offline_away_or_full_is_refused() {
    let (mut sim, c) = ada_holding(1, &[]);
    let modes = [Blind, Attended];
    for mode in modes {
        assert_refused(
            &mut sim,
            ADA,
            c,
            (User(BOB), mode),
            Error::Unavailable { agent: BOB },
        );
    }

    sim.available(BOB);
    sim.run(|e, now| e.set_presence(BOB, Presence::Away, now))
        .unwrap();
    for mode in modes {
        assert_refused(
            &mut sim,
            ADA,
            c,
            (User(BOB), mode),
            Error::Unavailable { agent: BOB },
        );
    }

    sim.available(BOB);
    sim.held_by(BOB, Entry::Queue(SALES));
    for mode in modes {
        assert_refused(
            &mut sim,
            ADA,
            c,
            (User(BOB), mode),
            Error::AtCapacity { agent: BOB },
        );
    }
    assert_eq!(sim.holder(c), Some(ADA));
}
