//! [`SimulatedOutlook`]: an in-process `IMAPIOfflineMgr` that behaves as the documented
//! contract says, so sinks can be tested and demonstrated on any OS.
//!
//! It is strict on purpose: it validates what Outlook validates (and logs what was wrong),
//! `QueryInterface`s each callback for `IID_IMAPIOfflineNotify`, holds that reference until
//! `Unadvise`, and calls sinks from its own thread, never from the thread that asked for the
//! change. A sink that works against it should work against Outlook.
//!
//! Choices where the documentation is silent:
//! - `SetCurrentState` accepts only `ulMask == MAPIOFFLINE_STATE_OFFLINE_MASK`, a `ulState`
//!   whose offline-mask bits are online or offline (other bits are ignored), flags
//!   `MAPIOFFLINE_FLAG_DEFAULT` or `MAPIOFFLINE_FLAG_BLOCK`, and a null `pReserved`; anything
//!   else is `E_INVALIDARG`. Asking for the current state again succeeds and notifies nobody.
//! - `Advise` and `Unadvise` accept only their `_DEFAULT` flags (0); others are `E_INVALIDARG`.
//! - Advise tokens start at 1 and are never 0 or one still in use.
//! - A null out pointer in `GetCapabilities` / `GetCurrentState` is `E_INVALIDARG`.
//! - The state reads as the new one from the STATECHANGE notification on.
//! - A sink unadvised during a transition may still receive the rest of that transition.
//!
//! # Invariants (the unsafe parts)
//! - The manager is a `server::Server<Manager>` (see its invariants), made only by
//!   [`SimulatedOutlook::new`].
//! - Each callback reference the simulator holds was obtained by `QueryInterface` (or cloned
//!   from one) and is released exactly once, by dropping its `IMAPIOfflineNotify`.
//! - No lock is held while a sink is called or released, so a sink may call the manager back.
//!
//! [`SimulatedStore`], in `simulator::store`, is the same kind of object for the advise sink:
//! both are a `server::Server` (the COM object) with a `worker::Worker` (the delivery thread).

mod events;
mod layout;
mod server;
mod store;
mod worker;

pub use events::{ObjectEventKind, SimProp, SimValue, StoreEvent};
pub use store::SimulatedStore;

use crate::sys::{
    self, IMAPIOfflineMgr_Vtbl, IMAPIOfflineNotify, IMAPIOffline_Vtbl, MAPIOFFLINE_ADVISEINFO,
};
use crate::OfflineManager;
use core::ffi::c_void;
use server::{invalid as invalid_arg, Server, ServerState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};
use windows_core::{IUnknown, Interface, GUID, HRESULT};
use worker::Worker;

/// An in-process Outlook offline manager for tests and demos: online, able to go offline and
/// online, and delivering notifications from its own thread.
///
/// ```
/// use mapi_notify_sink::simulator::SimulatedOutlook;
/// use mapi_notify_sink::{mapi_notify_sink, AdviseOptions, Notification, Sink};
/// use std::sync::Mutex;
///
/// struct Log(Mutex<Vec<String>>);
///
/// #[mapi_notify_sink]
/// impl Log {
///     fn notify(&self, info: &Notification<'_>) {
///         self.0.lock().unwrap().push(format!("{:?}", info.kind()));
///     }
/// }
///
/// let outlook = SimulatedOutlook::new();
/// let sink = Sink::new(Log(Mutex::default()));
/// let advise = outlook.manager().advise(&sink, AdviseOptions::default()).unwrap();
/// outlook.go_offline();
/// assert_eq!(*sink.0.lock().unwrap(), ["StateChangeStart", "StateChange", "StateChangeDone"]);
/// drop(advise);
/// assert_eq!(outlook.advised(), 0);
/// ```
///
/// # Dropping
/// When the last reference to the simulated manager goes (this value and every
/// [`OfflineManager`] from [`manager`](Self::manager)), it first waits for a transition under
/// way, one started by `set_state(.., SetStateMode::Async)`, to be delivered, then releases
/// every sink still advised. So do not let the last reference go while holding something a
/// sink's `notify` waits for (a lock it takes): that would deadlock. Released from inside a
/// notification, it does not wait (it cannot), and the delivery thread ends after it.
pub struct SimulatedOutlook {
    manager: OfflineManager,
}

// SAFETY: the simulated manager is free-threaded: its state is behind a mutex, its count is
// atomic, and it calls sinks only from its own thread.
unsafe impl Send for SimulatedOutlook {}
// SAFETY: as above.
unsafe impl Sync for SimulatedOutlook {}

impl SimulatedOutlook {
    /// A simulated Outlook that is online and can go offline and online.
    pub fn new() -> Self {
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                connection: sys::MAPIOFFLINE_STATE_ONLINE,
                capabilities: sys::MAPIOFFLINE_CAPABILITY_OFFLINE
                    | sys::MAPIOFFLINE_CAPABILITY_ONLINE,
                registrations: Vec::new(),
                next_token: 1,
                busy: false,
            }),
            idle: Condvar::new(),
            slowest_notify: AtomicU64::new(0),
        });
        let state = Manager {
            shared,
            worker: Worker::spawn("simulated-outlook"),
        };
        // SAFETY: `VTABLE` begins with `unknown_slots::<Manager>()` and its slots expect a
        // `Server<Manager>`; the new object's one reference goes to the `OfflineManager`.
        let manager = unsafe { OfflineManager::from_raw(Server::create(Manager::VTABLE, state)) };
        Self { manager }
    }

    /// A new reference to the simulated `IMAPIOfflineMgr`.
    ///
    /// The manager keeps the simulator alive: a test can hand it to the code under test as it
    /// would hand it Outlook's.
    pub fn manager(&self) -> OfflineManager {
        self.manager.clone()
    }

    /// Goes offline: delivers STATECHANGE_START, STATECHANGE and STATECHANGE_DONE to every
    /// matching registration, on the simulator's thread, and returns when delivery is complete.
    /// Waits first for a change already under way. Already offline: nothing happens.
    ///
    /// # Panics
    /// When called from inside a notification (it would wait for itself).
    pub fn go_offline(&self) {
        self.transition(sys::MAPIOFFLINE_STATE_OFFLINE);
    }

    /// Goes online; see [`SimulatedOutlook::go_offline`].
    pub fn go_online(&self) {
        self.transition(sys::MAPIOFFLINE_STATE_ONLINE);
    }

    /// How many sinks are advised.
    pub fn advised(&self) -> usize {
        self.state().shared.lock().registrations.len()
    }

    /// Calls every advised sink's `Notify` from `threads` threads at once, `transitions` times
    /// from each: a transition's three notifications, offline and online in turn, as MAPI may
    /// call one sink from several threads. Returns when all were delivered. The manager's own
    /// state does not change: this is for testing a sink, and what it hands its work to, under
    /// concurrent calls.
    pub fn flood(&self, threads: usize, transitions: usize) {
        let manager = self.state();
        let targets: Vec<(Arc<Callback>, u32)> = manager
            .shared
            .lock()
            .registrations
            .iter()
            .filter(|registration| registration.notified)
            // `Arc::clone`, not the sink's `AddRef`: code not ours never runs under the lock.
            .map(|registration| (registration.callback.clone(), registration.client_token))
            .collect();
        let shared = &*manager.shared;
        let targets = &targets[..];
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(move || {
                    for index in 0..transitions {
                        let (old, new) = if index % 2 == 0 {
                            (
                                sys::MAPIOFFLINE_STATE_ONLINE,
                                sys::MAPIOFFLINE_STATE_OFFLINE,
                            )
                        } else {
                            (
                                sys::MAPIOFFLINE_STATE_OFFLINE,
                                sys::MAPIOFFLINE_STATE_ONLINE,
                            )
                        };
                        notify_transition(shared, targets, old, new, false);
                    }
                });
            }
        });
    }

    /// The longest one sink's `Notify` took, of every notification delivered so far: Outlook's
    /// transition waits for each, so a sink should return at once and do its work elsewhere.
    pub fn slowest_notify(&self) -> Duration {
        Duration::from_nanos(self.state().shared.slowest_notify.load(Ordering::Relaxed))
    }

    fn transition(&self, connection: u32) {
        let code = self.state().start(connection, Wait::ForIdleThenBlock);
        assert!(code.is_ok(), "SimulatedOutlook: {code:?}");
    }

    fn state(&self) -> &Manager {
        // SAFETY: `self.manager` holds a reference to the `Server<Manager>` `new` made.
        unsafe { Server::<Manager>::state(self.manager.as_raw()) }
    }
}

impl Default for SimulatedOutlook {
    fn default() -> Self {
        Self::new()
    }
}

impl core::fmt::Debug for SimulatedOutlook {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Read under the lock, written after it: the formatter's writer is not ours.
        let (connection, advised, busy) = {
            let state = self.state().shared.lock();
            (state.connection, state.registrations.len(), state.busy)
        };
        f.debug_struct("SimulatedOutlook")
            .field("state", &crate::ConnectionState::from_bits(connection))
            .field("advised", &advised)
            .field("busy", &busy)
            .finish()
    }
}

/// The simulated manager's state, in a `Server<Manager>`.
struct Manager {
    shared: Arc<Shared>,
    worker: Worker,
}

impl ServerState for Manager {
    const IIDS: &'static [GUID] = &[sys::IID_IMAPIOfflineMgr, sys::IID_IMAPIOffline];
    const NAME: &'static str = "SimulatedOutlook";
}

impl Drop for Manager {
    /// The last reference went: stop delivering, then release every sink still advised,
    /// outside the lock.
    fn drop(&mut self) {
        self.worker.stop();
        let registrations = std::mem::take(&mut self.shared.lock().registrations);
        drop(registrations);
    }
}

struct Shared {
    state: Mutex<State>,
    /// Signalled when a transition completes.
    idle: Condvar,
    /// The longest one sink's `Notify` took, in nanoseconds.
    slowest_notify: AtomicU64,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // Nothing that runs under the lock can panic midway through an update.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

struct State {
    connection: u32,
    capabilities: u32,
    registrations: Vec<Registration>,
    next_token: u32,
    /// A transition is being delivered.
    busy: bool,
}

struct Registration {
    token: u32,
    client_token: u32,
    /// Shared with the transition under way: cloned under the lock without a call to the sink,
    /// and released (the sink's `Release`) by whoever drops the last of them, outside it.
    callback: Arc<Callback>,
    /// `ulAdviseTypes` has STATECHANGE and `ulStateMask` overlaps the offline mask.
    notified: bool,
}

/// A reference to a sink. Outlook calls sinks from any thread (the contract says so), so a
/// sink must be agile, and the reference may move to the delivery thread, and be shared with it.
struct Callback(IMAPIOfflineNotify);

// SAFETY: see above: sinks for this API are called (and released) from any thread.
unsafe impl Send for Callback {}
// SAFETY: as above; a shared `Callback` is only used to call the sink.
unsafe impl Sync for Callback {}

/// One transition for the delivery thread.
struct Job {
    old: u32,
    new: u32,
    targets: Vec<(Arc<Callback>, u32)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Wait {
    /// `SetCurrentState` without `MAPIOFFLINE_FLAG_BLOCK`: `E_PENDING` if busy, else return at once.
    No,
    /// With `MAPIOFFLINE_FLAG_BLOCK`: `E_PENDING` if busy, else return when delivered.
    Block,
    /// `go_offline` / `go_online`: wait for a change under way, then return when delivered.
    ForIdleThenBlock,
}

/// Delivers one transition, on the delivery thread.
fn deliver(shared: &Shared, job: Job) {
    notify_transition(shared, &job.targets, job.old, job.new, true);
    // Release the transition's references before anyone is told it is over.
    drop(job.targets);
    shared.lock().busy = false;
    shared.idle.notify_all();
}

/// A transition's three notifications to each of `targets`, each `Notify` timed; with `change`,
/// the manager's state becomes `new` between the first and the second.
fn notify_transition(
    shared: &Shared,
    targets: &[(Arc<Callback>, u32)],
    old: u32,
    new: u32,
    change: bool,
) {
    for kind in [
        sys::MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE_START,
        sys::MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE,
        sys::MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE_DONE,
    ] {
        if change && kind == sys::MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE {
            shared.lock().connection = new;
        }
        for (callback, client_token) in targets {
            let mut info = sys::MAPIOFFLINE_NOTIFY {
                ulSize: size_of::<sys::MAPIOFFLINE_NOTIFY>() as u32,
                NotifyType: kind,
                ulClientToken: *client_token,
                ..Default::default()
            };
            info.Info.StateChange = sys::MAPIOFFLINE_NOTIFY_0_0 {
                ulMask: sys::MAPIOFFLINE_STATE_OFFLINE_MASK,
                ulStateOld: old,
                ulStateNew: new,
            };
            let started = Instant::now();
            // SAFETY: a complete notification, to a sink we hold a reference to.
            unsafe { callback.0.Notify(&info) };
            let took = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
            shared.slowest_notify.fetch_max(took, Ordering::Relaxed);
        }
    }
}

impl Manager {
    const VTABLE: &'static IMAPIOfflineMgr_Vtbl = &IMAPIOfflineMgr_Vtbl {
        base__: IMAPIOffline_Vtbl {
            base__: server::unknown_slots::<Manager>(),
            SetCurrentState: set_current_state,
            GetCapabilities: get_capabilities,
            GetCurrentState: get_current_state,
            Placeholder1: reserved_placeholder,
        },
        Advise: advise,
        Unadvise: unadvise,
        Placeholder1: placeholder,
        Placeholder2: placeholder,
        Placeholder3: placeholder,
        Placeholder4: placeholder,
        Placeholder5: placeholder,
        Placeholder6: placeholder,
        Placeholder7: placeholder,
    };

    /// Starts a transition to `connection`.
    fn start(&self, connection: u32, wait: Wait) -> HRESULT {
        // Before the lock: a panic (its hook is not our code) must not run under it.
        assert!(
            wait != Wait::ForIdleThenBlock || !self.worker.is_current(),
            "SimulatedOutlook: go_offline/go_online cannot be called from inside a notification"
        );
        let mut state = self.shared.lock();
        if wait == Wait::ForIdleThenBlock {
            while state.busy {
                state = self
                    .shared
                    .idle
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        } else if state.busy {
            return sys::E_PENDING;
        }
        if state.connection == connection {
            return sys::S_OK;
        }
        state.busy = true;
        let targets = state
            .registrations
            .iter()
            .filter(|registration| registration.notified)
            // `Arc::clone`, not the sink's `AddRef`: code not ours never runs under the lock.
            .map(|registration| (registration.callback.clone(), registration.client_token))
            .collect();
        let job = Job {
            old: state.connection,
            new: connection,
            targets,
        };
        drop(state);
        let shared = self.shared.clone();
        let delivery = move || deliver(&shared, job);
        match wait {
            Wait::No => self.worker.run(delivery),
            Wait::Block | Wait::ForIdleThenBlock => self.worker.run_and_wait(delivery),
        }
        sys::S_OK
    }
}

/// # Safety
/// `this` points to a live `Server<Manager>` (module invariants).
unsafe fn object<'a>(this: *mut c_void) -> &'a Manager {
    // SAFETY: the caller's promise.
    unsafe { Server::<Manager>::state(this) }
}

unsafe extern "system" fn set_current_state(
    this: *mut c_void,
    flags: u32,
    mask: u32,
    state: u32,
    reserved: *mut c_void,
) -> HRESULT {
    server::guarded("SimulatedOutlook", "SetCurrentState", || {
        let wait = match flags {
            sys::MAPIOFFLINE_FLAG_DEFAULT => Wait::No,
            sys::MAPIOFFLINE_FLAG_BLOCK => Wait::Block,
            _ => return invalid(format_args!("SetCurrentState: unknown flags {flags:#x}")),
        };
        if mask != sys::MAPIOFFLINE_STATE_OFFLINE_MASK {
            return invalid(format_args!(
                "SetCurrentState: ulMask {mask:#x} is not MAPIOFFLINE_STATE_OFFLINE_MASK"
            ));
        }
        let connection = state & mask;
        if connection != sys::MAPIOFFLINE_STATE_ONLINE
            && connection != sys::MAPIOFFLINE_STATE_OFFLINE
        {
            return invalid(format_args!(
                "SetCurrentState: ulState {state:#x} is neither online nor offline"
            ));
        }
        if !reserved.is_null() {
            return invalid(format_args!("SetCurrentState: pReserved is not null"));
        }
        // SAFETY: the caller holds a reference.
        unsafe { object(this) }.start(connection, wait)
    })
}

unsafe extern "system" fn get_capabilities(this: *mut c_void, capabilities: *mut u32) -> HRESULT {
    server::guarded("SimulatedOutlook", "GetCapabilities", || {
        if capabilities.is_null() {
            return invalid(format_args!("GetCapabilities: null out pointer"));
        }
        // SAFETY: the caller holds a reference; the out pointer is non-null and writable.
        unsafe { capabilities.write(object(this).shared.lock().capabilities) };
        sys::S_OK
    })
}

unsafe extern "system" fn get_current_state(this: *mut c_void, state: *mut u32) -> HRESULT {
    server::guarded("SimulatedOutlook", "GetCurrentState", || {
        if state.is_null() {
            return invalid(format_args!("GetCurrentState: null out pointer"));
        }
        // SAFETY: the caller holds a reference; the out pointer is non-null and writable.
        unsafe { state.write(object(this).shared.lock().connection) };
        sys::S_OK
    })
}

unsafe extern "system" fn advise(
    this: *mut c_void,
    flags: u32,
    info: *mut MAPIOFFLINE_ADVISEINFO,
    token: *mut u32,
) -> HRESULT {
    server::guarded("SimulatedOutlook", "Advise", || {
        if flags != sys::MAPIOFFLINE_ADVISE_DEFAULT {
            return invalid(format_args!("Advise: unknown flags {flags:#x}"));
        }
        if info.is_null() {
            return invalid(format_args!("Advise: null MAPIOFFLINE_ADVISEINFO"));
        }
        // SAFETY: non-null; the caller promises at least `ulSize`, which is read first.
        let size = unsafe { info.cast::<u32>().read_unaligned() };
        if size as usize != size_of::<MAPIOFFLINE_ADVISEINFO>() {
            return invalid(format_args!(
                "Advise: ulSize {size} is not size_of(MAPIOFFLINE_ADVISEINFO) = {} on this target",
                size_of::<MAPIOFFLINE_ADVISEINFO>()
            ));
        }
        // SAFETY: the caller sent the whole structure (checked above).
        let info = unsafe { info.read_unaligned() };
        if info.CallbackType != sys::MAPIOFFLINE_CALLBACK_TYPE_NOTIFY {
            return invalid(format_args!(
                "Advise: CallbackType {} is not MAPIOFFLINE_CALLBACK_TYPE_NOTIFY",
                info.CallbackType.0
            ));
        }
        if info.pCallback.is_null() {
            return invalid(format_args!("Advise: null pCallback"));
        }
        if token.is_null() {
            return invalid(format_args!("Advise: null pulAdviseToken"));
        }
        // SAFETY: a non-null IUnknown* the caller lends us for the call.
        let callback = match unsafe { IUnknown::from_raw_borrowed(&info.pCallback) }
            .map(|unknown| unknown.cast())
        {
            Some(Ok(callback)) => Arc::new(Callback(callback)),
            Some(Err(error)) => {
                crate::com::log_contained(|| {
                    log::warn!("SimulatedOutlook: Advise: the callback does not implement IMAPIOfflineNotify ({error})")
                });
                return sys::E_NOINTERFACE;
            }
            None => unreachable!("checked for null above"),
        };
        let notified = info.ulAdviseTypes & sys::MAPIOFFLINE_ADVISE_TYPE_STATECHANGE != 0
            && info.ulStateMask & sys::MAPIOFFLINE_STATE_OFFLINE_MASK != 0;
        // SAFETY: the caller holds a reference.
        let mut state = unsafe { object(this) }.shared.lock();
        let mut new_token = state.next_token;
        while state
            .registrations
            .iter()
            .any(|registration| registration.token == new_token)
        {
            new_token = new_token.wrapping_add(1).max(1);
        }
        state.next_token = new_token.wrapping_add(1).max(1);
        state.registrations.push(Registration {
            token: new_token,
            client_token: info.ulClientToken,
            callback,
            notified,
        });
        drop(state);
        // SAFETY: non-null, writable (COM contract).
        unsafe { token.write(new_token) };
        sys::S_OK
    })
}

unsafe extern "system" fn unadvise(this: *mut c_void, flags: u32, token: u32) -> HRESULT {
    server::guarded("SimulatedOutlook", "Unadvise", || {
        if flags != sys::MAPIOFFLINE_UNADVISE_DEFAULT {
            return invalid(format_args!("Unadvise: unknown flags {flags:#x}"));
        }
        // SAFETY: the caller holds a reference.
        let mut state = unsafe { object(this) }.shared.lock();
        let Some(index) = state
            .registrations
            .iter()
            .position(|registration| registration.token == token)
        else {
            drop(state);
            return invalid(format_args!("Unadvise: no registration has token {token}"));
        };
        let registration = state.registrations.remove(index);
        drop(state);
        drop(registration); // releases the sink, outside the lock
        sys::S_OK
    })
}

unsafe extern "system" fn reserved_placeholder(
    _this: *mut c_void,
    _reserved: *mut c_void,
) -> HRESULT {
    sys::E_NOTIMPL
}

unsafe extern "system" fn placeholder(_this: *mut c_void) -> HRESULT {
    sys::E_NOTIMPL
}

fn invalid(what: core::fmt::Arguments<'_>) -> HRESULT {
    invalid_arg("SimulatedOutlook", what)
}
