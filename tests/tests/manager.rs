//! The safe client (`OfflineManager`, the `Advise` guard, `AdviseOptions`, `Error`) as its
//! documentation describes it, on a `SimulatedOutlook`. Every test ends by proving each sink was dropped
//! exactly once.

mod support;

use mapi_notify_sink::simulator::SimulatedOutlook;
use mapi_notify_sink::{
    sys, Advise, AdviseOptions, ConnectionState, NotifyKind, SetStateMode, Sink,
};
use std::collections::HashSet;
use std::thread;
use std::time::Duration;
use support::{capture_logs, gate, transition, Pace, RawManager, StateRecorder, TRANSITION};

const ONLINE: u32 = sys::MAPIOFFLINE_STATE_ONLINE;
const OFFLINE: u32 = sys::MAPIOFFLINE_STATE_OFFLINE;

#[test]
fn dropping_the_registration_unadvises() {
    let outlook = SimulatedOutlook::new();
    let (sink, drops) = StateRecorder::sink(Pace::Immediate);
    let advise = outlook
        .manager()
        .advise(&sink, AdviseOptions::default())
        .unwrap();
    assert_eq!((Sink::ref_count(&sink), outlook.advised()), (2, 1));

    drop(advise);
    assert_eq!((Sink::ref_count(&sink), outlook.advised()), (1, 0));
    outlook.go_offline();
    assert_eq!(sink.seen(), [], "an unadvised sink is not notified");
    drop(sink);
    assert_eq!(drops.count(), 1);
}

#[test]
fn each_registration_has_its_own_non_zero_token_and_unadvise_returns_ok() {
    let outlook = SimulatedOutlook::new();
    let manager = outlook.manager();
    let (sink, drops) = StateRecorder::sink(Pace::Immediate);
    let advises: Vec<Advise> = (0..3)
        .map(|_| manager.advise(&sink, AdviseOptions::default()).unwrap())
        .collect();
    let tokens: HashSet<u32> = advises.iter().map(Advise::token).collect();
    assert_eq!(tokens.len(), 3, "distinct: {tokens:?}");
    assert!(!tokens.contains(&0), "non-zero: {tokens:?}");
    assert_eq!((Sink::ref_count(&sink), outlook.advised()), (4, 3));

    for (unadvised, advise) in (1..).zip(advises) {
        assert_eq!(advise.unadvise(), Ok(()));
        assert_eq!(Sink::ref_count(&sink), 4 - unadvised);
        assert_eq!(outlook.advised(), 3 - unadvised as usize);
    }
    drop(sink);
    assert_eq!(drops.count(), 1);
}

#[test]
fn unadvise_reports_a_token_already_unadvised_through_the_vtable() {
    let outlook = SimulatedOutlook::new();
    let manager = outlook.manager();
    let (sink, drops) = StateRecorder::sink(Pace::Immediate);
    let advise = manager.advise(&sink, AdviseOptions::default()).unwrap();
    assert_eq!(
        RawManager::new(&manager).unadvise(advise.token()),
        sys::S_OK
    );
    assert_eq!(Sink::ref_count(&sink), 1);

    let error = advise.unadvise().unwrap_err();
    assert_eq!(error.code(), sys::E_INVALIDARG);
    let shown = error.to_string();
    assert!(
        shown.contains("Unadvise") && shown.contains("E_INVALIDARG"),
        "{shown}"
    );
    let error: &dyn std::error::Error = &error;
    assert_eq!(error.to_string(), shown);
    assert!(error.source().is_none());

    assert_eq!(Sink::ref_count(&sink), 1);
    drop(sink);
    assert_eq!(drops.count(), 1);
}

#[test]
fn dropping_a_registration_whose_unadvise_fails_logs_an_error() {
    let outlook = SimulatedOutlook::new();
    let manager = outlook.manager();
    let (sink, drops) = StateRecorder::sink(Pace::Immediate);
    let advise = manager.advise(&sink, AdviseOptions::default()).unwrap();
    let token = advise.token();
    assert_eq!(RawManager::new(&manager).unadvise(token), sys::S_OK);

    let ((), logged) = capture_logs(|| drop(advise));
    let errors = logged.at(log::Level::Error);
    assert_eq!(errors.len(), 1, "{logged:?}");
    assert!(errors[0].contains(&format!("token {token}")), "{errors:?}");
    assert!(errors[0].contains("Unadvise"), "{errors:?}");

    assert_eq!((Sink::ref_count(&sink), outlook.advised()), (1, 0));
    drop(sink);
    assert_eq!(drops.count(), 1);
}

#[test]
fn state_and_capabilities_of_a_new_simulator() {
    let outlook = SimulatedOutlook::new();
    let manager = outlook.manager();
    assert_eq!(manager.state(), Ok(ConnectionState::Online));
    let capabilities = manager.capabilities().unwrap();
    assert!(
        capabilities.can_go_offline() && capabilities.can_go_online(),
        "{capabilities:?}"
    );
}

#[test]
fn set_state_block_returns_after_every_notification() {
    const CLIENT_TOKEN: u32 = 0xB10C;
    let outlook = SimulatedOutlook::new();
    let manager = outlook.manager();
    let (sink, drops) = StateRecorder::sink(Pace::Sleep(Duration::from_millis(20)));
    let options = AdviseOptions {
        client_token: CLIENT_TOKEN,
        ..AdviseOptions::default()
    };
    let advise = manager.advise(&sink, options).unwrap();

    assert_eq!(
        manager.set_state(ConnectionState::Offline, SetStateMode::Block),
        Ok(())
    );
    assert_eq!(
        sink.kinds(),
        TRANSITION,
        "all three, before set_state returned"
    );
    assert_eq!(manager.state(), Ok(ConnectionState::Offline));
    let delivery = sink.seen()[0].thread;
    assert_eq!(
        sink.seen(),
        transition(CLIENT_TOKEN, ONLINE, OFFLINE, delivery)
    );

    assert_eq!(
        manager.set_state(ConnectionState::Online, SetStateMode::Block),
        Ok(())
    );
    assert_eq!(
        sink.seen()[3..],
        transition(CLIENT_TOKEN, OFFLINE, ONLINE, delivery)
    );
    assert_eq!(manager.state(), Ok(ConnectionState::Online));

    assert_eq!(advise.unadvise(), Ok(()));
    drop(sink);
    assert_eq!(drops.count(), 1);
}

#[test]
fn set_state_async_returns_at_once_and_go_online_waits_for_it() {
    let outlook = SimulatedOutlook::new();
    let manager = outlook.manager();
    let (gate, keeper) = gate();
    let (sink, drops) = StateRecorder::sink(Pace::HoldAt(NotifyKind::StateChangeStart, gate));
    let advise = manager.advise(&sink, AdviseOptions::default()).unwrap();

    assert_eq!(
        manager.set_state(ConnectionState::Offline, SetStateMode::Async),
        Ok(())
    );
    keeper.wait_until_held();
    assert_eq!(sink.kinds(), [NotifyKind::StateChangeStart]);
    let pending = manager
        .set_state(ConnectionState::Online, SetStateMode::Async)
        .unwrap_err();
    assert_eq!(pending.code(), sys::E_PENDING);
    assert!(pending.to_string().contains("SetCurrentState"), "{pending}");

    // go_online, called while the sink is still held, waits for the change under way.
    thread::scope(|scope| {
        scope.spawn(move || {
            thread::sleep(Duration::from_millis(50));
            keeper.open();
        });
        outlook.go_online();
    });
    let delivery = sink.seen()[0].thread;
    let both = [
        transition(0, ONLINE, OFFLINE, delivery),
        transition(0, OFFLINE, ONLINE, delivery),
    ];
    assert_eq!(sink.seen(), both.concat());
    assert_eq!(manager.state(), Ok(ConnectionState::Online));

    drop(advise);
    drop(sink);
    assert_eq!(drops.count(), 1);
}

#[test]
fn advise_options_reach_the_notifications() {
    assert_eq!(
        AdviseOptions::default(),
        AdviseOptions {
            client_token: 0,
            state_mask: sys::MAPIOFFLINE_STATE_ALL
        }
    );
    let outlook = SimulatedOutlook::new();
    let manager = outlook.manager();
    let (custom, custom_drops) = StateRecorder::sink(Pace::Immediate);
    let (default, default_drops) = StateRecorder::sink(Pace::Immediate);
    let (uninterested, uninterested_drops) = StateRecorder::sink(Pace::Immediate);
    let custom_options = AdviseOptions {
        client_token: 0xC0FFEE,
        ..AdviseOptions::default()
    };
    let not_the_offline_bits = AdviseOptions {
        state_mask: 0x100,
        ..AdviseOptions::default()
    };
    let advises = [
        manager.advise(&custom, custom_options).unwrap(),
        manager.advise(&default, AdviseOptions::default()).unwrap(),
        manager.advise(&uninterested, not_the_offline_bits).unwrap(),
    ];
    assert_eq!(outlook.advised(), 3);

    outlook.go_offline();
    let delivery = custom.seen()[0].thread;
    assert_eq!(
        custom.seen(),
        transition(0xC0FFEE, ONLINE, OFFLINE, delivery)
    );
    assert_eq!(default.seen(), transition(0, ONLINE, OFFLINE, delivery));
    assert_eq!(
        uninterested.seen(),
        [],
        "state_mask without the offline bits"
    );

    drop(advises);
    drop((custom, default, uninterested));
    assert_eq!(custom_drops.count(), 1);
    assert_eq!(default_drops.count(), 1);
    assert_eq!(uninterested_drops.count(), 1);
}

#[test]
fn one_sink_on_two_managers_hears_each_with_its_own_token() {
    let (first, second) = (SimulatedOutlook::new(), SimulatedOutlook::new());
    let (sink, drops) = StateRecorder::sink(Pace::Immediate);
    let advise = |outlook: &SimulatedOutlook, client_token| {
        let options = AdviseOptions {
            client_token,
            ..AdviseOptions::default()
        };
        outlook.manager().advise(&sink, options).unwrap()
    };
    let on_first = advise(&first, 0xA);
    let on_second = advise(&second, 0xB);
    assert_eq!(Sink::ref_count(&sink), 3);
    assert_eq!((first.advised(), second.advised()), (1, 1));

    first.go_offline();
    let first_thread = sink.seen()[0].thread;
    assert_eq!(sink.seen(), transition(0xA, ONLINE, OFFLINE, first_thread));
    second.go_offline();
    let second_thread = sink.seen()[3].thread;
    assert_ne!(
        first_thread, second_thread,
        "each simulator delivers from its own thread"
    );
    assert_eq!(
        sink.seen()[3..],
        transition(0xB, ONLINE, OFFLINE, second_thread)
    );

    drop(on_first);
    assert_eq!(
        (Sink::ref_count(&sink), first.advised(), second.advised()),
        (2, 0, 1)
    );
    assert_eq!(on_second.unadvise(), Ok(()));
    assert_eq!((Sink::ref_count(&sink), second.advised()), (1, 0));
    drop(sink);
    assert_eq!(drops.count(), 1);
}
