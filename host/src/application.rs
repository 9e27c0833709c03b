//! A stand-in for Outlook's `Application` object, the `IDispatch` Outlook passes to an add-in's
//! `OnConnection`, and the part of its object model an add-in reaches for first (SPEC 13):
//! `Application.Session` (the `Namespace`) with `CurrentProfileName`, `Stores` (`Count`,
//! `Item(index or name)`), `DefaultStore`, `GetDefaultFolder(olFolderInbox = 6)` and
//! `GetItemFromID(EntryIDItem[, EntryIDStore])`; each `Store` with `DisplayName`, `StoreID`,
//! `GetDefaultFolder(6)` and `MAPIOBJECT`, its `IMsgStore` (a
//! [`SimulatedStore`](mapi_notify_sink::simulator::SimulatedStore)); the Inbox with `Name`,
//! `EntryID` and `Items` (`Count`, `Item(n)`); mail items with `Subject`, `SenderName`,
//! `EntryID` and `ReceivedTime`. [`Application::deliver_mail`] makes mail arrive, with the
//! store's `fnevNewMail`. For tests of the library's object-model and store clients, and for the
//! simulated host.
//!
//! ```
//! use outlook_sim::application::{Application, Fault};
//!
//! let application = Application::new("Büro – Outlook");
//! let name = mapi_notify_sink::profile_name(&application.to_unknown()).unwrap();
//! assert_eq!(name, "Büro – Outlook");
//! assert_eq!(application.sessions_alive(), 0); // every Session handed out was released
//! assert_eq!(application.ref_count(), 1); // only `application`'s own reference is left
//!
//! let broken = Application::builder().fault(Fault::SessionUnknownName).build();
//! assert!(mapi_notify_sink::profile_name(&broken.to_unknown()).is_err());
//! ```
//!
//! What it does as Outlook does:
//! - Every object answers `IDispatch`. `GetIDsOfNames` knows its object's members,
//!   case-insensitively as Office does; any other name is `DISP_E_UNKNOWNNAME` (its DISPID set
//!   to `DISPID_UNKNOWN`, -1). Some DISPIDs are Outlook's (`Count`, `Item`, `Subject`,
//!   `EntryID`, `MAPIOBJECT`), the others this stand-in's own: a caller must look them up.
//! - `Invoke` of an unknown DISPID, of a property without `DISPATCH_PROPERTYGET`, or of a
//!   method without `DISPATCH_METHOD` (Visual Basic sends both flags for `x.Item(1)` and for
//!   `x.Name`), is `DISP_E_MEMBERNOTFOUND`, as an object whose `Invoke` follows its type
//!   library answers; a wrong number of arguments or named ones, `DISP_E_BADPARAMCOUNT`; a
//!   `riid` other than `IID_NULL`, `DISP_E_UNKNOWNINTERFACE`. A method's result may be left
//!   unasked for (a null result `VARIANT`, which `Invoke` allows); a property read without one
//!   is refused with `E_INVALIDARG` (this stand-in's choice). Arguments are read as integers (`VT_I4`, `VT_I2`) or
//!   strings (`VT_BSTR`, read by its length), by value or by reference; another type where one
//!   is needed is `DISP_E_TYPEMISMATCH`.
//! - Errors Outlook raises as exceptions are `DISP_E_EXCEPTION` with the `EXCEPINFO` filled in:
//!   an index out of range ("Array index out of bounds.", `DISP_E_BADINDEX`), an entry ID that
//!   names nothing
//!   (`MAPI_E_NOT_FOUND`, "The operation failed. An object could not be found."), a default
//!   folder other than the Inbox (which this stand-in lacks), a default store in a profile
//!   without stores.
//! - Each read of a property that gives an object makes a new one (a `VT_DISPATCH` the caller
//!   owns and must release, as with Outlook's out-of-process proxies); `MAPIOBJECT` is a
//!   `VT_UNKNOWN`, a new reference to the store.
//! - The objects are apartment-bound, like Outlook's object model: they are not agile (no
//!   `IAgileObject`, no free-threaded marshaler), and their `IDispatch` methods called on a
//!   thread other than the one that built the `Application` return `RPC_E_WRONG_THREAD`. The
//!   stores are MAPI's, free-threaded: they call sinks from a thread of their own.
//!
//! What it adds for tests: a [`Fault`] makes one step of `Application.Session.CurrentProfileName`
//! fail; [`Application::calls`] counts the calls the `Application` and the `Session`s received;
//! [`Application::sessions_alive`], [`Application::objects_alive`] and
//! [`Application::ref_count`] show whether the caller released everything it was handed;
//! [`Application::advised`] whether it unadvised its sinks.

use crate::events::{EventSource, APPLICATION_EVENTS, ITEMS_EVENTS};
use mapi_notify_sink::simulator::{SimulatedStore, StoreEvent};
use mapi_notify_sink::sys;
use std::mem::ManuallyDrop;
use std::sync::atomic::{AtomicU32, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};
use windows::Win32::Foundation::{
    DISP_E_BADINDEX, DISP_E_BADPARAMCOUNT, DISP_E_EXCEPTION, DISP_E_MEMBERNOTFOUND,
    DISP_E_TYPEMISMATCH, DISP_E_UNKNOWNINTERFACE, DISP_E_UNKNOWNNAME, E_FAIL, E_INVALIDARG,
    E_NOTIMPL, E_POINTER, E_UNEXPECTED, RPC_E_WRONG_THREAD,
};
use windows::Win32::System::Com::{
    IConnectionPoint, IConnectionPointContainer, IConnectionPointContainer_Impl, IDispatch,
    IDispatch_Impl, IEnumConnectionPoints, ITypeInfo, DISPATCH_FLAGS, DISPATCH_METHOD,
    DISPATCH_PROPERTYGET, DISPPARAMS, EXCEPINFO,
};
use windows::Win32::System::Variant::{
    VARENUM, VARIANT, VT_BSTR, VT_DATE, VT_DISPATCH, VT_I4, VT_UNKNOWN,
};
use windows_core::{implement, Error, IUnknown, Result, BSTR, GUID, HRESULT, PCWSTR};

/// The stores an [`Application`] has unless [`Builder::stores`] says otherwise.
pub const DEFAULT_STORES: [&str; 2] = ["Outlook Data File", "Archives"];
/// The subject and sender of the one item each Inbox starts with.
pub const WELCOME: (&str, &str) = ("Welcome to outlook-sim", "outlook-sim");

/// `Application.Session`'s DISPID here (Outlook's differs; callers must not assume either).
const DISPID_SESSION: i32 = 0x0F0B;
/// `Session.CurrentProfileName`'s DISPID here.
const DISPID_CURRENT_PROFILE_NAME: i32 = 0x0FAE;
/// What `GetIDsOfNames` writes for a name it does not know.
const DISPID_UNKNOWN: i32 = -1;
/// The `bstrSource` of the exceptions [`Fault::ProfileException`] raises.
pub const EXCEPTION_SOURCE: &str = "outlook-sim";

/// One step of `Application.Session.CurrentProfileName` made to fail, as a broken or unusual
/// Outlook might.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// `Application` does not answer `IDispatch`: `QueryInterface` gives `E_NOINTERFACE`.
    NoDispatch,
    /// `Application.GetIDsOfNames("Session")` gives `DISP_E_UNKNOWNNAME`.
    SessionUnknownName,
    /// `Application.Invoke(Session)` returns this HRESULT (for instance `RPC_E_WRONG_THREAD`).
    SessionInvokeFails(HRESULT),
    /// `Application.Session` is a `VT_UNKNOWN` instead of a `VT_DISPATCH`. It holds a live
    /// `Session`, counted by [`Application::sessions_alive`] until the caller clears it.
    SessionNotDispatch,
    /// `Application.Session` is a `VT_DISPATCH` holding a null pointer.
    SessionNull,
    /// `Session.GetIDsOfNames("CurrentProfileName")` gives `DISP_E_UNKNOWNNAME`.
    ProfileUnknownName,
    /// `Session.Invoke(CurrentProfileName)` returns this HRESULT.
    ProfileInvokeFails(HRESULT),
    /// `Session.Invoke(CurrentProfileName)` raises an exception: it returns
    /// `DISP_E_EXCEPTION` with an `EXCEPINFO` of this `scode` and `description`, and
    /// [`EXCEPTION_SOURCE`] as its source.
    ProfileException {
        /// The exception's `scode`.
        scode: HRESULT,
        /// The exception's `bstrDescription`.
        description: String,
    },
    /// `Session.CurrentProfileName` is a `VT_DISPATCH` (holding another live `Session`,
    /// counted by [`Application::sessions_alive`]) instead of a `VT_BSTR`.
    ProfileNotBstr,
}

/// How many `IDispatch` calls each object received, failed ones included.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Calls {
    /// `Application`'s `GetIDsOfNames`.
    pub application_get_ids_of_names: u32,
    /// `Application`'s `Invoke`.
    pub application_invoke: u32,
    /// `GetIDsOfNames` of all `Session` objects together.
    pub session_get_ids_of_names: u32,
    /// `Invoke` of all `Session` objects together.
    pub session_invoke: u32,
}

/// Makes an [`Application`]: the profile name, and at most one [`Fault`].
#[derive(Clone, Debug)]
pub struct Builder {
    profile: Vec<u16>,
    fault: Option<Fault>,
    stores: Vec<String>,
}

impl Builder {
    /// The name `Session.CurrentProfileName` returns (default: `Outlook`). An empty name is
    /// returned as a null BSTR, which COM defines as the empty string.
    pub fn profile(self, profile: &str) -> Builder {
        self.profile_utf16(profile.encode_utf16().collect())
    }

    /// The name as raw UTF-16, which may be ill-formed (an unpaired surrogate), as a BSTR can.
    pub fn profile_utf16(self, profile: Vec<u16>) -> Builder {
        Builder { profile, ..self }
    }

    /// The stores' display names, the default store first (default: [`DEFAULT_STORES`]). Each
    /// store's Inbox starts with [`WELCOME`].
    pub fn stores(self, names: &[&str]) -> Builder {
        Builder {
            stores: names.iter().map(|name| name.to_string()).collect(),
            ..self
        }
    }

    /// The step that fails.
    pub fn fault(self, fault: Fault) -> Builder {
        Builder {
            fault: Some(fault),
            ..self
        }
    }

    /// The `Application` object. It belongs to the calling thread: its `IDispatch` methods
    /// answer `RPC_E_WRONG_THREAD` on any other.
    pub fn build(self) -> Application {
        // One apartment's objects share it (the event sources in it are touched on the
        // Application's thread only, which every entry point checks); an `Arc` all the same,
        // so that a caller releasing an object on another thread, against COM's rule, cannot
        // corrupt the count.
        #[allow(clippy::arc_with_non_send_sync)]
        let state = Arc::new(State {
            profile: self.profile,
            fault: self.fault,
            thread: thread::current().id(),
            application_get_ids_of_names: AtomicU32::new(0),
            application_invoke: AtomicU32::new(0),
            session_get_ids_of_names: AtomicU32::new(0),
            session_invoke: AtomicU32::new(0),
            sessions_made: AtomicU32::new(0),
            sessions_alive: AtomicU32::new(0),
            objects_alive: AtomicU32::new(0),
            inbox_items_alive: AtomicU32::new(0),
            wrong_thread: AtomicU32::new(0),
            stores: self
                .stores
                .iter()
                .enumerate()
                .map(|(index, name)| {
                    let store = StoreState::new(index, name);
                    store.add(WELCOME.0, WELCOME.1);
                    store
                })
                .collect(),
            application_events: EventSource::new(APPLICATION_EVENTS),
            items_events: EventSource::new(ITEMS_EVENTS),
        });
        let unknown: IUnknown = if state.fault == Some(Fault::NoDispatch) {
            NoDispatch.into()
        } else {
            Object {
                state: state.clone(),
                role: Role::Application,
            }
            .into()
        };
        Application { unknown, state }
    }
}

/// The host's handle on the stand-in `Application`: one reference to the COM object, and the
/// counters it keeps. Dropping it gives up that reference; the object lives on while anyone
/// else holds one.
pub struct Application {
    unknown: IUnknown,
    state: Arc<State>,
}

impl Application {
    /// An `Application` whose `Session.CurrentProfileName` is `profile`, with no fault.
    pub fn new(profile: &str) -> Application {
        Application::builder().profile(profile).build()
    }

    /// A [`Builder`] for profile `Outlook`, with no fault.
    pub fn builder() -> Builder {
        Builder {
            profile: "Outlook".encode_utf16().collect(),
            fault: None,
            stores: DEFAULT_STORES.iter().map(|name| name.to_string()).collect(),
        }
    }

    /// A new reference to the object's `IUnknown`, as `OnConnection`'s `Application` argument
    /// (that is an `IDispatch*`, which is the same object; QueryInterface it for `IDispatch`).
    pub fn to_unknown(&self) -> IUnknown {
        self.unknown.clone()
    }

    /// The object's `IUnknown*`, borrowed.
    pub fn as_unknown(&self) -> &IUnknown {
        &self.unknown
    }

    /// The object's reference count, this handle's own reference included: `1` when nobody
    /// else holds it. (Read as `AddRef` then `Release`, whose return values are the count.)
    pub fn ref_count(&self) -> u32 {
        crate::com::ref_count(&self.unknown)
    }

    /// The calls each object received so far.
    pub fn calls(&self) -> Calls {
        let state = &self.state;
        Calls {
            application_get_ids_of_names: state.application_get_ids_of_names.load(SeqCst),
            application_invoke: state.application_invoke.load(SeqCst),
            session_get_ids_of_names: state.session_get_ids_of_names.load(SeqCst),
            session_invoke: state.session_invoke.load(SeqCst),
        }
    }

    /// How many `Session` objects were handed out (one per read of `Application.Session`, and
    /// one per read of `CurrentProfileName` under [`Fault::ProfileNotBstr`]).
    pub fn sessions_made(&self) -> u32 {
        self.state.sessions_made.load(SeqCst)
    }

    /// How many `Session` objects are still alive: `0` once every caller released what it
    /// was handed.
    pub fn sessions_alive(&self) -> u32 {
        self.state.sessions_alive.load(SeqCst)
    }

    /// How many objects of the model (every `Session`, `Stores`, `Store`, folder, `Items` and
    /// mail item) are still alive: `0` once every caller released what it was handed.
    pub fn objects_alive(&self) -> u32 {
        self.state.objects_alive.load(SeqCst)
    }

    /// The store of this index (0, the default store, first): what its `MAPIOBJECT` is.
    pub fn store(&self, index: usize) -> Option<&SimulatedStore> {
        self.state.stores.get(index).map(|store| &store.simulated)
    }

    /// How many sinks are advised on the stores, all together.
    pub fn advised(&self) -> usize {
        self.state
            .stores
            .iter()
            .map(|store| store.simulated.advised())
            .sum()
    }

    /// The default store's Inbox, in the order its items arrived.
    pub fn inbox(&self) -> Vec<Mail> {
        let Some(store) = self.state.stores.first() else {
            return Vec::new();
        };
        let inbox = store.inbox.lock().unwrap_or_else(|e| e.into_inner());
        inbox.clone()
    }

    /// A message arrives in the default store's Inbox: it is added to `Items`, and the store
    /// sends `fnevNewMail` (its entry ID, the Inbox's as its parent, class `IPM.Note`) to the
    /// sinks advised for it, from the store's thread, as MAPI does. Returns the mail and how
    /// many `OnNotify` calls were made, when they are done. `None` without stores.
    pub fn deliver_mail(&self, subject: &str, sender: &str) -> Option<(Mail, usize)> {
        let store = self.state.stores.first()?;
        let mail = store.add(subject, sender);
        let event = StoreEvent::new_mail(&mail.entry_id, &store.inbox_id, "IPM.Note");
        let calls = store.simulated.notify(&[event]);
        Some((mail, calls))
    }

    /// `Application`'s events (`ApplicationEvents_11`), to fire and to count the sinks of.
    pub fn application_events(&self) -> &EventSource {
        &self.state.application_events
    }

    /// The default Inbox's `Items` events (`ItemsEvents`).
    pub fn items_events(&self) -> &EventSource {
        &self.state.items_events
    }

    /// How many of the default Inbox's `Items` objects are alive. Outlook fires an `Items`'
    /// events only while the object lives (its connection points go with it): an add-in that
    /// lets go of it stops getting `ItemAdd`, the classic "ItemAdd stopped firing".
    pub fn inbox_items_alive(&self) -> u32 {
        self.state.inbox_items_alive.load(SeqCst)
    }

    /// A new mail item (in no folder; its `EntryID` is the default store's), as the object
    /// `ItemSend` hands a sink: `Subject` `subject`.
    pub fn draft(&self, subject: &str) -> Option<IDispatch> {
        let store = self.state.stores.first()?;
        let mail = store.add_draft(subject);
        Some(self.state.object(Role::Draft(mail)))
    }

    /// An Inbox item of the default store, as an object of the model.
    pub fn inbox_item(&self, index: usize) -> Option<IDispatch> {
        let store = self.state.stores.first()?;
        store.mail(index)?;
        Some(self.state.object(Role::Mail(0, index)))
    }

    /// How many calls came from a thread other than the `Application`'s and were answered
    /// `RPC_E_WRONG_THREAD`: Outlook's object model belongs to its main thread.
    pub fn wrong_thread_calls(&self) -> u32 {
        self.state.wrong_thread.load(SeqCst)
    }
}

impl std::fmt::Debug for Application {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Application")
            .field("profile", &String::from_utf16_lossy(&self.state.profile))
            .field("fault", &self.state.fault)
            .field("calls", &self.calls())
            .field("sessions_alive", &self.sessions_alive())
            .field("objects_alive", &self.objects_alive())
            .field("wrong_thread_calls", &self.wrong_thread_calls())
            .finish()
    }
}

/// A mail item in a store's Inbox, as `Items.Item(n)` and `GetItemFromID` give it.
#[derive(Clone, Debug, PartialEq)]
pub struct Mail {
    /// `EntryID` (Outlook gives it as hexadecimal text, upper case).
    pub entry_id: Vec<u8>,
    /// `Subject`.
    pub subject: String,
    /// `SenderName`.
    pub sender: String,
    /// `ReceivedTime`, an OLE date (days since 1899-12-30).
    pub received: f64,
}

/// One message store: its `Store` object's values, its `MAPIOBJECT` and its Inbox.
struct StoreState {
    name: String,
    /// `StoreID`; also the 16 bytes every entry ID in the store carries after its 4 flag bytes.
    id: Vec<u8>,
    simulated: SimulatedStore,
    inbox_id: Vec<u8>,
    /// Only ever added to, so an index names one item for good.
    inbox: Mutex<Vec<Mail>>,
    /// Messages being sent (`ItemSend`), only ever added to.
    drafts: Mutex<Vec<Mail>>,
}

impl StoreState {
    fn new(index: usize, name: &str) -> StoreState {
        let mut id = b"outlook-sim-st".to_vec();
        id.extend_from_slice(&(index as u16).to_be_bytes());
        StoreState {
            name: name.into(),
            inbox_id: entry_id(&id, u32::MAX),
            id,
            simulated: SimulatedStore::new(),
            inbox: Mutex::new(Vec::new()),
            drafts: Mutex::new(Vec::new()),
        }
    }

    /// Adds a message to the Inbox and returns it.
    fn add(&self, subject: &str, sender: &str) -> Mail {
        let mut inbox = self.inbox.lock().unwrap_or_else(|e| e.into_inner());
        let mail = Mail {
            entry_id: entry_id(&self.id, inbox.len() as u32),
            subject: subject.into(),
            sender: sender.into(),
            received: ole_now(),
        };
        inbox.push(mail.clone());
        mail
    }

    /// Adds a message being sent, from the profile's user; returns its index.
    fn add_draft(&self, subject: &str) -> usize {
        let mut drafts = self.drafts.lock().unwrap_or_else(|e| e.into_inner());
        let number = 0x8000_0000 | drafts.len() as u32;
        drafts.push(Mail {
            entry_id: entry_id(&self.id, number),
            subject: subject.into(),
            sender: "Outlook".into(),
            received: ole_now(),
        });
        drafts.len() - 1
    }

    fn draft(&self, index: usize) -> Option<Mail> {
        let drafts = self.drafts.lock().unwrap_or_else(|e| e.into_inner());
        drafts.get(index).cloned()
    }

    fn mail(&self, index: usize) -> Option<Mail> {
        let inbox = self.inbox.lock().unwrap_or_else(|e| e.into_inner());
        inbox.get(index).cloned()
    }

    fn count(&self) -> usize {
        self.inbox.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    fn find(&self, entry_id: &[u8]) -> Option<usize> {
        let inbox = self.inbox.lock().unwrap_or_else(|e| e.into_inner());
        inbox.iter().position(|mail| mail.entry_id == entry_id)
    }
}

/// A long-term entry ID as a store provider makes one: 4 flag bytes (0), the store's 16 bytes,
/// then the object's number.
fn entry_id(store: &[u8], number: u32) -> Vec<u8> {
    let mut id = vec![0; 4];
    id.extend_from_slice(store);
    id.extend_from_slice(&number.to_be_bytes());
    id
}

/// Now, as an OLE date: days since 1899-12-30 (25,569 days before 1970-01-01), UTC.
fn ole_now() -> f64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    25_569.0 + since.as_secs_f64() / 86_400.0
}

/// Bytes as Outlook writes an `EntryID` or `StoreID`: hexadecimal, upper case.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02X}")).collect()
}

/// The bytes of hexadecimal text (either case); `None` if it is not.
fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(&text[at..at + 2], 16).ok())
        .collect()
}

/// What the `Application` and its objects share.
struct State {
    profile: Vec<u16>,
    fault: Option<Fault>,
    thread: ThreadId,
    application_get_ids_of_names: AtomicU32,
    application_invoke: AtomicU32,
    session_get_ids_of_names: AtomicU32,
    session_invoke: AtomicU32,
    sessions_made: AtomicU32,
    sessions_alive: AtomicU32,
    objects_alive: AtomicU32,
    /// The default Inbox's `Items` objects alive: its events come while one is.
    inbox_items_alive: AtomicU32,
    wrong_thread: AtomicU32,
    /// The first is the default store.
    stores: Vec<StoreState>,
    /// `Application`'s events.
    application_events: EventSource,
    /// The default store's Inbox `Items`' events.
    items_events: EventSource,
}

impl State {
    /// `RPC_E_WRONG_THREAD` off the thread that built the `Application`, as Outlook answers.
    fn check_thread(&self) -> Result<()> {
        if thread::current().id() == self.thread {
            Ok(())
        } else {
            self.wrong_thread.fetch_add(1, SeqCst);
            Err(Error::from_hresult(RPC_E_WRONG_THREAD))
        }
    }

    /// A new object of the model, counted alive until its last reference goes.
    fn object(self: &Arc<State>, role: Role) -> IDispatch {
        if role == Role::Session {
            self.sessions_made.fetch_add(1, SeqCst);
            self.sessions_alive.fetch_add(1, SeqCst);
        }
        self.objects_alive.fetch_add(1, SeqCst);
        if role == Role::Items(0) {
            self.inbox_items_alive.fetch_add(1, SeqCst);
        }
        Object {
            state: self.clone(),
            role,
        }
        .into()
    }
}

/// The `Application` under [`Fault::NoDispatch`]: an object with no interface but `IUnknown`.
#[implement(Agile = false)]
struct NoDispatch;

/// Which object an [`Object`] is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Role {
    Application,
    /// `Namespace`, the MAPI session.
    Session,
    Stores,
    /// The store of this index.
    Store(usize),
    /// The Inbox of this store.
    Folder(usize),
    /// The Inbox's `Items` of this store.
    Items(usize),
    /// This store's Inbox item of this index.
    Mail(usize, usize),
    /// The default store's message of this index being sent (`ItemSend`'s item).
    Draft(usize),
}

/// How a member is called.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Read with `DISPATCH_PROPERTYGET`, no arguments.
    Property,
    /// Called with `DISPATCH_METHOD` (or `DISPATCH_PROPERTYGET`, as Visual Basic calls a
    /// default member), with this many positional arguments at least and at most.
    Method(u32, u32),
}

/// A member: its name, this stand-in's DISPID for it, and how it is called.
type Member = (&'static str, i32, Shape);

const APPLICATION: &[Member] = &[("Session", DISPID_SESSION, Shape::Property)];
const SESSION: &[Member] = &[
    (
        "CurrentProfileName",
        DISPID_CURRENT_PROFILE_NAME,
        Shape::Property,
    ),
    ("Stores", 0x2101, Shape::Property),
    ("DefaultStore", 0x2102, Shape::Property),
    ("GetDefaultFolder", 0x2103, Shape::Method(1, 1)),
    ("GetItemFromID", 0x2104, Shape::Method(1, 2)),
];
const COLLECTION: &[Member] = &[
    ("Count", 0x50, Shape::Property),
    ("Item", 0x51, Shape::Method(1, 1)),
];
const STORE: &[Member] = &[
    ("DisplayName", 0x3001, Shape::Property),
    ("StoreID", 0x3002, Shape::Property),
    ("MAPIOBJECT", 0xF100, Shape::Property),
    ("GetDefaultFolder", 0x2103, Shape::Method(1, 1)),
];
const FOLDER: &[Member] = &[
    ("Name", 0x3004, Shape::Property),
    ("EntryID", 0xF01E, Shape::Property),
    ("Items", 0x3100, Shape::Property),
];
const MAIL: &[Member] = &[
    ("Subject", 0x37, Shape::Property),
    ("SenderName", 0xC1A, Shape::Property),
    ("EntryID", 0xF01E, Shape::Property),
    ("ReceivedTime", 0xE06, Shape::Property),
];

/// `olFolderInbox`, the one default folder this stand-in has.
pub const OL_FOLDER_INBOX: i32 = 6;

/// An object of the model: each an `IDispatch` with its role's members.
#[implement(IDispatch, IConnectionPointContainer, Agile = false)]
struct Object {
    state: Arc<State>,
    role: Role,
}

impl Drop for Object {
    fn drop(&mut self) {
        if self.role == Role::Session {
            self.state.sessions_alive.fetch_sub(1, SeqCst);
        }
        if self.role != Role::Application {
            self.state.objects_alive.fetch_sub(1, SeqCst);
        }
        if self.role == Role::Items(0) {
            self.state.inbox_items_alive.fetch_sub(1, SeqCst);
        }
    }
}

/// An argument, as far as the members here read one.
enum Arg {
    Int(i32),
    Text(String),
    Other,
}

impl Object {
    /// The members a caller can find (a fault hides one), and the counters of this role's
    /// `GetIDsOfNames` and `Invoke` calls (the Application's, the Sessions', or none).
    fn members(&self) -> (Vec<Member>, Option<(&AtomicU32, &AtomicU32)>) {
        let state = &self.state;
        let (all, hidden, counters) = match self.role {
            Role::Application => (
                APPLICATION,
                (state.fault == Some(Fault::SessionUnknownName)).then_some("Session"),
                Some((
                    &state.application_get_ids_of_names,
                    &state.application_invoke,
                )),
            ),
            Role::Session => (
                SESSION,
                (state.fault == Some(Fault::ProfileUnknownName)).then_some("CurrentProfileName"),
                Some((&state.session_get_ids_of_names, &state.session_invoke)),
            ),
            Role::Stores | Role::Items(_) => (COLLECTION, None, None),
            Role::Store(_) => (STORE, None, None),
            Role::Folder(_) => (FOLDER, None, None),
            Role::Mail(..) | Role::Draft(_) => (MAIL, None, None),
        };
        let visible = all
            .iter()
            .filter(|(name, ..)| Some(*name) != hidden)
            .copied()
            .collect();
        (visible, counters)
    }

    /// `Application.Session`: a new `Session`, unless a fault says otherwise.
    fn session(&self) -> Result<Value> {
        let state = &self.state;
        Ok(match state.fault {
            Some(Fault::SessionInvokeFails(code)) => return Err(Error::from_hresult(code)),
            Some(Fault::SessionNotDispatch) => Value::Unknown(state.object(Role::Session).into()),
            Some(Fault::SessionNull) => Value::Dispatch(None),
            _ => Value::Dispatch(Some(state.object(Role::Session))),
        })
    }

    /// `Session.CurrentProfileName`: the profile, unless a fault says otherwise.
    fn current_profile_name(&self, exception: *mut EXCEPINFO) -> Result<Value> {
        let state = &self.state;
        Ok(match &state.fault {
            Some(Fault::ProfileInvokeFails(code)) => return Err(Error::from_hresult(*code)),
            Some(Fault::ProfileException { scode, description }) => {
                return Err(raise(exception, *scode, description))
            }
            Some(Fault::ProfileNotBstr) => Value::Dispatch(Some(state.object(Role::Session))),
            _ => Value::Bstr(BSTR::from_wide(&state.profile)),
        })
    }

    /// The value of member `name` with `args` (in the caller's order), or the exception
    /// Outlook raises.
    fn value(&self, name: &str, args: &[Arg], exception: *mut EXCEPINFO) -> Result<Value> {
        let state = &self.state;
        let object = |role| Ok(Value::Dispatch(Some(state.object(role))));
        let text = |text: &str| Ok(Value::Bstr(BSTR::from(text)));
        match (self.role, name) {
            (Role::Application, _) => self.session(),
            (Role::Session, "CurrentProfileName") => self.current_profile_name(exception),
            (Role::Session, "Stores") => object(Role::Stores),
            (Role::Session, "DefaultStore" | "GetDefaultFolder") if state.stores.is_empty() => Err(
                raise(exception, E_FAIL, "The profile has no message store."),
            ),
            (Role::Session, "DefaultStore") => object(Role::Store(0)),
            (Role::Session, "GetDefaultFolder") => self.default_folder(0, &args[0], exception),
            (Role::Session, _) => self.item_from_id(args, exception),
            (Role::Stores, "Count") => Ok(Value::I4(state.stores.len() as i32)),
            (Role::Stores, _) => {
                let found = match &args[0] {
                    Arg::Int(index) => usize::try_from(*index - 1)
                        .ok()
                        .filter(|&index| index < state.stores.len()),
                    Arg::Text(name) => state
                        .stores
                        .iter()
                        .position(|store| store.name.eq_ignore_ascii_case(name)),
                    Arg::Other => None,
                };
                match found {
                    Some(index) => object(Role::Store(index)),
                    None => Err(raise(
                        exception,
                        DISP_E_BADINDEX,
                        "Array index out of bounds.",
                    )),
                }
            }
            (Role::Store(index), "DisplayName") => text(&state.stores[index].name),
            (Role::Store(index), "StoreID") => text(&hex(&state.stores[index].id)),
            (Role::Store(index), "MAPIOBJECT") => Ok(Value::Unknown(
                state.stores[index].simulated.to_interface().into(),
            )),
            (Role::Store(index), _) => self.default_folder(index, &args[0], exception),
            (Role::Folder(_), "Name") => text("Inbox"),
            (Role::Folder(index), "EntryID") => text(&hex(&state.stores[index].inbox_id)),
            (Role::Folder(index), _) => object(Role::Items(index)),
            (Role::Items(store), "Count") => Ok(Value::I4(state.stores[store].count() as i32)),
            (Role::Items(store), _) => {
                let count = state.stores[store].count();
                match &args[0] {
                    Arg::Int(index) if *index >= 1 && (*index as usize) <= count => {
                        object(Role::Mail(store, *index as usize - 1))
                    }
                    _ => Err(raise(
                        exception,
                        DISP_E_BADINDEX,
                        "Array index out of bounds.",
                    )),
                }
            }
            (Role::Mail(..) | Role::Draft(_), member) => {
                let mail = match self.role {
                    Role::Draft(index) => state.stores[0].draft(index),
                    Role::Mail(store, index) => state.stores[store].mail(index),
                    _ => None,
                };
                let Some(mail) = mail else {
                    return Err(Error::from_hresult(E_UNEXPECTED));
                };
                match member {
                    "Subject" => text(&mail.subject),
                    "SenderName" => text(&mail.sender),
                    "EntryID" => text(&hex(&mail.entry_id)),
                    _ => Ok(Value::Date(mail.received)),
                }
            }
        }
    }

    /// `GetDefaultFolder(kind)` on store `store`: the Inbox only.
    fn default_folder(&self, store: usize, kind: &Arg, exception: *mut EXCEPINFO) -> Result<Value> {
        match kind {
            Arg::Int(OL_FOLDER_INBOX) => Ok(Value::Dispatch(Some(
                self.state.object(Role::Folder(store)),
            ))),
            Arg::Int(other) => Err(raise(
                exception,
                E_INVALIDARG,
                &format!(
                    "outlook-sim has only the Inbox (olFolderInbox = 6), not default folder \
                     {other}"
                ),
            )),
            _ => Err(Error::from_hresult(DISP_E_TYPEMISMATCH)),
        }
    }

    /// `Session.GetItemFromID(EntryIDItem[, EntryIDStore])`.
    fn item_from_id(&self, args: &[Arg], exception: *mut EXCEPINFO) -> Result<Value> {
        let state = &self.state;
        let Arg::Text(item) = &args[0] else {
            return Err(Error::from_hresult(DISP_E_TYPEMISMATCH));
        };
        let store = match args.get(1) {
            None => None,
            Some(Arg::Text(store)) => Some(unhex(store).unwrap_or_default()),
            Some(_) => return Err(Error::from_hresult(DISP_E_TYPEMISMATCH)),
        };
        let wanted = unhex(item).unwrap_or_default();
        for (index, candidate) in state.stores.iter().enumerate() {
            if store.as_ref().is_some_and(|store| *store != candidate.id) {
                continue;
            }
            if let Some(found) = candidate.find(&wanted) {
                return Ok(Value::Dispatch(Some(
                    state.object(Role::Mail(index, found)),
                )));
            }
        }
        // What Outlook raises for an entry ID it cannot open (MAPI_E_NOT_FOUND).
        Err(raise(
            exception,
            sys::MAPI_E_NOT_FOUND,
            "The operation failed. An object could not be found.",
        ))
    }
}

/// Fills the caller's `EXCEPINFO` (if it gave one) and gives `DISP_E_EXCEPTION`, as Outlook
/// raises an error.
fn raise(exception: *mut EXCEPINFO, scode: HRESULT, description: &str) -> Error {
    if !exception.is_null() {
        // SAFETY: a non-null EXCEPINFO is the caller's, for the callee to fill in when it
        // returns DISP_E_EXCEPTION; the caller frees the BSTRs.
        unsafe {
            exception.write(EXCEPINFO {
                bstrSource: ManuallyDrop::new(BSTR::from(EXCEPTION_SOURCE)),
                bstrDescription: ManuallyDrop::new(BSTR::from(description)),
                scode: scode.0,
                ..EXCEPINFO::default()
            })
        };
    }
    Error::from_hresult(DISP_E_EXCEPTION)
}

/// `Application` sends `ApplicationEvents_11`, the default Inbox's `Items` `ItemsEvents`; the
/// other objects none.
impl IConnectionPointContainer_Impl for Object_Impl {
    fn EnumConnectionPoints(&self) -> Result<IEnumConnectionPoints> {
        self.state.check_thread()?;
        Err(Error::from_hresult(E_NOTIMPL))
    }

    fn FindConnectionPoint(&self, riid: *const GUID) -> Result<IConnectionPoint> {
        self.state.check_thread()?;
        let state = &self.state;
        let sources: &[&EventSource] = match self.role {
            Role::Application => &[&state.application_events],
            Role::Items(0) => &[&state.items_events],
            _ => &[],
        };
        // SAFETY: a caller's IID pointer, null or readable (IConnectionPointContainer's
        // contract).
        EventSource::find(sources, unsafe { riid.as_ref() })
    }
}

impl IDispatch_Impl for Object_Impl {
    fn GetTypeInfoCount(&self) -> Result<u32> {
        self.state.check_thread()?;
        Ok(0)
    }

    fn GetTypeInfo(&self, _index: u32, _lcid: u32) -> Result<ITypeInfo> {
        self.state.check_thread()?;
        Err(Error::from_hresult(DISP_E_BADINDEX))
    }

    fn GetIDsOfNames(
        &self,
        riid: *const GUID,
        names: *const PCWSTR,
        count: u32,
        _lcid: u32,
        dispids: *mut i32,
    ) -> Result<()> {
        self.state.check_thread()?;
        let (members, counters) = self.members();
        if let Some((calls, _)) = counters {
            calls.fetch_add(1, SeqCst);
        }
        // SAFETY: the caller's arguments, as IDispatch::GetIDsOfNames defines them.
        unsafe { ids_of_names(riid, names, count, dispids, &members) }
    }

    fn Invoke(
        &self,
        dispid: i32,
        riid: *const GUID,
        _lcid: u32,
        flags: DISPATCH_FLAGS,
        params: *const DISPPARAMS,
        result: *mut VARIANT,
        exception: *mut EXCEPINFO,
        _arg_error: *mut u32,
    ) -> Result<()> {
        self.state.check_thread()?;
        let (members, counters) = self.members();
        if let Some((_, calls)) = counters {
            calls.fetch_add(1, SeqCst);
        }
        let member = members.iter().find(|(_, id, _)| *id == dispid);
        // SAFETY: the caller's arguments, as IDispatch::Invoke defines them.
        let args = unsafe { check_invoke(member, riid, flags, params, result)? };
        let name = member.map_or("", |(name, ..)| *name);
        let value = self.value(name, &args, exception)?;
        if !result.is_null() {
            // SAFETY: a non-null result VARIANT is the caller's, for the callee to fill in.
            unsafe { value.write(result) };
        }
        Ok(())
    }
}

/// `GetIDsOfNames` for an object whose members are `members`: the first name is the member;
/// any further names would be its parameters' names, which none here takes.
///
/// # Safety
/// `names` and `dispids` are null or valid for `count` elements, each name null or
/// NUL-terminated (the caller's side of `IDispatch::GetIDsOfNames`).
unsafe fn ids_of_names(
    riid: *const GUID,
    names: *const PCWSTR,
    count: u32,
    dispids: *mut i32,
    members: &[Member],
) -> Result<()> {
    if names.is_null() || dispids.is_null() {
        return Err(Error::from_hresult(E_POINTER));
    }
    // SAFETY: non-null, so valid per the caller's promise.
    if unsafe { riid.as_ref() } != Some(&GUID::zeroed()) {
        return Err(Error::from_hresult(DISP_E_UNKNOWNINTERFACE));
    }
    let count = count as usize;
    // SAFETY: valid for `count` elements, per the caller's promise.
    let (names, dispids) = unsafe {
        (
            std::slice::from_raw_parts(names, count),
            std::slice::from_raw_parts_mut(dispids, count),
        )
    };
    dispids.fill(DISPID_UNKNOWN);
    let Some(first) = names.first() else {
        return Ok(());
    };
    let name = if first.is_null() {
        String::new()
    } else {
        // SAFETY: a NUL-terminated name, per the caller's promise.
        String::from_utf16_lossy(unsafe { first.as_wide() })
    };
    match members
        .iter()
        .find(|(known, ..)| name.eq_ignore_ascii_case(known))
    {
        Some((_, dispid, _)) => {
            dispids[0] = *dispid;
            if count == 1 {
                Ok(())
            } else {
                Err(Error::from_hresult(DISP_E_UNKNOWNNAME)) // a parameter name it lacks
            }
        }
        None => Err(Error::from_hresult(DISP_E_UNKNOWNNAME)),
    }
}

/// The checks `Invoke` makes before calling `member`, and its arguments in the caller's order.
///
/// # Safety
/// `riid` and `params` are null or valid, `params.rgvarg` holding `cArgs` VARIANTs (the
/// caller's side of `IDispatch::Invoke`).
unsafe fn check_invoke(
    member: Option<&Member>,
    riid: *const GUID,
    flags: DISPATCH_FLAGS,
    params: *const DISPPARAMS,
    result: *mut VARIANT,
) -> Result<Vec<Arg>> {
    // SAFETY: non-null, so valid per the caller's promise.
    if unsafe { riid.as_ref() } != Some(&GUID::zeroed()) {
        return Err(Error::from_hresult(DISP_E_UNKNOWNINTERFACE));
    }
    let (min, max, property) = match member {
        Some((_, _, Shape::Property)) if flags.0 & DISPATCH_PROPERTYGET.0 != 0 => (0, 0, true),
        Some((_, _, Shape::Method(min, max))) if flags.0 & DISPATCH_METHOD.0 != 0 => {
            (*min, *max, false)
        }
        _ => return Err(Error::from_hresult(DISP_E_MEMBERNOTFOUND)),
    };
    // SAFETY: non-null, so valid per the caller's promise.
    let Some(params) = (unsafe { params.as_ref() }) else {
        return Err(Error::from_hresult(E_POINTER));
    };
    if params.cNamedArgs != 0 || params.cArgs < min || params.cArgs > max {
        return Err(Error::from_hresult(DISP_E_BADPARAMCOUNT));
    }
    if params.cArgs > 0 && params.rgvarg.is_null() {
        return Err(Error::from_hresult(E_POINTER));
    }
    // A method's result may be left unasked for (Invoke's documentation); a property read
    // without a place for its value is refused, as this stand-in always has.
    if result.is_null() && property {
        return Err(Error::from_hresult(E_INVALIDARG));
    }
    let reversed: &[sys::VARIANT] = if params.cArgs == 0 {
        &[]
    } else {
        // SAFETY: `cArgs` VARIANTs (the caller's promise); the runtime's `VARIANT` has the
        // layout of windows-rs's (both Windows's).
        unsafe { std::slice::from_raw_parts(params.rgvarg.cast(), params.cArgs as usize) }
    };
    // SAFETY: each VARIANT is the caller's, valid for the call.
    Ok(reversed
        .iter()
        .rev()
        .map(|variant| unsafe { arg(variant) })
        .collect())
}

/// An integer (`VT_I4`, `VT_I2`, by value or by reference) or a string (`VT_BSTR`, by value or
/// by reference, read by its length); anything else only by its type.
///
/// # Safety
/// `variant` is a valid VARIANT whose by-reference pointers, if not null, point to live values.
unsafe fn arg(variant: &sys::VARIANT) -> Arg {
    let vt = variant.vt;
    // SAFETY: each arm reads the member `vt` names; by-reference pointers checked for null.
    unsafe {
        let value = variant.value;
        let bstr = |raw: *const u16| {
            let bstr = ManuallyDrop::new(BSTR::from_raw(raw));
            Arg::Text(String::from_utf16_lossy(&bstr))
        };
        match vt {
            sys::VT_I4 => Arg::Int(value.lVal),
            sys::VT_I2 => Arg::Int(value.iVal.into()),
            sys::VT_BSTR => bstr(value.bstrVal),
            _ if vt == sys::VT_I4 | sys::VT_BYREF && !value.plVal.is_null() => {
                Arg::Int(*value.plVal)
            }
            _ if vt == sys::VT_I2 | sys::VT_BYREF && !value.piVal.is_null() => {
                Arg::Int((*value.piVal).into())
            }
            _ if vt == sys::VT_BSTR | sys::VT_BYREF && !value.byref.is_null() => {
                bstr(*value.byref.cast::<*const u16>())
            }
            _ => Arg::Other,
        }
    }
}

/// A member's value, written into the caller's result `VARIANT`, which then owns it.
enum Value {
    Dispatch(Option<IDispatch>),
    Unknown(IUnknown),
    Bstr(BSTR),
    I4(i32),
    Date(f64),
}

impl Value {
    /// # Safety
    /// `result` is valid for a `VARIANT` write; what it held is overwritten, not freed (the
    /// caller of `Invoke` passes an empty one).
    unsafe fn write(self, result: *mut VARIANT) {
        let mut variant = VARIANT::default();
        // SAFETY: the tag and the member written agree; the VARIANT takes over the value,
        // whose owner is now whoever clears it.
        unsafe {
            let inner = &mut *variant.Anonymous.Anonymous;
            let vt: VARENUM = match self {
                Value::Dispatch(dispatch) => {
                    inner.Anonymous.pdispVal = ManuallyDrop::new(dispatch);
                    VT_DISPATCH
                }
                Value::Unknown(unknown) => {
                    inner.Anonymous.punkVal = ManuallyDrop::new(Some(unknown));
                    VT_UNKNOWN
                }
                Value::Bstr(bstr) => {
                    inner.Anonymous.bstrVal = ManuallyDrop::new(bstr);
                    VT_BSTR
                }
                Value::I4(value) => {
                    inner.Anonymous.lVal = value;
                    VT_I4
                }
                Value::Date(value) => {
                    inner.Anonymous.date = value;
                    VT_DATE
                }
            };
            inner.vt = vt;
            result.write(variant);
        }
    }
}
