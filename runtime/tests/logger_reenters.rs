//! With feature `trace`, a sink's `AddRef` and `Release` call the application's logger. This
//! binary's logger reads both simulators (how many sinks are advised) whenever it is given a
//! trace record: a logger that shows the simulator's state beside each record. Every call that
//! takes or drops a sink reference must still return: no lock of the simulators' is held across
//! an `AddRef` or `Release`.
//!
//! `cargo test -p mapi-notify-sink --features trace --test logger_reenters`

#![cfg(feature = "trace")]

mod support;

use mapi_notify_sink::advise_sink::{AdviseSink, Events};
use mapi_notify_sink::simulator::{SimulatedOutlook, SimulatedStore, StoreEvent};
use mapi_notify_sink::{
    mapi_advise_sink, mapi_notify_sink, sys, AdviseOptions, Notification, Sink,
};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Once};

/// The simulators the logger reads, each with how many trace records it was read on (each
/// test has its own simulator, and counts only its reads: the tests run at once).
type Read<S> = (Arc<S>, Arc<AtomicUsize>);
static OUTLOOKS: Mutex<Vec<Read<SimulatedOutlook>>> = Mutex::new(Vec::new());
static STORES: Mutex<Vec<Read<SimulatedStore>>> = Mutex::new(Vec::new());

struct ReadingLogger;

impl log::Log for ReadingLogger {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        if record.target() != "mapi_notify_sink::trace" {
            return;
        }
        // Copies of the lists, so this logger holds no lock of its own while it reads.
        let outlooks = OUTLOOKS.lock().unwrap().clone();
        let stores = STORES.lock().unwrap().clone();
        for (outlook, reads) in &outlooks {
            let _ = outlook.advised();
            reads.fetch_add(1, Ordering::Relaxed);
        }
        for (store, reads) in &stores {
            let _ = store.advised();
            reads.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn flush(&self) {}
}

fn install() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        log::set_logger(&ReadingLogger).expect("the only logger in this binary");
        log::set_max_level(log::LevelFilter::Trace);
    });
}

/// [`support::returns`], for a lock held across code not ours.
fn returns<R: Send + 'static>(what: &str, call: impl FnOnce() -> R + Send + 'static) -> R {
    support::returns(what, "a lock held across a sink's AddRef or Release", call)
}

struct Offline(AtomicUsize);

#[mapi_notify_sink]
impl Offline {
    fn notify(&self, _info: &Notification<'_>) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

struct Advised(AtomicUsize);

#[mapi_advise_sink]
impl Advised {
    fn on_notify(&self, events: &Events<'_>) {
        self.0.fetch_add(events.len(), Ordering::Relaxed);
    }
}

#[test]
fn a_transition_returns_when_the_trace_logger_reads_the_simulator() {
    install();
    let outlook = Arc::new(SimulatedOutlook::new());
    let reads = Arc::new(AtomicUsize::new(0));
    OUTLOOKS
        .lock()
        .unwrap()
        .push((outlook.clone(), reads.clone()));
    let sink = Sink::new(Offline(AtomicUsize::new(0)));
    let advise = outlook
        .manager()
        .advise(&sink, AdviseOptions::default())
        .unwrap();
    assert!(
        reads.load(Ordering::Relaxed) > 0,
        "the logger read the simulator"
    );
    let transition = outlook.clone();
    returns("SimulatedOutlook::go_offline", move || {
        transition.go_offline()
    });
    assert_eq!(sink.0.load(Ordering::Relaxed), 3);
    // `Advise` stays on this thread (it is not `Send`); `Unadvise` releases outside the lock.
    advise.unadvise().unwrap();
    assert_eq!(outlook.advised(), 0);
    assert_eq!(Sink::ref_count(&sink), 1);
    OUTLOOKS
        .lock()
        .unwrap()
        .retain(|(other, _)| !Arc::ptr_eq(other, &outlook));
}

#[test]
fn a_notification_returns_when_the_trace_logger_reads_the_store() {
    install();
    let store = Arc::new(SimulatedStore::new());
    let reads = Arc::new(AtomicUsize::new(0));
    STORES.lock().unwrap().push((store.clone(), reads.clone()));
    let sink = AdviseSink::new(Advised(AtomicUsize::new(0)));
    let mut connection = 0;
    // SAFETY: a live sink, the whole store, a writable connection number.
    let advised = unsafe {
        store.to_interface().Advise(
            0,
            core::ptr::null_mut(),
            sys::fnevNewMail,
            sink.as_raw(),
            &mut connection,
        )
    };
    assert!(advised.is_ok());
    assert!(
        reads.load(Ordering::Relaxed) > 0,
        "the logger read the store"
    );
    let notifier = store.clone();
    let calls = returns("SimulatedStore::notify", move || {
        notifier.notify(&[StoreEvent::new_mail(b"message", b"inbox", "IPM.Note")])
    });
    assert_eq!(calls, 1);
    assert_eq!(sink.0.load(Ordering::Relaxed), 1);
    let unadviser = store.clone();
    let unadvised = returns("IMsgStore::Unadvise", move || {
        // SAFETY: the connection this store gave.
        unsafe { unadviser.to_interface().Unadvise(connection) }
    });
    assert!(unadvised.is_ok());
    assert_eq!(AdviseSink::ref_count(&sink), 1);
    STORES
        .lock()
        .unwrap()
        .retain(|(other, _)| !Arc::ptr_eq(other, &store));
}
