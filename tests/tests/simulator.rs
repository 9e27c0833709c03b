//! `SimulatedOutlook` against the Offline State API's contract (the `simulator` module's
//! documentation), driven the way an Outlook client drives the real
//! manager: through the raw `IMAPIOfflineMgr` vtable, with `MAPIOFFLINE_ADVISEINFO` laid out as
//! the C header lays it out. Every test ends by proving each sink was dropped exactly once.

mod support;

use core::ffi::c_void;
use core::ptr;
use log::Level::Warn;
use mapi_notify_sink::simulator::SimulatedOutlook;
use mapi_notify_sink::sys::{self, MAPIOFFLINE_ADVISEINFO};
use mapi_notify_sink::{NotifyKind, Sink};
use std::sync::atomic::{AtomicU32, Ordering::SeqCst};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};
use support::{
    advise_info, capture_logs, gate, transition, Pace, RawManager, StateRecorder, TRANSITION,
};
use windows_core::{IUnknown_Vtbl, GUID, HRESULT};

const ONLINE: u32 = sys::MAPIOFFLINE_STATE_ONLINE;
const OFFLINE: u32 = sys::MAPIOFFLINE_STATE_OFFLINE;
const MASK: u32 = sys::MAPIOFFLINE_STATE_OFFLINE_MASK;
const BLOCK: u32 = sys::MAPIOFFLINE_FLAG_BLOCK;
const ASYNC: u32 = sys::MAPIOFFLINE_FLAG_DEFAULT;

/// `sizeof(MAPIOFFLINE_ADVISEINFO)` on this target, and on a target of the other pointer width.
const ADVISEINFO_SIZE: u32 = size_of::<MAPIOFFLINE_ADVISEINFO>() as u32;
const OTHER_WIDTH_ADVISEINFO_SIZE: u32 = if cfg!(target_pointer_width = "64") {
    24
} else {
    32
};

/// Runs `call`, which must fail with `E_INVALIDARG`, log exactly one warning that contains
/// `problem`, and leave `sink` with no registration and no reference held by `outlook`.
fn assert_invalid_arg(
    outlook: &SimulatedOutlook,
    sink: &Sink<StateRecorder>,
    problem: &str,
    call: impl FnOnce() -> HRESULT,
) {
    let (hr, logged) = capture_logs(call);
    assert_eq!(hr, sys::E_INVALIDARG, "{problem}");
    let warnings = logged.at(Warn);
    assert_eq!(warnings.len(), 1, "one warning for {problem}: {logged:?}");
    assert!(
        warnings[0].contains(problem),
        "{:?} should name {problem:?}",
        warnings[0]
    );
    assert_eq!(Sink::ref_count(sink), 1, "{problem}: no reference kept");
    assert_eq!(outlook.advised(), 0, "{problem}: nothing registered");
}

#[test]
fn query_interface_gives_one_pointer_for_the_manager_interfaces_only() {
    let outlook = SimulatedOutlook::new();
    let manager = outlook.manager();
    let raw = RawManager::new(&manager);
    let count = raw.ref_count();

    for iid in [
        sys::IID_IUnknown,
        sys::IID_IMAPIOffline,
        sys::IID_IMAPIOfflineMgr,
    ] {
        let (hr, ppv) = raw.query_interface(&iid);
        assert_eq!((hr, ppv), (sys::S_OK, raw.this()), "{iid:?}");
        assert_eq!(raw.ref_count(), count + 1, "{iid:?} adds one reference");
        assert_eq!(raw.release(), count);
    }
    let made_up = GUID::from_u128(0x6b1f3c1e_52a4_4f0e_9d6b_2f3e8a7c4d10);
    for iid in [
        sys::IID_IMAPIOfflineNotify,
        sys::IID_IAgileObject,
        sys::IID_IMarshal,
        made_up,
    ] {
        let (hr, ppv) = raw.query_interface(&iid);
        assert_eq!((hr, ppv), (sys::E_NOINTERFACE, ptr::null_mut()), "{iid:?}");
        assert_eq!(raw.ref_count(), count, "{iid:?} adds no reference");
    }

    let query_interface = raw.vtable().base__.base__.QueryInterface;
    let mut ppv = raw.this();
    // SAFETY: a live object; a null `riid` or `ppv` is what is being tested.
    let (null_riid, null_ppv) = unsafe {
        (
            query_interface(raw.this(), ptr::null(), &mut ppv),
            query_interface(raw.this(), &sys::IID_IUnknown, ptr::null_mut()),
        )
    };
    assert_eq!((null_riid, ppv), (sys::E_POINTER, ptr::null_mut()));
    assert_eq!(null_ppv, sys::E_POINTER);
    assert_eq!(raw.ref_count(), count);
}

#[test]
fn starts_online_able_to_go_offline_and_online() {
    let outlook = SimulatedOutlook::new();
    let manager = outlook.manager();
    let raw = RawManager::new(&manager);
    let both = sys::MAPIOFFLINE_CAPABILITY_OFFLINE | sys::MAPIOFFLINE_CAPABILITY_ONLINE;
    assert_eq!(raw.get_capabilities(), (sys::S_OK, both));
    assert_eq!(raw.get_current_state(), (sys::S_OK, ONLINE));
}

#[test]
fn advise_rejects_each_invalid_argument_without_keeping_a_reference() {
    let outlook = SimulatedOutlook::new();
    let manager = outlook.manager();
    let raw = RawManager::new(&manager);
    let (sink, drops) = StateRecorder::sink(Pace::Immediate);
    let valid = || advise_info(sink.as_raw(), 7);
    let mut token = 0;

    assert_invalid_arg(&outlook, &sink, "null MAPIOFFLINE_ADVISEINFO", || {
        raw.advise(None, Some(&mut token))
    });
    for size in [
        ADVISEINFO_SIZE - 1,
        ADVISEINFO_SIZE + 4,
        OTHER_WIDTH_ADVISEINFO_SIZE,
        0,
    ] {
        let mut info = MAPIOFFLINE_ADVISEINFO {
            ulSize: size,
            ..valid()
        };
        assert_invalid_arg(&outlook, &sink, &format!("ulSize {size} "), || {
            raw.advise(Some(&mut info), Some(&mut token))
        });
    }
    let mut info = MAPIOFFLINE_ADVISEINFO {
        CallbackType: sys::MAPIOFFLINE_CALLBACK_TYPE(1),
        ..valid()
    };
    assert_invalid_arg(&outlook, &sink, "CallbackType 1 ", || {
        raw.advise(Some(&mut info), Some(&mut token))
    });
    let mut info = MAPIOFFLINE_ADVISEINFO {
        pCallback: ptr::null_mut(),
        ..valid()
    };
    assert_invalid_arg(&outlook, &sink, "null pCallback", || {
        raw.advise(Some(&mut info), Some(&mut token))
    });
    assert_invalid_arg(&outlook, &sink, "null pulAdviseToken", || {
        raw.advise(Some(&mut valid()), None)
    });

    // The same registration, valid, is accepted: the rejections were for the one bad field.
    let token = raw.advise_ok(&mut valid());
    assert_eq!((Sink::ref_count(&sink), outlook.advised()), (2, 1));
    assert_eq!(raw.unadvise(token), sys::S_OK);
    assert_eq!(Sink::ref_count(&sink), 1);
    drop(sink);
    assert_eq!(drops.count(), 1);
}

/// A COM object that is only an `IUnknown`: not a notify sink. It never frees itself (it lives
/// on the test's stack), so its count can be read after the simulator is done with it.
#[repr(C)]
struct PlainUnknown {
    vtable: &'static IUnknown_Vtbl,
    count: AtomicU32,
    asked_for: Mutex<Vec<GUID>>,
}

impl PlainUnknown {
    const VTABLE: IUnknown_Vtbl = IUnknown_Vtbl {
        QueryInterface: Self::query_interface,
        AddRef: Self::add_ref,
        Release: Self::release,
    };

    fn new() -> Self {
        Self {
            vtable: &Self::VTABLE,
            count: AtomicU32::new(1),
            asked_for: Mutex::default(),
        }
    }

    fn as_raw(&self) -> *mut c_void {
        ptr::from_ref(self).cast_mut().cast()
    }

    /// # Safety
    /// `this` is a live `PlainUnknown`.
    unsafe fn get<'a>(this: *mut c_void) -> &'a Self {
        // SAFETY: the caller's promise.
        unsafe { &*this.cast::<Self>() }
    }

    unsafe extern "system" fn query_interface(
        this: *mut c_void,
        iid: *const GUID,
        ppv: *mut *mut c_void,
    ) -> HRESULT {
        // SAFETY: COM contract: a live object, a readable IID and a writable `ppv`.
        unsafe {
            let object = Self::get(this);
            object.asked_for.lock().unwrap().push(*iid);
            if *iid == sys::IID_IUnknown {
                object.count.fetch_add(1, SeqCst);
                *ppv = this;
                return sys::S_OK;
            }
            *ppv = ptr::null_mut();
        }
        sys::E_NOINTERFACE
    }

    unsafe extern "system" fn add_ref(this: *mut c_void) -> u32 {
        // SAFETY: COM contract: a live object.
        unsafe { Self::get(this) }.count.fetch_add(1, SeqCst) + 1
    }

    unsafe extern "system" fn release(this: *mut c_void) -> u32 {
        // SAFETY: COM contract: a live object.
        unsafe { Self::get(this) }.count.fetch_sub(1, SeqCst) - 1
    }
}

#[test]
fn advise_of_an_object_that_is_not_a_notify_sink_is_e_nointerface() {
    let outlook = SimulatedOutlook::new();
    let manager = outlook.manager();
    let raw = RawManager::new(&manager);
    let plain = PlainUnknown::new();
    let mut info = advise_info(plain.as_raw(), 0);
    let mut token = 0;

    let (hr, logged) = capture_logs(|| raw.advise(Some(&mut info), Some(&mut token)));
    assert_eq!(hr, sys::E_NOINTERFACE);
    assert_eq!(
        *plain.asked_for.lock().unwrap(),
        [sys::IID_IMAPIOfflineNotify]
    );
    assert_eq!(plain.count.load(SeqCst), 1, "no reference kept");
    assert_eq!(outlook.advised(), 0);
    let warnings = logged.at(Warn);
    assert_eq!(warnings.len(), 1, "{logged:?}");
    assert!(warnings[0].contains("IMAPIOfflineNotify"), "{warnings:?}");
}

#[test]
fn advise_holds_a_reference_until_unadvise_and_tokens_unadvise_once() {
    let outlook = SimulatedOutlook::new();
    let manager = outlook.manager();
    let raw = RawManager::new(&manager);
    let (sink, drops) = StateRecorder::sink(Pace::Immediate);
    assert_eq!(Sink::ref_count(&sink), 1);

    let token = raw.advise_ok(&mut advise_info(sink.as_raw(), 0));
    assert_eq!((Sink::ref_count(&sink), outlook.advised()), (2, 1));

    let unknown = token.wrapping_add(1000);
    let (hr, logged) = capture_logs(|| raw.unadvise(unknown));
    assert_eq!(hr, sys::E_INVALIDARG);
    assert!(
        logged.at(Warn)[0].contains(&format!("token {unknown}")),
        "{logged:?}"
    );
    assert_eq!((Sink::ref_count(&sink), outlook.advised()), (2, 1));

    assert_eq!(raw.unadvise(token), sys::S_OK);
    assert_eq!((Sink::ref_count(&sink), outlook.advised()), (1, 0));
    assert_eq!(
        raw.unadvise(token),
        sys::E_INVALIDARG,
        "a token unadvises once"
    );
    assert_eq!(Sink::ref_count(&sink), 1);

    outlook.go_offline();
    assert_eq!(sink.seen(), [], "an unadvised sink is not notified");
    drop(sink);
    assert_eq!(drops.count(), 1);
}

#[test]
fn set_current_state_delivers_start_statechange_done_from_another_thread() {
    const CLIENT_TOKEN: u32 = 0x5EED;
    let outlook = SimulatedOutlook::new();
    let manager = outlook.manager();
    let raw = RawManager::new(&manager);
    let (sink, drops) = StateRecorder::sink(Pace::Immediate);
    let token = raw.advise_ok(&mut advise_info(sink.as_raw(), CLIENT_TOKEN));

    assert_eq!(raw.set_current_state(BLOCK, MASK, OFFLINE), sys::S_OK);
    assert_eq!(raw.get_current_state(), (sys::S_OK, OFFLINE));
    let delivery = sink.seen()[0].thread;
    assert_ne!(
        delivery,
        thread::current().id(),
        "not called on the caller's thread"
    );
    assert_eq!(
        sink.seen(),
        transition(CLIENT_TOKEN, ONLINE, OFFLINE, delivery)
    );

    assert_eq!(raw.set_current_state(BLOCK, MASK, ONLINE), sys::S_OK);
    assert_eq!(raw.get_current_state(), (sys::S_OK, ONLINE));
    assert_eq!(
        sink.seen()[3..],
        transition(CLIENT_TOKEN, OFFLINE, ONLINE, delivery)
    );

    assert_eq!(raw.unadvise(token), sys::S_OK);
    drop(sink);
    assert_eq!(drops.count(), 1);
}

#[test]
fn only_registrations_for_state_changes_of_the_offline_bits_are_notified() {
    let outlook = SimulatedOutlook::new();
    let manager = outlook.manager();
    let raw = RawManager::new(&manager);
    let registrations = [
        (
            "matching",
            sys::MAPIOFFLINE_ADVISE_TYPE_STATECHANGE,
            sys::MAPIOFFLINE_STATE_ALL,
            true,
        ),
        ("no advise types", 0, sys::MAPIOFFLINE_STATE_ALL, false),
        (
            "mask 0x100",
            sys::MAPIOFFLINE_ADVISE_TYPE_STATECHANGE,
            0x100,
            false,
        ),
        (
            "mask 0x1",
            sys::MAPIOFFLINE_ADVISE_TYPE_STATECHANGE,
            0x1,
            true,
        ),
    ];
    let sinks = registrations.map(|(name, advise_types, state_mask, notified)| {
        let (sink, drops) = StateRecorder::sink(Pace::Immediate);
        let mut info = MAPIOFFLINE_ADVISEINFO {
            ulAdviseTypes: advise_types,
            ulStateMask: state_mask,
            ..advise_info(sink.as_raw(), 0)
        };
        let token = raw.advise_ok(&mut info);
        assert_eq!(Sink::ref_count(&sink), 2, "{name}: accepted and held");
        (name, notified, sink, drops, token)
    });
    assert_eq!(outlook.advised(), 4);

    assert_eq!(raw.set_current_state(BLOCK, MASK, OFFLINE), sys::S_OK);
    for (name, notified, sink, _, token) in &sinks {
        let expected: &[NotifyKind] = if *notified { &TRANSITION } else { &[] };
        assert_eq!(sink.kinds(), expected, "{name}");
        assert_eq!(raw.unadvise(*token), sys::S_OK, "{name}");
        assert_eq!(Sink::ref_count(sink), 1, "{name}");
    }
    for (name, _, sink, drops, _) in sinks {
        drop(sink);
        assert_eq!(drops.count(), 1, "{name}");
    }
}

#[test]
fn set_current_state_during_a_transition_is_e_pending() {
    let outlook = SimulatedOutlook::new();
    let manager = outlook.manager();
    let raw = RawManager::new(&manager);
    let (gate, keeper) = gate();
    let (sink, drops) = StateRecorder::sink(Pace::HoldAt(NotifyKind::StateChangeStart, gate));
    let token = raw.advise_ok(&mut advise_info(sink.as_raw(), 0));

    // Asynchronous: it returns while the sink is still held at STATECHANGE_START.
    assert_eq!(raw.set_current_state(ASYNC, MASK, OFFLINE), sys::S_OK);
    keeper.wait_until_held();
    assert_eq!(sink.kinds(), [NotifyKind::StateChangeStart]);
    assert_eq!(raw.set_current_state(ASYNC, MASK, ONLINE), sys::E_PENDING);
    assert_eq!(raw.set_current_state(BLOCK, MASK, ONLINE), sys::E_PENDING);
    assert_eq!(raw.set_current_state(ASYNC, MASK, OFFLINE), sys::E_PENDING);

    keeper.open();
    outlook.go_offline(); // waits for the change under way; then there is nothing left to do
    assert_eq!(sink.kinds(), TRANSITION);
    assert_eq!(raw.get_current_state(), (sys::S_OK, OFFLINE));
    outlook.go_online();
    let delivery = sink.seen()[0].thread;
    assert_eq!(sink.seen()[3..], transition(0, OFFLINE, ONLINE, delivery));
    assert_eq!(raw.get_current_state(), (sys::S_OK, ONLINE));

    assert_eq!(raw.unadvise(token), sys::S_OK);
    drop(sink);
    assert_eq!(drops.count(), 1);
}

#[test]
fn the_state_reads_as_the_new_one_from_the_statechange_notification_on() {
    let outlook = SimulatedOutlook::new();
    let manager = outlook.manager();
    let raw = RawManager::new(&manager);
    let (start_gate, start_keeper) = gate();
    let (change_gate, change_keeper) = gate();
    let (at_start, at_start_drops) =
        StateRecorder::sink(Pace::HoldAt(NotifyKind::StateChangeStart, start_gate));
    let (at_change, at_change_drops) =
        StateRecorder::sink(Pace::HoldAt(NotifyKind::StateChange, change_gate));
    let tokens =
        [&at_start, &at_change].map(|sink| raw.advise_ok(&mut advise_info(sink.as_raw(), 0)));

    assert_eq!(raw.set_current_state(ASYNC, MASK, OFFLINE), sys::S_OK);
    start_keeper.wait_until_held();
    assert_eq!(
        raw.get_current_state(),
        (sys::S_OK, ONLINE),
        "during STATECHANGE_START"
    );
    start_keeper.open();
    change_keeper.wait_until_held();
    assert_eq!(
        raw.get_current_state(),
        (sys::S_OK, OFFLINE),
        "during STATECHANGE"
    );
    assert_eq!(
        raw.set_current_state(ASYNC, MASK, ONLINE),
        sys::E_PENDING,
        "still under way"
    );
    change_keeper.open();
    outlook.go_offline(); // waits for the change under way
    assert_eq!(at_start.kinds(), TRANSITION);
    assert_eq!(at_change.kinds(), TRANSITION);

    for token in tokens {
        assert_eq!(raw.unadvise(token), sys::S_OK);
    }
    drop((at_start, at_change));
    assert_eq!(at_start_drops.count(), 1);
    assert_eq!(at_change_drops.count(), 1);
}

#[test]
fn set_current_state_block_returns_after_every_notification() {
    const PAUSE: Duration = Duration::from_millis(50);
    let outlook = SimulatedOutlook::new();
    let manager = outlook.manager();
    let raw = RawManager::new(&manager);
    let (sink, drops) = StateRecorder::sink(Pace::Sleep(PAUSE));
    let token = raw.advise_ok(&mut advise_info(sink.as_raw(), 0));

    let started = Instant::now();
    assert_eq!(raw.set_current_state(BLOCK, MASK, OFFLINE), sys::S_OK);
    let took = started.elapsed();
    assert_eq!(sink.kinds(), TRANSITION);
    assert!(
        took >= 3 * PAUSE,
        "returned after {took:?}, before the sink was done"
    );

    assert_eq!(raw.unadvise(token), sys::S_OK);
    drop(sink);
    assert_eq!(drops.count(), 1);
}

#[test]
fn invalid_set_current_state_and_null_out_pointers_are_e_invalidarg() {
    let outlook = SimulatedOutlook::new();
    let manager = outlook.manager();
    let raw = RawManager::new(&manager);
    let (sink, drops) = StateRecorder::sink(Pace::Immediate);
    let token = raw.advise_ok(&mut advise_info(sink.as_raw(), 0));

    let assert_invalid = |problem: &str, call: &dyn Fn() -> HRESULT| {
        let (hr, logged) = capture_logs(call);
        assert_eq!(hr, sys::E_INVALIDARG, "{problem}");
        let warnings = logged.at(Warn);
        assert_eq!(warnings.len(), 1, "one warning for {problem}: {logged:?}");
        assert!(
            warnings[0].contains(problem),
            "{:?} should name {problem:?}",
            warnings[0]
        );
    };
    for flags in [0x1, BLOCK | 0x1, 0x4000] {
        assert_invalid(&format!("flags {flags:#x}"), &|| {
            raw.set_current_state(flags, MASK, OFFLINE)
        });
    }
    for mask in [0, 0x1, 0x7, sys::MAPIOFFLINE_STATE_ALL] {
        assert_invalid(&format!("ulMask {mask:#x}"), &|| {
            raw.set_current_state(BLOCK, mask, OFFLINE)
        });
    }
    for state in [0, ONLINE | OFFLINE, 0x4] {
        assert_invalid(&format!("ulState {state:#x}"), &|| {
            raw.set_current_state(BLOCK, MASK, state)
        });
    }
    let vtable = raw.vtable();
    let reserved = 0u32;
    assert_invalid("pReserved is not null", &|| {
        let reserved = ptr::from_ref(&reserved).cast_mut().cast();
        // SAFETY: a live object; `pReserved` points to a real `u32` it has no business using.
        unsafe { (vtable.base__.SetCurrentState)(raw.this(), BLOCK, MASK, OFFLINE, reserved) }
    });
    assert_invalid("GetCapabilities: null out pointer", &|| {
        // SAFETY: a live object; the null out pointer is what is being tested.
        unsafe { (vtable.base__.GetCapabilities)(raw.this(), ptr::null_mut()) }
    });
    assert_invalid("GetCurrentState: null out pointer", &|| {
        // SAFETY: as above.
        unsafe { (vtable.base__.GetCurrentState)(raw.this(), ptr::null_mut()) }
    });

    // Nothing moved; asking for the state it is already in succeeds and notifies nobody.
    assert_eq!(raw.set_current_state(BLOCK, MASK, ONLINE), sys::S_OK);
    assert_eq!(raw.get_current_state(), (sys::S_OK, ONLINE));
    assert_eq!(sink.seen(), []);

    assert_eq!(raw.unadvise(token), sys::S_OK);
    drop(sink);
    assert_eq!(drops.count(), 1);
}

type Placeholder = unsafe extern "system" fn(*mut c_void) -> HRESULT;
type ReservedPlaceholder = unsafe extern "system" fn(*mut c_void, *mut c_void) -> HRESULT;
type Advise =
    unsafe extern "system" fn(*mut c_void, u32, *mut MAPIOFFLINE_ADVISEINFO, *mut u32) -> HRESULT;
type Unadvise = unsafe extern "system" fn(*mut c_void, u32, u32) -> HRESULT;

#[test]
fn slots_by_number_placeholders_are_e_notimpl_and_7_and_8_are_advise_and_unadvise() {
    let outlook = SimulatedOutlook::new();
    let manager = outlook.manager();
    let raw = RawManager::new(&manager);
    let (sink, drops) = StateRecorder::sink(Pace::Immediate);

    // SAFETY (each call below): slot N of a live IMAPIOfflineMgr has the signature
    // `sys::IMAPIOfflineMgr_Vtbl` gives it, with valid arguments.
    let slot6 = unsafe { core::mem::transmute::<*const c_void, ReservedPlaceholder>(raw.slot(6)) };
    assert_eq!(
        unsafe { slot6(raw.this(), ptr::null_mut()) },
        sys::E_NOTIMPL
    );
    for index in 9..16 {
        let slot = unsafe { core::mem::transmute::<*const c_void, Placeholder>(raw.slot(index)) };
        assert_eq!(unsafe { slot(raw.this()) }, sys::E_NOTIMPL, "slot {index}");
    }

    assert_eq!(raw.slot(7), raw.vtable().Advise as *const c_void);
    assert_eq!(raw.slot(8), raw.vtable().Unadvise as *const c_void);
    let advise = unsafe { core::mem::transmute::<*const c_void, Advise>(raw.slot(7)) };
    let unadvise = unsafe { core::mem::transmute::<*const c_void, Unadvise>(raw.slot(8)) };
    let mut info = advise_info(sink.as_raw(), 0);
    let mut token = 0;
    assert_eq!(
        unsafe { advise(raw.this(), 0, &mut info, &mut token) },
        sys::S_OK
    );
    assert_eq!((Sink::ref_count(&sink), outlook.advised()), (2, 1));
    outlook.go_offline();
    assert_eq!(sink.kinds(), TRANSITION);
    assert_eq!(unsafe { unadvise(raw.this(), 0, token) }, sys::S_OK);
    assert_eq!((Sink::ref_count(&sink), outlook.advised()), (1, 0));
    assert_eq!(
        raw.get_current_state(),
        (sys::S_OK, OFFLINE),
        "placeholders changed nothing"
    );

    drop(sink);
    assert_eq!(drops.count(), 1);
}

#[test]
fn the_last_release_of_the_manager_releases_every_advised_sink() {
    let outlook = SimulatedOutlook::new();
    let (first, second) = (outlook.manager(), outlook.manager());
    let (notified, notified_drops) = StateRecorder::sink(Pace::Immediate);
    let (silent, silent_drops) = StateRecorder::sink(Pace::Immediate);
    let raw = RawManager::new(&first);
    raw.advise_ok(&mut advise_info(notified.as_raw(), 1));
    let mut info = MAPIOFFLINE_ADVISEINFO {
        ulAdviseTypes: 0,
        ..advise_info(silent.as_raw(), 2)
    };
    raw.advise_ok(&mut info);
    outlook.go_offline();
    assert_eq!(notified.kinds(), TRANSITION);

    drop(outlook);
    drop(first);
    assert_eq!(
        Sink::ref_count(&notified),
        2,
        "`second` still holds the manager"
    );
    assert_eq!(Sink::ref_count(&silent), 2);
    drop(second);
    assert_eq!(Sink::ref_count(&notified), 1);
    assert_eq!(Sink::ref_count(&silent), 1);

    drop((notified, silent));
    assert_eq!(notified_drops.count(), 1);
    assert_eq!(silent_drops.count(), 1);
}

#[test]
fn advise_and_unadvise_from_several_threads_while_the_state_changes() {
    const THREADS: u32 = 4;
    const ROUNDS: usize = 25;
    let outlook = SimulatedOutlook::new();
    let (sink, drops) = StateRecorder::sink(Pace::Immediate);
    thread::scope(|scope| {
        for client_token in 0..THREADS {
            let (outlook, sink) = (&outlook, &sink);
            scope.spawn(move || {
                let manager = outlook.manager(); // an `OfflineManager` stays on its thread
                let raw = RawManager::new(&manager);
                for _ in 0..ROUNDS {
                    let token = raw.advise_ok(&mut advise_info(sink.as_raw(), client_token));
                    thread::yield_now();
                    assert_eq!(raw.unadvise(token), sys::S_OK);
                }
            });
        }
        for _ in 0..ROUNDS {
            outlook.go_offline();
            outlook.go_online();
        }
    });

    assert_eq!(outlook.advised(), 0);
    assert_eq!(
        Sink::ref_count(&sink),
        1,
        "every reference taken was given back"
    );
    // A registration present when a transition starts gets all three notifications of it.
    let seen = sink.seen();
    let count = |kind| seen.iter().filter(|seen| seen.kind == kind).count();
    assert_eq!(
        TRANSITION.map(count),
        [count(NotifyKind::StateChangeStart); 3]
    );
    for seen in &seen {
        assert!(seen.client_token < THREADS, "{seen:?}");
        assert_eq!((seen.size, seen.mask), (24, MASK), "{seen:?}");
        assert!([(ONLINE, OFFLINE), (OFFLINE, ONLINE)].contains(&(seen.old, seen.new)));
    }
    drop(sink);
    assert_eq!(drops.count(), 1);
}
