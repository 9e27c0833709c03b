//! `OfflineManager::open` for real: this test program loads the stand-in `olmapi32.dll` (as
//! Outlook has its MAPI loaded), so `open` finds `HrOpenOfflineObj` by `GetModuleHandleW`
//! and `GetProcAddress`, exactly as inside Outlook. Then its failure paths: an error HRESULT,
//! a null object, an unknown profile. (No MAPI DLL at all is `tests/tests/open.rs`, in a
//! process that never loads one.)
#![cfg(windows)]

use mapi_notify_sink::{
    mapi_notify_sink, sys, AdviseOptions, ConnectionState, Notification, NotifyKind,
    OfflineManager, Sink,
};
use outlook_sim::standin::{StandIn, StandInStatus};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};
use windows_core::HRESULT;

const PROFILE: &str = "Büro – Outlook";
const S_OK: HRESULT = HRESULT(0);

/// The stand-in is one per process: tests that configure it take turns.
fn stand_in() -> (MutexGuard<'static, ()>, &'static StandIn) {
    static TURN: Mutex<()> = Mutex::new(());
    static STAND_IN: OnceLock<StandIn> = OnceLock::new();
    let turn = TURN.lock().unwrap_or_else(PoisonError::into_inner);
    let stand_in = STAND_IN.get_or_init(|| {
        // Cargo builds the cdylib beside this test program (both in `deps/`).
        let path = std::env::current_exe()
            .unwrap()
            .with_file_name("olmapi32.dll");
        StandIn::load(&path).unwrap_or_else(|error| panic!("{error}"))
    });
    (turn, stand_in)
}

struct Recorder(Mutex<Vec<(NotifyKind, ConnectionState, ConnectionState, u32)>>);

#[mapi_notify_sink]
impl Recorder {
    fn notify(&self, info: &Notification<'_>) {
        let change = info.state_change().expect("a state change");
        let seen = (info.kind(), change.old, change.new, info.client_token());
        self.0.lock().unwrap().push(seen);
    }
}

#[test]
fn open_finds_the_loaded_mapi_and_delivers_transitions() {
    let (_turn, stand_in) = stand_in();
    assert_eq!(stand_in.configure(PROFILE, S_OK, false), S_OK);

    let manager = OfflineManager::open(PROFILE).expect("open through the stand-in");
    assert_eq!(manager.state().unwrap(), ConnectionState::Online);
    let sink = Sink::new(Recorder(Mutex::default()));
    let options = AdviseOptions {
        client_token: 0x0b1e,
        ..AdviseOptions::default()
    };
    let advise = manager.advise(&sink, options).unwrap();
    assert_eq!(stand_in.status().advised, 1);
    assert_eq!(Sink::ref_count(&sink), 2, "ours + the stand-in's");

    assert_eq!(stand_in.transition(true), S_OK);
    assert_eq!(stand_in.transition(false), S_OK);
    use ConnectionState::{Offline, Online};
    use NotifyKind::{StateChange, StateChangeDone, StateChangeStart};
    assert_eq!(
        *sink.0.lock().unwrap(),
        [
            (StateChangeStart, Online, Offline, 0x0b1e),
            (StateChange, Online, Offline, 0x0b1e),
            (StateChangeDone, Online, Offline, 0x0b1e),
            (StateChangeStart, Offline, Online, 0x0b1e),
            (StateChange, Offline, Online, 0x0b1e),
            (StateChangeDone, Offline, Online, 0x0b1e),
        ]
    );

    advise.unadvise().unwrap();
    assert_eq!(Sink::ref_count(&sink), 1, "the stand-in let go of the sink");
    drop(manager);
    let status = stand_in.status();
    assert_eq!(
        (status.opened, status.advised, status.manager_refs_outside),
        (1, 0, 0),
        "{status:?}"
    );
}

#[test]
fn open_reports_an_error_hresult() {
    let (_turn, stand_in) = stand_in();
    let code = HRESULT(0x8004_0111_u32 as i32); // MAPI_E_LOGON_FAILED
    assert_eq!(stand_in.configure(PROFILE, code, false), S_OK);
    let error = OfflineManager::open(PROFILE).unwrap_err();
    assert_eq!(error.code(), code);
    assert_eq!(
        error.to_string(),
        format!("HrOpenOfflineObj(profile {PROFILE:?}) failed: 0x80040111")
    );
    assert_eq!(stand_in.status().refused, 1);
}

#[test]
fn open_reports_a_null_object() {
    let (_turn, stand_in) = stand_in();
    assert_eq!(stand_in.configure(PROFILE, S_OK, true), S_OK);
    let error = OfflineManager::open(PROFILE).unwrap_err();
    assert_eq!(error.code(), sys::E_POINTER);
    assert!(error.to_string().contains("returned no object"), "{error}");
}

#[test]
fn open_reports_an_unknown_profile() {
    let (_turn, stand_in) = stand_in();
    assert_eq!(stand_in.configure(PROFILE, S_OK, false), S_OK);
    let error = OfflineManager::open("Some Other Profile").unwrap_err();
    assert_eq!(error.code(), sys::MAPI_E_NOT_FOUND);
    assert_eq!(
        stand_in.status(),
        StandInStatus {
            refused: 1,
            ..StandInStatus::default()
        }
    );
}
