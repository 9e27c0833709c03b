//! Every public name the product contract fixes (the attribute, `Sink` and `Notification`, the
//! offline manager and the simulator, `profile_name`, the advise sink and its values, the raw
//! ABI they are written against, and the add-in library), named by the path outside code uses,
//! from outside the crate. The source moved into folders by concept; these paths must not move
//! with it. Each item is used as its kind of item is used (a function called or taken as a
//! pointer with its signature, a type named, a variant matched), so a changed signature fails
//! here too.

#![allow(clippy::type_complexity)]

use core::ffi::c_void;
use mapi_notify_sink::advise_sink::{
    AdviseHandler, AdviseSink, EntryId, Event, EventMask, Events, MsgStore, PropValue, StoreAdvise,
    Value,
};
use mapi_notify_sink::simulator::{SimulatedOutlook, SimulatedStore};
use mapi_notify_sink::{
    mapi_advise_sink, mapi_notify_sink, sys, Advise, AdviseOptions, Capabilities, ConnectionState,
    Error, Notification, NotifyKind, NotifySink, OfflineManager, Result, SetStateMode, Sink,
    StateChange,
};
use windows_core::{IUnknown, HRESULT};

struct Offline;

#[mapi_notify_sink]
impl Offline {
    fn notify(&self, info: &Notification<'_>) {
        let _: NotifyKind = info.kind();
        let _: u32 = info.client_token();
        let _: Option<StateChange> = info.state_change();
        let _: &sys::MAPIOFFLINE_NOTIFY = info.raw();
    }
}

struct Mapi;

#[mapi_advise_sink]
impl Mapi {
    fn on_notify(&self, events: &Events<'_>) {
        let _: usize = events.len();
        let _: bool = events.is_empty();
        let _: &[sys::NOTIFICATION] = events.raw();
        for event in events.iter().chain(events) {
            match event {
                Event::CriticalError(_)
                | Event::NewMail(_)
                | Event::ObjectCreated(_)
                | Event::ObjectDeleted(_)
                | Event::ObjectModified(_)
                | Event::ObjectMoved(_)
                | Event::ObjectCopied(_)
                | Event::SearchComplete(_)
                | Event::TableModified(_)
                | Event::StatusObjectModified(_)
                | Event::Extended(_)
                | Event::Other(_) => {}
            }
        }
    }
}

#[test]
fn section_4_and_5_the_attribute_sink_and_notification() {
    fn notify_sink<T: NotifySink>() {}
    notify_sink::<Offline>();
    let sink: Sink<Offline> = Sink::new(Offline);
    let _: Sink<Offline> = sink.clone();
    let _: &Offline = &sink;
    let _: *mut c_void = sink.as_raw();
    let _: IUnknown = sink.to_unknown();
    let _: sys::IMAPIOfflineNotify = sink.to_interface();
    let _: u32 = Sink::ref_count(&sink);
    let raw: *mut c_void = sink.into_raw();
    // SAFETY: the reference `into_raw` gave away.
    let _: Sink<Offline> = unsafe { Sink::from_raw(raw) };
    let state = ConnectionState::from_bits(sys::MAPIOFFLINE_STATE_ONLINE);
    match state {
        ConnectionState::Online | ConnectionState::Offline | ConnectionState::Other(_) => {}
    }
    match NotifyKind::Other(0) {
        NotifyKind::StateChangeStart
        | NotifyKind::StateChange
        | NotifyKind::StateChangeDone
        | NotifyKind::Other(_) => {}
    }
    let StateChange { old: _, new: _ } = StateChange {
        old: state,
        new: state,
    };
}

#[test]
fn section_6_the_offline_manager_and_the_simulator() {
    let outlook = SimulatedOutlook::new();
    let manager: OfflineManager = outlook.manager();
    let _: *mut c_void = manager.as_raw();
    let _: unsafe fn(*mut c_void) -> OfflineManager = OfflineManager::from_raw;
    let capabilities: Capabilities = manager.capabilities().unwrap();
    let _: (bool, bool) = (capabilities.can_go_offline(), capabilities.can_go_online());
    let _: ConnectionState = manager.state().unwrap();
    let set: fn(&OfflineManager, ConnectionState, SetStateMode) -> Result<()> =
        OfflineManager::set_state;
    let _ = (set, SetStateMode::Async, SetStateMode::Block);
    let sink = Sink::new(Offline);
    let options = AdviseOptions {
        client_token: 7,
        state_mask: AdviseOptions::default().state_mask,
    };
    let advise: Advise = manager.advise(&sink, options).unwrap();
    let _: u32 = advise.token();
    outlook.go_offline();
    outlook.go_online();
    let _: usize = outlook.advised();
    let unadvised: core::result::Result<(), Error> = advise.unadvise();
    unadvised.unwrap();
    let error = Error::new(sys::E_PENDING, "context");
    let _: HRESULT = error.code();
    let _: &dyn std::error::Error = &error;
    #[cfg(windows)]
    let _: fn(&str) -> Result<OfflineManager> = OfflineManager::open;
}

#[cfg(windows)]
#[test]
fn section_8_profile_name() {
    let _: fn(&IUnknown) -> Result<String> = mapi_notify_sink::profile_name;
}

#[test]
fn section_9_the_advise_sink() {
    fn advise_handler<T: AdviseHandler>() {}
    advise_handler::<Mapi>();
    let sink: AdviseSink<Mapi> = AdviseSink::new(Mapi);
    let _: AdviseSink<Mapi> = sink.clone();
    let _: &Mapi = &sink;
    let _: IUnknown = sink.to_unknown();
    let _: sys::IMAPIAdviseSink = sink.to_interface();
    let _: u32 = AdviseSink::ref_count(&sink);
    let raw: *mut c_void = sink.into_raw();
    // SAFETY: the reference `into_raw` gave away.
    let _: AdviseSink<Mapi> = unsafe { AdviseSink::from_raw(raw) };
    let _: &[u8] = EntryId::new(b"id").as_bytes();
    let _: fn(&PropValue<'static>) -> u32 = PropValue::tag;
    let _: fn(&PropValue<'static>) -> Value<'static> = PropValue::value;
    let store = SimulatedStore::new();
    let _: sys::IMsgStore = store.to_interface();
}

#[test]
fn section_13_the_message_store() {
    let simulated = SimulatedStore::new();
    let store: MsgStore = MsgStore::new(simulated.to_interface());
    let _: fn(&IUnknown) -> Result<MsgStore> = MsgStore::from_unknown;
    let _: &sys::IMsgStore = store.as_interface();
    let sink = AdviseSink::new(Mapi);
    let events: EventMask = EventMask::NEW_MAIL | EventMask::OBJECT_CREATED;
    let advise: Result<StoreAdvise> = store.advise(&sink, events, None::<&[u8]>);
    let advise = advise.unwrap();
    let _: usize = advise.connection();
    let _: Result<()> = advise.unadvise();
    let _: u32 = EventMask::from_bits(sys::fnevNewMail).bits();
}

#[test]
fn section_13_automation_on_every_os() {
    use mapi_notify_sink::automation::{Dispatch, FromVariant, Variant};
    let _: fn(&IUnknown) -> Result<Dispatch> = Dispatch::from_unknown;
    let _: fn(&Dispatch, &str) -> Result<String> = Dispatch::get::<String>;
    let _: fn(&Dispatch, &str, &[Variant]) -> Result<Dispatch> = Dispatch::call::<Dispatch>;
    let subject: String = Variant::from("Hello").into_value().unwrap();
    assert_eq!(subject, "Hello");
    assert!(i32::from_variant(Variant::from("x")).is_err());
    // Off Windows there is no OLE Automation: no Dispatch is made, with an error saying so.
    if cfg!(not(windows)) {
        let simulated = SimulatedStore::new();
        let unknown: IUnknown = simulated.to_interface().into();
        let error = Dispatch::from_unknown(&unknown).unwrap_err();
        assert!(error.to_string().contains("only on Windows"), "{error}");
    }
}

#[test]
fn the_decoded_value_types() {
    fn each(value: Value<'_>) {
        match value {
            Value::Null
            | Value::I2(_)
            | Value::Long(_)
            | Value::Float(_)
            | Value::Double(_)
            | Value::Boolean(_)
            | Value::I8(_)
            | Value::SysTime(_)
            | Value::String(_)
            | Value::Binary(_)
            | Value::Error(_)
            | Value::Clsid(_)
            | Value::Unreadable(_)
            | Value::Other(_) => {}
        }
    }
    each(Value::Null);
}

#[test]
fn section_3_and_9_the_raw_abi() {
    let _ = [
        sys::IID_IMAPIOfflineNotify,
        sys::IID_IMAPIOffline,
        sys::IID_IMAPIOfflineMgr,
        sys::GUID_GlobalState,
        sys::IID_IUnknown,
        sys::IID_IAgileObject,
        sys::IID_IMarshal,
        sys::IID_IMAPIAdviseSink,
    ];
    let _ = [
        sys::MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE_START,
        sys::MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE,
        sys::MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE_DONE,
    ];
    let _ = (
        sys::MAPIOFFLINE_CALLBACK_TYPE_NOTIFY,
        sys::MAPIOFFLINE_ADVISE_DEFAULT,
        sys::MAPIOFFLINE_UNADVISE_DEFAULT,
        sys::MAPIOFFLINE_ADVISE_TYPE_STATECHANGE,
        sys::MAPIOFFLINE_CAPABILITY_OFFLINE,
        sys::MAPIOFFLINE_CAPABILITY_ONLINE,
        sys::MAPIOFFLINE_FLAG_DEFAULT,
        sys::MAPIOFFLINE_FLAG_BLOCK,
        sys::MAPIOFFLINE_STATE_ALL,
        sys::MAPIOFFLINE_STATE_OFFLINE_MASK,
        sys::MAPIOFFLINE_STATE_OFFLINE,
        sys::MAPIOFFLINE_STATE_ONLINE,
        sys::MAPI_E_NOT_FOUND,
        sys::MAPI_UNICODE,
    );
    let _ = [
        sys::fnevCriticalError,
        sys::fnevNewMail,
        sys::fnevObjectCreated,
        sys::fnevObjectDeleted,
        sys::fnevObjectModified,
        sys::fnevObjectMoved,
        sys::fnevObjectCopied,
        sys::fnevSearchComplete,
        sys::fnevTableModified,
        sys::fnevStatusObjectModified,
        sys::fnevReservedForMapi,
        sys::fnevExtended,
    ];
    let _ = [
        sys::TABLE_CHANGED,
        sys::TABLE_ERROR,
        sys::TABLE_ROW_ADDED,
        sys::TABLE_ROW_DELETED,
        sys::TABLE_ROW_MODIFIED,
        sys::TABLE_SORT_DONE,
        sys::TABLE_RESTRICT_DONE,
        sys::TABLE_SETCOL_DONE,
        sys::TABLE_RELOAD,
    ];
    let _: (
        Option<sys::MAPIOFFLINE_NOTIFY>,
        Option<sys::MAPIOFFLINE_ADVISEINFO>,
        Option<sys::IMAPIOfflineNotify_Vtbl>,
        Option<sys::IMAPIOffline_Vtbl>,
        Option<sys::IMAPIOfflineMgr_Vtbl>,
        Option<sys::IMAPIOfflineMgr>,
        Option<sys::IMAPIAdviseSink_Vtbl>,
        Option<sys::IMsgStore_Vtbl>,
    ) = Default::default();
    let _: (
        Option<sys::NOTIFICATION>,
        Option<sys::ERROR_NOTIFICATION>,
        Option<sys::NEWMAIL_NOTIFICATION>,
        Option<sys::OBJECT_NOTIFICATION>,
        Option<sys::TABLE_NOTIFICATION>,
        Option<sys::EXTENDED_NOTIFICATION>,
        Option<sys::STATUS_OBJECT_NOTIFICATION>,
        Option<sys::SPropValue>,
        Option<sys::SRow>,
    ) = Default::default();
    let _: sys::HrOpenOfflineObj = hr_open_offline_obj;
}

/// A function of `HrOpenOfflineObj`'s type, as `sys` declares it.
unsafe extern "system" fn hr_open_offline_obj(
    _: u32,
    _: *const u16,
    _: *const windows_core::GUID,
    _: *const windows_core::GUID,
    _: *mut *mut c_void,
) -> HRESULT {
    sys::MAPI_E_NOT_FOUND
}

/// Section 10: the add-in library (feature `addin`), its attribute at both paths, and
/// `Outlook` and `MainThread<T>` with the signatures outside code calls.
#[test]
fn the_addin_paths() {
    use mapi_notify_sink::addin::{ConnectMode, MainThread, Outlook};
    #[allow(unused_imports)]
    use mapi_notify_sink::{addin::outlook_addin as _, outlook_addin as _};

    fn shared_handle<T: Send + Sync + Clone>() {}
    shared_handle::<MainThread<String>>();
    let _: fn(&Outlook) -> &IUnknown = Outlook::application;
    let _: fn(&Outlook) -> Result<String> = Outlook::profile_name;
    let _: fn(&Outlook) -> ConnectMode = Outlook::connect_mode;
    let _ = |outlook: &Outlook| -> MainThread<u32> { outlook.main_thread(|_: u32| {}) };
    let _: fn(&MainThread<u32>, u32) = MainThread::post;
    assert_eq!(
        ConnectMode::from_raw(sys::ext_cm_Startup),
        ConnectMode::Startup
    );
}

/// Section 11: `addin::ModuleLock`, a guard any thread may hold.
#[test]
fn the_module_lock_path() {
    use mapi_notify_sink::addin::ModuleLock;
    fn sendable<T: Send + Sync>() {}
    sendable::<ModuleLock>();
    let _: fn() -> ModuleLock = ModuleLock::new;
}

#[test]
fn section_14_outlooks_events() {
    use mapi_notify_sink::addin::{
        outlook_events, ApplicationEvents, Connection, Event, EventHandler, EventInterface,
        EventSink, ItemsEvents,
    };
    use mapi_notify_sink::automation::Dispatch;

    struct Handler;

    #[outlook_events]
    impl Handler {
        fn item_send(&self, _item: &Dispatch, _cancel: &mut bool) {}
        fn new_mail_ex(&self, _entry_ids: &str) {}
        fn startup(&self) {}
        fn quit(&self) {}
    }

    let sink: EventSink<Handler> = EventSink::new(Handler);
    let _: fn(&EventSink<Handler>, &Dispatch) -> Result<Connection> = EventSink::connect;
    let _: fn(Connection) -> Result<()> = Connection::disconnect;
    let _: fn(&Connection) -> u32 = Connection::cookie;
    let _: &[Event] = <ApplicationEvents as EventInterface>::EVENTS;
    let _: &str = <ItemsEvents as EventInterface>::NAME;
    let _: &str = <Handler as EventHandler>::NAME;
    assert_eq!(EventSink::ref_count(&sink), 1);
}
