//! The part of `MAPIDefS.h` an advise sink meets, besides `NOTIFICATION` itself
//! (`notification`) and the interfaces (`msgstore`): what a notification points to (`ENTRYID`,
//! `SPropValue`, `SRow`, `SPropTagArray`, `MAPIERROR`), and the event, table-event and
//! property-type constants. Laid out as the header lays it out. `LPTSTR` fields are
//! `*mut c_void`: they point to 8-bit or UTF-16 text, as the `MAPI_UNICODE` bit of the
//! notification's `ulFlags` says.

use core::ffi::c_void;
use windows_core::{GUID, HRESULT};

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
///
/// ```
/// use mapi_notify_sink::sys;
///
/// // MAPI passes an entry ID as a count and a pointer; `advise_sink::EntryId` reads both.
/// let bytes: [u8; 6] = [0, 0, 0, 0, 0x12, 0x34];
/// let (cb, lp) = (bytes.len() as u32, bytes.as_ptr().cast::<sys::ENTRYID>());
/// // SAFETY: `lp` points to `cb` (at least 5) readable bytes; the struct has alignment 1.
/// let flags = unsafe { (*lp).abFlags };
/// assert_eq!((cb, flags), (6, [0; 4]));
/// assert_eq!(align_of::<sys::ENTRYID>(), 1);
/// ```
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ENTRYID {
    /// Flags.
    pub abFlags: [u8; 4],
    /// The provider's bytes (`MAPI_DIM` = 1 in the header; really `cb - 4` of them).
    pub ab: [u8; 1],
}

/// `SPropTagArray`: a count, then that many property tags.
///
/// ```
/// use mapi_notify_sink::sys;
///
/// // The struct declares one tag; a real array has `cValues` of them.
/// #[repr(C)]
/// struct TwoTags {
///     cValues: u32,
///     aulPropTag: [u32; 2],
/// }
/// let tags = TwoTags { cValues: 2, aulPropTag: [0x0037_001F, 0x0E08_0003] };
/// let raw = (&tags as *const TwoTags).cast::<sys::SPropTagArray>();
/// // SAFETY: `raw` points to a count and that many tags.
/// let (count, first) = unsafe { ((*raw).cValues, (*raw).aulPropTag[0]) };
/// assert_eq!((count, first), (2, 0x0037_001F));
/// ```
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct SPropTagArray {
    /// How many tags follow.
    pub cValues: u32,
    /// The tags (`MAPI_DIM` = 1 in the header; really `cValues` of them).
    pub aulPropTag: [u32; 1],
}

/// `MAPIERROR`: extended error information. The strings are `LPTSTR`.
///
/// ```
/// use mapi_notify_sink::sys;
///
/// let text = b"The server is unavailable\0"; // 8-bit: the notification has no MAPI_UNICODE
/// let error = sys::MAPIERROR {
///     ulVersion: 0,
///     lpszError: text.as_ptr().cast_mut().cast(),
///     lpszComponent: std::ptr::null_mut(),
///     ulLowLevelError: 0,
///     ulContext: 0,
/// };
/// assert!(error.lpszComponent.is_null());
/// assert_eq!(size_of::<sys::MAPIERROR>(), if cfg!(target_pointer_width = "64") { 32 } else { 20 });
/// ```
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
///
/// ```
/// use mapi_notify_sink::advise_sink::FileTime;
/// use mapi_notify_sink::sys;
///
/// let unix_epoch = sys::FILETIME { dwLowDateTime: 0xD53E_8000, dwHighDateTime: 0x019D_B1DE };
/// assert_eq!(FileTime::from(unix_epoch), FileTime(116_444_736_000_000_000));
/// assert_eq!(FileTime::from(unix_epoch).to_string(), "1970-01-01 00:00:00 UTC");
/// assert_eq!(align_of::<sys::FILETIME>(), 4); // why `FileTime` is a separate type
/// ```
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FILETIME {
    /// The low 32 bits.
    pub dwLowDateTime: u32,
    /// The high 32 bits.
    pub dwHighDateTime: u32,
}

/// `SBinary`: counted bytes (`PT_BINARY`).
///
/// ```
/// use mapi_notify_sink::sys;
///
/// let mut key = *b"row-1";
/// let bin = sys::SBinary { cb: key.len() as u32, lpb: key.as_mut_ptr() };
/// // SAFETY: `lpb` points to `cb` bytes.
/// assert_eq!(unsafe { std::slice::from_raw_parts(bin.lpb, bin.cb as usize) }, b"row-1");
/// ```
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
///
/// ```
/// use mapi_notify_sink::sys;
///
/// // A PT_MV_LONG value: `advise_sink::Value::Other`, read by its tag.
/// let mut longs = [1_i32, 2, 3];
/// let mv = sys::SValueArray { cValues: 3, lpv: longs.as_mut_ptr().cast() };
/// let tag = sys::PROP_TAG(sys::PT_LONG | sys::MV_FLAG, 0x8001);
/// let prop = sys::SPropValue { ulPropTag: tag, dwAlignPad: 0, Value: sys::_PV { MV: mv } };
/// assert_ne!(sys::PROP_TYPE(prop.ulPropTag) & sys::MV_FLAG, 0);
/// // SAFETY: the tag's type is PT_MV_LONG: `MV` is the member written, `lpv` `cValues` i32s.
/// let values = unsafe {
///     std::slice::from_raw_parts(prop.Value.MV.lpv.cast::<i32>(), prop.Value.MV.cValues as usize)
/// };
/// assert_eq!(values, [1, 2, 3]);
/// ```
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct SValueArray {
    /// How many values `lpv` points to.
    pub cValues: u32,
    /// The values, of the type the property tag says.
    pub lpv: *mut c_void,
}

/// `union _PV`: a property's value, read as the tag's type says.
///
/// ```
/// use mapi_notify_sink::sys;
///
/// let size = sys::SPropValue {
///     ulPropTag: sys::PROP_TAG(sys::PT_LONG, 0x0E08), // PR_MESSAGE_SIZE
///     dwAlignPad: 0,
///     Value: sys::_PV { l: 48_213 },
/// };
/// assert_eq!(sys::PROP_TYPE(size.ulPropTag), sys::PT_LONG);
/// // SAFETY: the tag's type is PT_LONG, so `l` is the member written.
/// assert_eq!(unsafe { size.Value.l }, 48_213);
/// ```
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
///
/// ```
/// use mapi_notify_sink::sys;
///
/// let mut subject: Vec<u16> = "Hello".encode_utf16().chain([0]).collect();
/// let value = sys::SPropValue {
///     ulPropTag: sys::PROP_TAG(sys::PT_UNICODE, 0x0037), // PR_SUBJECT_W
///     dwAlignPad: 0,
///     Value: sys::_PV { lpszW: subject.as_mut_ptr() },
/// };
/// assert_eq!(size_of_val(&value), if cfg!(target_pointer_width = "64") { 24 } else { 16 });
/// ```
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
///
/// ```
/// use mapi_notify_sink::sys;
///
/// let mut props = [sys::SPropValue {
///     ulPropTag: sys::PROP_TAG(sys::PT_LONG, 0x0E08), // PR_MESSAGE_SIZE
///     dwAlignPad: 0,
///     Value: sys::_PV { l: 48_213 },
/// }];
/// let row = sys::SRow { ulAdrEntryPad: 0, cValues: props.len() as u32, lpProps: props.as_mut_ptr() };
/// // SAFETY: `lpProps` points to `cValues` values.
/// let values = unsafe { std::slice::from_raw_parts(row.lpProps, row.cValues as usize) };
/// assert_eq!(values[0].ulPropTag, 0x0E08_0003);
/// ```
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
