//! The COM object every sink kind shares: its layout, reference count, `QueryInterface`,
//! identity, agility and panic containment, written once.
//!
//! A sink kind is the interface it implements past `IUnknown` ([`Kind`]: `IMAPIOfflineNotify`
//! for [`Sink`](crate::Sink), `IMAPIAdviseSink` for
//! [`AdviseSink`](crate::advise_sink::AdviseSink)). Its module adds only what differs: the
//! vtable slot after `IUnknown`'s three, which reaches the user's value through
//! [`call_contained`], and, through [`sink_handle_api!`], the [`Serve`] impl that puts that
//! slot in a vtable and the handle's API over [`ComRef`]. As `std`'s collections share
//! `RawVec`, the kinds share everything here.
//!
//! - `object`: the layout, `IUnknown`'s slots, [`ComRef`] (one counted reference);
//! - `refcount`: the atomic count, with `Arc`'s orderings;
//! - `agile`: `IMarshal` through the free-threaded marshaler (Windows);
//! - `panic`: containment of a panic in the user's code or `Drop`;
//! - `hooks`: where the `trace` diagnostics and the add-in's count of live objects hook in
//!   (nothing when both features are off);
//! - `trace`: those diagnostics, which read the count and nothing else of the object;
//! - `handle`: the public handle API, one macro for every kind.

#[cfg(windows)]
mod agile;
mod handle;
mod hooks;
mod object;
mod panic;
mod refcount;
#[cfg(feature = "trace")]
pub mod trace;

pub(crate) use handle::sink_handle_api;
pub(crate) use object::{call_contained, unknown_slots, ComRef, Serve};
pub(crate) use panic::log_contained;
pub use panic::OnPanic;
// The Outlook add-in's own objects and its event sinks are more kinds, and guard its exports
// the same way.
#[cfg(feature = "addin")]
pub(crate) use object::Kind;
// ... and the simulators' slots are guarded the same way too.
#[cfg(any(feature = "simulator", feature = "addin"))]
pub(crate) use panic::contain;
// The simulators' own COM objects (`simulator::server`) check their arguments and count their
// references as the sinks do.
#[cfg(feature = "simulator")]
pub(crate) use object::query_interface_arguments;
#[cfg(all(feature = "simulator", not(loom)))]
pub(crate) use refcount::RefCount;
// The loom model checks the count itself, from outside the crate (`tests/loom.rs`).
#[cfg(loom)]
pub use refcount::RefCount;
