//! Outlook's events, as a sink kind of their own: [`EventSink<T>`] is the COM object an event
//! source calls (an `IDispatch` answering the source's dispinterface, on the object core every
//! kind shares), and [`Connection`] is one advise on a source, ended when dropped.
//!
//! A source (`Application`, a folder's `Items`) is an `IConnectionPointContainer`:
//! [`EventSink::connect`] asks it for the connection point of the sink's dispinterface
//! (`FindConnectionPoint(DIID)`) and `Advise`s the sink there. The source then calls the sink's
//! `Invoke` with the event's DISPID and its arguments (in reverse order, `Cancel` as
//! `VT_BOOL | VT_BYREF`), on Outlook's main thread. Each event the impl names is decoded and its
//! method called; an event it does not name is answered `S_OK` and nothing else. What a caller
//! sends that is not the event's shape (the wrong count, another `VARTYPE`, a null object or
//! `Cancel`, property flags) is an error `HRESULT` with a `log` warning naming the event, and
//! the method is not called; a panic in a method is contained, and the next event arrives as
//! usual.
//!
//! The sink is bound to the thread that made it, as Outlook's objects are: a call from another
//! thread is refused with `RPC_E_WRONG_THREAD`, and neither the sink nor a connection can be
//! sent to another thread.
//!
//! # Invariants (the unsafe parts)
//! - An `EventObject<T>` lives only inside an object made by `ComRef::new` for the kind of
//!   `T::Interface`, so `call_contained` may reach it from that kind's slots.
//! - `T` is only reached through `&T`, on the thread that made the object (checked before
//!   every call); the object is not agile, so `T` need not be `Send` or `Sync`.

use crate::automation::server::{self as dispatch, ArgError, Args};
use crate::automation::Dispatch;
use crate::com::{self, ComRef, OnPanic, Serve};
use crate::registration::{self, Registration};
use crate::{sys, Error, Result};
use core::ffi::c_void;
use core::marker::PhantomData;
use core::mem::ManuallyDrop;
use std::cell::RefCell;
use std::thread::ThreadId;
use windows_core::{IUnknown, Interface, GUID, HRESULT};

/// How an event's method is called: its parameters after `&self`, with the method.
#[doc(hidden)]
pub enum Call<T> {
    /// `fn(&self)`.
    Unit(fn(&T)),
    /// `fn(&self, item: &Dispatch)`.
    Item(fn(&T, &Dispatch)),
    /// `fn(&self, item: &Dispatch, cancel: &mut bool)`.
    ItemCancel(fn(&T, &Dispatch, &mut bool)),
    /// `fn(&self, text: &str)`.
    Text(fn(&T, &str)),
}

/// One event a `#[outlook_events]` impl names: its DISPID and its method.
#[doc(hidden)]
pub struct Handler<T> {
    pub dispid: i32,
    pub call: Call<T>,
}

/// One event of a dispinterface: its DISPID, its name, and how many arguments it takes.
///
/// ```
/// use mapi_notify_sink::addin::{ApplicationEvents, Event, EventInterface};
///
/// let send: &Event = ApplicationEvents::EVENTS.iter().find(|e| e.name == "ItemSend").unwrap();
/// assert_eq!((send.dispid, send.method, send.params), (0xF002, "item_send", 2));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    /// The DISPID the source calls `Invoke` with.
    pub dispid: i32,
    /// Its name in Outlook's type library (`ItemSend`).
    pub name: &'static str,
    /// The method that handles it in a `#[outlook_events]` impl (`item_send`).
    pub method: &'static str,
    /// How many arguments the source sends.
    pub params: u32,
}

mod sealed {
    pub trait Sealed {}
}

/// One of Outlook's event dispinterfaces: [`ApplicationEvents`] or [`ItemsEvents`].
///
/// ```
/// use mapi_notify_sink::addin::{EventInterface, ItemsEvents};
///
/// assert_eq!(ItemsEvents::NAME, "ItemsEvents");
/// let methods: Vec<&str> = ItemsEvents::EVENTS.iter().map(|event| event.method).collect();
/// assert_eq!(methods, ["item_add", "item_change", "item_remove"]);
/// ```
#[allow(private_bounds)] // `Kind` is the object core's, and the trait is sealed
pub trait EventInterface: sealed::Sealed + 'static {
    /// Its name in Outlook's type library (`ApplicationEvents_11`).
    const NAME: &'static str;
    /// Its IID, which the source asks the sink for.
    const DIID: GUID;
    /// Its events.
    const EVENTS: &'static [Event];
    #[doc(hidden)]
    type Kind: com::Kind + Interface<Vtable = sys::IDispatch_Vtbl>;
}

/// `ApplicationEvents_11`: `Application`'s events (`#[outlook_events]`).
///
/// ```
/// use mapi_notify_sink::addin::{ApplicationEvents, EventInterface};
///
/// assert_eq!(ApplicationEvents::DIID, mapi_notify_sink::sys::DIID_ApplicationEvents_11);
/// assert_eq!(ApplicationEvents::EVENTS.len(), 11);
/// ```
#[derive(Debug)]
pub enum ApplicationEvents {}

/// `ItemsEvents`: the events of a folder's `Items` (`#[outlook_events(items)]`).
///
/// ```
/// use mapi_notify_sink::addin::{EventInterface, ItemsEvents};
///
/// assert_eq!(ItemsEvents::DIID, mapi_notify_sink::sys::DIID_ItemsEvents);
/// ```
#[derive(Debug)]
pub enum ItemsEvents {}

impl sealed::Sealed for ApplicationEvents {}
impl sealed::Sealed for ItemsEvents {}

impl com::Kind for sys::ApplicationEvents_11 {
    const ALSO: &'static [GUID] = &[sys::IID_IDispatch];
    const AGILE: bool = false;
}

impl com::Kind for sys::ItemsEvents {
    const ALSO: &'static [GUID] = &[sys::IID_IDispatch];
    const AGILE: bool = false;
}

/// Defines each interface's event table and, per event, the constructor of its [`Handler`]
/// that `#[outlook_events]` calls with the author's method (a method of another signature is
/// a type error there, which shows the right one).
macro_rules! events {
    ($interface:ident, $module:ident, $name:literal, $diid:expr, $kind:ty,
     $($method:ident = $event:literal $dispid:expr, $count:literal, $call:ident ($($param:ty),*);)*) => {
        impl EventInterface for $interface {
            const NAME: &'static str = $name;
            const DIID: GUID = $diid;
            const EVENTS: &'static [Event] = &[
                $(Event { dispid: $dispid, name: $event, method: stringify!($method), params: $count },)*
            ];
            type Kind = $kind;
        }

        /// The handlers of this interface's events, for `#[outlook_events]`.
        #[doc(hidden)]
        pub mod $module {
            use super::{Call, Handler};
            #[allow(unused_imports)]
            use crate::automation::Dispatch;
            $(
                pub const fn $method<T>(method: fn(&T $(, $param)*)) -> Handler<T> {
                    Handler { dispid: $dispid, call: Call::$call(method) }
                }
            )*
        }
    };
}

events!(ApplicationEvents, application, "ApplicationEvents_11", sys::DIID_ApplicationEvents_11,
    sys::ApplicationEvents_11,
    item_send = "ItemSend" crate::sys::DISPID_ItemSend, 2, ItemCancel(&Dispatch, &mut bool);
    new_mail = "NewMail" crate::sys::DISPID_NewMail, 0, Unit();
    reminder = "Reminder" crate::sys::DISPID_Reminder, 1, Item(&Dispatch);
    options_pages_add = "OptionsPagesAdd" crate::sys::DISPID_OptionsPagesAdd, 1, Item(&Dispatch);
    startup = "Startup" crate::sys::DISPID_Startup, 0, Unit();
    quit = "Quit" crate::sys::DISPID_Quit, 0, Unit();
    advanced_search_complete = "AdvancedSearchComplete" crate::sys::DISPID_AdvancedSearchComplete, 1, Item(&Dispatch);
    advanced_search_stopped = "AdvancedSearchStopped" crate::sys::DISPID_AdvancedSearchStopped, 1, Item(&Dispatch);
    mapi_logon_complete = "MAPILogonComplete" crate::sys::DISPID_MAPILogonComplete, 0, Unit();
    new_mail_ex = "NewMailEx" crate::sys::DISPID_NewMailEx, 1, Text(&str);
    item_load = "ItemLoad" crate::sys::DISPID_ItemLoad, 1, Item(&Dispatch);
);

events!(ItemsEvents, items, "ItemsEvents", sys::DIID_ItemsEvents, sys::ItemsEvents,
    item_add = "ItemAdd" crate::sys::DISPID_ItemAdd, 1, Item(&Dispatch);
    item_change = "ItemChange" crate::sys::DISPID_ItemChange, 1, Item(&Dispatch);
    item_remove = "ItemRemove" crate::sys::DISPID_ItemRemove, 0, Unit();
);

/// A type `#[outlook_events]` has made into an event sink's handler.
///
/// Implemented by the attribute; never implement it by hand.
///
/// ```
/// use mapi_notify_sink::addin::{outlook_events, EventHandler, EventInterface};
///
/// struct Quiet;
///
/// #[outlook_events(items)]
/// impl Quiet {
///     fn item_remove(&self) {}
/// }
///
/// assert_eq!(<Quiet as EventHandler>::NAME, "Quiet");
/// assert_eq!(<<Quiet as EventHandler>::Interface as EventInterface>::NAME, "ItemsEvents");
/// ```
pub trait EventHandler: Sized + 'static {
    /// The dispinterface whose events it handles.
    type Interface: EventInterface;
    /// The type's name, for the log.
    const NAME: &'static str;
    #[doc(hidden)]
    const HANDLERS: &'static [Handler<Self>];
}

/// The object's value: the author's handler, and the thread it belongs to.
pub(crate) struct EventObject<T> {
    thread: ThreadId,
    handler: ManuallyDrop<T>,
    /// The unknown DISPIDs already warned of.
    warned: RefCell<Vec<i32>>,
}

impl<T> Drop for EventObject<T> {
    fn drop(&mut self) {
        if std::thread::current().id() != self.thread {
            // A caller broke COM's apartment rule with the last Release. The handler need not
            // be `Send`: dropping it here could race with its thread, so it is leaked, and the
            // log says so (as the add-in object does).
            log::error!(
                "an event sink was released on a thread other than the one that made it (COM's \
                 apartment rule broken by the caller): its handler is leaked, not dropped"
            );
            return;
        }
        // SAFETY: dropped once, here, and never used again.
        unsafe { ManuallyDrop::drop(&mut self.handler) };
    }
}

type KindOf<T> = <<T as EventHandler>::Interface as EventInterface>::Kind;

// SAFETY: the vtable starts with `unknown_slots` for this kind and type; every slot after them
// is written for an `EventObject<T>`. The kind is not agile, so `Self` need not be Send + Sync.
unsafe impl<T: EventHandler> Serve<KindOf<T>> for EventObject<T> {
    const VTABLE: &'static sys::IDispatch_Vtbl = &sys::IDispatch_Vtbl {
        base__: com::unknown_slots::<KindOf<T>, Self>(),
        GetTypeInfoCount: dispatch::get_type_info_count,
        GetTypeInfo: dispatch::get_type_info,
        GetIDsOfNames: get_ids_of_names::<T>,
        Invoke: invoke::<T>,
    };
    const ON_PANIC: OnPanic = OnPanic::Log;
}

unsafe extern "system" fn get_ids_of_names<T: EventHandler>(
    _this: *mut c_void,
    _riid: *const GUID,
    names: *const *const u16,
    count: u32,
    _lcid: u32,
    ids: *mut i32,
) -> HRESULT {
    com::contain(OnPanic::Log, T::NAME, "GetIDsOfNames", || {
        let members: Vec<(i32, &str)> = T::Interface::EVENTS
            .iter()
            .map(|event| (event.dispid, event.name))
            .collect();
        // SAFETY: IDispatch's contract, which `ids_of_names` checks what it can of.
        unsafe { dispatch::ids_of_names(names, count, ids, &members) }
    })
    .unwrap_or(sys::E_UNEXPECTED)
}

#[allow(clippy::too_many_arguments)] // IDispatch::Invoke's
unsafe extern "system" fn invoke<T: EventHandler>(
    this: *mut c_void,
    dispid: i32,
    _riid: *const GUID,
    _lcid: u32,
    flags: u16,
    params: *mut sys::DISPPARAMS,
    _result: *mut sys::VARIANT,
    _exception: *mut sys::EXCEPINFO,
    arg_error: *mut u32,
) -> HRESULT {
    let deliver = |object: &EventObject<T>| {
        if std::thread::current().id() != object.thread {
            log::warn!(
                "{}: an event ({dispid:#x}) called on a thread other than the one that made \
                 the sink: refused",
                T::NAME
            );
            return sys::RPC_E_WRONG_THREAD;
        }
        // SAFETY: IDispatch's contract for `params`; `Args` checks counts and pointers.
        match unsafe { deliver(object, dispid, flags, params) } {
            Ok(code) => code,
            Err((code, index)) => {
                if let (Some(index), false) = (index, arg_error.is_null()) {
                    // SAFETY: non-null, writable (IDispatch's contract).
                    unsafe { arg_error.write(index) };
                }
                code
            }
        }
    };
    // A reference of the call's own: a handler may drop the last other one (its own
    // `Connection`, whose `Unadvise` makes the source release the sink) while it runs. Released
    // after the call, outside the borrow of the handler.
    // SAFETY: the caller holds a reference to the live object at `this` (COM's contract).
    let _alive = unsafe { IUnknown::from_raw_borrowed(&this) }.cloned();
    // SAFETY: the module invariants: `this` is a live object of this kind and type.
    unsafe { com::call_contained::<KindOf<T>, EventObject<T>, _>(this, "Invoke", deliver) }
        .unwrap_or(sys::E_UNEXPECTED)
}

/// One event to its method, if the impl names it.
///
/// # Safety
/// `params` is null or a `DISPPARAMS` whose `rgvarg` holds `cArgs` VARIANTs, live for the call.
unsafe fn deliver<T: EventHandler>(
    object: &EventObject<T>,
    dispid: i32,
    flags: u16,
    params: *const sys::DISPPARAMS,
) -> core::result::Result<HRESULT, ArgError> {
    let interface = T::Interface::NAME;
    let Some(event) = T::Interface::EVENTS
        .iter()
        .find(|event| event.dispid == dispid)
    else {
        // Outlook's type library has events this table does not list (context menus, folder
        // sharing), and sources ignore what a sink answers: a warning once per DISPID, and
        // DISP_E_MEMBERNOTFOUND, as for any member an `IDispatch` lacks.
        if !object.warned.borrow().contains(&dispid) {
            object.warned.borrow_mut().push(dispid);
            log::warn!(
                "{}: {interface} event {dispid:#x} is not one this library knows: not delivered",
                T::NAME
            );
        }
        return Ok(sys::DISP_E_MEMBERNOTFOUND);
    };
    if flags & sys::DISPATCH_METHOD == 0 {
        log::warn!(
            "{}: {interface}.{} invoked with flags {flags:#x}, not DISPATCH_METHOD: refused",
            T::NAME,
            event.name
        );
        return Ok(sys::DISP_E_MEMBERNOTFOUND);
    }
    let Some(handler) = T::HANDLERS.iter().find(|handler| handler.dispid == dispid) else {
        return Ok(sys::S_OK);
    };
    // SAFETY: the caller's promise.
    let args = unsafe { Args::new(event.name, params, event.params)? };
    let this = &object.handler;
    match handler.call {
        Call::Unit(method) => method(this),
        Call::Item(method) => method(this, &args.dispatch(0)?),
        Call::ItemCancel(method) => {
            let item = args.dispatch(0)?;
            let cancel = args.bool_ref(1)?;
            // SAFETY: a non-null VARIANT_BOOL* of the caller's, live for the call.
            let mut value = unsafe { cancel.read_unaligned() } != 0;
            method(this, &item, &mut value);
            // SAFETY: as above; VARIANT_TRUE is -1.
            unsafe { cancel.write_unaligned(if value { -1 } else { 0 }) };
        }
        Call::Text(method) => method(this, &args.text(0)?),
    }
    Ok(sys::S_OK)
}

/// An event sink: the COM object Outlook calls with the events of `T`'s dispinterface, each
/// handed to its method in `T`'s `#[outlook_events]` impl. One counted reference; `Clone` is
/// `AddRef`. Bound to the thread that made it (Outlook's main thread): neither `Send` nor
/// `Sync`.
///
/// ```no_run
/// use mapi_notify_sink::addin::{outlook_events, Connection, EventSink, Outlook};
/// use mapi_notify_sink::automation::Dispatch;
///
/// #[derive(Default)]
/// struct Guard;
///
/// #[outlook_events]
/// impl Guard {
///     fn item_send(&self, item: &Dispatch, cancel: &mut bool) {
///         if item.get::<String>("Subject").unwrap_or_default().is_empty() {
///             log::warn!("not sending a message without a subject");
///             *cancel = true;
///         }
///     }
/// }
///
/// fn on_connection(outlook: &Outlook) -> mapi_notify_sink::Result<Connection> {
///     EventSink::new(Guard).connect(outlook.app()) // keep the Connection: dropped, it unadvises
/// }
/// ```
pub struct EventSink<T: EventHandler> {
    object: ComRef<KindOf<T>, EventObject<T>>,
    _thread: PhantomData<*const ()>,
}

impl<T: EventHandler> EventSink<T> {
    /// A new sink around `handler`, bound to this thread.
    pub fn new(handler: T) -> Self {
        Self {
            object: ComRef::new(EventObject {
                thread: std::thread::current().id(),
                handler: ManuallyDrop::new(handler),
                warned: RefCell::new(Vec::new()),
            }),
            _thread: PhantomData,
        }
    }

    /// Connects the sink to `source`'s events (`Application`, or a folder's `Items`):
    /// `IConnectionPointContainer::FindConnectionPoint` of the sink's dispinterface, then
    /// `IConnectionPoint::Advise`. The returned [`Connection`] unadvises when dropped.
    pub fn connect(&self, source: &Dispatch) -> Result<Connection> {
        let interface = T::Interface::NAME;
        let container: sys::IConnectionPointContainer =
            source.to_unknown().cast().map_err(|error| {
                Error::new(
                    error.code(),
                    format!(
                        "EventSink::connect({interface}): the source is not an \
                         IConnectionPointContainer (it sends no events)"
                    ),
                )
            })?;
        let mut point = core::ptr::null_mut();
        // SAFETY: a live container, a readable IID, a writable out pointer.
        let code = unsafe {
            (container.vtable().FindConnectionPoint)(
                container.as_raw(),
                &T::Interface::DIID,
                &mut point,
            )
        };
        if code.is_err() || point.is_null() {
            return Err(Error::new(
                if code.is_err() { code } else { sys::E_POINTER },
                format!(
                    "EventSink::connect: FindConnectionPoint({interface}): the source does not \
                     send these events"
                ),
            ));
        }
        // SAFETY: a successful FindConnectionPoint handed over one reference.
        let point = unsafe { sys::IConnectionPoint::from_raw(point) };
        let mut cookie = 0;
        // SAFETY: a live connection point, our live sink (the source takes its own
        // reference), a writable cookie.
        let code = unsafe { (point.vtable().Advise)(point.as_raw(), self.as_raw(), &mut cookie) };
        if code.is_err() {
            return Err(Error::new(
                code,
                format!("EventSink::connect: IConnectionPoint::Advise({interface})"),
            ));
        }
        Ok(Connection(Registration::new(PointConnection {
            point,
            cookie,
            interface,
        })))
    }

    /// The sink's `IDispatch*` (also its identity `IUnknown*`), borrowed.
    pub fn as_raw(&self) -> *mut c_void {
        self.object.as_raw()
    }

    /// A new reference to the sink as `IUnknown`.
    pub fn to_unknown(&self) -> IUnknown {
        self.object.to_unknown()
    }

    /// The sink's reference count now: 1 when only this handle holds it.
    pub fn ref_count(this: &Self) -> u32 {
        this.object.count()
    }
}

impl<T: EventHandler> Clone for EventSink<T> {
    fn clone(&self) -> Self {
        Self {
            object: self.object.clone(),
            _thread: PhantomData,
        }
    }
}

impl<T: EventHandler> core::ops::Deref for EventSink<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.object.value().handler
    }
}

impl<T: EventHandler> core::fmt::Debug for EventSink<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("EventSink")
            .field("handler", &T::NAME)
            .field("interface", &T::Interface::NAME)
            .field("ref_count", &Self::ref_count(self))
            .finish()
    }
}

/// One sink advised on one event source, from [`EventSink::connect`]: dropping it unadvises
/// (a failure is logged), [`disconnect`](Self::disconnect) does it now and reports. Keep it as
/// long as the events must come, and drop it before the add-in goes: Outlook keeps calling a
/// connection left advised.
///
/// ```no_run
/// use mapi_notify_sink::addin::{outlook_events, Connection, EventSink, Outlook};
/// use std::cell::RefCell;
///
/// struct Started;
///
/// #[outlook_events]
/// impl Started {
///     fn startup(&self) {
///         log::info!("Outlook started");
///     }
/// }
///
/// #[derive(Default)]
/// struct MyAddIn {
///     events: RefCell<Option<Connection>>,
/// }
///
/// impl MyAddIn {
///     fn on_connection(&self, outlook: &Outlook) -> mapi_notify_sink::Result<()> {
///         let connection = EventSink::new(Started).connect(outlook.app())?;
///         log::info!("connected to {} (cookie {})", connection.interface(), connection.cookie());
///         *self.events.borrow_mut() = Some(connection);
///         Ok(())
///     }
///
///     fn on_disconnection(&self) {
///         if let Some(Err(error)) = self.events.take().map(Connection::disconnect) {
///             log::error!("{error}");
///         }
///     }
/// }
/// ```
#[must_use = "dropping the `Connection` unadvises the sink at once, so no event comes: keep it \
              (a field of your add-in), not `let _ = ...`"]
#[derive(Debug)]
pub struct Connection(Registration<PointConnection>);

impl Connection {
    /// The cookie the source gave.
    pub fn cookie(&self) -> u32 {
        self.0.connection().cookie
    }

    /// The dispinterface connected (`ApplicationEvents_11`).
    pub fn interface(&self) -> &'static str {
        self.0.connection().interface
    }

    /// Unadvises now, reporting a failure.
    pub fn disconnect(mut self) -> Result<()> {
        self.0.unadvise()
    }
}

#[derive(Debug)]
pub(crate) struct PointConnection {
    point: sys::IConnectionPoint,
    cookie: u32,
    interface: &'static str,
}

impl registration::Connection for PointConnection {
    const UNADVISE: &'static str = "IConnectionPoint::Unadvise";

    fn unadvise(&self) -> HRESULT {
        // SAFETY: a live connection point and a cookie it gave.
        unsafe { (self.point.vtable().Unadvise)(self.point.as_raw(), self.cookie) }
    }

    fn describe(&self) -> String {
        format!("connection {} to {}", self.cookie, self.interface)
    }
}
