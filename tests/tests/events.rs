//! `#[outlook_events]` and `EventSink` driven as an event source drives them: through the
//! sink's `IDispatch` vtable, with `DISPPARAMS` laid out as a source lays them out (the last
//! argument first, `Cancel` as `VT_BOOL | VT_BYREF`, text as a BSTR read by its length). Every
//! OS (the object core and the argument decoding are the same everywhere); the connection to a
//! source's `IConnectionPoint` is Windows' (`events_windows.rs`).

use mapi_notify_sink::addin::{outlook_events, EventSink};
use mapi_notify_sink::automation::Dispatch;
use mapi_notify_sink::sys::{self, DISPPARAMS, VARIANT, VARIANT_0};
use std::cell::{Cell, RefCell};
use std::ffi::c_void;
use std::ptr;
use std::rc::Rc;
use windows_core::{IUnknown, Interface, GUID, HRESULT};

const DISP_E_BADPARAMCOUNT: HRESULT = HRESULT(0x8002_000E_u32 as i32);
const E_UNEXPECTED: HRESULT = HRESULT(0x8000_FFFF_u32 as i32);

/// What the handler saw, in order.
#[derive(Default)]
struct Seen {
    calls: RefCell<Vec<String>>,
    sends: Cell<u32>,
    /// Counts the drops, when given.
    drops: Option<Rc<Cell<u32>>>,
}

impl Drop for Seen {
    fn drop(&mut self) {
        if let Some(drops) = &self.drops {
            drops.set(drops.get() + 1);
        }
    }
}

#[outlook_events]
impl Seen {
    fn startup(&self) {
        self.calls.borrow_mut().push("startup".into());
    }

    fn new_mail_ex(&self, entry_ids: &str) {
        self.calls
            .borrow_mut()
            .push(format!("new_mail_ex {entry_ids}"));
    }

    /// Cancels every other send, the first included.
    fn item_send(&self, _item: &Dispatch, cancel: &mut bool) {
        let send = self.sends.get();
        self.sends.set(send + 1);
        self.calls
            .borrow_mut()
            .push(format!("item_send {send} (cancel was {cancel})"));
        *cancel = send % 2 == 0;
    }

    fn reminder(&self, _item: &Dispatch) {
        panic!("the handler panics");
    }
}

/// The warnings logged on this thread since the last call (tests run on threads of their own).
fn warnings() -> Vec<String> {
    use std::sync::{Mutex, Once};
    struct Warnings(Mutex<Vec<(std::thread::ThreadId, String)>>);
    impl log::Log for Warnings {
        fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
            metadata.level() <= log::Level::Warn
        }
        fn log(&self, record: &log::Record<'_>) {
            if self.enabled(record.metadata()) {
                let line = (std::thread::current().id(), record.args().to_string());
                self.0.lock().unwrap().push(line);
            }
        }
        fn flush(&self) {}
    }
    static LOGGER: Warnings = Warnings(Mutex::new(Vec::new()));
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        log::set_logger(&LOGGER).unwrap();
        log::set_max_level(log::LevelFilter::Warn);
    });
    let me = std::thread::current().id();
    let mut all = LOGGER.0.lock().unwrap();
    let (mine, others): (Vec<_>, Vec<_>) = all.drain(..).partition(|(thread, _)| *thread == me);
    *all = others;
    mine.into_iter().map(|(_, line)| line).collect()
}

/// `Invoke` on the sink's vtable.
fn invoke(sink: *mut c_void, dispid: i32, flags: u16, args: &mut [VARIANT]) -> (HRESULT, u32) {
    let mut params = DISPPARAMS {
        rgvarg: if args.is_empty() {
            ptr::null_mut()
        } else {
            args.as_mut_ptr()
        },
        rgdispidNamedArgs: ptr::null_mut(),
        cArgs: args.len() as u32,
        cNamedArgs: 0,
    };
    let mut arg_error = u32::MAX;
    // SAFETY: a live IDispatch (the test's reference) and valid arguments for the call.
    let code = unsafe {
        let vtable = *sink.cast::<*const sys::IDispatch_Vtbl>();
        ((*vtable).Invoke)(
            sink,
            dispid,
            &GUID::zeroed(),
            0,
            flags,
            &mut params,
            ptr::null_mut(),
            ptr::null_mut(),
            &mut arg_error,
        )
    };
    (code, arg_error)
}

fn variant(vt: u16, value: VARIANT_0) -> VARIANT {
    VARIANT {
        vt,
        wReserved1: 0,
        wReserved2: 0,
        wReserved3: 0,
        value,
    }
}

/// A BSTR laid out as oleaut32 lays one out (its byte count, the units, a NUL), owned here.
struct Bstr(Vec<u16>);

impl Bstr {
    fn new(text: &str) -> Bstr {
        let units: Vec<u16> = text.encode_utf16().collect();
        let bytes = (units.len() * 2) as u32;
        let mut buffer = vec![bytes as u16, (bytes >> 16) as u16];
        buffer.extend(units);
        buffer.push(0);
        Bstr(buffer)
    }

    /// The BSTR: its first unit, with the whole buffer's provenance (the length before it is
    /// read through it).
    fn as_ptr(&mut self) -> *mut u16 {
        self.0.as_mut_ptr().wrapping_add(2)
    }
}

#[test]
fn each_event_reaches_its_method_with_its_arguments() {
    let drops = Rc::new(Cell::new(0));
    let counted = || Seen {
        calls: RefCell::default(),
        sends: Cell::default(),
        drops: Some(drops.clone()),
    };
    let sink = EventSink::new(counted());
    // Any IDispatch stands for the item: another sink is one.
    let item = EventSink::new(counted());
    let raw = sink.as_raw();
    let method = sys::DISPATCH_METHOD;

    assert_eq!(
        invoke(raw, sys::DISPID_Startup, method, &mut []).0,
        sys::S_OK
    );

    let mut ids = Bstr::new("00000000ABCDEF");
    let mut args = [variant(
        sys::VT_BSTR,
        VARIANT_0 {
            bstrVal: ids.as_ptr(),
        },
    )];
    assert_eq!(
        invoke(raw, sys::DISPID_NewMailEx, method, &mut args).0,
        sys::S_OK
    );

    // ItemSend(Item, Cancel): DISPPARAMS holds Cancel first.
    for expected in [-1_i16, 0] {
        let mut cancel: i16 = 0;
        let mut args = [
            variant(
                sys::VT_BOOL | sys::VT_BYREF,
                VARIANT_0 { piVal: &mut cancel },
            ),
            variant(
                sys::VT_DISPATCH,
                VARIANT_0 {
                    pdispVal: item.as_raw(),
                },
            ),
        ];
        assert_eq!(
            invoke(raw, sys::DISPID_ItemSend, method, &mut args).0,
            sys::S_OK
        );
        assert_eq!(
            cancel, expected,
            "Cancel written back as VARIANT_TRUE / VARIANT_FALSE"
        );
    }

    // An event the impl does not name: S_OK, nothing else.
    assert_eq!(
        invoke(raw, sys::DISPID_NewMail, method, &mut []).0,
        sys::S_OK
    );
    assert_eq!(
        *sink.calls.borrow(),
        [
            "startup",
            "new_mail_ex 00000000ABCDEF",
            "item_send 0 (cancel was false)",
            "item_send 1 (cancel was false)",
        ]
    );
    assert_eq!(
        EventSink::ref_count(&item),
        1,
        "the item's reference was given back"
    );
    drop(item);
    drop(sink);
    assert_eq!(drops.get(), 2, "each handler dropped once");
}

#[test]
fn bad_input_is_an_error_and_the_method_is_not_called() {
    let sink = EventSink::new(Seen::default());
    let item = EventSink::new(Seen::default());
    let raw = sink.as_raw();
    let method = sys::DISPATCH_METHOD;
    let mut cancel: i16 = 0;

    let _ = warnings();
    // The wrong count.
    let mut one = [variant(
        sys::VT_DISPATCH,
        VARIANT_0 {
            pdispVal: item.as_raw(),
        },
    )];
    assert_eq!(
        invoke(raw, sys::DISPID_ItemSend, method, &mut one).0,
        DISP_E_BADPARAMCOUNT
    );
    // Each bad call is a warning naming the event.
    let said = warnings();
    assert!(
        said.len() == 1 && said[0].contains("ItemSend") && said[0].contains("1 arguments"),
        "{said:?}"
    );
    // Another VARTYPE for the item: puArgErr names it (index 1 in rgvarg).
    let mut wrong = [
        variant(
            sys::VT_BOOL | sys::VT_BYREF,
            VARIANT_0 { piVal: &mut cancel },
        ),
        variant(sys::VT_I4, VARIANT_0 { lVal: 7 }),
    ];
    assert_eq!(
        invoke(raw, sys::DISPID_ItemSend, method, &mut wrong),
        (sys::DISP_E_TYPEMISMATCH, 1)
    );
    // A null Cancel.
    let mut null_cancel = [
        variant(
            sys::VT_BOOL | sys::VT_BYREF,
            VARIANT_0 {
                piVal: ptr::null_mut(),
            },
        ),
        variant(
            sys::VT_DISPATCH,
            VARIANT_0 {
                pdispVal: item.as_raw(),
            },
        ),
    ];
    assert_eq!(
        invoke(raw, sys::DISPID_ItemSend, method, &mut null_cancel),
        (sys::DISP_E_TYPEMISMATCH, 0)
    );
    // A null item.
    let mut null_item = [
        variant(
            sys::VT_BOOL | sys::VT_BYREF,
            VARIANT_0 { piVal: &mut cancel },
        ),
        variant(
            sys::VT_DISPATCH,
            VARIANT_0 {
                pdispVal: ptr::null_mut(),
            },
        ),
    ];
    assert_eq!(
        invoke(raw, sys::DISPID_ItemSend, method, &mut null_item),
        (sys::DISP_E_TYPEMISMATCH, 1)
    );
    // Text of another type.
    let mut number = [variant(sys::VT_I4, VARIANT_0 { lVal: 1 })];
    assert_eq!(
        invoke(raw, sys::DISPID_NewMailEx, method, &mut number).0,
        sys::DISP_E_TYPEMISMATCH
    );
    // A DISPID the interface lacks, and property-get flags.
    assert_eq!(
        invoke(raw, 0x1234, method, &mut []).0,
        sys::DISP_E_MEMBERNOTFOUND
    );
    assert_eq!(
        invoke(raw, sys::DISPID_Startup, sys::DISPATCH_PROPERTYGET, &mut []).0,
        sys::DISP_E_MEMBERNOTFOUND
    );
    let said = warnings();
    for (event, count) in [
        ("ItemSend", 3),
        ("NewMailEx", 1),
        ("Startup", 1),
        ("0x1234", 1),
    ] {
        let named = said.iter().filter(|line| line.contains(event)).count();
        assert_eq!(named, count, "warnings naming {event}: {said:?}");
    }
    assert!(sink.calls.borrow().is_empty(), "no method was called");
    assert_eq!(cancel, 0, "Cancel untouched");

    // A panicking method is contained; the next event arrives.
    let mut reminder = [variant(
        sys::VT_DISPATCH,
        VARIANT_0 {
            pdispVal: item.as_raw(),
        },
    )];
    assert_eq!(
        invoke(raw, sys::DISPID_Reminder, method, &mut reminder).0,
        E_UNEXPECTED
    );
    assert_eq!(
        invoke(raw, sys::DISPID_Startup, method, &mut []).0,
        sys::S_OK
    );
    assert_eq!(*sink.calls.borrow(), ["startup"]);
    assert_eq!(EventSink::ref_count(&item), 1);
}

#[test]
fn the_sink_answers_its_interface_and_its_thread_only() {
    let sink = EventSink::new(Seen::default());
    let unknown: IUnknown = sink.to_unknown();
    for (iid, answered) in [
        (sys::DIID_ApplicationEvents_11, true),
        (sys::IID_IDispatch, true),
        (sys::DIID_ItemsEvents, false),
        (sys::IID_IAgileObject, false),
    ] {
        let mut out = ptr::null_mut();
        // SAFETY: a live object, a valid IID and out pointer.
        let code = unsafe { unknown.query(&iid, &mut out) };
        assert_eq!(code.is_ok(), answered, "{iid:?}");
        if !out.is_null() {
            assert_eq!(out, sink.as_raw(), "one pointer");
            // SAFETY: the reference QueryInterface gave.
            drop(unsafe { IUnknown::from_raw(out) });
        }
    }
    drop(unknown);
    // Another thread: refused, the method not called.
    struct Pointer(*mut c_void);
    // SAFETY: only handed to the sink, whose thread check is what is tested; the sink outlives
    // the thread (joined below).
    unsafe impl Send for Pointer {}
    let raw = Pointer(sink.as_raw());
    let code = std::thread::spawn(move || {
        let raw = raw;
        invoke(raw.0, sys::DISPID_Startup, sys::DISPATCH_METHOD, &mut []).0
    })
    .join()
    .unwrap();
    assert_eq!(code, sys::RPC_E_WRONG_THREAD);
    assert!(sink.calls.borrow().is_empty());
    assert_eq!(EventSink::ref_count(&sink), 1);
}

/// `#[outlook_events(items)]`: a folder's Items' events.
#[derive(Default)]
struct Added(Cell<u32>);

#[outlook_events(items)]
impl Added {
    fn item_add(&self, _item: &Dispatch) {
        self.0.set(self.0.get() + 1);
    }

    fn item_change(&self, _item: &Dispatch) {
        self.0.set(self.0.get() + 10);
    }

    fn item_remove(&self) {
        self.0.set(self.0.get() + 100);
    }
}

#[test]
fn items_events() {
    let sink = EventSink::new(Added::default());
    let item = EventSink::new(Seen::default());
    let mut args = [variant(
        sys::VT_DISPATCH,
        VARIANT_0 {
            pdispVal: item.as_raw(),
        },
    )];
    assert_eq!(
        invoke(
            sink.as_raw(),
            sys::DISPID_ItemAdd,
            sys::DISPATCH_METHOD,
            &mut args
        )
        .0,
        sys::S_OK
    );
    assert_eq!(
        invoke(
            sink.as_raw(),
            sys::DISPID_ItemChange,
            sys::DISPATCH_METHOD,
            &mut args
        )
        .0,
        sys::S_OK
    );
    assert_eq!(
        invoke(
            sink.as_raw(),
            sys::DISPID_ItemRemove,
            sys::DISPATCH_METHOD,
            &mut []
        )
        .0,
        sys::S_OK
    );
    assert_eq!(
        sink.0.get(),
        111,
        "ItemAdd, ItemChange, ItemRemove, each once"
    );
    let mut out = ptr::null_mut();
    // SAFETY: a live object, a valid IID and out pointer.
    let code = unsafe { sink.to_unknown().query(&sys::DIID_ItemsEvents, &mut out) };
    assert!(code.is_ok());
    // SAFETY: the reference QueryInterface gave.
    drop(unsafe { IUnknown::from_raw(out) });
}

/// Holds the only other reference to its own sink, and lets it go from inside an event, as a
/// handler dropping its own `Connection` makes the source release the sink mid-call.
struct LetsGo {
    own: RefCell<Option<EventSink<LetsGo>>>,
    drops: Rc<Cell<u32>>,
}

impl Drop for LetsGo {
    fn drop(&mut self) {
        self.drops.set(self.drops.get() + 1);
    }
}

#[outlook_events]
impl LetsGo {
    fn quit(&self) {
        let own = self.own.borrow_mut().take();
        drop(own); // the last reference but the call's own
                   // Still alive: the call holds a reference of its own until it returns.
        assert_eq!(self.drops.get(), 0);
    }
}

#[test]
fn a_handler_may_release_its_own_sink_from_inside_an_event() {
    let drops = Rc::new(Cell::new(0));
    let sink = EventSink::new(LetsGo {
        own: RefCell::new(None),
        drops: drops.clone(),
    });
    *sink.own.borrow_mut() = Some(sink.clone());
    let raw = sink.as_raw();
    drop(sink); // now only the handler's own reference keeps the sink
    assert_eq!(drops.get(), 0);
    assert_eq!(
        invoke(raw, sys::DISPID_Quit, sys::DISPATCH_METHOD, &mut []).0,
        sys::S_OK
    );
    assert_eq!(drops.get(), 1, "freed once, after the call");
}

/// Every event of both interfaces, named: the attribute's list and the runtime's table agree
/// (an event in one and not the other fails to build this, or the count below).
struct All;

#[outlook_events]
impl All {
    fn item_send(&self, _item: &Dispatch, _cancel: &mut bool) {}
    fn new_mail(&self) {}
    fn reminder(&self, _item: &Dispatch) {}
    fn options_pages_add(&self, _pages: &Dispatch) {}
    fn startup(&self) {}
    fn quit(&self) {}
    fn advanced_search_complete(&self, _search: &Dispatch) {}
    fn advanced_search_stopped(&self, _search: &Dispatch) {}
    fn mapi_logon_complete(&self) {}
    fn new_mail_ex(&self, _entry_ids: &str) {}
    fn item_load(&self, _item: &Dispatch) {}
}

#[test]
fn the_attribute_knows_every_event_of_the_runtimes_tables() {
    use mapi_notify_sink::addin::{ApplicationEvents, EventHandler, EventInterface, ItemsEvents};
    let handled: Vec<i32> = All::HANDLERS.iter().map(|handler| handler.dispid).collect();
    let events: Vec<i32> = ApplicationEvents::EVENTS
        .iter()
        .map(|event| event.dispid)
        .collect();
    assert_eq!(handled, events);
    let handled: Vec<i32> = Added::HANDLERS
        .iter()
        .map(|handler| handler.dispid)
        .collect();
    let events: Vec<i32> = ItemsEvents::EVENTS
        .iter()
        .map(|event| event.dispid)
        .collect();
    assert_eq!(handled, events);
}
