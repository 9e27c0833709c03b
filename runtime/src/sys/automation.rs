//! The slice of OLE Automation (`<oaidl.h>`, `<wtypes.h>`) that `profile_name` calls and the
//! Outlook add-in answers: `IDispatch`'s vtable, and the `VARIANT`, `DISPPARAMS` and
//! `EXCEPINFO` its methods take, declared by hand (the runtime does not depend on the `windows`
//! crate). Sizes and offsets are checked at compile time for 32- and 64-bit targets.

use core::ffi::c_void;
use windows_core::{IUnknown_Vtbl, GUID, HRESULT};

/// `IID_IDispatch` `{00020400-0000-0000-c000-000000000046}`.
pub const IID_IDispatch: GUID = GUID::from_u128(0x00020400_0000_0000_c000_000000000046);
/// `IID_NULL`: the `riid` argument `GetIDsOfNames` and `Invoke` take.
pub const IID_NULL: GUID = GUID::zeroed();

/// `Invoke` flag: call a method.
pub const DISPATCH_METHOD: u16 = 0x1;
/// `Invoke` flag: read a property.
pub const DISPATCH_PROPERTYGET: u16 = 0x2;
/// `Invoke` flag: set a property (its value the one argument, named `DISPID_PROPERTYPUT`).
pub const DISPATCH_PROPERTYPUT: u16 = 0x4;
/// `Invoke` flag: set a property to an object by reference (Visual Basic's `Set`), its value
/// the one argument, named `DISPID_PROPERTYPUT`.
pub const DISPATCH_PROPERTYPUTREF: u16 = 0x8;
/// The name of a property put's value argument.
pub const DISPID_PROPERTYPUT: i32 = -3;
/// What `GetIDsOfNames` writes for a name it does not know.
pub const DISPID_UNKNOWN: i32 = -1;

/// `VT_EMPTY`: no value.
pub const VT_EMPTY: u16 = 0;
/// `VT_NULL`: SQL-style null.
pub const VT_NULL: u16 = 1;
/// `VT_I2`: `iVal`.
pub const VT_I2: u16 = 2;
/// `VT_I4`: `lVal`.
pub const VT_I4: u16 = 3;
/// `VT_R4`: `fltVal`.
pub const VT_R4: u16 = 4;
/// `VT_R8`: `dblVal`.
pub const VT_R8: u16 = 5;
/// `VT_DATE`: `date`, days since 1899-12-30.
pub const VT_DATE: u16 = 7;
/// `VT_ERROR`: `scode`.
pub const VT_ERROR: u16 = 10;
/// `VT_BOOL`: `boolVal`, `VARIANT_TRUE` (-1) or `VARIANT_FALSE` (0).
pub const VT_BOOL: u16 = 11;
/// `VT_VARIANT`: with `VT_BYREF`, `pvarVal`; as an array's element type, whole `VARIANT`s.
pub const VT_VARIANT: u16 = 12;
/// `VT_I1`: `cVal`.
pub const VT_I1: u16 = 16;
/// `VT_UI1`: `bVal`.
pub const VT_UI1: u16 = 17;
/// `VT_UI2`: `uiVal`.
pub const VT_UI2: u16 = 18;
/// `VT_UI4`: `ulVal`.
pub const VT_UI4: u16 = 19;
/// `VT_I8`: `llVal`.
pub const VT_I8: u16 = 20;
/// `VT_UI8`: `ullVal`.
pub const VT_UI8: u16 = 21;
/// `VT_INT`: `intVal` (32 bits).
pub const VT_INT: u16 = 22;
/// `VT_UINT`: `uintVal` (32 bits).
pub const VT_UINT: u16 = 23;
/// `VT_BSTR`: `bstrVal`.
pub const VT_BSTR: u16 = 8;
/// `VT_DISPATCH`: `pdispVal`.
pub const VT_DISPATCH: u16 = 9;
/// `VT_UNKNOWN`: `punkVal`.
pub const VT_UNKNOWN: u16 = 13;
/// `VT_ARRAY`: a flag, a `SAFEARRAY` of the base type.
pub const VT_ARRAY: u16 = 0x2000;
/// `VT_BYREF`: a flag, a pointer to the base type's value.
pub const VT_BYREF: u16 = 0x4000;

/// `DISP_E_BADPARAMCOUNT` (0x8002000E): `Invoke` with the wrong number of arguments.
pub const DISP_E_BADPARAMCOUNT: HRESULT = HRESULT(0x8002_000E_u32 as i32);
/// `DISP_E_NONAMEDARGS` (0x80020007): `Invoke` with named arguments, which the member lacks.
pub const DISP_E_NONAMEDARGS: HRESULT = HRESULT(0x8002_0007_u32 as i32);
/// `DISP_E_BADINDEX` (0x8002000B): `GetTypeInfo` of a type information the object lacks.
pub const DISP_E_BADINDEX: HRESULT = HRESULT(0x8002_000B_u32 as i32);

/// `VARIANT`: a type tag, three reserved words, and a value union of 8 bytes (16 on 64-bit,
/// where the widest member, `BRECORD`, is two pointers). `DECIMAL` overlays the whole struct.
///
/// ```
/// use mapi_notify_sink::sys::{VARIANT, VARIANT_0, VT_I4};
///
/// // `ext_cm_Startup`, as Office passes OnConnection's mode through `Invoke`.
/// let mode = VARIANT { vt: VT_I4, wReserved1: 0, wReserved2: 0, wReserved3: 0, value: VARIANT_0 { lVal: 1 } };
/// // SAFETY: `vt` says the union holds `lVal`.
/// assert_eq!(unsafe { mode.value.lVal }, 1);
/// assert_eq!(size_of::<VARIANT>(), 8 + 2 * size_of::<usize>());
/// ```
#[repr(C)]
#[derive(Clone, Copy)]
pub struct VARIANT {
    /// The `VARTYPE` of `value`: `VT_*`.
    pub vt: u16,
    /// Reserved.
    pub wReserved1: u16,
    /// Reserved.
    pub wReserved2: u16,
    /// Reserved.
    pub wReserved3: u16,
    /// The value, as `vt` says.
    pub value: VARIANT_0,
}

/// The value union of a [`VARIANT`], with the members this crate reads or writes.
///
/// ```
/// use mapi_notify_sink::sys::VARIANT_0;
///
/// let value = VARIANT_0 { iVal: -2 };
/// // SAFETY: written as `iVal` just above.
/// assert_eq!(unsafe { value.iVal }, -2);
/// assert_eq!(size_of::<VARIANT_0>(), 2 * size_of::<usize>());
/// ```
#[repr(C)]
#[derive(Clone, Copy)]
pub union VARIANT_0 {
    /// `VT_I8`.
    pub llVal: i64,
    /// `VT_UI8`.
    pub ullVal: u64,
    /// `VT_R8`.
    pub dblVal: f64,
    /// `VT_DATE`.
    pub date: f64,
    /// `VT_R4`.
    pub fltVal: f32,
    /// `VT_UI4`.
    pub ulVal: u32,
    /// `VT_ERROR`.
    pub scode: i32,
    /// `VT_BOOL`: -1 true, 0 false.
    pub boolVal: i16,
    /// `VT_UI2`.
    pub uiVal: u16,
    /// `VT_I1`.
    pub cVal: i8,
    /// `VT_UI1`.
    pub bVal: u8,
    /// `VT_ARRAY`: a `SAFEARRAY*`.
    pub parray: *mut SAFEARRAY,
    /// `VT_ARRAY | VT_BYREF`: a pointer to the `SAFEARRAY*`.
    pub pparray: *mut *mut SAFEARRAY,
    /// Any `VT_BYREF`: the pointer to the value.
    pub byref: *mut c_void,
    /// `VT_I4`.
    pub lVal: i32,
    /// `VT_I2`.
    pub iVal: i16,
    /// `VT_BSTR`.
    pub bstrVal: *mut u16,
    /// `VT_UNKNOWN`: an `IUnknown*`.
    pub punkVal: *mut c_void,
    /// `VT_DISPATCH`: an `IDispatch*`.
    pub pdispVal: *mut c_void,
    /// `VT_I4 | VT_BYREF`.
    pub plVal: *mut i32,
    /// `VT_I2 | VT_BYREF`.
    pub piVal: *mut i16,
    /// `VT_DISPATCH | VT_BYREF` (and `VT_UNKNOWN | VT_BYREF`): a pointer to the interface
    /// pointer.
    pub ppdispVal: *mut *mut c_void,
    /// `BRECORD { PVOID pvRecord; IRecordInfo* pRecInfo; }`: gives the union its size.
    pub brecVal: [*mut c_void; 2],
}

/// `SAFEARRAY`: OLE Automation's array, reached only through oleaut32's `SafeArray*`
/// functions (its layout is theirs).
#[repr(C)]
pub struct SAFEARRAY {
    _opaque: [u8; 0],
}

/// `DISPPARAMS`: the arguments of `Invoke`, the last one first in `rgvarg`.
///
/// ```
/// use mapi_notify_sink::sys::{DISPPARAMS, VARIANT, VARIANT_0, VT_EMPTY, VT_I4};
///
/// let arg = |vt, lVal| VARIANT { vt, wReserved1: 0, wReserved2: 0, wReserved3: 0, value: VARIANT_0 { lVal } };
/// // OnDisconnection(ext_dm_HostShutdown, custom): `custom` first, since they are reversed.
/// let mut args = [arg(VT_EMPTY, 0), arg(VT_I4, 0)];
/// let params = DISPPARAMS {
///     rgvarg: args.as_mut_ptr(),
///     rgdispidNamedArgs: core::ptr::null_mut(),
///     cArgs: 2,
///     cNamedArgs: 0,
/// };
/// // SAFETY: `rgvarg` points to `cArgs` arguments.
/// assert_eq!(unsafe { (*params.rgvarg.add(1)).vt }, VT_I4);
/// ```
#[repr(C)]
pub struct DISPPARAMS {
    /// `cArgs` arguments, in reverse order.
    pub rgvarg: *mut VARIANT,
    /// The DISPIDs of the named arguments.
    pub rgdispidNamedArgs: *mut i32,
    /// How many arguments.
    pub cArgs: u32,
    /// How many of them are named.
    pub cNamedArgs: u32,
}

/// `EXCEPINFO`: what `Invoke` fills in when it returns `DISP_E_EXCEPTION`.
///
/// ```
/// use mapi_notify_sink::sys::{EXCEPINFO, E_FAIL};
///
/// // What a caller passes: empty; the callee fills it in (and the caller frees its BSTRs).
/// let info = EXCEPINFO {
///     wCode: 0,
///     wReserved: 0,
///     bstrSource: core::ptr::null_mut(),
///     bstrDescription: core::ptr::null_mut(),
///     bstrHelpFile: core::ptr::null_mut(),
///     dwHelpContext: 0,
///     pvReserved: core::ptr::null_mut(),
///     pfnDeferredFillIn: None,
///     scode: E_FAIL,
/// };
/// assert!(info.bstrDescription.is_null() && info.scode.is_err());
/// ```
#[repr(C)]
pub struct EXCEPINFO {
    /// An error code, or 0 when `scode` is used.
    pub wCode: u16,
    /// Reserved.
    pub wReserved: u16,
    /// Who raised it (a BSTR the caller frees).
    pub bstrSource: *mut u16,
    /// What happened (a BSTR the caller frees).
    pub bstrDescription: *mut u16,
    /// A help file (a BSTR the caller frees).
    pub bstrHelpFile: *mut u16,
    /// Its help context.
    pub dwHelpContext: u32,
    /// Reserved.
    pub pvReserved: *mut c_void,
    /// Fills in the rest, when set.
    pub pfnDeferredFillIn: Option<unsafe extern "system" fn(info: *mut EXCEPINFO) -> HRESULT>,
    /// The error's HRESULT, or `S_OK` when `wCode` is used.
    pub scode: HRESULT,
}

/// Vtable of `IDispatch : IUnknown`.
///
/// ```
/// use core::mem::offset_of;
/// use mapi_notify_sink::sys::IDispatch_Vtbl;
///
/// // Slot 6 of seven: GetTypeInfoCount, GetTypeInfo, GetIDsOfNames follow IUnknown's three.
/// assert_eq!(offset_of!(IDispatch_Vtbl, Invoke), 6 * size_of::<usize>());
/// ```
#[repr(C)]
pub struct IDispatch_Vtbl {
    /// `IUnknown`'s three slots.
    pub base__: IUnknown_Vtbl,
    /// Slot 3.
    pub GetTypeInfoCount: unsafe extern "system" fn(this: *mut c_void, count: *mut u32) -> HRESULT,
    /// Slot 4.
    pub GetTypeInfo: unsafe extern "system" fn(
        this: *mut c_void,
        index: u32,
        lcid: u32,
        info: *mut *mut c_void,
    ) -> HRESULT,
    /// Slot 5.
    pub GetIDsOfNames: unsafe extern "system" fn(
        this: *mut c_void,
        riid: *const GUID,
        rgszNames: *const *const u16,
        cNames: u32,
        lcid: u32,
        rgDispId: *mut i32,
    ) -> HRESULT,
    /// Slot 6.
    pub Invoke: unsafe extern "system" fn(
        this: *mut c_void,
        dispIdMember: i32,
        riid: *const GUID,
        lcid: u32,
        wFlags: u16,
        pDispParams: *mut DISPPARAMS,
        pVarResult: *mut VARIANT,
        pExcepInfo: *mut EXCEPINFO,
        puArgErr: *mut u32,
    ) -> HRESULT,
}

const _: () = {
    use core::mem::{offset_of, size_of};
    let slot = size_of::<usize>();
    assert!(size_of::<IDispatch_Vtbl>() == 7 * slot);
    assert!(offset_of!(IDispatch_Vtbl, GetIDsOfNames) == 5 * slot);
    assert!(offset_of!(IDispatch_Vtbl, Invoke) == 6 * slot);
    assert!(offset_of!(VARIANT, value) == 8);
    #[cfg(target_pointer_width = "64")]
    {
        assert!(size_of::<VARIANT>() == 24);
        assert!(size_of::<DISPPARAMS>() == 24);
        assert!(size_of::<EXCEPINFO>() == 64);
        assert!(offset_of!(EXCEPINFO, bstrSource) == 8);
        assert!(offset_of!(EXCEPINFO, scode) == 56);
    }
    #[cfg(target_pointer_width = "32")]
    {
        assert!(size_of::<VARIANT>() == 16);
        assert!(size_of::<DISPPARAMS>() == 16);
        assert!(size_of::<EXCEPINFO>() == 32);
        assert!(offset_of!(EXCEPINFO, bstrSource) == 4);
        assert!(offset_of!(EXCEPINFO, scode) == 28);
    }
};
