//! The server side of `IDispatch`, for the objects the library answers Office with (the add-in
//! object today; the events sink and the Ribbon's callbacks next): names to DISPIDs from a table
//! of members, and `Invoke`'s arguments read and checked. A caller's bad data (a wrong count,
//! wrong types, null pointers) gets the documented error code, `puArgErr` where it applies, and a
//! log line; nothing is read past the `cArgs` it said it sent.

use super::variant::{read, type_name, Variant};
use super::Dispatch;
use crate::sys::{
    self, DISPID_UNKNOWN, DISPPARAMS, DISP_E_BADPARAMCOUNT, DISP_E_NONAMEDARGS, VARIANT, VT_BYREF,
    VT_DISPATCH, VT_EMPTY, VT_I2, VT_I4, VT_NULL, VT_UNKNOWN,
};
use core::ffi::c_void;
use core::ptr::null_mut;
use windows_core::{IUnknown, Interface, HRESULT};

/// `GetIDsOfNames` for an object whose members are `members` (DISPID, name): the first name is
/// the member (case-insensitive, as Office's are); the members take no named arguments, so any
/// further name is unknown.
///
/// # Safety
/// `names` points to `count` readable pointers, each null or NUL-terminated; `ids` to `count`
/// writable DISPIDs (the pointers themselves are checked for null).
pub(crate) unsafe fn ids_of_names(
    names: *const *const u16,
    count: u32,
    ids: *mut i32,
    members: &[(i32, &str)],
) -> HRESULT {
    if count == 0 {
        return sys::S_OK;
    }
    if names.is_null() || ids.is_null() {
        return sys::E_POINTER;
    }
    // SAFETY: the caller's promise: `count` of each.
    let (names, ids) = unsafe {
        (
            core::slice::from_raw_parts(names, count as usize),
            core::slice::from_raw_parts_mut(ids, count as usize),
        )
    };
    ids.fill(DISPID_UNKNOWN);
    // SAFETY: null or NUL-terminated (the caller's promise).
    let method = (!names[0].is_null()).then(|| unsafe { wide_to_string(names[0]) });
    let found = method.as_deref().and_then(|method| {
        members
            .iter()
            .find(|(_, name)| name.eq_ignore_ascii_case(method))
    });
    match found {
        Some((dispid, _)) if count == 1 => {
            ids[0] = *dispid;
            sys::S_OK
        }
        Some((dispid, _)) => {
            ids[0] = *dispid;
            log::warn!("GetIDsOfNames({method:?}): named arguments are not supported");
            sys::DISP_E_UNKNOWNNAME
        }
        None => {
            log::warn!("GetIDsOfNames: unknown name {method:?}");
            sys::DISP_E_UNKNOWNNAME
        }
    }
}

/// # Safety
/// `text` is non-null and NUL-terminated.
unsafe fn wide_to_string(text: *const u16) -> String {
    let mut len = 0;
    // SAFETY: readable up to and including its NUL (the caller's promise).
    while unsafe { *text.add(len) } != 0 {
        len += 1;
    }
    // SAFETY: the `len` units before the NUL, just read.
    String::from_utf16_lossy(unsafe { core::slice::from_raw_parts(text, len) })
}

/// `Invoke`'s positional arguments, checked against what the method takes.
pub(crate) struct Args<'a> {
    /// As `DISPPARAMS` holds them: the last argument first.
    reversed: &'a [VARIANT],
    method: &'a str,
}

/// A bad argument: the code for `Invoke` to return, and its index in `rgvarg` for `puArgErr`.
pub(crate) type ArgError = (HRESULT, Option<u32>);

impl<'a> Args<'a> {
    /// Checks `params` holds exactly `expected` positional arguments.
    ///
    /// # Safety
    /// `params` is null or points to a `DISPPARAMS` whose `rgvarg` holds `cArgs` VARIANTs,
    /// valid for `'a`.
    pub(crate) unsafe fn new(
        method: &'a str,
        params: *const DISPPARAMS,
        expected: u32,
    ) -> Result<Args<'a>, ArgError> {
        if params.is_null() {
            log::warn!("Invoke({method}): no DISPPARAMS");
            return Err((sys::E_INVALIDARG, None));
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
            return Err((sys::E_INVALIDARG, None));
        }
        let reversed = if expected == 0 {
            &[][..]
        } else {
            // SAFETY: the caller's promise: `cArgs` VARIANTs at `rgvarg`.
            unsafe { core::slice::from_raw_parts(params.rgvarg, expected as usize) }
        };
        Ok(Args { reversed, method })
    }

    fn get(&self, position: usize) -> (&'a VARIANT, u32) {
        let index = self.reversed.len() - 1 - position;
        (&self.reversed[index], index as u32)
    }

    /// Argument `position` (0 = first) as an object pointer, borrowed for the call:
    /// `IDispatch` or `IUnknown`, by value or by reference; empty or null gives null.
    #[cfg_attr(not(windows), allow(dead_code))] // the add-in object's (Windows)
    pub(crate) fn object(&self, position: usize) -> Result<*mut c_void, ArgError> {
        let (variant, index) = self.get(position);
        let vt = variant.vt;
        // SAFETY: each arm reads the member `vt` says is there; a by-reference pointer is
        // checked for null first.
        let object = unsafe {
            match vt {
                VT_EMPTY | VT_NULL => null_mut(),
                VT_DISPATCH => variant.value.pdispVal,
                VT_UNKNOWN => variant.value.punkVal,
                _ if (vt == VT_DISPATCH | VT_BYREF || vt == VT_UNKNOWN | VT_BYREF)
                    && !variant.value.ppdispVal.is_null() =>
                {
                    *variant.value.ppdispVal
                }
                _ => {
                    log::warn!(
                        "Invoke({}): argument {} is of VARTYPE {vt}, not an object",
                        self.method,
                        position + 1
                    );
                    return Err((sys::DISP_E_TYPEMISMATCH, Some(index)));
                }
            }
        };
        Ok(object)
    }

    /// Argument `position` as an integer (`VT_I4` or `VT_I2`, by value or by reference).
    #[cfg_attr(not(windows), allow(dead_code))] // the add-in object's (Windows)
    pub(crate) fn int(&self, position: usize) -> Result<i32, ArgError> {
        let (variant, index) = self.get(position);
        let vt = variant.vt;
        // SAFETY: as in `object`.
        unsafe {
            match vt {
                VT_I4 => return Ok(variant.value.lVal),
                VT_I2 => return Ok(variant.value.iVal.into()),
                _ if vt == VT_I4 | VT_BYREF && !variant.value.plVal.is_null() => {
                    return Ok(*variant.value.plVal)
                }
                _ if vt == VT_I2 | VT_BYREF && !variant.value.piVal.is_null() => {
                    return Ok((*variant.value.piVal).into())
                }
                _ => {}
            }
        }
        log::warn!(
            "Invoke({}): argument {} is of VARTYPE {vt}, not an integer",
            self.method,
            position + 1
        );
        Err((sys::DISP_E_TYPEMISMATCH, Some(index)))
    }

    /// Argument `position` as an object of the object model: a `VT_DISPATCH` (by value or by
    /// reference) holding a non-null `IDispatch*`, a new reference to it.
    pub(crate) fn dispatch(&self, position: usize) -> Result<Dispatch, ArgError> {
        let (variant, index) = self.get(position);
        let vt = variant.vt;
        // SAFETY: each arm reads the member `vt` names; a by-reference pointer is checked for
        // null first.
        let raw = unsafe {
            match vt {
                VT_DISPATCH => variant.value.pdispVal,
                _ if vt == VT_DISPATCH | VT_BYREF && !variant.value.ppdispVal.is_null() => {
                    variant.value.ppdispVal.read_unaligned()
                }
                _ => null_mut(),
            }
        };
        // SAFETY: a caller's `IDispatch*`, live for the call (`new`'s promise).
        match unsafe { IUnknown::from_raw_borrowed(&raw) } {
            // SAFETY: `VT_DISPATCH` promises an `IDispatch*`; the clone is the new reference.
            Some(object) => Ok(unsafe { Dispatch::from_raw_dispatch(object.clone().into_raw()) }),
            None => {
                log::warn!(
                    "Invoke({}): argument {} is {}, not an object (VT_DISPATCH)",
                    self.method,
                    position + 1,
                    if vt == VT_DISPATCH || vt == VT_DISPATCH | VT_BYREF {
                        "a null object".into()
                    } else {
                        type_name(vt)
                    }
                );
                Err((sys::DISP_E_TYPEMISMATCH, Some(index)))
            }
        }
    }

    /// Argument `position` as a `VARIANT_BOOL` to read and write back: `VT_BOOL | VT_BYREF`
    /// with a non-null pointer (an event's `Cancel`).
    pub(crate) fn bool_ref(&self, position: usize) -> Result<*mut i16, ArgError> {
        let (variant, index) = self.get(position);
        let vt = variant.vt;
        // SAFETY: `vt` says `piVal` (the same pointer as `pboolVal`) is the member in use.
        if vt == sys::VT_BOOL | VT_BYREF && !unsafe { variant.value.piVal }.is_null() {
            // SAFETY: as above.
            return Ok(unsafe { variant.value.piVal });
        }
        log::warn!(
            "Invoke({}): argument {} is {}, not a VT_BOOL | VT_BYREF with a pointer",
            self.method,
            position + 1,
            if vt == sys::VT_BOOL | VT_BYREF {
                "a null VT_BOOL | VT_BYREF".into()
            } else {
                type_name(vt)
            }
        );
        Err((sys::DISP_E_TYPEMISMATCH, Some(index)))
    }

    /// Argument `position` as text: a `VT_BSTR`, by value or by reference, read by its length.
    pub(crate) fn text(&self, position: usize) -> Result<String, ArgError> {
        let (_, index) = self.get(position);
        match self.value(position)? {
            Variant::String(text) => Ok(text),
            other => {
                log::warn!(
                    "Invoke({}): argument {} is {}, not a string (VT_BSTR)",
                    self.method,
                    position + 1,
                    other.describe()
                );
                Err((sys::DISP_E_TYPEMISMATCH, Some(index)))
            }
        }
    }

    /// Argument `position` as an owned [`Variant`], by-reference values followed, with the
    /// checks of [`read`] (a string by its length, arrays bounded and one-dimensional).
    pub(crate) fn value(&self, position: usize) -> Result<Variant, ArgError> {
        let (variant, index) = self.get(position);
        // SAFETY: a VARIANT of the caller's, valid for the call (`new`'s promise).
        unsafe { read(variant, 0) }.map_err(|why| {
            log::warn!("Invoke({}): argument {}: {why}", self.method, position + 1);
            (sys::DISP_E_TYPEMISMATCH, Some(index))
        })
    }
}

/// `IDispatch::GetTypeInfoCount` of an object without type information: 0.
pub(crate) unsafe extern "system" fn get_type_info_count(
    _this: *mut c_void,
    count: *mut u32,
) -> HRESULT {
    if count.is_null() {
        return sys::E_POINTER;
    }
    // SAFETY: non-null and writable (IDispatch's contract).
    unsafe { count.write(0) };
    sys::S_OK
}

/// `IDispatch::GetTypeInfo` of an object without type information: `DISP_E_BADINDEX`.
pub(crate) unsafe extern "system" fn get_type_info(
    _this: *mut c_void,
    _index: u32,
    _lcid: u32,
    info: *mut *mut c_void,
) -> HRESULT {
    if !info.is_null() {
        // SAFETY: non-null and writable (IDispatch's contract).
        unsafe { info.write(null_mut()) };
    }
    sys::DISP_E_BADINDEX
}
