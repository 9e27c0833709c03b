//! `EventSink::connect` against connection points written the windows-rs way
//! (`outlook_sim::events`, as outlook-sim's objects have them), in a single-threaded apartment
//! as on Outlook's main thread: the sink connected by `FindConnectionPoint` and `Advise`, the
//! events fired through its `Invoke` reaching the methods (a send cancelled), the connection
//! unadvised when dropped and the sink let go; a source without events or without the
//! interface is an error naming it. Windows (under Wine by `scripts/test-windows.sh`).
#![cfg(windows)]

use mapi_notify_sink::addin::{outlook_events, EventSink};
use mapi_notify_sink::automation::Dispatch;
use outlook_sim::events::{Arg, EventSource, APPLICATION_EVENTS, ITEMS_EVENTS};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use windows::Win32::System::Com::{
    CoInitializeEx, CoUninitialize, IConnectionPoint, IConnectionPointContainer,
    IConnectionPointContainer_Impl, IDispatch, IDispatch_Impl, IEnumConnectionPoints, ITypeInfo,
    COINIT_APARTMENTTHREADED, DISPATCH_FLAGS, DISPPARAMS, EXCEPINFO,
};
use windows::Win32::System::Variant::VARIANT;
use windows_core::{implement, Error, Interface, Result, GUID, HRESULT, PCWSTR};

const E_NOTIMPL: HRESULT = HRESULT(0x8000_4001_u32 as i32);

struct Sta;

impl Sta {
    fn enter() -> Sta {
        // SAFETY: once per test thread, balanced by Drop.
        unsafe { CoInitializeEx(None, COINIT_APARTMENTTHREADED) }.unwrap();
        Sta
    }
}

impl Drop for Sta {
    fn drop(&mut self) {
        // SAFETY: balances `enter`, on the same thread.
        unsafe { CoUninitialize() }
    }
}

/// An object with events, as Outlook's `Application` is: `IDispatch` (no members needed
/// here) and `IConnectionPointContainer` over its sources.
#[implement(IDispatch, IConnectionPointContainer, Agile = false)]
struct Source {
    sources: Vec<EventSource>,
}

impl IDispatch_Impl for Source_Impl {
    fn GetTypeInfoCount(&self) -> Result<u32> {
        Ok(0)
    }
    fn GetTypeInfo(&self, _: u32, _: u32) -> Result<ITypeInfo> {
        Err(Error::from_hresult(E_NOTIMPL))
    }
    fn GetIDsOfNames(
        &self,
        _: *const GUID,
        _: *const PCWSTR,
        _: u32,
        _: u32,
        _: *mut i32,
    ) -> Result<()> {
        Err(Error::from_hresult(E_NOTIMPL))
    }
    fn Invoke(
        &self,
        _: i32,
        _: *const GUID,
        _: u32,
        _: DISPATCH_FLAGS,
        _: *const DISPPARAMS,
        _: *mut VARIANT,
        _: *mut EXCEPINFO,
        _: *mut u32,
    ) -> Result<()> {
        Err(Error::from_hresult(E_NOTIMPL))
    }
}

impl IConnectionPointContainer_Impl for Source_Impl {
    fn EnumConnectionPoints(&self) -> Result<IEnumConnectionPoints> {
        Err(Error::from_hresult(E_NOTIMPL))
    }
    fn FindConnectionPoint(&self, riid: *const GUID) -> Result<IConnectionPoint> {
        let sources: Vec<&EventSource> = self.sources.iter().collect();
        // SAFETY: a caller's IID pointer, null or readable.
        EventSource::find(&sources, unsafe { riid.as_ref() })
    }
}

#[derive(Default)]
struct Guard {
    seen: RefCell<Vec<String>>,
}

#[outlook_events]
impl Guard {
    fn startup(&self) {
        self.seen.borrow_mut().push("startup".into());
    }

    fn item_send(&self, _item: &Dispatch, cancel: &mut bool) {
        self.seen.borrow_mut().push("item_send".into());
        *cancel = true;
    }

    fn new_mail_ex(&self, entry_ids: &str) {
        self.seen
            .borrow_mut()
            .push(format!("new_mail_ex {entry_ids}"));
    }
}

#[derive(Default)]
struct Added(Cell<u32>);

#[outlook_events(items)]
impl Added {
    fn item_add(&self, _item: &Dispatch) {
        self.0.set(self.0.get() + 1);
    }
}

#[test]
fn connected_sinks_get_the_events_until_dropped() {
    let _sta = Sta::enter();
    let application = EventSource::new(APPLICATION_EVENTS);
    let items = EventSource::new(ITEMS_EVENTS);
    let source: IDispatch = Source {
        sources: vec![application.clone(), items.clone()],
    }
    .into();
    let source = Dispatch::from_unknown(&source.cast().unwrap()).unwrap();

    let guard = EventSink::new(Guard::default());
    let added = EventSink::new(Added::default());
    let connection = guard.connect(&source).unwrap();
    let items_connection = added.connect(&source).unwrap();
    assert_eq!(connection.interface(), "ApplicationEvents_11");
    assert_ne!(connection.cookie(), 0);
    assert_eq!(application.advised(), 1);
    assert_eq!(items.advised(), 1);
    assert_eq!(
        EventSink::ref_count(&guard),
        2,
        "the source holds one reference"
    );

    let item: IDispatch = Source { sources: vec![] }.into();
    assert_eq!(application.fire(0xF006, &[]), [HRESULT(0)]);
    let cancel = Rc::new(Cell::new(false));
    assert_eq!(
        application.fire(
            0xF002,
            &[Arg::Object(item.clone()), Arg::Cancel(cancel.clone())]
        ),
        [HRESULT(0)]
    );
    assert!(cancel.get(), "the send was cancelled");
    assert_eq!(
        application.fire(0xFAB5, &[Arg::Text("00000000CAFE".into())]),
        [HRESULT(0)]
    );
    assert_eq!(
        items.fire(0xF001, &[Arg::Object(item.clone())]),
        [HRESULT(0)]
    );
    assert_eq!(
        *guard.seen.borrow(),
        ["startup", "item_send", "new_mail_ex 00000000CAFE"]
    );
    assert_eq!(added.0.get(), 1);

    drop(connection); // unadvised
    items_connection.disconnect().unwrap();
    assert_eq!(application.advised(), 0);
    assert_eq!(items.advised(), 0);
    assert_eq!(
        EventSink::ref_count(&guard),
        1,
        "the source let go of the sink"
    );
    assert!(application.fire(0xF006, &[]).is_empty());
    assert_eq!(guard.seen.borrow().len(), 3);
}

#[test]
fn a_source_without_the_events_is_an_error() {
    let _sta = Sta::enter();
    let only_items: IDispatch = Source {
        sources: vec![EventSource::new(ITEMS_EVENTS)],
    }
    .into();
    let only_items = Dispatch::from_unknown(&only_items.cast().unwrap()).unwrap();
    let error = EventSink::new(Guard::default())
        .connect(&only_items)
        .unwrap_err();
    assert!(
        error.to_string().contains("ApplicationEvents_11"),
        "{error}"
    );
}
