//! `IDispatch` for the add-in: names to DISPIDs, and `Invoke`'s arguments read and checked.
//! A caller's bad data (wrong count, wrong types, null pointers) gets the documented error
//! code and a log line; nothing is read past the `cArgs` it said it sent.

use crate::extensibility::DISPIDS;
use core::ffi::c_void;
use core::ptr::null_mut;
use windows::core::{Interface, HRESULT, PCWSTR};
use windows::Win32::Foundation::{
    DISP_E_BADPARAMCOUNT, DISP_E_TYPEMISMATCH, DISP_E_UNKNOWNNAME, E_INVALIDARG, E_POINTER,
};
use windows::Win32::System::Com::DISPPARAMS;
use windows::Win32::System::Variant::{
    VARENUM, VARIANT, VT_BYREF, VT_DISPATCH, VT_EMPTY, VT_I2, VT_I4, VT_NULL, VT_UNKNOWN,
};

/// `DISP_E_NONAMEDARGS`.
const DISP_E_NONAMEDARGS: HRESULT = HRESULT(0x8002_0007_u32 as i32);
/// `DISPID_UNKNOWN`.
const DISPID_UNKNOWN: i32 = -1;

/// `GetIDsOfNames`: the first name is the method (case-insensitive, as Office's are); this
/// add-in's methods take no named arguments, so any further name is unknown.
///
/// # Safety
/// `names` points to `count` readable `PCWSTR`s, each null or NUL-terminated; `ids` to
/// `count` writable DISPIDs (each checked for null).
pub unsafe fn ids_of_names(names: *const PCWSTR, count: u32, ids: *mut i32) -> HRESULT {
    if count == 0 {
        return windows::Win32::Foundation::S_OK;
    }
    if names.is_null() || ids.is_null() {
        return E_POINTER;
    }
    // SAFETY: the caller's promise: `count` of each.
    let (names, ids) = unsafe {
        (
            core::slice::from_raw_parts(names, count as usize),
            core::slice::from_raw_parts_mut(ids, count as usize),
        )
    };
    ids.fill(DISPID_UNKNOWN);
    // SAFETY: null or NUL-terminated.
    let method = (!names[0].is_null())
        .then(|| unsafe { names[0].to_string() }.ok())
        .flatten();
    let found = method.as_deref().and_then(|method| {
        DISPIDS
            .iter()
            .find(|(_, name)| name.eq_ignore_ascii_case(method))
    });
    match found {
        Some((dispid, _)) if count == 1 => {
            ids[0] = *dispid;
            windows::Win32::Foundation::S_OK
        }
        Some((dispid, _)) => {
            ids[0] = *dispid;
            log::warn!("GetIDsOfNames({method:?}): named arguments are not supported");
            DISP_E_UNKNOWNNAME
        }
        None => {
            log::warn!("GetIDsOfNames: unknown name {method:?}");
            DISP_E_UNKNOWNNAME
        }
    }
}

/// `Invoke`'s positional arguments, checked against what the method takes.
pub struct Args<'a> {
    /// As `DISPPARAMS` holds them: the last argument first.
    reversed: &'a [VARIANT],
}

/// A bad argument: the code for `Invoke` to return, and its index in `rgvarg` for `puArgErr`.
pub type ArgError = (HRESULT, Option<u32>);

impl<'a> Args<'a> {
    /// Checks `params` holds exactly `expected` positional arguments.
    ///
    /// # Safety
    /// `params` is null or points to a `DISPPARAMS` whose `rgvarg` holds `cArgs` VARIANTs,
    /// valid for `'a`.
    pub unsafe fn new(
        method: &str,
        params: *const DISPPARAMS,
        expected: u32,
    ) -> Result<Args<'a>, ArgError> {
        if params.is_null() {
            log::warn!("Invoke({method}): no DISPPARAMS");
            return Err((E_INVALIDARG, None));
        }
        // SAFETY: non-null, the caller's promise.
        let params = unsafe { &*params };
        if params.cNamedArgs != 0 {
            log::warn!(
                "Invoke({method}): {} named arguments; none are supported",
                params.cNamedArgs
            );
            return Err((DISP_E_NONAMEDARGS, None));
        }
        if params.cArgs != expected {
            log::warn!(
                "Invoke({method}): {} arguments, expected {expected}",
                params.cArgs
            );
            return Err((DISP_E_BADPARAMCOUNT, None));
        }
        if expected > 0 && params.rgvarg.is_null() {
            log::warn!("Invoke({method}): {expected} arguments but rgvarg is null");
            return Err((E_INVALIDARG, None));
        }
        let reversed = if expected == 0 {
            &[][..]
        } else {
            // SAFETY: the caller's promise: `cArgs` VARIANTs at `rgvarg`.
            unsafe { core::slice::from_raw_parts(params.rgvarg, expected as usize) }
        };
        Ok(Args { reversed })
    }

    fn get(&self, position: usize) -> (&'a VARIANT, VARENUM, u32) {
        let index = self.reversed.len() - 1 - position;
        let variant = &self.reversed[index];
        // SAFETY: `vt` is valid whatever the VARIANT holds.
        let vt = unsafe { variant.Anonymous.Anonymous.vt };
        (variant, vt, index as u32)
    }

    /// Argument `position` (0 = first) as an object pointer, borrowed for the call: `IDispatch` or
    /// `IUnknown`, by value or by reference; empty or null gives `None`.
    pub fn object(&self, method: &str, position: usize) -> Result<*mut c_void, ArgError> {
        let (variant, vt, index) = self.get(position);
        // SAFETY: each arm reads the member `vt` says is there; by-reference pointers are
        // checked for null. (Read directly: windows-rs' VARIANT conversions call into
        // propsys, which Wine 8 lacks.)
        let object = unsafe {
            let value = &variant.Anonymous.Anonymous.Anonymous;
            match vt {
                VT_EMPTY | VT_NULL => null_mut(),
                VT_DISPATCH => (*value.pdispVal)
                    .as_ref()
                    .map_or(null_mut(), Interface::as_raw),
                VT_UNKNOWN => (*value.punkVal)
                    .as_ref()
                    .map_or(null_mut(), Interface::as_raw),
                _ if vt == VARENUM(VT_DISPATCH.0 | VT_BYREF.0) && !value.ppdispVal.is_null() => {
                    (*value.ppdispVal)
                        .as_ref()
                        .map_or(null_mut(), Interface::as_raw)
                }
                _ => {
                    log::warn!(
                        "Invoke({method}): argument {} is a {vt:?}, not an object",
                        position + 1
                    );
                    return Err((DISP_E_TYPEMISMATCH, Some(index)));
                }
            }
        };
        Ok(object)
    }

    /// Argument `position` as an integer (`VT_I4` or `VT_I2`, by value or by reference).
    pub fn int(&self, method: &str, position: usize) -> Result<i32, ArgError> {
        let (variant, vt, index) = self.get(position);
        // SAFETY: as in `object`.
        unsafe {
            let value = &variant.Anonymous.Anonymous.Anonymous;
            match vt {
                VT_I4 => return Ok(value.lVal),
                VT_I2 => return Ok(value.iVal.into()),
                _ if vt == VARENUM(VT_I4.0 | VT_BYREF.0) && !value.plVal.is_null() => {
                    return Ok(*value.plVal)
                }
                _ if vt == VARENUM(VT_I2.0 | VT_BYREF.0) && !value.piVal.is_null() => {
                    return Ok((*value.piVal).into())
                }
                _ => {}
            }
        }
        log::warn!(
            "Invoke({method}): argument {} is a {vt:?}, not an integer",
            position + 1
        );
        Err((DISP_E_TYPEMISMATCH, Some(index)))
    }
}
