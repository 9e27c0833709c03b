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
//! Modules: [`sys`] is the raw ABI (GUIDs, `#[repr(C)]` structs, vtables, constants); the crate
//! root is the safe API. All `unsafe` code lives in a few private modules (`object`, `refcount`,
//! `notification`, `advise_sink`'s `memory`, `open`, `automation`, and the simulators' COM
//! objects; with `trace`, one
//! read of a count in `trace`), each stating its invariants.
//!
//! Features: `simulator` (the simulated Outlook above); `trace`, diagnostics for reference
//! leaks: every `QueryInterface`, `AddRef` and `Release` on a sink logged at `log::trace!`, and
//! `trace::live_objects()` listing the sinks still alive (off by default, and free when off).
#![warn(missing_docs)]
// docs.rs (`--cfg docsrs`, nightly): each item gated on a `cfg` (Windows, a feature) shows what
// it needs. Since 2025 `doc_cfg` works this out from the `#[cfg]`s themselves (it absorbed
// `doc_auto_cfg`), so items added later are badged without an attribute of their own.
#![cfg_attr(docsrs, feature(doc_cfg))]
// ... except the examples check's own cfg (below), which says nothing to a reader.
#![cfg_attr(docsrs, doc(auto_cfg(hide(mapi_doc_examples))))]
// CI's examples check (`--cfg mapi_doc_examples`, nightly): every public type and function has
// a code example. See `public_through_reexports!` below.
#![cfg_attr(mapi_doc_examples, feature(rustdoc_missing_doc_code_examples))]
#![cfg_attr(mapi_doc_examples, deny(rustdoc::missing_doc_code_examples))]

/// Declares modules whose items are re-exported by their parent (the crate root, `advise_sink`,
/// `simulator`, `sys`). rustdoc's `missing_doc_code_examples` lint only looks at items that are
/// public by their own path, so for CI's examples check (`--cfg mapi_doc_examples`) these
/// modules are made public; in every real build they are private and their items are reached
/// through the re-exports. A new module whose items its parent re-exports is declared with
/// this macro, or the check cannot see them. Defined before the `mod` declarations below, so
/// (by `macro_rules!` textual scope) every module of the crate can use it.
macro_rules! public_through_reexports {
    ($($(#[$attribute:meta])* $module:ident),* $(,)?) => {$(
        $(#[$attribute])*
        #[cfg(not(mapi_doc_examples))]
        mod $module;
        $(#[$attribute])*
        #[cfg(mapi_doc_examples)]
        pub mod $module;
    )*};
}

pub mod advise_sink;
#[cfg(any(windows, doc))]
mod automation;
mod object;
#[cfg(any(windows, doc))]
mod open;
mod refcount;
#[cfg(feature = "simulator")]
pub mod simulator;
pub mod sys;
#[cfg(feature = "trace")]
pub mod trace;

public_through_reexports!(
    error,
    manager,
    notification,
    sink,
    #[cfg(any(windows, doc))]
    profile,
);

pub use error::{Error, Result};
pub use manager::{Advise, AdviseOptions, Capabilities, OfflineManager, SetStateMode};
pub use mapi_notify_sink_macros::{mapi_advise_sink, mapi_notify_sink};
pub use notification::{ConnectionState, Notification, NotifyKind, StateChange};
#[cfg(any(windows, doc))]
pub use profile::profile_name;
pub use sink::{NotifySink, Sink};

/// What `#[mapi_notify_sink]` expands to refers to; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::advise_sink::{AdviseHandler, Events};
    pub use crate::{Notification, NotifySink};

    /// What happens when the user's `notify` (or `Drop`) panics.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum OnPanic {
        /// `log::error!`, and the sink keeps working.
        Log,
        /// Print the panic message and abort the process.
        Abort,
    }
}

// The package README's examples run as doctests, so the crates.io page stays true. (Its
// first example needs the simulator.)
#[cfg(all(doctest, feature = "simulator"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

#[cfg(loom)]
#[doc(hidden)]
pub use refcount::RefCount as __LoomRefCount;
