//! What the tests of this crate share:
//!
//! - [`StateRecorder`]: a sink that records every notification it is given (and on which thread),
//!   with a [`Tombstone`] (the runtime tests' drop counter) and a [`Pace`] that can slow it
//!   down or hold it at a [`Gate`] the test opens.
//! - [`capture_logs`]: the `log` records made on the current thread while a closure runs.
//! - [`notify_offline`]: one online-to-offline STATECHANGE through a sink's vtable.
//! - [`RawManager`]: calls through an `IMAPIOfflineMgr*`'s vtable, as a C caller makes them.

// Each test binary includes this module and uses only part of it.
#![allow(dead_code)]

use core::ffi::c_void;
use core::marker::PhantomData;
use core::ptr::{self, NonNull};
use mapi_notify_sink::{mapi_notify_sink, sys, Notification, NotifyKind, OfflineManager, Sink};
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Mutex;
use std::thread::{self, ThreadId};
use std::time::Duration;
use windows_core::{GUID, HRESULT};

// The same per-thread log capture and drop counter as the runtime's tests.
#[path = "../../../runtime/tests/support/logs.rs"]
mod logs;
#[allow(unused_imports)] // each test binary uses part of this module
pub use logs::{capture_logs, Logged};
#[path = "../../../runtime/tests/support/tombstone.rs"]
mod tombstone;
#[allow(unused_imports)] // each test binary uses part of this module
pub use tombstone::{tombstone, Drops, Tombstone};

/// How long a test waits for the other side before it fails instead of hanging.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// What one transition delivers, in order.
pub const TRANSITION: [NotifyKind; 3] = [
    NotifyKind::StateChangeStart,
    NotifyKind::StateChange,
    NotifyKind::StateChangeDone,
];

// ---------------------------------------------------------------------------------------------
// The recording sink
// ---------------------------------------------------------------------------------------------

/// One notification, as the sink's `notify` saw it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeenState {
    pub kind: NotifyKind,
    pub size: u32,
    pub client_token: u32,
    pub mask: u32,
    pub old: u32,
    pub new: u32,
    pub thread: ThreadId,
}

/// How the recorder behaves after recording a notification.
pub enum Pace {
    /// Returns at once.
    Immediate,
    /// Sleeps this long after each notification.
    Sleep(Duration),
    /// Waits at the gate on the first notification of this kind, until the test opens it.
    HoldAt(NotifyKind, Gate),
}

/// A sink that records what it was told.
pub struct StateRecorder {
    seen: Mutex<Vec<SeenState>>,
    pace: Pace,
    _tombstone: Tombstone,
}

#[mapi_notify_sink]
impl StateRecorder {
    fn notify(&self, info: &Notification<'_>) {
        let raw = info.raw();
        // SAFETY: the union's one member is three `u32`s, so every bit pattern is valid (and the
        // library zeroes whatever the caller did not send).
        let change = unsafe { raw.Info.StateChange };
        self.seen.lock().unwrap().push(SeenState {
            kind: info.kind(),
            size: raw.ulSize,
            client_token: info.client_token(),
            mask: change.ulMask,
            old: change.ulStateOld,
            new: change.ulStateNew,
            thread: thread::current().id(),
        });
        match &self.pace {
            Pace::Immediate => {}
            Pace::Sleep(duration) => thread::sleep(*duration),
            Pace::HoldAt(kind, gate) => {
                if info.kind() == *kind {
                    gate.hold();
                }
            }
        }
    }
}

impl StateRecorder {
    /// A new sink (count 1) and what counts its drops.
    pub fn sink(pace: Pace) -> (Sink<StateRecorder>, Drops) {
        let (tombstone, drops) = tombstone();
        let recorder = StateRecorder {
            seen: Mutex::default(),
            pace,
            _tombstone: tombstone,
        };
        (Sink::new(recorder), drops)
    }

    /// Everything seen so far, in order.
    pub fn seen(&self) -> Vec<SeenState> {
        self.seen.lock().unwrap().clone()
    }

    /// The kinds seen so far, in order.
    pub fn kinds(&self) -> Vec<NotifyKind> {
        self.seen().iter().map(|seen| seen.kind).collect()
    }
}

/// Sends one STATECHANGE (online → offline) with `token` through the vtable of the sink at
/// `this`, as a C caller does.
pub fn notify_offline(this: *mut c_void, token: u32) {
    let mut raw = sys::MAPIOFFLINE_NOTIFY {
        ulSize: 24,
        NotifyType: sys::MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE,
        ulClientToken: token,
        ..Default::default()
    };
    raw.Info.StateChange = sys::MAPIOFFLINE_NOTIFY_0_0 {
        ulMask: sys::MAPIOFFLINE_STATE_OFFLINE_MASK,
        ulStateOld: sys::MAPIOFFLINE_STATE_ONLINE,
        ulStateNew: sys::MAPIOFFLINE_STATE_OFFLINE,
    };
    // SAFETY: `this` is a live `IMAPIOfflineNotify*` (the caller holds a reference); `raw` is a
    // full 24-byte struct.
    unsafe { ((**this.cast::<*const sys::IMAPIOfflineNotify_Vtbl>()).Notify)(this, &raw) }
}

/// Where a [`Pace::HoldAt`] sink waits, once. It gives up after [`PATIENCE`], or at once when
/// the [`GateKeeper`] is dropped, so a failing test cannot leave the simulator stuck.
pub struct Gate {
    used: AtomicBool,
    held: Sender<()>,
    release: Mutex<Receiver<()>>,
}

/// The test's side of a [`Gate`].
pub struct GateKeeper {
    held: Receiver<()>,
    release: Sender<()>,
}

/// A closed gate and its keeper.
pub fn gate() -> (Gate, GateKeeper) {
    let (held, held_rx) = mpsc::channel();
    let (release, release_rx) = mpsc::channel();
    let gate = Gate {
        used: AtomicBool::new(false),
        held,
        release: Mutex::new(release_rx),
    };
    (
        gate,
        GateKeeper {
            held: held_rx,
            release,
        },
    )
}

impl Gate {
    fn hold(&self) {
        if self.used.swap(true, SeqCst) {
            return;
        }
        let _ = self.held.send(());
        let _ = self.release.lock().unwrap().recv_timeout(PATIENCE);
    }
}

impl GateKeeper {
    /// Returns once the sink is waiting at the gate.
    pub fn wait_until_held(&self) {
        self.held
            .recv_timeout(PATIENCE)
            .expect("the sink never reached the gate");
    }

    /// Lets the sink go on.
    pub fn open(&self) {
        self.release.send(()).expect("the sink gave up waiting");
    }
}

/// The three notifications one transition from `old` to `new` gives a registration whose
/// client token is `client_token`, delivered on `thread`.
pub fn transition(client_token: u32, old: u32, new: u32, thread: ThreadId) -> Vec<SeenState> {
    let seen = |kind| SeenState {
        kind,
        size: 24, // sizeof(MAPIOFFLINE_NOTIFY) in C
        client_token,
        mask: sys::MAPIOFFLINE_STATE_OFFLINE_MASK,
        old,
        new,
        thread,
    };
    TRANSITION.map(seen).to_vec()
}

// ---------------------------------------------------------------------------------------------
// Raw calls through the IMAPIOfflineMgr vtable
// ---------------------------------------------------------------------------------------------

/// A borrowed `IMAPIOfflineMgr*`, called through its vtable the way a C caller does.
pub struct RawManager<'a> {
    this: *mut c_void,
    _manager: PhantomData<&'a OfflineManager>,
}

impl<'a> RawManager<'a> {
    pub fn new(manager: &'a OfflineManager) -> Self {
        Self {
            this: manager.as_raw(),
            _manager: PhantomData,
        }
    }

    /// The `IMAPIOfflineMgr*` (also the object's identity).
    pub fn this(&self) -> *mut c_void {
        self.this
    }

    /// The vtable, read through the object's first pointer.
    pub fn vtable(&self) -> &'a sys::IMAPIOfflineMgr_Vtbl {
        // SAFETY: a COM object starts with its vtable pointer; `manager` keeps the object alive.
        unsafe { &**self.this.cast::<*const sys::IMAPIOfflineMgr_Vtbl>() }
    }

    /// Slot `index` (0..16) of the vtable, counted as the C++ compiler counts them.
    pub fn slot(&self, index: usize) -> *const c_void {
        assert!(index < 16, "IMAPIOfflineMgr has 16 slots");
        let slots: *const *const c_void = ptr::from_ref(self.vtable()).cast();
        // SAFETY: the vtable is 16 function pointers in a row.
        unsafe { *slots.add(index) }
    }

    /// `QueryInterface`; the out pointer starts non-null, so a failure must null it.
    pub fn query_interface(&self, iid: &GUID) -> (HRESULT, *mut c_void) {
        let mut out = NonNull::<c_void>::dangling().as_ptr();
        // SAFETY: a live object, a valid IID and a valid out pointer.
        let hr = unsafe { (self.vtable().base__.base__.QueryInterface)(self.this, iid, &mut out) };
        (hr, out)
    }

    pub fn add_ref(&self) -> u32 {
        // SAFETY: a live object.
        unsafe { (self.vtable().base__.base__.AddRef)(self.this) }
    }

    /// Releases one reference, which the caller must own.
    pub fn release(&self) -> u32 {
        // SAFETY: a live object; the caller gives up a reference it holds.
        unsafe { (self.vtable().base__.base__.Release)(self.this) }
    }

    /// The reference count now (AddRef, then Release, returns it).
    pub fn ref_count(&self) -> u32 {
        self.add_ref();
        self.release()
    }

    /// `SetCurrentState` with a null `pReserved`.
    pub fn set_current_state(&self, flags: u32, mask: u32, state: u32) -> HRESULT {
        // SAFETY: a live object; plain integers and the null reserved pointer the API wants.
        unsafe {
            (self.vtable().base__.SetCurrentState)(self.this, flags, mask, state, ptr::null_mut())
        }
    }

    pub fn get_capabilities(&self) -> (HRESULT, u32) {
        let mut capabilities = 0;
        // SAFETY: a live object and a valid out pointer.
        let hr = unsafe { (self.vtable().base__.GetCapabilities)(self.this, &mut capabilities) };
        (hr, capabilities)
    }

    pub fn get_current_state(&self) -> (HRESULT, u32) {
        let mut state = 0;
        // SAFETY: a live object and a valid out pointer.
        let hr = unsafe { (self.vtable().base__.GetCurrentState)(self.this, &mut state) };
        (hr, state)
    }

    /// `Advise` (slot 7, through the vtable struct's field); `None` passes a null pointer.
    pub fn advise(
        &self,
        info: Option<&mut sys::MAPIOFFLINE_ADVISEINFO>,
        token: Option<&mut u32>,
    ) -> HRESULT {
        let info = info.map_or(ptr::null_mut(), ptr::from_mut);
        let token = token.map_or(ptr::null_mut(), ptr::from_mut);
        // SAFETY: a live object; each pointer is null or valid for the whole structure.
        unsafe { (self.vtable().Advise)(self.this, sys::MAPIOFFLINE_ADVISE_DEFAULT, info, token) }
    }

    /// `Advise` with valid arguments that must succeed; returns the advise token.
    pub fn advise_ok(&self, info: &mut sys::MAPIOFFLINE_ADVISEINFO) -> u32 {
        let mut token = 0;
        assert_eq!(self.advise(Some(info), Some(&mut token)), sys::S_OK);
        token
    }

    pub fn unadvise(&self, token: u32) -> HRESULT {
        // SAFETY: a live object; plain integers.
        unsafe { (self.vtable().Unadvise)(self.this, sys::MAPIOFFLINE_UNADVISE_DEFAULT, token) }
    }
}

/// A valid `MAPIOFFLINE_ADVISEINFO` for state changes of every state bit.
pub fn advise_info(callback: *mut c_void, client_token: u32) -> sys::MAPIOFFLINE_ADVISEINFO {
    sys::MAPIOFFLINE_ADVISEINFO {
        ulSize: size_of::<sys::MAPIOFFLINE_ADVISEINFO>() as u32,
        ulClientToken: client_token,
        CallbackType: sys::MAPIOFFLINE_CALLBACK_TYPE_NOTIFY,
        pCallback: callback,
        ulAdviseTypes: sys::MAPIOFFLINE_ADVISE_TYPE_STATECHANGE,
        ulStateMask: sys::MAPIOFFLINE_STATE_ALL,
    }
}
