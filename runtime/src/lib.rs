//! Outlook `IMAPIOfflineNotify` sinks from a plain Rust type.
//!
//! Put `#[mapi_notify_sink]` on an `impl` block that defines
//! `fn notify(&self, info: &Notification<'_>)`, and [`Sink::new`] makes a thread-safe COM object
//! (`IUnknown` + `IMAPIOfflineNotify`) that Outlook can call whenever it goes online or offline.
//!
//! ```
//! use mapi_notify_sink::{mapi_notify_sink, Notification, Sink};
//! use std::sync::atomic::{AtomicU32, Ordering};
//!
//! struct Watcher {
//!     changes: AtomicU32,
//! }
//!
//! #[mapi_notify_sink]
//! impl Watcher {
//!     fn notify(&self, info: &Notification<'_>) {
//!         if let Some(change) = info.state_change() {
//!             println!("{:?}: {:?} -> {:?}", info.kind(), change.old, change.new);
//!             self.changes.fetch_add(1, Ordering::Relaxed);
//!         }
//!     }
//! }
//!
//! let sink = Sink::new(Watcher { changes: AtomicU32::new(0) }); // a COM object, count 1
//! let ptr = sink.as_raw(); // the IMAPIOfflineNotify* to hand to Outlook
//! # let _ = ptr;
//! ```
//!
//! Hand the sink to Outlook with [`OfflineManager::advise`]: inside Outlook the manager comes
//! from [`OfflineManager::open`] (Windows); in tests and demos from
//! `simulator::SimulatedOutlook` (feature `simulator`), an in-process `IMAPIOfflineMgr` that
//! follows the documented contract on any OS. The returned [`Advise`] unadvises when dropped.
//! The profile name `open` takes comes from [`profile_name`] (Windows), given the `Application`
//! object Outlook hands the add-in.
//!
//! MAPI's general notification sink, `IMAPIAdviseSink` (new mail, object and table changes from
//! `IMsgStore::Advise`, `IMAPITable::Advise` and the like), is the same with
//! `#[mapi_advise_sink]` and `fn on_notify(&self, events: &Events<'_>)`: see [`advise_sink`].
//!
//! # Where things are
//!
//! The source is laid out by concept, the same way for both sink kinds:
//! - `com`: the one COM object every kind shares (layout, count, `QueryInterface`, agility,
//!   panic containment), and the `trace` diagnostics that hook into it;
//! - `offline`: the offline kind: [`Sink`], [`Notification`], [`OfflineManager`];
//! - [`advise_sink`]: the advise kind: [`AdviseSink`](advise_sink::AdviseSink),
//!   [`Events`](advise_sink::Events), the values, and the reader of the memory `OnNotify` lends;
//! - `automation`: Outlook's object model late-bound: `Dispatch`, `Variant` (Windows);
//! - `profile`: [`profile_name`], a walk of the object model on `automation` (Windows);
//! - `registration`: the advise guards' one `Unadvise` (the offline `Advise`, `StoreAdvise`);
//! - `simulator`: `SimulatedOutlook` and `SimulatedStore` (feature `simulator`);
//! - [`sys`]: the raw ABI (GUIDs, `#[repr(C)]` structs, vtables, constants).
//!
//! The crate root is the safe API. All `unsafe` code is in `com` (the object, the count, the
//! marshaler; with `trace`, one read of a count), `offline` (the `Notify` slot and
//! `notification`'s copy; `open`), `advise_sink` (the `OnNotify` slot; `memory`, the one reader
//! of lent memory, and the views over what it read; `store`'s `Advise` call), `automation`
//! (`Invoke`, and the `VARIANT` reader and writer), `sys`'s
//! interface declarations, and the simulators' COM objects; each module states its invariants.
//!
//! Features: `simulator` (the simulated Outlook and message store); `trace`, diagnostics for
//! reference leaks: every `QueryInterface`, `AddRef` and `Release` on a sink logged at
//! `log::trace!`, and `trace::live_objects()` listing the sinks still alive (off by default,
//! and free when off).
#![warn(missing_docs)]
// docs.rs (`--cfg docsrs`, nightly): each item gated on a `cfg` (Windows, a feature) shows what
// it needs. Since 2025 `doc_cfg` works this out from the `#[cfg]`s themselves (it absorbed
// `doc_auto_cfg`), so items added later are badged without an attribute of their own.
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "addin")]
pub mod addin;
pub mod advise_sink;
pub mod automation;
mod com;
mod error;
mod offline;
#[cfg(any(windows, doc))]
mod profile;
mod registration;
#[cfg(feature = "simulator")]
pub mod simulator;
pub mod sys;

#[cfg(feature = "trace")]
pub use com::trace;
pub use error::{Error, Result};
#[cfg(feature = "addin")]
pub use mapi_notify_sink_macros::outlook_addin;
pub use mapi_notify_sink_macros::{mapi_advise_sink, mapi_notify_sink};
pub use offline::{
    Advise, AdviseOptions, Capabilities, ConnectionState, Notification, NotifyKind, NotifySink,
    OfflineManager, SetStateMode, Sink, StateChange,
};
#[cfg(any(windows, doc))]
pub use profile::profile_name;

/// What the attributes expand to refers to; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::advise_sink::{AdviseHandler, Events};
    pub use crate::com::OnPanic;
    pub use crate::{Notification, NotifySink};
}

// The package README's examples run as doctests, so the crates.io page stays true. (Its
// first example needs the simulator.)
#[cfg(all(doctest, feature = "simulator"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

#[cfg(loom)]
#[doc(hidden)]
pub use com::RefCount as __LoomRefCount;
