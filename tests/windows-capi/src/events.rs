//! The event sink behind a C API, for `cpp/events_source.cpp`: a `#[outlook_events]` handler of
//! every `ApplicationEvents_11` event that records what reached each method, connected to the
//! C++ source with `EventSink::connect`.

use core::ffi::c_void;
use mapi_notify_sink::addin::{outlook_events, Connection, EventSink};
use mapi_notify_sink::automation::Dispatch;
use std::cell::RefCell;
use windows_core::{IUnknown, Interface};

/// Records each event as `method` (with its text, or the `Cancel` it was given).
#[derive(Default)]
struct Recorder(RefCell<Vec<String>>);

impl Recorder {
    fn seen(&self, what: String) {
        self.0.borrow_mut().push(what);
    }
}

#[outlook_events]
impl Recorder {
    fn item_send(&self, _item: &Dispatch, cancel: &mut bool) {
        self.seen(format!("item_send (cancel was {cancel})"));
        *cancel = true;
    }
    fn new_mail(&self) {
        self.seen("new_mail".into());
    }
    fn reminder(&self, _item: &Dispatch) {
        self.seen("reminder".into());
    }
    fn options_pages_add(&self, _pages: &Dispatch) {
        self.seen("options_pages_add".into());
    }
    fn startup(&self) {
        self.seen("startup".into());
    }
    fn quit(&self) {
        self.seen("quit".into());
    }
    fn advanced_search_complete(&self, _search: &Dispatch) {
        self.seen("advanced_search_complete".into());
    }
    fn advanced_search_stopped(&self, _search: &Dispatch) {
        self.seen("advanced_search_stopped".into());
    }
    fn mapi_logon_complete(&self) {
        self.seen("mapi_logon_complete".into());
    }
    fn new_mail_ex(&self, entry_ids: &str) {
        self.seen(format!("new_mail_ex {entry_ids}"));
    }
    fn item_load(&self, _item: &Dispatch) {
        self.seen("item_load".into());
    }
}

/// What `capi_events_connect` hands the C++ side.
struct Events {
    sink: EventSink<Recorder>,
    connection: Connection,
}

/// Connects a new recording sink to `source` (an `IDispatch` that is an
/// `IConnectionPointContainer`); null on failure (printed).
///
/// # Safety
/// `source` is a live `IDispatch*` on this thread's apartment, borrowed for the call.
#[no_mangle]
pub unsafe extern "C" fn capi_events_connect(source: *mut c_void) -> *mut c_void {
    // SAFETY: the caller's live object, borrowed.
    let Some(unknown) = (unsafe { IUnknown::from_raw_borrowed(&source) }) else {
        return core::ptr::null_mut();
    };
    let sink = EventSink::new(Recorder::default());
    let connected = Dispatch::from_unknown(unknown).and_then(|source| sink.connect(&source));
    match connected {
        Ok(connection) => Box::into_raw(Box::new(Events { sink, connection })).cast(),
        Err(error) => {
            println!("FAIL capi_events_connect: {error}");
            core::ptr::null_mut()
        }
    }
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
    let seen = events.sink.0.borrow();
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
    let Events { sink, connection } = *events;
    let code = match connection.disconnect() {
        Ok(()) => 0,
        Err(error) => error.code().0,
    };
    drop(sink);
    code
}
