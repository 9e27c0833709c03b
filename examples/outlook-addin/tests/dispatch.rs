//! The add-in as Office may drive it through `IDispatch` instead of the vtable: names to
//! DISPIDs, each method through `Invoke`, and every malformed `Invoke` answered with the
//! documented error (and `puArgErr` where it applies) instead of a crash. Run under Wine by
//! `scripts/test-windows.sh`.
#![cfg(windows)]

use outlook_addin::{DllCanUnloadNow, DllGetClassObject, CLSID_ADDIN};
use outlook_sim::application::Application;
use std::sync::{Mutex, MutexGuard, PoisonError};
use windows::core::{Interface, GUID, HRESULT, PCWSTR};
use windows::Win32::Foundation::{
    DISP_E_BADPARAMCOUNT, DISP_E_MEMBERNOTFOUND, DISP_E_TYPEMISMATCH, DISP_E_UNKNOWNNAME,
    E_INVALIDARG, S_OK,
};
use windows::Win32::System::Com::{
    CoInitializeEx, IClassFactory, IDispatch, COINIT_APARTMENTTHREADED, DISPATCH_FLAGS,
    DISPATCH_METHOD, DISPATCH_PROPERTYGET, DISPPARAMS,
};
use windows::Win32::System::Variant::VARIANT;

const DISP_E_NONAMEDARGS: HRESULT = HRESULT(0x8002_0007_u32 as i32);

/// The DLL's object count is process-wide: tests take turns.
fn turn() -> MutexGuard<'static, ()> {
    static TURN: Mutex<()> = Mutex::new(());
    let turn = TURN.lock().unwrap_or_else(PoisonError::into_inner);
    // SAFETY: COM for this test thread, as Outlook's main thread (an STA).
    let _ = unsafe { CoInitializeEx(None, COINIT_APARTMENTTHREADED) };
    turn
}

/// A new add-in object, through the DLL's own entry point and class factory, as COM gets it.
fn addin() -> IDispatch {
    let mut factory = core::ptr::null_mut();
    // SAFETY: readable GUIDs, a writable out pointer.
    let code = unsafe { DllGetClassObject(&CLSID_ADDIN, &IClassFactory::IID, &mut factory) };
    assert_eq!(code, S_OK);
    // SAFETY: one reference to an IClassFactory, handed over.
    let factory = unsafe { IClassFactory::from_raw(factory) };
    // SAFETY: no outer object.
    unsafe { factory.CreateInstance(None) }.expect("CreateInstance")
}

fn ids(object: &IDispatch, names: &[&str]) -> (HRESULT, Vec<i32>) {
    let wide: Vec<Vec<u16>> = names
        .iter()
        .map(|n| n.encode_utf16().chain([0]).collect())
        .collect();
    let pointers: Vec<PCWSTR> = wide.iter().map(|w| PCWSTR(w.as_ptr())).collect();
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
    (result.map_or_else(|e| e.code(), |()| S_OK), ids)
}

/// `Invoke(dispid)` with `args` in call order (reversed here, as `DISPPARAMS` holds them).
fn invoke(
    object: &IDispatch,
    dispid: i32,
    flags: DISPATCH_FLAGS,
    args: Vec<VARIANT>,
    named: u32,
) -> (HRESULT, u32) {
    let mut reversed: Vec<VARIANT> = args.into_iter().rev().collect();
    let mut named_ids = [-3i32]; // DISPID_PROPERTYPUT, to make cNamedArgs honest
    let params = DISPPARAMS {
        rgvarg: if reversed.is_empty() {
            core::ptr::null_mut()
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
    (result.map_or_else(|e| e.code(), |()| S_OK), arg_error)
}

#[test]
fn names_map_to_the_five_dispids_case_insensitively() {
    let _turn = turn();
    let addin = addin();
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
fn malformed_invokes_get_the_documented_errors() {
    let _turn = turn();
    let addin = addin();
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
    // SAFETY: a null DISPPARAMS is the malformed input under test.
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
        rgvarg: core::ptr::null_mut(),
        rgdispidNamedArgs: core::ptr::null_mut(),
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
}

#[test]
fn the_life_cycle_through_invoke_reaches_the_add_in_and_leaves_nothing() {
    let _turn = turn();
    let application = Application::new("Outlook");
    let addin = addin();
    let app = VARIANT::from(application.to_unknown().cast::<IDispatch>().unwrap());
    let (code, _) = invoke(
        &addin,
        1,
        DISPATCH_METHOD,
        vec![
            app,
            VARIANT::from(1i32),
            VARIANT::default(),
            VARIANT::default(),
        ],
        0,
    );
    assert_eq!(code, S_OK);
    // OnConnection ran: it asked the Application for Session (then went inert: no MAPI here).
    assert!(
        application.calls().application_get_ids_of_names >= 1,
        "{:?}",
        application.calls()
    );
    for dispid in [3, 4, 5] {
        assert_eq!(
            invoke(&addin, dispid, DISPATCH_METHOD, vec![VARIANT::default()], 0).0,
            S_OK,
            "DISPID {dispid}"
        );
    }
    assert_eq!(
        invoke(
            &addin,
            2,
            DISPATCH_METHOD,
            vec![VARIANT::from(0i32), VARIANT::default()],
            0
        )
        .0,
        S_OK
    );
    drop(addin);
    assert_eq!(
        (application.sessions_alive(), application.ref_count()),
        (0, 1)
    );
    assert_eq!(DllCanUnloadNow(), S_OK, "nothing of the DLL is alive");
}
