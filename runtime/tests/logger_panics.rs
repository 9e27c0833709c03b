//! A logger that panics on every record, driven through every path a COM caller can take into
//! the crate that logs: each sink kind's slots (refused arguments, the user's own records and
//! panics), the object core's null arguments, both simulators' slots, and (feature `trace`)
//! the trace hooks. A panic unwinding out of an `extern "system"` function aborts the process,
//! so each test's first check is that it is still running; the second, that the logger was
//! reached on the calling thread (the path really logged), and the third, what the call did.
//!
//! `cargo test -p mapi-notify-sink --test logger_panics` (and `--all-features` for the trace
//! hooks). One logger per process: this binary's is the panicking one.

mod support;

use core::ptr;
use mapi_notify_sink::advise_sink::{AdviseSink, Events};
use mapi_notify_sink::simulator::{SimulatedOutlook, SimulatedStore, StoreEvent};
use mapi_notify_sink::{
    mapi_advise_sink, mapi_notify_sink, sys, AdviseOptions, ConnectionState, Notification,
    SetStateMode, Sink,
};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once, PoisonError};
use support::*;
use windows_core::Interface as _;

const PANIC_MESSAGE: &str = "this logger panics on every record";

thread_local! {
    /// Records this thread's logger calls saw (each of which panicked), but for `trace`'s.
    static RECORDS: Cell<usize> = const { Cell::new(0) };
    /// `trace`'s records this thread's logger calls saw.
    static TRACE_RECORDS: Cell<usize> = const { Cell::new(0) };
}

/// Every message, from every thread (the simulators deliver from threads of their own).
static MESSAGES: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct PanickingLogger;

impl log::Log for PanickingLogger {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        let counter = if record.target() == "mapi_notify_sink::trace" {
            &TRACE_RECORDS
        } else {
            &RECORDS
        };
        counter.with(|records| records.set(records.get() + 1));
        let message = record.args().to_string();
        MESSAGES
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(message);
        std::panic::panic_any(PANIC_MESSAGE);
    }

    fn flush(&self) {}
}

/// Installs the logger, and a panic hook that keeps its panics out of the test output (any
/// other panic is reported as usual).
fn install() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        log::set_logger(&PanickingLogger).expect("the only logger in this binary");
        log::set_max_level(log::LevelFilter::Trace);
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info.payload().downcast_ref::<&str>() != Some(&PANIC_MESSAGE) {
                default(info);
            }
        }));
    });
}

/// Runs `call` with the panicking logger; returns what it returned and how many records (but
/// `trace`'s) this thread tried to log meanwhile.
fn with_panicking_logger<R>(call: impl FnOnce() -> R) -> (R, usize) {
    counting(&RECORDS, call)
}

/// As [`with_panicking_logger`], counting `trace`'s records only.
#[cfg(feature = "trace")]
fn with_panicking_trace_logger<R>(call: impl FnOnce() -> R) -> (R, usize) {
    counting(&TRACE_RECORDS, call)
}

fn counting<R>(
    counter: &'static std::thread::LocalKey<Cell<usize>>,
    call: impl FnOnce() -> R,
) -> (R, usize) {
    install();
    let before = counter.with(Cell::get);
    let value = call();
    (value, counter.with(Cell::get) - before)
}

/// Whether any thread logged `message`.
fn logged(message: &str) -> bool {
    MESSAGES
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .any(|logged| logged == message)
}

// ---------------------------------------------------------------------------------------------
// The offline sink
// ---------------------------------------------------------------------------------------------

struct Offline {
    _tombstone: Tombstone,
    seen: AtomicUsize,
}

#[mapi_notify_sink]
impl Offline {
    fn notify(&self, _info: &Notification<'_>) {
        self.seen.fetch_add(1, Ordering::Relaxed);
        log::info!("the handler logs");
        panic!("and then panics");
    }
}

fn offline_sink() -> (Sink<Offline>, Drops) {
    let (tombstone, drops) = tombstone();
    let sink = Sink::new(Offline {
        _tombstone: tombstone,
        seen: AtomicUsize::new(0),
    });
    (sink, drops)
}

#[test]
fn offline_notify_with_a_null_pointer_survives_a_panicking_logger() {
    let (sink, drops) = offline_sink();
    // SAFETY: a live sink; a null notification is allowed (and refused).
    let ((), records) = with_panicking_logger(|| unsafe { notify(sink.as_raw(), ptr::null()) });
    assert!(records >= 1, "the refusal was logged");
    assert_eq!(sink.seen.load(Ordering::Relaxed), 0);
    drop(sink);
    drops.assert_once();
}

#[test]
fn offline_notify_shorter_than_its_header_survives_a_panicking_logger() {
    let (sink, drops) = offline_sink();
    let short = NotifyBuffer::new(MapiOfflineNotify::state_change(STATECHANGE, 1, 1, 2), 8);
    // SAFETY: a live sink; `short` covers its 8 bytes.
    let ((), records) = with_panicking_logger(|| unsafe { notify(sink.as_raw(), short.as_ptr()) });
    assert!(records >= 1);
    assert_eq!(sink.seen.load(Ordering::Relaxed), 0);
    drop(sink);
    drops.assert_once();
}

#[test]
fn offline_notify_whose_handler_logs_and_panics_survives_a_panicking_logger() {
    let (sink, drops) = offline_sink();
    let whole = NotifyBuffer::new(MapiOfflineNotify::state_change(STATECHANGE, 1, 1, 2), 24);
    // SAFETY: a live sink; a whole notification.
    let ((), records) = with_panicking_logger(|| unsafe { notify(sink.as_raw(), whole.as_ptr()) });
    // The handler's own record, then the report of its panic: both reached the logger.
    assert!(records >= 2, "{records}");
    assert_eq!(sink.seen.load(Ordering::Relaxed), 1);
    // The object keeps working.
    // SAFETY: as above.
    let ((), _) = with_panicking_logger(|| unsafe { notify(sink.as_raw(), whole.as_ptr()) });
    assert_eq!(sink.seen.load(Ordering::Relaxed), 2);
    drop(sink);
    drops.assert_once();
}

#[test]
fn query_interface_with_null_arguments_survives_a_panicking_logger() {
    let (sink, drops) = offline_sink();
    let raw = sink.as_raw();
    let mut ppv = garbage_ppv();
    // SAFETY: a live sink; null arguments are refused with E_POINTER.
    let (codes, records) = with_panicking_logger(|| unsafe {
        (
            query_interface_raw(raw, &IID_IUnknown, ptr::null_mut()),
            query_interface_raw(raw, ptr::null(), &mut ppv),
        )
    });
    assert_eq!(codes, (E_POINTER, E_POINTER));
    assert!(ppv.is_null());
    assert!(records >= 2);
    drop(sink);
    drops.assert_once();
}

// ---------------------------------------------------------------------------------------------
// The advise sink
// ---------------------------------------------------------------------------------------------

struct Advised {
    _tombstone: Tombstone,
    calls: AtomicUsize,
    /// What its handler's record says: each test's own.
    record: &'static str,
}

#[mapi_advise_sink]
impl Advised {
    fn on_notify(&self, events: &Events<'_>) {
        self.calls.fetch_add(1, Ordering::Relaxed);
        // A lazy read that refuses (a misaligned row) logs from inside the handler.
        for event in events {
            let _ = format!("{event:?}");
        }
        log::info!("{}", self.record);
        panic!("and then panics");
    }
}

fn advise_sink() -> (AdviseSink<Advised>, Drops) {
    advise_sink_recording("the handler logs")
}

fn advise_sink_recording(record: &'static str) -> (AdviseSink<Advised>, Drops) {
    let (tombstone, drops) = tombstone();
    let sink = AdviseSink::new(Advised {
        _tombstone: tombstone,
        calls: AtomicUsize::new(0),
        record,
    });
    (sink, drops)
}

#[test]
fn on_notify_refusals_survive_a_panicking_logger() {
    let (sink, drops) = advise_sink();
    let raw = sink.as_raw();
    let mut lent = Lent::default();
    let bytes = lent.array(&[0_u64; 23]).cast::<u8>();
    let misaligned = bytes.wrapping_add(4).cast::<CNotification>();
    // SAFETY: a live sink; each array is refused before anything in it is read.
    let (returned, records) = with_panicking_logger(|| unsafe {
        [
            on_notify(raw, 0, ptr::null()),
            on_notify(raw, 2, ptr::null()),
            on_notify(raw, 1, misaligned),
        ]
    });
    assert_eq!(returned, [0, 0, 0]);
    assert!(records >= 3, "{records}");
    assert_eq!(sink.calls.load(Ordering::Relaxed), 0);
    drop(sink);
    drops.assert_once();
}

#[test]
fn on_notify_whose_handler_reads_a_bad_field_logs_and_panics_survives_a_panicking_logger() {
    let (sink, drops) = advise_sink();
    let mut lent = Lent::default();
    let props = lent.array(&[0_u64; 8]).cast::<u8>().wrapping_add(4);
    let status = CNotification::status(CStatusObjectNotification {
        cbEntryID: 0,
        lpEntryID: ptr::null_mut(),
        cValues: 1,
        lpPropVals: props.cast(),
    });
    let array = lent.array(&[status]);
    // SAFETY: a live sink; one notification whose property array is misaligned (refused
    // when the handler reads it).
    let (returned, records) =
        with_panicking_logger(|| unsafe { on_notify(sink.as_raw(), 1, array) });
    assert_eq!(returned, 0);
    // The refusal, the handler's record, the panic's report.
    assert!(records >= 3, "{records}");
    assert_eq!(sink.calls.load(Ordering::Relaxed), 1);
    drop(sink);
    drops.assert_once();
}

#[test]
fn the_advise_sinks_query_interface_with_null_arguments_survives_a_panicking_logger() {
    let (sink, drops) = advise_sink();
    let mut ppv = garbage_ppv();
    // SAFETY: a live sink; null arguments are refused with E_POINTER.
    let (codes, records) = with_panicking_logger(|| unsafe {
        (
            query_interface_raw(sink.as_raw(), &IID_IMAPIAdviseSink, ptr::null_mut()),
            query_interface_raw(sink.as_raw(), ptr::null(), &mut ppv),
        )
    });
    assert_eq!(codes, (E_POINTER, E_POINTER));
    assert!(records >= 2);
    drop(sink);
    drops.assert_once();
}

// ---------------------------------------------------------------------------------------------
// The simulators' slots, through safe calls and raw ones
// ---------------------------------------------------------------------------------------------

#[test]
// `OfflineManager`'s error asks the thread for its `IErrorInfo` on Windows, which Miri cannot.
#[cfg_attr(all(miri, windows), ignore = "Miri has no GetErrorInfo")]
fn the_simulated_outlooks_refusals_survive_a_panicking_logger() {
    let outlook = SimulatedOutlook::new();
    let manager = outlook.manager();
    let (sink, drops) = advise_sink();
    let (results, records) = with_panicking_logger(|| {
        // Neither online nor offline: refused by SetCurrentState, which logs why.
        let state = manager.set_state(ConnectionState::Other(0), SetStateMode::Block);
        // SAFETY: a token no registration has; flags 0.
        let unadvise = unsafe {
            sys::IMAPIOfflineMgr::from_raw_borrowed(&manager.as_raw())
                .unwrap()
                .Unadvise(0, 12345)
        };
        // SAFETY: a null advise info, refused.
        let advise = unsafe {
            sys::IMAPIOfflineMgr::from_raw_borrowed(&manager.as_raw())
                .unwrap()
                .Advise(0, ptr::null_mut(), &mut 0)
        };
        (state.map_err(|error| error.code()), unadvise, advise)
    });
    assert_eq!(
        results,
        (Err(sys::E_INVALIDARG), sys::E_INVALIDARG, sys::E_INVALIDARG)
    );
    assert!(records >= 3, "{records}");
    // An advise sink is not an offline sink: the simulator's QueryInterface says no, and the
    // manager logs it.
    let mut info = sys::MAPIOFFLINE_ADVISEINFO {
        ulSize: size_of::<sys::MAPIOFFLINE_ADVISEINFO>() as u32,
        ulClientToken: 0,
        CallbackType: sys::MAPIOFFLINE_CALLBACK_TYPE_NOTIFY,
        pCallback: sink.as_raw(),
        ulAdviseTypes: sys::MAPIOFFLINE_ADVISE_TYPE_STATECHANGE,
        ulStateMask: sys::MAPIOFFLINE_STATE_ALL,
    };
    // SAFETY: a complete advise info with a live callback.
    let (advised, records) = with_panicking_logger(|| unsafe {
        sys::IMAPIOfflineMgr::from_raw_borrowed(&manager.as_raw())
            .unwrap()
            .Advise(0, &mut info, &mut 0)
    });
    assert_eq!(advised, sys::E_NOINTERFACE);
    assert!(records >= 1);
    drop((manager, outlook, sink));
    drops.assert_once();
}

#[test]
fn the_simulated_stores_refusals_survive_a_panicking_logger() {
    let store = SimulatedStore::new();
    let interface = store.to_interface();
    let mut ppv = garbage_ppv();
    // SAFETY: each call is refused for the argument the comment names.
    let (codes, records) = with_panicking_logger(|| unsafe {
        [
            // A null sink.
            interface.Advise(
                0,
                ptr::null_mut(),
                sys::fnevNewMail,
                ptr::null_mut(),
                &mut 0,
            ),
            // A connection not in use.
            interface.Unadvise(99),
            // The store's own QueryInterface with null arguments.
            query_interface_raw(store.as_raw(), ptr::null(), &mut ppv),
        ]
    });
    assert_eq!(
        codes,
        [sys::E_INVALIDARG, sys::MAPI_E_NOT_FOUND, sys::E_POINTER]
    );
    assert!(records >= 3, "{records}");
}

#[test]
fn a_notification_the_store_delivers_to_a_sink_whose_handler_panics_survives_a_panicking_logger() {
    let store = SimulatedStore::new();
    const RECORD: &str = "the handler of the store's delivery logs";
    let (sink, drops) = advise_sink_recording(RECORD);
    let mut connection = 0;
    install();
    // SAFETY: a live sink, the whole store, a writable connection number.
    let advised = unsafe {
        store.to_interface().Advise(
            0,
            ptr::null_mut(),
            sys::fnevNewMail,
            sink.as_raw(),
            &mut connection,
        )
    };
    assert!(advised.is_ok());
    assert_eq!(
        store.notify(&[StoreEvent::new_mail(b"m", b"f", "IPM.Note")]),
        1
    );
    assert_eq!(sink.calls.load(Ordering::Relaxed), 1);
    assert!(
        logged(RECORD),
        "the handler's record reached the logger, on the store's thread"
    );
    // SAFETY: the connection this store gave.
    assert!(unsafe { store.to_interface().Unadvise(connection) }.is_ok());
    drop((store, sink));
    drops.assert_once();
}

#[test]
fn a_transition_delivered_to_a_sink_whose_handler_panics_survives_a_panicking_logger() {
    install();
    let outlook = SimulatedOutlook::new();
    let (sink, drops) = offline_sink();
    let advise = outlook
        .manager()
        .advise(&sink, AdviseOptions::default())
        .unwrap();
    outlook.go_offline();
    assert_eq!(sink.seen.load(Ordering::Relaxed), 3);
    drop(advise);
    drop((outlook, sink));
    drops.assert_once();
}

// ---------------------------------------------------------------------------------------------
// The trace hooks (feature `trace`)
// ---------------------------------------------------------------------------------------------

#[cfg(feature = "trace")]
#[test]
fn every_trace_hook_survives_a_panicking_logger() {
    let (tombstone, drops) = tombstone();
    let (sink, records) = with_panicking_trace_logger(|| {
        Sink::new(Offline {
            _tombstone: tombstone,
            seen: AtomicUsize::new(0),
        })
    });
    assert!(records >= 1, "created");
    let raw = sink.as_raw();
    // SAFETY: a live sink; each reference taken is given back, the last one by the final
    // Release through the vtable.
    let (counts, records) = with_panicking_trace_logger(|| unsafe {
        let (found, _) = query_interface(raw, &IID_IMAPIOfflineNotify);
        let (refused, _) = query_interface(raw, &IID_Unrelated);
        let added = add_ref(raw);
        let released = release(raw);
        let released_found = release(raw);
        (found, refused, added, released, released_found)
    });
    assert_eq!(counts, (S_OK, E_NOINTERFACE, 3, 2, 1));
    assert!(records >= 5, "{records}");
    let raw = sink.into_raw();
    // SAFETY: the last reference, given up through the vtable: destroyed here.
    let (left, records) = with_panicking_trace_logger(|| unsafe { release(raw) });
    assert_eq!(left, 0);
    assert!(records >= 2, "Release and destroyed: {records}");
    drops.assert_once();
}
