//! [`Sink<T>`]: one counted reference to a sink's COM object, and the [`NotifySink`] trait.

use crate::object::{self, SinkObject};
use crate::sys::IMAPIOfflineNotify;
use crate::Notification;
use core::ffi::c_void;
use core::marker::PhantomData;
use core::ptr::NonNull;
use windows_core::{IUnknown, Interface};

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
    const __ON_PANIC: crate::__private::OnPanic = crate::__private::OnPanic::Log;

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
pub struct Sink<T: NotifySink> {
    object: NonNull<SinkObject<T>>,
    _owns: PhantomData<T>,
}

// SAFETY: a `Sink` only gives out `&T` and moves a reference count, which is atomic; `T` is
// `Send + Sync` (a `NotifySink` bound).
unsafe impl<T: NotifySink> Send for Sink<T> {}
// SAFETY: as above.
unsafe impl<T: NotifySink> Sync for Sink<T> {}

impl<T: NotifySink> Sink<T> {
    /// Moves `value` into a new COM object; the returned `Sink` holds its one reference.
    ///
    /// ```
    /// use mapi_notify_sink::{mapi_notify_sink, Notification, Sink};
    ///
    /// struct Quiet;
    ///
    /// #[mapi_notify_sink]
    /// impl Quiet {
    ///     fn notify(&self, _info: &Notification<'_>) {}
    /// }
    ///
    /// let sink = Sink::new(Quiet);
    /// assert_eq!(Sink::ref_count(&sink), 1);
    /// ```
    pub fn new(value: T) -> Self {
        Self {
            object: SinkObject::create(value),
            _owns: PhantomData,
        }
    }

    /// The object's `IMAPIOfflineNotify*`, which is also its identity `IUnknown*`, borrowed:
    /// valid while this `Sink` (or another reference) lives. `AddRef` it to keep it longer.
    ///
    /// ```
    /// use mapi_notify_sink::{mapi_notify_sink, Notification, Sink};
    ///
    /// struct Quiet;
    ///
    /// #[mapi_notify_sink]
    /// impl Quiet {
    ///     fn notify(&self, _info: &Notification<'_>) {}
    /// }
    ///
    /// let sink = Sink::new(Quiet);
    /// let clone = sink.clone();
    /// assert_eq!(sink.as_raw(), clone.as_raw()); // one object, one pointer
    /// ```
    pub fn as_raw(&self) -> *mut c_void {
        self.object.as_ptr().cast()
    }

    /// Gives this `Sink`'s reference away as an `IMAPIOfflineNotify*` (for a COM out parameter).
    /// Take it back with [`Sink::from_raw`], or let a COM caller `Release` it.
    ///
    /// ```
    /// use mapi_notify_sink::{mapi_notify_sink, Notification, Sink};
    ///
    /// struct Quiet;
    ///
    /// #[mapi_notify_sink]
    /// impl Quiet {
    ///     fn notify(&self, _info: &Notification<'_>) {}
    /// }
    ///
    /// let sink = Sink::new(Quiet);
    /// let raw = sink.clone().into_raw(); // e.g. written to a COM out parameter
    /// assert_eq!(Sink::ref_count(&sink), 2);
    /// // SAFETY: the reference `into_raw` gave away, taken back once.
    /// drop(unsafe { Sink::<Quiet>::from_raw(raw) });
    /// assert_eq!(Sink::ref_count(&sink), 1);
    /// ```
    pub fn into_raw(self) -> *mut c_void {
        let raw = self.as_raw();
        core::mem::forget(self);
        raw
    }

    /// Takes back one reference to a sink object.
    ///
    /// # Safety
    /// `raw` is a pointer this crate handed out for a `Sink<T>` of this same `T` (from
    /// [`Sink::into_raw`], [`Sink::as_raw`] plus an `AddRef`, or `QueryInterface` on such an
    /// object), and the caller owns the reference it takes over.
    ///
    /// ```
    /// use mapi_notify_sink::{mapi_notify_sink, Notification, Sink};
    ///
    /// struct Quiet;
    ///
    /// #[mapi_notify_sink]
    /// impl Quiet {
    ///     fn notify(&self, _info: &Notification<'_>) {}
    /// }
    ///
    /// let raw = Sink::new(Quiet).into_raw();
    /// // SAFETY: `raw` came from `into_raw` of a `Sink<Quiet>`, and its reference is taken once.
    /// let sink = unsafe { Sink::<Quiet>::from_raw(raw) };
    /// assert_eq!(Sink::ref_count(&sink), 1);
    /// ```
    pub unsafe fn from_raw(raw: *mut c_void) -> Self {
        let object = NonNull::new(raw.cast()).expect("Sink::from_raw: null pointer");
        Self {
            object,
            _owns: PhantomData,
        }
    }

    /// A new reference to the object as a windows-core `IUnknown`.
    ///
    /// ```
    /// use mapi_notify_sink::{mapi_notify_sink, Notification, Sink};
    ///
    /// struct Quiet;
    ///
    /// #[mapi_notify_sink]
    /// impl Quiet {
    ///     fn notify(&self, _info: &Notification<'_>) {}
    /// }
    ///
    /// use mapi_notify_sink::sys::IMAPIOfflineNotify;
    /// use windows_core::Interface;
    ///
    /// let sink = Sink::new(Quiet);
    /// let unknown = sink.to_unknown();
    /// assert_eq!(Sink::ref_count(&sink), 2);
    /// let notify = unknown.cast::<IMAPIOfflineNotify>().unwrap(); // QueryInterface
    /// assert_eq!(notify.as_raw(), sink.as_raw());
    /// ```
    pub fn to_unknown(&self) -> IUnknown {
        // SAFETY: the reference added is the one the returned interface owns.
        unsafe { IUnknown::from_raw(self.clone().into_raw()) }
    }

    /// A new reference to the object as a windows-core `IMAPIOfflineNotify`.
    ///
    /// ```
    /// use mapi_notify_sink::{mapi_notify_sink, sys, Notification, Sink};
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
    /// let notify = sink.to_interface();
    /// let raw = sys::MAPIOFFLINE_NOTIFY { ulSize: 24, ..Default::default() };
    /// // SAFETY: a complete 24-byte notification.
    /// unsafe { notify.Notify(&raw) }; // what Outlook does
    /// assert_eq!(sink.0.load(Ordering::Relaxed), 1);
    /// ```
    pub fn to_interface(&self) -> IMAPIOfflineNotify {
        // SAFETY: the object implements `IMAPIOfflineNotify` at this address; the reference
        // added is the one the returned interface owns.
        unsafe { IMAPIOfflineNotify::from_raw(self.clone().into_raw()) }
    }

    /// The object's reference count right now (a diagnostic: other threads may change it).
    ///
    /// ```
    /// use mapi_notify_sink::{mapi_notify_sink, Notification, Sink};
    ///
    /// struct Quiet;
    ///
    /// #[mapi_notify_sink]
    /// impl Quiet {
    ///     fn notify(&self, _info: &Notification<'_>) {}
    /// }
    ///
    /// let sink = Sink::new(Quiet);
    /// let unknown = sink.to_unknown(); // AddRef
    /// assert_eq!(Sink::ref_count(&sink), 2);
    /// drop(unknown); // Release
    /// assert_eq!(Sink::ref_count(&sink), 1);
    /// ```
    pub fn ref_count(this: &Self) -> u32 {
        // SAFETY: `this` holds a reference, so the object is live.
        unsafe { object::header(this.as_raw()).count.get() }
    }
}

impl<T: NotifySink> Clone for Sink<T> {
    fn clone(&self) -> Self {
        // SAFETY: `self` holds a reference, so the object is live.
        #[cfg(not(feature = "trace"))]
        unsafe {
            object::header(self.as_raw()).count.add_ref()
        };
        // The same, logged (feature `trace`).
        // SAFETY: as above.
        #[cfg(feature = "trace")]
        unsafe {
            object::add_ref(self.as_raw())
        };
        Self {
            object: self.object,
            _owns: PhantomData,
        }
    }
}

impl<T: NotifySink> Drop for Sink<T> {
    fn drop(&mut self) {
        // SAFETY: `self` owns the reference it gives up here.
        unsafe { object::release::<T>(self.as_raw()) };
    }
}

impl<T: NotifySink> core::ops::Deref for Sink<T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: `self` holds a reference, so the object and its `T` are live; `T` is only
        // ever shared.
        unsafe { &(*self.object.as_ptr()).value }
    }
}

impl<T: NotifySink + core::fmt::Debug> core::fmt::Debug for Sink<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("Sink").field(&**self).finish()
    }
}
