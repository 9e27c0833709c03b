//! `profile_name` against the stand-in Outlook `Application` (`outlook_sim::application`), in a
//! single-threaded apartment as on Outlook's main thread: the name comes back (non-ASCII too);
//! each step that can fail gives an `Error` whose text names the step and the HRESULT; and
//! every call, whatever its outcome, leaves nothing behind: every `Session` object handed out is
//! released, the `Application`'s reference count is where it was, and every BSTR handed out
//! (the name, an exception's texts) was freed: an `IMallocSpy` counts the COM task-memory
//! blocks BSTRs live in, with oleaut32's BSTR cache turned off so that each free reaches it.
#![cfg(windows)]

use core::ffi::c_void;
use core::marker::PhantomData;
use core::ptr;
use mapi_notify_sink::{profile_name, sys, Error};
use outlook_sim::application::{Application, Calls, Fault};
use std::thread;
use windows_core::{IUnknown, IUnknown_Vtbl, Interface, GUID, HRESULT};

const COINIT_APARTMENTTHREADED: u32 = 0x2;
/// `E_FAIL`: a code `Error` has no name for.
const E_FAIL: HRESULT = HRESULT(0x8000_4005_u32 as i32);

#[link(name = "ole32")]
extern "system" {
    fn CoInitializeEx(reserved: *const c_void, coinit: u32) -> HRESULT;
    fn CoUninitialize();
}

/// This thread in a single-threaded apartment, as Outlook's main thread is, until dropped.
struct Sta(PhantomData<*const ()>);

impl Sta {
    fn enter() -> Sta {
        // SAFETY: the reserved pointer must be null.
        let hr = unsafe { CoInitializeEx(ptr::null(), COINIT_APARTMENTTHREADED) };
        assert_eq!(hr, sys::S_OK, "CoInitializeEx(COINIT_APARTMENTTHREADED)");
        Sta(PhantomData)
    }
}

impl Drop for Sta {
    fn drop(&mut self) {
        // SAFETY: balances `enter`'s CoInitializeEx, on the same thread.
        unsafe { CoUninitialize() }
    }
}

/// `profile_name` as an add-in calls it, on the `Application` it was handed (one reference of
/// its own, as `OnConnection`'s argument); then the checks that it released all it took.
fn profile_name_of(application: &Application) -> Result<String, Error> {
    let handed = application.to_unknown();
    let before = application.ref_count();
    let (result, blocks) = task_memory::balance_of(|| profile_name(&handed));
    assert_eq!(
        blocks, 0,
        "every BSTR handed out was freed: COM task-memory blocks allocated minus freed \
         ({result:?})"
    );
    assert_eq!(
        application.ref_count(),
        before,
        "Application's reference count is back where it was ({result:?})"
    );
    assert_eq!(
        application.sessions_alive(),
        0,
        "every Session handed out was released ({result:?})"
    );
    drop(handed);
    assert_eq!(
        application.ref_count(),
        1,
        "only the test's own reference is left"
    );
    result
}

/// One full, successful walk: two GetIDsOfNames and two Invokes.
const ONE_WALK: Calls = Calls {
    application_get_ids_of_names: 1,
    application_invoke: 1,
    session_get_ids_of_names: 1,
    session_invoke: 1,
};

#[test]
fn the_current_profile_name_comes_back() {
    let _sta = Sta::enter();
    for name in ["Outlook", "Büro – Outlook", "个人 📧"] {
        let application = Application::new(name);
        assert_eq!(profile_name_of(&application).as_deref(), Ok(name));
        assert_eq!(application.calls(), ONE_WALK, "{name}");
        assert_eq!(application.sessions_made(), 1, "{name}");
    }
}

#[test]
fn each_call_walks_again_and_releases_its_session() {
    let _sta = Sta::enter();
    let application = Application::new("Outlook");
    for _ in 0..3 {
        assert_eq!(profile_name_of(&application).as_deref(), Ok("Outlook"));
    }
    assert_eq!(application.sessions_made(), 3);
    assert_eq!(application.calls().session_invoke, 3);
}

/// A fault, the error it must give (code and the whole `Display` text), and the calls the
/// stand-in received before the walk stopped.
struct Case {
    fault: Fault,
    code: HRESULT,
    message: &'static str,
    calls: Calls,
}

fn cases() -> Vec<Case> {
    let up_to = |app_ids, app_invoke, session_ids, session_invoke| Calls {
        application_get_ids_of_names: app_ids,
        application_invoke: app_invoke,
        session_get_ids_of_names: session_ids,
        session_invoke,
    };
    vec![
        Case {
            fault: Fault::NoDispatch,
            code: sys::E_NOINTERFACE,
            message: "profile_name: Application.QueryInterface(IDispatch) failed: \
                      0x80004002 (E_NOINTERFACE)",
            calls: up_to(0, 0, 0, 0),
        },
        Case {
            fault: Fault::SessionUnknownName,
            code: sys::DISP_E_UNKNOWNNAME,
            message: "profile_name: Application.GetIDsOfNames(\"Session\") failed: \
                      0x80020006 (DISP_E_UNKNOWNNAME)",
            calls: up_to(1, 0, 0, 0),
        },
        Case {
            fault: Fault::SessionInvokeFails(sys::RPC_E_WRONG_THREAD),
            code: sys::RPC_E_WRONG_THREAD,
            message: "profile_name: Application.Invoke(Session, DISPATCH_PROPERTYGET) failed: \
                      0x8001010E (RPC_E_WRONG_THREAD)",
            calls: up_to(1, 1, 0, 0),
        },
        Case {
            fault: Fault::SessionNotDispatch,
            code: sys::DISP_E_TYPEMISMATCH,
            message: "profile_name: Application.Session as VT_DISPATCH (got VT_UNKNOWN (13)) \
                      failed: 0x80020005 (DISP_E_TYPEMISMATCH)",
            calls: up_to(1, 1, 0, 0),
        },
        Case {
            fault: Fault::SessionNull,
            code: sys::DISP_E_TYPEMISMATCH,
            message: "profile_name: Application.Session as VT_DISPATCH (got VT_DISPATCH \
                      holding a null pointer) failed: 0x80020005 (DISP_E_TYPEMISMATCH)",
            calls: up_to(1, 1, 0, 0),
        },
        Case {
            fault: Fault::ProfileUnknownName,
            code: sys::DISP_E_UNKNOWNNAME,
            message: "profile_name: Session.GetIDsOfNames(\"CurrentProfileName\") failed: \
                      0x80020006 (DISP_E_UNKNOWNNAME)",
            calls: up_to(1, 1, 1, 0),
        },
        Case {
            fault: Fault::ProfileInvokeFails(E_FAIL),
            code: E_FAIL,
            message: "profile_name: Session.Invoke(CurrentProfileName, DISPATCH_PROPERTYGET) \
                      failed: 0x80004005 (E_FAIL)",
            calls: ONE_WALK,
        },
        Case {
            fault: Fault::ProfileException {
                scode: sys::MAPI_E_NOT_FOUND,
                description: "The profile is not available.".into(),
            },
            code: sys::MAPI_E_NOT_FOUND,
            message: "profile_name: Session.Invoke(CurrentProfileName, DISPATCH_PROPERTYGET) \
                      raised an exception (\"outlook-sim: The profile is not available.\") and \
                      failed: 0x8004010F (MAPI_E_NOT_FOUND)",
            calls: ONE_WALK,
        },
        Case {
            // An exception without a code of its own keeps Invoke's.
            fault: Fault::ProfileException {
                scode: sys::S_OK,
                description: "Something went wrong.".into(),
            },
            code: sys::DISP_E_EXCEPTION,
            message: "profile_name: Session.Invoke(CurrentProfileName, DISPATCH_PROPERTYGET) \
                      raised an exception (\"outlook-sim: Something went wrong.\") and \
                      failed: 0x80020009 (DISP_E_EXCEPTION)",
            calls: ONE_WALK,
        },
        Case {
            fault: Fault::ProfileNotBstr,
            code: sys::DISP_E_TYPEMISMATCH,
            message: "profile_name: Session.CurrentProfileName as VT_BSTR (got VT_DISPATCH (9)) \
                      failed: 0x80020005 (DISP_E_TYPEMISMATCH)",
            calls: ONE_WALK,
        },
    ]
}

#[test]
fn each_failing_step_is_an_error_naming_the_step_and_its_hresult_and_nothing_leaks() {
    let _sta = Sta::enter();
    for case in cases() {
        let application = Application::builder()
            .profile("Outlook")
            .fault(case.fault.clone())
            .build();
        let error = profile_name_of(&application).expect_err(&format!("{:?}", case.fault));
        assert_eq!(error.code(), case.code, "{:?}", case.fault);
        assert_eq!(error.to_string(), case.message, "{:?}", case.fault);
        assert_eq!(application.calls(), case.calls, "{:?}", case.fault);
    }
}

#[test]
fn a_value_of_the_wrong_type_is_released_too() {
    // Both wrong-type faults hand out a live Session inside the VARIANT (as VT_UNKNOWN, then
    // as VT_DISPATCH): `profile_name_of` already checked it was released; this checks there
    // was one to release.
    let _sta = Sta::enter();
    for (fault, made) in [(Fault::SessionNotDispatch, 1), (Fault::ProfileNotBstr, 2)] {
        let application = Application::builder().fault(fault.clone()).build();
        profile_name_of(&application).expect_err("a wrong type");
        assert_eq!(application.sessions_made(), made, "{fault:?}");
    }
}

#[test]
fn an_empty_name_is_an_error() {
    let _sta = Sta::enter();
    let application = Application::new(""); // a null BSTR, which COM reads as ""
    let error = profile_name_of(&application).expect_err("no name");
    assert_eq!(error.code(), sys::E_UNEXPECTED);
    assert_eq!(
        error.to_string(),
        "profile_name: Session.CurrentProfileName (it is empty: no profile is logged on) \
         failed: 0x8000FFFF (E_UNEXPECTED)"
    );
}

#[test]
fn a_name_that_is_not_valid_utf16_is_an_error_not_a_different_name() {
    let _sta = Sta::enter();
    let mut units: Vec<u16> = "Büro".encode_utf16().collect();
    units.insert(2, 0xD800); // an unpaired high surrogate
    let application = Application::builder().profile_utf16(units).build();
    let error = profile_name_of(&application).expect_err("an unpaired surrogate");
    assert_eq!(error.code(), HRESULT(0x8007_0459_u32 as i32));
    assert_eq!(
        error.to_string(),
        "profile_name: Session.CurrentProfileName \"Bü\u{FFFD}ro\" as UTF-16 (it has an \
         unpaired surrogate, shown as U+FFFD) failed: 0x80070459 \
         (HRESULT_FROM_WIN32(ERROR_NO_UNICODE_TRANSLATION))"
    );
}

#[test]
fn the_bstr_counter_sees_a_bstr_that_is_not_freed() {
    // The control for the BSTR checks above: a leak shows, a free balances.
    let _sta = Sta::enter();
    let (_, freed) = task_memory::balance_of(|| drop(windows_core::BSTR::from("freed")));
    assert_eq!(freed, 0);
    let (_, leaked) =
        task_memory::balance_of(|| std::mem::forget(windows_core::BSTR::from("leaked")));
    assert_eq!(leaked, 1);
}

/// An interface pointer sent to another thread, which must not use it for anything but the
/// call under test: the stand-in, like Outlook, answers `RPC_E_WRONG_THREAD` there.
struct Raw(*mut c_void);
// SAFETY: see above; the object stays alive (the test thread holds it) until the join.
unsafe impl Send for Raw {}

#[test]
fn off_the_thread_of_the_application_the_error_is_rpc_e_wrong_thread() {
    let _sta = Sta::enter();
    let application = Application::new("Outlook");
    let before = application.ref_count();
    let raw = Raw(application.as_unknown().as_raw());
    let error = thread::spawn(move || {
        let raw = raw;
        // SAFETY: a live `IUnknown*`: the test thread holds a reference until after the join.
        let unknown = unsafe { IUnknown::from_raw_borrowed(&raw.0) }.expect("a live object");
        profile_name(unknown)
    })
    .join()
    .expect("the other thread")
    .expect_err("Outlook's object model works only on its main thread");
    assert_eq!(error.code(), sys::RPC_E_WRONG_THREAD);
    assert_eq!(
        error.to_string(),
        "profile_name: Application.GetIDsOfNames(\"Session\") failed: 0x8001010E \
         (RPC_E_WRONG_THREAD)"
    );
    assert_eq!(application.ref_count(), before);
    assert_eq!(application.sessions_made(), 0);
    assert_eq!(
        application.wrong_thread_calls(),
        1,
        "the refused call is counted"
    );
}

/// Counts, per thread, the COM task-memory blocks (`CoTaskMemAlloc`, which BSTRs live in)
/// allocated minus freed, through an `IMallocSpy` (`<objidl.h>`) registered once per process.
mod task_memory {
    use super::*;
    use std::cell::Cell;
    use std::sync::Once;

    #[link(name = "ole32")]
    extern "system" {
        fn CoRegisterMallocSpy(spy: *mut c_void) -> HRESULT;
    }

    // `extern "C"`: mingw's 32-bit import library names it undecorated (`SetOaNoCache`, not
    // `SetOaNoCache@0`); with no arguments, cdecl and stdcall calls are the same.
    #[link(name = "oleaut32")]
    extern "C" {
        /// Turns off oleaut32's BSTR cache, which would otherwise keep freed BSTRs from
        /// `CoTaskMemFree` (and so from the spy).
        fn SetOaNoCache();
    }

    const IID_IMALLOC_SPY: GUID = GUID::from_u128(0x0000001d_0000_0000_c000_000000000046);

    thread_local! {
        static BALANCE: Cell<i64> = const { Cell::new(0) };
    }

    /// Runs `f`; returns its result and the blocks this thread allocated minus freed meanwhile.
    pub fn balance_of<R>(f: impl FnOnce() -> R) -> (R, i64) {
        static REGISTER: Once = Once::new();
        REGISTER.call_once(|| {
            // SAFETY: no arguments; the spy is a static object that lives forever, and
            // answers QueryInterface for IMallocSpy.
            let hr = unsafe {
                SetOaNoCache();
                CoRegisterMallocSpy(ptr::addr_of!(SPY) as *mut c_void)
            };
            assert_eq!(hr, sys::S_OK, "CoRegisterMallocSpy");
        });
        let start = BALANCE.with(Cell::get);
        let result = f();
        (result, BALANCE.with(Cell::get) - start)
    }

    fn count(delta: i64) {
        // A thread being torn down has no counter left to change: nothing to count there.
        let _ = BALANCE.try_with(|balance| balance.set(balance.get() + delta));
    }

    /// `IMallocSpy`: `IUnknown`, then the twelve hooks around each `IMalloc` call.
    #[repr(C)]
    struct Vtbl {
        base: IUnknown_Vtbl,
        pre_alloc: unsafe extern "system" fn(*mut c_void, usize) -> usize,
        post_alloc: unsafe extern "system" fn(*mut c_void, *mut c_void) -> *mut c_void,
        pre_free: unsafe extern "system" fn(*mut c_void, *mut c_void, i32) -> *mut c_void,
        post_free: unsafe extern "system" fn(*mut c_void, i32),
        pre_realloc: unsafe extern "system" fn(
            *mut c_void,
            *mut c_void,
            usize,
            *mut *mut c_void,
            i32,
        ) -> usize,
        post_realloc: unsafe extern "system" fn(*mut c_void, *mut c_void, i32) -> *mut c_void,
        pre_get_size: unsafe extern "system" fn(*mut c_void, *mut c_void, i32) -> *mut c_void,
        post_get_size: unsafe extern "system" fn(*mut c_void, usize, i32) -> usize,
        pre_did_alloc: unsafe extern "system" fn(*mut c_void, *mut c_void, i32) -> *mut c_void,
        post_did_alloc: unsafe extern "system" fn(*mut c_void, *mut c_void, i32, i32) -> i32,
        pre_heap_minimize: unsafe extern "system" fn(*mut c_void),
        post_heap_minimize: unsafe extern "system" fn(*mut c_void),
    }

    /// The spy: a vtable pointer, and no state (the counts are thread-local).
    #[repr(C)]
    struct Spy(#[allow(dead_code)] &'static Vtbl); // read by COM through the object pointer
                                                   // SAFETY: immutable, and every hook may run on any thread.
    unsafe impl Sync for Spy {}

    static SPY: Spy = Spy(&VTBL);
    static VTBL: Vtbl = Vtbl {
        base: IUnknown_Vtbl {
            QueryInterface: query_interface,
            AddRef: add_ref,
            Release: release,
        },
        pre_alloc,
        post_alloc,
        pre_free,
        post_free,
        pre_realloc,
        post_realloc,
        pre_get_size,
        post_get_size,
        pre_did_alloc,
        post_did_alloc,
        pre_heap_minimize: heap_minimize,
        post_heap_minimize: heap_minimize,
    };

    unsafe extern "system" fn query_interface(
        this: *mut c_void,
        iid: *const GUID,
        out: *mut *mut c_void,
    ) -> HRESULT {
        // SAFETY: COM's caller passes a valid IID and out pointer.
        unsafe {
            if *iid == IID_IMALLOC_SPY || *iid == IUnknown::IID {
                *out = this;
                sys::S_OK
            } else {
                *out = ptr::null_mut();
                sys::E_NOINTERFACE
            }
        }
    }
    // A static object: the count is never used to free it.
    unsafe extern "system" fn add_ref(_: *mut c_void) -> u32 {
        2
    }
    unsafe extern "system" fn release(_: *mut c_void) -> u32 {
        1
    }
    unsafe extern "system" fn pre_alloc(_: *mut c_void, size: usize) -> usize {
        size
    }
    unsafe extern "system" fn post_alloc(_: *mut c_void, block: *mut c_void) -> *mut c_void {
        if !block.is_null() {
            count(1);
        }
        block
    }
    unsafe extern "system" fn pre_free(
        _: *mut c_void,
        block: *mut c_void,
        spied: i32,
    ) -> *mut c_void {
        // Only blocks allocated while the spy was watching were counted in.
        if !block.is_null() && spied != 0 {
            count(-1);
        }
        block
    }
    unsafe extern "system" fn post_free(_: *mut c_void, _: i32) {}
    unsafe extern "system" fn pre_realloc(
        _: *mut c_void,
        block: *mut c_void,
        size: usize,
        new_block: *mut *mut c_void,
        _: i32,
    ) -> usize {
        // SAFETY: COM's caller passes a valid out pointer.
        unsafe { *new_block = block };
        size
    }
    unsafe extern "system" fn post_realloc(
        _: *mut c_void,
        block: *mut c_void,
        _: i32,
    ) -> *mut c_void {
        block
    }
    unsafe extern "system" fn pre_get_size(
        _: *mut c_void,
        block: *mut c_void,
        _: i32,
    ) -> *mut c_void {
        block
    }
    unsafe extern "system" fn post_get_size(_: *mut c_void, size: usize, _: i32) -> usize {
        size
    }
    unsafe extern "system" fn pre_did_alloc(
        _: *mut c_void,
        block: *mut c_void,
        _: i32,
    ) -> *mut c_void {
        block
    }
    unsafe extern "system" fn post_did_alloc(
        _: *mut c_void,
        _: *mut c_void,
        _: i32,
        actual: i32,
    ) -> i32 {
        actual
    }
    unsafe extern "system" fn heap_minimize(_: *mut c_void) {}
}
