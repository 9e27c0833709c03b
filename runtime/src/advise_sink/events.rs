//! What an advise sink's `on_notify` receives: the notification array of one `OnNotify` call
//! ([`Events`]), each notification decoded by its event type ([`Event`]).
//!
//! # Invariants
//! An `Events<'a>` is made only from an array whose every pointer follows MAPI's `OnNotify`
//! contract for `'a` (by the `OnNotify` slot, or by the caller of the `unsafe`
//! [`Events::from_raw`]); every view below is made from one of its elements, so its accessors
//! may read through the element's pointers with the `memory` functions.

use super::memory;
use super::values::{sealed::Decode, EntryId, Iter, MapiStr, PropValue, Props};
use crate::sys::{self, NOTIFICATION};
use core::fmt;
use windows_core::HRESULT;

/// A view of one member of `NOTIFICATION::info`: the struct (the member as sent, borrowed),
/// its `raw()`, and a `Debug` that shows the named accessors' decoded values.
macro_rules! view {
    ($(#[$doc:meta])* $Name:ident($Raw:ident) { $($field:ident),* $(,)? } raw_example: $example:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy)]
        pub struct $Name<'a> {
            raw: &'a sys::$Raw,
        }

        impl<'a> $Name<'a> {
            /// The notification as sent.
            #[doc = concat!("\n```\n", $example, "\n```")]
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
/// # #[cfg(feature = "simulator")] {
/// # use mapi_notify_sink::simulator::__deliver as deliver;
/// use mapi_notify_sink::advise_sink::{Event, Events};
/// use mapi_notify_sink::simulator::StoreEvent;
/// use mapi_notify_sink::sys;
///
/// // A handler's work on one call's events: here, count the new mail.
/// fn count_new_mail(events: &Events<'_>) -> usize {
///     events.iter().filter(|event| matches!(event, Event::NewMail(_))).count()
/// }
///
/// // `deliver`: a `SimulatedStore` sends these in one `OnNotify` call to a sink whose
/// // `on_notify` runs the handler; it returns what the handler returned, per call.
/// let seen = deliver(
///     &[
///         StoreEvent::new_mail(b"msg-1", b"inbox", "IPM.Note"),
///         StoreEvent::object(sys::fnevObjectCreated, b"draft-7", b"drafts"),
///         StoreEvent::new_mail(b"msg-2", b"inbox", "IPM.Note"),
///     ],
///     count_new_mail,
/// );
/// assert_eq!(seen, [2]);
/// # }
/// ```
#[derive(Clone, Copy)]
pub struct Events<'a> {
    raw: &'a [NOTIFICATION],
}

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
        Some(Self { raw })
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
        Self { raw }
    }

    /// How many notifications there are.
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::simulator::StoreEvent;
    ///
    /// let mail = StoreEvent::new_mail(b"msg-1", b"inbox", "IPM.Note");
    /// let seen = deliver(&[mail.clone(), mail], |events| events.len()); // in `on_notify`
    /// assert_eq!(seen, [2]); // one call with both
    /// # }
    /// ```
    #[inline]
    pub fn len(&self) -> usize {
        self.raw.len()
    }

    /// Whether there are none.
    ///
    /// ```
    /// use mapi_notify_sink::advise_sink::Events;
    ///
    /// // SAFETY: no notifications, so no pointers. (MAPI never sends an empty array: a call
    /// // with `cNotif` 0 does not reach the handler.)
    /// let events = unsafe { Events::from_raw(&[]) };
    /// assert!(events.is_empty());
    /// assert_eq!(events.len(), 0);
    /// ```
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    /// The notifications in order, each decoded as it is reached.
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::Event;
    /// use mapi_notify_sink::simulator::StoreEvent;
    ///
    /// let sent = [
    ///     StoreEvent::new_mail(b"msg-1", b"inbox", "IPM.Note"),
    ///     StoreEvent::row_deleted(b"row-2"),
    /// ];
    /// let seen = deliver(&sent, |events| {
    ///     events
    ///         .iter()
    ///         .map(|event| match event {
    ///             Event::NewMail(_) => "new mail",
    ///             Event::TableModified(_) => "table",
    ///             _ => "other",
    ///         })
    ///         .collect::<Vec<_>>()
    /// });
    /// assert_eq!(seen, [["new mail", "table"]]);
    /// # }
    /// ```
    #[inline]
    pub fn iter(&self) -> Iter<'a, Event<'a>> {
        Iter::new(self.raw)
    }

    /// The notification at `index`.
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::Event;
    /// use mapi_notify_sink::simulator::StoreEvent;
    ///
    /// let seen = deliver(&[StoreEvent::new_mail(b"msg-1", b"inbox", "IPM.Note")], |events| {
    ///     (matches!(events.get(0), Some(Event::NewMail(_))), events.get(1).is_none())
    /// });
    /// assert_eq!(seen, [(true, true)]);
    /// # }
    /// ```
    #[inline]
    pub fn get(&self, index: usize) -> Option<Event<'a>> {
        // SAFETY: the array follows the `OnNotify` contract (the invariant).
        self.raw.get(index).map(|raw| unsafe { Event::decode(raw) })
    }

    /// The array as MAPI sent it.
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::simulator::StoreEvent;
    /// use mapi_notify_sink::sys;
    ///
    /// let sent = [
    ///     StoreEvent::new_mail(b"msg-1", b"inbox", "IPM.Note"),
    ///     StoreEvent::extended(7, b"provider data"),
    /// ];
    /// let seen = deliver(&sent, |events| {
    ///     events.raw().iter().map(|raw| raw.ulEventType).collect::<Vec<_>>()
    /// });
    /// assert_eq!(seen, [[sys::fnevNewMail, sys::fnevExtended]]);
    /// # }
    /// ```
    #[inline]
    pub fn raw(&self) -> &'a [NOTIFICATION] {
        self.raw
    }
}

impl<'a> IntoIterator for &Events<'a> {
    type Item = Event<'a>;
    type IntoIter = Iter<'a, Event<'a>>;

    #[inline]
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl fmt::Debug for Events<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// One notification, by its `ulEventType`.
///
/// ```
/// # #[cfg(feature = "simulator")] {
/// # use mapi_notify_sink::simulator::__deliver as deliver;
/// use mapi_notify_sink::advise_sink::{EntryId, Event, Events};
/// use mapi_notify_sink::simulator::{SimProp, SimValue, StoreEvent};
/// use mapi_notify_sink::sys;
///
/// // A handler copies out what it keeps: the events live only for the call.
/// fn describe(events: &Events<'_>) -> Vec<String> {
///     fn text(id: Option<EntryId<'_>>) -> String {
///         id.map_or_else(String::new, |id| String::from_utf8_lossy(id.as_bytes()).into_owned())
///     }
///     events
///         .iter()
///         .map(|event| match event {
///             Event::NewMail(mail) => format!("new {} mail", mail.message_class().unwrap()),
///             Event::ObjectDeleted(object) => format!("deleted {}", text(object.entry_id())),
///             Event::TableModified(table) => format!("table {:?}", table.kind()),
///             Event::CriticalError(error) => format!("error {:?}", error.scode()),
///             other => format!("{other:?}"),
///         })
///         .collect()
/// }
///
/// let subject = SimProp::new(0x0037, SimValue::String8("Hello".into()));
/// let seen = deliver(
///     &[
///         StoreEvent::new_mail(b"msg-1", b"inbox", "IPM.Note"),
///         StoreEvent::object(sys::fnevObjectDeleted, b"msg-0", b"inbox"),
///         StoreEvent::row_added(b"row-1", None, vec![subject]),
///         StoreEvent::critical_error(sys::MAPI_E_NOT_FOUND, "gone", "store"),
///     ],
///     describe,
/// );
/// assert_eq!(
///     seen[0],
///     [
///         "new IPM.Note mail",
///         "deleted msg-0",
///         "table RowAdded",
///         "error HRESULT(0x8004010F)",
///     ]
/// );
/// # }
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

impl<'a> Decode<'a> for Event<'a> {
    type Raw = NOTIFICATION;

    #[inline]
    unsafe fn decode(raw: &'a NOTIFICATION) -> Self {
        let info = &raw.info;
        // SAFETY (each union read): `ulEventType` names the member the sender wrote; taking a
        // reference to it reads nothing, and each view reads only that member's fields.
        unsafe {
            match raw.ulEventType {
                sys::fnevCriticalError => Self::CriticalError(ErrorEvent { raw: &info.err }),
                sys::fnevNewMail => Self::NewMail(NewMail { raw: &info.newmail }),
                sys::fnevObjectCreated => Self::ObjectCreated(ObjectEvent { raw: &info.obj }),
                sys::fnevObjectDeleted => Self::ObjectDeleted(ObjectEvent { raw: &info.obj }),
                sys::fnevObjectModified => Self::ObjectModified(ObjectEvent { raw: &info.obj }),
                sys::fnevObjectMoved => Self::ObjectMoved(ObjectEvent { raw: &info.obj }),
                sys::fnevObjectCopied => Self::ObjectCopied(ObjectEvent { raw: &info.obj }),
                sys::fnevSearchComplete => Self::SearchComplete(ObjectEvent { raw: &info.obj }),
                sys::fnevTableModified => Self::TableModified(TableEvent { raw: &info.tab }),
                sys::fnevStatusObjectModified => {
                    Self::StatusObjectModified(StatusEvent { raw: &info.statobj })
                }
                sys::fnevExtended => Self::Extended(ExtendedEvent { raw: &info.ext }),
                other => Self::Other(other),
            }
        }
    }
}

view! {
    /// `fnevCriticalError`: an error MAPI or a provider could not report otherwise.
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::Event;
    /// use mapi_notify_sink::simulator::StoreEvent;
    /// use mapi_notify_sink::sys;
    ///
    /// let sent = StoreEvent::critical_error(sys::MAPI_E_NOT_FOUND, "The folder is gone", "store");
    /// let seen = deliver(&[sent], |events| match events.get(0) {
    ///     Some(Event::CriticalError(error)) => {
    ///         let text = error.error().and_then(|details| details.error()).map(|text| text.to_string());
    ///         (error.scode(), text)
    ///     }
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [(sys::MAPI_E_NOT_FOUND, Some("The folder is gone".to_string()))]);
    /// # }
    /// ```
    ErrorEvent(ERROR_NOTIFICATION) { entry_id, scode, flags, error }
    raw_example: "# #[cfg(feature = \"simulator\")] {
# use mapi_notify_sink::simulator::__deliver as deliver;
use mapi_notify_sink::advise_sink::Event;
use mapi_notify_sink::simulator::StoreEvent;
use mapi_notify_sink::sys;

let seen = deliver(&[StoreEvent::critical_error(sys::MAPI_E_NOT_FOUND, \"gone\", \"store\")], |events| match events.get(0) {
    Some(Event::CriticalError(view)) => {
        let raw = view.raw(); // the `sys` struct, for fields without an accessor
        raw.scode
    }
    other => panic!(\"unexpected {other:?}\"),
});
assert_eq!(seen, [sys::MAPI_E_NOT_FOUND.0]);
# }"
}

impl<'a> ErrorEvent<'a> {
    /// The object the error is about.
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::Event;
    /// use mapi_notify_sink::simulator::StoreEvent;
    /// use mapi_notify_sink::sys;
    ///
    /// let about_msg = StoreEvent::CriticalError {
    ///     entry_id: b"msg-1".to_vec(),
    ///     scode: sys::E_UNEXPECTED,
    ///     error: None,
    ///     unicode: false,
    /// };
    /// let about_nothing = StoreEvent::critical_error(sys::E_UNEXPECTED, "lost", "store");
    /// let seen = deliver(&[about_msg, about_nothing], |events| {
    ///     events
    ///         .iter()
    ///         .map(|event| match event {
    ///             Event::CriticalError(error) => error.entry_id().map(|id| id.as_bytes().to_vec()),
    ///             other => panic!("unexpected {other:?}"),
    ///         })
    ///         .collect::<Vec<_>>()
    /// });
    /// assert_eq!(seen, [[Some(b"msg-1".to_vec()), None]]);
    /// # }
    /// ```
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
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::Event;
    /// use mapi_notify_sink::simulator::StoreEvent;
    /// use mapi_notify_sink::sys;
    ///
    /// let sent = StoreEvent::critical_error(sys::MAPI_E_NOT_FOUND, "gone", "store");
    /// let seen = deliver(&[sent], |events| match events.get(0) {
    ///     Some(Event::CriticalError(error)) => error.scode(),
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [sys::MAPI_E_NOT_FOUND]);
    /// assert_eq!(seen[0].0 as u32, 0x8004_010F);
    /// # }
    /// ```
    #[inline]
    pub fn scode(&self) -> HRESULT {
        HRESULT(self.raw.scode)
    }

    /// `ulFlags`: `MAPI_UNICODE` when the error's strings are UTF-16.
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::Event;
    /// use mapi_notify_sink::simulator::StoreEvent;
    /// use mapi_notify_sink::sys;
    ///
    /// let wide = StoreEvent::CriticalError {
    ///     entry_id: Vec::new(),
    ///     scode: sys::E_UNEXPECTED,
    ///     error: Some(("Verbindung getrennt".into(), "Speicher".into())),
    ///     unicode: true,
    /// };
    /// let seen = deliver(&[wide], |events| match events.get(0) {
    ///     Some(Event::CriticalError(error)) => error.flags() & sys::MAPI_UNICODE != 0,
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [true]); // the strings are UTF-16; `MapiStr` reads either width
    /// # }
    /// ```
    #[inline]
    pub fn flags(&self) -> u32 {
        self.raw.ulFlags
    }

    /// The extended error information, if any was sent.
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::Event;
    /// use mapi_notify_sink::simulator::StoreEvent;
    /// use mapi_notify_sink::sys;
    ///
    /// let bare = StoreEvent::CriticalError {
    ///     entry_id: Vec::new(),
    ///     scode: sys::E_UNEXPECTED,
    ///     error: None,
    ///     unicode: false,
    /// };
    /// let detailed = StoreEvent::critical_error(sys::E_UNEXPECTED, "The server is unavailable", "store");
    /// let seen = deliver(&[bare, detailed], |events| {
    ///     events
    ///         .iter()
    ///         .map(|event| match event {
    ///             Event::CriticalError(error) => error.error().map(|details| format!("{details:?}")),
    ///             other => panic!("unexpected {other:?}"),
    ///         })
    ///         .collect::<Vec<_>>()
    /// });
    /// assert_eq!(seen[0][0], None);
    /// assert!(seen[0][1].as_deref().unwrap().contains("The server is unavailable"));
    /// # }
    /// ```
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
/// # #[cfg(feature = "simulator")] {
/// # use mapi_notify_sink::simulator::__deliver as deliver;
/// use mapi_notify_sink::advise_sink::Event;
/// use mapi_notify_sink::simulator::StoreEvent;
/// use mapi_notify_sink::sys;
///
/// let sent = StoreEvent::critical_error(sys::E_UNEXPECTED, "The server is unavailable", "emsmdb");
/// let seen = deliver(&[sent], |events| match events.get(0) {
///     Some(Event::CriticalError(error)) => {
///         let details = error.error().expect("a MAPIERROR was sent");
///         (details.error().unwrap().to_string(), details.component().unwrap().to_string())
///     }
///     other => panic!("unexpected {other:?}"),
/// });
/// assert_eq!(seen, [("The server is unavailable".to_string(), "emsmdb".to_string())]);
/// # }
/// ```
#[derive(Clone, Copy)]
pub struct MapiError<'a> {
    raw: &'a sys::MAPIERROR,
    unicode: bool,
}

impl<'a> MapiError<'a> {
    /// `ulVersion`.
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::Event;
    /// use mapi_notify_sink::simulator::StoreEvent;
    /// use mapi_notify_sink::sys;
    ///
    /// let sent = StoreEvent::critical_error(sys::E_UNEXPECTED, "The server is unavailable", "emsmdb");
    /// let seen = deliver(&[sent], |events| match events.get(0) {
    ///     Some(Event::CriticalError(error)) => error.error().unwrap().version(),
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [0]); // the simulated store sends version 0
    /// # }
    /// ```
    #[inline]
    pub fn version(&self) -> u32 {
        self.raw.ulVersion
    }

    /// The error's text.
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::Event;
    /// use mapi_notify_sink::simulator::StoreEvent;
    /// use mapi_notify_sink::sys;
    ///
    /// let sent = StoreEvent::critical_error(sys::E_UNEXPECTED, "The server is unavailable", "emsmdb");
    /// let seen = deliver(&[sent], |events| match events.get(0) {
    ///     Some(Event::CriticalError(error)) => error.error().unwrap().error().map(|text| text.to_string()),
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [Some("The server is unavailable".to_string())]);
    /// # }
    /// ```
    #[inline]
    pub fn error(&self) -> Option<MapiStr<'a>> {
        // SAFETY: the `Events` invariant covers what this `MAPIERROR` points to.
        unsafe { MapiStr::read(self.raw.lpszError, self.unicode, "MAPIERROR.lpszError") }
    }

    /// The component that reported it.
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::Event;
    /// use mapi_notify_sink::simulator::StoreEvent;
    /// use mapi_notify_sink::sys;
    ///
    /// let sent = StoreEvent::critical_error(sys::E_UNEXPECTED, "The server is unavailable", "emsmdb");
    /// let seen = deliver(&[sent], |events| match events.get(0) {
    ///     Some(Event::CriticalError(error)) => error.error().unwrap().component().map(|name| name.to_string()),
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [Some("emsmdb".to_string())]);
    /// # }
    /// ```
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
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::Event;
    /// use mapi_notify_sink::simulator::StoreEvent;
    /// use mapi_notify_sink::sys;
    ///
    /// let sent = StoreEvent::critical_error(sys::E_UNEXPECTED, "The server is unavailable", "emsmdb");
    /// let seen = deliver(&[sent], |events| match events.get(0) {
    ///     Some(Event::CriticalError(error)) => error.error().unwrap().low_level_error(),
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [0]); // none, from the simulated store
    /// # }
    /// ```
    #[inline]
    pub fn low_level_error(&self) -> u32 {
        self.raw.ulLowLevelError
    }

    /// Where in the component the error happened.
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::Event;
    /// use mapi_notify_sink::simulator::StoreEvent;
    /// use mapi_notify_sink::sys;
    ///
    /// let sent = StoreEvent::critical_error(sys::E_UNEXPECTED, "The server is unavailable", "emsmdb");
    /// let seen = deliver(&[sent], |events| match events.get(0) {
    ///     Some(Event::CriticalError(error)) => error.error().unwrap().context(),
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [0]); // none, from the simulated store
    /// # }
    /// ```
    #[inline]
    pub fn context(&self) -> u32 {
        self.raw.ulContext
    }

    /// The structure as sent.
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::Event;
    /// use mapi_notify_sink::simulator::StoreEvent;
    /// use mapi_notify_sink::sys;
    ///
    /// let sent = StoreEvent::critical_error(sys::E_UNEXPECTED, "The server is unavailable", "emsmdb");
    /// let seen = deliver(&[sent], |events| match events.get(0) {
    ///     Some(Event::CriticalError(error)) => error.error().unwrap().raw().ulVersion,
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [0]);
    /// # }
    /// ```
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
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::Event;
    /// use mapi_notify_sink::simulator::StoreEvent;
    ///
    /// let sent = StoreEvent::new_mail(b"msg-1", b"inbox", "IPM.Note");
    /// let seen = deliver(&[sent], |events| match events.get(0) {
    ///     Some(Event::NewMail(mail)) => (mail.message_class().unwrap().to_string(), mail.entry_id().unwrap().as_bytes().to_vec()),
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [("IPM.Note".to_string(), b"msg-1".to_vec())]);
    /// # }
    /// ```
    NewMail(NEWMAIL_NOTIFICATION) { entry_id, parent_id, message_class, message_flags, flags }
    raw_example: "# #[cfg(feature = \"simulator\")] {
# use mapi_notify_sink::simulator::__deliver as deliver;
use mapi_notify_sink::advise_sink::Event;
use mapi_notify_sink::simulator::StoreEvent;
use mapi_notify_sink::sys;

let seen = deliver(&[StoreEvent::new_mail(b\"msg-1\", b\"inbox\", \"IPM.Note\")], |events| match events.get(0) {
    Some(Event::NewMail(view)) => {
        let raw = view.raw(); // the `sys` struct, for fields without an accessor
        raw.cbEntryID
    }
    other => panic!(\"unexpected {other:?}\"),
});
assert_eq!(seen, [5]); // b\"msg-1\"
# }"
}

impl<'a> NewMail<'a> {
    /// The new message.
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::Event;
    /// use mapi_notify_sink::simulator::StoreEvent;
    ///
    /// let sent = StoreEvent::new_mail(b"msg-1", b"inbox", "IPM.Note");
    /// let seen = deliver(&[sent], |events| match events.get(0) {
    ///     Some(Event::NewMail(mail)) => mail.entry_id().map(|id| id.as_bytes().to_vec()), // copied out
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [Some(b"msg-1".to_vec())]);
    /// # }
    /// ```
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
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::Event;
    /// use mapi_notify_sink::simulator::StoreEvent;
    /// use mapi_notify_sink::advise_sink::EntryId;
    /// let sent = StoreEvent::new_mail(b"msg-1", b"inbox", "IPM.Note");
    /// let seen = deliver(&[sent], |events| match events.get(0) {
    ///     Some(Event::NewMail(mail)) => mail.parent_id() == Some(EntryId::new(b"inbox")),
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [true]);
    /// # }
    /// ```
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
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::Event;
    /// use mapi_notify_sink::simulator::StoreEvent;
    /// use mapi_notify_sink::sys;
    /// let sent = StoreEvent::NewMail {
    ///     entry_id: b"msg-1".to_vec(),
    ///     parent_id: b"inbox".to_vec(),
    ///     message_class: "IPM.Note".into(),
    ///     message_flags: 0,
    ///     unicode: true,
    /// };
    /// let seen = deliver(&[sent], |events| match events.get(0) {
    ///     Some(Event::NewMail(mail)) => mail.flags() & sys::MAPI_UNICODE != 0,
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [true]);
    /// # }
    /// ```
    #[inline]
    pub fn flags(&self) -> u32 {
        self.raw.ulFlags
    }

    /// The message class (`IPM.Note`, ...).
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::Event;
    /// use mapi_notify_sink::simulator::StoreEvent;
    ///
    /// let sent = StoreEvent::new_mail(b"msg-2", b"inbox", "IPM.Schedule.Meeting.Request");
    /// let seen = deliver(&[sent], |events| match events.get(0) {
    ///     Some(Event::NewMail(mail)) => mail.message_class().is_some_and(|class| class == "IPM.Schedule.Meeting.Request"),
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [true]); // `MapiStr` compares with `&str`, 8-bit or UTF-16
    /// # }
    /// ```
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
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::Event;
    /// use mapi_notify_sink::simulator::StoreEvent;
    /// const MSGFLAG_READ: u32 = 0x1;
    /// const MSGFLAG_UNSENT: u32 = 0x8;
    /// let sent = StoreEvent::NewMail {
    ///     entry_id: b"msg-1".to_vec(),
    ///     parent_id: b"inbox".to_vec(),
    ///     message_class: "IPM.Note".into(),
    ///     message_flags: MSGFLAG_UNSENT,
    ///     unicode: false,
    /// };
    /// let seen = deliver(&[sent], |events| match events.get(0) {
    ///     Some(Event::NewMail(mail)) => mail.message_flags() & MSGFLAG_READ != 0,
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [false]); // not read yet
    /// # }
    /// ```
    #[inline]
    pub fn message_flags(&self) -> u32 {
        self.raw.ulMessageFlags
    }
}

view! {
    /// An object was created, deleted, modified, moved or copied, or a search completed.
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::{EntryId, Event};
    /// use mapi_notify_sink::simulator::StoreEvent;
    /// use mapi_notify_sink::sys;
    ///
    /// fn text(id: Option<EntryId<'_>>) -> Option<String> {
    ///     id.map(|id| String::from_utf8_lossy(id.as_bytes()).into_owned())
    /// }
    /// let sent = StoreEvent::Object {
    ///     event_type: sys::fnevObjectMoved,
    ///     object_type: sys::MAPI_MESSAGE,
    ///     entry_id: b"msg-1-new".to_vec(),
    ///     parent_id: b"archive".to_vec(),
    ///     old_id: b"msg-1".to_vec(),
    ///     old_parent_id: b"inbox".to_vec(),
    ///     prop_tags: None,
    /// };
    /// let seen = deliver(&[sent], move |events| match events.get(0) {
    ///     Some(Event::ObjectMoved(object)) => (text(object.old_parent_id()), text(object.parent_id())),
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [(Some("inbox".to_string()), Some("archive".to_string()))]);
    /// # }
    /// ```
    ObjectEvent(OBJECT_NOTIFICATION) { entry_id, object_type, parent_id, old_id, old_parent_id, prop_tags }
    raw_example: "# #[cfg(feature = \"simulator\")] {
# use mapi_notify_sink::simulator::__deliver as deliver;
use mapi_notify_sink::advise_sink::Event;
use mapi_notify_sink::simulator::StoreEvent;
use mapi_notify_sink::sys;

let seen = deliver(&[StoreEvent::object(sys::fnevObjectCreated, b\"draft-7\", b\"drafts\")], |events| match events.get(0) {
    Some(Event::ObjectCreated(view)) => {
        let raw = view.raw(); // the `sys` struct, for fields without an accessor
        raw.ulObjType
    }
    other => panic!(\"unexpected {other:?}\"),
});
assert_eq!(seen, [sys::MAPI_MESSAGE]);
# }"
}

impl<'a> ObjectEvent<'a> {
    /// The object.
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::{EntryId, Event};
    /// use mapi_notify_sink::simulator::StoreEvent;
    /// use mapi_notify_sink::sys;
    ///
    /// fn text(id: Option<EntryId<'_>>) -> Option<String> {
    ///     id.map(|id| String::from_utf8_lossy(id.as_bytes()).into_owned())
    /// }
    /// let sent = StoreEvent::object(sys::fnevObjectCreated, b"draft-7", b"drafts");
    /// let seen = deliver(&[sent], move |events| match events.get(0) {
    ///     Some(Event::ObjectCreated(object)) => text(object.entry_id()),
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [Some("draft-7".to_string())]);
    /// # }
    /// ```
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
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::{EntryId, Event};
    /// use mapi_notify_sink::simulator::StoreEvent;
    /// use mapi_notify_sink::sys;
    ///
    /// fn text(id: Option<EntryId<'_>>) -> Option<String> {
    ///     id.map(|id| String::from_utf8_lossy(id.as_bytes()).into_owned())
    /// }
    /// let sent = StoreEvent::object(sys::fnevObjectCreated, b"draft-7", b"drafts");
    /// let seen = deliver(&[sent], move |events| match events.get(0) {
    ///     Some(Event::ObjectCreated(object)) => object.object_type() == sys::MAPI_MESSAGE,
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [true]);
    /// # }
    /// ```
    #[inline]
    pub fn object_type(&self) -> u32 {
        self.raw.ulObjType
    }

    /// Its parent folder.
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::{EntryId, Event};
    /// use mapi_notify_sink::simulator::StoreEvent;
    /// use mapi_notify_sink::sys;
    ///
    /// fn text(id: Option<EntryId<'_>>) -> Option<String> {
    ///     id.map(|id| String::from_utf8_lossy(id.as_bytes()).into_owned())
    /// }
    /// let sent = StoreEvent::object(sys::fnevObjectCreated, b"draft-7", b"drafts");
    /// let seen = deliver(&[sent], move |events| match events.get(0) {
    ///     Some(Event::ObjectCreated(object)) => text(object.parent_id()),
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [Some("drafts".to_string())]);
    /// # }
    /// ```
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
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::{EntryId, Event};
    /// use mapi_notify_sink::simulator::StoreEvent;
    /// use mapi_notify_sink::sys;
    ///
    /// fn text(id: Option<EntryId<'_>>) -> Option<String> {
    ///     id.map(|id| String::from_utf8_lossy(id.as_bytes()).into_owned())
    /// }
    /// let sent = StoreEvent::Object {
    ///     event_type: sys::fnevObjectMoved,
    ///     object_type: sys::MAPI_MESSAGE,
    ///     entry_id: b"msg-1-new".to_vec(),
    ///     parent_id: b"archive".to_vec(),
    ///     old_id: b"msg-1".to_vec(),
    ///     old_parent_id: b"inbox".to_vec(),
    ///     prop_tags: None,
    /// };
    /// let seen = deliver(&[sent], move |events| match events.get(0) {
    ///     Some(Event::ObjectMoved(object)) => (text(object.old_id()), text(object.entry_id())),
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [(Some("msg-1".to_string()), Some("msg-1-new".to_string()))]);
    /// # }
    /// ```
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
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::{EntryId, Event};
    /// use mapi_notify_sink::simulator::StoreEvent;
    /// use mapi_notify_sink::sys;
    ///
    /// fn text(id: Option<EntryId<'_>>) -> Option<String> {
    ///     id.map(|id| String::from_utf8_lossy(id.as_bytes()).into_owned())
    /// }
    /// let sent = StoreEvent::Object {
    ///     event_type: sys::fnevObjectMoved,
    ///     object_type: sys::MAPI_MESSAGE,
    ///     entry_id: b"msg-1-new".to_vec(),
    ///     parent_id: b"archive".to_vec(),
    ///     old_id: b"msg-1".to_vec(),
    ///     old_parent_id: b"inbox".to_vec(),
    ///     prop_tags: None,
    /// };
    /// let seen = deliver(&[sent], move |events| match events.get(0) {
    ///     Some(Event::ObjectMoved(object)) => text(object.old_parent_id()),
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [Some("inbox".to_string())]);
    /// # }
    /// ```
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
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::{EntryId, Event};
    /// use mapi_notify_sink::simulator::StoreEvent;
    /// use mapi_notify_sink::sys;
    ///
    /// fn text(id: Option<EntryId<'_>>) -> Option<String> {
    ///     id.map(|id| String::from_utf8_lossy(id.as_bytes()).into_owned())
    /// }
    /// const PR_MESSAGE_FLAGS: u32 = 0x0E07_0003; // PROP_TAG(PT_LONG, 0x0E07)
    /// let sent = StoreEvent::Object {
    ///     event_type: sys::fnevObjectModified,
    ///     object_type: sys::MAPI_MESSAGE,
    ///     entry_id: b"msg-1".to_vec(),
    ///     parent_id: b"inbox".to_vec(),
    ///     old_id: Vec::new(),
    ///     old_parent_id: Vec::new(),
    ///     prop_tags: Some(vec![PR_MESSAGE_FLAGS]),
    /// };
    /// let seen = deliver(&[sent], move |events| match events.get(0) {
    ///     Some(Event::ObjectModified(object)) => object.prop_tags().map(<[u32]>::to_vec),
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [Some(vec![PR_MESSAGE_FLAGS])]);
    /// # }
    /// ```
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
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::{Event, TableEventKind, Value};
    /// use mapi_notify_sink::simulator::{SimProp, SimValue, StoreEvent};
    /// const PR_SUBJECT: u32 = 0x0037_001E; // PROP_TAG(PT_STRING8, 0x0037)
    /// let sent = StoreEvent::row_added(
    ///     b"row-2",
    ///     Some(b"row-1"),
    ///     vec![SimProp::new(0x0037, SimValue::String8("Quarterly figures".into()))], // PR_SUBJECT
    /// );
    /// let seen = deliver(&[sent], |events| match events.get(0) {
    ///     Some(Event::TableModified(table)) => {
    ///         let subject = table.row().find(PR_SUBJECT).map(|value| value.value());
    ///         (table.kind(), matches!(subject, Some(Value::String(s)) if s == "Quarterly figures"))
    ///     },
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [(TableEventKind::RowAdded, true)]);
    /// # }
    /// ```
    TableEvent(TABLE_NOTIFICATION) { kind, hresult, index, prior, row }
    raw_example: "# #[cfg(feature = \"simulator\")] {
# use mapi_notify_sink::simulator::__deliver as deliver;
use mapi_notify_sink::advise_sink::Event;
use mapi_notify_sink::simulator::StoreEvent;
use mapi_notify_sink::sys;

let seen = deliver(&[StoreEvent::row_deleted(b\"row-2\")], |events| match events.get(0) {
    Some(Event::TableModified(view)) => {
        let raw = view.raw(); // the `sys` struct, for fields without an accessor
        raw.ulTableEvent
    }
    other => panic!(\"unexpected {other:?}\"),
});
assert_eq!(seen, [sys::TABLE_ROW_DELETED]);
# }"
}

impl<'a> TableEvent<'a> {
    /// What happened.
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::{Event, TableEventKind, Value};
    /// use mapi_notify_sink::simulator::{SimProp, SimValue, StoreEvent};
    ///
    /// let sent = StoreEvent::row_deleted(b"row-2");
    /// let seen = deliver(&[sent], |events| match events.get(0) {
    ///     Some(Event::TableModified(table)) => table.kind(),
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [TableEventKind::RowDeleted]); // only `index` names the row
    /// # }
    /// ```
    #[inline]
    pub fn kind(&self) -> TableEventKind {
        TableEventKind::from_raw(self.raw.ulTableEvent)
    }

    /// For [`TableEventKind::Error`]: the error.
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::{Event, TableEventKind, Value};
    /// use mapi_notify_sink::simulator::{SimProp, SimValue, StoreEvent};
    /// use mapi_notify_sink::sys;
    /// let sent = StoreEvent::Table {
    ///     table_event: sys::TABLE_ERROR,
    ///     hresult: sys::E_UNEXPECTED,
    ///     index: SimProp::null(),
    ///     prior: SimProp::null(),
    ///     row: Vec::new(),
    /// };
    /// let seen = deliver(&[sent], |events| match events.get(0) {
    ///     Some(Event::TableModified(table)) => (table.kind(), table.hresult()),
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [(TableEventKind::Error, sys::E_UNEXPECTED)]);
    /// # }
    /// ```
    #[inline]
    pub fn hresult(&self) -> HRESULT {
        self.raw.hResult
    }

    /// The row's index property (usually `PR_INSTANCE_KEY`): which row.
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::{Event, TableEventKind, Value};
    /// use mapi_notify_sink::simulator::{SimProp, SimValue, StoreEvent};
    ///
    /// let sent = StoreEvent::row_added(
    ///     b"row-2",
    ///     Some(b"row-1"),
    ///     vec![SimProp::new(0x0037, SimValue::String8("Quarterly figures".into()))], // PR_SUBJECT
    /// );
    /// let seen = deliver(&[sent], |events| match events.get(0) {
    ///     Some(Event::TableModified(table)) => {
    ///         let index = table.index();
    ///         (index.id(), index.value() == Value::Binary(b"row-2"))
    ///     },
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [(0x0ff6, true)]); // PR_INSTANCE_KEY, the row's key
    /// # }
    /// ```
    #[inline]
    pub fn index(&self) -> PropValue<'a> {
        // SAFETY: the `Events` invariant.
        unsafe { PropValue::new(&self.raw.propIndex) }
    }

    /// The index property of the row before it (`PR_NULL` for the first row).
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::{Event, TableEventKind, Value};
    /// use mapi_notify_sink::simulator::{SimProp, SimValue, StoreEvent};
    /// const PR_NULL: u32 = 0x0000_0001; // PROP_TAG(PT_NULL, 0)
    /// let sent = StoreEvent::row_added(b"row-1", None, Vec::new());
    /// let seen = deliver(&[sent], |events| match events.get(0) {
    ///     Some(Event::TableModified(table)) => {
    ///         let prior = table.prior();
    ///         (prior.tag() == PR_NULL, prior.value() == Value::Null)
    ///     },
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [(true, true)]); // added as the first row
    /// # }
    /// ```
    #[inline]
    pub fn prior(&self) -> PropValue<'a> {
        // SAFETY: the `Events` invariant.
        unsafe { PropValue::new(&self.raw.propPrior) }
    }

    /// The row's values (for added and modified rows; empty otherwise).
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::{Event, TableEventKind, Value};
    /// use mapi_notify_sink::simulator::{SimProp, SimValue, StoreEvent};
    ///
    /// let sent = StoreEvent::row_modified(
    ///     b"row-2",
    ///     None,
    ///     vec![
    ///         SimProp::new(0x0037, SimValue::String8("Quarterly figures".into())),
    ///         SimProp::new(0x0E08, SimValue::Long(48_213)),
    ///     ],
    /// );
    /// let seen = deliver(&[sent], |events| match events.get(0) {
    ///     Some(Event::TableModified(table)) => table.row().iter().map(|value| value.tag()).collect::<Vec<_>>(),
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [[0x0037_001E, 0x0E08_0003]]); // PR_SUBJECT, PR_MESSAGE_SIZE
    /// # }
    /// ```
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
/// # #[cfg(feature = "simulator")] {
/// # use mapi_notify_sink::simulator::__deliver as deliver;
/// use mapi_notify_sink::advise_sink::{Event, TableEventKind, Value};
/// use mapi_notify_sink::simulator::{SimProp, SimValue, StoreEvent};
/// use mapi_notify_sink::sys;
/// let sent = StoreEvent::Table {
///     table_event: sys::TABLE_RELOAD,
///     hresult: sys::S_OK,
///     index: SimProp::null(),
///     prior: SimProp::null(),
///     row: Vec::new(),
/// };
/// let seen = deliver(&[sent], |events| match events.get(0) {
///     Some(Event::TableModified(table)) => match table.kind() {
///         // Too much changed to say what: read the table again.
///         TableEventKind::Changed | TableEventKind::Reload => "reread",
///         TableEventKind::RowAdded | TableEventKind::RowModified | TableEventKind::RowDeleted => "row",
///         _ => "other",
///     },
///     other => panic!("unexpected {other:?}"),
/// });
/// assert_eq!(seen, ["reread"]);
/// # }
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
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::{Event, Value};
    /// use mapi_notify_sink::simulator::{SimProp, SimValue, StoreEvent};
    ///
    /// const PR_STATUS_CODE: u32 = 0x3E04_0003; // PROP_TAG(PT_LONG, 0x3E04)
    /// let sent = StoreEvent::status_object(b"status-1", vec![SimProp::new(0x3E04, SimValue::Long(2))]);
    /// let seen = deliver(&[sent], |events| match events.get(0) {
    ///     Some(Event::StatusObjectModified(status)) => status.props().find(PR_STATUS_CODE).map(|code| code.value() == Value::Long(2)),
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [Some(true)]);
    /// # }
    /// ```
    StatusEvent(STATUS_OBJECT_NOTIFICATION) { entry_id, props }
    raw_example: "# #[cfg(feature = \"simulator\")] {
# use mapi_notify_sink::simulator::__deliver as deliver;
use mapi_notify_sink::advise_sink::Event;
use mapi_notify_sink::simulator::StoreEvent;
use mapi_notify_sink::sys;

let seen = deliver(&[StoreEvent::status_object(b\"status-1\", Vec::new())], |events| match events.get(0) {
    Some(Event::StatusObjectModified(view)) => {
        let raw = view.raw(); // the `sys` struct, for fields without an accessor
        raw.cValues
    }
    other => panic!(\"unexpected {other:?}\"),
});
assert_eq!(seen, [0]);
# }"
}

impl<'a> StatusEvent<'a> {
    /// The status object.
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::{Event, Value};
    /// use mapi_notify_sink::simulator::{SimProp, SimValue, StoreEvent};
    ///
    /// const PR_STATUS_CODE: u32 = 0x3E04_0003; // PROP_TAG(PT_LONG, 0x3E04)
    /// let sent = StoreEvent::status_object(b"status-1", vec![SimProp::new(0x3E04, SimValue::Long(2))]);
    /// let seen = deliver(&[sent], |events| match events.get(0) {
    ///     Some(Event::StatusObjectModified(status)) => status.entry_id().map(|id| id.as_bytes().to_vec()),
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [Some(b"status-1".to_vec())]);
    /// # }
    /// ```
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
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::{Event, Value};
    /// use mapi_notify_sink::simulator::{SimProp, SimValue, StoreEvent};
    ///
    /// const PR_STATUS_CODE: u32 = 0x3E04_0003; // PROP_TAG(PT_LONG, 0x3E04)
    /// let sent = StoreEvent::status_object(b"status-1", vec![SimProp::new(0x3E04, SimValue::Long(2))]);
    /// let seen = deliver(&[sent], |events| match events.get(0) {
    ///     Some(Event::StatusObjectModified(status)) => (status.props().len(), status.props().get(0).map(|code| code.tag())),
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [(1, Some(PR_STATUS_CODE))]);
    /// # }
    /// ```
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
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::Event;
    /// use mapi_notify_sink::simulator::StoreEvent;
    ///
    /// let sent = StoreEvent::extended(0x42, &[1, 2, 3]);
    /// let seen = deliver(&[sent], |events| match events.get(0) {
    ///     Some(Event::Extended(extended)) => (extended.event(), extended.parameters().to_vec()),
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [(0x42, vec![1, 2, 3])]);
    /// # }
    /// ```
    ExtendedEvent(EXTENDED_NOTIFICATION) { event, parameters }
    raw_example: "# #[cfg(feature = \"simulator\")] {
# use mapi_notify_sink::simulator::__deliver as deliver;
use mapi_notify_sink::advise_sink::Event;
use mapi_notify_sink::simulator::StoreEvent;
use mapi_notify_sink::sys;

let seen = deliver(&[StoreEvent::extended(0x42, &[1, 2, 3])], |events| match events.get(0) {
    Some(Event::Extended(view)) => {
        let raw = view.raw(); // the `sys` struct, for fields without an accessor
        raw.cb
    }
    other => panic!(\"unexpected {other:?}\"),
});
assert_eq!(seen, [3]);
# }"
}

impl<'a> ExtendedEvent<'a> {
    /// The provider's event code.
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::Event;
    /// use mapi_notify_sink::simulator::StoreEvent;
    ///
    /// let sent = StoreEvent::extended(0x42, &[1, 2, 3]);
    /// let seen = deliver(&[sent], |events| match events.get(0) {
    ///     Some(Event::Extended(extended)) => extended.event(),
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [0x42]);
    /// # }
    /// ```
    #[inline]
    pub fn event(&self) -> u32 {
        self.raw.ulEvent
    }

    /// The provider's parameters (empty, with a warning, when the pointer is null with a count).
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// # use mapi_notify_sink::simulator::__deliver as deliver;
    /// use mapi_notify_sink::advise_sink::Event;
    /// use mapi_notify_sink::simulator::StoreEvent;
    ///
    /// let sent = StoreEvent::extended(0x42, &[1, 2, 3]);
    /// let seen = deliver(&[sent], |events| match events.get(0) {
    ///     Some(Event::Extended(extended)) => extended.parameters().to_vec(), // copied out
    ///     other => panic!("unexpected {other:?}"),
    /// });
    /// assert_eq!(seen, [vec![1, 2, 3]]);
    /// # }
    /// ```
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
