//! The class factory `DllGetClassObject` hands out and COM asks for the add-in object, made on
//! the object core of every sink. Bound to its apartment as the class it makes is
//! (`ThreadingModel = Apartment`): no `IAgileObject`, no free-threaded marshaler, so COM
//! marshals it like any apartment object.
//!
//! # Invariants (the unsafe parts)
//! Its slots are only in `Factory<A>`'s vtable, so their `this` is a live factory on which the
//! caller holds a reference.

use super::{module, object, OutlookAddIn};
use crate::com::{self, Kind, OnPanic, Serve};
use crate::sys::{self, IClassFactory};
use core::ffi::c_void;
use core::marker::PhantomData;
use windows_core::{Interface, GUID, HRESULT};

impl Kind for IClassFactory {
    const AGILE: bool = false;
}

/// Makes `A`'s add-in objects.
pub(crate) struct Factory<A>(PhantomData<fn() -> A>);

impl<A: OutlookAddIn> Factory<A> {
    /// A new factory, `QueryInterface`d for `iid` into `out`.
    ///
    /// # Safety
    /// `iid` is readable and `out` writable.
    pub(crate) unsafe fn create(iid: *const GUID, out: *mut *mut c_void) -> HRESULT {
        let factory = com::ComRef::<IClassFactory, _>::new(Factory::<A>(PhantomData));
        // SAFETY: the caller's promise; `factory` holds a reference throughout.
        unsafe { factory.to_unknown().query(iid, out) }
    }
}

// SAFETY: the vtable starts with `unknown_slots` for this kind and type; its two slots after
// them are written for a `Factory<A>`, which is `Send + Sync` (it holds nothing).
unsafe impl<A: OutlookAddIn> Serve<IClassFactory> for Factory<A> {
    const VTABLE: &'static sys::IClassFactory_Vtbl = &sys::IClassFactory_Vtbl {
        base__: com::unknown_slots::<IClassFactory, Self>(),
        CreateInstance: create_instance::<A>,
        LockServer: lock_server,
    };
    const ON_PANIC: OnPanic = OnPanic::Log;
}

unsafe extern "system" fn create_instance<A: OutlookAddIn>(
    this: *mut c_void,
    outer: *mut c_void,
    iid: *const GUID,
    out: *mut *mut c_void,
) -> HRESULT {
    let create = |_: &Factory<A>| {
        if out.is_null() {
            return sys::E_POINTER;
        }
        // SAFETY: non-null and writable (COM's contract).
        unsafe { out.write(core::ptr::null_mut()) };
        if iid.is_null() {
            return sys::E_POINTER;
        }
        if !outer.is_null() {
            log::warn!("IClassFactory::CreateInstance: aggregation asked for; refused");
            return sys::CLASS_E_NOAGGREGATION;
        }
        // SAFETY: `iid` readable and `out` writable, checked above.
        unsafe { object::create::<A>(iid, out) }
    };
    // SAFETY: the module invariants.
    unsafe { com::call_contained::<IClassFactory, Factory<A>, _>(this, "CreateInstance", create) }
        .unwrap_or(sys::E_UNEXPECTED)
}

unsafe extern "system" fn lock_server(_this: *mut c_void, lock: i32) -> HRESULT {
    if lock != 0 {
        module::lock();
    } else if !module::unlock() {
        com::log_contained(|| log::warn!("IClassFactory::LockServer(FALSE) without a lock"));
        return sys::E_UNEXPECTED;
    }
    sys::S_OK
}
