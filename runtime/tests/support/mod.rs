//! What the behaviour tests need to act as a COM caller and to see what the object did.
//!
//! - The caller's view of the ABI is written out here from the C headers (`guiddef.h`,
//!   `unknwn.h`, the Offline State API header), not taken from `mapi_notify_sink::sys`: a test
//!   that used the crate's own definitions could not notice a mistake in them.
//! - [`Tombstone`]: a drop counter, so every object test can end by proving `T` was dropped
//!   exactly once.
//! - [`capture_logs`]: the `log` records made on the current thread while a closure runs.
//! - [`allocations_during`] / [`frees_of`]: what the heap saw, from a tracking global allocator.
//! - `mapidefs`: the same for the advise sink: `NOTIFICATION` and its members as `MAPIDefS.h`
//!   lays them out, the memory a caller lends (`Lent`), and a recording `AdviseRecorder`.
//! - [`deliver`]: events sent to a handler as MAPI sends them, by a `SimulatedStore`.
//! - [`Guarded`]: bytes that end where readable memory ends, to show a reader stops in time.
//! - [`returns`]: a call given 5 s, so that a deadlock fails a test instead of hanging it.

// Each test binary includes this module and uses only part of it.
#![allow(dead_code, non_upper_case_globals, non_snake_case)]

use core::ffi::c_void;
use core::ptr::{self, NonNull};
use mapi_notify_sink::{mapi_notify_sink, sys, Notification, NotifyKind, Sink, StateChange};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::Mutex;
use windows_core::HRESULT;

mod logs;
#[allow(unused_imports)] // each test binary uses part of this module
pub use logs::{capture_logs, Logged};
mod tombstone;
#[allow(unused_imports)] // each test binary uses part of this module
pub use tombstone::{tombstone, Drops, Tombstone};
mod mapidefs;
#[allow(unused_imports)] // each test binary uses part of this module
pub use mapidefs::*;
mod guard;
#[allow(unused_imports)] // each test binary uses part of this module
pub use guard::Guarded;

// ---------------------------------------------------------------------------------------------
// The ABI as a C++ caller sees it
// ---------------------------------------------------------------------------------------------

/// A `GUID` as `guiddef.h` lays it out.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Guid {
    pub Data1: u32,
    pub Data2: u16,
    pub Data3: u16,
    pub Data4: [u8; 8],
}

const fn guid(Data1: u32, Data2: u16, Data3: u16, Data4: [u8; 8]) -> Guid {
    Guid {
        Data1,
        Data2,
        Data3,
        Data4,
    }
}

pub const IID_IUnknown: Guid = guid(0, 0, 0, [0xc0, 0, 0, 0, 0, 0, 0, 0x46]);
pub const IID_IMAPIOfflineNotify: Guid = guid(
    0x0317bde5,
    0xfc29,
    0x44cd,
    [0x8d, 0xcd, 0x36, 0x12, 0x5a, 0x3b, 0xe9, 0xec],
);
pub const IID_IAgileObject: Guid = guid(
    0x94ea2b94,
    0xe9cc,
    0x49e0,
    [0xc0, 0xff, 0xee, 0x64, 0xca, 0x8f, 0x5b, 0x90],
);
pub const IID_IMarshal: Guid = guid(3, 0, 0, [0xc0, 0, 0, 0, 0, 0, 0, 0x46]);
pub const IID_IInspectable: Guid = guid(
    0xaf86e2e0,
    0xb12d,
    0x4c6a,
    [0x9c, 0x5a, 0xd7, 0xaa, 0x65, 0x10, 0x1e, 0x90],
);
/// The offline *manager*'s interfaces: a sink must not claim to be one.
pub const IID_IMAPIOffline: Guid = guid(0x000672b5, 0, 0, [0xc0, 0, 0, 0, 0, 0, 0, 0x46]);
pub const IID_IMAPIOfflineMgr: Guid = guid(
    0x42175607,
    0xff3e,
    0x4790,
    [0xbc, 0x18, 0x66, 0xc8, 0x64, 0x3e, 0x64, 0x24],
);
/// A GUID made up for these tests, which no object implements.
pub const IID_Unrelated: Guid = guid(
    0x6b1f3c1e,
    0x52a4,
    0x4f0e,
    [0x9d, 0x6b, 0x2f, 0x3e, 0x8a, 0x7c, 0x4d, 0x10],
);

pub const S_OK: HRESULT = HRESULT(0);
pub const E_NOINTERFACE: HRESULT = HRESULT(0x8000_4002_u32 as i32);
pub const E_POINTER: HRESULT = HRESULT(0x8000_4003_u32 as i32);

/// `IMAPIOfflineNotifyVtbl` as the C header declares it: `IUnknown`'s three slots, then `Notify`.
#[repr(C)]
struct IMAPIOfflineNotifyVtbl {
    QueryInterface: unsafe extern "system" fn(
        this: *mut c_void,
        riid: *const Guid,
        ppv: *mut *mut c_void,
    ) -> HRESULT,
    AddRef: unsafe extern "system" fn(this: *mut c_void) -> u32,
    Release: unsafe extern "system" fn(this: *mut c_void) -> u32,
    Notify: unsafe extern "system" fn(this: *mut c_void, pNotifyInfo: *const c_void),
}

/// `this->lpVtbl`: the vtable pointer stored at the object's address.
///
/// # Safety
/// `this` points to a live COM object whose vtable is an `IMAPIOfflineNotify` vtable.
unsafe fn lpVtbl<'a>(this: *mut c_void) -> &'a IMAPIOfflineNotifyVtbl {
    // SAFETY: the caller's promise.
    unsafe { &*this.cast::<*const IMAPIOfflineNotifyVtbl>().read() }
}

/// A non-null `*ppv` that is not any object: what a C caller's uninitialised out variable may
/// hold, so a test can see whether `QueryInterface` overwrote it.
pub fn garbage_ppv() -> *mut c_void {
    static GARBAGE: u8 = 0xcc;
    ptr::addr_of!(GARBAGE).cast_mut().cast()
}

/// `QueryInterface(riid, &ppv)` through slot 0, with `ppv` set to [`garbage_ppv`] beforehand.
///
/// # Safety
/// `this` is a live `IMAPIOfflineNotify*` on which the caller holds a reference.
pub unsafe fn query_interface(this: *mut c_void, riid: &Guid) -> (HRESULT, *mut c_void) {
    let mut ppv = garbage_ppv();
    // SAFETY: the caller's promise; `riid` and `ppv` are valid.
    let hr = unsafe { query_interface_raw(this, riid, &mut ppv) };
    (hr, ppv)
}

/// `QueryInterface` through slot 0 with the arguments exactly as given (null ones included).
///
/// # Safety
/// As [`query_interface`]; `riid` and `ppv` are null or valid.
pub unsafe fn query_interface_raw(
    this: *mut c_void,
    riid: *const Guid,
    ppv: *mut *mut c_void,
) -> HRESULT {
    // SAFETY: the caller's promise.
    unsafe { (lpVtbl(this).QueryInterface)(this, riid, ppv) }
}

/// `AddRef` through slot 1.
///
/// # Safety
/// As [`query_interface`].
pub unsafe fn add_ref(this: *mut c_void) -> u32 {
    // SAFETY: the caller's promise.
    unsafe { (lpVtbl(this).AddRef)(this) }
}

/// `Release` through slot 2.
///
/// # Safety
/// As [`query_interface`], and the caller gives up the reference it holds.
pub unsafe fn release(this: *mut c_void) -> u32 {
    // SAFETY: the caller's promise.
    unsafe { (lpVtbl(this).Release)(this) }
}

/// `Notify(info)` through slot 3.
///
/// # Safety
/// As [`query_interface`]; `info` is null or covers its `ulSize` bytes (at least 4).
pub unsafe fn notify(this: *mut c_void, info: *const c_void) {
    // SAFETY: the caller's promise.
    unsafe { (lpVtbl(this).Notify)(this, info) }
}

/// `MAPIOFFLINE_NOTIFY` as the C header lays it out. `Info` is a union whose one member is
/// `StateChange { ulMask, ulStateOld, ulStateNew }`, so it is written out flat.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MapiOfflineNotify {
    pub ulSize: u32,
    pub NotifyType: i32,
    pub ulClientToken: u32,
    pub ulMask: u32,
    pub ulStateOld: u32,
    pub ulStateNew: u32,
}

pub const MAPIOFFLINE_NOTIFY_SIZE: usize = 24;
const _: () = assert!(core::mem::size_of::<MapiOfflineNotify>() == MAPIOFFLINE_NOTIFY_SIZE);

pub const STATECHANGE_START: i32 = 1;
pub const STATECHANGE: i32 = 2;
pub const STATECHANGE_DONE: i32 = 3;
pub const OFFLINE_MASK: u32 = 0x3;
pub const OFFLINE: u32 = 0x1;
pub const ONLINE: u32 = 0x2;

impl MapiOfflineNotify {
    /// A complete (24-byte) notification of an online/offline change.
    pub fn state_change(NotifyType: i32, ulClientToken: u32, old: u32, new: u32) -> Self {
        Self {
            ulSize: MAPIOFFLINE_NOTIFY_SIZE as u32,
            NotifyType,
            ulClientToken,
            ulMask: OFFLINE_MASK,
            ulStateOld: old,
            ulStateNew: new,
        }
    }

    /// The bytes a C caller has in memory: each field at its header offset, native byte order.
    pub fn to_bytes(self) -> [u8; MAPIOFFLINE_NOTIFY_SIZE] {
        let fields = [
            self.ulSize,
            self.NotifyType as u32,
            self.ulClientToken,
            self.ulMask,
            self.ulStateOld,
            self.ulStateNew,
        ];
        let mut bytes = [0; MAPIOFFLINE_NOTIFY_SIZE];
        for (chunk, field) in bytes.chunks_exact_mut(4).zip(fields) {
            chunk.copy_from_slice(&field.to_ne_bytes());
        }
        bytes
    }

    pub fn from_bytes(bytes: [u8; MAPIOFFLINE_NOTIFY_SIZE]) -> Self {
        let field = |i: usize| u32::from_ne_bytes(bytes[4 * i..4 * i + 4].try_into().unwrap());
        Self {
            ulSize: field(0),
            NotifyType: field(1) as i32,
            ulClientToken: field(2),
            ulMask: field(3),
            ulStateOld: field(4),
            ulStateNew: field(5),
        }
    }
}

/// Filler for the bytes of a notification past the 24 this crate knows.
pub const BEYOND_24_FILLER: u8 = 0xa5;

/// A notification in a heap block of exactly `max(ulSize, 4)` bytes, aligned like a `ULONG`:
/// the block ends where `ulSize` says, as a caller's may, so Miri reports any read past it.
pub struct NotifyBuffer {
    block: NonNull<u8>,
    layout: Layout,
}

impl NotifyBuffer {
    /// The first `size` bytes of `fields` with `ulSize = size`; bytes past 24 are
    /// [`BEYOND_24_FILLER`].
    pub fn new(fields: MapiOfflineNotify, size: u32) -> Self {
        let sent = size as usize;
        let layout = Layout::from_size_align(sent.max(4), 4).unwrap();
        // SAFETY: the layout's size is at least 4.
        let block = NonNull::new(unsafe { std::alloc::alloc_zeroed(layout) })
            .unwrap_or_else(|| std::alloc::handle_alloc_error(layout));
        let mut buffer = Self { block, layout };
        let header = MapiOfflineNotify {
            ulSize: size,
            ..fields
        }
        .to_bytes();
        let bytes = buffer.bytes_mut();
        let known = bytes.len().min(MAPIOFFLINE_NOTIFY_SIZE);
        bytes[..known].copy_from_slice(&header[..known]);
        bytes[known..].fill(BEYOND_24_FILLER);
        buffer
    }

    /// The `const MAPIOFFLINE_NOTIFY*` to pass to `Notify`.
    pub fn as_ptr(&self) -> *const c_void {
        self.block.as_ptr().cast()
    }

    /// What the caller sent: the whole block.
    pub fn bytes(&self) -> &[u8] {
        // SAFETY: the block is `layout.size()` initialised bytes, owned by `self`.
        unsafe { core::slice::from_raw_parts(self.block.as_ptr(), self.layout.size()) }
    }

    fn bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: the block is `layout.size()` initialised bytes, owned by `self`.
        unsafe { core::slice::from_raw_parts_mut(self.block.as_ptr(), self.layout.size()) }
    }

    /// What `Notification::raw()` must show for this notification: the bytes the caller sent,
    /// up to 24, and zero in every byte it did not send.
    pub fn as_received(&self) -> [u8; MAPIOFFLINE_NOTIFY_SIZE] {
        let mut received = [0; MAPIOFFLINE_NOTIFY_SIZE];
        let sent = &self.bytes()[..(self.ul_size() as usize).min(MAPIOFFLINE_NOTIFY_SIZE)];
        received[..sent.len()].copy_from_slice(sent);
        received
    }

    fn ul_size(&self) -> u32 {
        u32::from_ne_bytes(self.bytes()[..4].try_into().unwrap())
    }
}

impl Drop for NotifyBuffer {
    fn drop(&mut self) {
        // SAFETY: allocated in `new` with this layout.
        unsafe { std::alloc::dealloc(self.block.as_ptr(), self.layout) };
    }
}

// ---------------------------------------------------------------------------------------------
// A sink that records what it is given
// ---------------------------------------------------------------------------------------------

/// What a sink's `notify` saw in one call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seen {
    pub kind: NotifyKind,
    pub client_token: u32,
    pub state_change: Option<StateChange>,
    /// Every byte of `Notification::raw()`.
    pub raw: [u8; MAPIOFFLINE_NOTIFY_SIZE],
}

impl Seen {
    pub fn raw_fields(&self) -> MapiOfflineNotify {
        MapiOfflineNotify::from_bytes(self.raw)
    }
}

pub struct Recorder {
    seen: Mutex<Vec<Seen>>,
    _tombstone: Tombstone,
}

#[mapi_notify_sink]
impl Recorder {
    fn notify(&self, info: &Notification<'_>) {
        let raw: &sys::MAPIOFFLINE_NOTIFY = info.raw();
        // SAFETY: `MAPIOFFLINE_NOTIFY` is 24 bytes of `u32`s and `i32`s (checked in `sys`), so
        // it has no padding: all 24 bytes are initialised.
        let raw = unsafe {
            ptr::from_ref(raw)
                .cast::<[u8; MAPIOFFLINE_NOTIFY_SIZE]>()
                .read()
        };
        self.seen.lock().unwrap().push(Seen {
            kind: info.kind(),
            client_token: info.client_token(),
            state_change: info.state_change(),
            raw,
        });
    }
}

impl Recorder {
    /// A new recorder and its tombstone.
    pub fn new() -> (Recorder, Drops) {
        let (tombstone, drops) = tombstone();
        let recorder = Recorder {
            seen: Mutex::new(Vec::new()),
            _tombstone: tombstone,
        };
        (recorder, drops)
    }

    /// A new recording sink (count 1) and its tombstone.
    pub fn sink() -> (Sink<Recorder>, Drops) {
        let (recorder, drops) = Recorder::new();
        (Sink::new(recorder), drops)
    }

    /// What `notify` has seen since the last `take`.
    pub fn take(&self) -> Vec<Seen> {
        core::mem::take(&mut *self.seen.lock().unwrap())
    }
}

// ---------------------------------------------------------------------------------------------
// The heap, per thread
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Default)]
struct HeapWatch {
    recording: bool,
    allocations: usize,
    first_allocation: Option<(usize, usize)>,
    last_allocation: Option<(usize, usize)>,
    /// The address of a block whose frees are counted; 0 for none.
    watched: usize,
    frees: usize,
    freed_size: usize,
}

thread_local! {
    // A `const`-initialised `Copy` value: reading it never allocates, so the allocator can.
    static HEAP_WATCH: Cell<HeapWatch> = const {
        Cell::new(HeapWatch {
            recording: false,
            allocations: 0,
            first_allocation: None,
            last_allocation: None,
            watched: 0,
            frees: 0,
            freed_size: 0,
        })
    };
}

fn update_heap_watch(change: impl FnOnce(&mut HeapWatch)) {
    let _ = HEAP_WATCH.try_with(|cell| {
        let mut watch = cell.get();
        change(&mut watch);
        cell.set(watch);
    });
}

/// The system allocator, telling the current thread's [`HeapWatch`] what it does.
struct TrackingAllocator;

// SAFETY: every call is passed on to `System` unchanged.
unsafe impl GlobalAlloc for TrackingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's promise, passed on.
        let block = unsafe { System.alloc(layout) };
        note_allocation(block, layout);
        block
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's promise, passed on.
        let block = unsafe { System.alloc_zeroed(layout) };
        note_allocation(block, layout);
        block
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        let address = block as usize;
        update_heap_watch(|watch| {
            if watch.watched != 0 && watch.watched == address {
                watch.frees += 1;
                watch.freed_size = layout.size();
            }
        });
        // SAFETY: the caller's promise, passed on.
        unsafe { System.dealloc(block, layout) }
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's promise, passed on.
        unsafe { System.realloc(block, layout, new_size) }
    }
}

fn note_allocation(block: *mut u8, layout: Layout) {
    let address = block as usize;
    update_heap_watch(|watch| {
        if watch.recording {
            watch.allocations += 1;
            watch.first_allocation = watch.first_allocation.or(Some((address, layout.size())));
            watch.last_allocation = Some((address, layout.size()));
        }
        // The watched block was freed and its address handed out again: what is freed there
        // from now on is another block.
        if watch.watched == address && watch.frees > 0 {
            watch.watched = 0;
        }
    });
}

/// Whether the tracking allocator is installed. Not under Miri on Windows targets: there a
/// wrapping `#[global_allocator]` makes Miri run std's own Windows heap code, which Miri
/// rejects (inside std, not this crate); Miri's leak checker proves every block freed instead.
pub const HEAP_TRACKED: bool = !cfg!(all(miri, windows));

#[cfg(not(all(miri, windows)))]
#[global_allocator]
static ALLOCATOR: TrackingAllocator = TrackingAllocator;

/// What this thread allocated while a closure ran.
#[derive(Debug, PartialEq, Eq)]
pub struct Allocations {
    pub count: usize,
    /// Address and size of the first block.
    pub first: Option<(usize, usize)>,
    /// Address and size of the last block.
    pub last: Option<(usize, usize)>,
}

pub fn allocations_during<R>(f: impl FnOnce() -> R) -> (R, Allocations) {
    update_heap_watch(|watch| {
        watch.recording = true;
        watch.allocations = 0;
        watch.first_allocation = None;
        watch.last_allocation = None;
    });
    let result = f();
    let mut allocations = Allocations {
        count: 0,
        first: None,
        last: None,
    };
    update_heap_watch(|watch| {
        watch.recording = false;
        allocations = Allocations {
            count: watch.allocations,
            first: watch.first_allocation,
            last: watch.last_allocation,
        };
    });
    (result, allocations)
}

/// How often, and with what size, this thread freed the block at an address while a closure ran.
#[derive(Debug, PartialEq, Eq)]
pub struct Frees {
    pub count: usize,
    pub size: usize,
}

pub fn frees_of<R>(block: *mut c_void, f: impl FnOnce() -> R) -> (R, Frees) {
    update_heap_watch(|watch| {
        watch.watched = block as usize;
        watch.frees = 0;
        watch.freed_size = 0;
    });
    let result = f();
    let mut frees = Frees { count: 0, size: 0 };
    update_heap_watch(|watch| {
        frees = Frees {
            count: watch.frees,
            size: watch.freed_size,
        };
        watch.watched = 0;
    });
    (result, frees)
}

// ---------------------------------------------------------------------------------------------
// Events as a message store sends them
// ---------------------------------------------------------------------------------------------

/// Advises a sink on a new `SimulatedStore` for every event type, sends it `events` with one
/// `notify`, and returns what `handler` returned in each `OnNotify` call, in order. `handler`
/// runs inside the sink's `on_notify`, on the store's thread; what it returns cannot borrow the
/// events (they live only for the call), so it copies out.
pub fn deliver<R, F>(events: &[mapi_notify_sink::simulator::StoreEvent], handler: F) -> Vec<R>
where
    R: Send + 'static,
    F: Fn(&mapi_notify_sink::advise_sink::Events<'_>) -> R + Send + Sync + 'static,
{
    use mapi_notify_sink::advise_sink::{AdviseSink, Events};
    use mapi_notify_sink::mapi_advise_sink;
    use mapi_notify_sink::simulator::SimulatedStore;

    struct Collect<R, F> {
        handler: F,
        returned: Mutex<Vec<R>>,
    }

    #[mapi_advise_sink]
    impl<R, F> Collect<R, F>
    where
        R: Send + 'static,
        F: Fn(&Events<'_>) -> R + Send + Sync + 'static,
    {
        fn on_notify(&self, events: &Events<'_>) {
            let value = (self.handler)(events);
            self.returned.lock().unwrap().push(value);
        }
    }

    let every_event = sys::fnevCriticalError
        | sys::fnevNewMail
        | sys::fnevObjectCreated
        | sys::fnevObjectDeleted
        | sys::fnevObjectModified
        | sys::fnevObjectMoved
        | sys::fnevObjectCopied
        | sys::fnevSearchComplete
        | sys::fnevTableModified
        | sys::fnevStatusObjectModified
        | sys::fnevExtended;
    let store = SimulatedStore::new();
    let sink = AdviseSink::new(Collect {
        handler,
        returned: Mutex::new(Vec::new()),
    });
    let mut connection = 0;
    // SAFETY: `sink.as_raw()` is a live `IMAPIAdviseSink*`; no entry ID (the whole store);
    // `connection` is writable.
    let advised = unsafe {
        store.to_interface().Advise(
            0,
            ptr::null_mut(),
            every_event,
            sink.as_raw(),
            &mut connection,
        )
    };
    assert!(
        advised.is_ok(),
        "SimulatedStore refused Advise: {advised:?}"
    );
    store.notify(events);
    // SAFETY: a connection this store gave, unadvised once.
    let unadvised = unsafe { store.to_interface().Unadvise(connection) };
    assert!(
        unadvised.is_ok(),
        "SimulatedStore refused Unadvise: {unadvised:?}"
    );
    let returned = core::mem::take(&mut *sink.returned.lock().unwrap());
    returned
}

// ---------------------------------------------------------------------------------------------
// Calls that must return
// ---------------------------------------------------------------------------------------------

/// Runs `call` on a thread of its own and waits at most 5 s for it; ends the process (exit
/// code 101, as a failed test) when it does not return, saying `what` did not and `why` that
/// means (unwinding would hang as well: a test's clean-up calls into what deadlocked). A panic
/// in `call` is the test's. Under Miri too: its clock moves while this thread waits.
pub fn returns<R: Send + 'static>(
    what: &str,
    why: &str,
    call: impl FnOnce() -> R + Send + 'static,
) -> R {
    use std::io::Write as _;
    use std::sync::mpsc;
    let (done, finished) = mpsc::channel();
    let thread = std::thread::spawn(move || {
        let _ = done.send(call());
    });
    match finished.recv_timeout(std::time::Duration::from_secs(5)) {
        Ok(value) => {
            thread.join().expect("it sent its value");
            value
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            std::panic::resume_unwind(thread.join().expect_err("it panicked"))
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            // Straight to stderr: the harness's capture of `eprintln!` would be lost at exit.
            let _ = writeln!(std::io::stderr(), "{what} did not return within 5 s: {why}");
            std::process::exit(101)
        }
    }
}
