//! Where the diagnostics (feature `trace`) hook into the object core: one function per event,
//! each called from one place in `object`. With the feature off they are empty and inline to
//! nothing, so the core's machine code is the same as if they were not there; with it on they
//! are `trace`'s.

#[cfg(feature = "trace")]
pub(super) use super::trace::{add_ref, created, destroyed, query_interface, release};

#[cfg(not(feature = "trace"))]
mod off {
    use super::super::refcount::RefCount;
    use core::ffi::c_void;
    use windows_core::{GUID, HRESULT};

    #[inline(always)]
    pub(in crate::com) fn created(_this: *mut c_void, _count: &RefCount, _type_name: &'static str) {
    }
    #[inline(always)]
    pub(in crate::com) fn query_interface(
        _this: *mut c_void,
        _count: &RefCount,
        _iid: &GUID,
        _result: HRESULT,
    ) {
    }
    #[inline(always)]
    pub(in crate::com) fn add_ref(_this: *mut c_void, _count: u32) {}
    #[inline(always)]
    pub(in crate::com) fn release(_this: *mut c_void, _type_name: &'static str, _count: u32) {}
    #[inline(always)]
    pub(in crate::com) fn destroyed(_this: *mut c_void) {}
}
#[cfg(not(feature = "trace"))]
pub(super) use off::{add_ref, created, destroyed, query_interface, release};
