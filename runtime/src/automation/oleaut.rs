//! The OLE Automation functions (`oleaut32.dll`) the module calls: imported on Windows; off
//! Windows, where no `Dispatch` can be made ([`Dispatch::from_unknown`] refuses), stand-ins that
//! fail as the real ones do when they cannot do their work, so that an add-in crate using the
//! object model builds and tests on any OS.
//!
//! [`Dispatch::from_unknown`]: super::Dispatch::from_unknown

#![allow(non_snake_case)]

use crate::sys::{SAFEARRAY, VARIANT};
use core::ffi::c_void;
use windows_core::HRESULT;

#[cfg(windows)]
mod imported {
    use super::*;
    windows_core::link!("oleaut32.dll" "system" fn VariantClear(variant: *mut VARIANT) -> HRESULT);
    windows_core::link!("oleaut32.dll" "system" fn SysAllocStringLen(text: *const u16, len: u32) -> *mut u16);
    windows_core::link!("oleaut32.dll" "system" fn SysStringLen(bstr: *const u16) -> u32);
    windows_core::link!("oleaut32.dll" "system" fn SysFreeString(bstr: *mut u16));
    windows_core::link!("oleaut32.dll" "system" fn SafeArrayCreateVector(vt: u16, lower: i32, count: u32) -> *mut SAFEARRAY);
    windows_core::link!("oleaut32.dll" "system" fn SafeArrayPutElement(array: *mut SAFEARRAY, index: *const i32, value: *const c_void) -> HRESULT);
    windows_core::link!("oleaut32.dll" "system" fn SafeArrayGetElemsize(array: *mut SAFEARRAY) -> u32);
    windows_core::link!("oleaut32.dll" "system" fn SafeArrayLock(array: *mut SAFEARRAY) -> HRESULT);
    windows_core::link!("oleaut32.dll" "system" fn SafeArrayUnlock(array: *mut SAFEARRAY) -> HRESULT);
    windows_core::link!("oleaut32.dll" "system" fn SafeArrayPtrOfIndex(array: *mut SAFEARRAY, index: *const i32, element: *mut *mut c_void) -> HRESULT);
    windows_core::link!("oleaut32.dll" "system" fn SafeArrayGetDim(array: *mut SAFEARRAY) -> u32);
    windows_core::link!("oleaut32.dll" "system" fn SafeArrayGetLBound(array: *mut SAFEARRAY, dim: u32, bound: *mut i32) -> HRESULT);
    windows_core::link!("oleaut32.dll" "system" fn SafeArrayGetUBound(array: *mut SAFEARRAY, dim: u32, bound: *mut i32) -> HRESULT);
    windows_core::link!("oleaut32.dll" "system" fn SafeArrayGetVartype(array: *mut SAFEARRAY, vt: *mut u16) -> HRESULT);
}
#[cfg(windows)]
pub(crate) use imported::*;

/// Off Windows: each fails (`E_NOTIMPL`, a null pointer, a dimension count of 0), but
/// `SysStringLen`, which reads a BSTR's length as oleaut32 does (an event's text argument is
/// read with it, and event sinks work on every OS). Nothing panics if reached.
#[cfg(not(windows))]
mod stand_ins {
    use super::*;
    const E_NOTIMPL: HRESULT = HRESULT(0x8000_4001_u32 as i32);

    pub(crate) unsafe fn VariantClear(_: *mut VARIANT) -> HRESULT {
        E_NOTIMPL
    }
    pub(crate) unsafe fn SysAllocStringLen(_: *const u16, _: u32) -> *mut u16 {
        core::ptr::null_mut()
    }
    /// As oleaut32's: a BSTR's length is the byte count stored before its first unit.
    pub(crate) unsafe fn SysStringLen(bstr: *const u16) -> u32 {
        if bstr.is_null() {
            return 0;
        }
        // SAFETY: a BSTR (the caller's promise) has its byte count in the 4 bytes before it.
        unsafe { bstr.cast::<u32>().sub(1).read_unaligned() / 2 }
    }
    pub(crate) unsafe fn SysFreeString(_: *mut u16) {}
    pub(crate) unsafe fn SafeArrayCreateVector(_: u16, _: i32, _: u32) -> *mut SAFEARRAY {
        core::ptr::null_mut()
    }
    pub(crate) unsafe fn SafeArrayPutElement(
        _: *mut SAFEARRAY,
        _: *const i32,
        _: *const c_void,
    ) -> HRESULT {
        E_NOTIMPL
    }
    pub(crate) unsafe fn SafeArrayGetElemsize(_: *mut SAFEARRAY) -> u32 {
        0
    }
    pub(crate) unsafe fn SafeArrayLock(_: *mut SAFEARRAY) -> HRESULT {
        E_NOTIMPL
    }
    pub(crate) unsafe fn SafeArrayUnlock(_: *mut SAFEARRAY) -> HRESULT {
        E_NOTIMPL
    }
    pub(crate) unsafe fn SafeArrayPtrOfIndex(
        _: *mut SAFEARRAY,
        _: *const i32,
        _: *mut *mut c_void,
    ) -> HRESULT {
        E_NOTIMPL
    }
    pub(crate) unsafe fn SafeArrayGetDim(_: *mut SAFEARRAY) -> u32 {
        0
    }
    pub(crate) unsafe fn SafeArrayGetLBound(_: *mut SAFEARRAY, _: u32, _: *mut i32) -> HRESULT {
        E_NOTIMPL
    }
    pub(crate) unsafe fn SafeArrayGetUBound(_: *mut SAFEARRAY, _: u32, _: *mut i32) -> HRESULT {
        E_NOTIMPL
    }
    pub(crate) unsafe fn SafeArrayGetVartype(_: *mut SAFEARRAY, _: *mut u16) -> HRESULT {
        E_NOTIMPL
    }
}
#[cfg(not(windows))]
pub(crate) use stand_ins::*;
