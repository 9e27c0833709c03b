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

/// `ERROR_NOTIFICATION` (`fnevCriticalError`).
///
/// ```
/// use mapi_notify_sink::advise_sink::{Event, Events};
/// use mapi_notify_sink::sys;
///
/// let mut text = *b"The server is unavailable\0";
/// let mut details = sys::MAPIERROR {
///     ulVersion: 0,
///     lpszError: text.as_mut_ptr().cast(),
///     lpszComponent: std::ptr::null_mut(),
///     ulLowLevelError: 0,
///     ulContext: 0,
/// };
/// let error = sys::ERROR_NOTIFICATION {
///     cbEntryID: 0,
///     lpEntryID: std::ptr::null_mut(),
///     scode: sys::E_UNEXPECTED.0,
///     ulFlags: 0, // 8-bit strings
///     lpMAPIError: &mut details,
/// };
/// let raw = [sys::NOTIFICATION {
///     ulEventType: sys::fnevCriticalError,
///     ulAlignPad: 0,
///     info: sys::NOTIFICATION_0 { err: error },
/// }];
/// // SAFETY: every pointer in `raw` points to as much as the count beside it says, for as
/// // long as `events` lives; strings are NUL-terminated.
/// let events = unsafe { Events::from_raw(&raw) };
/// let Some(Event::CriticalError(error)) = events.get(0) else { panic!("not an error") };
/// assert_eq!(error.scode(), sys::E_UNEXPECTED);
/// assert!(error.error().unwrap().error().unwrap() == "The server is unavailable");
/// ```
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
///
/// ```
/// use mapi_notify_sink::advise_sink::{Event, Events};
/// use mapi_notify_sink::sys;
///
/// let (mut message, mut inbox) = (*b"msg-1", *b"inbox");
/// let mut class: Vec<u16> = "IPM.Note".encode_utf16().chain([0]).collect();
/// let mail = sys::NEWMAIL_NOTIFICATION {
///     cbEntryID: message.len() as u32,
///     lpEntryID: message.as_mut_ptr().cast(),
///     cbParentID: inbox.len() as u32,
///     lpParentID: inbox.as_mut_ptr().cast(),
///     ulFlags: sys::MAPI_UNICODE, // the class is UTF-16
///     lpszMessageClass: class.as_mut_ptr().cast(),
///     ulMessageFlags: 0,
/// };
/// let raw = [sys::NOTIFICATION {
///     ulEventType: sys::fnevNewMail,
///     ulAlignPad: 0,
///     info: sys::NOTIFICATION_0 { newmail: mail },
/// }];
/// // SAFETY: every pointer in `raw` points to as much as the count beside it says, for as
/// // long as `events` lives; strings are NUL-terminated.
/// let events = unsafe { Events::from_raw(&raw) };
/// let Some(Event::NewMail(mail)) = events.get(0) else { panic!("not new mail") };
/// assert!(mail.message_class().unwrap() == "IPM.Note");
/// assert_eq!(mail.parent_id().unwrap().as_bytes(), b"inbox");
/// ```
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
///
/// ```
/// use mapi_notify_sink::advise_sink::{Event, Events};
/// use mapi_notify_sink::sys;
///
/// let mut draft = *b"draft-7";
/// let created = sys::OBJECT_NOTIFICATION {
///     cbEntryID: draft.len() as u32,
///     lpEntryID: draft.as_mut_ptr().cast(),
///     ulObjType: sys::MAPI_MESSAGE,
///     cbParentID: 0, // not sent: every count 0, every pointer null
///     lpParentID: std::ptr::null_mut(),
///     cbOldID: 0,
///     lpOldID: std::ptr::null_mut(),
///     cbOldParentID: 0,
///     lpOldParentID: std::ptr::null_mut(),
///     lpPropTagArray: std::ptr::null_mut(),
/// };
/// let raw = [sys::NOTIFICATION {
///     ulEventType: sys::fnevObjectCreated,
///     ulAlignPad: 0,
///     info: sys::NOTIFICATION_0 { obj: created },
/// }];
/// // SAFETY: every pointer in `raw` points to as much as the count beside it says, for as
/// // long as `events` lives; strings are NUL-terminated.
/// let events = unsafe { Events::from_raw(&raw) };
/// let Some(Event::ObjectCreated(object)) = events.get(0) else { panic!("not a creation") };
/// assert_eq!(object.entry_id().unwrap().as_bytes(), b"draft-7");
/// assert!(object.parent_id().is_none() && object.prop_tags().is_none());
/// ```
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
///
/// ```
/// use mapi_notify_sink::advise_sink::{Event, Events};
/// use mapi_notify_sink::sys;
///
/// let mut key = *b"row-2";
/// let instance_key = sys::SPropValue {
///     ulPropTag: sys::PROP_TAG(sys::PT_BINARY, 0x0FF6), // PR_INSTANCE_KEY
///     dwAlignPad: 0,
///     Value: sys::_PV { bin: sys::SBinary { cb: key.len() as u32, lpb: key.as_mut_ptr() } },
/// };
/// let pr_null = sys::SPropValue { ulPropTag: 1, dwAlignPad: 0, Value: sys::_PV { l: 0 } }; // PR_NULL
/// let deleted = sys::TABLE_NOTIFICATION {
///     ulTableEvent: sys::TABLE_ROW_DELETED,
///     hResult: sys::S_OK,
///     propIndex: instance_key,
///     propPrior: pr_null,
///     row: sys::SRow { ulAdrEntryPad: 0, cValues: 0, lpProps: std::ptr::null_mut() },
///     ulPad: 0,
/// };
/// let raw = [sys::NOTIFICATION {
///     ulEventType: sys::fnevTableModified,
///     ulAlignPad: 0,
///     info: sys::NOTIFICATION_0 { tab: deleted },
/// }];
/// // SAFETY: every pointer in `raw` points to as much as the count beside it says, for as
/// // long as `events` lives; strings are NUL-terminated.
/// let events = unsafe { Events::from_raw(&raw) };
/// use mapi_notify_sink::advise_sink::{TableEventKind, Value};
/// let Some(Event::TableModified(table)) = events.get(0) else { panic!("not a table event") };
/// assert_eq!(table.kind(), TableEventKind::RowDeleted);
/// assert_eq!(table.index().value(), Value::Binary(b"row-2"));
/// assert!(table.row().is_empty());
/// ```
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
///
/// ```
/// use mapi_notify_sink::advise_sink::{Event, Events};
/// use mapi_notify_sink::sys;
///
/// let mut parameters = [1_u8, 2, 3];
/// let extended = sys::EXTENDED_NOTIFICATION {
///     ulEvent: 0x42,
///     cb: parameters.len() as u32,
///     pbEventParameters: parameters.as_mut_ptr(),
/// };
/// let raw = [sys::NOTIFICATION {
///     ulEventType: sys::fnevExtended,
///     ulAlignPad: 0,
///     info: sys::NOTIFICATION_0 { ext: extended },
/// }];
/// // SAFETY: every pointer in `raw` points to as much as the count beside it says, for as
/// // long as `events` lives; strings are NUL-terminated.
/// let events = unsafe { Events::from_raw(&raw) };
/// let Some(Event::Extended(extended)) = events.get(0) else { panic!("not extended") };
/// assert_eq!((extended.event(), extended.parameters()), (0x42, &[1_u8, 2, 3][..]));
/// ```
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
///
/// ```
/// use mapi_notify_sink::advise_sink::{Event, Events};
/// use mapi_notify_sink::sys;
///
/// let mut id = *b"status-1";
/// let mut props = [sys::SPropValue {
///     ulPropTag: sys::PROP_TAG(sys::PT_LONG, 0x3E04), // PR_STATUS_CODE
///     dwAlignPad: 0,
///     Value: sys::_PV { l: 2 },
/// }];
/// let status = sys::STATUS_OBJECT_NOTIFICATION {
///     cbEntryID: id.len() as u32,
///     lpEntryID: id.as_mut_ptr().cast(),
///     cValues: props.len() as u32,
///     lpPropVals: props.as_mut_ptr(),
/// };
/// let raw = [sys::NOTIFICATION {
///     ulEventType: sys::fnevStatusObjectModified,
///     ulAlignPad: 0,
///     info: sys::NOTIFICATION_0 { statobj: status },
/// }];
/// // SAFETY: every pointer in `raw` points to as much as the count beside it says, for as
/// // long as `events` lives; strings are NUL-terminated.
/// let events = unsafe { Events::from_raw(&raw) };
/// use mapi_notify_sink::advise_sink::Value;
/// let Some(Event::StatusObjectModified(status)) = events.get(0) else { panic!("not a status event") };
/// assert_eq!(status.props().find(0x3E04_0003).map(|code| code.value()), Some(Value::Long(2)));
/// ```
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
///
/// ```
/// use mapi_notify_sink::sys;
///
/// let info = sys::NOTIFICATION_0 {
///     ext: sys::EXTENDED_NOTIFICATION { ulEvent: 0x42, cb: 0, pbEventParameters: std::ptr::null_mut() },
/// };
/// let notification = sys::NOTIFICATION { ulEventType: sys::fnevExtended, ulAlignPad: 0, info };
/// if notification.ulEventType == sys::fnevExtended {
///     // SAFETY: `ulEventType` says `ext` is the member written.
///     assert_eq!(unsafe { notification.info.ext.ulEvent }, 0x42);
/// }
/// ```
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
///
/// ```
/// use mapi_notify_sink::sys;
///
/// // The array stride MAPI uses: `ulAlignPad` and `TABLE_NOTIFICATION::ulPad` included.
/// let expected = if cfg!(target_pointer_width = "64") { 88 } else { 64 };
/// assert_eq!(size_of::<sys::NOTIFICATION>(), expected);
/// assert_eq!(core::mem::offset_of!(sys::NOTIFICATION, info), 8);
/// ```
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
///
/// ```
/// use mapi_notify_sink::advise_sink::{AdviseSink, Events};
/// use mapi_notify_sink::{mapi_advise_sink, sys};
/// use windows_core::Interface as _; // `vtable`, `as_raw`
/// use std::sync::atomic::{AtomicUsize, Ordering};
///
/// struct Count(AtomicUsize);
///
/// #[mapi_advise_sink]
/// impl Count {
///     fn on_notify(&self, events: &Events<'_>) {
///         self.0.fetch_add(events.len(), Ordering::Relaxed);
///     }
/// }
///
/// let sink = AdviseSink::new(Count(AtomicUsize::new(0)));
/// let mut raw = [sys::NOTIFICATION {
///     ulEventType: sys::fnevExtended,
///     ulAlignPad: 0,
///     info: sys::NOTIFICATION_0 {
///         ext: sys::EXTENDED_NOTIFICATION { ulEvent: 0x42, cb: 0, pbEventParameters: std::ptr::null_mut() },
///     },
/// }];
/// let interface: sys::IMAPIAdviseSink = sink.to_interface();
/// let vtable: &sys::IMAPIAdviseSink_Vtbl = interface.vtable();
/// // SAFETY: a live sink with a reference held; one notification, with no pointers in it.
/// let result = unsafe { (vtable.OnNotify)(interface.as_raw(), 1, raw.as_mut_ptr()) };
/// assert_eq!(result, 0); // what every sink returns
/// assert_eq!(sink.0.load(Ordering::Relaxed), 1);
/// ```
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
///
/// ```
/// # #[cfg(feature = "simulator")] {
/// use mapi_notify_sink::simulator::SimulatedStore;
/// use mapi_notify_sink::sys;
/// use windows_core::Interface as _; // `vtable`, `as_raw`, `cast`
///
/// let store = SimulatedStore::new();
/// let msg_store: sys::IMsgStore = store.to_interface();
/// let prop: &sys::IMAPIProp = &msg_store; // IMsgStore derives from IMAPIProp
/// let vtable: &sys::IMAPIProp_Vtbl = prop.vtable();
/// // SAFETY: a live object; `SaveChanges` takes no pointers.
/// let hr = unsafe { (vtable.SaveChanges)(prop.as_raw(), 0) };
/// assert_eq!(hr, sys::MAPI_E_NO_SUPPORT); // the simulated store implements Advise and Unadvise
/// # }
/// ```
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
///
/// ```
/// # #[cfg(feature = "simulator")] {
/// use mapi_notify_sink::simulator::SimulatedStore;
/// use mapi_notify_sink::sys;
/// use windows_core::Interface as _; // `vtable`, `as_raw`, `cast`
///
/// let store = SimulatedStore::new();
/// let msg_store: sys::IMsgStore = store.to_interface();
/// let vtable: &sys::IMsgStore_Vtbl = msg_store.vtable();
/// // SAFETY: a live store; `Unadvise` takes no pointers.
/// let hr = unsafe { (vtable.Unadvise)(msg_store.as_raw(), 7) };
/// assert_eq!(hr, sys::MAPI_E_NOT_FOUND); // no connection 7
/// let mut flags = 0;
/// // SAFETY: a live store; `flags` is writable.
/// let hr = unsafe { (vtable.StoreLogoff)(msg_store.as_raw(), &mut flags) };
/// assert_eq!(hr, sys::MAPI_E_NO_SUPPORT);
/// # }
/// ```
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
    ///
    /// ```
    /// use mapi_notify_sink::advise_sink::{AdviseSink, Events};
    /// use mapi_notify_sink::{mapi_advise_sink, sys};
    /// use windows_core::Interface as _; // `cast`
/// use std::sync::atomic::{AtomicUsize, Ordering};
    ///
    /// struct Count(AtomicUsize);
    ///
    /// #[mapi_advise_sink]
    /// impl Count {
    ///     fn on_notify(&self, events: &Events<'_>) {
    ///         self.0.fetch_add(events.len(), Ordering::Relaxed);
    ///     }
    /// }
    ///
    /// let sink = AdviseSink::new(Count(AtomicUsize::new(0)));
    /// let mut raw = [sys::NOTIFICATION {
    ///     ulEventType: sys::fnevExtended,
    ///     ulAlignPad: 0,
    ///     info: sys::NOTIFICATION_0 {
    ///         ext: sys::EXTENDED_NOTIFICATION { ulEvent: 0x42, cb: 0, pbEventParameters: std::ptr::null_mut() },
    ///     },
    /// }];
    /// // What MAPI holds: the sink's IMAPIAdviseSink (from QueryInterface, here `cast`).
    /// let interface: sys::IMAPIAdviseSink = sink.to_unknown().cast().unwrap();
    /// // SAFETY: one notification, with no pointers in it.
    /// assert_eq!(unsafe { interface.OnNotify(1, raw.as_mut_ptr()) }, 0);
    /// assert_eq!(sink.0.load(Ordering::Relaxed), 1);
    /// ```
    IMAPIAdviseSink, IMAPIAdviseSink_Vtbl, IID_IMAPIAdviseSink, IUnknown
);
interface!(
    /// `IMAPIProp`: an object with MAPI properties.
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// use mapi_notify_sink::simulator::SimulatedStore;
    /// use mapi_notify_sink::sys;
    /// use windows_core::Interface as _; // `vtable`, `as_raw`, `cast`
    ///
    /// let store = SimulatedStore::new();
    /// let msg_store: sys::IMsgStore = store.to_interface();
    /// let prop: sys::IMAPIProp = msg_store.cast().unwrap(); // QueryInterface(IID_IMAPIProp)
    /// assert_eq!(prop.as_raw(), msg_store.as_raw()); // one object
    /// # }
    /// ```
    IMAPIProp, IMAPIProp_Vtbl, IID_IMAPIProp, IUnknown
);
interface!(
    /// `IMsgStore`: a message store; here for `Advise` and `Unadvise`.
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// use mapi_notify_sink::advise_sink::{AdviseSink, Events};
    /// use mapi_notify_sink::mapi_advise_sink;
    /// use mapi_notify_sink::simulator::SimulatedStore;
    /// use mapi_notify_sink::sys;
    /// use windows_core::Interface as _; // `vtable`, `as_raw`, `cast`
    ///
    /// struct Quiet;
    ///
    /// #[mapi_advise_sink]
    /// impl Quiet {
    ///     fn on_notify(&self, _events: &Events<'_>) {}
    /// }
    ///
    /// let store = SimulatedStore::new();
    /// let sink = AdviseSink::new(Quiet);
    /// let msg_store: sys::IMsgStore = store.to_interface();
    /// let mut connection = 0;
    /// // SAFETY: the whole store (no entry ID); a live sink; `connection` is writable.
    /// let hr = unsafe {
    ///     msg_store.Advise(0, std::ptr::null_mut(), sys::fnevNewMail, sink.as_raw(), &mut connection)
    /// };
    /// assert!(hr.is_ok() && connection != 0);
    /// assert_eq!(AdviseSink::ref_count(&sink), 2); // the store holds the sink ...
    /// // SAFETY: a connection this store gave.
    /// assert!(unsafe { msg_store.Unadvise(connection) }.is_ok());
    /// assert_eq!(AdviseSink::ref_count(&sink), 1); // ... until Unadvise
    /// # }
    /// ```
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
