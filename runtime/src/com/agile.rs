//! Agility: a sink is `Send + Sync`, so it may be called from any apartment as itself. It says
//! so with `IAgileObject` (answered in `object`'s `QueryInterface`) and, on Windows, with the
//! free-threaded marshaler as its `IMarshal`, so that COM hands the same pointer to every
//! apartment instead of building a proxy.

use super::object::header;
use core::ffi::c_void;
use windows_core::{IUnknown, Interface, HRESULT};

/// `QueryInterface(IID_IMarshal)` on the object at `this`: the free-threaded marshaler, as a
/// tear-off that holds a reference to the object (so the object stays 16 bytes + `T`).
///
/// # Safety
/// `this` is a live object on which the caller holds a reference; `ppv` is writable.
#[cfg(windows)]
#[inline(always)]
pub(super) unsafe fn free_threaded_marshaler(this: *mut c_void, ppv: *mut *mut c_void) -> HRESULT {
    // SAFETY: the caller's promise; the reference added here is the one the `IUnknown` handed
    // over owns.
    unsafe {
        header(this).count.add_ref();
        windows_core::imp::marshaler(IUnknown::from_raw(this), ppv)
    }
}
