//! The HRESULTs this crate and the COM calls around it return, as constants, and their names
//! ([`hresult_name`]), which every message of the crate and of `outlook-sim` prints beside the
//! number.

use windows_core::HRESULT;

/// `S_OK`.
pub const S_OK: HRESULT = HRESULT(0);
/// `E_NOTIMPL` (0x80004001).
pub const E_NOTIMPL: HRESULT = HRESULT(0x8000_4001_u32 as i32);
/// `E_NOINTERFACE` (0x80004002).
pub const E_NOINTERFACE: HRESULT = HRESULT(0x8000_4002_u32 as i32);
/// `E_POINTER` (0x80004003).
pub const E_POINTER: HRESULT = HRESULT(0x8000_4003_u32 as i32);
/// `E_PENDING` (0x8000000A).
pub const E_PENDING: HRESULT = HRESULT(0x8000_000A_u32 as i32);
/// `E_INVALIDARG` (0x80070057).
pub const E_INVALIDARG: HRESULT = HRESULT(0x8007_0057_u32 as i32);
/// `E_UNEXPECTED` (0x8000FFFF).
pub const E_UNEXPECTED: HRESULT = HRESULT(0x8000_FFFF_u32 as i32);
/// `E_OUTOFMEMORY` (0x8007000E).
pub const E_OUTOFMEMORY: HRESULT = HRESULT(0x8007_000E_u32 as i32);
/// `DISP_E_MEMBERNOTFOUND` (0x80020003): `IDispatch::Invoke` of a DISPID the object lacks.
pub const DISP_E_MEMBERNOTFOUND: HRESULT = HRESULT(0x8002_0003_u32 as i32);
/// `DISP_E_TYPEMISMATCH` (0x80020005): a value of another `VARIANT` type than the one needed.
pub const DISP_E_TYPEMISMATCH: HRESULT = HRESULT(0x8002_0005_u32 as i32);
/// `DISP_E_UNKNOWNNAME` (0x80020006): `IDispatch::GetIDsOfNames` of a name the object lacks.
pub const DISP_E_UNKNOWNNAME: HRESULT = HRESULT(0x8002_0006_u32 as i32);
/// `DISP_E_EXCEPTION` (0x80020009): `IDispatch::Invoke` raised an exception (in `EXCEPINFO`).
pub const DISP_E_EXCEPTION: HRESULT = HRESULT(0x8002_0009_u32 as i32);
/// `RPC_E_WRONG_THREAD` (0x8001010E): Outlook's object model used off Outlook's main thread.
pub const RPC_E_WRONG_THREAD: HRESULT = HRESULT(0x8001_010E_u32 as i32);
/// `S_FALSE` (1): success, but "no" (`DllCanUnloadNow`: an object is still alive).
pub const S_FALSE: HRESULT = HRESULT(1);
/// `E_FAIL` (0x80004005).
pub const E_FAIL: HRESULT = HRESULT(0x8000_4005_u32 as i32);
/// `CLASS_E_NOAGGREGATION` (0x80040110): a class factory asked for an aggregated object.
pub const CLASS_E_NOAGGREGATION: HRESULT = HRESULT(0x8004_0110_u32 as i32);
/// `CLASS_E_CLASSNOTAVAILABLE` (0x80040111): `DllGetClassObject` of a class the DLL lacks.
pub const CLASS_E_CLASSNOTAVAILABLE: HRESULT = HRESULT(0x8004_0111_u32 as i32);
/// `REGDB_E_CLASSNOTREG` (0x80040154): a class COM finds no registration for.
pub const REGDB_E_CLASSNOTREG: HRESULT = HRESULT(0x8004_0154_u32 as i32);
/// `HRESULT_FROM_WIN32(ERROR_MOD_NOT_FOUND)` (0x8007007E): a DLL that cannot be loaded.
pub const ERROR_MOD_NOT_FOUND: HRESULT = HRESULT(0x8007_007E_u32 as i32);
/// `HRESULT_FROM_WIN32(ERROR_NO_UNICODE_TRANSLATION)` (0x80070459): text that is not valid
/// UTF-16 (an unpaired surrogate).
pub const ERROR_NO_UNICODE_TRANSLATION: HRESULT = HRESULT(0x8007_0459_u32 as i32);

/// The name of an HRESULT in this module (or of the MAPI ones in `sys`), for messages:
/// `None` for any other. Codes of `FACILITY_ITF` (`0x8004xxxx`) mean different things to
/// different interfaces (`0x80040111` is MAPI's `MAPI_E_LOGON_FAILED` and COM's
/// `CLASS_E_CLASSNOTAVAILABLE`), so only the MAPI ones this crate returns are named; the class
/// factory codes are left as numbers.
///
/// ```
/// use mapi_notify_sink::sys;
///
/// assert_eq!(sys::hresult_name(sys::MAPI_E_NOT_FOUND), Some("MAPI_E_NOT_FOUND"));
/// assert_eq!(sys::hresult_name(windows_core::HRESULT(0x8000_1234_u32 as i32)), None);
/// ```
pub fn hresult_name(code: HRESULT) -> Option<&'static str> {
    Some(match code {
        S_OK => "S_OK",
        S_FALSE => "S_FALSE",
        E_NOTIMPL => "E_NOTIMPL",
        E_NOINTERFACE => "E_NOINTERFACE",
        E_POINTER => "E_POINTER",
        E_FAIL => "E_FAIL",
        E_PENDING => "E_PENDING",
        E_INVALIDARG => "E_INVALIDARG",
        E_UNEXPECTED => "E_UNEXPECTED",
        E_OUTOFMEMORY => "E_OUTOFMEMORY",
        ERROR_MOD_NOT_FOUND => "HRESULT_FROM_WIN32(ERROR_MOD_NOT_FOUND)",
        ERROR_NO_UNICODE_TRANSLATION => "HRESULT_FROM_WIN32(ERROR_NO_UNICODE_TRANSLATION)",
        super::MAPI_E_NOT_FOUND => "MAPI_E_NOT_FOUND",
        super::MAPI_E_NO_SUPPORT => "MAPI_E_NO_SUPPORT",
        DISP_E_MEMBERNOTFOUND => "DISP_E_MEMBERNOTFOUND",
        DISP_E_TYPEMISMATCH => "DISP_E_TYPEMISMATCH",
        DISP_E_UNKNOWNNAME => "DISP_E_UNKNOWNNAME",
        DISP_E_EXCEPTION => "DISP_E_EXCEPTION",
        RPC_E_WRONG_THREAD => "RPC_E_WRONG_THREAD",
        _ => return None,
    })
}
