//! The smallest complete sink: declare it, make the COM object, and call it through its
//! vtable exactly as Outlook would (QueryInterface, Notify, Release).
//!
//! Run with `cargo run --example minimal_sink`.

use mapi_notify_sink::{mapi_notify_sink, sys, Notification, Sink};
use std::ffi::c_void;
use std::ptr;
use std::sync::atomic::{AtomicU32, Ordering};

struct Printer {
    received: AtomicU32,
}

#[mapi_notify_sink]
impl Printer {
    fn notify(&self, info: &Notification<'_>) {
        let n = self.received.fetch_add(1, Ordering::Relaxed) + 1;
        match info.state_change() {
            Some(change) => println!(
                "  sink saw #{n}: {:?}, token {}, {:?} -> {:?}",
                info.kind(),
                info.client_token(),
                change.old,
                change.new
            ),
            None => println!(
                "  sink saw #{n}: {:?}, token {}, no state change",
                info.kind(),
                info.client_token()
            ),
        }
    }
}

impl Drop for Printer {
    fn drop(&mut self) {
        println!(
            "Printer dropped after {} notifications",
            self.received.load(Ordering::Relaxed)
        );
    }
}

/// A notification as Outlook lays it out.
fn notification(
    kind: sys::MAPIOFFLINE_NOTIFY_TYPE,
    token: u32,
    old: u32,
    new: u32,
) -> sys::MAPIOFFLINE_NOTIFY {
    let mut raw = sys::MAPIOFFLINE_NOTIFY {
        ulSize: size_of::<sys::MAPIOFFLINE_NOTIFY>() as u32,
        NotifyType: kind,
        ulClientToken: token,
        ..Default::default()
    };
    raw.Info.StateChange = sys::MAPIOFFLINE_NOTIFY_0_0 {
        ulMask: sys::MAPIOFFLINE_STATE_OFFLINE_MASK,
        ulStateOld: old,
        ulStateNew: new,
    };
    raw
}

fn main() {
    mapi_notify_sink_examples::init_logging();

    let sink = Sink::new(Printer {
        received: AtomicU32::new(0),
    });
    let unknown = sink.as_raw();
    println!(
        "sink created at {unknown:p}, reference count {}",
        Sink::ref_count(&sink)
    );

    // SAFETY: `unknown` is a live COM object (we hold `sink`); every call follows the
    // IUnknown/IMAPIOfflineNotify contract: valid IIDs, out pointers and notification sizes.
    unsafe {
        let vtable = &**(unknown as *const *const sys::IMAPIOfflineNotify_Vtbl);

        let mut notify: *mut c_void = ptr::null_mut();
        let hr = (vtable.base__.QueryInterface)(unknown, &sys::IID_IMAPIOfflineNotify, &mut notify);
        println!(
            "QueryInterface(IID_IMAPIOfflineNotify) = {:#010x}, same pointer: {}",
            hr.0,
            notify == unknown
        );
        println!("reference count now {}", Sink::ref_count(&sink));

        let mut other: *mut c_void = ptr::NonNull::dangling().as_ptr(); // not null, to see it cleared
        let hr = (vtable.base__.QueryInterface)(unknown, &sys::IID_IMAPIOfflineMgr, &mut other);
        println!(
            "QueryInterface(IID_IMAPIOfflineMgr) = {:#010x} (E_NOINTERFACE), out pointer null: {}",
            hr.0,
            other.is_null()
        );

        let (online, offline) = (
            sys::MAPIOFFLINE_STATE_ONLINE,
            sys::MAPIOFFLINE_STATE_OFFLINE,
        );
        println!("Notify x3: going offline");
        for kind in [
            sys::MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE_START,
            sys::MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE,
            sys::MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE_DONE,
        ] {
            (vtable.Notify)(notify, &notification(kind, 42, online, offline));
        }

        println!("Notify with ulSize 8 (a malformed caller): refused, with a warning");
        let mut truncated = notification(
            sys::MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE,
            42,
            offline,
            online,
        );
        truncated.ulSize = 8;
        (vtable.Notify)(notify, &truncated);

        let remaining = (vtable.base__.Release)(notify);
        println!("Release() = {remaining}");
    }
    drop(sink);
}
