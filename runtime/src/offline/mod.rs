//! The offline kind: Outlook's Offline State API. [`Sink<T>`] and the [`NotifySink`] trait,
//! `IMAPIOfflineNotify`'s own slot (`Notify`), the [`Notification`] it delivers
//! (`notification`), the [`OfflineManager`] client of `IMAPIOfflineMgr` (`manager`) and
//! `OfflineManager::open` (`open`, Windows). The COM object itself (count, `QueryInterface`,
//! identity, agility, panic containment) is the shared one in `com`.
//!
//! # Invariants (the unsafe parts)
//! - `notify::<T>` is only ever in `<T as com::Serve<IMAPIOfflineNotify>>::VTABLE`, so its
//!   `this` is a live object made for this kind and this `T`, on which the caller holds a
//!   reference.
//! - The caller's `MAPIOFFLINE_NOTIFY` is read only by `notification::copy_whole` and
//!   `copy_partial`, which never read at or past its `ulSize`.

mod manager;
mod notification;
#[cfg(windows)]
mod open;

pub use manager::{Advise, AdviseOptions, Capabilities, OfflineManager, SetStateMode};
pub use notification::{ConnectionState, Notification, NotifyKind, StateChange};

use crate::com::{self, sink_handle_api, ComRef, OnPanic};
use crate::sys::{IMAPIOfflineNotify, MAPIOFFLINE_NOTIFY};
use core::ffi::c_void;
use notification::{copy_partial, copy_whole};

/// A type `#[mapi_notify_sink]` has made into an `IMAPIOfflineNotify` COM object.
///
/// Implemented by the attribute; never implement it by hand. Outlook may call a sink from any
/// thread, while other threads add and release references, hence `Send + Sync`; and a COM object
/// lives as long as its last reference, hence `'static`.
///
/// Code generic over sinks names it as the bound:
///
/// ```
/// use mapi_notify_sink::{mapi_notify_sink, Notification, NotifySink, Sink};
///
/// fn pointer_for_outlook<T: NotifySink>(value: T) -> *mut core::ffi::c_void {
///     Sink::new(value).into_raw() // Outlook's to Release
/// }
///
/// struct Quiet;
///
/// #[mapi_notify_sink]
/// impl Quiet {
///     fn notify(&self, _info: &Notification<'_>) {}
/// }
///
/// let raw = pointer_for_outlook(Quiet);
/// // SAFETY: the reference `into_raw` gave away, taken back once.
/// drop(unsafe { Sink::<Quiet>::from_raw(raw) });
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a notification sink",
    label = "not a notification sink",
    note = "put `#[mapi_notify_sink]` on an `impl {Self}` block that defines `fn notify(&self, info: &Notification<'_>)`"
)]
pub trait NotifySink: Send + Sync + 'static {
    #[doc(hidden)]
    const __ON_PANIC: OnPanic = OnPanic::Log;

    #[doc(hidden)]
    fn __notify(&self, info: &Notification<'_>);
}

/// One counted reference to a heap COM object that implements `IUnknown` and
/// `IMAPIOfflineNotify` by calling `T`'s `notify`.
///
/// `Clone` is `AddRef`, `Drop` is `Release`; the last release drops `T` exactly once.
///
/// ```
/// use mapi_notify_sink::{mapi_notify_sink, Notification, Sink};
/// use std::sync::atomic::{AtomicU32, Ordering};
///
/// struct Counter(AtomicU32);
///
/// #[mapi_notify_sink]
/// impl Counter {
///     fn notify(&self, _info: &Notification<'_>) {
///         self.0.fetch_add(1, Ordering::Relaxed);
///     }
/// }
///
/// let sink = Sink::new(Counter(AtomicU32::new(0)));
/// assert_eq!(Sink::ref_count(&sink), 1);
/// let ptr = sink.as_raw(); // the IMAPIOfflineNotify* to hand to Outlook
/// assert!(!ptr.is_null());
/// assert_eq!(sink.0.load(Ordering::Relaxed), 0); // Deref reaches the `Counter`
/// ```
pub struct Sink<T: NotifySink>(ComRef<IMAPIOfflineNotify, T>);

impl<T: NotifySink> Sink<T> {
    /// Moves `value` into a new COM object; the returned `Sink` holds its one reference.
    pub fn new(value: T) -> Self {
        Self(ComRef::new(value))
    }
}

sink_handle_api!(
    Sink<T: NotifySink> implements IMAPIOfflineNotify(IMAPIOfflineNotify_Vtbl { Notify: notify })
);

/// Slot 3. Copies the caller's notification and hands it to the user's `notify`.
unsafe extern "system" fn notify<T: NotifySink>(
    this: *mut c_void,
    info: *const MAPIOFFLINE_NOTIFY,
) {
    // SAFETY: the caller promises `info` is null or covers `ulSize` bytes.
    match unsafe { copy_whole(info) } {
        // SAFETY: the caller holds a reference to the live object at `this`.
        Some(copy) => unsafe { deliver::<T>(this, &copy) },
        // Kept apart so the common path's copy never has to meet this one in memory.
        // SAFETY: passed on from the caller.
        None => unsafe { notify_partial::<T>(this, info) },
    }
}

/// A null or shorter-than-whole notification: refused, or delivered as far as it was sent.
///
/// `extern "system"` like `notify`, so the call cannot unwind (a panic here would abort at
/// either boundary; `deliver` contains the user's): `notify` then needs no landing pad for it,
/// calls it as a tail call, and its common path has no stack frame.
///
/// # Safety
/// As `notify`.
#[cold]
#[inline(never)]
unsafe extern "system" fn notify_partial<T: NotifySink>(
    this: *mut c_void,
    info: *const MAPIOFFLINE_NOTIFY,
) {
    // SAFETY: the caller promises `info` is null or covers `ulSize` bytes.
    if let Some(copy) = unsafe { copy_partial(info) } {
        // SAFETY: the caller holds a reference to the live object at `this`.
        unsafe { deliver::<T>(this, &copy) }
    }
}

/// Runs the user's `notify` on `copy`, containing a panic.
///
/// # Safety
/// `this` is a live object of this kind and `T`, on which the caller holds a reference.
#[inline(always)]
unsafe fn deliver<T: NotifySink>(this: *mut c_void, copy: &MAPIOFFLINE_NOTIFY) {
    let info = Notification::new(copy);
    // SAFETY: the caller's promise; `notify::<T>` is only in `T`'s own vtable.
    let _ = unsafe {
        com::call_contained::<IMAPIOfflineNotify, T, _>(this, "notify", |value| {
            value.__notify(&info)
        })
    };
}
