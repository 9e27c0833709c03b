//! Code that is not ours, calling back into the simulators from inside a call they make to it:
//! a hand-written (foreign) sink whose `AddRef` and `Release` ask the simulator how many sinks
//! are advised, and a formatter that does the same while `Debug` writes to it. Each must
//! return: no lock of the simulator's is held across a call that can reach code not its own.
//!
//! Each call runs on a thread of its own and is given 5 seconds; a deadlock ends the test
//! binary with the call's name instead of hanging the run (unwinding would hang too: the
//! test's own clean-up calls into the same simulator). Under Miri too: its clock moves while
//! this thread waits.

mod support;

use core::ffi::c_void;
use mapi_notify_sink::simulator::{SimulatedOutlook, SimulatedStore, StoreEvent};
use mapi_notify_sink::sys;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::Arc;
use windows_core::{Interface as _, GUID, HRESULT};

/// [`support::returns`], for a lock held across code not ours.
fn returns<R: Send + 'static>(what: &str, call: impl FnOnce() -> R + Send + 'static) -> R {
    support::returns(what, "a lock held across a call into code not ours", call)
}

/// A sink written by hand, as a C++ program would: a vtable, a count, and `call_back`, which
/// its `AddRef` and `Release` run before they count (what a sink's tracing or a logger it
/// calls may do).
#[repr(C)]
struct Foreign {
    vtable: *const c_void,
    count: AtomicU32,
    iid: GUID,
    call_back: Box<dyn Fn() + Send + Sync>,
    called_back: AtomicUsize,
    notified: AtomicUsize,
}

#[repr(C)]
struct OfflineVtbl {
    query_interface:
        unsafe extern "system" fn(*mut c_void, *const GUID, *mut *mut c_void) -> HRESULT,
    add_ref: unsafe extern "system" fn(*mut c_void) -> u32,
    release: unsafe extern "system" fn(*mut c_void) -> u32,
    notify: unsafe extern "system" fn(*mut c_void, *const c_void),
}

#[repr(C)]
struct AdviseVtbl {
    query_interface:
        unsafe extern "system" fn(*mut c_void, *const GUID, *mut *mut c_void) -> HRESULT,
    add_ref: unsafe extern "system" fn(*mut c_void) -> u32,
    release: unsafe extern "system" fn(*mut c_void) -> u32,
    on_notify: unsafe extern "system" fn(*mut c_void, u32, *mut c_void) -> u32,
}

static OFFLINE_VTBL: OfflineVtbl = OfflineVtbl {
    query_interface,
    add_ref,
    release,
    notify,
};

static ADVISE_VTBL: AdviseVtbl = AdviseVtbl {
    query_interface,
    add_ref,
    release,
    on_notify,
};

/// # Safety
/// `this` is a live `Foreign` (every slot below is only ever in a `Foreign`'s vtable).
unsafe fn foreign<'a>(this: *mut c_void) -> &'a Foreign {
    // SAFETY: the caller's promise.
    unsafe { &*this.cast::<Foreign>() }
}

unsafe extern "system" fn query_interface(
    this: *mut c_void,
    iid: *const GUID,
    ppv: *mut *mut c_void,
) -> HRESULT {
    // SAFETY: the simulators pass valid arguments; `this` is live.
    unsafe {
        let object = foreign(this);
        if *iid == object.iid || *iid == sys::IID_IUnknown {
            add_ref(this);
            ppv.write(this);
            return sys::S_OK;
        }
        ppv.write(core::ptr::null_mut());
    }
    sys::E_NOINTERFACE
}

unsafe extern "system" fn add_ref(this: *mut c_void) -> u32 {
    // SAFETY: `this` is live.
    let object = unsafe { foreign(this) };
    (object.call_back)();
    object.called_back.fetch_add(1, Ordering::Relaxed);
    object.count.fetch_add(1, Ordering::Relaxed) + 1
}

unsafe extern "system" fn release(this: *mut c_void) -> u32 {
    // SAFETY: `this` is live.
    let object = unsafe { foreign(this) };
    (object.call_back)();
    object.called_back.fetch_add(1, Ordering::Relaxed);
    let left = object.count.fetch_sub(1, Ordering::AcqRel) - 1;
    if left == 0 {
        // SAFETY: the last reference; made by `Box::into_raw` in `Foreign::new`.
        drop(unsafe { Box::from_raw(this.cast::<Foreign>()) });
    }
    left
}

unsafe extern "system" fn notify(this: *mut c_void, _info: *const c_void) {
    // SAFETY: `this` is live.
    unsafe { foreign(this) }
        .notified
        .fetch_add(1, Ordering::Relaxed);
}

unsafe extern "system" fn on_notify(this: *mut c_void, _count: u32, _array: *mut c_void) -> u32 {
    // SAFETY: `this` is live.
    unsafe { foreign(this) }
        .notified
        .fetch_add(1, Ordering::Relaxed);
    0
}

/// One reference to a `Foreign`, released when dropped.
struct ForeignRef(*mut c_void);

// SAFETY: the object's count is atomic and its fields are `Sync`.
unsafe impl Send for ForeignRef {}

impl ForeignRef {
    fn new(offline: bool, call_back: impl Fn() + Send + Sync + 'static) -> Self {
        let (vtable, iid) = if offline {
            (
                core::ptr::from_ref(&OFFLINE_VTBL).cast(),
                sys::IID_IMAPIOfflineNotify,
            )
        } else {
            (
                core::ptr::from_ref(&ADVISE_VTBL).cast(),
                sys::IID_IMAPIAdviseSink,
            )
        };
        ForeignRef(
            Box::into_raw(Box::new(Foreign {
                vtable,
                count: AtomicU32::new(1),
                iid,
                call_back: Box::new(call_back),
                called_back: AtomicUsize::new(0),
                notified: AtomicUsize::new(0),
            }))
            .cast(),
        )
    }

    fn get(&self) -> &Foreign {
        // SAFETY: this reference keeps it alive.
        unsafe { foreign(self.0) }
    }
}

impl Drop for ForeignRef {
    fn drop(&mut self) {
        // SAFETY: gives up this reference.
        unsafe { release(self.0) };
    }
}

#[test]
fn a_foreign_advise_sink_whose_add_ref_and_release_read_the_store_gets_its_notification() {
    let store = Arc::new(SimulatedStore::new());
    let reader = Arc::downgrade(&store);
    let sink = ForeignRef::new(false, move || {
        if let Some(store) = reader.upgrade() {
            let _ = store.advised();
        }
    });
    let mut connection = 0;
    // SAFETY: a live sink, the whole store, a writable connection number.
    let advised = unsafe {
        store.to_interface().Advise(
            0,
            core::ptr::null_mut(),
            sys::fnevNewMail,
            sink.0,
            &mut connection,
        )
    };
    assert!(advised.is_ok());
    let before = sink.get().called_back.load(Ordering::Relaxed);
    let notifier = store.clone();
    let calls = returns("SimulatedStore::notify", move || {
        notifier.notify(&[StoreEvent::new_mail(b"message", b"inbox", "IPM.Note")])
    });
    assert_eq!(calls, 1);
    assert_eq!(sink.get().notified.load(Ordering::Relaxed), 1);
    let unadviser = store.clone();
    let unadvised = returns("IMsgStore::Unadvise", move || {
        // SAFETY: the connection this store gave.
        unsafe { unadviser.to_interface().Unadvise(connection) }
    });
    assert!(unadvised.is_ok());
    // The store released its reference (a call back of its own), and the sink is ours alone.
    assert!(sink.get().called_back.load(Ordering::Relaxed) > before);
    assert_eq!(sink.get().count.load(Ordering::Relaxed), 1);
    assert_eq!(store.advised(), 0);
}

#[test]
fn a_foreign_offline_sink_whose_add_ref_and_release_read_the_simulator_gets_its_transition() {
    let outlook = Arc::new(SimulatedOutlook::new());
    let reader = Arc::downgrade(&outlook);
    let sink = ForeignRef::new(true, move || {
        if let Some(outlook) = reader.upgrade() {
            let _ = outlook.advised();
            let _ = format!("{outlook:?}");
        }
    });
    let mut info = sys::MAPIOFFLINE_ADVISEINFO {
        ulSize: size_of::<sys::MAPIOFFLINE_ADVISEINFO>() as u32,
        ulClientToken: 7,
        CallbackType: sys::MAPIOFFLINE_CALLBACK_TYPE_NOTIFY,
        pCallback: sink.0,
        ulAdviseTypes: sys::MAPIOFFLINE_ADVISE_TYPE_STATECHANGE,
        ulStateMask: sys::MAPIOFFLINE_STATE_ALL,
    };
    let mut token = 0;
    let manager = outlook.manager();
    // SAFETY: a complete advise info with a live callback; a writable token.
    let advised = unsafe {
        sys::IMAPIOfflineMgr::from_raw_borrowed(&manager.as_raw())
            .unwrap()
            .Advise(sys::MAPIOFFLINE_ADVISE_DEFAULT, &mut info, &mut token)
    };
    assert!(advised.is_ok());
    let before = sink.get().called_back.load(Ordering::Relaxed);
    let transition = outlook.clone();
    returns("SimulatedOutlook::go_offline", move || {
        transition.go_offline()
    });
    assert_eq!(sink.get().notified.load(Ordering::Relaxed), 3);
    let unadviser = outlook.clone();
    let unadvised = returns("IMAPIOfflineMgr::Unadvise", move || {
        let manager = unadviser.manager();
        // SAFETY: the token this manager gave.
        unsafe {
            sys::IMAPIOfflineMgr::from_raw_borrowed(&manager.as_raw())
                .unwrap()
                .Unadvise(sys::MAPIOFFLINE_UNADVISE_DEFAULT, token)
        }
    });
    assert!(unadvised.is_ok());
    assert!(sink.get().called_back.load(Ordering::Relaxed) > before);
    assert_eq!(sink.get().count.load(Ordering::Relaxed), 1);
    assert_eq!(outlook.advised(), 0);
}

/// A `fmt::Write` that is not ours: it asks the simulator for its count while being written to.
struct Curious {
    outlook: Arc<SimulatedOutlook>,
    text: String,
    asked: usize,
}

impl std::fmt::Write for Curious {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        let _ = self.outlook.advised();
        self.asked += 1;
        self.text.push_str(text);
        Ok(())
    }
}

#[test]
fn debug_of_the_simulated_outlook_writes_to_a_formatter_that_reads_it() {
    let outlook = Arc::new(SimulatedOutlook::new());
    let mut curious = Curious {
        outlook: outlook.clone(),
        text: String::new(),
        asked: 0,
    };
    let curious = returns("Debug for SimulatedOutlook", move || {
        let outlook = curious.outlook.clone();
        write!(curious, "{outlook:?}").unwrap();
        curious
    });
    assert!(curious.asked > 0);
    assert_eq!(
        curious.text,
        "SimulatedOutlook { state: Online, advised: 0, busy: false }"
    );
}
