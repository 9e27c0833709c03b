//! The object: its layout, `IUnknown`'s three slots, and [`ComRef`], one counted reference.
//!
//! # Layout
//! `Object<T>` is `#[repr(C)]`: a pointer to a `'static` vtable, the reference count, then the
//! user's `T` (16 bytes + `T` on 64-bit targets, for a `T` aligned to at most 8). A pointer to
//! the object is a pointer to its vtable pointer, so the one address is both the kind's
//! interface pointer and the identity `IUnknown*`. [`Header`] is the object's first two
//! fields: `AddRef` does not depend on `T` or the kind, so it is compiled once, and
//! `QueryInterface` once per kind, not once per sink type.
//!
//! # Invariants
//! - An object is made only by [`ComRef::new`], in a heap allocation of
//!   `Layout::new::<Object<T>>()`, with a count of 1, and its vtable is `T::VTABLE` for the one
//!   kind `K` it was made for: the slots after `IUnknown`'s were written for `Object<T>`.
//! - Every vtable function is called with `this` pointing to a live object on which the caller
//!   holds a counted reference, so the object outlives the call. That is the COM contract; a
//!   caller that breaks it has already corrupted its own process.
//! - `T` is only reached through `&T`. An agile kind's `T` is `Send + Sync` (its `Serve` impl
//!   requires it), so that is sound from any thread at once; a kind that is not agile is
//!   called by COM on its apartment's thread only. The one exclusive access is dropping `T`,
//!   after the count reached zero.
//! - `T` is dropped exactly once and the allocation freed exactly once, by the `Release` that
//!   takes the count to zero.
//! - No panic unwinds out of a vtable function: the user's code runs under `panic::contain`
//!   ([`call_contained`], and `destroy` for `Drop`).

#[cfg(windows)]
use super::agile;
use super::hooks;
use super::panic::{self, OnPanic};
use super::refcount::RefCount;
use crate::sys;
use core::ffi::c_void;
use core::marker::PhantomData;
use core::ptr::{self, NonNull};
use std::alloc::{dealloc, Layout};
use windows_core::{IUnknown, IUnknown_Vtbl, Interface, GUID, HRESULT};

/// A kind of object: the COM interface it implements past `IUnknown`, whose vtable is the
/// object's. `QueryInterface` answers `IUnknown`, its IID and the IIDs in `ALSO` (the
/// interfaces it derives from, which share the vtable) with the object's one pointer; an
/// `AGILE` kind also answers `IAgileObject` and, on Windows, `IMarshal` with the free-threaded
/// marshaler.
pub(crate) trait Kind: Interface<Vtable: 'static> + 'static {
    /// The interfaces besides `IUnknown` and this one that the vtable implements.
    const ALSO: &'static [GUID] = &[];
    /// Callable from any apartment as itself (every sink kind); `false` for an object bound to
    /// the apartment that made it (the Outlook add-in object).
    const AGILE: bool = true;
}

impl Kind for sys::IMAPIOfflineNotify {}
impl Kind for sys::IMAPIAdviseSink {}

/// A type served as an object of kind `K`: implemented once per kind, for every type with that
/// kind's handler trait (which `#[mapi_notify_sink]` / `#[mapi_advise_sink]` implement).
///
/// # Safety
/// `VTABLE` begins with [`unknown_slots::<K, Self>()`](unknown_slots), and every slot after
/// those three expects `this` to point to a live `Object<Self>`. For an agile `K`
/// (`K::AGILE`), `Self` is `Send + Sync`.
pub(crate) unsafe trait Serve<K: Kind>: Sized + 'static {
    /// The object's vtable.
    const VTABLE: &'static K::Vtable;
    /// What a panic in the user's code (or `Drop`) does.
    const ON_PANIC: OnPanic;
}

/// The part of every `Object<T>` that depends on neither `T` nor the kind.
#[repr(C)]
pub(crate) struct Header {
    /// The kind's whole vtable, type-erased (a pointer made from the whole `K::Vtable`, so a
    /// caller may read every slot through it).
    vtable: *const c_void,
    pub(crate) count: RefCount,
}

#[repr(C)]
struct Object<T> {
    header: Header,
    value: T,
}

/// `IUnknown`'s three slots for a kind-`K` object holding `T`: the start of every vtable.
pub(crate) const fn unknown_slots<K: Kind, T: Serve<K>>() -> IUnknown_Vtbl {
    IUnknown_Vtbl {
        QueryInterface: query_interface::<K>,
        AddRef: add_ref,
        Release: release::<K, T>,
    }
}

/// The header of the object at `this`.
///
/// # Safety
/// `this` points to a live `Object<_>` (see the module invariants).
#[inline(always)]
pub(super) unsafe fn header<'a>(this: *mut c_void) -> &'a Header {
    // SAFETY: every `Object<T>` begins with a `Header` (`#[repr(C)]`), and it is live.
    unsafe { &*this.cast::<Header>() }
}

/// Slot 0. Answers the kind's interfaces with the object's one pointer.
unsafe extern "system" fn query_interface<K: Kind>(
    this: *mut c_void,
    iid: *const GUID,
    ppv: *mut *mut c_void,
) -> HRESULT {
    // SAFETY: COM callers pass a null or writable `ppv` and a null or readable `iid`.
    let iid = match unsafe { query_interface_arguments("IUnknown", iid, ppv) } {
        Ok(iid) => iid,
        Err(code) => return code,
    };
    // SAFETY: the caller holds a reference to the live object at `this`; `ppv` is writable.
    let result = unsafe { answer::<K>(this, iid, ppv) };
    // SAFETY: as above.
    hooks::query_interface(this, unsafe { &header(this).count }, iid, result);
    result
}

/// `QueryInterface`'s answer for a well-formed call.
///
/// # Safety
/// `this` is a live object of kind `K` on which the caller holds a reference; `ppv` is writable.
#[inline(always)]
unsafe fn answer<K: Kind>(this: *mut c_void, iid: &GUID, ppv: *mut *mut c_void) -> HRESULT {
    // `K::IID`, `K::AGILE` and `K::ALSO` are constants: the comparisons compile as they would
    // written out for one kind (no loop for an empty `ALSO`).
    if *iid == K::IID
        || *iid == sys::IID_IUnknown
        || (K::AGILE && *iid == sys::IID_IAgileObject)
        || K::ALSO.iter().any(|also| also == iid)
    {
        // SAFETY: the caller's promise.
        unsafe {
            header(this).count.add_ref();
            ppv.write(this);
        }
        return sys::S_OK;
    }
    #[cfg(windows)]
    if K::AGILE && *iid == sys::IID_IMarshal {
        // SAFETY: the caller's promise.
        return unsafe { agile::free_threaded_marshaler(this, ppv) };
    }
    // SAFETY: `ppv` is writable.
    unsafe { ppv.write(ptr::null_mut()) };
    sys::E_NOINTERFACE
}

/// The checks every `QueryInterface` in this crate makes first (the sinks' and the
/// simulators'): a null `ppv` or `riid` is `E_POINTER`, with `*ppv` set to null where it can be
/// written, and a `log::warn!` naming `who`.
///
/// # Safety
/// `ppv` is null or writable; `iid` is null or readable.
#[inline(always)]
pub(crate) unsafe fn query_interface_arguments<'a>(
    who: &str,
    iid: *const GUID,
    ppv: *mut *mut c_void,
) -> Result<&'a GUID, HRESULT> {
    if ppv.is_null() {
        null_argument(who, "ppv");
        return Err(sys::E_POINTER);
    }
    if iid.is_null() {
        null_argument(who, "riid");
        // SAFETY: `ppv` is non-null and writable (the caller's promise).
        unsafe { ppv.write(ptr::null_mut()) };
        return Err(sys::E_POINTER);
    }
    // SAFETY: non-null and readable (the caller's promise).
    Ok(unsafe { &*iid })
}

/// Logs a null `QueryInterface` argument. Out of line, so the common path of every
/// `QueryInterface` carries no logging code (its arguments would be set up on every call).
#[cold]
#[inline(never)]
fn null_argument(who: &str, which: &str) {
    panic::log_contained(|| {
        log::warn!("{who}: QueryInterface called with a null {which}; returning E_POINTER")
    });
}

/// Slot 1.
unsafe extern "system" fn add_ref(this: *mut c_void) -> u32 {
    // SAFETY: the caller holds a reference to the live object at `this`.
    let count = unsafe { header(this).count.add_ref() };
    hooks::add_ref(this, count);
    count
}

/// Slot 2. The release that reaches zero drops `T` and frees the object.
unsafe extern "system" fn release<K: Kind, T: Serve<K>>(this: *mut c_void) -> u32 {
    // SAFETY: the caller holds a reference to the live object at `this`.
    let remaining = unsafe { header(this).count.release() };
    hooks::release(this, std::any::type_name::<T>(), remaining);
    if remaining == 0 {
        // SAFETY: `release` returned 0: this thread held the only reference, and the count's
        // Acquire (the fence after the last decrement, or the load that saw 1 and skipped it)
        // has made every other thread's use of the object visible.
        unsafe { destroy::<K, T>(this.cast()) };
    }
    remaining
}

/// Drops `T` (containing a panic from its `Drop`) and frees the allocation.
///
/// # Safety
/// `object` was made by [`ComRef::new`] for kind `K`, and the caller holds its only reference.
unsafe fn destroy<K: Kind, T: Serve<K>>(object: *mut Object<T>) {
    hooks::destroyed(object.cast());
    let _ = panic::contain(T::ON_PANIC, std::any::type_name::<T>(), "drop", || {
        // SAFETY: exclusive access (the caller's promise); `value` is initialised and dropped
        // once.
        unsafe { ptr::drop_in_place(ptr::addr_of_mut!((*object).value)) }
    });
    // Freed whatever `T`'s `Drop` did (a panic there is reported above): the allocation is
    // ours, and `T` is gone either way.
    // SAFETY: allocated by `Box` with this layout in `ComRef::new`, and not freed before.
    unsafe { dealloc(object.cast(), Layout::new::<Object<T>>()) };
    hooks::freed();
}

/// Runs the user's code on the object's value, containing a panic as `on_panic` says: what a
/// kind's own slot calls to reach the user's method. `None` when it panicked.
///
/// # Safety
/// `this` is a live object made by [`ComRef::new`] for kind `K` and this `T` (so the caller is
/// a slot of `T::VTABLE`), on which the caller holds a reference.
#[inline(always)]
pub(crate) unsafe fn call_contained<K: Kind, T: Serve<K>, R>(
    this: *mut c_void,
    during: &'static str,
    call: impl FnOnce(&T) -> R,
) -> Option<R> {
    // SAFETY: the caller's promise: a live `Object<T>`, whose `T` is only ever shared.
    let value = unsafe { &(*this.cast::<Object<T>>()).value };
    panic::contain(T::ON_PANIC, std::any::type_name::<T>(), during, || {
        call(value)
    })
}

/// One counted reference to a kind-`K` object holding `T`: what every public sink handle is.
/// `Clone` is `AddRef`, `Drop` is `Release`.
pub(crate) struct ComRef<K: Kind, T: Serve<K>> {
    object: NonNull<Object<T>>,
    _owns: PhantomData<(K, T)>,
}

// SAFETY: a `ComRef` only gives out `&T` and moves a reference count, which is atomic; so it
// may cross threads when `T` may. The kind is only a type-level name here.
unsafe impl<K: Kind, T: Serve<K> + Send + Sync> Send for ComRef<K, T> {}
// SAFETY: as above.
unsafe impl<K: Kind, T: Serve<K> + Send + Sync> Sync for ComRef<K, T> {}

impl<K: Kind, T: Serve<K>> ComRef<K, T> {
    /// Moves `value` into a new object, with a count of 1 owned by the returned reference.
    pub(crate) fn new(value: T) -> Self {
        let object = Box::new(Object {
            header: Header {
                vtable: ptr::from_ref(T::VTABLE).cast(),
                count: RefCount::new(),
            },
            value,
        });
        // SAFETY: `Box::into_raw` never returns null.
        let object = unsafe { NonNull::new_unchecked(Box::into_raw(object)) };
        // SAFETY: just made, and owned by the reference returned below.
        let count = unsafe { &header(object.as_ptr().cast()).count };
        hooks::created(object.as_ptr().cast(), count, std::any::type_name::<T>());
        Self {
            object,
            _owns: PhantomData,
        }
    }

    /// The object's one pointer: its kind's interface pointer and its identity `IUnknown*`.
    #[inline(always)]
    pub(crate) fn as_raw(&self) -> *mut c_void {
        self.object.as_ptr().cast()
    }

    /// Gives this reference away as the raw pointer.
    pub(crate) fn into_raw(self) -> *mut c_void {
        let raw = self.as_raw();
        core::mem::forget(self);
        raw
    }

    /// Takes back one reference.
    ///
    /// # Safety
    /// `raw` points to an object made for kind `K` and this `T`, and the caller owns the
    /// reference it hands over.
    pub(crate) unsafe fn from_raw(raw: *mut c_void) -> Self {
        Self {
            object: NonNull::new(raw.cast()).expect("from_raw: null pointer"),
            _owns: PhantomData,
        }
    }

    /// The value in the object.
    #[inline(always)]
    pub(crate) fn value(&self) -> &T {
        // SAFETY: `self` holds a reference, so the object and its `T` are live; `T` is only
        // ever shared.
        unsafe { &(*self.object.as_ptr()).value }
    }

    /// The count right now (a diagnostic: other threads may change it).
    pub(crate) fn count(&self) -> u32 {
        // SAFETY: `self` holds a reference, so the object is live.
        unsafe { header(self.as_raw()).count.get() }
    }

    /// A new reference as a windows-core `IUnknown`.
    pub(crate) fn to_unknown(&self) -> IUnknown {
        // SAFETY: the reference added is the one the returned interface owns.
        unsafe { IUnknown::from_raw(self.clone().into_raw()) }
    }

    /// A new reference as the kind's windows-core interface.
    pub(crate) fn to_interface(&self) -> K {
        // SAFETY: the object implements `K` at this address (its vtable is a `K::Vtable`); the
        // reference added is the one the returned interface owns.
        unsafe { K::from_raw(self.clone().into_raw()) }
    }
}

impl<K: Kind, T: Serve<K>> Clone for ComRef<K, T> {
    fn clone(&self) -> Self {
        // SAFETY: `self` holds a reference, so the object is live.
        unsafe { add_ref(self.as_raw()) };
        Self {
            object: self.object,
            _owns: PhantomData,
        }
    }
}

impl<K: Kind, T: Serve<K>> Drop for ComRef<K, T> {
    fn drop(&mut self) {
        // SAFETY: `self` owns the reference it gives up here, on an object made for `K`, `T`.
        unsafe { release::<K, T>(self.as_raw()) };
    }
}
