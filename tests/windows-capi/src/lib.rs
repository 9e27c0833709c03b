//! A real `#[mapi_notify_sink]` sink behind a four-function C API, so that a C++ program can link
//! the runtime as a static library and drive the sink the way Outlook does.
//!
//! `scripts/windows/cpp-caller.sh` builds this crate for `x86_64-pc-windows-gnu`, links it into
//! `caller.cpp` (compiled by mingw-w64's g++ against the real `<unknwn.h>` and `<objbase.h>`)
//! and runs the program under Wine. The C++ side makes every COM call itself, through the
//! vtable; this API only creates the sink and reports what the Rust type's `notify` recorded and
//! how many times it was dropped, so the program can compare what it sent with what arrived.
//!
//! The C declarations, which `caller.cpp` repeats:
//!
//! ```c
//! typedef struct { uint32_t kind, client_token, has_state_change, old_state, new_state, size; } CapiSeen;
//! void *capi_sink_new(void);                                       /* IUnknown*, one reference */
//! int32_t capi_sink_seen(void *sink, uint32_t index, CapiSeen *out); /* 1, 0 past the end, -1 */
//! uint32_t capi_sink_count(void *sink);                            /* reference count now */
//! uint32_t capi_sink_drops(void);                                  /* sinks dropped so far */
//! uint32_t capi_dispatch_check(void *dispatch, uint32_t *passed);  /* failed; Windows only */
//! ```
//!
//! Nothing here is Windows-specific: the crate is a workspace member and builds, and is tested,
//! on every target.

mod dispatch;
mod events;

use core::ffi::c_void;
use core::mem::ManuallyDrop;
use mapi_notify_sink::{mapi_notify_sink, Notification, NotifyKind, Sink};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, PoisonError};

/// What the sink's `notify` saw in one call, as plain integers (`#[repr(C)]`, 24 bytes).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CapiSeen {
    /// `Notification::kind` as the raw `NotifyType`: 1, 2 or 3, or the value inside `Other`.
    pub kind: u32,
    /// `Notification::client_token`.
    pub client_token: u32,
    /// 1 if `Notification::state_change` was `Some`, else 0 (and the two states are 0).
    pub has_state_change: u32,
    /// The change's `old` state, as `ConnectionState::bits`.
    pub old_state: u32,
    /// The change's `new` state, as `ConnectionState::bits`.
    pub new_state: u32,
    /// `Notification::raw().ulSize`: the size the caller sent.
    pub size: u32,
}

/// How many `Recorder`s have been dropped: the tombstone that proves the last `Release` freed
/// the sink exactly once. A static, because it must outlive the object it counts.
static DROPS: AtomicU32 = AtomicU32::new(0);

/// The sink: it records every notification, in order.
struct Recorder {
    seen: Mutex<Vec<CapiSeen>>,
}

impl Drop for Recorder {
    fn drop(&mut self) {
        DROPS.fetch_add(1, Ordering::SeqCst);
    }
}

#[mapi_notify_sink]
impl Recorder {
    fn notify(&self, info: &Notification<'_>) {
        let kind = match info.kind() {
            NotifyKind::StateChangeStart => 1,
            NotifyKind::StateChange => 2,
            NotifyKind::StateChangeDone => 3,
            NotifyKind::Other(raw) => raw,
        };
        let change = info.state_change();
        let seen = CapiSeen {
            kind,
            client_token: info.client_token(),
            has_state_change: u32::from(change.is_some()),
            old_state: change.map_or(0, |change| change.old.bits()),
            new_state: change.map_or(0, |change| change.new.bits()),
            size: info.raw().ulSize,
        };
        self.seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(seen);
    }
}

/// Borrows the `Recorder` sink at `sink` without taking or giving up a reference.
///
/// # Safety
/// `sink` is null or a pointer to a live sink from [`capi_sink_new`] (or a `QueryInterface` on
/// one) on which the caller holds a reference for as long as the result is used.
unsafe fn borrow(sink: *mut c_void) -> Option<ManuallyDrop<Sink<Recorder>>> {
    // SAFETY: the caller's reference keeps the object alive; `ManuallyDrop` makes sure the
    // borrowed `Sink` never releases the reference it stands for.
    (!sink.is_null()).then(|| ManuallyDrop::new(unsafe { Sink::from_raw(sink) }))
}

/// A new sink: its identity `IUnknown*` (also its `IMAPIOfflineNotify*`), with one reference
/// that the caller owns and gives up with `Release`.
#[no_mangle]
pub extern "C" fn capi_sink_new() -> *mut c_void {
    Sink::new(Recorder {
        seen: Mutex::new(Vec::new()),
    })
    .into_raw()
}

/// Copies the `index`th notification the sink saw (from 0, in order) to `*out`.
///
/// Returns 1 when it did, 0 when the sink has seen no more than `index` notifications, and -1
/// when `sink` or `out` is null.
///
/// # Safety
/// `sink` is null or a live sink from [`capi_sink_new`] on which the caller holds a reference;
/// `out` is null or valid for writing a `CapiSeen`.
#[no_mangle]
pub unsafe extern "C" fn capi_sink_seen(sink: *mut c_void, index: u32, out: *mut CapiSeen) -> i32 {
    // SAFETY: the caller's promise about `sink`.
    let Some(sink) = (unsafe { borrow(sink) }) else {
        return -1;
    };
    if out.is_null() {
        return -1;
    }
    let seen = sink.seen.lock().unwrap_or_else(PoisonError::into_inner);
    match seen.get(index as usize) {
        Some(one) => {
            // SAFETY: `out` is non-null and, by the caller's promise, writable.
            unsafe { out.write(*one) };
            1
        }
        None => 0,
    }
}

/// The sink's reference count right now (0 for a null `sink`).
///
/// # Safety
/// `sink` is null or a live sink from [`capi_sink_new`] on which the caller holds a reference.
#[no_mangle]
pub unsafe extern "C" fn capi_sink_count(sink: *mut c_void) -> u32 {
    // SAFETY: the caller's promise about `sink`.
    unsafe { borrow(sink) }.map_or(0, |sink| Sink::ref_count(&sink))
}

/// How many sinks this process has dropped (the final `Release` of each drops it once).
#[no_mangle]
pub extern "C" fn capi_sink_drops() -> u32 {
    DROPS.load(Ordering::SeqCst)
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::ptr;
    use mapi_notify_sink::sys::{self, IMAPIOfflineNotify_Vtbl, MAPIOFFLINE_NOTIFY};

    /// The C API round trip, from Rust through the raw vtable, as the C++ caller does it.
    #[test]
    fn records_what_notify_saw_and_drops_once() {
        let sink = capi_sink_new();
        // SAFETY: `sink` is a live sink object whose first field is its vtable pointer; the
        // reference `capi_sink_new` gave this test is held until the final `Release` below.
        unsafe {
            let vtable = &**sink.cast::<*const IMAPIOfflineNotify_Vtbl>();
            assert_eq!(capi_sink_count(sink), 1);

            let mut change = MAPIOFFLINE_NOTIFY {
                ulSize: 24,
                NotifyType: sys::MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE,
                ulClientToken: 7,
                ..Default::default()
            };
            change.Info.StateChange = sys::MAPIOFFLINE_NOTIFY_0_0 {
                ulMask: sys::MAPIOFFLINE_STATE_OFFLINE_MASK,
                ulStateOld: sys::MAPIOFFLINE_STATE_OFFLINE,
                ulStateNew: sys::MAPIOFFLINE_STATE_ONLINE,
            };
            (vtable.Notify)(sink, &change);
            let header_only = MAPIOFFLINE_NOTIFY {
                ulSize: 12,
                NotifyType: sys::MAPIOFFLINE_NOTIFY_TYPE(42),
                ulClientToken: 8,
                ..Default::default()
            };
            (vtable.Notify)(sink, &header_only);

            let mut seen = CapiSeen::default();
            assert_eq!(capi_sink_seen(sink, 0, &mut seen), 1);
            assert_eq!(
                seen,
                CapiSeen {
                    kind: 2,
                    client_token: 7,
                    has_state_change: 1,
                    old_state: sys::MAPIOFFLINE_STATE_OFFLINE,
                    new_state: sys::MAPIOFFLINE_STATE_ONLINE,
                    size: 24,
                }
            );
            assert_eq!(capi_sink_seen(sink, 1, &mut seen), 1);
            assert_eq!(
                seen,
                CapiSeen {
                    kind: 42,
                    client_token: 8,
                    size: 12,
                    ..Default::default()
                }
            );
            assert_eq!(capi_sink_seen(sink, 2, &mut seen), 0);
            assert_eq!(capi_sink_seen(sink, 0, ptr::null_mut()), -1);
            assert_eq!(capi_sink_seen(ptr::null_mut(), 0, &mut seen), -1);
            assert_eq!(capi_sink_count(ptr::null_mut()), 0);

            assert_eq!(capi_sink_drops(), 0);
            assert_eq!((vtable.base__.Release)(sink), 0);
        }
        assert_eq!(capi_sink_drops(), 1, "tombstone: exactly one drop");
    }
}
