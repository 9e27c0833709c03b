//! The COM object under every simulated MAPI object (`SimulatedOutlook`'s `IMAPIOfflineMgr`,
//! `SimulatedStore`'s `IMsgStore`): a vtable pointer, a reference count and the simulator's
//! state, with `IUnknown` written once for all of them.
//!
//! # Invariants
//! - A `Server<S>` is made only by [`Server::create`], boxed, with a count of 1, and its vtable
//!   begins with [`unknown_slots::<S>()`](unknown_slots); the slots after those expect a
//!   `Server<S>` of the same `S`.
//! - Every vtable function is called with `this` pointing to a live `Server<S>` on which the
//!   caller holds a reference (the COM contract).
//! - The `Release` that takes the count to zero drops the box, and so `S`, exactly once; `S`'s
//!   own `Drop` does the simulator's clean-up (stopping its worker, releasing sinks).

use crate::com::{self, OnPanic, RefCount};
use crate::sys;
use core::ffi::c_void;
use core::ptr;
use windows_core::{IUnknown_Vtbl, GUID, HRESULT};

/// What a simulated object is: its state, and the interfaces it answers.
pub(super) trait ServerState: Sized + Send + Sync + 'static {
    /// The interfaces `QueryInterface` answers besides `IUnknown`, all with the one pointer.
    const IIDS: &'static [GUID];
    /// The simulator's name, for its log messages.
    const NAME: &'static str;
}

#[repr(C)]
pub(super) struct Server<S> {
    /// The whole vtable, type-erased (made from a pointer to all of it).
    vtable: *const c_void,
    count: RefCount,
    state: S,
}

impl<S: ServerState> Server<S> {
    /// A new object (count 1, owned by the caller) as its raw interface pointer.
    ///
    /// # Safety
    /// `vtable` begins with `unknown_slots::<S>()`, and its other slots expect a `Server<S>`.
    pub(super) unsafe fn create<V>(vtable: &'static V, state: S) -> *mut c_void {
        let object = Box::new(Server {
            vtable: ptr::from_ref(vtable).cast(),
            count: RefCount::new(),
            state,
        });
        Box::into_raw(object).cast()
    }

    /// The state of the object at `this`.
    ///
    /// # Safety
    /// `this` points to a live `Server<S>` (module invariants).
    pub(super) unsafe fn state<'a>(this: *mut c_void) -> &'a S {
        // SAFETY: the caller's promise.
        unsafe { &(*this.cast::<Server<S>>()).state }
    }
}

/// `IUnknown`'s three slots for a `Server<S>`: the start of every simulated vtable.
pub(super) const fn unknown_slots<S: ServerState>() -> IUnknown_Vtbl {
    IUnknown_Vtbl {
        QueryInterface: query_interface::<S>,
        AddRef: add_ref::<S>,
        Release: release::<S>,
    }
}

unsafe extern "system" fn query_interface<S: ServerState>(
    this: *mut c_void,
    iid: *const GUID,
    ppv: *mut *mut c_void,
) -> HRESULT {
    // SAFETY: COM callers pass a null or writable `ppv` and a null or readable `iid`.
    let iid = match unsafe { com::query_interface_arguments(S::NAME, iid, ppv) } {
        Ok(iid) => iid,
        Err(code) => return code,
    };
    // SAFETY: the caller holds a reference to a live `Server<S>`; `ppv` is writable.
    unsafe {
        if *iid == sys::IID_IUnknown || S::IIDS.contains(iid) {
            add_ref::<S>(this);
            ppv.write(this);
            return sys::S_OK;
        }
        ppv.write(ptr::null_mut());
    }
    sys::E_NOINTERFACE
}

unsafe extern "system" fn add_ref<S: ServerState>(this: *mut c_void) -> u32 {
    // SAFETY: the caller holds a reference to a live `Server<S>`.
    unsafe { (*this.cast::<Server<S>>()).count.add_ref() }
}

unsafe extern "system" fn release<S: ServerState>(this: *mut c_void) -> u32 {
    // SAFETY: the caller holds a reference to a live `Server<S>`.
    let remaining = unsafe { (*this.cast::<Server<S>>()).count.release() };
    if remaining == 0 {
        // SAFETY: the last reference: this thread owns the object alone; made by `create`.
        let object = unsafe { Box::from_raw(this.cast::<Server<S>>()) };
        // The state's clean-up (its worker stopped, its sinks released) never unwinds into
        // the caller.
        let _ = com::contain(OnPanic::Log, S::NAME, "Release", move || drop(object));
    }
    remaining
}

/// What a simulated method refuses with `E_INVALIDARG`, logged.
#[cold]
pub(super) fn invalid(name: &str, what: core::fmt::Arguments<'_>) -> HRESULT {
    com::log_contained(|| log::warn!("{name}: {what}; returning E_INVALIDARG"));
    sys::E_INVALIDARG
}

/// Runs a simulated method's body: a panic in it (a bug of the simulator's, or a logger's) is
/// logged and becomes `E_UNEXPECTED`, never an unwind into the COM caller.
pub(super) fn guarded(
    name: &'static str,
    method: &'static str,
    body: impl FnOnce() -> HRESULT,
) -> HRESULT {
    com::contain(OnPanic::Log, name, method, body).unwrap_or(sys::E_UNEXPECTED)
}
