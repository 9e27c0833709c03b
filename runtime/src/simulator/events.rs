//! What a test sends through a [`SimulatedStore`](super::SimulatedStore): [`StoreEvent`]s,
//! carrying [`SimProp`]s of [`SimValue`]s, owned and plain, which the store lays out as MAPI
//! does (`layout`) only when it sends them.

use crate::sys;
use windows_core::{GUID, HRESULT};

/// A property value to send in a table row or a status object's properties.
///
/// ```
/// use mapi_notify_sink::simulator::{SimProp, SimValue, StoreEvent};
///
/// // A contents-table row: a UTF-16 subject and a message size.
/// let row = vec![
///     SimProp::new(0x0037, SimValue::Unicode("Grüße".into())), // PR_SUBJECT as PT_UNICODE
///     SimProp::new(0x0E08, SimValue::Long(48_213)),           // PR_MESSAGE_SIZE
/// ];
/// let added = StoreEvent::row_added(b"row-1", None, row);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum SimValue {
    /// `PT_NULL`.
    Null,
    /// `PT_I2`.
    I2(i16),
    /// `PT_LONG`.
    Long(i32),
    /// `PT_DOUBLE`.
    Double(f64),
    /// `PT_BOOLEAN`.
    Boolean(bool),
    /// `PT_I8`.
    I8(i64),
    /// `PT_SYSTIME`: 100-nanosecond intervals since 1601.
    SysTime(u64),
    /// `PT_STRING8` (sent as the string's UTF-8 bytes).
    String8(String),
    /// `PT_UNICODE`.
    Unicode(String),
    /// `PT_BINARY`.
    Binary(Vec<u8>),
    /// `PT_ERROR`.
    Error(HRESULT),
    /// `PT_CLSID`.
    Clsid(GUID),
}

impl SimValue {
    pub(super) fn prop_type(&self) -> u16 {
        match self {
            Self::Null => sys::PT_NULL,
            Self::I2(_) => sys::PT_I2,
            Self::Long(_) => sys::PT_LONG,
            Self::Double(_) => sys::PT_DOUBLE,
            Self::Boolean(_) => sys::PT_BOOLEAN,
            Self::I8(_) => sys::PT_I8,
            Self::SysTime(_) => sys::PT_SYSTIME,
            Self::String8(_) => sys::PT_STRING8,
            Self::Unicode(_) => sys::PT_UNICODE,
            Self::Binary(_) => sys::PT_BINARY,
            Self::Error(_) => sys::PT_ERROR,
            Self::Clsid(_) => sys::PT_CLSID,
        }
    }
}

/// A property: its identifier and value (the tag's type comes from the value).
///
/// ```
/// use mapi_notify_sink::simulator::{SimProp, SimValue};
/// use mapi_notify_sink::sys;
///
/// let subject = SimProp { id: 0x0037, value: SimValue::String8("Hello".into()) };
/// assert_eq!(subject, SimProp::new(0x0037, SimValue::String8("Hello".into())));
/// assert_eq!(subject.tag(), sys::PROP_TAG(sys::PT_STRING8, 0x0037)); // PR_SUBJECT_A
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct SimProp {
    /// The property identifier (the tag's high 16 bits): `0x0037` for `PR_SUBJECT`.
    pub id: u16,
    /// The value.
    pub value: SimValue,
}

impl SimProp {
    /// A property with identifier `id`.
    pub fn new(id: u16, value: SimValue) -> Self {
        Self { id, value }
    }

    /// The property tag: `PROP_TAG(type of the value, id)`.
    pub fn tag(&self) -> u32 {
        sys::PROP_TAG(self.value.prop_type(), self.id)
    }

    /// `PR_NULL`: what `propPrior` is for the first row.
    pub fn null() -> Self {
        Self::new(0, SimValue::Null)
    }

    /// `PR_INSTANCE_KEY` with these bytes: what identifies a table row.
    pub fn instance_key(key: &[u8]) -> Self {
        Self::new(0x0ff6, SimValue::Binary(key.to_vec()))
    }
}

/// Which object event a [`StoreEvent::Object`] is: the six `fnev*` types MAPI sends with an
/// `OBJECT_NOTIFICATION`. Only these can be sent with one: a sink reads the notification's
/// union by its `ulEventType`, so an object laid out under another type (new mail, say) would
/// be read as that type's member, past the end of what was sent.
///
/// ```
/// use mapi_notify_sink::simulator::ObjectEventKind;
/// use mapi_notify_sink::sys;
///
/// assert_eq!(ObjectEventKind::Moved.event_type(), sys::fnevObjectMoved);
/// assert_eq!(ObjectEventKind::from_event_type(sys::fnevObjectMoved), Some(ObjectEventKind::Moved));
/// assert_eq!(ObjectEventKind::from_event_type(sys::fnevNewMail), None); // not an object event
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ObjectEventKind {
    /// `fnevObjectCreated`.
    Created,
    /// `fnevObjectDeleted`.
    Deleted,
    /// `fnevObjectModified`.
    Modified,
    /// `fnevObjectMoved`.
    Moved,
    /// `fnevObjectCopied`.
    Copied,
    /// `fnevSearchComplete`.
    SearchComplete,
}

impl ObjectEventKind {
    /// Every kind, in the order of their `fnev*` bits.
    pub const ALL: [Self; 6] = [
        Self::Created,
        Self::Deleted,
        Self::Modified,
        Self::Moved,
        Self::Copied,
        Self::SearchComplete,
    ];

    /// The `fnev*` type the event is sent as.
    pub const fn event_type(self) -> u32 {
        match self {
            Self::Created => sys::fnevObjectCreated,
            Self::Deleted => sys::fnevObjectDeleted,
            Self::Modified => sys::fnevObjectModified,
            Self::Moved => sys::fnevObjectMoved,
            Self::Copied => sys::fnevObjectCopied,
            Self::SearchComplete => sys::fnevSearchComplete,
        }
    }

    /// The kind whose `fnev*` type is `event_type`; `None` for any other value (not an object
    /// event, or several bits).
    pub fn from_event_type(event_type: u32) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.event_type() == event_type)
    }
}

/// One event for [`SimulatedStore::notify`](super::SimulatedStore::notify). The fields are
/// public, so a test can send any combination the notification's layout allows (each variant
/// is laid out as its own `fnev*` type's member, so no combination is read past its end); the
/// constructors make the usual ones.
///
/// ```
/// use mapi_notify_sink::simulator::{ObjectEventKind, SimulatedStore, StoreEvent};
/// use mapi_notify_sink::sys;
///
/// // What a constructor does not cover, the fields do: a folder moved, with its old place.
/// let moved = StoreEvent::Object {
///     event_type: ObjectEventKind::Moved,
///     object_type: sys::MAPI_FOLDER,
///     entry_id: b"projects".to_vec(),
///     parent_id: b"archive".to_vec(),
///     old_id: b"projects".to_vec(),
///     old_parent_id: b"inbox".to_vec(),
///     prop_tags: None,
/// };
/// let store = SimulatedStore::new();
/// assert_eq!(store.notify(&[moved]), 0); // no sink advised: no call
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum StoreEvent {
    /// `fnevNewMail`.
    NewMail {
        /// The message.
        entry_id: Vec<u8>,
        /// Its folder.
        parent_id: Vec<u8>,
        /// The message class.
        message_class: String,
        /// `PR_MESSAGE_FLAGS`.
        message_flags: u32,
        /// Send the class as UTF-16 with `MAPI_UNICODE` (else as 8-bit text).
        unicode: bool,
    },
    /// `fnevObjectCreated`, `...Deleted`, `...Modified`, `...Moved`, `...Copied` or
    /// `fnevSearchComplete`: an `OBJECT_NOTIFICATION`.
    Object {
        /// Which of the six.
        event_type: ObjectEventKind,
        /// `sys::MAPI_MESSAGE`, `sys::MAPI_FOLDER`, ...
        object_type: u32,
        /// The object.
        entry_id: Vec<u8>,
        /// Its parent.
        parent_id: Vec<u8>,
        /// Moves and copies: its previous entry ID.
        old_id: Vec<u8>,
        /// Moves and copies: its previous parent.
        old_parent_id: Vec<u8>,
        /// The properties that changed, if listed.
        prop_tags: Option<Vec<u32>>,
    },
    /// `fnevTableModified`.
    Table {
        /// `sys::TABLE_ROW_ADDED`, ...
        table_event: u32,
        /// For `TABLE_ERROR`.
        hresult: HRESULT,
        /// The row's index property.
        index: SimProp,
        /// The index property of the row before it.
        prior: SimProp,
        /// The row's values.
        row: Vec<SimProp>,
    },
    /// `fnevCriticalError`.
    CriticalError {
        /// The object it is about, if any.
        entry_id: Vec<u8>,
        /// The error.
        scode: HRESULT,
        /// The `MAPIERROR`'s text and component, if one is sent.
        error: Option<(String, String)>,
        /// Send the strings as UTF-16 with `MAPI_UNICODE`.
        unicode: bool,
    },
    /// `fnevExtended`.
    Extended {
        /// The provider's event code.
        event: u32,
        /// Its parameters.
        parameters: Vec<u8>,
    },
    /// `fnevStatusObjectModified`.
    StatusObject {
        /// The status object.
        entry_id: Vec<u8>,
        /// The properties that changed.
        props: Vec<SimProp>,
    },
}

impl StoreEvent {
    /// New mail (8-bit class, no message flags).
    pub fn new_mail(entry_id: &[u8], parent_id: &[u8], message_class: &str) -> Self {
        Self::NewMail {
            entry_id: entry_id.to_vec(),
            parent_id: parent_id.to_vec(),
            message_class: message_class.into(),
            message_flags: 0,
            unicode: false,
        }
    }

    /// An object event (`ObjectEventKind::Created`, ...) on a message in a folder.
    pub fn object(event_type: ObjectEventKind, entry_id: &[u8], parent_id: &[u8]) -> Self {
        Self::Object {
            event_type,
            object_type: sys::MAPI_MESSAGE,
            entry_id: entry_id.to_vec(),
            parent_id: parent_id.to_vec(),
            old_id: Vec::new(),
            old_parent_id: Vec::new(),
            prop_tags: None,
        }
    }

    /// `TABLE_ROW_ADDED`: the row `key`, after the row `prior_key` (`None`: first).
    pub fn row_added(key: &[u8], prior_key: Option<&[u8]>, row: Vec<SimProp>) -> Self {
        Self::table(sys::TABLE_ROW_ADDED, key, prior_key, row)
    }

    /// `TABLE_ROW_MODIFIED`: the row `key`'s new values.
    pub fn row_modified(key: &[u8], prior_key: Option<&[u8]>, row: Vec<SimProp>) -> Self {
        Self::table(sys::TABLE_ROW_MODIFIED, key, prior_key, row)
    }

    /// `TABLE_ROW_DELETED`: the row `key` (no values).
    pub fn row_deleted(key: &[u8]) -> Self {
        Self::table(sys::TABLE_ROW_DELETED, key, None, Vec::new())
    }

    fn table(table_event: u32, key: &[u8], prior_key: Option<&[u8]>, row: Vec<SimProp>) -> Self {
        Self::Table {
            table_event,
            hresult: sys::S_OK,
            index: SimProp::instance_key(key),
            prior: prior_key.map_or_else(SimProp::null, SimProp::instance_key),
            row,
        }
    }

    /// A critical error with a `MAPIERROR` (8-bit strings).
    pub fn critical_error(scode: HRESULT, text: &str, component: &str) -> Self {
        Self::CriticalError {
            entry_id: Vec::new(),
            scode,
            error: Some((text.into(), component.into())),
            unicode: false,
        }
    }

    /// A provider's own event.
    pub fn extended(event: u32, parameters: &[u8]) -> Self {
        Self::Extended {
            event,
            parameters: parameters.to_vec(),
        }
    }

    /// A status object's changed properties.
    pub fn status_object(entry_id: &[u8], props: Vec<SimProp>) -> Self {
        Self::StatusObject {
            entry_id: entry_id.to_vec(),
            props,
        }
    }

    /// The `fnev*` type this event is sent as.
    pub fn event_type(&self) -> u32 {
        match self {
            Self::NewMail { .. } => sys::fnevNewMail,
            Self::Object { event_type, .. } => event_type.event_type(),
            Self::Table { .. } => sys::fnevTableModified,
            Self::CriticalError { .. } => sys::fnevCriticalError,
            Self::Extended { .. } => sys::fnevExtended,
            Self::StatusObject { .. } => sys::fnevStatusObjectModified,
        }
    }

    /// The entry IDs of the object it is about and of its parent, where it has them.
    pub(super) fn about(&self) -> [&[u8]; 2] {
        match self {
            Self::NewMail {
                entry_id,
                parent_id,
                ..
            }
            | Self::Object {
                entry_id,
                parent_id,
                ..
            } => [entry_id, parent_id],
            Self::CriticalError { entry_id, .. } | Self::StatusObject { entry_id, .. } => {
                [entry_id, &[]]
            }
            Self::Table { .. } | Self::Extended { .. } => [&[], &[]],
        }
    }
}
