//! `NOTIFICATION`, the element of the array `IMAPIAdviseSink::OnNotify` receives, and its
//! members, laid out as `MAPIDefS.h` lays them out (padding fields included: Microsoft's
//! reference pages leave out `NOTIFICATION::ulAlignPad` and `TABLE_NOTIFICATION::ulPad`, and
//! without them the array stride is wrong). Sizes and offsets are checked at compile time
//! below, for 64-bit and 32-bit targets.

use super::*;
use core::ffi::c_void;
use windows_core::HRESULT;

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
