//! The COM object every sink kind shares, tested once and run for each kind: `IUnknown` by the
//! COM rules, identity, counts, the handle's references, windows-core interop, the layout,
//! panics contained, and many threads at once. Everything goes through the vtable as a C++
//! caller uses it, and every test ends by proving the value was dropped exactly once.
//!
//! A kind is the [`Kind`] impl below: its handle, its interface's IID, and how to make one call
//! of its own slot (`Notify`, `OnNotify`) carrying a token. The values under test implement both
//! kinds' handler traits, so one value type serves both. What differs between the kinds (how a
//! notification is decoded) is in `offline.rs` and `advise.rs`.

mod support;

use core::ffi::c_void;
use core::ops::Deref;
use core::ptr;
use mapi_notify_sink::advise_sink::{AdviseHandler, AdviseSink, Event, Events};
use mapi_notify_sink::{mapi_advise_sink, mapi_notify_sink, sys, Notification, NotifySink, Sink};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Barrier;
use support::*;
use windows_core::{IInspectable, IUnknown, Interface};

/// A value either kind can serve: the attributes implement both handler traits.
trait Value: NotifySink + AdviseHandler {}
impl<T: NotifySink + AdviseHandler> Value for T {}

/// A sink kind, as these tests drive it.
trait Kind {
    /// The handle (`Sink<T>`, `AdviseSink<T>`).
    type Handle<T: Value>: Deref<Target = T> + Clone + Send + Sync + core::fmt::Debug
    where
        T: core::fmt::Debug;
    /// The kind's interface, as the C header declares its IID.
    const IID: Guid;
    /// The other kind's interface, which this kind's objects must refuse.
    const OTHER_IID: Guid;
    /// The handle's name, as its `Debug` shows it.
    const HANDLE: &'static str;
    /// What the kind's slot is called in a contained panic's report.
    const SLOT: &'static str;

    fn new<T: Value + core::fmt::Debug>(value: T) -> Self::Handle<T>;
    fn as_raw<T: Value + core::fmt::Debug>(handle: &Self::Handle<T>) -> *mut c_void;
    fn into_raw<T: Value + core::fmt::Debug>(handle: Self::Handle<T>) -> *mut c_void;
    /// # Safety
    /// As the handles' `from_raw`.
    unsafe fn from_raw<T: Value + core::fmt::Debug>(raw: *mut c_void) -> Self::Handle<T>;
    fn ref_count<T: Value + core::fmt::Debug>(handle: &Self::Handle<T>) -> u32;
    fn to_unknown<T: Value + core::fmt::Debug>(handle: &Self::Handle<T>) -> IUnknown;
    fn to_interface<T: Value + core::fmt::Debug>(handle: &Self::Handle<T>) -> IUnknown;
    /// windows-core's `cast` of an `IUnknown` to the kind's `sys` interface, as a raw pointer
    /// carrying the reference it added.
    fn cast(unknown: &IUnknown) -> *mut c_void;
    /// One call of the kind's own slot (vtable slot 3) carrying `token`, as a caller makes it.
    ///
    /// # Safety
    /// `raw` is a live object of this kind on which the caller holds a reference.
    unsafe fn call(raw: *mut c_void, token: u32);
}

struct Offline;
struct Advise;

impl Kind for Offline {
    type Handle<T: Value>
        = Sink<T>
    where
        T: core::fmt::Debug;
    const IID: Guid = IID_IMAPIOfflineNotify;
    const OTHER_IID: Guid = IID_IMAPIAdviseSink;
    const HANDLE: &'static str = "Sink";
    const SLOT: &'static str = "notify";

    fn new<T: Value + core::fmt::Debug>(value: T) -> Sink<T> {
        Sink::new(value)
    }
    fn as_raw<T: Value + core::fmt::Debug>(handle: &Sink<T>) -> *mut c_void {
        handle.as_raw()
    }
    fn into_raw<T: Value + core::fmt::Debug>(handle: Sink<T>) -> *mut c_void {
        handle.into_raw()
    }
    unsafe fn from_raw<T: Value + core::fmt::Debug>(raw: *mut c_void) -> Sink<T> {
        // SAFETY: the caller's promise.
        unsafe { Sink::from_raw(raw) }
    }
    fn ref_count<T: Value + core::fmt::Debug>(handle: &Sink<T>) -> u32 {
        Sink::ref_count(handle)
    }
    fn to_unknown<T: Value + core::fmt::Debug>(handle: &Sink<T>) -> IUnknown {
        handle.to_unknown()
    }
    fn to_interface<T: Value + core::fmt::Debug>(handle: &Sink<T>) -> IUnknown {
        handle.to_interface().into()
    }
    fn cast(unknown: &IUnknown) -> *mut c_void {
        unknown
            .cast::<sys::IMAPIOfflineNotify>()
            .unwrap()
            .into_raw()
    }
    unsafe fn call(raw: *mut c_void, token: u32) {
        let info = MapiOfflineNotify::state_change(STATECHANGE, token, ONLINE, OFFLINE);
        // SAFETY: the caller's promise; `info` is a whole 24-byte notification.
        unsafe { notify(raw, ptr::from_ref(&info).cast()) }
    }
}

impl Kind for Advise {
    type Handle<T: Value>
        = AdviseSink<T>
    where
        T: core::fmt::Debug;
    const IID: Guid = IID_IMAPIAdviseSink;
    const OTHER_IID: Guid = IID_IMAPIOfflineNotify;
    const HANDLE: &'static str = "AdviseSink";
    const SLOT: &'static str = "on_notify";

    fn new<T: Value + core::fmt::Debug>(value: T) -> AdviseSink<T> {
        AdviseSink::new(value)
    }
    fn as_raw<T: Value + core::fmt::Debug>(handle: &AdviseSink<T>) -> *mut c_void {
        handle.as_raw()
    }
    fn into_raw<T: Value + core::fmt::Debug>(handle: AdviseSink<T>) -> *mut c_void {
        handle.into_raw()
    }
    unsafe fn from_raw<T: Value + core::fmt::Debug>(raw: *mut c_void) -> AdviseSink<T> {
        // SAFETY: the caller's promise.
        unsafe { AdviseSink::from_raw(raw) }
    }
    fn ref_count<T: Value + core::fmt::Debug>(handle: &AdviseSink<T>) -> u32 {
        AdviseSink::ref_count(handle)
    }
    fn to_unknown<T: Value + core::fmt::Debug>(handle: &AdviseSink<T>) -> IUnknown {
        handle.to_unknown()
    }
    fn to_interface<T: Value + core::fmt::Debug>(handle: &AdviseSink<T>) -> IUnknown {
        handle.to_interface().into()
    }
    fn cast(unknown: &IUnknown) -> *mut c_void {
        unknown.cast::<sys::IMAPIAdviseSink>().unwrap().into_raw()
    }
    unsafe fn call(raw: *mut c_void, token: u32) {
        // One extended event whose `ulEvent` is the token: no pointer to follow.
        let events = [CNotification::extended(CExtendedNotification {
            ulEvent: token,
            cb: 0,
            pbEventParameters: ptr::null_mut(),
        })];
        // SAFETY: the caller's promise; `events` is one whole notification.
        assert_eq!(unsafe { on_notify(raw, 1, events.as_ptr()) }, 0);
    }
}

// ---------------------------------------------------------------------------------------------
// The values under test
// ---------------------------------------------------------------------------------------------

/// Tokens that make [`Counter`] panic, each with another kind of payload.
const PANIC_STR: u32 = 1;
const PANIC_STRING: u32 = 2;
const PANIC_NOT_A_STRING: u32 = 3;

/// Counts its calls and adds up their tokens, so lost, doubled or torn calls show; panics on
/// the `PANIC_*` tokens.
#[derive(Debug)]
struct Counter {
    calls: AtomicU64,
    token_sum: AtomicU64,
    _tombstone: Tombstone,
}

impl Counter {
    fn new() -> (Self, Drops) {
        let (tombstone, drops) = tombstone();
        let counter = Self {
            calls: AtomicU64::new(0),
            token_sum: AtomicU64::new(0),
            _tombstone: tombstone,
        };
        (counter, drops)
    }

    fn count(&self, token: u32) {
        match token {
            PANIC_STR => panic!("the sink fell over"),
            PANIC_STRING => panic!("the sink fell over on token {token}"),
            PANIC_NOT_A_STRING => std::panic::panic_any(41_u64),
            token => {
                self.calls.fetch_add(1, Relaxed);
                self.token_sum.fetch_add(u64::from(token), Relaxed);
            }
        }
    }

    fn calls(&self) -> u64 {
        self.calls.load(Relaxed)
    }
}

#[mapi_notify_sink]
impl Counter {
    fn notify(&self, info: &Notification<'_>) {
        self.count(info.client_token());
    }
}

#[mapi_advise_sink]
impl Counter {
    fn on_notify(&self, events: &Events<'_>) {
        for event in events {
            if let Event::Extended(extended) = event {
                self.count(extended.event());
            }
        }
    }
}

/// Panics when dropped (after its tombstone counted the drop).
#[derive(Debug)]
struct PanicsOnDrop {
    _tombstone: Tombstone,
}

#[mapi_notify_sink]
impl PanicsOnDrop {
    fn notify(&self, _info: &Notification<'_>) {}
}

#[mapi_advise_sink]
impl PanicsOnDrop {
    fn on_notify(&self, _events: &Events<'_>) {}
}

impl Drop for PanicsOnDrop {
    fn drop(&mut self) {
        panic!("PanicsOnDrop will not go quietly");
    }
}

fn counter<K: Kind>() -> (K::Handle<Counter>, Drops) {
    let (value, drops) = Counter::new();
    (K::new(value), drops)
}

// ---------------------------------------------------------------------------------------------
// IUnknown
// ---------------------------------------------------------------------------------------------

/// `IUnknown`, the kind's interface and `IAgileObject` are answered with the object's one
/// pointer and a reference the caller then owns.
fn query_interface_answers_with_the_object_pointer<K: Kind>() {
    for iid in [IID_IUnknown, K::IID, IID_IAgileObject] {
        let (sink, drops) = counter::<K>();
        // SAFETY: `sink` holds a reference.
        let (hr, ppv) = unsafe { query_interface(K::as_raw(&sink), &iid) };
        assert_eq!((hr, ppv), (S_OK, K::as_raw(&sink)), "{iid:x?}");
        assert_eq!(K::ref_count(&sink), 2);
        // SAFETY: the reference QueryInterface handed out.
        assert_eq!(unsafe { release(ppv) }, 1);
        drops.assert_not_yet();
        drop(sink);
        drops.assert_once();
    }
}

/// Anything else is `E_NOINTERFACE`, with the caller's out variable overwritten with null and
/// no reference added: the other kind's interface, the offline manager's, WinRT's, one no
/// object has, and (where there is no free-threaded marshaler) `IMarshal`.
fn query_interface_refuses_other_iids_and_nulls_ppv<K: Kind>() {
    let mut refused = vec![
        K::OTHER_IID,
        IID_Unrelated,
        IID_IInspectable,
        IID_IMAPIOffline,
        IID_IMAPIOfflineMgr,
    ];
    if cfg!(not(windows)) {
        refused.push(IID_IMarshal);
    }
    for iid in refused {
        let (sink, drops) = counter::<K>();
        // SAFETY: `sink` holds a reference.
        let (hr, ppv) = unsafe { query_interface(K::as_raw(&sink), &iid) };
        assert_eq!(hr, E_NOINTERFACE, "{iid:x?}");
        assert!(ppv.is_null(), "*ppv left as {ppv:?} for {iid:x?}");
        assert_eq!(K::ref_count(&sink), 1);
        drop(sink);
        drops.assert_once();
    }
}

fn query_interface_null_ppv_is_e_pointer<K: Kind>() {
    let (sink, drops) = counter::<K>();
    // SAFETY: `sink` holds a reference; a null `ppv` is the case under test.
    let hr = unsafe { query_interface_raw(K::as_raw(&sink), &IID_IUnknown, ptr::null_mut()) };
    assert_eq!(hr, E_POINTER);
    assert_eq!(K::ref_count(&sink), 1);
    drop(sink);
    drops.assert_once();
}

fn query_interface_null_riid_is_e_pointer_and_nulls_ppv<K: Kind>() {
    let (sink, drops) = counter::<K>();
    let mut ppv = garbage_ppv();
    // SAFETY: `sink` holds a reference; a null `riid` is the case under test.
    let hr = unsafe { query_interface_raw(K::as_raw(&sink), ptr::null(), &mut ppv) };
    assert_eq!(hr, E_POINTER);
    assert!(ppv.is_null());
    assert_eq!(K::ref_count(&sink), 1);
    drop(sink);
    drops.assert_once();
}

fn add_ref_and_release_return_the_new_count<K: Kind>() {
    let (sink, drops) = counter::<K>();
    let raw = K::as_raw(&sink);
    // SAFETY: `sink` holds a reference throughout; each Release gives back an AddRef's.
    unsafe {
        assert_eq!(add_ref(raw), 2);
        assert_eq!(add_ref(raw), 3);
        assert_eq!(K::ref_count(&sink), 3);
        assert_eq!(release(raw), 2);
        assert_eq!(release(raw), 1);
    }
    assert_eq!(K::ref_count(&sink), 1);
    drops.assert_not_yet();
    drop(sink);
    drops.assert_once();
}

// ---------------------------------------------------------------------------------------------
// The handle's references
// ---------------------------------------------------------------------------------------------

fn clone_and_drop_move_the_count<K: Kind>() {
    let (sink, drops) = counter::<K>();
    let clone = sink.clone();
    assert_eq!(K::as_raw(&clone), K::as_raw(&sink));
    assert_eq!((K::ref_count(&sink), K::ref_count(&clone)), (2, 2));
    drop(clone);
    assert_eq!(K::ref_count(&sink), 1);
    drops.assert_not_yet();
    drop(sink);
    drops.assert_once();
}

fn into_raw_and_from_raw_round_trip_keeps_one_reference<K: Kind>() {
    let (sink, drops) = counter::<K>();
    let raw = K::into_raw(sink);
    // The count is still 1: into_raw handed the reference over rather than dropping it.
    // SAFETY: `raw` carries the reference `sink` gave away.
    unsafe {
        assert_eq!(add_ref(raw), 2);
        assert_eq!(release(raw), 1);
    }
    drops.assert_not_yet();
    // SAFETY: `raw` came from this kind's `into_raw` for a `Counter`, taken back once.
    let sink = unsafe { K::from_raw::<Counter>(raw) };
    assert_eq!((K::as_raw(&sink), K::ref_count(&sink)), (raw, 1));
    drop(sink);
    drops.assert_once();
}

/// Outlook's `Advise`, MAPI's: the pointer is handed over, the caller queries it for the kind's
/// interface, and the caller's last `Release` frees the object.
fn com_caller_holding_the_last_reference_frees_the_object_once<K: Kind>() {
    let (sink, drops) = counter::<K>();
    let raw = K::into_raw(sink);
    // SAFETY: `raw` carries one reference, and each Release gives back one that is held.
    unsafe {
        let (hr, interface) = query_interface(raw, &K::IID);
        assert_eq!(hr, S_OK);
        assert_eq!(release(raw), 1);
        drops.assert_not_yet();
        assert_eq!(release(interface), 0);
    }
    drops.assert_once();
}

/// Every reference reaches the one value inside the object, not a copy.
fn deref_reaches_the_value_in_the_object<K: Kind>() {
    let (sink, drops) = counter::<K>();
    let clone = sink.clone();
    assert!(ptr::eq::<Counter>(&*sink, &*clone));
    // SAFETY: `sink` holds a reference.
    unsafe { K::call(K::as_raw(&sink), 77) };
    assert_eq!((clone.calls(), clone.token_sum.load(Relaxed)), (1, 77));
    drop((sink, clone));
    drops.assert_once();
}

fn debug_shows_the_value<K: Kind>() {
    let (sink, drops) = counter::<K>();
    assert_eq!(
        format!("{sink:?}"),
        format!(
            "{}(Counter {{ calls: 0, token_sum: 0, _tombstone: Tombstone }})",
            K::HANDLE
        )
    );
    drop(sink);
    drops.assert_once();
}

// ---------------------------------------------------------------------------------------------
// windows-core
// ---------------------------------------------------------------------------------------------

/// `to_unknown().cast()` gives the kind's interface at the object's pointer, and calling it
/// reaches the value.
fn to_unknown_casts_to_the_kind_and_reaches_the_value<K: Kind>() {
    let (sink, drops) = counter::<K>();
    let unknown = K::to_unknown(&sink);
    let interface = K::cast(&unknown);
    assert_eq!(interface, K::as_raw(&sink));
    assert_eq!(K::ref_count(&sink), 3);
    // SAFETY: `interface` holds the reference the query added.
    unsafe {
        K::call(interface, 5);
        release(interface);
    }
    assert_eq!(sink.calls(), 1);
    drop(unknown);
    assert_eq!(K::ref_count(&sink), 1);
    drop(sink);
    drops.assert_once();
}

#[cfg_attr(all(miri, windows), allow(dead_code))]
fn cast_to_iinspectable_fails_with_e_nointerface<K: Kind>() {
    let (sink, drops) = counter::<K>();
    let unknown = K::to_unknown(&sink);
    let error = unknown.cast::<IInspectable>().unwrap_err();
    assert_eq!(error.code(), E_NOINTERFACE);
    assert_eq!(K::ref_count(&sink), 2);
    drop(unknown);
    drop(sink);
    drops.assert_once();
}

/// COM identity: every route to `IUnknown` gives the same pointer, so comparing them works.
fn iunknowns_from_one_sink_are_equal<K: Kind>() {
    let (sink, drops) = counter::<K>();
    let first = K::to_unknown(&sink);
    let second = K::to_unknown(&sink);
    let via_interface = K::to_interface(&sink).cast::<IUnknown>().unwrap();
    assert_eq!(first, second);
    assert_eq!(first, via_interface);
    assert_eq!(first.as_raw(), K::as_raw(&sink));
    assert_eq!(K::ref_count(&sink), 4);
    drop((first, second, via_interface));
    assert_eq!(K::ref_count(&sink), 1);
    drop(sink);
    drops.assert_once();
}

// ---------------------------------------------------------------------------------------------
// The layout
// ---------------------------------------------------------------------------------------------

/// The layout `com::object` documents, measured: `new` makes one heap block of two pointers
/// (the vtable pointer and the count, padded) plus `T`, with `T` after them; dropping the
/// handle frees that block once, with that size.
#[cfg_attr(all(miri, windows), allow(dead_code))]
fn object_is_two_pointers_plus_t_and_freed_with_that_size<K: Kind>() {
    let header = 2 * core::mem::size_of::<usize>();
    let (value, drops) = Counter::new();
    let (sink, allocations) = allocations_during(|| K::new(value));
    let expected = header + core::mem::size_of::<Counter>();
    let object = Some((K::as_raw(&sink) as usize, expected));
    // With `trace`, making a sink also records it in the live-object registry, which may grow
    // (after the object is allocated): the object is still the first block, and its size.
    if cfg!(feature = "trace") {
        assert_eq!(allocations.first, object, "{allocations:?}");
    } else {
        let one = Allocations {
            count: 1,
            first: object,
            last: object,
        };
        assert_eq!(allocations, one);
    }
    assert_eq!(
        ptr::from_ref::<Counter>(&sink) as usize - K::as_raw(&sink) as usize,
        header
    );
    let block = K::as_raw(&sink);
    let ((), frees) = frees_of(block, || drop(sink));
    let once = Frees {
        count: 1,
        size: expected,
    };
    assert_eq!(frees, once);
    drops.assert_once();
}

// ---------------------------------------------------------------------------------------------
// Panics
// ---------------------------------------------------------------------------------------------

/// A panic in the user's code is caught at the COM boundary and logged (naming the type and the
/// slot), whatever its payload, and the object keeps working. Were it not contained, it would
/// reach an `extern "system"` frame and abort the test binary.
fn a_panic_in_the_call_is_contained_logged_and_the_sink_keeps_working<K: Kind>() {
    let (sink, drops) = counter::<K>();
    let raw = K::as_raw(&sink);
    for (token, message) in [
        (PANIC_STR, "the sink fell over"),
        (PANIC_STRING, "the sink fell over on token 2"),
        (PANIC_NOT_A_STRING, "(a panic payload that is not a string)"),
    ] {
        // SAFETY: `sink` holds a reference.
        let ((), logged) = capture_logs(|| unsafe { K::call(raw, token) });
        let errors = logged.at(log::Level::Error);
        assert_eq!(errors.len(), 1, "{logged:?}");
        for part in [message, "Counter", K::SLOT] {
            assert!(errors[0].contains(part), "{part:?} in {}", errors[0]);
        }
    }
    // SAFETY: as above.
    unsafe {
        K::call(raw, 10);
        K::call(raw, 11);
    }
    assert_eq!((sink.calls(), sink.token_sum.load(Relaxed)), (2, 21));
    assert_eq!(K::ref_count(&sink), 1);
    drop(sink);
    drops.assert_once();
}

/// A panic in `T`'s `Drop` at the final `Release` is contained and logged, `T`'s fields are
/// still dropped once, and the object is freed once.
fn a_panic_in_drop_at_the_final_release_is_contained_and_the_object_freed<K: Kind>() {
    let (tombstone, drops) = tombstone();
    let raw = K::into_raw(K::new(PanicsOnDrop {
        _tombstone: tombstone,
    }));
    // SAFETY: `raw` carries the only reference, given up here.
    let ((remaining, logged), frees) = frees_of(raw, || capture_logs(|| unsafe { release(raw) }));
    assert_eq!(remaining, 0);
    drops.assert_once();
    if HEAP_TRACKED {
        assert_eq!(frees.count, 1, "the object must be freed exactly once");
    }
    let errors = logged.at(log::Level::Error);
    assert_eq!(errors.len(), 1, "{logged:?}");
    assert!(
        errors[0].contains("PanicsOnDrop will not go quietly"),
        "{}",
        errors[0]
    );
}

// ---------------------------------------------------------------------------------------------
// Threads
// ---------------------------------------------------------------------------------------------

#[cfg(not(miri))]
mod scale {
    pub const THREADS: usize = 8;
    pub const OPERATIONS: usize = 50_000;
    pub const ROUNDS: usize = 200;
}
// Miri runs each operation thousands of times slower; a few interleavings still check the
// memory orderings.
#[cfg(miri)]
mod scale {
    pub const THREADS: usize = 4;
    pub const OPERATIONS: usize = 600;
    pub const ROUNDS: usize = 10;
}
use scale::*;

fn token_of(thread: usize) -> u32 {
    0x1000 + thread as u32
}

/// Outlook and MAPI may call from any thread, while others add and release references: every
/// call is counted, every token added once, and the value dropped once, by the last release.
fn concurrent_references_and_calls_are_all_counted<K: Kind>() {
    let (sink, drops) = counter::<K>();
    let answered = [IID_IUnknown, K::IID, IID_IAgileObject];
    let sent_by_thread: Vec<u64> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..THREADS)
            .map(|thread| {
                let (shared, own) = (&sink, sink.clone());
                scope.spawn(move || {
                    let raw = K::as_raw(&own);
                    let mut sent = 0;
                    for i in 0..OPERATIONS {
                        match i % 3 {
                            0 => drop(shared.clone()),
                            // SAFETY: `own` holds a reference; QueryInterface's is released.
                            1 => unsafe {
                                let (hr, ppv) = query_interface(raw, &answered[i / 3 % 3]);
                                assert_eq!((hr, ppv), (S_OK, raw));
                                // `shared`'s owner and `own` still hold theirs.
                                assert!(release(ppv) >= 2);
                            },
                            // SAFETY: `own` holds a reference.
                            _ => unsafe {
                                K::call(raw, token_of(thread));
                                sent += 1;
                            },
                        }
                    }
                    drop(own);
                    sent
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let sent: u64 = sent_by_thread.iter().sum();
    assert_eq!(sent, (THREADS * (OPERATIONS / 3)) as u64);
    assert_eq!(sink.calls(), sent);
    let token_sum: u64 = sent_by_thread
        .iter()
        .enumerate()
        .map(|(thread, &n)| n * u64::from(token_of(thread)))
        .sum();
    assert_eq!(sink.token_sum.load(Relaxed), token_sum);
    assert_eq!(K::ref_count(&sink), 1);
    drops.assert_not_yet();
    drop(sink);
    drops.assert_once();
}

/// Whichever thread's `Release` comes last frees the object, and it must see every other
/// thread's use of it: `Arc`'s orderings, exercised with releases racing each other.
fn last_release_on_any_thread_drops_the_value_once<K: Kind>() {
    for _ in 0..ROUNDS {
        let (sink, drops) = counter::<K>();
        let start = Barrier::new(THREADS);
        std::thread::scope(|scope| {
            for thread in 0..THREADS {
                let (own, start) = (sink.clone(), &start);
                scope.spawn(move || {
                    start.wait();
                    // SAFETY: `own` holds a reference.
                    unsafe { K::call(K::as_raw(&own), token_of(thread)) };
                    drop(own);
                });
            }
            drop(sink);
        });
        drops.assert_once();
    }
}

/// A handle may be sent to and used on other threads: it must stay `Send + Sync`.
fn the_handle_is_send_and_sync<K: Kind>() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<K::Handle<Counter>>();
}

// ---------------------------------------------------------------------------------------------
// Each test, for each kind
// ---------------------------------------------------------------------------------------------

macro_rules! for_each_kind {
    ($($(#[$attribute:meta])* $test:ident),* $(,)?) => {
        mod offline {
            $($(#[$attribute])* #[test] fn $test() { super::$test::<super::Offline>() })*
        }
        mod advise {
            $($(#[$attribute])* #[test] fn $test() { super::$test::<super::Advise>() })*
        }
    };
}

for_each_kind!(
    query_interface_answers_with_the_object_pointer,
    query_interface_refuses_other_iids_and_nulls_ppv,
    query_interface_null_ppv_is_e_pointer,
    query_interface_null_riid_is_e_pointer_and_nulls_ppv,
    add_ref_and_release_return_the_new_count,
    clone_and_drop_move_the_count,
    into_raw_and_from_raw_round_trip_keeps_one_reference,
    com_caller_holding_the_last_reference_frees_the_object_once,
    deref_reaches_the_value_in_the_object,
    debug_shows_the_value,
    to_unknown_casts_to_the_kind_and_reaches_the_value,
    // windows-core's error path calls `GetErrorInfo`, which Miri cannot emulate.
    #[cfg(not(all(miri, windows)))]
    cast_to_iinspectable_fails_with_e_nointerface,
    iunknowns_from_one_sink_are_equal,
    // Under Miri on Windows the heap is not tracked (`HEAP_TRACKED`).
    #[cfg(not(all(miri, windows)))]
    object_is_two_pointers_plus_t_and_freed_with_that_size,
    a_panic_in_the_call_is_contained_logged_and_the_sink_keeps_working,
    a_panic_in_drop_at_the_final_release_is_contained_and_the_object_freed,
    concurrent_references_and_calls_are_all_counted,
    last_release_on_any_thread_drops_the_value_once,
    the_handle_is_send_and_sync,
);

/// The sink kinds' handler traits, implemented by the attributes for one type at once.
#[test]
fn both_attributes_on_one_type_implement_both_handler_traits() {
    fn both<T: NotifySink + AdviseHandler>() {}
    both::<Counter>();
    both::<PanicsOnDrop>();
    // `sys`'s interface types are the ones the handles hand out.
    let (value, drops) = Counter::new();
    let sink = Sink::new(value);
    let _: sys::IMAPIOfflineNotify = sink.to_interface();
    drop(sink);
    drops.assert_once();
}
