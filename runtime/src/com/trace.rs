//! Reference-count tracing for sink objects (feature `trace`), as ATL's
//! `_ATL_DEBUG_INTERFACES` does for C++: every `QueryInterface`, `AddRef` and `Release` on a
//! sink is logged at `log::trace!` (target `mapi_notify_sink::trace`) with the new count, and
//! [`live_objects`] lists the sinks still alive, so an add-in can name the object it leaked
//! when Outlook disconnects it (the classic symptom: Outlook stays in memory after it closes).
//!
//! ```text
//! TRACE mapi_notify_sink::trace: my_addin::Watcher 0x5581d2a0: created, count 1
//! TRACE mapi_notify_sink::trace: my_addin::Watcher 0x5581d2a0: QueryInterface(IMAPIOfflineNotify) -> S_OK, count 2
//! TRACE mapi_notify_sink::trace: my_addin::Watcher 0x5581d2a0: Release -> 1
//! TRACE mapi_notify_sink::trace: my_addin::Watcher 0x5581d2a0: Release -> 0
//! TRACE mapi_notify_sink::trace: my_addin::Watcher 0x5581d2a0: destroyed after 1.52s
//! ```
//!
//! The feature costs nothing when it is off: the object core calls these functions through
//! `com::hooks`, which are empty without the feature. When it is on, each object is registered
//! when it is created and unregistered when it is destroyed (a mutex-guarded map), and each call
//! checks whether trace logging is enabled before it looks anything up (BENCHMARKS.md has the
//! numbers). Of the object it knows only the address and the count: not its layout.
//!
//! # Invariants (the one `unsafe` read)
//! An object is in the registry from its creation until the start of its destruction, which
//! removes it under the registry's lock before `T` is dropped and the memory freed. So while the
//! lock is held, every registered count is a live object's, and may be read.

use super::refcount::RefCount;
use crate::sys;
use core::ffi::c_void;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};
use windows_core::{GUID, HRESULT};

/// The `log` target of every trace record.
const TARGET: &str = "mapi_notify_sink::trace";

/// A sink object still alive, as [`live_objects`] found it.
///
/// ```
/// use mapi_notify_sink::{mapi_notify_sink, trace, Notification, Sink};
///
/// struct Watcher;
///
/// #[mapi_notify_sink]
/// impl Watcher {
///     fn notify(&self, _info: &Notification<'_>) {}
/// }
///
/// let sink = Sink::new(Watcher);
/// let alive = trace::live_objects();
/// let ours = alive.iter().find(|object| object.address == sink.as_raw() as usize).unwrap();
/// assert!(ours.type_name.ends_with("Watcher"));
/// assert_eq!(ours.ref_count, 1);
/// println!("{ours}"); // rust_out::Watcher at 0x55d3c2a0: count 1, alive 12µs
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiveObject {
    /// The sink's Rust type (`std::any::type_name`).
    pub type_name: &'static str,
    /// The object's address: its `IUnknown*` and `IMAPIOfflineNotify*`.
    pub address: usize,
    /// Its reference count when it was listed.
    pub ref_count: u32,
    /// How long ago it was created.
    pub age: Duration,
}

impl fmt::Display for LiveObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at {:#x}: count {}, alive {:.2?}",
            self.type_name, self.address, self.ref_count, self.age
        )
    }
}

/// The sink objects alive now, oldest first: what an add-in should find empty once it has
/// released everything (in `OnDisconnection`, say), and report otherwise.
///
/// ```
/// use mapi_notify_sink::{mapi_notify_sink, trace, Notification, Sink};
///
/// struct Watcher;
///
/// #[mapi_notify_sink]
/// impl Watcher {
///     fn notify(&self, _info: &Notification<'_>) {}
/// }
///
/// fn report_leaks() {
///     for object in trace::live_objects() {
///         log::warn!("still alive at disconnection: {object}");
///     }
/// }
///
/// let sink = Sink::new(Watcher);
/// let address = sink.as_raw() as usize;
/// assert!(trace::live_objects().iter().any(|object| object.address == address));
/// drop(sink); // the last reference
/// assert!(!trace::live_objects().iter().any(|object| object.address == address));
/// report_leaks();
/// ```
pub fn live_objects() -> Vec<LiveObject> {
    let now = Instant::now();
    let registry = registry();
    let mut alive: Vec<(u64, LiveObject)> = registry
        .objects
        .iter()
        .map(|(&address, entry)| {
            // SAFETY: registered, so live while we hold the lock (module invariants).
            let ref_count = unsafe { (*entry.count.0).get() };
            let object = LiveObject {
                type_name: entry.type_name,
                address,
                ref_count,
                age: now.saturating_duration_since(entry.created),
            };
            (entry.serial, object)
        })
        .collect();
    drop(registry);
    alive.sort_by_key(|(serial, _)| *serial);
    alive.into_iter().map(|(_, object)| object).collect()
}

struct Entry {
    count: CountPointer,
    type_name: &'static str,
    created: Instant,
    /// Creation order, for listing oldest first.
    serial: u64,
}

/// A registered object's count, kept to read it (an address alone could not be turned back
/// into a pointer under strict provenance).
struct CountPointer(*const RefCount);

// SAFETY: only dereferenced under the registry's lock while the object is live (module
// invariants); the count is atomic.
unsafe impl Send for CountPointer {}

struct Registry {
    objects: BTreeMap<usize, Entry>,
    next_serial: u64,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    objects: BTreeMap::new(),
    next_serial: 0,
});

/// The registry, even after a panic elsewhere while it was held (its data stays consistent:
/// every update is a single insert or remove).
fn registry() -> MutexGuard<'static, Registry> {
    REGISTRY.lock().unwrap_or_else(PoisonError::into_inner)
}

fn enabled() -> bool {
    log::log_enabled!(target: TARGET, log::Level::Trace)
}

fn type_name_of(this: *mut c_void) -> &'static str {
    registry()
        .objects
        .get(&(this as usize))
        .map_or("(unregistered sink)", |entry| entry.type_name)
}

/// A new object at `this`, with a count of 1 at `count`.
pub(super) fn created(this: *mut c_void, count: &RefCount, type_name: &'static str) {
    {
        let mut registry = registry();
        let serial = registry.next_serial;
        registry.next_serial += 1;
        registry.objects.insert(
            this as usize,
            Entry {
                count: CountPointer(count),
                type_name,
                created: Instant::now(),
                serial,
            },
        );
    }
    if enabled() {
        log::trace!(target: TARGET, "{type_name} {this:p}: created, count 1");
    }
}

/// `QueryInterface` on the live object at `this`, whose count is `count`, answered `result`.
pub(super) fn query_interface(this: *mut c_void, count: &RefCount, iid: &GUID, result: HRESULT) {
    if !enabled() {
        return;
    }
    let type_name = type_name_of(this);
    let interface = InterfaceName(iid);
    if result.is_ok() {
        let count = count.get();
        log::trace!(target: TARGET, "{type_name} {this:p}: QueryInterface({interface}) -> {}, count {count}", HresultName(result));
    } else {
        log::trace!(target: TARGET, "{type_name} {this:p}: QueryInterface({interface}) -> {}", HresultName(result));
    }
}

/// `AddRef` on the live object at `this` made the count `count`.
pub(super) fn add_ref(this: *mut c_void, count: u32) {
    if enabled() {
        let type_name = type_name_of(this);
        log::trace!(target: TARGET, "{type_name} {this:p}: AddRef -> {count}");
    }
}

/// `Release` on the object at `this` left the count at `count`. Unless `count` is 0 the object
/// may already be gone (another thread's release): `this` is only printed.
pub(super) fn release(this: *mut c_void, type_name: &'static str, count: u32) {
    if enabled() {
        log::trace!(target: TARGET, "{type_name} {this:p}: Release -> {count}");
    }
}

/// The object at `this` is about to be destroyed: called before `T` is dropped.
pub(super) fn destroyed(this: *mut c_void) {
    let entry = registry().objects.remove(&(this as usize));
    if let Some(entry) = entry.filter(|_| enabled()) {
        log::trace!(
            target: TARGET,
            "{} {this:p}: destroyed after {:.2?}",
            entry.type_name,
            entry.created.elapsed()
        );
    }
}

/// An IID, by name when it is one a sink is asked for.
struct InterfaceName<'a>(&'a GUID);

impl fmt::Display for InterfaceName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match *self.0 {
            sys::IID_IUnknown => "IUnknown",
            sys::IID_IMAPIOfflineNotify => "IMAPIOfflineNotify",
            sys::IID_IMAPIAdviseSink => "IMAPIAdviseSink",
            sys::IID_IAgileObject => "IAgileObject",
            sys::IID_IMarshal => "IMarshal",
            other => return write!(f, "{{{other:?}}}"),
        };
        f.write_str(name)
    }
}

/// An HRESULT, by name when it has one (`sys::hresult_name`).
struct HresultName(HRESULT);

impl fmt::Display for HresultName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match sys::hresult_name(self.0) {
            Some(name) => f.write_str(name),
            None => write!(f, "{:#010X}", self.0 .0 as u32),
        }
    }
}
