//! The part of `MAPIDefS.h` an advise sink meets: `IMAPIAdviseSink`, `NOTIFICATION` and what
//! hangs off it (`ENTRYID`, `SPropValue`, `SRow`, `SPropTagArray`, `MAPIERROR`), the event and
//! property-type constants, and `IMsgStore`'s vtable (for `Advise` / `Unadvise`).
//!
//! Laid out as the header lays it out, padding fields included: Microsoft's reference pages
//! leave out `NOTIFICATION::ulAlignPad` and `TABLE_NOTIFICATION::ulPad`, and without them the
//! array stride is wrong. Sizes and offsets are checked at compile time below, for 64-bit and
//! 32-bit targets. `LPTSTR` fields are `*mut c_void`: they point to 8-bit or UTF-16 text,
//! as the `MAPI_UNICODE` bit of the notification's `ulFlags` says.

use core::ffi::c_void;
use windows_core::{IUnknown, IUnknown_Vtbl, Interface, GUID, HRESULT};

/// `IID_IMAPIAdviseSink` `{00020302-0000-0000-c000-000000000046}`.
pub const IID_IMAPIAdviseSink: GUID = GUID::from_u128(0x00020302_0000_0000_c000_000000000046);
/// `IID_IMAPIProp` `{00020303-0000-0000-c000-000000000046}`.
pub const IID_IMAPIProp: GUID = GUID::from_u128(0x00020303_0000_0000_c000_000000000046);
/// `IID_IMsgStore` `{00020306-0000-0000-c000-000000000046}`.
pub const IID_IMsgStore: GUID = GUID::from_u128(0x00020306_0000_0000_c000_000000000046);

/// `MAPI_E_NO_SUPPORT` (0x80040102): the method is not supported.
pub const MAPI_E_NO_SUPPORT: HRESULT = HRESULT(0x8004_0102_u32 as i32);
/// `MAPI_E_INVALID_PARAMETER` is `E_INVALIDARG` (0x80070057).
pub const MAPI_E_INVALID_PARAMETER: HRESULT = super::E_INVALIDARG;

/// `ulFlags`: the strings of this call or structure are UTF-16 (`LPWSTR`), not 8-bit.
pub const MAPI_UNICODE: u32 = 0x8000_0000;

// `NOTIFICATION::ulEventType` (and `IMsgStore::Advise`'s `ulEventMask`).
/// A critical error: `info.err`.
pub const fnevCriticalError: u32 = 0x0000_0001;
/// A message arrived: `info.newmail`.
pub const fnevNewMail: u32 = 0x0000_0002;
/// An object was created: `info.obj`.
pub const fnevObjectCreated: u32 = 0x0000_0004;
/// An object was deleted: `info.obj`.
pub const fnevObjectDeleted: u32 = 0x0000_0008;
/// An object was modified: `info.obj`.
pub const fnevObjectModified: u32 = 0x0000_0010;
/// An object was moved: `info.obj`.
pub const fnevObjectMoved: u32 = 0x0000_0020;
/// An object was copied: `info.obj`.
pub const fnevObjectCopied: u32 = 0x0000_0040;
/// A search finished: `info.obj`.
pub const fnevSearchComplete: u32 = 0x0000_0080;
/// A table changed: `info.tab`.
pub const fnevTableModified: u32 = 0x0000_0100;
/// A status object changed: `info.statobj`.
pub const fnevStatusObjectModified: u32 = 0x0000_0200;
/// Reserved for MAPI.
pub const fnevReservedForMapi: u32 = 0x4000_0000;
/// A provider-defined event: `info.ext`.
pub const fnevExtended: u32 = 0x8000_0000;

// `TABLE_NOTIFICATION::ulTableEvent`.
/// The table changed too much to describe: read it again.
pub const TABLE_CHANGED: u32 = 1;
/// An asynchronous operation failed: `hResult`.
pub const TABLE_ERROR: u32 = 2;
/// A row was added: `row`, after `propPrior`.
pub const TABLE_ROW_ADDED: u32 = 3;
/// A row was deleted: `propIndex`.
pub const TABLE_ROW_DELETED: u32 = 4;
/// A row was modified: `row`, after `propPrior`.
pub const TABLE_ROW_MODIFIED: u32 = 5;
/// A sort finished.
pub const TABLE_SORT_DONE: u32 = 6;
/// A restriction finished.
pub const TABLE_RESTRICT_DONE: u32 = 7;
/// A `SetColumns` finished.
pub const TABLE_SETCOL_DONE: u32 = 8;
/// The table's data must be read again.
pub const TABLE_RELOAD: u32 = 9;

// `OBJECT_NOTIFICATION::ulObjType`.
/// A message store.
pub const MAPI_STORE: u32 = 1;
/// An address book.
pub const MAPI_ADDRBOOK: u32 = 2;
/// A folder.
pub const MAPI_FOLDER: u32 = 3;
/// An address book container.
pub const MAPI_ABCONT: u32 = 4;
/// A message.
pub const MAPI_MESSAGE: u32 = 5;
/// A messaging user.
pub const MAPI_MAILUSER: u32 = 6;
/// An attachment.
pub const MAPI_ATTACH: u32 = 7;
/// A distribution list.
pub const MAPI_DISTLIST: u32 = 8;
/// A profile section.
pub const MAPI_PROFSECT: u32 = 9;
/// A status object.
pub const MAPI_STATUS: u32 = 10;
/// A session.
pub const MAPI_SESSION: u32 = 11;

// Property types: the low 16 bits of a property tag.
/// No type given.
pub const PT_UNSPECIFIED: u16 = 0;
/// No value.
pub const PT_NULL: u16 = 1;
/// `i`: a 16-bit signed integer.
pub const PT_I2: u16 = 2;
/// `l`: a 32-bit signed integer.
pub const PT_LONG: u16 = 3;
/// `flt`: a 32-bit float.
pub const PT_R4: u16 = 4;
/// `dbl`: a 64-bit float.
pub const PT_DOUBLE: u16 = 5;
/// `cur`: a currency, a 64-bit integer of ten-thousandths.
pub const PT_CURRENCY: u16 = 6;
/// `at`: an application time, a `double` of days.
pub const PT_APPTIME: u16 = 7;
/// `err`: an `SCODE`.
pub const PT_ERROR: u16 = 10;
/// `b`: a 16-bit boolean.
pub const PT_BOOLEAN: u16 = 11;
/// An object; no value in an `SPropValue`.
pub const PT_OBJECT: u16 = 13;
/// `li`: a 64-bit signed integer.
pub const PT_I8: u16 = 20;
/// `lpszA`: NUL-terminated 8-bit text.
pub const PT_STRING8: u16 = 30;
/// `lpszW`: NUL-terminated UTF-16 text.
pub const PT_UNICODE: u16 = 31;
/// `ft`: a `FILETIME`.
pub const PT_SYSTIME: u16 = 64;
/// `lpguid`: a pointer to a `GUID`.
pub const PT_CLSID: u16 = 72;
/// `bin`: counted bytes.
pub const PT_BINARY: u16 = 258;
/// Added to a type: an array of values (`MVi`, `MVl`, ...).
pub const MV_FLAG: u16 = 0x1000;

/// `PROP_TYPE(tag)`: a property tag's type.
pub const fn PROP_TYPE(ulPropTag: u32) -> u16 {
    (ulPropTag & 0xffff) as u16
}

/// `PROP_ID(tag)`: a property tag's identifier.
pub const fn PROP_ID(ulPropTag: u32) -> u16 {
    (ulPropTag >> 16) as u16
}

/// `PROP_TAG(type, id)`.
pub const fn PROP_TAG(ulPropType: u16, ulPropID: u16) -> u32 {
    ((ulPropID as u32) << 16) | ulPropType as u32
}

/// `ENTRYID`: four flag bytes, then the provider's bytes. Variable length: the `cb` beside
/// each `LPENTRYID` counts all of it, flags included.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ENTRYID {
    /// Flags.
    pub abFlags: [u8; 4],
    /// The provider's bytes (`MAPI_DIM` = 1 in the header; really `cb - 4` of them).
    pub ab: [u8; 1],
}

/// `SPropTagArray`: a count, then that many property tags.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct SPropTagArray {
    /// How many tags follow.
    pub cValues: u32,
    /// The tags (`MAPI_DIM` = 1 in the header; really `cValues` of them).
    pub aulPropTag: [u32; 1],
}

/// `MAPIERROR`: extended error information. The strings are `LPTSTR`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct MAPIERROR {
    /// `MAPI_ERROR_VERSION` (0).
    pub ulVersion: u32,
    /// The error's text.
    pub lpszError: *mut c_void,
    /// The component that reported it.
    pub lpszComponent: *mut c_void,
    /// The underlying system error.
    pub ulLowLevelError: u32,
    /// Where in the component the error happened.
    pub ulContext: u32,
}

/// `FILETIME`: 100-nanosecond intervals since 1601-01-01 UTC, in two halves (4-byte aligned).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FILETIME {
    /// The low 32 bits.
    pub dwLowDateTime: u32,
    /// The high 32 bits.
    pub dwHighDateTime: u32,
}

/// `SBinary`: counted bytes (`PT_BINARY`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct SBinary {
    /// How many bytes `lpb` points to.
    pub cb: u32,
    /// The bytes.
    pub lpb: *mut u8,
}

/// The multi-valued members of `_PV` all share this shape: a count and a pointer to that many
/// values (`SShortArray`, `SLongArray`, `SBinaryArray`, `SLPSTRArray`, ...).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct SValueArray {
    /// How many values `lpv` points to.
    pub cValues: u32,
    /// The values, of the type the property tag says.
    pub lpv: *mut c_void,
}

/// `union _PV`: a property's value, read as the tag's type says.
#[repr(C)]
#[derive(Clone, Copy)]
pub union _PV {
    /// `PT_I2`.
    pub i: i16,
    /// `PT_LONG`.
    pub l: i32,
    /// `PT_LONG`, unsigned.
    pub ul: u32,
    /// `PT_R4`.
    pub flt: f32,
    /// `PT_DOUBLE`.
    pub dbl: f64,
    /// `PT_BOOLEAN` (`unsigned short`).
    pub b: u16,
    /// `PT_CURRENCY` (`CY`).
    pub cur: i64,
    /// `PT_APPTIME`.
    pub at: f64,
    /// `PT_SYSTIME`.
    pub ft: FILETIME,
    /// `PT_STRING8`.
    pub lpszA: *mut u8,
    /// `PT_BINARY`.
    pub bin: SBinary,
    /// `PT_UNICODE`.
    pub lpszW: *mut u16,
    /// `PT_CLSID`.
    pub lpguid: *mut GUID,
    /// `PT_I8` (`LARGE_INTEGER`).
    pub li: i64,
    /// Any `PT_MV_*` type (`MVi`, `MVl`, `MVbin`, `MVszA`, `MVszW`, ...).
    pub MV: SValueArray,
    /// `PT_ERROR`.
    pub err: i32,
    /// `PT_NULL`, `PT_OBJECT`: reserved.
    pub x: i32,
}

impl core::fmt::Debug for _PV {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Only the tag says which member (and so which bytes) is meant: read none here;
        // `advise_sink::PropValue` decodes it.
        f.write_str("_PV { .. }")
    }
}

/// `SPropValue`: a property tag and its value (24 bytes on 64-bit, 16 on 32-bit).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct SPropValue {
    /// The tag: `PROP_TAG(type, id)`.
    pub ulPropTag: u32,
    /// Padding; reserved.
    pub dwAlignPad: u32,
    /// The value, read as the tag's type says.
    pub Value: _PV,
}

/// `SRow`: one table row, `cValues` property values.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct SRow {
    /// Padding; reserved.
    pub ulAdrEntryPad: u32,
    /// How many values `lpProps` points to.
    pub cValues: u32,
    /// The row's values.
    pub lpProps: *mut SPropValue,
}

/// `ERROR_NOTIFICATION` (`fnevCriticalError`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ERROR_NOTIFICATION {
    /// Bytes in `lpEntryID`.
    pub cbEntryID: u32,
    /// The object the error is about.
    pub lpEntryID: *mut ENTRYID,
    /// The error.
    pub scode: i32,
    /// `MAPI_UNICODE` when `lpMAPIError`'s strings are UTF-16.
    pub ulFlags: u32,
    /// Extended error information, or null.
    pub lpMAPIError: *mut MAPIERROR,
}

/// `NEWMAIL_NOTIFICATION` (`fnevNewMail`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct NEWMAIL_NOTIFICATION {
    /// Bytes in `lpEntryID`.
    pub cbEntryID: u32,
    /// The new message.
    pub lpEntryID: *mut ENTRYID,
    /// Bytes in `lpParentID`.
    pub cbParentID: u32,
    /// The folder it arrived in.
    pub lpParentID: *mut ENTRYID,
    /// `MAPI_UNICODE` when `lpszMessageClass` is UTF-16.
    pub ulFlags: u32,
    /// The message class (`IPM.Note`), `LPTSTR`.
    pub lpszMessageClass: *mut c_void,
    /// The message's `PR_MESSAGE_FLAGS`.
    pub ulMessageFlags: u32,
}

/// `OBJECT_NOTIFICATION` (`fnevObjectCreated` ... `fnevSearchComplete`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct OBJECT_NOTIFICATION {
    /// Bytes in `lpEntryID`.
    pub cbEntryID: u32,
    /// The object.
    pub lpEntryID: *mut ENTRYID,
    /// `MAPI_FOLDER`, `MAPI_MESSAGE`, ...
    pub ulObjType: u32,
    /// Bytes in `lpParentID`.
    pub cbParentID: u32,
    /// Its parent.
    pub lpParentID: *mut ENTRYID,
    /// Bytes in `lpOldID` (moves and copies).
    pub cbOldID: u32,
    /// The object's previous entry ID.
    pub lpOldID: *mut ENTRYID,
    /// Bytes in `lpOldParentID`.
    pub cbOldParentID: u32,
    /// The previous parent.
    pub lpOldParentID: *mut ENTRYID,
    /// The properties that changed, or null.
    pub lpPropTagArray: *mut SPropTagArray,
}

/// `TABLE_NOTIFICATION` (`fnevTableModified`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct TABLE_NOTIFICATION {
    /// `TABLE_ROW_ADDED`, ...
    pub ulTableEvent: u32,
    /// For `TABLE_ERROR`.
    pub hResult: HRESULT,
    /// The row's index property (usually `PR_INSTANCE_KEY`).
    pub propIndex: SPropValue,
    /// The index property of the row before it (`PR_NULL` for the first row).
    pub propPrior: SPropValue,
    /// The row's values (added and modified rows).
    pub row: SRow,
    /// Padding; reserved.
    pub ulPad: u32,
}

/// `EXTENDED_NOTIFICATION` (`fnevExtended`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct EXTENDED_NOTIFICATION {
    /// The provider's event code.
    pub ulEvent: u32,
    /// Bytes in `pbEventParameters`.
    pub cb: u32,
    /// The provider's parameters.
    pub pbEventParameters: *mut u8,
}

/// `STATUS_OBJECT_NOTIFICATION` (`fnevStatusObjectModified`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct STATUS_OBJECT_NOTIFICATION {
    /// Bytes in `lpEntryID`.
    pub cbEntryID: u32,
    /// The status object.
    pub lpEntryID: *mut ENTRYID,
    /// How many values `lpPropVals` points to.
    pub cValues: u32,
    /// The properties that changed.
    pub lpPropVals: *mut SPropValue,
}

/// `NOTIFICATION::info`: the member `ulEventType` names.
#[repr(C)]
#[derive(Clone, Copy)]
pub union NOTIFICATION_0 {
    /// `fnevCriticalError`.
    pub err: ERROR_NOTIFICATION,
    /// `fnevNewMail`.
    pub newmail: NEWMAIL_NOTIFICATION,
    /// `fnevObject*`, `fnevSearchComplete`.
    pub obj: OBJECT_NOTIFICATION,
    /// `fnevTableModified`.
    pub tab: TABLE_NOTIFICATION,
    /// `fnevExtended`.
    pub ext: EXTENDED_NOTIFICATION,
    /// `fnevStatusObjectModified`.
    pub statobj: STATUS_OBJECT_NOTIFICATION,
}

/// `NOTIFICATION`: one event (88 bytes on 64-bit, 64 on 32-bit). `IMAPIAdviseSink::OnNotify`
/// receives an array of them.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct NOTIFICATION {
    /// `fnevNewMail`, ...: which member of `info` is meant.
    pub ulEventType: u32,
    /// Padding; reserved (missing from the reference pages, present in the header).
    pub ulAlignPad: u32,
    /// The event's details.
    pub info: NOTIFICATION_0,
}

impl core::fmt::Debug for NOTIFICATION {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Which member of `info` is valid depends on the event; `advise_sink::Event` decodes it.
        f.debug_struct("NOTIFICATION")
            .field("ulEventType", &format_args!("{:#x}", self.ulEventType))
            .finish_non_exhaustive()
    }
}

const _: () = {
    use core::mem::{align_of, offset_of, size_of};
    assert!(size_of::<ENTRYID>() == 5);
    assert!(size_of::<SPropTagArray>() == 8);
    assert!(size_of::<FILETIME>() == 8 && align_of::<FILETIME>() == 4);
    assert!(offset_of!(NOTIFICATION, info) == 8);
    assert!(offset_of!(TABLE_NOTIFICATION, hResult) == 4);
    assert!(offset_of!(TABLE_NOTIFICATION, propIndex) == 8);
    assert!(offset_of!(SPropValue, Value) == 8);
    assert!(offset_of!(SRow, cValues) == 4);
    assert!(offset_of!(SRow, lpProps) == 8);
    assert!(offset_of!(EXTENDED_NOTIFICATION, pbEventParameters) == 8);
    #[cfg(target_pointer_width = "64")]
    {
        assert!(size_of::<NOTIFICATION>() == 88);
        assert!(size_of::<TABLE_NOTIFICATION>() == 80);
        assert!(size_of::<OBJECT_NOTIFICATION>() == 72);
        assert!(size_of::<NEWMAIL_NOTIFICATION>() == 56);
        assert!(size_of::<ERROR_NOTIFICATION>() == 32);
        assert!(size_of::<EXTENDED_NOTIFICATION>() == 16);
        assert!(size_of::<STATUS_OBJECT_NOTIFICATION>() == 32);
        assert!(size_of::<SPropValue>() == 24);
        assert!(size_of::<_PV>() == 16);
        assert!(size_of::<SRow>() == 16);
        assert!(size_of::<SBinary>() == 16);
        assert!(size_of::<MAPIERROR>() == 32);
        assert!(offset_of!(TABLE_NOTIFICATION, propPrior) == 32);
        assert!(offset_of!(TABLE_NOTIFICATION, row) == 56);
        assert!(offset_of!(TABLE_NOTIFICATION, ulPad) == 72);
        assert!(offset_of!(NEWMAIL_NOTIFICATION, lpEntryID) == 8);
        assert!(offset_of!(NEWMAIL_NOTIFICATION, cbParentID) == 16);
        assert!(offset_of!(NEWMAIL_NOTIFICATION, lpParentID) == 24);
        assert!(offset_of!(NEWMAIL_NOTIFICATION, ulFlags) == 32);
        assert!(offset_of!(NEWMAIL_NOTIFICATION, lpszMessageClass) == 40);
        assert!(offset_of!(NEWMAIL_NOTIFICATION, ulMessageFlags) == 48);
        assert!(offset_of!(OBJECT_NOTIFICATION, ulObjType) == 16);
        assert!(offset_of!(OBJECT_NOTIFICATION, cbParentID) == 20);
        assert!(offset_of!(OBJECT_NOTIFICATION, lpParentID) == 24);
        assert!(offset_of!(OBJECT_NOTIFICATION, cbOldID) == 32);
        assert!(offset_of!(OBJECT_NOTIFICATION, lpOldID) == 40);
        assert!(offset_of!(OBJECT_NOTIFICATION, cbOldParentID) == 48);
        assert!(offset_of!(OBJECT_NOTIFICATION, lpOldParentID) == 56);
        assert!(offset_of!(OBJECT_NOTIFICATION, lpPropTagArray) == 64);
        assert!(offset_of!(ERROR_NOTIFICATION, scode) == 16);
        assert!(offset_of!(ERROR_NOTIFICATION, ulFlags) == 20);
        assert!(offset_of!(ERROR_NOTIFICATION, lpMAPIError) == 24);
        assert!(offset_of!(STATUS_OBJECT_NOTIFICATION, cValues) == 16);
        assert!(offset_of!(STATUS_OBJECT_NOTIFICATION, lpPropVals) == 24);
        assert!(offset_of!(MAPIERROR, lpszError) == 8);
        assert!(offset_of!(MAPIERROR, lpszComponent) == 16);
        assert!(offset_of!(MAPIERROR, ulLowLevelError) == 24);
        assert!(offset_of!(MAPIERROR, ulContext) == 28);
    }
    #[cfg(target_pointer_width = "32")]
    {
        assert!(size_of::<NOTIFICATION>() == 64);
        assert!(size_of::<TABLE_NOTIFICATION>() == 56);
        assert!(size_of::<OBJECT_NOTIFICATION>() == 40);
        assert!(size_of::<NEWMAIL_NOTIFICATION>() == 28);
        assert!(size_of::<ERROR_NOTIFICATION>() == 20);
        assert!(size_of::<EXTENDED_NOTIFICATION>() == 12);
        assert!(size_of::<STATUS_OBJECT_NOTIFICATION>() == 16);
        assert!(size_of::<SPropValue>() == 16);
        assert!(size_of::<_PV>() == 8);
        assert!(size_of::<SRow>() == 12);
        assert!(size_of::<SBinary>() == 8);
        assert!(size_of::<MAPIERROR>() == 20);
        assert!(offset_of!(TABLE_NOTIFICATION, propPrior) == 24);
        assert!(offset_of!(TABLE_NOTIFICATION, row) == 40);
        assert!(offset_of!(TABLE_NOTIFICATION, ulPad) == 52);
        assert!(offset_of!(NEWMAIL_NOTIFICATION, lpEntryID) == 4);
        assert!(offset_of!(NEWMAIL_NOTIFICATION, cbParentID) == 8);
        assert!(offset_of!(NEWMAIL_NOTIFICATION, lpParentID) == 12);
        assert!(offset_of!(NEWMAIL_NOTIFICATION, ulFlags) == 16);
        assert!(offset_of!(NEWMAIL_NOTIFICATION, lpszMessageClass) == 20);
        assert!(offset_of!(NEWMAIL_NOTIFICATION, ulMessageFlags) == 24);
        assert!(offset_of!(OBJECT_NOTIFICATION, ulObjType) == 8);
        assert!(offset_of!(OBJECT_NOTIFICATION, lpParentID) == 16);
        assert!(offset_of!(OBJECT_NOTIFICATION, lpOldID) == 24);
        assert!(offset_of!(OBJECT_NOTIFICATION, lpOldParentID) == 32);
        assert!(offset_of!(OBJECT_NOTIFICATION, lpPropTagArray) == 36);
        assert!(offset_of!(ERROR_NOTIFICATION, scode) == 8);
        assert!(offset_of!(ERROR_NOTIFICATION, ulFlags) == 12);
        assert!(offset_of!(ERROR_NOTIFICATION, lpMAPIError) == 16);
        assert!(offset_of!(STATUS_OBJECT_NOTIFICATION, lpPropVals) == 12);
        assert!(offset_of!(MAPIERROR, lpszError) == 4);
        assert!(offset_of!(MAPIERROR, lpszComponent) == 8);
        assert!(offset_of!(MAPIERROR, ulContext) == 16);
    }
};

/// Vtable of `IMAPIAdviseSink : IUnknown`.
#[repr(C)]
pub struct IMAPIAdviseSink_Vtbl {
    /// Slots 0–2.
    pub base__: IUnknown_Vtbl,
    /// Slot 3: `ULONG OnNotify(ULONG cNotif, LPNOTIFICATION lpNotifications)`; clients return 0.
    pub OnNotify: unsafe extern "system" fn(
        this: *mut c_void,
        cNotif: u32,
        lpNotifications: *mut NOTIFICATION,
    ) -> u32,
}

/// Vtable of `IMAPIProp : IUnknown` (slots 3–13). The parameter lists are the header's: on
/// 32-bit x86 a `stdcall` callee pops its own arguments, so each slot's must be exact.
#[repr(C)]
pub struct IMAPIProp_Vtbl {
    /// Slots 0–2.
    pub base__: IUnknown_Vtbl,
    /// Slot 3: `GetLastError(HRESULT, ULONG ulFlags, LPMAPIERROR*)`.
    pub GetLastError: unsafe extern "system" fn(
        this: *mut c_void,
        hResult: HRESULT,
        ulFlags: u32,
        lppMAPIError: *mut *mut MAPIERROR,
    ) -> HRESULT,
    /// Slot 4: `SaveChanges(ULONG ulFlags)`.
    pub SaveChanges: unsafe extern "system" fn(this: *mut c_void, ulFlags: u32) -> HRESULT,
    /// Slot 5: `GetProps(LPSPropTagArray, ULONG ulFlags, ULONG* lpcValues, LPSPropValue*)`.
    pub GetProps: unsafe extern "system" fn(
        this: *mut c_void,
        lpPropTagArray: *mut SPropTagArray,
        ulFlags: u32,
        lpcValues: *mut u32,
        lppPropArray: *mut *mut SPropValue,
    ) -> HRESULT,
    /// Slot 6: `GetPropList(ULONG ulFlags, LPSPropTagArray*)`.
    pub GetPropList: unsafe extern "system" fn(
        this: *mut c_void,
        ulFlags: u32,
        lppPropTagArray: *mut *mut SPropTagArray,
    ) -> HRESULT,
    /// Slot 7: `OpenProperty(ULONG ulPropTag, LPCIID, ULONG ulInterfaceOptions, ULONG ulFlags,
    /// LPUNKNOWN*)`.
    pub OpenProperty: unsafe extern "system" fn(
        this: *mut c_void,
        ulPropTag: u32,
        lpiid: *const GUID,
        ulInterfaceOptions: u32,
        ulFlags: u32,
        lppUnk: *mut *mut c_void,
    ) -> HRESULT,
    /// Slot 8: `SetProps(ULONG cValues, LPSPropValue, LPSPropProblemArray*)`.
    pub SetProps: unsafe extern "system" fn(
        this: *mut c_void,
        cValues: u32,
        lpPropArray: *mut SPropValue,
        lppProblems: *mut *mut c_void,
    ) -> HRESULT,
    /// Slot 9: `DeleteProps(LPSPropTagArray, LPSPropProblemArray*)`.
    pub DeleteProps: unsafe extern "system" fn(
        this: *mut c_void,
        lpPropTagArray: *mut SPropTagArray,
        lppProblems: *mut *mut c_void,
    ) -> HRESULT,
    /// Slot 10: `CopyTo(ULONG ciidExclude, LPCIID rgiidExclude, LPSPropTagArray lpExcludeProps,
    /// ULONG_PTR ulUIParam, LPMAPIPROGRESS, LPCIID lpInterface, LPVOID lpDestObj, ULONG ulFlags,
    /// LPSPropProblemArray*)`.
    pub CopyTo: unsafe extern "system" fn(
        this: *mut c_void,
        ciidExclude: u32,
        rgiidExclude: *const GUID,
        lpExcludeProps: *mut SPropTagArray,
        ulUIParam: usize,
        lpProgress: *mut c_void,
        lpInterface: *const GUID,
        lpDestObj: *mut c_void,
        ulFlags: u32,
        lppProblems: *mut *mut c_void,
    ) -> HRESULT,
    /// Slot 11: `CopyProps(LPSPropTagArray lpIncludeProps, ULONG_PTR ulUIParam, LPMAPIPROGRESS,
    /// LPCIID lpInterface, LPVOID lpDestObj, ULONG ulFlags, LPSPropProblemArray*)`.
    pub CopyProps: unsafe extern "system" fn(
        this: *mut c_void,
        lpIncludeProps: *mut SPropTagArray,
        ulUIParam: usize,
        lpProgress: *mut c_void,
        lpInterface: *const GUID,
        lpDestObj: *mut c_void,
        ulFlags: u32,
        lppProblems: *mut *mut c_void,
    ) -> HRESULT,
    /// Slot 12: `GetNamesFromIDs(LPSPropTagArray*, LPGUID lpPropSetGuid, ULONG ulFlags,
    /// ULONG* lpcPropNames, LPMAPINAMEID** lpppPropNames)`.
    pub GetNamesFromIDs: unsafe extern "system" fn(
        this: *mut c_void,
        lppPropTags: *mut *mut SPropTagArray,
        lpPropSetGuid: *mut GUID,
        ulFlags: u32,
        lpcPropNames: *mut u32,
        lpppPropNames: *mut *mut *mut c_void,
    ) -> HRESULT,
    /// Slot 13: `GetIDsFromNames(ULONG cPropNames, LPMAPINAMEID* lppPropNames, ULONG ulFlags,
    /// LPSPropTagArray*)`.
    pub GetIDsFromNames: unsafe extern "system" fn(
        this: *mut c_void,
        cPropNames: u32,
        lppPropNames: *mut *mut c_void,
        ulFlags: u32,
        lppPropTags: *mut *mut SPropTagArray,
    ) -> HRESULT,
}

/// Vtable of `IMsgStore : IMAPIProp` (slots 14–26).
#[repr(C)]
pub struct IMsgStore_Vtbl {
    /// Slots 0–13.
    pub base__: IMAPIProp_Vtbl,
    /// Slot 14: `Advise(ULONG cbEntryID, LPENTRYID, ULONG ulEventMask, LPMAPIADVISESINK,
    /// ULONG_PTR* lpulConnection)`. A null entry ID advises on the whole store.
    pub Advise: unsafe extern "system" fn(
        this: *mut c_void,
        cbEntryID: u32,
        lpEntryID: *mut ENTRYID,
        ulEventMask: u32,
        lpAdviseSink: *mut c_void,
        lpulConnection: *mut usize,
    ) -> HRESULT,
    /// Slot 15: `Unadvise(ULONG_PTR ulConnection)`.
    pub Unadvise: unsafe extern "system" fn(this: *mut c_void, ulConnection: usize) -> HRESULT,
    /// Slot 16: `CompareEntryIDs(ULONG cbEntryID1, LPENTRYID, ULONG cbEntryID2, LPENTRYID,
    /// ULONG ulFlags, ULONG* lpulResult)`.
    pub CompareEntryIDs: unsafe extern "system" fn(
        this: *mut c_void,
        cbEntryID1: u32,
        lpEntryID1: *mut ENTRYID,
        cbEntryID2: u32,
        lpEntryID2: *mut ENTRYID,
        ulFlags: u32,
        lpulResult: *mut u32,
    ) -> HRESULT,
    /// Slot 17: `OpenEntry(ULONG cbEntryID, LPENTRYID, LPCIID, ULONG ulFlags, ULONG* lpulObjType,
    /// LPUNKNOWN*)`.
    pub OpenEntry: unsafe extern "system" fn(
        this: *mut c_void,
        cbEntryID: u32,
        lpEntryID: *mut ENTRYID,
        lpInterface: *const GUID,
        ulFlags: u32,
        lpulObjType: *mut u32,
        lppUnk: *mut *mut c_void,
    ) -> HRESULT,
    /// Slot 18: `SetReceiveFolder(LPTSTR lpszMessageClass, ULONG ulFlags, ULONG cbEntryID,
    /// LPENTRYID)`.
    pub SetReceiveFolder: unsafe extern "system" fn(
        this: *mut c_void,
        lpszMessageClass: *mut c_void,
        ulFlags: u32,
        cbEntryID: u32,
        lpEntryID: *mut ENTRYID,
    ) -> HRESULT,
    /// Slot 19: `GetReceiveFolder(LPTSTR lpszMessageClass, ULONG ulFlags, ULONG* lpcbEntryID,
    /// LPENTRYID*, LPTSTR* lppszExplicitClass)`.
    pub GetReceiveFolder: unsafe extern "system" fn(
        this: *mut c_void,
        lpszMessageClass: *mut c_void,
        ulFlags: u32,
        lpcbEntryID: *mut u32,
        lppEntryID: *mut *mut ENTRYID,
        lppszExplicitClass: *mut *mut c_void,
    ) -> HRESULT,
    /// Slot 20: `GetReceiveFolderTable(ULONG ulFlags, LPMAPITABLE*)`.
    pub GetReceiveFolderTable: unsafe extern "system" fn(
        this: *mut c_void,
        ulFlags: u32,
        lppTable: *mut *mut c_void,
    ) -> HRESULT,
    /// Slot 21: `StoreLogoff(ULONG* lpulFlags)`.
    pub StoreLogoff: unsafe extern "system" fn(this: *mut c_void, lpulFlags: *mut u32) -> HRESULT,
    /// Slot 22: `AbortSubmit(ULONG cbEntryID, LPENTRYID, ULONG ulFlags)`.
    pub AbortSubmit: unsafe extern "system" fn(
        this: *mut c_void,
        cbEntryID: u32,
        lpEntryID: *mut ENTRYID,
        ulFlags: u32,
    ) -> HRESULT,
    /// Slot 23: `GetOutgoingQueue(ULONG ulFlags, LPMAPITABLE*)`.
    pub GetOutgoingQueue: unsafe extern "system" fn(
        this: *mut c_void,
        ulFlags: u32,
        lppTable: *mut *mut c_void,
    ) -> HRESULT,
    /// Slot 24: `SetLockState(LPMESSAGE, ULONG ulLockState)`.
    pub SetLockState: unsafe extern "system" fn(
        this: *mut c_void,
        lpMessage: *mut c_void,
        ulLockState: u32,
    ) -> HRESULT,
    /// Slot 25: `FinishedMsg(ULONG ulFlags, ULONG cbEntryID, LPENTRYID)`.
    pub FinishedMsg: unsafe extern "system" fn(
        this: *mut c_void,
        ulFlags: u32,
        cbEntryID: u32,
        lpEntryID: *mut ENTRYID,
    ) -> HRESULT,
    /// Slot 26: `NotifyNewMail(LPNOTIFICATION)`.
    pub NotifyNewMail:
        unsafe extern "system" fn(this: *mut c_void, lpNotification: *mut NOTIFICATION) -> HRESULT,
}

const _: () = {
    use core::mem::{offset_of, size_of};
    let slot = size_of::<usize>();
    assert!(size_of::<IMAPIAdviseSink_Vtbl>() == 4 * slot);
    assert!(size_of::<IMAPIProp_Vtbl>() == 14 * slot);
    assert!(size_of::<IMsgStore_Vtbl>() == 27 * slot);
    assert!(offset_of!(IMsgStore_Vtbl, Advise) == 14 * slot);
    assert!(offset_of!(IMsgStore_Vtbl, Unadvise) == 15 * slot);
    assert!(offset_of!(IMsgStore_Vtbl, NotifyNewMail) == 26 * slot);
};

interface!(
    /// `IMAPIAdviseSink`: the callback MAPI calls with notifications (`OnNotify`).
    IMAPIAdviseSink, IMAPIAdviseSink_Vtbl, IID_IMAPIAdviseSink, IUnknown
);
interface!(
    /// `IMAPIProp`: an object with MAPI properties.
    IMAPIProp, IMAPIProp_Vtbl, IID_IMAPIProp, IUnknown
);
interface!(
    /// `IMsgStore`: a message store; here for `Advise` and `Unadvise`.
    IMsgStore, IMsgStore_Vtbl, IID_IMsgStore, IMAPIProp
);

impl IMAPIAdviseSink {
    /// Calls slot 3, `OnNotify`.
    ///
    /// # Safety
    /// `notifications` must be null or point to `count` valid `NOTIFICATION`s, and every
    /// pointer inside them must be valid for what its count says, for the whole call.
    pub unsafe fn OnNotify(&self, count: u32, notifications: *mut NOTIFICATION) -> u32 {
        // SAFETY: the vtable is an `IMAPIAdviseSink_Vtbl`; the caller vouches for the array.
        unsafe { (self.vtable().OnNotify)(self.as_raw(), count, notifications) }
    }
}

impl IMsgStore {
    /// Calls slot 14, `Advise`.
    ///
    /// # Safety
    /// `entry_id` must be null or cover `cb_entry_id` bytes; `sink` must be null or an
    /// `IMAPIAdviseSink*`; `connection` must be valid for a write.
    pub unsafe fn Advise(
        &self,
        cb_entry_id: u32,
        entry_id: *mut ENTRYID,
        event_mask: u32,
        sink: *mut c_void,
        connection: *mut usize,
    ) -> HRESULT {
        // SAFETY: the vtable is an `IMsgStore_Vtbl`; the caller vouches for the pointers.
        unsafe {
            (self.vtable().Advise)(
                self.as_raw(),
                cb_entry_id,
                entry_id,
                event_mask,
                sink,
                connection,
            )
        }
    }

    /// Calls slot 15, `Unadvise`.
    ///
    /// # Safety
    /// Sound with any connection number; `unsafe` because it is a raw call through the vtable of
    /// an object this crate did not write.
    pub unsafe fn Unadvise(&self, connection: usize) -> HRESULT {
        // SAFETY: the vtable is an `IMsgStore_Vtbl`.
        unsafe { (self.vtable().Unadvise)(self.as_raw(), connection) }
    }
}
