//! The add-in library (`#[outlook_addin]`, feature `addin`) driven as COM and Outlook drive it.
//! This test program is itself the add-in's module: `Probe` below is its `#[outlook_addin]`,
//! and the tests call the exports the attribute made (`DllGetClassObject`, `DllCanUnloadNow`,
//! `DllInstall`), then the class factory and the add-in object through their vtables, with
//! the stand-in Outlook `Application` (`outlook_sim::application`) as `OnConnection`'s
//! argument, in a single-threaded apartment as on Outlook's main thread.
//!
//! What is checked is what was observed: the author's methods called (how often, with what,
//! on which thread), the HRESULTs and out-pointers COM callers get, the log lines, the
//! `Application`'s references given back, and `DllCanUnloadNow`'s count of the module's
//! objects (add-in, factory, sinks, main-thread windows) and locks.
//!
//! The module count is process-wide, so the tests take turns. Run on Windows (under Wine by
//! `scripts/test-windows.sh`).
#![cfg(windows)]

mod support;

use core::ffi::c_void;
use core::ptr::null_mut;
use mapi_notify_sink::addin::{outlook_addin, ConnectMode, MainThread, ModuleLock, Outlook};
use mapi_notify_sink::{mapi_notify_sink, sys, Error, Notification, Result, Sink};
use outlook_sim::application::Application;
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::thread::{self, ThreadId};
use support::capture_logs;
use windows::core::{Interface, GUID, HRESULT, PCWSTR};
use windows::Win32::Foundation::{
    CLASS_E_CLASSNOTAVAILABLE, CLASS_E_NOAGGREGATION, DISP_E_BADPARAMCOUNT, DISP_E_MEMBERNOTFOUND,
    DISP_E_TYPEMISMATCH, DISP_E_UNKNOWNNAME, E_INVALIDARG, E_NOINTERFACE, E_POINTER, E_UNEXPECTED,
    RPC_E_WRONG_THREAD, S_FALSE, S_OK,
};
use windows::Win32::System::Com::{
    CoInitializeEx, IClassFactory, IDispatch, COINIT_APARTMENTTHREADED, DISPATCH_FLAGS,
    DISPATCH_METHOD, DISPATCH_PROPERTYGET, DISPPARAMS,
};
use windows::Win32::System::Registry::{
    RegCloseKey, RegCreateKeyExW, RegDeleteTreeW, RegGetValueW, RegOpenKeyExW, RegQueryValueExW,
    RegSetKeyValueW, HKEY, HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE, KEY_ALL_ACCESS, KEY_READ,
    REG_OPTION_VOLATILE, REG_SZ, RRF_RT_REG_SZ,
};
use windows::Win32::System::Variant::VARIANT;
use windows::Win32::UI::WindowsAndMessaging::{
    DispatchMessageW, GetClassNameW, PeekMessageW, MSG, PM_REMOVE,
};

// The exports `#[outlook_addin]` made for `Probe`, called by name as COM and regsvr32 do.
extern "system" {
    fn DllGetClassObject(clsid: *const GUID, iid: *const GUID, out: *mut *mut c_void) -> HRESULT;
    fn DllCanUnloadNow() -> HRESULT;
    fn DllInstall(install: i32, command_line: *const u16) -> HRESULT;
    fn MapiNotifySinkAddInState(text: *mut u16, capacity: u32) -> HRESULT;
}

/// `MapiNotifySinkAddInState` with a buffer of `capacity` units: its HRESULT and the text.
fn addin_state(capacity: usize) -> (HRESULT, String) {
    let mut text = vec![0xFFFF_u16; capacity + 1];
    // SAFETY: a buffer of `capacity` writable units (one more, to see nothing is written past).
    let code = unsafe { MapiNotifySinkAddInState(text.as_mut_ptr(), capacity as u32) };
    assert_eq!(text[capacity], 0xFFFF, "nothing written past the capacity");
    let len = text.iter().position(|&unit| unit == 0).unwrap_or(0);
    (code, String::from_utf16_lossy(&text[..len]))
}

const CLSID_PROBE: GUID = GUID::from_u128(0x5c0e5f0b_8e4a_4b7c_9b7e_2f3a4d5e6f70);
const EXT_CM_AFTER_STARTUP: i32 = 0;
const EXT_CM_STARTUP: i32 = 1;
const EXT_DM_HOST_SHUTDOWN: i32 = 0;
const DISP_E_NONAMEDARGS: HRESULT = HRESULT(0x8002_0007_u32 as i32);

// ---------------------------------------------------------------------------------------------
// The add-in under test
// ---------------------------------------------------------------------------------------------

const IID_IAGILEOBJECT: GUID = GUID::from_u128(0x94ea2b94_e9cc_49e0_c0ff_ee64ca8f5b90);
const IID_IMARSHAL: GUID = GUID::from_u128(0x00000003_0000_0000_c000_000000000046);

/// What the next `on_connection` does after setting up.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Connect {
    Succeed,
    Fail,
    Panic,
}

/// What the probe saw, in order (COM calls it; the tests read it).
static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());
static NEXT: Mutex<Connect> = Mutex::new(Connect::Succeed);
/// A handle to the probe's main thread, as a sink's thread would hold one.
static POSTER: Mutex<Option<MainThread<u32>>> = Mutex::new(None);
/// When set, the main-thread handler posts the next value (up to 3) to its own `MainThread`.
static CHAIN: AtomicBool = AtomicBool::new(false);
/// When set, `on_startup_complete` posts 7 to the probe's `MainThread` (a call back into the
/// library from inside the callback it runs).
static STARTUP_POSTS: AtomicBool = AtomicBool::new(false);
/// When set, the main-thread handler runs a modal loop (pumps messages) for the value 1.
static MODAL: AtomicBool = AtomicBool::new(false);
/// When set, the main-thread handler only counts: `FLOOD` holds the last value seen from each
/// of 8 posting threads (`thread * 100_000 + n`) and how many arrived out of order.
static COUNT_ONLY: AtomicBool = AtomicBool::new(false);
static FLOOD: Mutex<([Option<u32>; 8], usize, usize)> = Mutex::new(([None; 8], 0, 0));
/// The probe's second handler's handle: values whose `Drop` panics.
static BOMBS: Mutex<Option<MainThread<Bomb>>> = Mutex::new(None);

/// A value whose `Drop` panics when its number is odd.
pub struct Bomb(u32);

impl Drop for Bomb {
    fn drop(&mut self) {
        if self.0 % 2 == 1 {
            panic!("bomb {} goes off in its Drop", self.0);
        }
    }
}
/// When set, `on_connection` hands a reference to its sink here, as to MAPI at `Advise`.
static SHARE_SINK: AtomicBool = AtomicBool::new(false);
static HELD: Mutex<Vec<Sink<Quiet>>> = Mutex::new(Vec::new());

fn lock<T>(mutex: &'static Mutex<T>) -> MutexGuard<'static, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn seen(what: String) {
    lock(&SEEN).push(what);
}

/// A sink that does nothing: what the probe makes, to be counted.
pub struct Quiet;

#[mapi_notify_sink]
impl Quiet {
    fn notify(&self, _info: &Notification<'_>) {}
}

#[derive(Default)]
pub struct Probe {
    sink: RefCell<Option<Sink<Quiet>>>,
}

#[outlook_addin(
    clsid = "5C0E5F0B-8E4A-4B7C-9B7E-2F3A4D5E6F70",
    progid = "MapiNotifySink.TestProbe",
    name = "Probe",
    description = "The add-in library's tests",
    shutdown_notification = true
)]
impl Probe {
    fn on_connection(&self, outlook: &Outlook) -> Result<()> {
        let profile = outlook.profile_name();
        seen(format!(
            "on_connection {:?} {profile:?} on {:?}",
            outlook.connect_mode(),
            thread::current().id()
        ));
        let main_thread = outlook.main_thread(|value: u32| {
            if COUNT_ONLY.load(Ordering::SeqCst) {
                let mut flood = lock(&FLOOD);
                let (last, total, out_of_order) = &mut *flood;
                let (from, n) = ((value / 100_000) as usize, value % 100_000);
                if last[from].is_some_and(|last| last >= n) {
                    *out_of_order += 1;
                }
                last[from] = Some(n);
                *total += 1;
                return;
            }
            seen(format!(
                "main thread: {value} on {:?}",
                thread::current().id()
            ));
            if MODAL.load(Ordering::SeqCst) && value == 1 {
                // A modal loop, as a dialog's: the values queued after this one run inside it.
                pump();
                seen("modal loop over".into());
            }
            if CHAIN.load(Ordering::SeqCst) && value < 3 {
                let poster = lock(&POSTER).clone();
                if let Some(poster) = poster {
                    poster.post(value + 1);
                }
            }
        });
        *lock(&POSTER) = Some(main_thread);
        *lock(&BOMBS) = Some(outlook.main_thread(|bomb: Bomb| seen(format!("bomb {}", bomb.0))));
        let sink = Sink::new(Quiet);
        if SHARE_SINK.load(Ordering::SeqCst) {
            lock(&HELD).push(sink.clone());
        }
        *self.sink.borrow_mut() = Some(sink);
        match *lock(&NEXT) {
            Connect::Succeed => Ok(()),
            Connect::Fail => Err(Error::new(sys::MAPI_E_NOT_FOUND, "the probe's profile")),
            Connect::Panic => panic!("the probe panics in on_connection"),
        }
    }

    fn on_startup_complete(&self) {
        seen("on_startup_complete".into());
        if STARTUP_POSTS.load(Ordering::SeqCst) {
            let poster = lock(&POSTER).clone();
            if let Some(poster) = poster {
                poster.post(7);
            }
        }
    }

    fn on_disconnection(&self) {
        seen("on_disconnection".into());
        self.sink.borrow_mut().take();
    }
}

impl Drop for Probe {
    fn drop(&mut self) {
        seen(format!("probe dropped on {:?}", thread::current().id()));
    }
}

// ---------------------------------------------------------------------------------------------
// Driving it
// ---------------------------------------------------------------------------------------------

/// The tests' turn (the module count is process-wide), on a thread in a single-threaded
/// apartment, with the log captured (installed before any export installs the file log), the
/// probe's records cleared and `on_connection` set to succeed.
fn turn() -> MutexGuard<'static, ()> {
    static TURN: Mutex<()> = Mutex::new(());
    let turn = lock(&TURN);
    capture_logs(|| ());
    // SAFETY: COM for this test thread, as on Outlook's main thread; never uninitialised (the
    // thread ends with the test).
    let _ = unsafe { CoInitializeEx(None, COINIT_APARTMENTTHREADED) };
    lock(&SEEN).clear();
    *lock(&NEXT) = Connect::Succeed;
    *lock(&POSTER) = None;
    lock(&HELD).clear();
    SHARE_SINK.store(false, Ordering::SeqCst);
    CHAIN.store(false, Ordering::SeqCst);
    STARTUP_POSTS.store(false, Ordering::SeqCst);
    MODAL.store(false, Ordering::SeqCst);
    COUNT_ONLY.store(false, Ordering::SeqCst);
    *lock(&FLOOD) = ([None; 8], 0, 0);
    *lock(&BOMBS) = None;
    assert_eq!(
        can_unload(),
        S_OK,
        "nothing of the module alive at the start"
    );
    turn
}

fn can_unload() -> HRESULT {
    // SAFETY: no arguments.
    unsafe { DllCanUnloadNow() }
}

fn factory() -> IClassFactory {
    let mut factory = null_mut();
    // SAFETY: readable GUIDs, a writable out pointer.
    let code = unsafe { DllGetClassObject(&CLSID_PROBE, &IClassFactory::IID, &mut factory) };
    assert_eq!(code, S_OK);
    // SAFETY: one reference to an IClassFactory, handed over.
    unsafe { IClassFactory::from_raw(factory) }
}

/// A new add-in object, as COM's `CoCreateInstance` gets it.
fn addin() -> sys::IDTExtensibility2 {
    // SAFETY: no outer object.
    let addin: windows::core::IUnknown =
        unsafe { factory().CreateInstance(None) }.expect("CreateInstance");
    addin.cast().expect("the add-in answers IDTExtensibility2")
}

fn on_connection(addin: &sys::IDTExtensibility2, application: &Application) -> HRESULT {
    connect_as(addin, application, EXT_CM_STARTUP)
}

fn connect_as(addin: &sys::IDTExtensibility2, application: &Application, mode: i32) -> HRESULT {
    let application = application.to_unknown();
    // SAFETY: a live object; borrowed interface pointers and a null `custom`.
    unsafe {
        (addin.vtable().OnConnection)(
            addin.as_raw(),
            application.as_raw(),
            mode,
            null_mut(),
            null_mut(),
        )
    }
}

/// A new add-in object, connected at start-up, with what its connection logged taken.
fn connected(application: &Application) -> sys::IDTExtensibility2 {
    let addin = addin();
    assert_eq!(on_connection(&addin, application), S_OK);
    taken();
    addin
}

/// The probe's `MainThread<u32>`, which `on_connection` made.
fn poster() -> MainThread<u32> {
    lock(&POSTER).clone().expect("on_connection made one")
}

fn on_startup_complete(addin: &sys::IDTExtensibility2) -> HRESULT {
    // SAFETY: a live object and a null `custom`.
    unsafe { (addin.vtable().OnStartupComplete)(addin.as_raw(), null_mut()) }
}

fn on_begin_shutdown(addin: &sys::IDTExtensibility2) -> HRESULT {
    // SAFETY: a live object and a null `custom`.
    unsafe { (addin.vtable().OnBeginShutdown)(addin.as_raw(), null_mut()) }
}

fn on_disconnection(addin: &sys::IDTExtensibility2) -> HRESULT {
    // SAFETY: a live object and a null `custom`.
    unsafe { (addin.vtable().OnDisconnection)(addin.as_raw(), EXT_DM_HOST_SHUTDOWN, null_mut()) }
}

/// One turn of this thread's message loop, as Outlook's runs: the number dispatched.
fn pump() -> usize {
    let mut message = MSG::default();
    let mut count = 0;
    // SAFETY: a valid MSG; this thread's messages.
    while unsafe { PeekMessageW(&mut message, None, 0, 0, PM_REMOVE) }.as_bool() {
        // SAFETY: a message just taken from this thread's queue.
        unsafe { DispatchMessageW(&message) };
        count += 1;
    }
    count
}

/// One turn of the message loop that first takes every message queued, counts those for the
/// library's main-thread windows (by their class), then dispatches them all in order: how
/// many of the library's messages the queue held at once, and how many messages it dispatched.
fn pump_counting() -> (usize, usize) {
    let mut taken = Vec::new();
    let mut message = MSG::default();
    // SAFETY: a valid MSG; this thread's messages.
    while unsafe { PeekMessageW(&mut message, None, 0, 0, PM_REMOVE) }.as_bool() {
        taken.push(message);
    }
    let ours = |message: &MSG| {
        let mut class = [0_u16; 64];
        // SAFETY: a buffer of that many units.
        let len = unsafe { GetClassNameW(message.hwnd, &mut class) };
        String::from_utf16_lossy(&class[..len.max(0) as usize]) == "MapiNotifySink.MainThread"
    };
    let held = taken.iter().filter(|message| ours(message)).count();
    for message in &taken {
        // SAFETY: a message just taken from this thread's queue.
        unsafe { DispatchMessageW(message) };
    }
    (held, taken.len())
}

/// Runs `body` on a thread of its own in a single-threaded apartment, as Outlook's main thread
/// (the one that could freeze), and gives it 10 s: a deadlock there ends the test program with
/// `froze` in its message rather than hang it; a failed check there is the test's.
fn on_a_main_thread<R: Send + 'static>(
    froze: &str,
    body: impl FnOnce() -> R + Send + 'static,
) -> R {
    let (done, finished) = std::sync::mpsc::channel();
    let main_thread = thread::spawn(move || {
        // SAFETY: COM for this thread, as on Outlook's main thread.
        let _ = unsafe { CoInitializeEx(None, COINIT_APARTMENTTHREADED) };
        let _ = done.send(body());
    });
    match finished.recv_timeout(std::time::Duration::from_secs(10)) {
        Ok(value) => {
            main_thread.join().expect("it sent its value");
            value
        }
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            std::panic::resume_unwind(main_thread.join().expect_err("it panicked"))
        }
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            use std::io::Write as _;
            let _ = writeln!(std::io::stderr(), "{froze} froze the main thread");
            std::process::exit(101)
        }
    }
}

fn here() -> ThreadId {
    thread::current().id()
}

fn taken() -> Vec<String> {
    core::mem::take(&mut *lock(&SEEN))
}

// ---------------------------------------------------------------------------------------------
// The exports and the class factory
// ---------------------------------------------------------------------------------------------

#[test]
fn the_class_object_is_for_the_add_ins_clsid_only() {
    let _turn = turn();
    let mut out = 1 as *mut c_void;
    let other = GUID::from_u128(0x1234);
    // SAFETY (each call): readable GUIDs, a writable out pointer, or the null under test.
    let (code, logged) =
        capture_logs(|| unsafe { DllGetClassObject(&other, &IClassFactory::IID, &mut out) });
    assert_eq!((code, out), (CLASS_E_CLASSNOTAVAILABLE, null_mut()));
    assert!(
        logged
            .at(log::Level::Warn)
            .iter()
            .any(|line| line.contains("unknown CLSID")),
        "{logged:?}"
    );
    let code = unsafe { DllGetClassObject(&CLSID_PROBE, &IClassFactory::IID, null_mut()) };
    assert_eq!(code, E_POINTER);
    out = 1 as *mut c_void;
    let code = unsafe { DllGetClassObject(core::ptr::null(), &IClassFactory::IID, &mut out) };
    assert_eq!((code, out), (E_INVALIDARG, null_mut()));
    let code = unsafe { DllGetClassObject(&CLSID_PROBE, &IDispatch::IID, &mut out) };
    assert_eq!((code, out), (E_NOINTERFACE, null_mut()));
    assert_eq!(can_unload(), S_OK, "a factory refused leaves nothing alive");

    let factory = factory();
    assert_eq!(can_unload(), S_FALSE, "the class factory is alive");
    drop(factory);
    assert_eq!(can_unload(), S_OK);
}

#[test]
fn the_factory_refuses_aggregation_and_counts_locks() {
    let _turn = turn();
    let factory = factory();
    let outer: windows::core::IUnknown = factory.cast().unwrap();
    // SAFETY: an outer object, which is what is refused.
    let made: windows::core::Result<windows::core::IUnknown> =
        unsafe { factory.CreateInstance(&outer) };
    assert_eq!(made.unwrap_err().code(), CLASS_E_NOAGGREGATION);
    drop(outer);
    // Bound to its apartment, as the class it makes: no agility, no free-threaded marshaler.
    for iid in [IID_IAGILEOBJECT, IID_IMARSHAL] {
        let mut out = null_mut();
        // SAFETY: a live object, a readable IID, a writable out pointer.
        let code = unsafe { factory.query(&iid, &mut out) };
        assert_eq!((code, out), (E_NOINTERFACE, null_mut()), "{iid:?}");
    }

    // SAFETY (each call): LockServer has no pointer arguments.
    unsafe { factory.LockServer(true) }.unwrap();
    drop(factory);
    assert_eq!(
        can_unload(),
        S_FALSE,
        "a LockServer lock keeps the module loaded"
    );
    let factory = self::factory();
    unsafe { factory.LockServer(false) }.unwrap();
    let (unlocked, logged) = capture_logs(|| unsafe { factory.LockServer(false) });
    assert_eq!(
        unlocked.unwrap_err().code(),
        E_UNEXPECTED,
        "an unlock without a lock"
    );
    assert!(
        logged
            .at(log::Level::Warn)
            .iter()
            .any(|line| line.contains("without a lock")),
        "{logged:?}"
    );
    drop(factory);
    assert_eq!(can_unload(), S_OK);
}

#[test]
fn dll_install_refuses_an_unknown_argument_and_writes_nothing() {
    let _turn = turn();
    let argument: Vec<u16> = "everyone".encode_utf16().chain([0]).collect();
    // SAFETY: a NUL-terminated argument.
    let (code, logged) = capture_logs(|| unsafe { DllInstall(1, argument.as_ptr()) });
    assert_eq!(code, E_INVALIDARG);
    assert!(
        logged
            .at(log::Level::Error)
            .iter()
            .any(|line| line.contains("\"everyone\"")),
        "{logged:?}"
    );
    for root in [HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE] {
        let mut key = HKEY::default();
        // SAFETY: a NUL-terminated name and a writable out key.
        let opened = unsafe {
            RegOpenKeyExW(
                root,
                windows::core::w!(
                    r"Software\Microsoft\Office\Outlook\Addins\MapiNotifySink.TestProbe"
                ),
                None,
                KEY_READ,
                &mut key,
            )
        };
        assert!(opened.is_err(), "nothing registered under {root:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// The add-in object
// ---------------------------------------------------------------------------------------------

#[test]
fn outlooks_sequence_reaches_each_method_once_on_the_main_thread() {
    let _turn = turn();
    let application = Application::new("Büro – Outlook");
    let addin = addin();
    assert_eq!(on_connection(&addin, &application), S_OK);
    assert_eq!(on_startup_complete(&addin), S_OK);
    assert_eq!(
        taken(),
        [
            format!(
                "on_connection Startup Ok(\"Büro – Outlook\") on {:?}",
                here()
            ),
            "on_startup_complete".into(),
        ]
    );
    assert_eq!(
        can_unload(),
        S_FALSE,
        "the add-in, its sink and its window are alive"
    );

    // Whichever of OnBeginShutdown and OnDisconnection comes first disconnects; once.
    assert_eq!(on_begin_shutdown(&addin), S_OK);
    assert_eq!(on_disconnection(&addin), S_OK);
    assert_eq!(taken(), ["on_disconnection"]);
    assert_eq!(can_unload(), S_FALSE, "the add-in object is alive");
    drop(addin);
    assert_eq!(
        (application.sessions_alive(), application.ref_count()),
        (0, 1),
        "every Session and reference to the Application given back"
    );
    assert_eq!(can_unload(), S_OK);
}

#[test]
fn a_failed_or_panicking_on_connection_leaves_it_loaded_and_inert() {
    for connect in [Connect::Fail, Connect::Panic] {
        let _turn = turn();
        *lock(&NEXT) = connect;
        let application = Application::new("Outlook");
        let addin = addin();
        let (code, logged) = capture_logs(|| on_connection(&addin, &application));
        assert_eq!(
            code, S_OK,
            "{connect:?}: Outlook would disable an add-in that failed"
        );
        let warned = logged.at(log::Level::Warn).join("\n");
        let why = match connect {
            Connect::Fail => "MAPI_E_NOT_FOUND",
            _ => "panicked",
        };
        assert!(
            warned.contains(why) && warned.contains("stays loaded but inert"),
            "{connect:?}: {logged:?}"
        );
        // What a host asks, since Outlook was told S_OK.
        let (code, text) = addin_state(512);
        assert_eq!(code, S_FALSE, "{connect:?}: the add-in says it is inert");
        assert!(
            text.starts_with("on_connection") && text.contains(why),
            "{connect:?}: {text:?}"
        );
        let (code, cut) = addin_state(10);
        assert_eq!(
            (code, cut.as_str()),
            (S_FALSE, &text[..9]),
            "cut to the capacity, NUL included"
        );
        // SAFETY: a null buffer is allowed: only the answer.
        assert_eq!(unsafe { MapiNotifySinkAddInState(null_mut(), 0) }, S_FALSE);
        assert_eq!(on_startup_complete(&addin), S_OK);
        assert_eq!(on_begin_shutdown(&addin), S_OK);
        let seen = taken();
        assert_eq!(seen.len(), 2, "{seen:?}");
        assert!(seen[0].starts_with("on_connection"));
        assert_eq!(
            seen[1], "on_disconnection",
            "{connect:?}: no on_startup_complete; on_disconnection undoes the half-made"
        );
        drop(addin);
        assert_eq!(application.ref_count(), 1);
        assert_eq!(
            can_unload(),
            S_OK,
            "{connect:?}: the sink it made is gone too"
        );
    }
    // A connection that succeeds clears it.
    let _turn = turn();
    let application = Application::new("Outlook");
    let addin = connected(&application);
    assert_eq!(
        addin_state(512),
        (S_OK, String::new()),
        "working: nothing written"
    );
    assert_eq!(on_begin_shutdown(&addin), S_OK);
    drop(addin);
    taken();
}

#[test]
fn a_sink_held_from_outside_keeps_the_module_loaded() {
    let _turn = turn();
    let application = Application::new("Outlook");
    let addin = addin();
    SHARE_SINK.store(true, Ordering::SeqCst);
    assert_eq!(on_connection(&addin, &application), S_OK);
    assert_eq!(lock(&HELD).len(), 1, "the probe handed its sink out");
    assert_eq!(on_begin_shutdown(&addin), S_OK);
    assert_eq!(taken().last().map(String::as_str), Some("on_disconnection"));
    drop(addin);
    *lock(&POSTER) = None;
    assert_eq!(can_unload(), S_FALSE, "the sink MAPI holds is alive");
    lock(&HELD).clear();
    assert_eq!(can_unload(), S_OK);
}

#[test]
fn work_posted_from_any_thread_runs_on_the_main_thread_until_disconnection() {
    let _turn = turn();
    let application = Application::new("Outlook");
    let addin = connected(&application);
    let poster = poster();
    let from = {
        let poster = poster.clone();
        thread::spawn(move || {
            poster.post(7);
            poster.post(8);
            here()
        })
        .join()
        .unwrap()
    };
    assert!(
        taken().is_empty(),
        "nothing runs before the message loop turns"
    );
    assert!(pump() >= 1);
    assert_eq!(
        taken(),
        [
            format!("main thread: 7 on {:?}", here()),
            format!("main thread: 8 on {:?}", here()),
        ],
        "posted on {from:?}, run here"
    );

    assert_eq!(on_begin_shutdown(&addin), S_OK);
    taken();
    let (_, logged) = thread::spawn(move || capture_logs(|| poster.post(9)))
        .join()
        .unwrap();
    assert!(
        logged
            .at(log::Level::Info)
            .iter()
            .any(|line| line.contains("after disconnection")),
        "{logged:?}"
    );
    pump();
    assert!(
        taken().is_empty(),
        "a value posted after disconnection is dropped"
    );
    *lock(&POSTER) = None;
    drop(addin);
    assert_eq!(can_unload(), S_OK, "the main-thread window is gone");
}

#[test]
fn a_main_thread_handler_posts_to_its_own_main_thread() {
    let _turn = turn();
    CHAIN.store(true, Ordering::SeqCst);
    let (ran, main) = on_a_main_thread("a handler that posted to its own MainThread", || {
        let application = Application::new("Outlook");
        let addin = connected(&application);
        let poster = poster();
        poster.post(1);
        // The handler runs 1 and posts 2 from inside itself, which runs, posts 3, and so on.
        let mut turns = 0;
        while lock(&SEEN).len() < 3 && turns < 100 {
            pump();
            turns += 1;
        }
        let ran = taken();
        assert_eq!(on_begin_shutdown(&addin), S_OK);
        *lock(&POSTER) = None;
        drop((poster, addin));
        (ran, here())
    });
    assert_eq!(
        ran,
        (1..=3)
            .map(|value| format!("main thread: {value} on {main:?}"))
            .collect::<Vec<_>>()
    );
    assert_eq!(can_unload(), S_OK);
}

#[test]
fn a_main_thread_handler_runs_a_modal_loop_while_values_are_queued() {
    let _turn = turn();
    MODAL.store(true, Ordering::SeqCst);
    let (ran, main) = on_a_main_thread("a handler's modal loop", || {
        let application = Application::new("Outlook");
        let addin = connected(&application);
        let poster = poster();
        for value in 1..=3 {
            poster.post(value);
        }
        // Where the old loop held the queue's lock in the handler, the modal loop's turn into
        // the window procedure waited for it forever.
        pump();
        let ran = taken();
        assert_eq!(on_begin_shutdown(&addin), S_OK);
        *lock(&POSTER) = None;
        drop((poster, addin));
        (ran, here())
    });
    // The values queued behind the first ran inside its modal loop, as a dialog's loop runs
    // Outlook's own messages.
    assert_eq!(
        ran,
        [
            format!("main thread: 1 on {main:?}"),
            format!("main thread: 2 on {main:?}"),
            format!("main thread: 3 on {main:?}"),
            "modal loop over".to_string(),
        ]
    );
    assert_eq!(can_unload(), S_OK);
}

#[test]
fn a_flood_of_posts_from_8_threads_arrives_in_order_with_a_message_or_two_queued() {
    let _turn = turn();
    COUNT_ONLY.store(true, Ordering::SeqCst);
    let application = Application::new("Outlook");
    let addin = addin();
    assert_eq!(on_connection(&addin, &application), S_OK);
    let poster = poster();
    const PER_THREAD: u32 = 12_500;
    let posters: Vec<_> = (0..8_u32)
        .map(|from| {
            let poster = poster.clone();
            thread::spawn(move || {
                for n in 0..PER_THREAD {
                    poster.post(from * 100_000 + n);
                }
            })
        })
        .collect();
    let (mut most_held, mut dispatched) = (0, 0);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while lock(&FLOOD).1 < 8 * PER_THREAD as usize && std::time::Instant::now() < deadline {
        let (held, count) = pump_counting();
        most_held = most_held.max(held);
        dispatched += count;
        thread::yield_now();
    }
    for poster in posters {
        poster.join().unwrap();
    }
    let (last, total, out_of_order) = *lock(&FLOOD);
    assert_eq!(total, 100_000, "every value ran");
    assert_eq!(out_of_order, 0, "in order per posting thread");
    assert_eq!(last, [Some(PER_THREAD - 1); 8]);
    // One message on its way per handler at a time (the queue held at most that, and maybe
    // one a finished batch had not yet taken back), not one per value.
    assert!(
        most_held <= 2,
        "the queue held {most_held} of the library's messages at once"
    );
    assert!(
        dispatched < 100_000,
        "{dispatched} messages for 100,000 values"
    );
    assert_eq!(on_begin_shutdown(&addin), S_OK);
    *lock(&POSTER) = None;
    drop((poster, addin));
    assert_eq!(can_unload(), S_OK);
}

#[test]
fn a_panic_in_a_values_drop_in_the_window_procedure_is_contained() {
    let _turn = turn();
    let application = Application::new("Outlook");
    let addin = connected(&application);
    let bombs = lock(&BOMBS).clone().expect("on_connection made one");
    let ((), logged) = capture_logs(|| {
        for n in 1..=3 {
            bombs.post(Bomb(n));
        }
        pump();
    });
    // Each value's handler ran; the odd ones' `Drop` panicked at the handler's end, contained,
    // and the next value still ran.
    assert_eq!(taken(), ["bomb 1", "bomb 2", "bomb 3"]);
    let errors = logged.at(log::Level::Error);
    assert_eq!(
        errors
            .iter()
            .filter(|line| line.contains("goes off in its Drop"))
            .count(),
        2,
        "{logged:?}"
    );
    // Values still queued at disconnection are dropped there: a panic in one is contained too.
    bombs.post(Bomb(5));
    let (code, logged) = capture_logs(|| on_begin_shutdown(&addin));
    assert_eq!(code, S_OK);
    assert!(
        logged
            .at(log::Level::Error)
            .iter()
            .any(|line| line.contains("bomb 5 goes off")),
        "{logged:?}"
    );
    *lock(&BOMBS) = None;
    drop((bombs, addin));
    assert_eq!(can_unload(), S_OK);
}

#[test]
fn a_module_lock_held_by_a_thread_keeps_the_dll_loaded() {
    let _turn = turn();
    let (locked, release) = std::sync::mpsc::channel();
    let (released, done) = std::sync::mpsc::channel::<()>();
    let worker = thread::spawn(move || {
        let _lock = ModuleLock::new();
        locked.send(()).unwrap();
        // The author's thread works until told to stop; the DLL must stay loaded meanwhile.
        let _ = done.recv();
    });
    release.recv().unwrap();
    assert_eq!(can_unload(), S_FALSE, "a thread holds a ModuleLock");
    drop(released);
    worker.join().unwrap();
    assert_eq!(can_unload(), S_OK, "its lock went with it");
}

#[test]
fn connected_after_start_up_it_gets_on_startup_complete_once_from_the_message_loop() {
    let _turn = turn();
    let application = Application::new("Outlook");
    let addin = addin();
    // The COM Add-ins dialog: Office never sends OnStartupComplete to this connection.
    assert_eq!(connect_as(&addin, &application, EXT_CM_AFTER_STARTUP), S_OK);
    assert_eq!(
        taken(),
        [format!(
            "on_connection AfterStartup Ok(\"Outlook\") on {:?}",
            here()
        )],
        "not yet: OnConnection has not returned to Outlook's loop"
    );
    assert!(pump() >= 1);
    assert_eq!(taken(), ["on_startup_complete"], "from this thread's loop");
    // Were OnStartupComplete to come after all, it would not run a second time.
    assert_eq!(on_startup_complete(&addin), S_OK);
    pump();
    assert!(taken().is_empty());
    assert_eq!(on_disconnection(&addin), S_OK);
    assert_eq!(taken(), ["on_disconnection"]);
    drop(addin);
    assert_eq!(taken(), [format!("probe dropped on {:?}", here())]);
    assert_eq!(can_unload(), S_OK);

    // At start-up it comes from OnStartupComplete only.
    let addin = self::addin();
    assert_eq!(on_connection(&addin, &application), S_OK);
    pump();
    assert_eq!(taken().len(), 1, "on_connection alone");
    assert_eq!(on_startup_complete(&addin), S_OK);
    assert_eq!(taken(), ["on_startup_complete"]);
    assert_eq!(on_begin_shutdown(&addin), S_OK);
    drop(addin);
    taken();
    assert_eq!(can_unload(), S_OK);
}

#[test]
fn on_startup_complete_run_from_the_message_loop_may_post_to_the_main_thread() {
    let _turn = turn();
    STARTUP_POSTS.store(true, Ordering::SeqCst);
    let (ran, main) = on_a_main_thread("on_startup_complete posting from the message loop", || {
        let application = Application::new("Outlook");
        let addin = addin();
        assert_eq!(connect_as(&addin, &application, EXT_CM_AFTER_STARTUP), S_OK);
        taken();
        // The posted start-up runs the author's code, which posts to the library again.
        let mut turns = 0;
        while lock(&SEEN).len() < 2 && turns < 100 {
            pump();
            turns += 1;
        }
        let ran = taken();
        assert_eq!(on_disconnection(&addin), S_OK);
        *lock(&POSTER) = None;
        drop(addin);
        taken();
        (ran, here())
    });
    assert_eq!(
        ran,
        [
            "on_startup_complete".to_string(),
            format!("main thread: 7 on {main:?}"),
        ]
    );
    assert_eq!(can_unload(), S_OK);
}

#[test]
fn released_without_a_disconnection_as_outlook_exits_it_drops_everything_on_the_main_thread() {
    let _turn = turn();
    SHARE_SINK.store(false, Ordering::SeqCst);
    let application = Application::new("Outlook");
    let addin = addin();
    assert_eq!(on_connection(&addin, &application), S_OK);
    assert_eq!(on_startup_complete(&addin), S_OK);
    let poster = lock(&POSTER).take().expect("on_connection made one");
    poster.post(42); // queued, never run: Outlook's loop does not turn again
    taken();
    assert_eq!(can_unload(), S_FALSE);
    // Fast shutdown (Outlook 2010 and later): neither OnBeginShutdown nor OnDisconnection,
    // only the last Release.
    drop(addin);
    assert_eq!(
        taken(),
        [format!("probe dropped on {:?}", here())],
        "the author's state dropped, on the main thread, without on_disconnection"
    );
    assert_eq!(
        can_unload(),
        S_OK,
        "its sink released and its main-thread window closed"
    );
    assert_eq!(
        (application.sessions_alive(), application.ref_count()),
        (0, 1),
        "every reference to the Application given back"
    );
    let (_, logged) = capture_logs(|| poster.post(43));
    assert!(
        logged
            .at(log::Level::Info)
            .iter()
            .any(|line| line.contains("after disconnection")),
        "{logged:?}"
    );
    pump();
    assert!(taken().is_empty(), "neither value ran");
}

/// The DWORD `name` under the probe's Outlook key of the current user, `None` if absent (or the
/// key is).
fn addins_dword(name: &str) -> Option<u32> {
    let mut key = HKEY::default();
    // SAFETY: a NUL-terminated name and a writable out key.
    let opened =
        unsafe { RegOpenKeyExW(HKEY_CURRENT_USER, PROBE_ADDINS, None, KEY_READ, &mut key) };
    if opened.is_err() {
        return None;
    }
    let name: Vec<u16> = name.encode_utf16().chain([0]).collect();
    let mut value = 0_u32;
    let mut size = 4_u32;
    // SAFETY: an open key, a NUL-terminated name, a 4-byte buffer and its size.
    let read = unsafe {
        RegQueryValueExW(
            key,
            PCWSTR(name.as_ptr()),
            None,
            None,
            Some((&mut value as *mut u32).cast()),
            Some(&mut size),
        )
    };
    // SAFETY: the key opened above.
    let _ = unsafe { RegCloseKey(key) };
    read.is_ok().then_some(value)
}

#[test]
fn shutdown_notification_is_written_with_the_registration_and_removed_with_it() {
    let _turn = turn();
    assert_eq!(dll_install(true, "user").0, S_OK);
    assert_eq!(addins_dword("LoadBehavior"), Some(3));
    assert_eq!(
        addins_dword("RequireShutdownNotification"),
        Some(1),
        "shutdown_notification = true asks Outlook for OnBeginShutdown and OnDisconnection"
    );
    assert_eq!(dll_install(false, "user").0, S_OK);
    assert_eq!(addins_dword("LoadBehavior"), None);
    assert_eq!(addins_dword("RequireShutdownNotification"), None);
}

#[test]
fn an_all_users_registration_over_a_per_user_one_warns() {
    let _turn = turn();
    assert_eq!(dll_install(true, "user").0, S_OK);
    let (code, logged) = dll_install(true, "allusers");
    assert_eq!(code, S_OK, "registered all the same");
    assert!(
        logged
            .at(log::Level::Warn)
            .iter()
            .any(|line| line.contains("also registered for the current user")),
        "{logged:?}"
    );
    assert_eq!(dll_install(false, "user").0, S_OK);
    // Without the per-user one, no warning.
    let (code, logged) = dll_install(true, "allusers");
    assert_eq!(code, S_OK);
    assert!(logged.at(log::Level::Warn).is_empty(), "{logged:?}");
    assert_eq!(dll_install(false, "allusers").0, S_OK);
}

/// The string `name` of the current user's key `path` (`""`: its default), if there is one.
fn user_string(path: PCWSTR, name: PCWSTR) -> Option<String> {
    let mut buffer = [0_u16; 512];
    let mut size = (buffer.len() * 2) as u32;
    // SAFETY: NUL-terminated names, a buffer of `size` bytes.
    let read = unsafe {
        RegGetValueW(
            HKEY_CURRENT_USER,
            path,
            name,
            RRF_RT_REG_SZ,
            None,
            Some(buffer.as_mut_ptr().cast()),
            Some(&mut size),
        )
    };
    let units = (size as usize / 2).saturating_sub(1);
    read.is_ok()
        .then(|| String::from_utf16_lossy(&buffer[..units]))
}

/// The probe's per-user registration keys.
const PROBE_CLASS: PCWSTR =
    windows::core::w!(r"Software\Classes\CLSID\{5C0E5F0B-8E4A-4B7C-9B7E-2F3A4D5E6F70}");
const PROBE_SERVER: PCWSTR = windows::core::w!(
    r"Software\Classes\CLSID\{5C0E5F0B-8E4A-4B7C-9B7E-2F3A4D5E6F70}\InprocServer32"
);
const PROBE_PROGID: PCWSTR = windows::core::w!(r"Software\Classes\MapiNotifySink.TestProbe");
const PROBE_ADDINS: PCWSTR =
    windows::core::w!(r"Software\Microsoft\Office\Outlook\Addins\MapiNotifySink.TestProbe");

/// `DllInstall(install, argument)` as `regsvr32 /n /i:argument` calls it, and what it logged.
fn dll_install(install: bool, argument: &str) -> (HRESULT, support::Logged) {
    let argument: Vec<u16> = argument.encode_utf16().chain([0]).collect();
    // SAFETY: a NUL-terminated argument.
    capture_logs(|| unsafe { DllInstall(i32::from(install), argument.as_ptr()) })
}

/// Makes the probe's class name `dll`, as another registration of it would.
fn name_in_the_class(dll: &str) {
    let dll: Vec<u16> = dll.encode_utf16().chain([0]).collect();
    // SAFETY: NUL-terminated names, and `dll` is that many bytes.
    let set = unsafe {
        RegSetKeyValueW(
            HKEY_CURRENT_USER,
            PROBE_SERVER,
            PCWSTR::null(),
            REG_SZ.0,
            Some(dll.as_ptr().cast()),
            (dll.len() * 2) as u32,
        )
    };
    assert!(set.is_ok());
}

/// Removes what is left of the probe's per-user registration, as a test made it.
fn remove_probe_keys() {
    for key in [PROBE_CLASS, PROBE_PROGID, PROBE_ADDINS] {
        // SAFETY: a NUL-terminated name.
        assert!(unsafe { RegDeleteTreeW(HKEY_CURRENT_USER, key) }.is_ok());
    }
}

#[test]
fn a_failed_re_registration_leaves_the_working_one() {
    let _turn = turn();
    // A working registration, of an older copy of the DLL somewhere else.
    let (code, logged) = dll_install(true, "user");
    assert_eq!(code, S_OK, "{logged:?}");
    name_in_the_class(r"C:\old\probe.dll");
    // Broken on purpose: the ProgID's key made volatile, under which the registration's own
    // (lasting) `CLSID` key cannot be created, so re-registering fails half-way, after it
    // has rewritten the CLSID's keys.
    // SAFETY (each call): NUL-terminated names, a writable out key, the key it opened.
    assert!(unsafe { RegDeleteTreeW(HKEY_CURRENT_USER, PROBE_PROGID) }.is_ok());
    let mut volatile = HKEY::default();
    let made = unsafe {
        RegCreateKeyExW(
            HKEY_CURRENT_USER,
            PROBE_PROGID,
            None,
            PCWSTR::null(),
            REG_OPTION_VOLATILE,
            KEY_ALL_ACCESS,
            None,
            &mut volatile,
            None,
        )
    };
    assert!(made.is_ok());
    let _ = unsafe { RegCloseKey(volatile) };

    let (code, logged) = dll_install(true, "user");
    assert_ne!(code, S_OK, "the re-registration failed: {logged:?}");
    assert_eq!(
        user_string(PROBE_SERVER, PCWSTR::null()).as_deref(),
        Some(r"C:\old\probe.dll"),
        "the working registration's DLL, as it was"
    );
    assert_eq!(
        addins_dword("LoadBehavior"),
        Some(3),
        "its Outlook key, as it was"
    );
    assert_eq!(addins_dword("RequireShutdownNotification"), Some(1));

    // The old DLL's registration is not this DLL's to remove (`regsvr32 /u` keeps it): the
    // test does.
    remove_probe_keys();
    assert_eq!(user_string(PROBE_SERVER, PCWSTR::null()), None);
}

#[test]
fn unregistering_leaves_the_keys_another_bitness_registration_uses() {
    let _turn = turn();
    assert_eq!(dll_install(true, "user").0, S_OK);
    // The other bitness's DLL registered for the same user after this one. (Wine keeps one
    // class key for both views, so it took this one's; Windows keeps one per view, and the
    // ProgID and Outlook keys are one for both either way.)
    name_in_the_class(r"C:\x86\probe32.dll");
    let (code, logged) = dll_install(false, "user");
    assert_eq!(code, S_OK);
    assert_eq!(
        user_string(PROBE_SERVER, PCWSTR::null()).as_deref(),
        Some(r"C:\x86\probe32.dll"),
        "the other registration's class"
    );
    assert_eq!(addins_dword("LoadBehavior"), Some(3), "its Outlook key");
    assert!(
        user_string(PROBE_PROGID, PCWSTR::null()).is_some(),
        "its ProgID"
    );
    assert!(
        logged
            .at(log::Level::Info)
            .iter()
            .any(|line| line.contains("another registration")),
        "{logged:?}"
    );
    remove_probe_keys();
}

#[test]
fn a_call_from_another_thread_is_refused() {
    let _turn = turn();
    let application = Application::new("Outlook");
    let addin = addin();
    let raw = addin.as_raw() as usize;
    let (code, logged) = thread::spawn(move || {
        let addin = raw as *mut c_void;
        capture_logs(|| {
            // SAFETY: the object is alive (the test thread holds it) and its vtable is
            // IDTExtensibility2's; calling it from this thread breaks the apartment rule,
            // which is what is under test.
            unsafe {
                let vtable = *addin.cast::<*const sys::IDTExtensibility2_Vtbl>();
                ((*vtable).OnStartupComplete)(addin, null_mut())
            }
        })
    })
    .join()
    .unwrap();
    assert_eq!(code, RPC_E_WRONG_THREAD);
    assert!(
        logged
            .at(log::Level::Warn)
            .iter()
            .any(|line| line.contains("another thread") || line.contains("other than the one")),
        "{logged:?}"
    );
    assert!(taken().is_empty(), "the add-in's code did not run");
    assert_eq!(on_connection(&addin, &application), S_OK);
    assert_eq!(on_begin_shutdown(&addin), S_OK);
    *lock(&POSTER) = None;
    drop(addin);
    assert_eq!(can_unload(), S_OK);
}

// ---------------------------------------------------------------------------------------------
// IDispatch: Office may call the five methods through Invoke
// ---------------------------------------------------------------------------------------------

fn dispatch(addin: &sys::IDTExtensibility2) -> IDispatch {
    addin.cast().expect("the add-in answers IDispatch")
}

fn ids(object: &IDispatch, names: &[&str]) -> (HRESULT, Vec<i32>) {
    let wide: Vec<Vec<u16>> = names
        .iter()
        .map(|name| name.encode_utf16().chain([0]).collect())
        .collect();
    let pointers: Vec<PCWSTR> = wide.iter().map(|name| PCWSTR(name.as_ptr())).collect();
    let mut ids = vec![0; names.len()];
    // SAFETY: `names.len()` names and DISPIDs.
    let result = unsafe {
        object.GetIDsOfNames(
            &GUID::zeroed(),
            pointers.as_ptr(),
            names.len() as u32,
            0,
            ids.as_mut_ptr(),
        )
    };
    (result.map_or_else(|error| error.code(), |()| S_OK), ids)
}

/// `Invoke(dispid)` with `args` in call order (reversed here, as `DISPPARAMS` holds them):
/// the HRESULT and `puArgErr`.
fn invoke(
    object: &IDispatch,
    dispid: i32,
    flags: DISPATCH_FLAGS,
    args: Vec<VARIANT>,
    named: u32,
) -> (HRESULT, u32) {
    let mut reversed: Vec<VARIANT> = args.into_iter().rev().collect();
    let mut named_ids = [-3i32]; // DISPID_PROPERTYPUT, so that cNamedArgs has an array
    let params = DISPPARAMS {
        rgvarg: if reversed.is_empty() {
            null_mut()
        } else {
            reversed.as_mut_ptr()
        },
        rgdispidNamedArgs: named_ids.as_mut_ptr(),
        cArgs: reversed.len() as u32,
        cNamedArgs: named,
    };
    let mut arg_error = u32::MAX;
    // SAFETY: a complete DISPPARAMS whose arrays outlive the call.
    let result = unsafe {
        object.Invoke(
            dispid,
            &GUID::zeroed(),
            0,
            flags,
            &params,
            None,
            None,
            Some(&mut arg_error),
        )
    };
    (
        result.map_or_else(|error| error.code(), |()| S_OK),
        arg_error,
    )
}

#[test]
fn names_map_to_the_five_dispids_case_insensitively() {
    let _turn = turn();
    let addin = dispatch(&addin());
    for (name, id) in [
        ("OnConnection", 1),
        ("ondisconnection", 2),
        ("OnAddInsUpdate", 3),
        ("ONSTARTUPCOMPLETE", 4),
        ("OnBeginShutdown", 5),
    ] {
        assert_eq!(ids(&addin, &[name]), (S_OK, vec![id]), "{name}");
    }
    assert_eq!(ids(&addin, &["Quit"]), (DISP_E_UNKNOWNNAME, vec![-1]));
    assert_eq!(
        ids(&addin, &["OnConnection", "custom"]),
        (DISP_E_UNKNOWNNAME, vec![1, -1])
    );
}

#[test]
fn malformed_invokes_get_the_documented_errors_and_reach_nothing() {
    let _turn = turn();
    let addin = dispatch(&addin());
    let four = || {
        vec![
            VARIANT::default(),
            VARIANT::from(1i32),
            VARIANT::default(),
            VARIANT::default(),
        ]
    };
    assert_eq!(
        invoke(&addin, 9, DISPATCH_METHOD, vec![], 0).0,
        DISP_E_MEMBERNOTFOUND
    );
    assert_eq!(
        invoke(&addin, 4, DISPATCH_PROPERTYGET, vec![VARIANT::default()], 0).0,
        DISP_E_MEMBERNOTFOUND
    );
    assert_eq!(
        invoke(&addin, 1, DISPATCH_METHOD, four()[..3].to_vec(), 0).0,
        DISP_E_BADPARAMCOUNT
    );
    assert_eq!(
        invoke(&addin, 1, DISPATCH_METHOD, four(), 1).0,
        DISP_E_NONAMEDARGS
    );
    assert_eq!(
        invoke(&addin, 3, DISPATCH_METHOD, vec![], 0).0,
        DISP_E_BADPARAMCOUNT
    );
    // ConnectMode as a string: a type mismatch, and puArgErr is its index in rgvarg (2 of 0..4).
    let mut args = four();
    args[1] = VARIANT::from("1");
    assert_eq!(
        invoke(&addin, 1, DISPATCH_METHOD, args, 0),
        (DISP_E_TYPEMISMATCH, 2)
    );
    // Application as an integer.
    let mut args = four();
    args[0] = VARIANT::from(7i32);
    assert_eq!(
        invoke(&addin, 1, DISPATCH_METHOD, args, 0),
        (DISP_E_TYPEMISMATCH, 3)
    );
    // No DISPPARAMS at all, and a count with no array behind it.
    // SAFETY: the malformed input under test; nothing else is read.
    let result = unsafe {
        addin.Invoke(
            1,
            &GUID::zeroed(),
            0,
            DISPATCH_METHOD,
            core::ptr::null(),
            None,
            None,
            None,
        )
    };
    assert_eq!(result.unwrap_err().code(), E_INVALIDARG);
    let params = DISPPARAMS {
        rgvarg: null_mut(),
        rgdispidNamedArgs: null_mut(),
        cArgs: 4,
        cNamedArgs: 0,
    };
    // SAFETY: as above.
    let result = unsafe {
        addin.Invoke(
            1,
            &GUID::zeroed(),
            0,
            DISPATCH_METHOD,
            &params,
            None,
            None,
            None,
        )
    };
    assert_eq!(result.unwrap_err().code(), E_INVALIDARG);
    assert!(taken().is_empty(), "no malformed call reached the add-in");
}

#[test]
fn the_life_cycle_through_invoke_reaches_the_add_in_and_leaves_nothing() {
    let _turn = turn();
    let application = Application::new("Outlook");
    let addin = dispatch(&addin());
    let app = VARIANT::from(application.to_unknown().cast::<IDispatch>().unwrap());
    let args = vec![
        app,
        VARIANT::from(1i32),
        VARIANT::default(),
        VARIANT::default(),
    ];
    assert_eq!(invoke(&addin, 1, DISPATCH_METHOD, args, 0).0, S_OK);
    for dispid in [3, 4, 5] {
        let args = vec![VARIANT::default()];
        assert_eq!(
            invoke(&addin, dispid, DISPATCH_METHOD, args, 0).0,
            S_OK,
            "{dispid}"
        );
    }
    let args = vec![VARIANT::from(0i32), VARIANT::default()];
    assert_eq!(invoke(&addin, 2, DISPATCH_METHOD, args, 0).0, S_OK);
    assert_eq!(
        taken(),
        [
            format!("on_connection Startup Ok(\"Outlook\") on {:?}", here()),
            "on_startup_complete".into(),
            "on_disconnection".into(),
        ]
    );
    *lock(&POSTER) = None;
    drop(addin);
    assert_eq!(
        (application.sessions_alive(), application.ref_count()),
        (0, 1)
    );
    assert_eq!(can_unload(), S_OK, "nothing of the module is alive");
}

#[test]
fn connect_mode_names_outlooks_values() {
    assert_eq!(ConnectMode::from_raw(EXT_CM_STARTUP), ConnectMode::Startup);
    assert_eq!(ConnectMode::from_raw(0), ConnectMode::AfterStartup);
    assert_eq!(ConnectMode::from_raw(7), ConnectMode::Other(7));
}
