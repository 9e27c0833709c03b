//! The calls of OLE Automation that [`profile_name`](crate::profile_name) makes: `IDispatch`'s
//! `GetIDsOfNames` and `Invoke(DISPATCH_PROPERTYGET)`, with the `VARIANT`, `DISPPARAMS` and
//! `EXCEPINFO` they take (declared in `sys`), owned so that nothing leaks.
//!
//! Invariants, which every `unsafe` block below relies on:
//! - A [`Dispatch`] owns one reference to an `IDispatch`; dropping it releases that reference.
//! - A [`Variant`] owns its `VARIANT`, which is always a valid one (it starts `VT_EMPTY`, and
//!   only `IDispatch::Invoke` writes it): dropping it calls `VariantClear`, which releases the
//!   interface or frees the BSTR inside. Taking an interface out leaves `VT_EMPTY` behind, so
//!   nothing is released twice.
//! - An [`ExcepInfo`] starts zeroed and owns the BSTRs a server writes into it: dropping it frees
//!   them with `SysFreeString`.
//!
//! Every path, success or error, ends with those drops, so nothing an object hands out leaks.
#![allow(non_camel_case_types, non_snake_case, non_upper_case_globals)]
#![allow(clippy::upper_case_acronyms)] // the names are <oaidl.h>'s

use crate::sys::{
    self, IDispatch_Vtbl, IID_IDispatch, DISPATCH_PROPERTYGET, DISPPARAMS, EXCEPINFO, IID_NULL,
    VARIANT, VARIANT_0, VT_ARRAY, VT_BSTR, VT_BYREF, VT_DISPATCH, VT_EMPTY,
};
use core::ptr;
use windows_core::{IUnknown, Interface, GUID, HRESULT};

/// `LOCALE_USER_DEFAULT` for `GetIDsOfNames` and `LOCALE_SYSTEM_DEFAULT` for `Invoke`, as
/// Microsoft's "automate Office from C++ without #import" sample (KB 216686) passes them.
const LOCALE_USER_DEFAULT: u32 = 0x0400;
const LOCALE_SYSTEM_DEFAULT: u32 = 0x0800;

// Imported as windows-core imports ole32 (raw-dylib, through its `link!`): no import library is
// needed, so a static library of this crate links into a C or C++ program as it is.
windows_core::link!("oleaut32.dll" "system" fn VariantClear(variant: *mut VARIANT) -> HRESULT);
windows_core::link!("oleaut32.dll" "system" fn SysFreeString(bstr: *mut u16));
windows_core::link!("oleaut32.dll" "system" fn SysStringLen(bstr: *const u16) -> u32);

/// One reference to an `IDispatch`.
#[repr(transparent)]
#[derive(Clone)]
pub(crate) struct Dispatch(IUnknown);

// SAFETY: a transparent wrapper of an interface pointer whose vtable is the `#[repr(C)]`
// `IDispatch_Vtbl` above, which starts with `IUnknown`'s.
unsafe impl Interface for Dispatch {
    type Vtable = IDispatch_Vtbl;
    const IID: GUID = IID_IDispatch;
}

/// Why `Invoke` failed: its HRESULT, and the exception it raised if it returned
/// `DISP_E_EXCEPTION` (then `code` is the exception's own code when it carries one).
pub(crate) struct InvokeError {
    pub(crate) code: HRESULT,
    pub(crate) exception: Option<String>,
}

impl Dispatch {
    /// `QueryInterface(IID_IDispatch)`.
    pub(crate) fn query(unknown: &IUnknown) -> Result<Dispatch, HRESULT> {
        let mut raw = ptr::null_mut();
        // SAFETY: a live object (the caller's reference), a valid IID and out pointer.
        let code = unsafe { unknown.query(&IID_IDispatch, &mut raw) };
        if code.is_err() {
            return Err(code);
        }
        if raw.is_null() {
            return Err(sys::E_POINTER);
        }
        // SAFETY: a successful QueryInterface gave one reference to an `IDispatch*`.
        Ok(unsafe { Dispatch::from_raw(raw) })
    }

    /// `GetIDsOfNames` of one name: its DISPID.
    pub(crate) fn id_of_name(&self, name: &str) -> Result<i32, HRESULT> {
        let wide: Vec<u16> = name.encode_utf16().chain([0]).collect();
        let names = [wide.as_ptr()];
        // DISPID_UNKNOWN until the object answers.
        let mut dispid = -1;
        // SAFETY: a live IDispatch; one NUL-terminated name; room for one DISPID.
        let code = unsafe {
            (self.vtable().GetIDsOfNames)(
                self.as_raw(),
                &IID_NULL,
                names.as_ptr(),
                1,
                LOCALE_USER_DEFAULT,
                &mut dispid,
            )
        };
        if code.is_err() {
            Err(code)
        } else {
            Ok(dispid)
        }
    }

    /// `Invoke(dispid, DISPATCH_PROPERTYGET)` without arguments: the property's value.
    pub(crate) fn get(&self, dispid: i32) -> Result<Variant, InvokeError> {
        let mut params = DISPPARAMS {
            rgvarg: ptr::null_mut(),
            rgdispidNamedArgs: ptr::null_mut(),
            cArgs: 0,
            cNamedArgs: 0,
        };
        let mut result = Variant::empty();
        let mut exception = ExcepInfo::new();
        // SAFETY: a live IDispatch; empty arguments; a VT_EMPTY result and a zeroed EXCEPINFO
        // for it to fill in, both freed by their owners' drops whatever happens.
        let code = unsafe {
            (self.vtable().Invoke)(
                self.as_raw(),
                dispid,
                &IID_NULL,
                LOCALE_SYSTEM_DEFAULT,
                DISPATCH_PROPERTYGET,
                &mut params,
                &mut result.0,
                &mut exception.0,
                ptr::null_mut(),
            )
        };
        if code == sys::DISP_E_EXCEPTION {
            let (code, text) = exception.read();
            // An exception that gives only a `wCode` has no HRESULT of its own.
            let code = if code.is_err() {
                code
            } else {
                sys::DISP_E_EXCEPTION
            };
            return Err(InvokeError {
                code,
                exception: Some(text),
            });
        }
        if code.is_err() {
            return Err(InvokeError {
                code,
                exception: None,
            });
        }
        Ok(result)
    }
}

/// An owned `VARIANT`, cleared on drop.
pub(crate) struct Variant(VARIANT);

impl Variant {
    fn empty() -> Variant {
        Variant(VARIANT {
            vt: VT_EMPTY,
            wReserved1: 0,
            wReserved2: 0,
            wReserved3: 0,
            value: VARIANT_0 {
                brecVal: [ptr::null_mut(); 2],
            },
        })
    }

    /// The `IDispatch` a `VT_DISPATCH` holds; else what the value is instead (`VT_UNKNOWN
    /// (13)`, `VT_DISPATCH holding a null pointer`), and the value is cleared on drop.
    pub(crate) fn into_dispatch(mut self) -> Result<Dispatch, String> {
        if self.0.vt != VT_DISPATCH {
            return Err(self.type_name());
        }
        // SAFETY: `vt` says `pdispVal` is the member in use.
        let raw = unsafe { self.0.value.pdispVal };
        if raw.is_null() {
            return Err("VT_DISPATCH holding a null pointer".into());
        }
        // The reference moves to the `Dispatch`: the VARIANT must no longer release it.
        self.0.vt = VT_EMPTY;
        // SAFETY: a VT_DISPATCH owns one reference to a non-null `IDispatch*`.
        Ok(unsafe { Dispatch::from_raw(raw) })
    }

    /// The UTF-16 text of a `VT_BSTR` (a null BSTR is the empty string, as COM defines it);
    /// else what the value is instead.
    pub(crate) fn bstr(&self) -> Result<&[u16], String> {
        if self.0.vt != VT_BSTR {
            return Err(self.type_name());
        }
        // SAFETY: `vt` says `bstrVal` is the member in use.
        let bstr = unsafe { self.0.value.bstrVal };
        if bstr.is_null() {
            return Ok(&[]);
        }
        // SAFETY: a BSTR is `SysStringLen` UTF-16 units, owned by this VARIANT, which outlives
        // the borrow.
        Ok(unsafe { core::slice::from_raw_parts(bstr, SysStringLen(bstr) as usize) })
    }

    /// `VT_I4 (3)`, `VT_BSTR | VT_BYREF (16392)`, ...
    fn type_name(&self) -> String {
        let vt = self.0.vt;
        let base = match vt & !(VT_ARRAY | VT_BYREF) {
            0 => "VT_EMPTY",
            1 => "VT_NULL",
            2 => "VT_I2",
            3 => "VT_I4",
            4 => "VT_R4",
            5 => "VT_R8",
            6 => "VT_CY",
            7 => "VT_DATE",
            VT_BSTR => "VT_BSTR",
            VT_DISPATCH => "VT_DISPATCH",
            10 => "VT_ERROR",
            11 => "VT_BOOL",
            12 => "VT_VARIANT",
            13 => "VT_UNKNOWN",
            14 => "VT_DECIMAL",
            16 => "VT_I1",
            17 => "VT_UI1",
            18 => "VT_UI2",
            19 => "VT_UI4",
            20 => "VT_I8",
            21 => "VT_UI8",
            22 => "VT_INT",
            23 => "VT_UINT",
            36 => "VT_RECORD",
            _ => return format!("VARTYPE {vt}"),
        };
        let flag = |bit: u16, name: &'static str| if vt & bit != 0 { name } else { "" };
        let (array, byref) = (flag(VT_ARRAY, " | VT_ARRAY"), flag(VT_BYREF, " | VT_BYREF"));
        format!("{base}{array}{byref} ({vt})")
    }
}

impl Drop for Variant {
    fn drop(&mut self) {
        // SAFETY: the VARIANT is valid (module invariant) and owned by `self`.
        let code = unsafe { VariantClear(&mut self.0) };
        if code.is_err() {
            log::warn!(
                "VariantClear of {} failed: {:#010X}; its value may leak",
                self.type_name(),
                code.0 as u32
            );
        }
    }
}

/// An owned `EXCEPINFO`, whose BSTRs are freed on drop.
struct ExcepInfo(EXCEPINFO);

impl ExcepInfo {
    fn new() -> ExcepInfo {
        ExcepInfo(EXCEPINFO {
            wCode: 0,
            wReserved: 0,
            bstrSource: ptr::null_mut(),
            bstrDescription: ptr::null_mut(),
            bstrHelpFile: ptr::null_mut(),
            dwHelpContext: 0,
            pvReserved: ptr::null_mut(),
            pfnDeferredFillIn: None,
            scode: sys::S_OK,
        })
    }

    /// The exception's code (`scode`; `S_OK` when it gave only a `wCode`) and a line of text:
    /// `source: description`, and the `wCode` if any.
    fn read(&mut self) -> (HRESULT, String) {
        if let Some(fill_in) = self.0.pfnDeferredFillIn.take() {
            // Its failure leaves the fields as they are, which is what is reported then.
            // SAFETY: the server's own callback, given the structure it asked to fill.
            let _ = unsafe { fill_in(&mut self.0) };
        }
        let text = |bstr: *mut u16| {
            if bstr.is_null() {
                return String::new();
            }
            // SAFETY: a BSTR the server wrote here, owned by `self` until drop.
            let units = unsafe { core::slice::from_raw_parts(bstr, SysStringLen(bstr) as usize) };
            String::from_utf16_lossy(units).trim().to_owned()
        };
        let mut line = match (text(self.0.bstrSource), text(self.0.bstrDescription)) {
            (source, description) if source.is_empty() => description,
            (source, description) if description.is_empty() => source,
            (source, description) => format!("{source}: {description}"),
        };
        if self.0.wCode != 0 {
            line = format!("{line} (wCode {})", self.0.wCode);
        }
        (self.0.scode, line.trim().to_owned())
    }
}

impl Drop for ExcepInfo {
    fn drop(&mut self) {
        for bstr in [
            self.0.bstrSource,
            self.0.bstrDescription,
            self.0.bstrHelpFile,
        ] {
            // SAFETY: null, or a BSTR the server handed over with the exception; each freed
            // once, here.
            unsafe { SysFreeString(bstr) };
        }
    }
}
