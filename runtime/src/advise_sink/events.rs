//! What an advise sink's `on_notify` receives: the notification array of one `OnNotify` call
//! ([`Events`]), each notification decoded by its event type ([`Event`]).
//!
//! # Invariants
//! An `Events<'a>` is made only from an array whose every pointer follows MAPI's `OnNotify`
//! contract for `'a` (by the `OnNotify` slot, or by the caller of the `unsafe`
//! [`Events::from_raw`]); every view below is made from one of its elements, so its accessors
//! may read through the element's pointers with the `memory` functions.

use super::array::{Array, Decode};
use super::memory;
use super::string::MapiStr;
use super::values::{EntryId, PropValue, Props};
use crate::sys::{self, NOTIFICATION};
use core::fmt;
use windows_core::HRESULT;

/// A view of one member of `NOTIFICATION::info`: the struct (the member as sent, borrowed),
/// its `raw()`, and a `Debug` that shows the named accessors' decoded values.
macro_rules! view {
    ($(#[$doc:meta])* $Name:ident($Raw:ident) { $($field:ident),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy)]
        pub struct $Name<'a> {
            raw: &'a sys::$Raw,
        }

        impl<'a> $Name<'a> {
            /// The notification as sent, for fields without an accessor.
            #[inline]
            pub fn raw(&self) -> &'a sys::$Raw {
                self.raw
            }
        }

        impl fmt::Debug for $Name<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($Name))
                    $(.field(stringify!($field), &self.$field()))*
                    .finish()
            }
        }
    };
}

/// The notifications of one `OnNotify` call, in the order MAPI sent them. Valid only during
/// the call (MAPI frees the array when `OnNotify` returns).
///
/// Iterating decodes each notification as it is reached; nothing is copied or allocated.
///
/// ```
/// use mapi_notify_sink::advise_sink::{AdviseSink, Event, Events};
/// use mapi_notify_sink::mapi_advise_sink;
/// use std::sync::atomic::{AtomicUsize, Ordering};
///
/// struct NewMailCounter(AtomicUsize);
///
/// #[mapi_advise_sink]
/// impl NewMailCounter {
///     fn on_notify(&self, events: &Events<'_>) {
///         let new_mail = events.iter().filter(|event| matches!(event, Event::NewMail(_))).count();
///         self.0.fetch_add(new_mail, Ordering::Relaxed);
///     }
/// }
///
/// let sink = AdviseSink::new(NewMailCounter(AtomicUsize::new(0)));
/// ```
pub type Events<'a> = Array<'a, NOTIFICATION>;

impl<'a> Events<'a> {
    /// The array an `OnNotify` caller passed, or `None` (with a warning) when there is nothing
    /// to deliver: a count of 0, a null array with a count, or an array that cannot be read.
    ///
    /// # Safety
    /// `notifications` (`lpNotifications`) is null or follows the `OnNotify` contract for `'a`.
    #[inline]
    pub(crate) unsafe fn from_call(notifications: *const NOTIFICATION, count: u32) -> Option<Self> {
        if count == 0 {
            memory::refuse("cNotif", memory::Refusal::NoNotifications, 0, 0);
            return None;
        }
        // SAFETY: passed on from the caller; `slice` warns about a null or unreadable array.
        let raw = unsafe { memory::slice(notifications, count, "lpNotifications") }?;
        // SAFETY: the caller's promise.
        Some(unsafe { Array::new(raw) })
    }

    /// Wraps notifications, for instance to test a handler without COM.
    ///
    /// # Safety
    /// Every pointer in `raw` must be valid for `'a` as MAPI's `OnNotify` contract says: null,
    /// or pointing to as many valid elements as the count beside it, and strings
    /// NUL-terminated.
    ///
    /// ```
    /// use mapi_notify_sink::advise_sink::{Event, Events};
    /// use mapi_notify_sink::sys;
    ///
    /// // One provider event with no parameters, as a test would lay it out.
    /// let raw = [sys::NOTIFICATION {
    ///     ulEventType: sys::fnevExtended,
    ///     ulAlignPad: 0,
    ///     info: sys::NOTIFICATION_0 {
    ///         ext: sys::EXTENDED_NOTIFICATION { ulEvent: 7, cb: 0, pbEventParameters: std::ptr::null_mut() },
    ///     },
    /// }];
    /// // SAFETY: the one pointer in `raw` is null with a count of 0 beside it.
    /// let events = unsafe { Events::from_raw(&raw) };
    /// match events.get(0) {
    ///     Some(Event::Extended(extended)) => {
    ///         assert_eq!(extended.event(), 7);
    ///         assert!(extended.parameters().is_empty());
    ///     }
    ///     other => panic!("unexpected {other:?}"),
    /// }
    /// ```
    pub unsafe fn from_raw(raw: &'a [NOTIFICATION]) -> Self {
        // SAFETY: the caller's promise.
        unsafe { Array::new(raw) }
    }
}

/// One notification, by its `ulEventType`.
///
/// ```
/// use mapi_notify_sink::advise_sink::{Event, Events};
///
/// /// A handler copies out what it keeps: the events live only for the call.
/// fn describe(events: &Events<'_>) -> Vec<String> {
///     events
///         .iter()
///         .map(|event| match event {
///             Event::NewMail(mail) => format!("new {:?} mail", mail.message_class()),
///             Event::ObjectDeleted(object) => format!("deleted {:?}", object.entry_id()),
///             Event::TableModified(table) => format!("table {:?}", table.kind()),
///             Event::CriticalError(error) => format!("error {:?}", error.scode()),
///             other => format!("{other:?}"),
///         })
///         .collect()
/// }
/// ```
#[derive(Clone, Copy, Debug)]
pub enum Event<'a> {
    /// `fnevCriticalError`.
    CriticalError(ErrorEvent<'a>),
    /// `fnevNewMail`: a message arrived.
    NewMail(NewMail<'a>),
    /// `fnevObjectCreated`.
    ObjectCreated(ObjectEvent<'a>),
    /// `fnevObjectDeleted`.
    ObjectDeleted(ObjectEvent<'a>),
    /// `fnevObjectModified`.
    ObjectModified(ObjectEvent<'a>),
    /// `fnevObjectMoved`: `old_id` and `old_parent_id` say where it was.
    ObjectMoved(ObjectEvent<'a>),
    /// `fnevObjectCopied`: `old_id` and `old_parent_id` name the original.
    ObjectCopied(ObjectEvent<'a>),
    /// `fnevSearchComplete`: a search folder's search finished.
    SearchComplete(ObjectEvent<'a>),
    /// `fnevTableModified`. Table events can be stale or out of order (a row modified after it
    /// was deleted); after `TABLE_CHANGED` or `TABLE_RELOAD`, read the table again.
    TableModified(TableEvent<'a>),
    /// `fnevStatusObjectModified`.
    StatusObjectModified(StatusEvent<'a>),
    /// `fnevExtended`: a provider's own event.
    Extended(ExtendedEvent<'a>),
    /// Any other `ulEventType`, as sent.
    Other(u32),
}

impl Decode for NOTIFICATION {
    type View<'a> = Event<'a>;

    #[inline]
    unsafe fn decode(raw: &NOTIFICATION) -> Event<'_> {
        let info = &raw.info;
        // SAFETY (each union read): `ulEventType` names the member the sender wrote; taking a
        // reference to it reads nothing, and each view reads only that member's fields.
        unsafe {
            match raw.ulEventType {
                sys::fnevCriticalError => Event::CriticalError(ErrorEvent { raw: &info.err }),
                sys::fnevNewMail => Event::NewMail(NewMail { raw: &info.newmail }),
                sys::fnevObjectCreated => Event::ObjectCreated(ObjectEvent { raw: &info.obj }),
                sys::fnevObjectDeleted => Event::ObjectDeleted(ObjectEvent { raw: &info.obj }),
                sys::fnevObjectModified => Event::ObjectModified(ObjectEvent { raw: &info.obj }),
                sys::fnevObjectMoved => Event::ObjectMoved(ObjectEvent { raw: &info.obj }),
                sys::fnevObjectCopied => Event::ObjectCopied(ObjectEvent { raw: &info.obj }),
                sys::fnevSearchComplete => Event::SearchComplete(ObjectEvent { raw: &info.obj }),
                sys::fnevTableModified => Event::TableModified(TableEvent { raw: &info.tab }),
                sys::fnevStatusObjectModified => {
                    Event::StatusObjectModified(StatusEvent { raw: &info.statobj })
                }
                sys::fnevExtended => Event::Extended(ExtendedEvent { raw: &info.ext }),
                other => Event::Other(other),
            }
        }
    }
}

view! {
    /// `fnevCriticalError`: an error MAPI or a provider could not report otherwise.
    ///
    /// ```
    /// use mapi_notify_sink::advise_sink::ErrorEvent;
    ///
    /// /// The error's code and, when the sender gave one, its text.
    /// fn report(error: &ErrorEvent<'_>) -> String {
    ///     let text = error.error().and_then(|details| details.error());
    ///     format!("{:?}: {}", error.scode(), text.map_or_else(String::new, |text| text.to_string()))
    /// }
    /// ```
    ErrorEvent(ERROR_NOTIFICATION) { entry_id, scode, flags, error }
}

impl<'a> ErrorEvent<'a> {
    /// The object the error is about.
    #[inline]
    pub fn entry_id(&self) -> Option<EntryId<'a>> {
        // SAFETY: the `Events` invariant.
        unsafe {
            EntryId::read(
                self.raw.cbEntryID,
                self.raw.lpEntryID,
                "ERROR_NOTIFICATION.lpEntryID",
            )
        }
    }

    /// The error.
    #[inline]
    pub fn scode(&self) -> HRESULT {
        HRESULT(self.raw.scode)
    }

    /// `ulFlags`: `MAPI_UNICODE` when the error's strings are UTF-16.
    #[inline]
    pub fn flags(&self) -> u32 {
        self.raw.ulFlags
    }

    /// The extended error information, if any was sent.
    #[inline]
    pub fn error(&self) -> Option<MapiError<'a>> {
        // SAFETY: the `Events` invariant.
        let raw =
            unsafe { memory::reference(self.raw.lpMAPIError, "ERROR_NOTIFICATION.lpMAPIError") }?;
        Some(MapiError {
            raw,
            unicode: self.raw.ulFlags & sys::MAPI_UNICODE != 0,
        })
    }
}

/// A `MAPIERROR`: the text and origin of an error. Strings are 8-bit or UTF-16 as the
/// notification's `MAPI_UNICODE` flag says.
///
/// ```
/// use mapi_notify_sink::advise_sink::MapiError;
///
/// /// "text (component)", as the sender wrote them.
/// fn report(details: &MapiError<'_>) -> String {
///     let text = details.error().map(|text| text.to_string()).unwrap_or_default();
///     let component = details.component().map(|text| text.to_string()).unwrap_or_default();
///     format!("{text} ({component})")
/// }
/// ```
#[derive(Clone, Copy)]
pub struct MapiError<'a> {
    raw: &'a sys::MAPIERROR,
    unicode: bool,
}

impl<'a> MapiError<'a> {
    /// `ulVersion`.
    #[inline]
    pub fn version(&self) -> u32 {
        self.raw.ulVersion
    }

    /// The error's text.
    #[inline]
    pub fn error(&self) -> Option<MapiStr<'a>> {
        // SAFETY: the `Events` invariant covers what this `MAPIERROR` points to.
        unsafe { MapiStr::read(self.raw.lpszError, self.unicode, "MAPIERROR.lpszError") }
    }

    /// The component that reported it.
    #[inline]
    pub fn component(&self) -> Option<MapiStr<'a>> {
        // SAFETY: as in `error`.
        unsafe {
            MapiStr::read(
                self.raw.lpszComponent,
                self.unicode,
                "MAPIERROR.lpszComponent",
            )
        }
    }

    /// The underlying system error.
    #[inline]
    pub fn low_level_error(&self) -> u32 {
        self.raw.ulLowLevelError
    }

    /// Where in the component the error happened.
    #[inline]
    pub fn context(&self) -> u32 {
        self.raw.ulContext
    }

    /// The structure as sent.
    #[inline]
    pub fn raw(&self) -> &'a sys::MAPIERROR {
        self.raw
    }
}

impl fmt::Debug for MapiError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MapiError")
            .field("error", &self.error())
            .field("component", &self.component())
            .field("low_level_error", &self.low_level_error())
            .field("context", &self.context())
            .finish()
    }
}

view! {
    /// `fnevNewMail`: a message arrived.
    ///
    /// ```
    /// use mapi_notify_sink::advise_sink::NewMail;
    ///
    /// /// Whether a new mail is a meeting request (its class, compared without allocating).
    /// fn is_meeting_request(mail: &NewMail<'_>) -> bool {
    ///     mail.message_class().is_some_and(|class| class == "IPM.Schedule.Meeting.Request")
    /// }
    /// ```
    NewMail(NEWMAIL_NOTIFICATION) { entry_id, parent_id, message_class, message_flags, flags }
}

impl<'a> NewMail<'a> {
    /// The new message.
    #[inline]
    pub fn entry_id(&self) -> Option<EntryId<'a>> {
        // SAFETY: the `Events` invariant.
        unsafe {
            EntryId::read(
                self.raw.cbEntryID,
                self.raw.lpEntryID,
                "NEWMAIL_NOTIFICATION.lpEntryID",
            )
        }
    }

    /// The folder it arrived in.
    #[inline]
    pub fn parent_id(&self) -> Option<EntryId<'a>> {
        // SAFETY: the `Events` invariant.
        unsafe {
            EntryId::read(
                self.raw.cbParentID,
                self.raw.lpParentID,
                "NEWMAIL_NOTIFICATION.lpParentID",
            )
        }
    }

    /// `ulFlags`: `MAPI_UNICODE` when the message class is UTF-16.
    #[inline]
    pub fn flags(&self) -> u32 {
        self.raw.ulFlags
    }

    /// The message class (`IPM.Note`, ...).
    #[inline]
    pub fn message_class(&self) -> Option<MapiStr<'a>> {
        // SAFETY: the `Events` invariant.
        unsafe {
            MapiStr::read(
                self.raw.lpszMessageClass,
                self.raw.ulFlags & sys::MAPI_UNICODE != 0,
                "NEWMAIL_NOTIFICATION.lpszMessageClass",
            )
        }
    }

    /// The message's `PR_MESSAGE_FLAGS`.
    #[inline]
    pub fn message_flags(&self) -> u32 {
        self.raw.ulMessageFlags
    }
}

view! {
    /// An object was created, deleted, modified, moved or copied, or a search completed.
    ///
    /// ```
    /// use mapi_notify_sink::advise_sink::{EntryId, ObjectEvent};
    ///
    /// /// Where a moved object came from and went to, copied out.
    /// fn moved(object: &ObjectEvent<'_>) -> (Option<Vec<u8>>, Option<Vec<u8>>) {
    ///     let bytes = |id: Option<EntryId<'_>>| id.map(|id| id.as_bytes().to_vec());
    ///     (bytes(object.old_parent_id()), bytes(object.parent_id()))
    /// }
    /// ```
    ObjectEvent(OBJECT_NOTIFICATION) { entry_id, object_type, parent_id, old_id, old_parent_id, prop_tags }
}

impl<'a> ObjectEvent<'a> {
    /// The object.
    #[inline]
    pub fn entry_id(&self) -> Option<EntryId<'a>> {
        // SAFETY: the `Events` invariant.
        unsafe {
            EntryId::read(
                self.raw.cbEntryID,
                self.raw.lpEntryID,
                "OBJECT_NOTIFICATION.lpEntryID",
            )
        }
    }

    /// What kind of object: `sys::MAPI_MESSAGE`, `sys::MAPI_FOLDER`, ...
    #[inline]
    pub fn object_type(&self) -> u32 {
        self.raw.ulObjType
    }

    /// Its parent folder.
    #[inline]
    pub fn parent_id(&self) -> Option<EntryId<'a>> {
        // SAFETY: the `Events` invariant.
        unsafe {
            EntryId::read(
                self.raw.cbParentID,
                self.raw.lpParentID,
                "OBJECT_NOTIFICATION.lpParentID",
            )
        }
    }

    /// Moves and copies: the object's previous entry ID.
    #[inline]
    pub fn old_id(&self) -> Option<EntryId<'a>> {
        // SAFETY: the `Events` invariant.
        unsafe {
            EntryId::read(
                self.raw.cbOldID,
                self.raw.lpOldID,
                "OBJECT_NOTIFICATION.lpOldID",
            )
        }
    }

    /// Moves and copies: the previous parent.
    #[inline]
    pub fn old_parent_id(&self) -> Option<EntryId<'a>> {
        // SAFETY: the `Events` invariant.
        unsafe {
            EntryId::read(
                self.raw.cbOldParentID,
                self.raw.lpOldParentID,
                "OBJECT_NOTIFICATION.lpOldParentID",
            )
        }
    }

    /// The tags of the properties that changed, when the sender listed them.
    #[inline]
    pub fn prop_tags(&self) -> Option<&'a [u32]> {
        // SAFETY: the `Events` invariant.
        unsafe {
            memory::prop_tags(
                self.raw.lpPropTagArray,
                "OBJECT_NOTIFICATION.lpPropTagArray",
            )
        }
    }
}

view! {
    /// `fnevTableModified`: what happened to a table the sink was advised on.
    ///
    /// ```
    /// use mapi_notify_sink::advise_sink::{TableEvent, TableEventKind, Value};
    ///
    /// const PR_SUBJECT: u32 = 0x0037_001E; // PROP_TAG(PT_STRING8, 0x0037)
    ///
    /// /// The subject of a row added to a contents table.
    /// fn added_subject(table: &TableEvent<'_>) -> Option<String> {
    ///     if table.kind() != TableEventKind::RowAdded {
    ///         return None;
    ///     }
    ///     match table.row().find(PR_SUBJECT)?.value() {
    ///         Value::String(subject) => Some(subject.to_string()),
    ///         _ => None,
    ///     }
    /// }
    /// ```
    TableEvent(TABLE_NOTIFICATION) { kind, hresult, index, prior, row }
}

impl<'a> TableEvent<'a> {
    /// What happened.
    #[inline]
    pub fn kind(&self) -> TableEventKind {
        TableEventKind::from_raw(self.raw.ulTableEvent)
    }

    /// For [`TableEventKind::Error`]: the error.
    #[inline]
    pub fn hresult(&self) -> HRESULT {
        self.raw.hResult
    }

    /// The row's index property (usually `PR_INSTANCE_KEY`): which row.
    #[inline]
    pub fn index(&self) -> PropValue<'a> {
        // SAFETY: the `Events` invariant.
        unsafe { PropValue::new(&self.raw.propIndex) }
    }

    /// The index property of the row before it (`PR_NULL` for the first row).
    #[inline]
    pub fn prior(&self) -> PropValue<'a> {
        // SAFETY: the `Events` invariant.
        unsafe { PropValue::new(&self.raw.propPrior) }
    }

    /// The row's values (for added and modified rows; empty otherwise).
    #[inline]
    pub fn row(&self) -> Props<'a> {
        let row = &self.raw.row;
        // SAFETY: the `Events` invariant.
        unsafe { Props::read(row.lpProps, row.cValues, "TABLE_NOTIFICATION.row.lpProps") }
    }
}

/// `TABLE_NOTIFICATION::ulTableEvent`.
///
/// ```
/// use mapi_notify_sink::advise_sink::TableEventKind;
///
/// /// What a handler does about each kind of table event.
/// fn action(kind: TableEventKind) -> &'static str {
///     match kind {
///         // Too much changed to say what: read the table again.
///         TableEventKind::Changed | TableEventKind::Reload => "reread",
///         TableEventKind::RowAdded | TableEventKind::RowModified | TableEventKind::RowDeleted => "row",
///         _ => "other",
///     }
/// }
/// assert_eq!(action(TableEventKind::Reload), "reread");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TableEventKind {
    /// `TABLE_CHANGED`: too much changed to describe; read the table again.
    Changed,
    /// `TABLE_ERROR`: an asynchronous operation failed (see `hresult`).
    Error,
    /// `TABLE_ROW_ADDED`.
    RowAdded,
    /// `TABLE_ROW_DELETED`: only `index` names the row.
    RowDeleted,
    /// `TABLE_ROW_MODIFIED`.
    RowModified,
    /// `TABLE_SORT_DONE`.
    SortDone,
    /// `TABLE_RESTRICT_DONE`.
    RestrictDone,
    /// `TABLE_SETCOL_DONE`.
    SetColDone,
    /// `TABLE_RELOAD`: read the table again.
    Reload,
    /// Any other value, as sent.
    Other(u32),
}

impl TableEventKind {
    #[inline]
    fn from_raw(raw: u32) -> Self {
        match raw {
            sys::TABLE_CHANGED => Self::Changed,
            sys::TABLE_ERROR => Self::Error,
            sys::TABLE_ROW_ADDED => Self::RowAdded,
            sys::TABLE_ROW_DELETED => Self::RowDeleted,
            sys::TABLE_ROW_MODIFIED => Self::RowModified,
            sys::TABLE_SORT_DONE => Self::SortDone,
            sys::TABLE_RESTRICT_DONE => Self::RestrictDone,
            sys::TABLE_SETCOL_DONE => Self::SetColDone,
            sys::TABLE_RELOAD => Self::Reload,
            other => Self::Other(other),
        }
    }
}

view! {
    /// `fnevStatusObjectModified`: a status object's properties changed.
    ///
    /// ```
    /// use mapi_notify_sink::advise_sink::{StatusEvent, Value};
    ///
    /// const PR_STATUS_CODE: u32 = 0x3E04_0003; // PROP_TAG(PT_LONG, 0x3E04)
    ///
    /// /// The status object's new `PR_STATUS_CODE`, if it sent one.
    /// fn status_code(status: &StatusEvent<'_>) -> Option<i32> {
    ///     match status.props().find(PR_STATUS_CODE)?.value() {
    ///         Value::Long(code) => Some(code),
    ///         _ => None,
    ///     }
    /// }
    /// ```
    StatusEvent(STATUS_OBJECT_NOTIFICATION) { entry_id, props }
}

impl<'a> StatusEvent<'a> {
    /// The status object.
    #[inline]
    pub fn entry_id(&self) -> Option<EntryId<'a>> {
        // SAFETY: the `Events` invariant.
        unsafe {
            EntryId::read(
                self.raw.cbEntryID,
                self.raw.lpEntryID,
                "STATUS_OBJECT_NOTIFICATION.lpEntryID",
            )
        }
    }

    /// The properties that changed, with their new values.
    #[inline]
    pub fn props(&self) -> Props<'a> {
        // SAFETY: the `Events` invariant.
        unsafe {
            Props::read(
                self.raw.lpPropVals,
                self.raw.cValues,
                "STATUS_OBJECT_NOTIFICATION.lpPropVals",
            )
        }
    }
}

view! {
    /// `fnevExtended`: a provider's own event.
    ///
    /// ```
    /// use mapi_notify_sink::advise_sink::ExtendedEvent;
    ///
    /// /// A provider's event: its number and its parameters, copied out.
    /// fn keep(extended: &ExtendedEvent<'_>) -> (u32, Vec<u8>) {
    ///     (extended.event(), extended.parameters().to_vec())
    /// }
    /// ```
    ExtendedEvent(EXTENDED_NOTIFICATION) { event, parameters }
}

impl<'a> ExtendedEvent<'a> {
    /// The provider's event code.
    #[inline]
    pub fn event(&self) -> u32 {
        self.raw.ulEvent
    }

    /// The provider's parameters (empty, with a warning, when the pointer is null with a count).
    #[inline]
    pub fn parameters(&self) -> &'a [u8] {
        // SAFETY: the `Events` invariant.
        unsafe {
            memory::slice(
                self.raw.pbEventParameters,
                self.raw.cb,
                "EXTENDED_NOTIFICATION.pbEventParameters",
            )
        }
        .unwrap_or(&[])
    }
}
