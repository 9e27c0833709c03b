//! The COM object behind every [`Sink`](crate::Sink): layout, vtable, and the four methods.
//!
//! # Layout
//! `SinkObject<T>` is `#[repr(C)]`: a pointer to a `'static` vtable, the reference count, then
//! the user's `T` (16 bytes + `T` on 64-bit targets, for a `T` aligned to at most 8). A pointer to the object is a pointer to its
//! vtable pointer, so the one address is both the `IMAPIOfflineNotify*` and the identity
//! `IUnknown*`. [`Header`] is the object's first two fields: `QueryInterface` and `AddRef` do not
//! depend on `T`, so they are compiled once, not once per sink type.
//!
//! # Invariants
//! - An object is made only by [`SinkObject::create`], in a heap allocation of
//!   `Layout::new::<SinkObject<T>>()`, with a count of 1.
//! - Every vtable function is called with `this` pointing to a live object on which the caller
//!   holds a counted reference, so the object outlives the call. That is the COM contract; a
//!   caller that breaks it has already corrupted its own process.
//! - `T` is only reached through `&T`, from any thread at once; `NotifySink: Send + Sync` makes
//!   that sound. The one exclusive access is dropping `T`, after the count reached zero.
//! - `T` is dropped exactly once and the allocation freed exactly once, by the `Release` that
//!   takes the count to zero.
//! - No panic unwinds out of a vtable function: the user's code runs under `catch_unwind` and
//!   the panic is logged or aborts, as `on_panic` says.

use crate::notification::{copy_partial, copy_whole, Notification};
use crate::refcount::RefCount;
use crate::sys::{self, IMAPIOfflineNotify_Vtbl, MAPIOFFLINE_NOTIFY};
use crate::{__private::OnPanic, NotifySink};
use core::ffi::c_void;
use core::ptr::{self, NonNull};
use std::alloc::{dealloc, Layout};
use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};
use windows_core::{IUnknown_Vtbl, GUID, HRESULT};

/// The part of every `SinkObject<T>` that does not depend on `T`.
#[repr(C)]
pub(crate) struct Header {
    vtable: &'static IMAPIOfflineNotify_Vtbl,
    pub(crate) count: RefCount,
}

#[repr(C)]
pub(crate) struct SinkObject<T> {
    header: Header,
    pub(crate) value: T,
}

impl<T: NotifySink> SinkObject<T> {
    const VTABLE: IMAPIOfflineNotify_Vtbl = IMAPIOfflineNotify_Vtbl {
        base__: IUnknown_Vtbl {
            QueryInterface: query_interface,
            AddRef: add_ref,
            Release: release::<T>,
        },
        Notify: notify::<T>,
    };

    /// A new object holding `value`, with a count of 1 owned by the caller.
    pub(crate) fn create(value: T) -> NonNull<Self> {
        let object = Box::new(SinkObject {
            header: Header {
                vtable: &Self::VTABLE,
                count: RefCount::new(),
            },
            value,
        });
        // SAFETY: `Box::into_raw` never returns null.
        let object = unsafe { NonNull::new_unchecked(Box::into_raw(object)) };
        #[cfg(feature = "trace")]
        crate::trace::created(object.as_ptr().cast(), std::any::type_name::<T>());
        object
    }
}

/// The header of the object at `this`.
///
/// # Safety
/// `this` points to a live `SinkObject<_>` (see the module invariants).
#[inline(always)]
pub(crate) unsafe fn header<'a>(this: *mut c_void) -> &'a Header {
    // SAFETY: every `SinkObject<T>` begins with a `Header` (`#[repr(C)]`), and it is live.
    unsafe { &*this.cast::<Header>() }
}

/// Slot 0. Answers the object's interfaces with the object's one pointer.
unsafe extern "system" fn query_interface(
    this: *mut c_void,
    iid: *const GUID,
    ppv: *mut *mut c_void,
) -> HRESULT {
    if ppv.is_null() {
        log::warn!("IUnknown::QueryInterface called with a null ppv; returning E_POINTER");
        return sys::E_POINTER;
    }
    if iid.is_null() {
        log::warn!("IUnknown::QueryInterface called with a null riid; returning E_POINTER");
        // SAFETY: `ppv` is non-null, and COM callers pass a writable out pointer.
        unsafe { ppv.write(ptr::null_mut()) };
        return sys::E_POINTER;
    }
    // SAFETY: non-null, and COM callers pass a readable IID.
    let iid = unsafe { &*iid };
    if *iid == sys::IID_IMAPIOfflineNotify
        || *iid == sys::IID_IUnknown
        || *iid == sys::IID_IAgileObject
    {
        // SAFETY: the caller holds a reference to the live object at `this`; `ppv` is writable.
        unsafe {
            header(this).count.add_ref();
            ppv.write(this);
        }
        #[cfg(feature = "trace")]
        crate::trace::query_interface(this, iid, sys::S_OK);
        return sys::S_OK;
    }
    #[cfg(windows)]
    if *iid == sys::IID_IMarshal {
        // The free-threaded marshaler, as a tear-off that holds a reference to this object
        // (so the object stays 16 bytes + T): a `Send + Sync` sink is truly agile.
        // SAFETY: the reference added here is the one the `IUnknown` handed over owns.
        let result = unsafe {
            header(this).count.add_ref();
            windows_core::imp::marshaler(windows_core::Interface::from_raw(this), ppv)
        };
        #[cfg(feature = "trace")]
        crate::trace::query_interface(this, iid, result);
        return result;
    }
    // SAFETY: `ppv` is non-null and writable.
    unsafe { ppv.write(ptr::null_mut()) };
    #[cfg(feature = "trace")]
    crate::trace::query_interface(this, iid, sys::E_NOINTERFACE);
    sys::E_NOINTERFACE
}

/// Slot 1.
pub(crate) unsafe extern "system" fn add_ref(this: *mut c_void) -> u32 {
    // SAFETY: the caller holds a reference to the live object at `this`.
    let count = unsafe { header(this).count.add_ref() };
    #[cfg(feature = "trace")]
    crate::trace::add_ref(this, count);
    count
}

/// Slot 2. The release that reaches zero drops `T` and frees the object.
pub(crate) unsafe extern "system" fn release<T: NotifySink>(this: *mut c_void) -> u32 {
    // SAFETY: the caller holds a reference to the live object at `this`.
    let remaining = unsafe { header(this).count.release() };
    #[cfg(feature = "trace")]
    crate::trace::release(this, std::any::type_name::<T>(), remaining);
    if remaining == 0 {
        // SAFETY: the count reached zero, so this thread holds the only reference, and the
        // count's Acquire fence has made every other thread's use of the object visible.
        unsafe { destroy::<T>(this.cast()) };
    }
    remaining
}

/// Drops `T` (containing a panic from its `Drop`) and frees the allocation.
///
/// # Safety
/// `object` came from [`SinkObject::create`], and the caller holds its only reference.
unsafe fn destroy<T: NotifySink>(object: *mut SinkObject<T>) {
    #[cfg(feature = "trace")]
    crate::trace::destroyed(object.cast());
    // SAFETY: exclusive access (the caller's promise); `value` is initialised and dropped once.
    let dropped = catch_unwind(AssertUnwindSafe(|| unsafe {
        ptr::drop_in_place(ptr::addr_of_mut!((*object).value))
    }));
    // Freed whatever `T`'s `Drop` did: the allocation is ours, and `T` is gone either way.
    // SAFETY: allocated by `Box` with this layout in `create`, and not freed before.
    unsafe { dealloc(object.cast(), Layout::new::<SinkObject<T>>()) };
    if let Err(payload) = dropped {
        contained(T::__ON_PANIC, std::any::type_name::<T>(), "drop", payload);
    }
}

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
/// # Safety
/// As `notify`.
#[cold]
#[inline(never)]
unsafe fn notify_partial<T: NotifySink>(this: *mut c_void, info: *const MAPIOFFLINE_NOTIFY) {
    // SAFETY: the caller promises `info` is null or covers `ulSize` bytes.
    if let Some(copy) = unsafe { copy_partial(info) } {
        // SAFETY: the caller holds a reference to the live object at `this`.
        unsafe { deliver::<T>(this, &copy) }
    }
}

/// Runs the user's `notify` on `copy`, containing a panic.
///
/// # Safety
/// `this` is a live `SinkObject<T>` on which the caller holds a reference.
#[inline(always)]
unsafe fn deliver<T: NotifySink>(this: *mut c_void, copy: &MAPIOFFLINE_NOTIFY) {
    // SAFETY: the caller's promise; the type is `SinkObject<T>` because `notify::<T>` is only
    // ever in `SinkObject::<T>::VTABLE`.
    let value = unsafe { &(*this.cast::<SinkObject<T>>()).value };
    let info = Notification::new(copy);
    if let Err(payload) = catch_unwind(AssertUnwindSafe(|| value.__notify(&info))) {
        contained(T::__ON_PANIC, std::any::type_name::<T>(), "notify", payload);
    }
}

/// Reports a panic caught at the COM boundary, as `on_panic` says.
#[cold]
#[inline(never)]
fn contained(on_panic: OnPanic, type_name: &str, during: &str, payload: Box<dyn Any + Send>) {
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(a panic payload that is not a string)");
    match on_panic {
        OnPanic::Log => {
            // A logger that panics must not unwind into the COM caller either.
            let _ = catch_unwind(|| {
                log::error!(
                    "{type_name}: panic in {during} contained at the COM boundary: {message} \
                     (on_panic = \"log\"; the sink keeps working)"
                )
            });
        }
        OnPanic::Abort => {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "mapi_notify_sink: {type_name}: panic in {during}: {message}; aborting (on_panic = \"abort\")"
            );
            std::process::abort();
        }
    }
    // Dropping the payload runs its `Drop`, which could panic in turn: then leak it.
    if let Err(again) = catch_unwind(AssertUnwindSafe(move || drop(payload))) {
        core::mem::forget(again);
    }
}
