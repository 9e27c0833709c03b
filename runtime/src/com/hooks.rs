//! Where the object core tells the rest of the crate what happens to its objects: one function
//! per event, each called from one place in `object`. They feed the diagnostics of feature
//! `trace`, and, in an Outlook add-in (feature `addin`, Windows), the count of live objects
//! `DllCanUnloadNow` reports. With both features off they are empty and inline to nothing, so
//! the core's machine code is the same as if they were not there. The diagnostics log, and the
//! hooks run inside `IUnknown`'s slots: each runs under `panic::log_contained`, so a panicking
//! logger does not unwind into the COM caller.

#[cfg(feature = "trace")]
use super::panic::log_contained;
use super::refcount::RefCount;
use core::ffi::c_void;
use windows_core::{GUID, HRESULT};

/// A new object at `this`, with a count of 1 at `count`.
#[inline(always)]
pub(super) fn created(this: *mut c_void, count: &RefCount, type_name: &'static str) {
    #[cfg(feature = "trace")]
    log_contained(|| super::trace::created(this, count, type_name));
    #[cfg(all(windows, feature = "addin"))]
    crate::addin::module::object_made();
    let _ = (this, count, type_name);
}

/// `QueryInterface` on the live object at `this`, whose count is `count`, answered `result`.
#[inline(always)]
pub(super) fn query_interface(this: *mut c_void, count: &RefCount, iid: &GUID, result: HRESULT) {
    #[cfg(feature = "trace")]
    log_contained(|| super::trace::query_interface(this, count, iid, result));
    let _ = (this, count, iid, result);
}

/// `AddRef` on the live object at `this` made the count `count`.
#[inline(always)]
pub(super) fn add_ref(this: *mut c_void, count: u32) {
    #[cfg(feature = "trace")]
    log_contained(|| super::trace::add_ref(this, count));
    let _ = (this, count);
}

/// `Release` on the object at `this` left the count at `count` (unless it is 0, the object
/// may already be gone).
#[inline(always)]
pub(super) fn release(this: *mut c_void, type_name: &'static str, count: u32) {
    #[cfg(feature = "trace")]
    log_contained(|| super::trace::release(this, type_name, count));
    let _ = (this, type_name, count);
}

/// The object at `this` is about to be destroyed: called before `T` is dropped.
#[inline(always)]
pub(super) fn destroyed(this: *mut c_void) {
    #[cfg(feature = "trace")]
    log_contained(|| super::trace::destroyed(this));
    let _ = this;
}

/// The object is gone, `T` dropped and the memory freed: the last thing its final `Release`
/// does in this DLL's code (so `DllCanUnloadNow` cannot say yes while it still runs here).
#[inline(always)]
pub(super) fn freed() {
    #[cfg(all(windows, feature = "addin"))]
    crate::addin::module::object_gone();
}
