//! The sink against the system's real COM runtime (ole32/combase; Wine's under the Windows-ABI
//! suite): apartments of both kinds, `IMarshal` through the free-threaded marshaler (as the
//! README's "What the runtime guarantees" says), cross-apartment marshaling through a stream and through the Global Interface
//! Table. A free-threaded object must cross apartments as itself, never as a proxy: that is what
//! lets Outlook call `Notify` on whatever thread it likes. Every test ends by proving the sink
//! was dropped exactly once.
#![cfg(windows)]

use core::ffi::c_void;
use core::marker::PhantomData;
use core::ptr;
use mapi_notify_sink::{mapi_notify_sink, sys, Notification, Sink};
use std::sync::mpsc;
use std::sync::Mutex;
use std::thread::{self, ThreadId};
use windows_core::{IUnknown, IUnknown_Vtbl, Interface, GUID, HRESULT};

mod support;
use support::{notify_offline, tombstone, Drops, Tombstone, PATIENCE};

// ---------------------------------------------------------------------------------------------
// The parts of ole32 these tests call, declared as <objbase.h> and <objidl.h> declare them
// ---------------------------------------------------------------------------------------------

const COINIT_MULTITHREADED: u32 = 0x0;
const COINIT_APARTMENTTHREADED: u32 = 0x2;
const CLSCTX_INPROC_SERVER: u32 = 0x1;
const MSHCTX_INPROC: u32 = 3;
const MSHLFLAGS_NORMAL: u32 = 0;

const CLSID_STD_GLOBAL_INTERFACE_TABLE: GUID =
    GUID::from_u128(0x00000323_0000_0000_c000_000000000046);
const CLSID_IN_PROC_FREE_MARSHALER: GUID = GUID::from_u128(0x0000033a_0000_0000_c000_000000000046);

#[link(name = "ole32")]
extern "system" {
    fn CoInitializeEx(reserved: *const c_void, coinit: u32) -> HRESULT;
    fn CoUninitialize();
    fn CoMarshalInterThreadInterfaceInStream(
        riid: *const GUID,
        unknown: *mut c_void,
        stream: *mut *mut c_void,
    ) -> HRESULT;
    fn CoGetInterfaceAndReleaseStream(
        stream: *mut c_void,
        riid: *const GUID,
        ppv: *mut *mut c_void,
    ) -> HRESULT;
    fn CoCreateInstance(
        clsid: *const GUID,
        outer: *mut c_void,
        clsctx: u32,
        riid: *const GUID,
        ppv: *mut *mut c_void,
    ) -> HRESULT;
}

/// `IGlobalInterfaceTable`, the process-wide table that hands an interface to other apartments.
#[repr(transparent)]
#[derive(Clone)]
struct IGlobalInterfaceTable(IUnknown);

#[allow(non_snake_case)]
#[repr(C)]
struct IGlobalInterfaceTable_Vtbl {
    base__: IUnknown_Vtbl,
    RegisterInterfaceInGlobal: unsafe extern "system" fn(
        this: *mut c_void,
        unknown: *mut c_void,
        riid: *const GUID,
        cookie: *mut u32,
    ) -> HRESULT,
    RevokeInterfaceFromGlobal: unsafe extern "system" fn(this: *mut c_void, cookie: u32) -> HRESULT,
    GetInterfaceFromGlobal: unsafe extern "system" fn(
        this: *mut c_void,
        cookie: u32,
        riid: *const GUID,
        ppv: *mut *mut c_void,
    ) -> HRESULT,
}

// SAFETY: a transparent wrapper of an interface pointer whose vtable is the `#[repr(C)]`
// `IGlobalInterfaceTable_Vtbl` above, which starts with `IUnknown`'s.
unsafe impl Interface for IGlobalInterfaceTable {
    type Vtable = IGlobalInterfaceTable_Vtbl;
    const IID: GUID = GUID::from_u128(0x00000146_0000_0000_c000_000000000046);
}

impl IGlobalInterfaceTable {
    /// This apartment's reference to the table (the table is a singleton; COM gives each
    /// apartment its own reference to it).
    fn get() -> Self {
        let mut raw = ptr::null_mut();
        // SAFETY: valid CLSID, IID and out pointer; no aggregation.
        let hr = unsafe {
            CoCreateInstance(
                &CLSID_STD_GLOBAL_INTERFACE_TABLE,
                ptr::null_mut(),
                CLSCTX_INPROC_SERVER,
                &Self::IID,
                &mut raw,
            )
        };
        assert_eq!(
            hr,
            sys::S_OK,
            "CoCreateInstance(CLSID_StdGlobalInterfaceTable)"
        );
        // SAFETY: an `IGlobalInterfaceTable*` whose reference `CoCreateInstance` gave us.
        unsafe { Self::from_raw(raw) }
    }

    /// Registers `unknown` as `IMAPIOfflineNotify`; returns the cookie.
    fn register(&self, unknown: *mut c_void) -> u32 {
        let mut cookie = 0;
        // SAFETY: a live table, a live object (the caller's), a valid IID and out pointer.
        let hr = unsafe {
            (self.vtable().RegisterInterfaceInGlobal)(
                self.as_raw(),
                unknown,
                &sys::IID_IMAPIOfflineNotify,
                &mut cookie,
            )
        };
        assert_eq!(hr, sys::S_OK, "RegisterInterfaceInGlobal");
        cookie
    }

    /// `GetInterfaceFromGlobal` for `IMAPIOfflineNotify`; on success the pointer owns a
    /// reference.
    fn get_interface(&self, cookie: u32) -> (HRESULT, *mut c_void) {
        let mut out = ptr::null_mut();
        // SAFETY: a live table, a valid IID and out pointer.
        let hr = unsafe {
            (self.vtable().GetInterfaceFromGlobal)(
                self.as_raw(),
                cookie,
                &sys::IID_IMAPIOfflineNotify,
                &mut out,
            )
        };
        (hr, out)
    }

    fn revoke(&self, cookie: u32) -> HRESULT {
        // SAFETY: a live table; a plain integer.
        unsafe { (self.vtable().RevokeInterfaceFromGlobal)(self.as_raw(), cookie) }
    }
}

/// The start of `IMarshal`'s vtable: only `GetUnmarshalClass` is called, and the slots after it
/// are never read through this prefix.
#[allow(non_snake_case)]
#[repr(C)]
struct IMarshal_VtblPrefix {
    base__: IUnknown_Vtbl,
    GetUnmarshalClass: unsafe extern "system" fn(
        this: *mut c_void,
        riid: *const GUID,
        pv: *mut c_void,
        dest_context: u32,
        pv_dest_context: *mut c_void,
        flags: u32,
        clsid: *mut GUID,
    ) -> HRESULT,
}

// ---------------------------------------------------------------------------------------------
// Apartments, and COM pointers that cross threads
// ---------------------------------------------------------------------------------------------

/// This thread's membership of a COM apartment, from `CoInitializeEx` to `CoUninitialize`.
/// Not `Send`: both calls must be made on the same thread.
struct Apartment(PhantomData<*const ()>);

impl Apartment {
    /// Joins an apartment (`COINIT_MULTITHREADED` or `COINIT_APARTMENTTHREADED`); the thread
    /// must not be in one yet, so `S_OK` (not `S_FALSE`) is the only right answer.
    fn enter(coinit: u32) -> Self {
        // SAFETY: the reserved pointer must be null.
        let hr = unsafe { CoInitializeEx(ptr::null(), coinit) };
        assert_eq!(hr, sys::S_OK, "CoInitializeEx({coinit:#x})");
        Apartment(PhantomData)
    }
}

impl Drop for Apartment {
    fn drop(&mut self) {
        // SAFETY: balances the `CoInitializeEx` in `enter`, on the same thread.
        unsafe { CoUninitialize() }
    }
}

/// A COM pointer sent to another thread. Sound here: the pointers these tests send are the
/// sink itself (free-threaded) and the stream `CoMarshalInterThreadInterfaceInStream` makes for
/// exactly that journey.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Raw(*mut c_void);

// SAFETY: see above.
unsafe impl Send for Raw {}

// ---------------------------------------------------------------------------------------------
// Calls through a COM pointer's vtable, as a C caller makes them
// ---------------------------------------------------------------------------------------------

/// `QueryInterface` on a live COM pointer; the out pointer starts non-null, so a failure must
/// null it.
fn query_interface(this: *mut c_void, iid: &GUID) -> (HRESULT, *mut c_void) {
    let mut out = ptr::NonNull::<c_void>::dangling().as_ptr();
    // SAFETY: `this` is live (the caller holds a reference); valid IID and out pointer.
    let hr =
        unsafe { ((**this.cast::<*const IUnknown_Vtbl>()).QueryInterface)(this, iid, &mut out) };
    (hr, out)
}

/// Gives up one reference to `this`, which the caller owns; returns the count left.
fn release(this: *mut c_void) -> u32 {
    // SAFETY: `this` is live, and the caller gives up a reference it holds.
    unsafe { ((**this.cast::<*const IUnknown_Vtbl>()).Release)(this) }
}

// ---------------------------------------------------------------------------------------------
// The sink
// ---------------------------------------------------------------------------------------------

/// Records the client token and the thread of each notification; counts its drops.
struct Probe {
    seen: Mutex<Vec<(u32, ThreadId)>>,
    _tombstone: Tombstone,
}

#[mapi_notify_sink]
impl Probe {
    fn notify(&self, info: &Notification<'_>) {
        let seen = (info.client_token(), thread::current().id());
        self.seen.lock().unwrap().push(seen);
    }
}

impl Probe {
    /// A new sink (count 1) and what counts its drops.
    fn sink() -> (Sink<Probe>, Drops) {
        let (tombstone, drops) = tombstone();
        let probe = Probe {
            seen: Mutex::default(),
            _tombstone: tombstone,
        };
        (Sink::new(probe), drops)
    }

    fn seen(&self) -> Vec<(u32, ThreadId)> {
        self.seen.lock().unwrap().clone()
    }
}

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

#[test]
fn a_sink_works_in_a_multithreaded_and_in_a_single_threaded_apartment() {
    let in_apartment = |coinit: u32, token: u32| {
        let apartment = Apartment::enter(coinit);
        let (sink, drops) = Probe::sink();
        let (hr, notify_ptr) = query_interface(sink.as_raw(), &sys::IID_IMAPIOfflineNotify);
        assert_eq!((hr, notify_ptr), (sys::S_OK, sink.as_raw()));
        notify_offline(notify_ptr, token);
        assert_eq!(release(notify_ptr), 1);
        assert_eq!(sink.seen(), [(token, thread::current().id())]);

        drop(apartment);
        assert_eq!(drops.count(), 0, "CoUninitialize does not touch a sink");
        drop(sink);
        assert_eq!(drops.count(), 1, "tombstone: exactly one drop");
    };
    thread::scope(|scope| {
        let mta = scope.spawn(|| in_apartment(COINIT_MULTITHREADED, 1));
        let sta = scope.spawn(|| in_apartment(COINIT_APARTMENTTHREADED, 2));
        mta.join().expect("the MTA thread");
        sta.join().expect("the STA thread");
    });
}

#[test]
fn imarshal_is_the_free_threaded_marshaler_as_a_tear_off_that_keeps_com_identity() {
    let (sink, drops) = Probe::sink();
    thread::scope(|scope| {
        scope.spawn(|| {
            let _apartment = Apartment::enter(COINIT_MULTITHREADED);
            let identity = sink.as_raw();
            let before = Sink::ref_count(&sink);

            let (hr, marshal) = query_interface(identity, &sys::IID_IMarshal);
            assert_eq!(hr, sys::S_OK, "QueryInterface(IID_IMarshal)");
            assert!(!marshal.is_null());
            assert_ne!(
                marshal, identity,
                "IMarshal is a tear-off, not the object's pointer"
            );
            assert!(
                Sink::ref_count(&sink) > before,
                "the tear-off keeps the sink alive"
            );

            // COM identity: every interface of the object, the tear-off's too, answers
            // IUnknown with the one identity pointer, and reaches the object's interfaces.
            for iid in [sys::IID_IUnknown, sys::IID_IMAPIOfflineNotify] {
                let (hr, answer) = query_interface(marshal, &iid);
                assert_eq!(
                    (hr, answer),
                    (sys::S_OK, identity),
                    "{iid:?} through IMarshal"
                );
                release(answer);
            }

            let mut clsid = GUID::zeroed();
            // SAFETY: `marshal` is a live `IMarshal*` we hold a reference to; `identity` is the
            // live object it marshals; valid IID and out pointer.
            let hr = unsafe {
                let vtable = &**marshal.cast::<*const IMarshal_VtblPrefix>();
                (vtable.GetUnmarshalClass)(
                    marshal,
                    &sys::IID_IMAPIOfflineNotify,
                    identity,
                    MSHCTX_INPROC,
                    ptr::null_mut(),
                    MSHLFLAGS_NORMAL,
                    &mut clsid,
                )
            };
            assert_eq!(hr, sys::S_OK, "GetUnmarshalClass");
            assert_eq!(
                clsid, CLSID_IN_PROC_FREE_MARSHALER,
                "the free-threaded marshaler"
            );

            release(marshal);
            assert_eq!(
                Sink::ref_count(&sink),
                before,
                "releasing the tear-off gives back its reference"
            );
        });
    });
    drop(sink);
    assert_eq!(drops.count(), 1, "tombstone: exactly one drop");
}

#[test]
fn a_sink_marshaled_from_an_sta_arrives_in_the_mta_as_itself_and_is_notified_there() {
    let (to_mta, stream_rx) = mpsc::channel::<(Raw, Raw)>();
    let (mta_done, done_rx) = mpsc::channel::<()>();
    let (sink, drops, mta_thread) = thread::scope(|scope| {
        let sta = scope.spawn(move || {
            let apartment = Apartment::enter(COINIT_APARTMENTTHREADED);
            let (sink, drops) = Probe::sink();
            let mut stream = ptr::null_mut();
            // SAFETY: a live object, a valid IID and out pointer.
            let hr = unsafe {
                CoMarshalInterThreadInterfaceInStream(
                    &sys::IID_IMAPIOfflineNotify,
                    sink.as_raw(),
                    &mut stream,
                )
            };
            assert_eq!(hr, sys::S_OK, "CoMarshalInterThreadInterfaceInStream");
            to_mta.send((Raw(stream), Raw(sink.as_raw()))).unwrap();

            // The STA stays alive, pumping no messages, while the MTA uses the sink: a call
            // through a proxy could never be served here, only a direct call works.
            done_rx
                .recv_timeout(PATIENCE)
                .expect("the MTA thread finished");
            assert_eq!(
                Sink::ref_count(&sink),
                1,
                "references balance after the MTA's release"
            );
            drop(apartment);
            (sink, drops)
        });
        let mta = scope.spawn(move || {
            let _apartment = Apartment::enter(COINIT_MULTITHREADED);
            let (stream, original) = stream_rx.recv_timeout(PATIENCE).expect("the stream");
            let mut received = ptr::null_mut();
            // SAFETY: a stream from `CoMarshalInterThreadInterfaceInStream` (this call releases
            // it); a valid IID and out pointer.
            let hr = unsafe {
                CoGetInterfaceAndReleaseStream(
                    stream.0,
                    &sys::IID_IMAPIOfflineNotify,
                    &mut received,
                )
            };
            assert_eq!(hr, sys::S_OK, "CoGetInterfaceAndReleaseStream");
            assert_eq!(
                Raw(received),
                original,
                "free-threaded: the original pointer, no proxy"
            );
            notify_offline(received, 3);
            release(received);
            mta_done.send(()).unwrap();
            thread::current().id()
        });
        let mta_thread = mta.join().expect("the MTA thread");
        let (sink, drops) = sta.join().expect("the STA thread");
        (sink, drops, mta_thread)
    });

    assert_eq!(
        sink.seen(),
        [(3, mta_thread)],
        "Notify ran on the MTA thread"
    );
    drop(sink);
    assert_eq!(drops.count(), 1, "tombstone: exactly one drop");
}

#[test]
fn the_global_interface_table_hands_another_apartment_the_original_pointer() {
    let (to_mta, cookie_rx) = mpsc::channel::<(u32, Raw)>();
    let (mta_done, done_rx) = mpsc::channel::<()>();
    let (sink, drops, mta_thread) = thread::scope(|scope| {
        let sta = scope.spawn(move || {
            let _apartment = Apartment::enter(COINIT_APARTMENTTHREADED);
            let table = IGlobalInterfaceTable::get();
            let (sink, drops) = Probe::sink();
            let cookie = table.register(sink.as_raw());
            let registered = Sink::ref_count(&sink);
            assert!(
                registered > 1,
                "the table holds a reference while registered"
            );
            to_mta.send((cookie, Raw(sink.as_raw()))).unwrap();

            done_rx
                .recv_timeout(PATIENCE)
                .expect("the MTA thread finished");
            assert_eq!(
                Sink::ref_count(&sink),
                registered,
                "the MTA's get and release balance"
            );
            assert_eq!(table.revoke(cookie), sys::S_OK, "RevokeInterfaceFromGlobal");
            assert_eq!(
                Sink::ref_count(&sink),
                1,
                "revoking gives back the table's reference"
            );
            let (hr, _) = table.get_interface(cookie);
            assert!(hr.is_err(), "a revoked cookie gives nothing, got {hr:?}");
            (sink, drops)
        });
        let mta = scope.spawn(move || {
            let _apartment = Apartment::enter(COINIT_MULTITHREADED);
            let (cookie, original) = cookie_rx.recv_timeout(PATIENCE).expect("the cookie");
            let table = IGlobalInterfaceTable::get();
            let (hr, received) = table.get_interface(cookie);
            assert_eq!(hr, sys::S_OK, "GetInterfaceFromGlobal");
            assert_eq!(
                Raw(received),
                original,
                "free-threaded: the original pointer, no proxy"
            );
            notify_offline(received, 4);
            release(received);
            mta_done.send(()).unwrap();
            thread::current().id()
        });
        let mta_thread = mta.join().expect("the MTA thread");
        let (sink, drops) = sta.join().expect("the STA thread");
        (sink, drops, mta_thread)
    });

    assert_eq!(
        sink.seen(),
        [(4, mta_thread)],
        "Notify ran on the MTA thread"
    );
    drop(sink);
    assert_eq!(drops.count(), 1, "tombstone: exactly one drop");
}

#[test]
fn after_every_apartment_is_gone_the_last_release_drops_the_sink_once() {
    // An STA makes the sink and hands it out twice: through a stream to an MTA thread and
    // through the Global Interface Table to a second STA. Both keep their reference past
    // their own CoUninitialize, and give it back only after every apartment is gone.
    let (to_mta, stream_rx) = mpsc::channel::<Raw>();
    let (to_sta, cookie_rx) = mpsc::channel::<u32>();
    let (got, got_rx) = mpsc::channel::<()>();
    let (sink, drops, kept) = thread::scope(|scope| {
        let maker = scope.spawn(move || {
            let apartment = Apartment::enter(COINIT_APARTMENTTHREADED);
            let table = IGlobalInterfaceTable::get();
            let (sink, drops) = Probe::sink();
            let mut stream = ptr::null_mut();
            // SAFETY: a live object, a valid IID and out pointer.
            let hr = unsafe {
                CoMarshalInterThreadInterfaceInStream(
                    &sys::IID_IMAPIOfflineNotify,
                    sink.as_raw(),
                    &mut stream,
                )
            };
            assert_eq!(hr, sys::S_OK, "CoMarshalInterThreadInterfaceInStream");
            to_mta.send(Raw(stream)).unwrap();
            let cookie = table.register(sink.as_raw());
            to_sta.send(cookie).unwrap();

            for _ in 0..2 {
                got_rx
                    .recv_timeout(PATIENCE)
                    .expect("both threads got the sink");
            }
            assert_eq!(table.revoke(cookie), sys::S_OK, "RevokeInterfaceFromGlobal");
            drop(table);
            drop(apartment);
            (sink, drops)
        });
        let mta_got = got.clone();
        let mta = scope.spawn(move || {
            let _apartment = Apartment::enter(COINIT_MULTITHREADED);
            let stream = stream_rx.recv_timeout(PATIENCE).expect("the stream");
            let mut received = ptr::null_mut();
            // SAFETY: a stream from `CoMarshalInterThreadInterfaceInStream` (this call releases
            // it); a valid IID and out pointer.
            let hr = unsafe {
                CoGetInterfaceAndReleaseStream(
                    stream.0,
                    &sys::IID_IMAPIOfflineNotify,
                    &mut received,
                )
            };
            assert_eq!(hr, sys::S_OK, "CoGetInterfaceAndReleaseStream");
            notify_offline(received, 5);
            mta_got.send(()).unwrap();
            Raw(received)
        });
        let sta = scope.spawn(move || {
            let _apartment = Apartment::enter(COINIT_APARTMENTTHREADED);
            let cookie = cookie_rx.recv_timeout(PATIENCE).expect("the cookie");
            let (hr, received) = IGlobalInterfaceTable::get().get_interface(cookie);
            assert_eq!(hr, sys::S_OK, "GetInterfaceFromGlobal");
            notify_offline(received, 6);
            got.send(()).unwrap();
            Raw(received)
        });
        let kept = [
            mta.join().expect("the MTA thread"),
            sta.join().expect("the second STA thread"),
        ];
        let (sink, drops) = maker.join().expect("the STA that made the sink");
        (sink, drops, kept)
    });

    // Every thread has left its apartment; three references remain, all direct pointers.
    assert_eq!(
        kept,
        [Raw(sink.as_raw()); 2],
        "both threads got the original pointer"
    );
    assert_eq!(Sink::ref_count(&sink), 3);
    let mut tokens: Vec<u32> = sink.seen().iter().map(|(token, _)| *token).collect();
    tokens.sort_unstable();
    assert_eq!(tokens, [5, 6]);

    assert_eq!(release(kept[0].0), 2);
    assert_eq!(release(kept[1].0), 1);
    assert_eq!(drops.count(), 0, "still referenced by the Sink");
    assert_eq!(release(sink.into_raw()), 0, "the last Release");
    assert_eq!(drops.count(), 1, "tombstone: exactly one drop");
}

// ---------------------------------------------------------------------------------------------
// The advise sink: the same object, so the same agility
// ---------------------------------------------------------------------------------------------

mod advise {
    use super::*;
    use mapi_notify_sink::advise_sink::{AdviseSink, Event, Events};
    use mapi_notify_sink::mapi_advise_sink;

    /// Records each extended event's code and the thread it came on.
    struct AdviseProbe {
        seen: Mutex<Vec<(u32, ThreadId)>>,
        _tombstone: Tombstone,
    }

    #[mapi_advise_sink]
    impl AdviseProbe {
        fn on_notify(&self, events: &Events<'_>) {
            for event in events {
                if let Event::Extended(ext) = event {
                    self.seen
                        .lock()
                        .unwrap()
                        .push((ext.event(), thread::current().id()));
                }
            }
        }
    }

    /// `OnNotify` with one `fnevExtended` notification carrying `event`, through the vtable.
    fn send_extended(sink: *mut c_void, event: u32) {
        // SAFETY: all-zero is a valid NOTIFICATION; the extended member has no pointers to fill.
        let mut notification: sys::NOTIFICATION = unsafe { core::mem::zeroed() };
        notification.ulEventType = sys::fnevExtended;
        notification.info.ext.ulEvent = event;
        // SAFETY: `sink` is a live IMAPIAdviseSink* the caller holds; one whole notification.
        let returned = unsafe {
            let vtable = &**sink.cast::<*const sys::IMAPIAdviseSink_Vtbl>();
            (vtable.OnNotify)(sink, 1, &mut notification)
        };
        assert_eq!(returned, 0);
    }

    #[test]
    fn an_advise_sink_answers_imarshal_with_the_free_threaded_marshaler_and_crosses_from_an_sta_to_the_mta_as_itself(
    ) {
        let (tombstone, drops) = tombstone();
        let sink = AdviseSink::new(AdviseProbe {
            seen: Mutex::default(),
            _tombstone: tombstone,
        });
        let (to_mta, stream_rx) = mpsc::channel::<(Raw, Raw)>();
        let (mta_done, done_rx) = mpsc::channel::<()>();
        let mta_thread = thread::scope(|scope| {
            let sink = &sink;
            scope.spawn(move || {
                let apartment = Apartment::enter(COINIT_APARTMENTTHREADED);
                let identity = sink.as_raw();
                // IMarshal: a tear-off of the free-threaded marshaler that keeps COM identity.
                let (hr, marshal) = query_interface(identity, &sys::IID_IMarshal);
                assert_eq!(hr, sys::S_OK, "QueryInterface(IID_IMarshal)");
                assert_ne!(marshal, identity);
                let (hr, back) = query_interface(marshal, &sys::IID_IMAPIAdviseSink);
                assert_eq!(
                    (hr, back),
                    (sys::S_OK, identity),
                    "IMAPIAdviseSink through IMarshal"
                );
                release(back);
                release(marshal);

                let mut stream = ptr::null_mut();
                // SAFETY: a live object, a valid IID and out pointer.
                let hr = unsafe {
                    CoMarshalInterThreadInterfaceInStream(
                        &sys::IID_IMAPIAdviseSink,
                        identity,
                        &mut stream,
                    )
                };
                assert_eq!(hr, sys::S_OK, "CoMarshalInterThreadInterfaceInStream");
                to_mta.send((Raw(stream), Raw(identity))).unwrap();
                // No message pump here: only a direct call (no proxy) can reach the sink.
                done_rx
                    .recv_timeout(PATIENCE)
                    .expect("the MTA thread finished");
                drop(apartment);
            });
            let mta = scope.spawn(move || {
                let _apartment = Apartment::enter(COINIT_MULTITHREADED);
                let (stream, original) = stream_rx.recv_timeout(PATIENCE).expect("the stream");
                let mut received = ptr::null_mut();
                // SAFETY: the stream made above (this call releases it); valid IID, out pointer.
                let hr = unsafe {
                    CoGetInterfaceAndReleaseStream(
                        stream.0,
                        &sys::IID_IMAPIAdviseSink,
                        &mut received,
                    )
                };
                assert_eq!(hr, sys::S_OK, "CoGetInterfaceAndReleaseStream");
                assert_eq!(
                    Raw(received),
                    original,
                    "free-threaded: the original pointer"
                );
                send_extended(received, 0x5eed);
                release(received);
                mta_done.send(()).unwrap();
                thread::current().id()
            });
            mta.join().expect("the MTA thread")
        });
        assert_eq!(*sink.seen.lock().unwrap(), [(0x5eed, mta_thread)]);
        assert_eq!(AdviseSink::ref_count(&sink), 1);
        drop(sink);
        assert_eq!(drops.count(), 1, "tombstone: exactly one drop");
    }
}
