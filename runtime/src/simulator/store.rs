//! [`SimulatedStore`]: an in-process `IMsgStore` whose `Advise` / `Unadvise` work as MAPI's do,
//! and which sends the events a test asks for, from its own thread, in notification arrays laid
//! out as MAPI lays them out.
//!
//! What it does, as MAPI does it:
//! - `Advise` (slot 14) takes the sink's `IMAPIAdviseSink*`, an event mask and optionally an
//!   entry ID, and returns a connection number: pointer-sized, never 0, never one in use. The
//!   store holds one reference to the sink per connection, from `Advise` until `Unadvise`
//!   (slot 15), or until the store's last reference goes.
//! - Each event goes to the connections whose `ulEventMask` has its type and, for a connection
//!   made with an entry ID, only when the event is about that object: its entry ID or its
//!   parent's is that ID (so a folder's connection sees what happens to the folder and in it).
//!   Events that name no object (table, extended, an error without an entry ID) go only to
//!   connections on the whole store.
//! - One [`SimulatedStore::notify`] makes at most one `OnNotify` call per connection, with the
//!   events for it in order, in one buffer: the `NOTIFICATION` array first, then the entry
//!   IDs, strings, property arrays and error details it points to. The buffer is freed when
//!   `OnNotify` returns, as MAPI frees its own.
//! - Calls come from the store's thread, never from the caller's; `notify` returns when they
//!   are done.
//! - Every other `IMAPIProp` and `IMsgStore` method (slots 3–13 and 16–26) returns
//!   `MAPI_E_NO_SUPPORT`, with its real parameter list (a `stdcall` callee pops its arguments).
//!
//! Choices where MAPI's documentation is silent or leaves it to the store:
//! - `Advise` refuses (`E_INVALIDARG`, logged) a null sink, a null `lpulConnection`, an event
//!   mask of 0, and a non-zero `cbEntryID` with a null `lpEntryID`; a `cbEntryID` of 0 advises
//!   on the whole store. It `QueryInterface`s the sink for `IID_IMAPIAdviseSink`
//!   (`E_NOINTERFACE` otherwise): the reference it keeps is that one.
//! - `Unadvise` of a number not in use is `MAPI_E_NOT_FOUND`.
//! - An entry ID given as empty in a [`StoreEvent`] is sent as a count of 0 and a null pointer.
//!
//! # Invariants (the unsafe parts)
//! - The store is a `server::Server<Store>` (see its invariants), made only by
//!   [`SimulatedStore::new`].
//! - A notification buffer is written completely before it is sent: every pointer in it points
//!   into the same buffer, which outlives the `OnNotify` call it is sent with.
//! - No lock is held while a sink is called or released.

use super::server::{self, Server, ServerState};
use super::worker::Worker;
use crate::sys::{self, IMAPIAdviseSink, IMAPIProp_Vtbl, IMsgStore_Vtbl, NOTIFICATION};
use core::ffi::c_void;
use core::mem::{align_of, size_of_val};
use core::ptr;
use std::sync::{Mutex, MutexGuard, PoisonError};
use windows_core::{IUnknown, Interface, GUID, HRESULT};

/// `MAPI_E_NOT_FOUND`.
const NOT_FOUND: HRESULT = sys::MAPI_E_NOT_FOUND;

/// A simulated message store for tests and demos: sinks advise on it through its raw
/// `IMsgStore*`, as on a real store, and [`notify`](SimulatedStore::notify) sends them events.
///
/// ```
/// use mapi_notify_sink::advise_sink::{AdviseSink, Event, Events};
/// use mapi_notify_sink::simulator::{SimulatedStore, StoreEvent};
/// use mapi_notify_sink::{mapi_advise_sink, sys};
/// use std::sync::Mutex;
///
/// struct Log(Mutex<Vec<String>>);
///
/// #[mapi_advise_sink]
/// impl Log {
///     fn on_notify(&self, events: &Events<'_>) {
///         for event in events {
///             if let Event::NewMail(mail) = event {
///                 let class = mail.message_class().map(|class| class.to_string());
///                 self.0.lock().unwrap().push(class.unwrap_or_default());
///             }
///         }
///     }
/// }
///
/// let store = SimulatedStore::new();
/// let sink = AdviseSink::new(Log(Mutex::default()));
/// let mut connection = 0;
/// // SAFETY: a live sink; a whole-store connection (no entry ID); `connection` is writable.
/// let hr = unsafe {
///     store.to_interface().Advise(0, std::ptr::null_mut(), sys::fnevNewMail, sink.as_raw(), &mut connection)
/// };
/// assert!(hr.is_ok() && connection != 0);
/// store.notify(&[StoreEvent::new_mail(b"message", b"inbox", "IPM.Note")]);
/// assert_eq!(*sink.0.lock().unwrap(), ["IPM.Note"]);
/// // SAFETY: a connection this store gave.
/// assert!(unsafe { store.to_interface().Unadvise(connection) }.is_ok());
/// ```
pub struct SimulatedStore {
    store: sys::IMsgStore,
}

// SAFETY: the simulated store is free-threaded: its state is behind a mutex, its count is
// atomic, and it calls sinks only from its own thread.
unsafe impl Send for SimulatedStore {}
// SAFETY: as above.
unsafe impl Sync for SimulatedStore {}

impl SimulatedStore {
    /// A store with no connections.
    pub fn new() -> Self {
        let state = Store {
            connections: Mutex::new(Connections {
                list: Vec::new(),
                next: 1,
            }),
            worker: Worker::spawn("simulated-store"),
        };
        // SAFETY: `VTABLE` begins with `unknown_slots::<Store>()` and its slots expect a
        // `Server<Store>`; the new object's one reference goes to `store`.
        let store = unsafe { sys::IMsgStore::from_raw(Server::create(Store::VTABLE, state)) };
        Self { store }
    }

    /// The store's `IMsgStore*` (also its `IUnknown*`), borrowed: valid while this
    /// `SimulatedStore` lives.
    pub fn as_raw(&self) -> *mut c_void {
        self.store.as_raw()
    }

    /// A new reference to the store as a windows-core `IMsgStore`.
    pub fn to_interface(&self) -> sys::IMsgStore {
        self.store.clone()
    }

    /// How many connections are advised.
    pub fn advised(&self) -> usize {
        self.state().lock().list.len()
    }

    /// Sends `events`, in order, to every connection they match (see the module
    /// documentation), one `OnNotify` call per connection, from the store's thread; returns how
    /// many calls were made, when they are done.
    ///
    /// # Panics
    /// When called from inside a notification (it would wait for itself).
    pub fn notify(&self, events: &[StoreEvent]) -> usize {
        let store = self.state();
        let deliveries: Vec<Delivery> = store
            .lock()
            .list
            .iter()
            .filter_map(|connection| {
                let matching: Vec<&StoreEvent> = events
                    .iter()
                    .filter(|event| connection.wants(event))
                    .collect();
                (!matching.is_empty()).then(|| Delivery {
                    sink: connection.sink.clone(),
                    buffer: NotificationBuffer::new(&matching),
                })
            })
            .collect();
        let calls = deliveries.len();
        store.worker.run_and_wait(move || {
            for delivery in deliveries {
                delivery.send();
            }
        });
        calls
    }

    fn state(&self) -> &Store {
        // SAFETY: `self.store` holds a reference to the `Server<Store>` `new` made.
        unsafe { Server::<Store>::state(self.store.as_raw()) }
    }
}

impl Default for SimulatedStore {
    fn default() -> Self {
        Self::new()
    }
}

impl core::fmt::Debug for SimulatedStore {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SimulatedStore")
            .field("advised", &self.advised())
            .finish()
    }
}

// ---------------------------------------------------------------------------------------------
// What a test sends
// ---------------------------------------------------------------------------------------------

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
    fn prop_type(&self) -> u16 {
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

/// One event for [`SimulatedStore::notify`]. The fields are public, so a test can send any
/// combination; the constructors make the usual ones.
///
/// ```
/// use mapi_notify_sink::simulator::{SimulatedStore, StoreEvent};
/// use mapi_notify_sink::sys;
///
/// // What a constructor does not cover, the fields do: a folder moved, with its old place.
/// let moved = StoreEvent::Object {
///     event_type: sys::fnevObjectMoved,
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
    /// `fnevSearchComplete`.
    Object {
        /// The `fnev*` type.
        event_type: u32,
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

    /// An object event of `event_type` (`sys::fnevObjectCreated`, ...) on a message in a folder.
    pub fn object(event_type: u32, entry_id: &[u8], parent_id: &[u8]) -> Self {
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
            Self::Object { event_type, .. } => *event_type,
            Self::Table { .. } => sys::fnevTableModified,
            Self::CriticalError { .. } => sys::fnevCriticalError,
            Self::Extended { .. } => sys::fnevExtended,
            Self::StatusObject { .. } => sys::fnevStatusObjectModified,
        }
    }

    /// The entry IDs of the object it is about and of its parent, where it has them.
    fn about(&self) -> [&[u8]; 2] {
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

// ---------------------------------------------------------------------------------------------
// The notification buffer
// ---------------------------------------------------------------------------------------------

/// One allocation, as MAPI makes it: the `NOTIFICATION` array, then what it points to.
struct NotificationBuffer {
    /// `u64`s, so the array (8-aligned on every target) starts aligned.
    words: Vec<u64>,
    count: u32,
}

impl NotificationBuffer {
    fn new(events: &[&StoreEvent]) -> Self {
        // Once to measure, once to write: the same code, so the sizes cannot disagree.
        let mut measure = Placer::measuring();
        lay_out(events, &mut measure);
        let mut words = vec![0_u64; measure.used.div_ceil(8)];
        let mut write = Placer::writing(&mut words);
        lay_out(events, &mut write);
        assert_eq!(write.used, measure.used);
        Self {
            words,
            count: events.len() as u32,
        }
    }
}

/// Places data in the buffer one piece after the other, each aligned for its type; when only
/// measuring, writes nothing and hands out null pointers.
struct Placer {
    base: *mut u8,
    capacity: usize,
    used: usize,
}

impl Placer {
    fn measuring() -> Self {
        Self {
            base: ptr::null_mut(),
            capacity: 0,
            used: 0,
        }
    }

    fn writing(words: &mut [u64]) -> Self {
        Self {
            base: words.as_mut_ptr().cast(),
            capacity: size_of_val(words),
            used: 0,
        }
    }

    /// Copies `items` in, aligned for `T`; returns where (null when measuring, or for none).
    fn put<T: Copy>(&mut self, items: &[T]) -> *mut T {
        let at = self.used.next_multiple_of(align_of::<T>());
        self.used = at + size_of_val(items);
        if self.base.is_null() || items.is_empty() {
            return ptr::null_mut();
        }
        assert!(
            self.used <= self.capacity,
            "measured and written sizes differ"
        );
        // SAFETY: `at..used` lies within the buffer (asserted); the base is 8-aligned, so
        // `base + at` is aligned for `T`; `items` is a distinct allocation.
        unsafe {
            let to = self.base.add(at).cast::<T>();
            ptr::copy_nonoverlapping(items.as_ptr(), to, items.len());
            to
        }
    }

    fn entry_id(&mut self, bytes: &[u8]) -> (u32, *mut sys::ENTRYID) {
        (bytes.len() as u32, self.put(bytes).cast())
    }

    /// `text` and a NUL, as 8-bit (UTF-8 bytes) or UTF-16.
    fn text(&mut self, text: &str, unicode: bool) -> *mut c_void {
        if unicode {
            let units: Vec<u16> = text.encode_utf16().chain([0]).collect();
            self.put(&units).cast()
        } else {
            let bytes: Vec<u8> = text.bytes().chain([0]).collect();
            self.put(&bytes).cast()
        }
    }

    fn prop(&mut self, prop: &SimProp) -> sys::SPropValue {
        // SAFETY: integers, floats and raw pointers: all-zero is valid for every member, and
        // every byte of the value is initialised.
        let mut raw: sys::SPropValue = unsafe { core::mem::zeroed() };
        raw.ulPropTag = prop.tag();
        match &prop.value {
            SimValue::Null => {}
            SimValue::I2(v) => raw.Value.i = *v,
            SimValue::Long(v) => raw.Value.l = *v,
            SimValue::Double(v) => raw.Value.dbl = *v,
            SimValue::Boolean(v) => raw.Value.b = u16::from(*v),
            SimValue::I8(v) => raw.Value.li = *v,
            SimValue::SysTime(v) => {
                raw.Value.ft = sys::FILETIME {
                    dwLowDateTime: *v as u32,
                    dwHighDateTime: (*v >> 32) as u32,
                }
            }
            SimValue::String8(text) => raw.Value.lpszA = self.text(text, false).cast(),
            SimValue::Unicode(text) => raw.Value.lpszW = self.text(text, true).cast(),
            SimValue::Binary(bytes) => {
                raw.Value.bin = sys::SBinary {
                    cb: bytes.len() as u32,
                    lpb: self.put(bytes),
                }
            }
            SimValue::Error(code) => raw.Value.err = code.0,
            SimValue::Clsid(guid) => raw.Value.lpguid = self.put(&[*guid]),
        }
        raw
    }

    fn props(&mut self, props: &[SimProp]) -> (u32, *mut sys::SPropValue) {
        let raw: Vec<sys::SPropValue> = props.iter().map(|prop| self.prop(prop)).collect();
        (raw.len() as u32, self.put(&raw))
    }
}

/// Writes `events` as MAPI lays them out: the array, then each event's data in turn.
// Locals are named as the header's fields they fill.
#[allow(non_snake_case)]
fn lay_out(events: &[&StoreEvent], placer: &mut Placer) {
    // SAFETY: integers and raw pointers: all-zero is valid for every member.
    let blank: NOTIFICATION = unsafe { core::mem::zeroed() };
    let array = placer.put(&vec![blank; events.len()]);
    for (index, event) in events.iter().enumerate() {
        let mut notification = blank;
        notification.ulEventType = event.event_type();
        let info = &mut notification.info;
        match event {
            StoreEvent::NewMail {
                entry_id,
                parent_id,
                message_class,
                message_flags,
                unicode,
            } => {
                let (cbEntryID, lpEntryID) = placer.entry_id(entry_id);
                let (cbParentID, lpParentID) = placer.entry_id(parent_id);
                info.newmail = sys::NEWMAIL_NOTIFICATION {
                    cbEntryID,
                    lpEntryID,
                    cbParentID,
                    lpParentID,
                    ulFlags: if *unicode { sys::MAPI_UNICODE } else { 0 },
                    lpszMessageClass: placer.text(message_class, *unicode),
                    ulMessageFlags: *message_flags,
                };
            }
            StoreEvent::Object {
                object_type,
                entry_id,
                parent_id,
                old_id,
                old_parent_id,
                prop_tags,
                ..
            } => {
                let (cbEntryID, lpEntryID) = placer.entry_id(entry_id);
                let (cbParentID, lpParentID) = placer.entry_id(parent_id);
                let (cbOldID, lpOldID) = placer.entry_id(old_id);
                let (cbOldParentID, lpOldParentID) = placer.entry_id(old_parent_id);
                let lpPropTagArray = prop_tags.as_ref().map_or(ptr::null_mut(), |tags| {
                    let words: Vec<u32> = [tags.len() as u32]
                        .into_iter()
                        .chain(tags.iter().copied())
                        .collect();
                    placer.put(&words).cast()
                });
                info.obj = sys::OBJECT_NOTIFICATION {
                    cbEntryID,
                    lpEntryID,
                    ulObjType: *object_type,
                    cbParentID,
                    lpParentID,
                    cbOldID,
                    lpOldID,
                    cbOldParentID,
                    lpOldParentID,
                    lpPropTagArray,
                };
            }
            StoreEvent::Table {
                table_event,
                hresult,
                index,
                prior,
                row,
            } => {
                let propIndex = placer.prop(index);
                let propPrior = placer.prop(prior);
                let (cValues, lpProps) = placer.props(row);
                info.tab = sys::TABLE_NOTIFICATION {
                    ulTableEvent: *table_event,
                    hResult: *hresult,
                    propIndex,
                    propPrior,
                    row: sys::SRow {
                        ulAdrEntryPad: 0,
                        cValues,
                        lpProps,
                    },
                    ulPad: 0,
                };
            }
            StoreEvent::CriticalError {
                entry_id,
                scode,
                error,
                unicode,
            } => {
                let (cbEntryID, lpEntryID) = placer.entry_id(entry_id);
                let lpMAPIError = error.as_ref().map_or(ptr::null_mut(), |(text, component)| {
                    let error = sys::MAPIERROR {
                        ulVersion: 0,
                        lpszError: placer.text(text, *unicode),
                        lpszComponent: placer.text(component, *unicode),
                        ulLowLevelError: 0,
                        ulContext: 0,
                    };
                    placer.put(&[error])
                });
                info.err = sys::ERROR_NOTIFICATION {
                    cbEntryID,
                    lpEntryID,
                    scode: scode.0,
                    ulFlags: if *unicode { sys::MAPI_UNICODE } else { 0 },
                    lpMAPIError,
                };
            }
            StoreEvent::Extended { event, parameters } => {
                info.ext = sys::EXTENDED_NOTIFICATION {
                    ulEvent: *event,
                    cb: parameters.len() as u32,
                    pbEventParameters: placer.put(parameters),
                };
            }
            StoreEvent::StatusObject { entry_id, props } => {
                let (cbEntryID, lpEntryID) = placer.entry_id(entry_id);
                let (cValues, lpPropVals) = placer.props(props);
                info.statobj = sys::STATUS_OBJECT_NOTIFICATION {
                    cbEntryID,
                    lpEntryID,
                    cValues,
                    lpPropVals,
                };
            }
        }
        if !array.is_null() {
            // SAFETY: `array` holds `events.len()` notifications, placed first.
            unsafe { array.add(index).write(notification) };
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The COM object
// ---------------------------------------------------------------------------------------------

/// The simulated store's state, in a `Server<Store>`.
struct Store {
    connections: Mutex<Connections>,
    worker: Worker,
}

struct Connections {
    list: Vec<Connection>,
    next: usize,
}

struct Connection {
    number: usize,
    /// `None`: the whole store.
    entry_id: Option<Vec<u8>>,
    mask: u32,
    sink: Sink,
}

impl Connection {
    fn wants(&self, event: &StoreEvent) -> bool {
        event.event_type() & self.mask != 0
            && self.entry_id.as_deref().is_none_or(|id| {
                event
                    .about()
                    .iter()
                    .any(|about| !about.is_empty() && *about == id)
            })
    }
}

/// A reference to an advised sink. MAPI calls sinks from any thread, so the reference may
/// move to the delivery thread.
#[derive(Clone)]
struct Sink(IMAPIAdviseSink);

// SAFETY: see above: advise sinks are called from any thread.
unsafe impl Send for Sink {}

/// One `OnNotify` call for the delivery thread.
struct Delivery {
    sink: Sink,
    buffer: NotificationBuffer,
}

impl Delivery {
    fn send(mut self) {
        let notifications = self.buffer.words.as_mut_ptr().cast::<NOTIFICATION>();
        // SAFETY: a complete buffer (module invariants) that outlives the call, to a sink we
        // hold a reference to.
        unsafe { self.sink.0.OnNotify(self.buffer.count, notifications) };
    }
}

impl ServerState for Store {
    const IIDS: &'static [GUID] = &[sys::IID_IMsgStore, sys::IID_IMAPIProp];
    const NAME: &'static str = "SimulatedStore";
}

impl Store {
    fn lock(&self) -> MutexGuard<'_, Connections> {
        // Nothing that runs under the lock can panic midway through an update.
        self.connections
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    const VTABLE: &'static IMsgStore_Vtbl = &IMsgStore_Vtbl {
        base__: IMAPIProp_Vtbl {
            base__: server::unknown_slots::<Store>(),
            GetLastError: no_support::get_last_error,
            SaveChanges: no_support::save_changes,
            GetProps: no_support::get_props,
            GetPropList: no_support::get_prop_list,
            OpenProperty: no_support::open_property,
            SetProps: no_support::set_props,
            DeleteProps: no_support::delete_props,
            CopyTo: no_support::copy_to,
            CopyProps: no_support::copy_props,
            GetNamesFromIDs: no_support::get_names_from_ids,
            GetIDsFromNames: no_support::get_ids_from_names,
        },
        Advise: advise,
        Unadvise: unadvise,
        CompareEntryIDs: no_support::compare_entry_ids,
        OpenEntry: no_support::open_entry,
        SetReceiveFolder: no_support::set_receive_folder,
        GetReceiveFolder: no_support::get_receive_folder,
        GetReceiveFolderTable: no_support::get_receive_folder_table,
        StoreLogoff: no_support::store_logoff,
        AbortSubmit: no_support::abort_submit,
        GetOutgoingQueue: no_support::get_outgoing_queue,
        SetLockState: no_support::set_lock_state,
        FinishedMsg: no_support::finished_msg,
        NotifyNewMail: no_support::notify_new_mail,
    };
}

impl Drop for Store {
    /// The last reference went: stop delivering, then release every sink still advised,
    /// outside the lock.
    fn drop(&mut self) {
        self.worker.stop();
        let connections = std::mem::take(&mut self.lock().list);
        drop(connections);
    }
}

fn invalid(what: core::fmt::Arguments<'_>) -> HRESULT {
    server::invalid("SimulatedStore", what)
}

/// Slot 14.
unsafe extern "system" fn advise(
    this: *mut c_void,
    cb_entry_id: u32,
    entry_id: *mut sys::ENTRYID,
    event_mask: u32,
    sink: *mut c_void,
    connection: *mut usize,
) -> HRESULT {
    if sink.is_null() {
        return invalid(format_args!("Advise: null lpAdviseSink"));
    }
    if connection.is_null() {
        return invalid(format_args!("Advise: null lpulConnection"));
    }
    if event_mask == 0 {
        return invalid(format_args!("Advise: ulEventMask is 0"));
    }
    if cb_entry_id != 0 && entry_id.is_null() {
        return invalid(format_args!(
            "Advise: lpEntryID is null with cbEntryID {cb_entry_id}"
        ));
    }
    let entry_id = (cb_entry_id != 0).then(|| {
        // SAFETY: non-null, and the caller promises `cb_entry_id` readable bytes.
        unsafe { core::slice::from_raw_parts(entry_id.cast::<u8>(), cb_entry_id as usize) }.to_vec()
    });
    // SAFETY: a non-null IUnknown* the caller lends us for the call.
    let sink = match unsafe { IUnknown::from_raw_borrowed(&sink) }.map(|unknown| unknown.cast()) {
        Some(Ok(sink)) => Sink(sink),
        Some(Err(error)) => {
            log::warn!(
                "SimulatedStore: Advise: the sink does not implement IMAPIAdviseSink ({error})"
            );
            return sys::E_NOINTERFACE;
        }
        None => unreachable!("checked for null above"),
    };
    // SAFETY: the caller holds a reference.
    let mut connections = unsafe { Server::<Store>::state(this) }.lock();
    let mut number = connections.next;
    while connections.list.iter().any(|c| c.number == number) {
        number = number.wrapping_add(1).max(1);
    }
    connections.next = number.wrapping_add(1).max(1);
    connections.list.push(Connection {
        number,
        entry_id,
        mask: event_mask,
        sink,
    });
    drop(connections);
    // SAFETY: non-null, writable (COM contract).
    unsafe { connection.write(number) };
    sys::S_OK
}

/// Slot 15.
unsafe extern "system" fn unadvise(this: *mut c_void, number: usize) -> HRESULT {
    // SAFETY: the caller holds a reference.
    let mut connections = unsafe { Server::<Store>::state(this) }.lock();
    let Some(index) = connections.list.iter().position(|c| c.number == number) else {
        drop(connections);
        log::warn!("SimulatedStore: Unadvise: no connection {number}; returning MAPI_E_NOT_FOUND");
        return NOT_FOUND;
    };
    let connection = connections.list.remove(index);
    drop(connections);
    drop(connection); // releases the sink, outside the lock
    sys::S_OK
}

/// The slots the simulator does not implement, each with its real parameter list.
mod no_support {
    use crate::sys::{self, SPropTagArray, SPropValue, ENTRYID, MAPIERROR, NOTIFICATION};
    use core::ffi::c_void;
    use windows_core::{GUID, HRESULT};

    macro_rules! no_support {
        ($($name:ident($($arg:ty),*);)*) => {$(
            pub(super) unsafe extern "system" fn $name(_this: *mut c_void, $(_: $arg),*) -> HRESULT {
                sys::MAPI_E_NO_SUPPORT
            }
        )*};
    }

    no_support! {
        get_last_error(HRESULT, u32, *mut *mut MAPIERROR);
        save_changes(u32);
        get_props(*mut SPropTagArray, u32, *mut u32, *mut *mut SPropValue);
        get_prop_list(u32, *mut *mut SPropTagArray);
        open_property(u32, *const GUID, u32, u32, *mut *mut c_void);
        set_props(u32, *mut SPropValue, *mut *mut c_void);
        delete_props(*mut SPropTagArray, *mut *mut c_void);
        copy_to(u32, *const GUID, *mut SPropTagArray, usize, *mut c_void, *const GUID, *mut c_void, u32, *mut *mut c_void);
        copy_props(*mut SPropTagArray, usize, *mut c_void, *const GUID, *mut c_void, u32, *mut *mut c_void);
        get_names_from_ids(*mut *mut SPropTagArray, *mut GUID, u32, *mut u32, *mut *mut *mut c_void);
        get_ids_from_names(u32, *mut *mut c_void, u32, *mut *mut SPropTagArray);
        compare_entry_ids(u32, *mut ENTRYID, u32, *mut ENTRYID, u32, *mut u32);
        open_entry(u32, *mut ENTRYID, *const GUID, u32, *mut u32, *mut *mut c_void);
        set_receive_folder(*mut c_void, u32, u32, *mut ENTRYID);
        get_receive_folder(*mut c_void, u32, *mut u32, *mut *mut ENTRYID, *mut *mut c_void);
        get_receive_folder_table(u32, *mut *mut c_void);
        store_logoff(*mut u32);
        abort_submit(u32, *mut ENTRYID, u32);
        get_outgoing_queue(u32, *mut *mut c_void);
        set_lock_state(*mut c_void, u32);
        finished_msg(u32, u32, *mut ENTRYID);
        notify_new_mail(*mut NOTIFICATION);
    }
}
