//! [`SimulatedStore`]: an in-process `IMsgStore` whose `Advise` / `Unadvise` work as MAPI's do,
//! and which sends the events a test asks for, from its own thread, in notification arrays laid
//! out as MAPI lays them out.
//!
//! What it does, as MAPI does it:
//! - `Advise` (slot 14) takes the sink's `IMAPIAdviseSink*`, an event mask and optionally an
//!   entry ID, and returns a connection number: pointer-sized, never 0, never one in use. The
//!   store holds one reference to the sink per connection, from `Advise` until `Unadvise`
//!   (slot 15), or until the store's last reference goes.
//! - Each event goes to the connections whose `ulEventMask` has its type and, for a connection
//!   made with an entry ID, only when the event is about that object: its entry ID or its
//!   parent's is that ID (so a folder's connection sees what happens to the folder and in it).
//!   Events that name no object (table, extended, an error without an entry ID) go only to
//!   connections on the whole store.
//! - One [`SimulatedStore::notify`] makes at most one `OnNotify` call per connection, with the
//!   events for it in order, in one buffer: the `NOTIFICATION` array first, then the entry
//!   IDs, strings, property arrays and error details it points to. The buffer is freed when
//!   `OnNotify` returns, as MAPI frees its own.
//! - Calls come from the store's thread, never from the caller's; `notify` returns when they
//!   are done.
//! - Every other `IMAPIProp` and `IMsgStore` method (slots 3–13 and 16–26) returns
//!   `MAPI_E_NO_SUPPORT`, with its real parameter list (a `stdcall` callee pops its arguments).
//!
//! Choices where MAPI's documentation is silent or leaves it to the store:
//! - `Advise` refuses (`E_INVALIDARG`, logged) a null sink, a null `lpulConnection`, an event
//!   mask of 0, and a non-zero `cbEntryID` with a null `lpEntryID`; a `cbEntryID` of 0 advises
//!   on the whole store. It `QueryInterface`s the sink for `IID_IMAPIAdviseSink`
//!   (`E_NOINTERFACE` otherwise): the reference it keeps is that one.
//! - `Unadvise` of a number not in use is `MAPI_E_NOT_FOUND`.
//! - An entry ID given as empty in a [`StoreEvent`] is sent as a count of 0 and a null pointer.
//!
//! # Invariants (the unsafe parts)
//! - The store is a `server::Server<Store>` (see its invariants), made only by
//!   [`SimulatedStore::new`].
//! - A notification buffer is written completely before it is sent: every pointer in it points
//!   into the same buffer, which outlives the `OnNotify` call it is sent with.
//! - No lock is held while a sink is called or released.

use super::events::StoreEvent;
use super::layout::NotificationBuffer;
use super::server::{self, Server, ServerState};
use super::worker::Worker;
use crate::com;
use crate::sys::{self, IMAPIAdviseSink, IMAPIProp_Vtbl, IMsgStore_Vtbl, NOTIFICATION};
use core::ffi::c_void;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use windows_core::{IUnknown, Interface, GUID, HRESULT};

/// `MAPI_E_NOT_FOUND`.
const NOT_FOUND: HRESULT = sys::MAPI_E_NOT_FOUND;

/// A simulated message store for tests and demos: sinks advise on it through its raw
/// `IMsgStore*`, as on a real store, and [`notify`](SimulatedStore::notify) sends them events.
///
/// ```
/// use mapi_notify_sink::advise_sink::{AdviseSink, Event, Events};
/// use mapi_notify_sink::simulator::{SimulatedStore, StoreEvent};
/// use mapi_notify_sink::{mapi_advise_sink, sys};
/// use std::sync::Mutex;
///
/// struct Log(Mutex<Vec<String>>);
///
/// #[mapi_advise_sink]
/// impl Log {
///     fn on_notify(&self, events: &Events<'_>) {
///         for event in events {
///             if let Event::NewMail(mail) = event {
///                 let class = mail.message_class().map(|class| class.to_string());
///                 self.0.lock().unwrap().push(class.unwrap_or_default());
///             }
///         }
///     }
/// }
///
/// let store = SimulatedStore::new();
/// let sink = AdviseSink::new(Log(Mutex::default()));
/// let mut connection = 0;
/// // SAFETY: a live sink; a whole-store connection (no entry ID); `connection` is writable.
/// let hr = unsafe {
///     store.to_interface().Advise(0, std::ptr::null_mut(), sys::fnevNewMail, sink.as_raw(), &mut connection)
/// };
/// assert!(hr.is_ok() && connection != 0);
/// store.notify(&[StoreEvent::new_mail(b"message", b"inbox", "IPM.Note")]);
/// assert_eq!(*sink.0.lock().unwrap(), ["IPM.Note"]);
/// // SAFETY: a connection this store gave.
/// assert!(unsafe { store.to_interface().Unadvise(connection) }.is_ok());
/// ```
pub struct SimulatedStore {
    store: sys::IMsgStore,
}

// SAFETY: the simulated store is free-threaded: its state is behind a mutex, its count is
// atomic, and it calls sinks only from its own thread.
unsafe impl Send for SimulatedStore {}
// SAFETY: as above.
unsafe impl Sync for SimulatedStore {}

impl SimulatedStore {
    /// A store with no connections.
    pub fn new() -> Self {
        let state = Store {
            connections: Mutex::new(Connections {
                list: Vec::new(),
                next: 1,
            }),
            worker: Worker::spawn("simulated-store"),
        };
        // SAFETY: `VTABLE` begins with `unknown_slots::<Store>()` and its slots expect a
        // `Server<Store>`; the new object's one reference goes to `store`.
        let store = unsafe { sys::IMsgStore::from_raw(Server::create(Store::VTABLE, state)) };
        Self { store }
    }

    /// The store's `IMsgStore*` (also its `IUnknown*`), borrowed: valid while this
    /// `SimulatedStore` lives.
    pub fn as_raw(&self) -> *mut c_void {
        self.store.as_raw()
    }

    /// A new reference to the store as a windows-core `IMsgStore`.
    pub fn to_interface(&self) -> sys::IMsgStore {
        self.store.clone()
    }

    /// How many connections are advised.
    pub fn advised(&self) -> usize {
        self.state().lock().list.len()
    }

    /// Sends `events`, in order, to every connection they match (see the module
    /// documentation), one `OnNotify` call per connection, from the store's thread; returns how
    /// many calls were made, when they are done.
    ///
    /// # Panics
    /// When called from inside a notification (it would wait for itself).
    pub fn notify(&self, events: &[StoreEvent]) -> usize {
        let store = self.state();
        // Under the lock, only which sink gets which events: `Arc::clone`, not the sink's
        // `AddRef`, so code not ours never runs under it (nor does the buffers' layout).
        let targets: Vec<(Arc<Sink>, Vec<&StoreEvent>)> = store
            .lock()
            .list
            .iter()
            .filter_map(|connection| {
                let matching: Vec<&StoreEvent> = events
                    .iter()
                    .filter(|event| connection.wants(event))
                    .collect();
                (!matching.is_empty()).then(|| (connection.sink.clone(), matching))
            })
            .collect();
        let deliveries: Vec<Delivery> = targets
            .into_iter()
            .map(|(sink, matching)| Delivery {
                sink,
                buffer: NotificationBuffer::new(&matching),
            })
            .collect();
        let calls = deliveries.len();
        store.worker.run_and_wait(move || {
            for delivery in deliveries {
                delivery.send();
            }
        });
        calls
    }

    fn state(&self) -> &Store {
        // SAFETY: `self.store` holds a reference to the `Server<Store>` `new` made.
        unsafe { Server::<Store>::state(self.store.as_raw()) }
    }
}

impl Default for SimulatedStore {
    fn default() -> Self {
        Self::new()
    }
}

impl core::fmt::Debug for SimulatedStore {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SimulatedStore")
            .field("advised", &self.advised())
            .finish()
    }
}

// ---------------------------------------------------------------------------------------------
// The COM object
// ---------------------------------------------------------------------------------------------

/// The simulated store's state, in a `Server<Store>`.
struct Store {
    connections: Mutex<Connections>,
    worker: Worker,
}

struct Connections {
    list: Vec<Connection>,
    next: usize,
}

struct Connection {
    number: usize,
    /// `None`: the whole store.
    entry_id: Option<Vec<u8>>,
    mask: u32,
    /// Shared with the deliveries under way: cloned under the lock without a call to the sink,
    /// and released (the sink's `Release`) by whoever drops the last of them, outside it.
    sink: Arc<Sink>,
}

impl Connection {
    fn wants(&self, event: &StoreEvent) -> bool {
        event.event_type() & self.mask != 0
            && self.entry_id.as_deref().is_none_or(|id| {
                event
                    .about()
                    .iter()
                    .any(|about| !about.is_empty() && *about == id)
            })
    }
}

/// A reference to an advised sink. MAPI calls sinks from any thread, so the reference may
/// move to the delivery thread, and be shared with it.
struct Sink(IMAPIAdviseSink);

// SAFETY: see above: advise sinks are called (and released) from any thread.
unsafe impl Send for Sink {}
// SAFETY: as above; a shared `Sink` is only used to call the sink.
unsafe impl Sync for Sink {}

/// One `OnNotify` call for the delivery thread.
struct Delivery {
    sink: Arc<Sink>,
    buffer: NotificationBuffer,
}

impl Delivery {
    fn send(mut self) {
        let notifications = self.buffer.words.as_mut_ptr().cast::<NOTIFICATION>();
        // SAFETY: a complete buffer (module invariants) that outlives the call, to a sink we
        // hold a reference to.
        unsafe { self.sink.0.OnNotify(self.buffer.count, notifications) };
    }
}

impl ServerState for Store {
    const IIDS: &'static [GUID] = &[sys::IID_IMsgStore, sys::IID_IMAPIProp];
    const NAME: &'static str = "SimulatedStore";
}

impl Store {
    fn lock(&self) -> MutexGuard<'_, Connections> {
        // Nothing that runs under the lock can panic midway through an update.
        self.connections
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    const VTABLE: &'static IMsgStore_Vtbl = &IMsgStore_Vtbl {
        base__: IMAPIProp_Vtbl {
            base__: server::unknown_slots::<Store>(),
            GetLastError: no_support::get_last_error,
            SaveChanges: no_support::save_changes,
            GetProps: no_support::get_props,
            GetPropList: no_support::get_prop_list,
            OpenProperty: no_support::open_property,
            SetProps: no_support::set_props,
            DeleteProps: no_support::delete_props,
            CopyTo: no_support::copy_to,
            CopyProps: no_support::copy_props,
            GetNamesFromIDs: no_support::get_names_from_ids,
            GetIDsFromNames: no_support::get_ids_from_names,
        },
        Advise: advise,
        Unadvise: unadvise,
        CompareEntryIDs: no_support::compare_entry_ids,
        OpenEntry: no_support::open_entry,
        SetReceiveFolder: no_support::set_receive_folder,
        GetReceiveFolder: no_support::get_receive_folder,
        GetReceiveFolderTable: no_support::get_receive_folder_table,
        StoreLogoff: no_support::store_logoff,
        AbortSubmit: no_support::abort_submit,
        GetOutgoingQueue: no_support::get_outgoing_queue,
        SetLockState: no_support::set_lock_state,
        FinishedMsg: no_support::finished_msg,
        NotifyNewMail: no_support::notify_new_mail,
    };
}

impl Drop for Store {
    /// The last reference went: stop delivering, then release every sink still advised,
    /// outside the lock.
    fn drop(&mut self) {
        self.worker.stop();
        let connections = std::mem::take(&mut self.lock().list);
        drop(connections);
    }
}

fn invalid(what: core::fmt::Arguments<'_>) -> HRESULT {
    server::invalid("SimulatedStore", what)
}

/// Slot 14.
unsafe extern "system" fn advise(
    this: *mut c_void,
    cb_entry_id: u32,
    entry_id: *mut sys::ENTRYID,
    event_mask: u32,
    sink: *mut c_void,
    connection: *mut usize,
) -> HRESULT {
    server::guarded("SimulatedStore", "Advise", || {
        if sink.is_null() {
            return invalid(format_args!("Advise: null lpAdviseSink"));
        }
        if connection.is_null() {
            return invalid(format_args!("Advise: null lpulConnection"));
        }
        if event_mask == 0 {
            return invalid(format_args!("Advise: ulEventMask is 0"));
        }
        if cb_entry_id != 0 && entry_id.is_null() {
            return invalid(format_args!(
                "Advise: lpEntryID is null with cbEntryID {cb_entry_id}"
            ));
        }
        let entry_id = (cb_entry_id != 0).then(|| {
            // SAFETY: non-null, and the caller promises `cb_entry_id` readable bytes.
            unsafe { core::slice::from_raw_parts(entry_id.cast::<u8>(), cb_entry_id as usize) }
                .to_vec()
        });
        // SAFETY: a non-null IUnknown* the caller lends us for the call.
        let sink = match unsafe { IUnknown::from_raw_borrowed(&sink) }.map(|unknown| unknown.cast())
        {
            Some(Ok(sink)) => Arc::new(Sink(sink)),
            Some(Err(error)) => {
                com::log_contained(|| {
                    log::warn!(
                    "SimulatedStore: Advise: the sink does not implement IMAPIAdviseSink ({error})"
                )
                });
                return sys::E_NOINTERFACE;
            }
            None => unreachable!("checked for null above"),
        };
        // SAFETY: the caller holds a reference.
        let mut connections = unsafe { Server::<Store>::state(this) }.lock();
        let mut number = connections.next;
        while connections.list.iter().any(|c| c.number == number) {
            number = number.wrapping_add(1).max(1);
        }
        connections.next = number.wrapping_add(1).max(1);
        connections.list.push(Connection {
            number,
            entry_id,
            mask: event_mask,
            sink,
        });
        drop(connections);
        // SAFETY: non-null, writable (COM contract).
        unsafe { connection.write(number) };
        sys::S_OK
    })
}

/// Slot 15.
unsafe extern "system" fn unadvise(this: *mut c_void, number: usize) -> HRESULT {
    server::guarded("SimulatedStore", "Unadvise", || {
        // SAFETY: the caller holds a reference.
        let mut connections = unsafe { Server::<Store>::state(this) }.lock();
        let Some(index) = connections.list.iter().position(|c| c.number == number) else {
            drop(connections);
            com::log_contained(|| {
                log::warn!(
                    "SimulatedStore: Unadvise: no connection {number}; returning MAPI_E_NOT_FOUND"
                )
            });
            return NOT_FOUND;
        };
        let connection = connections.list.remove(index);
        drop(connections);
        drop(connection); // releases the sink, outside the lock
        sys::S_OK
    })
}

/// The slots the simulator does not implement, each with its real parameter list.
mod no_support {
    use crate::sys::{self, SPropTagArray, SPropValue, ENTRYID, MAPIERROR, NOTIFICATION};
    use core::ffi::c_void;
    use windows_core::{GUID, HRESULT};

    macro_rules! no_support {
        ($($name:ident($($arg:ty),*);)*) => {$(
            pub(super) unsafe extern "system" fn $name(_this: *mut c_void, $(_: $arg),*) -> HRESULT {
                sys::MAPI_E_NO_SUPPORT
            }
        )*};
    }

    no_support! {
        get_last_error(HRESULT, u32, *mut *mut MAPIERROR);
        save_changes(u32);
        get_props(*mut SPropTagArray, u32, *mut u32, *mut *mut SPropValue);
        get_prop_list(u32, *mut *mut SPropTagArray);
        open_property(u32, *const GUID, u32, u32, *mut *mut c_void);
        set_props(u32, *mut SPropValue, *mut *mut c_void);
        delete_props(*mut SPropTagArray, *mut *mut c_void);
        copy_to(u32, *const GUID, *mut SPropTagArray, usize, *mut c_void, *const GUID, *mut c_void, u32, *mut *mut c_void);
        copy_props(*mut SPropTagArray, usize, *mut c_void, *const GUID, *mut c_void, u32, *mut *mut c_void);
        get_names_from_ids(*mut *mut SPropTagArray, *mut GUID, u32, *mut u32, *mut *mut *mut c_void);
        get_ids_from_names(u32, *mut *mut c_void, u32, *mut *mut SPropTagArray);
        compare_entry_ids(u32, *mut ENTRYID, u32, *mut ENTRYID, u32, *mut u32);
        open_entry(u32, *mut ENTRYID, *const GUID, u32, *mut u32, *mut *mut c_void);
        set_receive_folder(*mut c_void, u32, u32, *mut ENTRYID);
        get_receive_folder(*mut c_void, u32, *mut u32, *mut *mut ENTRYID, *mut *mut c_void);
        get_receive_folder_table(u32, *mut *mut c_void);
        store_logoff(*mut u32);
        abort_submit(u32, *mut ENTRYID, u32);
        get_outgoing_queue(u32, *mut *mut c_void);
        set_lock_state(*mut c_void, u32);
        finished_msg(u32, u32, *mut ENTRYID);
        notify_new_mail(*mut NOTIFICATION);
    }
}
