//! MAPI's general notification sink, `IMAPIAdviseSink`: new mail, objects created, changed,
//! moved or deleted, table rows added or modified, from `IMsgStore::Advise`,
//! `IMAPITable::Advise`, `IMAPISession::Advise` or `IAddrBook::Advise`.
//!
//! Put `#[mapi_advise_sink]` on an `impl` block that defines
//! `fn on_notify(&self, events: &Events<'_>)`, and [`AdviseSink::new`] makes a thread-safe COM
//! object (`IUnknown` + `IMAPIAdviseSink`) to pass to those `Advise` calls. It is the same COM
//! object as the offline [`Sink`](crate::Sink)'s, with the same guarantees (one pointer, an
//! atomic count, `QueryInterface` by the COM rules, agile, panics contained); only the slot
//! after `IUnknown`'s differs.
//!
//! ```
//! use mapi_notify_sink::advise_sink::{AdviseSink, Event, Events};
//! use mapi_notify_sink::mapi_advise_sink;
//! use std::sync::atomic::{AtomicU32, Ordering};
//!
//! struct MailWatch {
//!     new_mail: AtomicU32,
//! }
//!
//! #[mapi_advise_sink]
//! impl MailWatch {
//!     fn on_notify(&self, events: &Events<'_>) {
//!         for event in events {
//!             if let Event::NewMail(mail) = event {
//!                 println!("new {:?} in folder {:?}", mail.message_class(), mail.parent_id());
//!                 self.new_mail.fetch_add(1, Ordering::Relaxed);
//!             }
//!         }
//!     }
//! }
//!
//! let sink = AdviseSink::new(MailWatch { new_mail: AtomicU32::new(0) }); // count 1
//! let ptr = sink.as_raw(); // the IMAPIAdviseSink* (LPMAPIADVISESINK) for IMsgStore::Advise
//! # let _ = ptr;
//! ```
//!
//! # What MAPI promises, and what a handler must do about it
//! - The notification array, and everything it points to, is valid only during the call:
//!   `Events` and everything from it borrow it, so the compiler keeps them inside `on_notify`.
//!   Copy out (`to_vec()` an entry ID, `to_string()` a string) what must outlive it.
//! - `OnNotify` may come on any thread, and on several at once: hence `&self` and
//!   `Send + Sync`.
//! - Notifications can still arrive after `Unadvise` returns.
//! - Table events can be stale or out of order (`RowModified` after `RowDeleted`); after
//!   `TABLE_CHANGED` or `TABLE_RELOAD`, read the table again.
//! - `OnNotify` returns 0 to MAPI whatever the handler does.
//!
//! # How the array is read
//! Every count bounds its read; a null pointer with a non-zero count reads as `None` or
//! nothing, with a `log::warn!`; strings are 8-bit or UTF-16 as `MAPI_UNICODE` says, and read
//! as far as the reader asks, never past their NUL nor [`MAX_STRING_UNITS`] units (MAPI gives
//! them no length); nothing is read until the handler asks for it, and nothing is allocated.
//! A null `lpNotifications` with a non-zero `cNotif` (or a `cNotif` of 0) does not call the
//! handler, and is logged with `log::warn!`.
//!
//! # The examples
//! The examples on the types below get their events from `simulator::SimulatedStore` (feature
//! `simulator`), a message store that sends them as MAPI does. In them, `deliver(&events,
//! handler)` stands for a sink advised on such a store: the store sends `events` in one
//! `OnNotify` call, the sink's `on_notify` runs `handler`, and `deliver` returns what the
//! handler returned, which is copied out, since the events live only for the call. The
//! `SimulatedStore` page shows the advising written out.

mod array;
mod events;
mod memory;
mod store;
mod string;
mod values;

pub use array::{Array, Iter};
pub use events::{
    ErrorEvent, Event, Events, ExtendedEvent, MapiError, NewMail, ObjectEvent, StatusEvent,
    TableEvent, TableEventKind,
};
pub use memory::MAX_STRING_UNITS;
pub use store::{EventMask, MsgStore, StoreAdvise};
pub use string::MapiStr;
pub use values::{EntryId, FileTime, PropValue, Props, Value};

use crate::com::{self, sink_handle_api, ComRef, OnPanic};
use crate::sys::{IMAPIAdviseSink, NOTIFICATION};
use core::ffi::c_void;

/// A type `#[mapi_advise_sink]` has made into an `IMAPIAdviseSink` COM object.
///
/// Implemented by the attribute; never implement it by hand. MAPI may call a sink from any
/// thread, while other threads add and release references, hence `Send + Sync`; and a COM object
/// lives as long as its last reference, hence `'static`.
///
/// Code generic over advise sinks names it as the bound:
///
/// ```
/// use mapi_notify_sink::advise_sink::{AdviseHandler, AdviseSink, Events};
/// use mapi_notify_sink::mapi_advise_sink;
///
/// fn pointer_for_mapi<T: AdviseHandler>(value: T) -> *mut core::ffi::c_void {
///     AdviseSink::new(value).into_raw() // MAPI's to Release
/// }
///
/// struct Quiet;
///
/// #[mapi_advise_sink]
/// impl Quiet {
///     fn on_notify(&self, _events: &Events<'_>) {}
/// }
///
/// let raw = pointer_for_mapi(Quiet);
/// // SAFETY: the reference `into_raw` gave away, taken back once.
/// drop(unsafe { AdviseSink::<Quiet>::from_raw(raw) });
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an advise sink",
    label = "not an advise sink",
    note = "put `#[mapi_advise_sink]` on an `impl {Self}` block that defines `fn on_notify(&self, events: &Events<'_>)`"
)]
pub trait AdviseHandler: Send + Sync + 'static {
    #[doc(hidden)]
    const __ON_PANIC: OnPanic = OnPanic::Log;

    #[doc(hidden)]
    fn __on_notify(&self, events: &Events<'_>);
}

/// One counted reference to a heap COM object that implements `IUnknown` and
/// `IMAPIAdviseSink` by calling `T`'s `on_notify`.
///
/// `Clone` is `AddRef`, `Drop` is `Release`; the last release drops `T` exactly once. MAPI's
/// `Advise` takes a reference of its own and keeps it until `Unadvise` (or later: MAPI may
/// release it on another thread, after `Unadvise` returns).
///
/// ```
/// use mapi_notify_sink::advise_sink::{AdviseSink, Events};
/// use mapi_notify_sink::mapi_advise_sink;
/// use std::sync::atomic::{AtomicUsize, Ordering};
///
/// struct Counter(AtomicUsize);
///
/// #[mapi_advise_sink]
/// impl Counter {
///     fn on_notify(&self, events: &Events<'_>) {
///         self.0.fetch_add(events.len(), Ordering::Relaxed);
///     }
/// }
///
/// let sink = AdviseSink::new(Counter(AtomicUsize::new(0)));
/// assert_eq!(AdviseSink::ref_count(&sink), 1);
/// let ptr = sink.as_raw(); // the IMAPIAdviseSink* to hand to Advise
/// assert!(!ptr.is_null());
/// assert_eq!(sink.0.load(Ordering::Relaxed), 0); // Deref reaches the `Counter`
/// ```
pub struct AdviseSink<T: AdviseHandler>(ComRef<IMAPIAdviseSink, T>);

impl<T: AdviseHandler> AdviseSink<T> {
    /// Moves `value` into a new COM object; the returned `AdviseSink` holds its one reference.
    pub fn new(value: T) -> Self {
        Self(ComRef::new(value))
    }
}

sink_handle_api!(
    AdviseSink<T: AdviseHandler> implements IMAPIAdviseSink(IMAPIAdviseSink_Vtbl { OnNotify: on_notify })
);

/// Slot 3. Hands the caller's notifications (`lpNotifications`, `cNotif` of them) to the user's
/// `on_notify`; always returns 0.
///
/// # Safety (of the caller)
/// As `IMAPIAdviseSink::OnNotify` says: `this` is a live object made for `T` with a reference
/// held; `lpNotifications` is null or `cNotif` notifications that, with everything they point
/// to, stay valid for the call. Only ever in `T`'s own vtable (`sink_handle_api!`).
unsafe extern "system" fn on_notify<T: AdviseHandler>(
    this: *mut c_void,
    count: u32,
    notifications: *mut NOTIFICATION,
) -> u32 {
    // SAFETY: the caller's promise; `events` cannot outlive this call.
    if let Some(events) = unsafe { Events::from_call(notifications, count) } {
        // SAFETY: the caller's promise: a live object made for this kind and `T`.
        let _ = unsafe {
            com::call_contained::<IMAPIAdviseSink, T, _>(this, "on_notify", |value| {
                value.__on_notify(&events)
            })
        };
    }
    0
}
