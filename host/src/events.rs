//! Connection points, as Outlook's event sources have them (SPEC 14): an [`EventSource`] is one
//! dispinterface's `IConnectionPoint` (`Advise` asks the sink for the dispinterface and keeps
//! its `IDispatch`; `Unadvise` of a cookie not in use is `CONNECT_E_NOCONNECTION`), and
//! [`EventSource::fire`] calls each advised sink's `Invoke` with an event's DISPID and its
//! arguments in reverse order, `DISPATCH_METHOD`, on the calling thread (Outlook's main thread),
//! as Outlook does. A sink may unadvise (or advise another) from inside an event: the list is
//! copied before the calls.
//!
//! ```
//! use outlook_sim::events::{Arg, EventSource, APPLICATION_EVENTS};
//!
//! let source = EventSource::new(APPLICATION_EVENTS);
//! assert_eq!(source.advised(), 0);
//! // Nobody advised: no call is made.
//! assert!(source.fire(0xF006, &[]).is_empty()); // Startup
//! let _ = Arg::Text("00000000AB".into());
//! ```

use mapi_notify_sink::sys;
use std::cell::{Cell, RefCell};
use std::mem::ManuallyDrop;
use std::rc::Rc;
use windows::Win32::Foundation::{E_NOTIMPL, VARIANT_BOOL};
use windows::Win32::System::Com::{
    IConnectionPoint, IConnectionPointContainer, IConnectionPoint_Impl, IDispatch,
    IEnumConnections, DISPATCH_METHOD, DISPPARAMS,
};
use windows::Win32::System::Variant::{VARIANT, VT_BOOL, VT_BSTR, VT_BYREF, VT_DISPATCH};
use windows_core::{implement, Error, IUnknown, Interface as _, Ref, Result, BSTR, GUID, HRESULT};

/// A dispinterface: its IID and name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interface {
    /// The IID a sink must answer.
    pub iid: GUID,
    /// Its name in Outlook's type library.
    pub name: &'static str,
}

/// `ApplicationEvents_11`.
pub const APPLICATION_EVENTS: Interface = Interface {
    iid: sys::DIID_ApplicationEvents_11,
    name: "ApplicationEvents_11",
};

/// `ItemsEvents`.
pub const ITEMS_EVENTS: Interface = Interface {
    iid: sys::DIID_ItemsEvents,
    name: "ItemsEvents",
};

/// An event's argument, in the order the event declares them.
#[derive(Clone, Debug)]
pub enum Arg {
    /// `IDispatch*` (an item).
    Object(IDispatch),
    /// `VARIANT_BOOL*` (`Cancel`), in and out: what the sinks left in it is read back.
    Cancel(Rc<Cell<bool>>),
    /// `BSTR`.
    Text(String),
}

struct State {
    interface: Interface,
    sinks: RefCell<Vec<(u32, IDispatch)>>,
    next: Cell<u32>,
}

/// One event interface of a source: its connection point, and what it fires.
#[derive(Clone)]
pub struct EventSource {
    state: Rc<State>,
    point: IConnectionPoint,
}

impl EventSource {
    /// A connection point for `interface`, with no sink.
    pub fn new(interface: Interface) -> EventSource {
        let state = Rc::new(State {
            interface,
            sinks: RefCell::new(Vec::new()),
            next: Cell::new(1),
        });
        let point = Point {
            state: state.clone(),
        }
        .into();
        EventSource { state, point }
    }

    /// The interface.
    pub fn interface(&self) -> Interface {
        self.state.interface
    }

    /// The connection point, as `FindConnectionPoint` hands it out.
    pub fn point(&self) -> IConnectionPoint {
        self.point.clone()
    }

    /// How many sinks are advised.
    pub fn advised(&self) -> usize {
        self.state.sinks.borrow().len()
    }

    /// `FindConnectionPoint(riid)` over several sources: the one for `riid` (`E_POINTER` for
    /// none), or `CONNECT_E_NOCONNECTION`.
    pub fn find(sources: &[&EventSource], riid: Option<&GUID>) -> Result<IConnectionPoint> {
        let Some(riid) = riid else {
            return Err(Error::from_hresult(windows::Win32::Foundation::E_POINTER));
        };
        sources
            .iter()
            .find(|source| source.state.interface.iid == *riid)
            .map(|source| source.point())
            .ok_or_else(|| Error::from_hresult(sys::CONNECT_E_NOCONNECTION))
    }

    /// Calls every advised sink's `Invoke(dispid, DISPATCH_METHOD)` with `args` (written in the
    /// event's order; sent reversed); returns each sink's HRESULT. A `Cancel` is one
    /// `VARIANT_BOOL` all the sinks share, read back into its cell.
    pub fn fire(&self, dispid: i32, args: &[Arg]) -> Vec<HRESULT> {
        let sinks: Vec<IDispatch> = self
            .state
            .sinks
            .borrow()
            .iter()
            .map(|(_, sink)| sink.clone())
            .collect();
        let mut cancel = VARIANT_BOOL(0);
        for arg in args {
            if let Arg::Cancel(cell) = arg {
                cancel = VARIANT_BOOL(if cell.get() { -1 } else { 0 });
            }
        }
        let mut codes = Vec::new();
        for sink in sinks {
            let mut variants: Vec<VARIANT> = args
                .iter()
                .rev()
                .map(|arg| variant(arg, &mut cancel))
                .collect();
            let params = DISPPARAMS {
                rgvarg: if variants.is_empty() {
                    std::ptr::null_mut()
                } else {
                    variants.as_mut_ptr()
                },
                rgdispidNamedArgs: std::ptr::null_mut(),
                cArgs: variants.len() as u32,
                cNamedArgs: 0,
            };
            // SAFETY: a live sink; `params` holds `cArgs` VARIANTs owned here for the call.
            let code = unsafe {
                sink.Invoke(
                    dispid,
                    &GUID::zeroed(),
                    0,
                    DISPATCH_METHOD,
                    &params,
                    None,
                    None,
                    None,
                )
            };
            codes.push(code.map_or_else(|error| error.code(), |()| HRESULT(0)));
        }
        for arg in args {
            if let Arg::Cancel(cell) = arg {
                cell.set(cancel.0 != 0);
            }
        }
        codes
    }
}

/// A VARIANT for `arg`, owning what it holds (dropped with it), `Cancel` pointing at `cancel`.
fn variant(arg: &Arg, cancel: &mut VARIANT_BOOL) -> VARIANT {
    let mut variant = VARIANT::default();
    // SAFETY: the tag and the member written agree.
    unsafe {
        let inner = &mut *variant.Anonymous.Anonymous;
        match arg {
            Arg::Object(object) => {
                inner.Anonymous.pdispVal = ManuallyDrop::new(Some(object.clone()));
                inner.vt = VT_DISPATCH;
            }
            Arg::Cancel(_) => {
                inner.Anonymous.pboolVal = cancel;
                inner.vt = VT_BOOL | VT_BYREF;
            }
            Arg::Text(text) => {
                inner.Anonymous.bstrVal = ManuallyDrop::new(BSTR::from(text.as_str()));
                inner.vt = VT_BSTR;
            }
        }
    }
    variant
}

#[implement(IConnectionPoint, Agile = false)]
struct Point {
    state: Rc<State>,
}

impl IConnectionPoint_Impl for Point_Impl {
    fn GetConnectionInterface(&self) -> Result<GUID> {
        Ok(self.state.interface.iid)
    }

    fn GetConnectionPointContainer(&self) -> Result<IConnectionPointContainer> {
        Err(Error::from_hresult(E_NOTIMPL))
    }

    fn Advise(&self, sink: Ref<IUnknown>) -> Result<u32> {
        let Some(sink) = sink.as_ref() else {
            return Err(Error::from_hresult(windows::Win32::Foundation::E_POINTER));
        };
        // As Outlook's connection points: the sink must answer the dispinterface itself.
        let mut answered = std::ptr::null_mut();
        // SAFETY: a live object, a valid IID and out pointer.
        let code = unsafe { sink.query(&self.state.interface.iid, &mut answered) };
        if code.is_err() || answered.is_null() {
            return Err(Error::from_hresult(sys::CONNECT_E_CANNOTCONNECT));
        }
        // SAFETY: a dispinterface pointer is an `IDispatch*`; the reference is handed over.
        let sink = unsafe { IDispatch::from_raw(answered) };
        let cookie = self.state.next.get();
        self.state.next.set(cookie + 1);
        self.state.sinks.borrow_mut().push((cookie, sink));
        Ok(cookie)
    }

    fn Unadvise(&self, cookie: u32) -> Result<()> {
        let removed = {
            let mut sinks = self.state.sinks.borrow_mut();
            let index = sinks.iter().position(|(id, _)| *id == cookie);
            index.map(|index| sinks.remove(index))
        };
        // The sink is released here, after the list's borrow: its Release may run its code.
        match removed {
            Some(_) => Ok(()),
            None => Err(Error::from_hresult(sys::CONNECT_E_NOCONNECTION)),
        }
    }

    fn EnumConnections(&self) -> Result<IEnumConnections> {
        Err(Error::from_hresult(E_NOTIMPL))
    }
}
