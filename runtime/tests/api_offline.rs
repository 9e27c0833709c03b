//! The offline kind's API, one test per method: `Error`, `Notification`, `ConnectionState`,
//! `Capabilities`, `OfflineManager` and `Advise` on a `SimulatedOutlook`, and `Sink::new`.

// Each test was its method's doc example.
mod support;
use mapi_notify_sink::mapi_notify_sink;
use mapi_notify_sink::simulator::SimulatedOutlook;
use mapi_notify_sink::sys;
use mapi_notify_sink::AdviseOptions;
use mapi_notify_sink::Capabilities;
use mapi_notify_sink::ConnectionState;
use mapi_notify_sink::ConnectionState::*;
use mapi_notify_sink::Error;
use mapi_notify_sink::Notification;
use mapi_notify_sink::OfflineManager;
use mapi_notify_sink::SetStateMode;
use mapi_notify_sink::Sink;
use mapi_notify_sink::StateChange;
use std::collections::HashSet;
use std::sync::atomic::AtomicU32;
use std::sync::atomic::Ordering;
use windows_core::Interface;

#[test]
fn error_new() {
    let error = Error::new(
        sys::MAPI_E_NOT_FOUND,
        format!("opening profile {:?}", "Outlook"),
    );
    assert_eq!(
        error.to_string(),
        "opening profile \"Outlook\" failed: 0x8004010F (MAPI_E_NOT_FOUND)"
    );
}

#[test]
fn error_code() {
    let error = Error::new(sys::E_INVALIDARG, "IMAPIOfflineMgr::Unadvise");
    assert_eq!(error.code(), sys::E_INVALIDARG);
    assert_eq!(error.code().0 as u32, 0x8007_0057);
}

#[test]
fn notification_new() {
    struct Counter(AtomicU32);

    #[mapi_notify_sink]
    impl Counter {
        fn notify(&self, info: &Notification<'_>) {
            if info.state_change().is_some() {
                self.0.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    // A header-only notification (ulSize 12): no `Info`, so no state change.
    let raw = sys::MAPIOFFLINE_NOTIFY {
        ulSize: 12,
        NotifyType: sys::MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE,
        ..Default::default()
    };
    let counter = Counter(AtomicU32::new(0));
    counter.notify(&Notification::new(&raw));
    assert_eq!(counter.0.load(Ordering::Relaxed), 0);
}

#[test]
fn notification_kind() {
    let mut raw = sys::MAPIOFFLINE_NOTIFY {
        ulSize: 24,
        NotifyType: sys::MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE_DONE,
        ulClientToken: 0x5eed,
        ..Default::default()
    };
    raw.Info.StateChange = sys::MAPIOFFLINE_NOTIFY_0_0 {
        ulMask: sys::MAPIOFFLINE_STATE_OFFLINE_MASK,
        ulStateOld: sys::MAPIOFFLINE_STATE_OFFLINE,
        ulStateNew: sys::MAPIOFFLINE_STATE_ONLINE,
    };
    let info = Notification::new(&raw);
    assert_eq!(info.kind(), mapi_notify_sink::NotifyKind::StateChangeDone);
}

#[test]
fn notification_client_token() {
    let mut raw = sys::MAPIOFFLINE_NOTIFY {
        ulSize: 24,
        NotifyType: sys::MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE_DONE,
        ulClientToken: 0x5eed,
        ..Default::default()
    };
    raw.Info.StateChange = sys::MAPIOFFLINE_NOTIFY_0_0 {
        ulMask: sys::MAPIOFFLINE_STATE_OFFLINE_MASK,
        ulStateOld: sys::MAPIOFFLINE_STATE_OFFLINE,
        ulStateNew: sys::MAPIOFFLINE_STATE_ONLINE,
    };
    let info = Notification::new(&raw);
    assert_eq!(info.client_token(), 0x5eed);
}

#[test]
fn notification_state_change() {
    let mut raw = sys::MAPIOFFLINE_NOTIFY {
        ulSize: 24,
        NotifyType: sys::MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE_DONE,
        ulClientToken: 0x5eed,
        ..Default::default()
    };
    raw.Info.StateChange = sys::MAPIOFFLINE_NOTIFY_0_0 {
        ulMask: sys::MAPIOFFLINE_STATE_OFFLINE_MASK,
        ulStateOld: sys::MAPIOFFLINE_STATE_OFFLINE,
        ulStateNew: sys::MAPIOFFLINE_STATE_ONLINE,
    };
    let info = Notification::new(&raw);
    assert_eq!(
        info.state_change(),
        Some(StateChange {
            old: Offline,
            new: Online
        })
    );

    // Another mask: not an online/offline change.
    raw.Info.StateChange.ulMask = 0x100;
    assert_eq!(Notification::new(&raw).state_change(), None);
}

#[test]
fn notification_raw() {
    let mut raw = sys::MAPIOFFLINE_NOTIFY {
        ulSize: 24,
        NotifyType: sys::MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE_DONE,
        ulClientToken: 0x5eed,
        ..Default::default()
    };
    raw.Info.StateChange = sys::MAPIOFFLINE_NOTIFY_0_0 {
        ulMask: sys::MAPIOFFLINE_STATE_OFFLINE_MASK,
        ulStateOld: sys::MAPIOFFLINE_STATE_OFFLINE,
        ulStateNew: sys::MAPIOFFLINE_STATE_ONLINE,
    };
    let info = Notification::new(&raw);
    assert_eq!(info.raw().ulSize, 24);
    assert_eq!(
        info.raw().NotifyType,
        sys::MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE_DONE
    );
}

#[test]
fn connection_state_eq() {
    assert_eq!(Online, Online);
    assert_ne!(Online, Offline);
    assert_eq!(Other(3), Other(3));
    assert_ne!(Other(0), Other(3));
    assert_ne!(Other(2), Online); // not made by `from_bits`, and still not equal
}

#[test]
fn connection_state_hash() {
    let seen: HashSet<_> = [0x2, 0x102, 0x1, 0x3]
        .map(ConnectionState::from_bits)
        .into();
    assert_eq!(seen.len(), 3); // 0x2 and 0x102 are both `Online`
}

#[test]
fn connection_state_from_bits() {
    assert_eq!(ConnectionState::from_bits(0x102), ConnectionState::Online);
    assert_eq!(ConnectionState::from_bits(0x3), ConnectionState::Other(3));
}

#[test]
fn connection_state_bits() {
    assert_eq!(ConnectionState::Offline.bits(), 0x1);
    assert_eq!(ConnectionState::Other(0x103).bits(), 0x3); // only the mask's bits
}

#[test]
fn capabilities_can_go_offline() {
    assert!(Capabilities(sys::MAPIOFFLINE_CAPABILITY_OFFLINE).can_go_offline());
    assert!(!Capabilities(sys::MAPIOFFLINE_CAPABILITY_ONLINE).can_go_offline());
}

#[test]
fn capabilities_can_go_online() {
    assert!(Capabilities(sys::MAPIOFFLINE_CAPABILITY_ONLINE).can_go_online());
    assert!(!Capabilities(0).can_go_online());
}

#[test]
fn offline_manager_from_raw() {
    let outlook = SimulatedOutlook::new();
    // An IMAPIOfflineMgr* from code with its own bindings, with a reference of its own:
    let raw = unsafe { sys::IMAPIOfflineMgr::from_raw_borrowed(&outlook.manager().as_raw()) }
        .unwrap()
        .clone()
        .into_raw();
    // SAFETY: a live IMAPIOfflineMgr*, and its reference is handed over.
    let manager = unsafe { OfflineManager::from_raw(raw) };
    assert_eq!(manager.state().unwrap(), ConnectionState::Online);
}

#[test]
fn offline_manager_as_raw() {
    let outlook = SimulatedOutlook::new();
    let manager = outlook.manager();
    let clone = manager.clone(); // another reference to the same object
    assert_eq!(manager.as_raw(), clone.as_raw());
}

#[test]
fn offline_manager_capabilities() {
    let capabilities = SimulatedOutlook::new().manager().capabilities().unwrap();
    assert!(capabilities.can_go_offline() && capabilities.can_go_online());
}

#[test]
fn offline_manager_state() {
    let outlook = SimulatedOutlook::new();
    assert_eq!(outlook.manager().state().unwrap(), ConnectionState::Online);
    outlook.go_offline();
    assert_eq!(outlook.manager().state().unwrap(), ConnectionState::Offline);
}

#[test]
fn offline_manager_set_state() {
    let manager = SimulatedOutlook::new().manager();
    manager
        .set_state(ConnectionState::Offline, SetStateMode::Block)
        .unwrap();
    assert_eq!(manager.state().unwrap(), ConnectionState::Offline);
}

#[test]
fn offline_manager_advise() {
    struct Tokens(AtomicU32);

    #[mapi_notify_sink]
    impl Tokens {
        fn notify(&self, info: &Notification<'_>) {
            self.0.store(info.client_token(), Ordering::Relaxed);
        }
    }

    let outlook = SimulatedOutlook::new();
    let sink = Sink::new(Tokens(AtomicU32::new(0)));
    let options = AdviseOptions {
        client_token: 42,
        ..AdviseOptions::default()
    };
    let advise = outlook.manager().advise(&sink, options).unwrap();
    assert_eq!(Sink::ref_count(&sink), 2); // ours and the manager's
    outlook.go_offline();
    assert_eq!(sink.0.load(Ordering::Relaxed), 42);
    advise.unadvise().unwrap();
    assert_eq!(Sink::ref_count(&sink), 1);
}

#[test]
fn advise_token() {
    struct Quiet;

    #[mapi_notify_sink]
    impl Quiet {
        fn notify(&self, _info: &Notification<'_>) {}
    }

    let manager = SimulatedOutlook::new().manager();
    let advise = manager
        .advise(&Sink::new(Quiet), AdviseOptions::default())
        .unwrap();
    assert_ne!(advise.token(), 0); // the simulator's tokens start at 1
}

#[test]
fn advise_unadvise() {
    struct Quiet;

    #[mapi_notify_sink]
    impl Quiet {
        fn notify(&self, _info: &Notification<'_>) {}
    }

    let outlook = SimulatedOutlook::new();
    let advise = outlook
        .manager()
        .advise(&Sink::new(Quiet), AdviseOptions::default())
        .unwrap();
    advise.unadvise().expect("the simulator knows the token");
    assert_eq!(outlook.advised(), 0);
}

#[test]
fn sink_new() {
    struct Quiet;

    #[mapi_notify_sink]
    impl Quiet {
        fn notify(&self, _info: &Notification<'_>) {}
    }

    let sink = Sink::new(Quiet);
    assert_eq!(Sink::ref_count(&sink), 1);
}
