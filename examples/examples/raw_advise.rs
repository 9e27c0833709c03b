//! The `offline_watch` flow for users with their own bindings: only `sys` and raw pointers.
//! The sink is still made by the attribute; every call to the manager is a raw vtable call.
//!
//! Run with `cargo run --example raw_advise`.

use mapi_notify_sink::simulator::SimulatedOutlook;
use mapi_notify_sink::{mapi_notify_sink, sys, Notification, Sink};
use std::ffi::c_void;
use std::ptr;

struct Printer;

#[mapi_notify_sink]
impl Printer {
    fn notify(&self, info: &Notification<'_>) {
        let raw = info.raw();
        // SAFETY: the union's only member is plain integers.
        let change = unsafe { raw.Info.StateChange };
        println!(
            "  Notify: NotifyType {}, ulClientToken {:#x}, ulMask {:#x}, ulStateOld {:#x}, ulStateNew {:#x}",
            raw.NotifyType.0, raw.ulClientToken, change.ulMask, change.ulStateOld, change.ulStateNew
        );
    }
}

/// Prints an HRESULT and stops the demo on failure.
fn check(call: &str, hr: i32) {
    println!("{call} = {:#010x}", hr as u32);
    assert!(hr >= 0, "{call} failed");
}

fn main() {
    let outlook = SimulatedOutlook::new();
    let manager = outlook.manager(); // keeps the IMAPIOfflineMgr alive while we use its pointer
    let mgr: *mut c_void = manager.as_raw();
    let sink = Sink::new(Printer);

    // SAFETY: `mgr` and the sink are live COM objects for the whole block, and every call
    // passes what the Offline State API requires: a full MAPIOFFLINE_ADVISEINFO, valid out
    // pointers, a null pReserved.
    unsafe {
        let vtbl = &**(mgr as *const *const sys::IMAPIOfflineMgr_Vtbl);

        let mut state = 0;
        check(
            "GetCurrentState",
            (vtbl.base__.GetCurrentState)(mgr, &mut state).0,
        );
        println!(
            "  state {state:#x} (MAPIOFFLINE_STATE_ONLINE = {:#x})",
            sys::MAPIOFFLINE_STATE_ONLINE
        );

        let mut info = sys::MAPIOFFLINE_ADVISEINFO {
            ulSize: size_of::<sys::MAPIOFFLINE_ADVISEINFO>() as u32,
            ulClientToken: 0xabc,
            CallbackType: sys::MAPIOFFLINE_CALLBACK_TYPE_NOTIFY,
            pCallback: sink.as_raw(),
            ulAdviseTypes: sys::MAPIOFFLINE_ADVISE_TYPE_STATECHANGE,
            ulStateMask: sys::MAPIOFFLINE_STATE_ALL,
        };
        let mut token = 0;
        check(
            "Advise",
            (vtbl.Advise)(mgr, sys::MAPIOFFLINE_ADVISE_DEFAULT, &mut info, &mut token).0,
        );
        println!(
            "  token {token}; sink reference count {}",
            Sink::ref_count(&sink)
        );

        for (name, target) in [
            ("offline", sys::MAPIOFFLINE_STATE_OFFLINE),
            ("online", sys::MAPIOFFLINE_STATE_ONLINE),
        ] {
            println!("SetCurrentState({name}, MAPIOFFLINE_FLAG_BLOCK):");
            let hr = (vtbl.base__.SetCurrentState)(
                mgr,
                sys::MAPIOFFLINE_FLAG_BLOCK,
                sys::MAPIOFFLINE_STATE_OFFLINE_MASK,
                target,
                ptr::null_mut(),
            );
            check("SetCurrentState", hr.0);
        }

        check(
            "Unadvise",
            (vtbl.Unadvise)(mgr, sys::MAPIOFFLINE_UNADVISE_DEFAULT, token).0,
        );
        println!("  sink reference count {}", Sink::ref_count(&sink));
        let hr = (vtbl.Unadvise)(mgr, sys::MAPIOFFLINE_UNADVISE_DEFAULT, token);
        println!(
            "Unadvise again = {:#010x} (E_INVALIDARG: the token is gone)",
            hr.0 as u32
        );
    }
}
