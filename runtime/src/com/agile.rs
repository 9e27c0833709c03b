//! Agility: a sink is `Send + Sync`, so it may be called from any apartment as itself. It says
//! so with `IAgileObject` (answered in `object`'s `QueryInterface`) and, on Windows, with the
//! free-threaded marshaler as its `IMarshal`, so that COM hands the same pointer to every
//! apartment instead of building a proxy.

use super::object::header;
use super::panic::{self, OnPanic};
use crate::sys;
use core::ffi::c_void;
use windows_core::{IUnknown, Interface, HRESULT};

/// `QueryInterface(IID_IMarshal)` on the object at `this`: the free-threaded marshaler, as a
/// tear-off that holds a reference to the object (so the object stays 16 bytes + `T`).
///
/// windows-core's tear-off asserts that `CoCreateFreeThreadedMarshaler` gave it an object:
/// when it did not (out of memory), that panic is contained here and the caller gets
/// `E_OUTOFMEMORY`, the `*ppv` null and its reference back, instead of an abort. Out of line:
/// COM asks for `IMarshal` only when it marshals, and the common `QueryInterface` stays small.
///
/// # Safety
/// `this` is a live object on which the caller holds a reference; `ppv` is writable.
#[cfg(windows)]
#[cold]
#[inline(never)]
pub(super) unsafe fn free_threaded_marshaler(this: *mut c_void, ppv: *mut *mut c_void) -> HRESULT {
    let made = panic::contain(OnPanic::Log, "IUnknown", "QueryInterface(IMarshal)", || {
        // SAFETY: the caller's promise; the reference added here is the one the `IUnknown`
        // handed over owns (released again if the tear-off panics, as it unwinds).
        unsafe {
            header(this).count.add_ref();
            windows_core::imp::marshaler(IUnknown::from_raw(this), ppv)
        }
    });
    made.unwrap_or_else(|| {
        // SAFETY: `ppv` is writable (the caller's promise).
        unsafe { ppv.write(core::ptr::null_mut()) };
        sys::E_OUTOFMEMORY
    })
}
