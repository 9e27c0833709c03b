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
//!
//! Modules: [`sys`] is the raw ABI (GUIDs, `#[repr(C)]` structs, vtables, constants); the crate
//! root is the safe API. All `unsafe` code lives in a few private modules (`object`, `refcount`,
//! `notification`, and the simulator's COM object), each stating its invariants.
#![warn(missing_docs)]

pub mod advise_sink;
mod error;
mod manager;
mod notification;
mod object;
#[cfg(any(windows, doc))]
mod open;
mod refcount;
#[cfg(feature = "simulator")]
pub mod simulator;
mod sink;
pub mod sys;

pub use error::{Error, Result};
pub use manager::{Advise, AdviseOptions, Capabilities, OfflineManager, SetStateMode};
pub use mapi_notify_sink_macros::{mapi_advise_sink, mapi_notify_sink};
pub use notification::{ConnectionState, Notification, NotifyKind, StateChange};
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

#[cfg(loom)]
#[doc(hidden)]
pub use refcount::RefCount as __LoomRefCount;
