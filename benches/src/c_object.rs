//! The `limit` for AddRef + Release and for create + final Release: an `IMAPIOfflineNotify`
//! object written the way a C or C++ programmer writes one by hand, and nothing more: a
//! `#[repr(C)]` struct whose first field points to a static vtable, an atomic count
//! (`InterlockedIncrement` / `InterlockedDecrement`, with `Arc`'s orderings), `QueryInterface`
//! comparing the three IIDs, and `delete this` when the count reaches zero. No panic
//! containment, no overflow check, no logging.

use super::*;
use core::sync::atomic::fence;

/// The object.
#[repr(C)]
pub struct CObject {
    vtable: &'static IMAPIOfflineNotify_Vtbl,
    count: AtomicU32,
    /// Notifications counted (its `Notify` is [`by_hand`]).
    pub counter: AtomicU32,
}

static VTABLE: IMAPIOfflineNotify_Vtbl = IMAPIOfflineNotify_Vtbl {
    base__: windows_core::IUnknown_Vtbl {
        QueryInterface: query_interface,
        AddRef: add_ref,
        Release: release,
    },
    Notify: notify,
};

unsafe extern "system" fn query_interface(
    this: *mut c_void,
    iid: *const GUID,
    ppv: *mut *mut c_void,
) -> HRESULT {
    // SAFETY: a COM caller passes a readable IID and a writable out pointer.
    unsafe {
        let iid = &*iid;
        if *iid == sys::IID_IMAPIOfflineNotify
            || *iid == sys::IID_IUnknown
            || *iid == sys::IID_IAgileObject
        {
            add_ref(this);
            *ppv = this;
            sys::S_OK
        } else {
            *ppv = ptr::null_mut();
            sys::E_NOINTERFACE
        }
    }
}

unsafe extern "system" fn add_ref(this: *mut c_void) -> u32 {
    // SAFETY: the caller holds a reference to the live object.
    unsafe {
        (*this.cast::<CObject>())
            .count
            .fetch_add(1, Ordering::Relaxed)
            + 1
    }
}

unsafe extern "system" fn release(this: *mut c_void) -> u32 {
    let object = this.cast::<CObject>();
    // SAFETY: the caller holds a reference to the live object.
    let remaining = unsafe { (*object).count.fetch_sub(1, Ordering::Release) } - 1;
    if remaining == 0 {
        fence(Ordering::Acquire);
        // SAFETY: the last reference: made by `Box::new` in `Owned::new`, freed once.
        drop(unsafe { Box::from_raw(object) });
    }
    remaining
}

unsafe extern "system" fn notify(this: *mut c_void, info: *const MAPIOFFLINE_NOTIFY) {
    // SAFETY: the caller holds a reference; `info` as the COM caller promises.
    unsafe { by_hand(&(*this.cast::<CObject>()).counter, info) }
}

/// One reference to a [`CObject`], released when dropped.
pub struct Owned(*mut c_void);

impl Owned {
    /// A new object with a count of 1, owned by the result.
    #[inline(always)]
    pub fn new() -> Self {
        let object = Box::new(CObject {
            vtable: &VTABLE,
            count: AtomicU32::new(1),
            counter: AtomicU32::new(0),
        });
        Self(Box::into_raw(object).cast())
    }

    /// The object's `IMAPIOfflineNotify*`, borrowed.
    pub fn as_raw(&self) -> *mut c_void {
        self.0
    }

    /// Gives the reference away.
    #[inline(always)]
    pub fn into_raw(self) -> *mut c_void {
        let raw = self.0;
        core::mem::forget(self);
        raw
    }
}

impl Default for Owned {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for Owned {
    fn drop(&mut self) {
        // SAFETY: this reference is owned.
        unsafe { release(self.0) };
    }
}
