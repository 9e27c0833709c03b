//! The event sinks behind a C API, for `cpp/events_source.cpp`: `#[outlook_events]` handlers of
//! every `ApplicationEvents_11` and every `ItemsEvents` event that record what reached each
//! method (and whether an item was the object the source sent), connected to the C++ source
//! with `EventSink::connect`.

use core::ffi::c_void;
use mapi_notify_sink::addin::{outlook_events, Connection, EventSink};
use mapi_notify_sink::automation::Dispatch;
use std::cell::RefCell;
use std::rc::Rc;
use windows_core::{IUnknown, Interface};

/// What a sink saw, shared with its handle.
type Seen = Rc<RefCell<Vec<String>>>;

/// Records each event as `method` (with its text, or the `Cancel` it was given); an item that is
/// not the source object itself (the C++ side sends the source as every item) is marked.
struct Recorder {
    seen: Seen,
    source: IUnknown,
}

impl Recorder {
    fn seen(&self, what: &str) {
        self.seen.borrow_mut().push(what.to_string());
    }

    fn item(&self, what: &str, item: &Dispatch) {
        if item.to_unknown() == self.source {
            self.seen(what);
        } else {
            self.seen(&format!("{what} (another object)"));
        }
    }
}

#[outlook_events]
impl Recorder {
    fn item_send(&self, item: &Dispatch, cancel: &mut bool) {
        self.item(&format!("item_send (cancel was {cancel})"), item);
        *cancel = true;
    }
    fn new_mail(&self) {
        self.seen("new_mail");
    }
    fn reminder(&self, item: &Dispatch) {
        self.item("reminder", item);
    }
    fn options_pages_add(&self, pages: &Dispatch) {
        self.item("options_pages_add", pages);
    }
    fn startup(&self) {
        self.seen("startup");
    }
    fn quit(&self) {
        self.seen("quit");
    }
    fn advanced_search_complete(&self, search: &Dispatch) {
        self.item("advanced_search_complete", search);
    }
    fn advanced_search_stopped(&self, search: &Dispatch) {
        self.item("advanced_search_stopped", search);
    }
    fn mapi_logon_complete(&self) {
        self.seen("mapi_logon_complete");
    }
    fn new_mail_ex(&self, entry_ids: &str) {
        self.seen(&format!("new_mail_ex {entry_ids}"));
    }
    fn item_load(&self, item: &Dispatch) {
        self.item("item_load", item);
    }
}

/// The same for a folder's `Items`.
struct ItemsRecorder(Recorder);

#[outlook_events(items)]
impl ItemsRecorder {
    fn item_add(&self, item: &Dispatch) {
        self.0.item("item_add", item);
    }
    fn item_change(&self, item: &Dispatch) {
        self.0.item("item_change", item);
    }
    fn item_remove(&self) {
        self.0.seen("item_remove");
    }
}

/// What `capi_events_connect` and `capi_items_connect` hand the C++ side: what the sink saw,
/// the sink, and its connection.
struct Events {
    seen: Seen,
    _sink: Box<dyn core::any::Any>,
    connection: Connection,
}

/// Connects `sink` to `source`; the handle, or null (printed).
fn connect<T: mapi_notify_sink::addin::EventHandler>(
    source: &IUnknown,
    seen: Seen,
    sink: EventSink<T>,
) -> *mut c_void {
    let connected = Dispatch::from_unknown(source).and_then(|source| sink.connect(&source));
    match connected {
        Ok(connection) => Box::into_raw(Box::new(Events {
            seen,
            _sink: Box::new(sink),
            connection,
        }))
        .cast(),
        Err(error) => {
            println!("FAIL capi_events_connect: {error}");
            core::ptr::null_mut()
        }
    }
}

/// Connects a new recording `ApplicationEvents_11` sink to `source` (an `IDispatch` that is an
/// `IConnectionPointContainer`); null on failure (printed).
///
/// # Safety
/// `source` is a live `IDispatch*` on this thread's apartment, borrowed for the call.
#[no_mangle]
pub unsafe extern "C" fn capi_events_connect(source: *mut c_void) -> *mut c_void {
    // SAFETY: the caller's live object, borrowed.
    let Some(source) = (unsafe { IUnknown::from_raw_borrowed(&source) }) else {
        return core::ptr::null_mut();
    };
    let seen = Seen::default();
    let recorder = Recorder {
        seen: seen.clone(),
        source: source.clone(),
    };
    connect(source, seen, EventSink::new(recorder))
}

/// The same for `ItemsEvents`.
///
/// # Safety
/// As `capi_events_connect`.
#[no_mangle]
pub unsafe extern "C" fn capi_items_connect(source: *mut c_void) -> *mut c_void {
    // SAFETY: the caller's live object, borrowed.
    let Some(source) = (unsafe { IUnknown::from_raw_borrowed(&source) }) else {
        return core::ptr::null_mut();
    };
    let seen = Seen::default();
    let recorder = ItemsRecorder(Recorder {
        seen: seen.clone(),
        source: source.clone(),
    });
    connect(source, seen, EventSink::new(recorder))
}

/// Writes the `index`th event that reached a method into `out` (NUL-terminated UTF-8, cut to
/// `size`); 1, or 0 past the last.
///
/// # Safety
/// `handle` is from `capi_events_connect` and not yet disconnected; `out` is writable for
/// `size` bytes.
#[no_mangle]
pub unsafe extern "C" fn capi_events_seen(
    handle: *mut c_void,
    index: u32,
    out: *mut u8,
    size: u32,
) -> i32 {
    // SAFETY: the caller's promise.
    let events = unsafe { &*handle.cast::<Events>() };
    let seen = events.seen.borrow();
    let Some(text) = seen.get(index as usize) else {
        return 0;
    };
    let count = text.len().min(size.saturating_sub(1) as usize);
    // SAFETY: `out` has `size` bytes; `count + 1` of them are written.
    unsafe {
        core::ptr::copy_nonoverlapping(text.as_ptr(), out, count);
        out.add(count).write(0);
    }
    1
}

/// Drops the connection (unadvising) and the sink; the HRESULT of the unadvise.
///
/// # Safety
/// `handle` is from `capi_events_connect`, given back once.
#[no_mangle]
pub unsafe extern "C" fn capi_events_disconnect(handle: *mut c_void) -> i32 {
    // SAFETY: the caller's promise: ours, given back once.
    let events = unsafe { Box::from_raw(handle.cast::<Events>()) };
    let Events {
        seen: _,
        _sink: sink,
        connection,
    } = *events;
    let code = match connection.disconnect() {
        Ok(()) => 0,
        Err(error) => error.code().0,
    };
    drop(sink);
    code
}
