//! The COM reference count, with the orderings of `std::sync::Arc`.
//!
//! - `add_ref` is `Relaxed`: a new reference can only be made from an existing one, so nothing
//!   needs to be published.
//! - `release` is `Release`, and the release that reaches zero adds an `Acquire` fence, so every
//!   use of the object by any thread happens before it is destroyed.
//! - The last release skips the read-modify-write: an `Acquire` load that sees 1 proves the
//!   caller holds the only reference (only a holder can `AddRef`, so no other can appear), and
//!   reading that 1, written by the last other holder's `Release` decrement (or by `new`),
//!   makes every other thread's use of the object visible, as the fence does on the slow path.
//!   The count is then left at 1: the object is about to be destroyed, and nothing may read it.
//! - The count never wraps: pushing it past [`MAX`] aborts the process with a message, before any
//!   thread could observe a wrapped value (it would need two billion racing `AddRef`s).
//!
//! Built with `--cfg loom`, the atomics are loom's, and `tests/loom.rs` checks this protocol
//! under every interleaving of two and three threads.

#[cfg(loom)]
use loom::sync::atomic::{fence, AtomicU32};
#[cfg(not(loom))]
use std::sync::atomic::{fence, AtomicU32};

use std::sync::atomic::Ordering::{Acquire, Relaxed, Release};

/// The largest count an `AddRef` may produce.
pub const MAX: u32 = u32::MAX / 2;

/// An atomic reference count that starts at 1.
#[derive(Debug)]
#[repr(transparent)]
pub struct RefCount(AtomicU32);

impl RefCount {
    /// A count of one: the reference held by whoever created the object.
    pub fn new() -> Self {
        Self(AtomicU32::new(1))
    }

    /// Adds a reference and returns the new count.
    #[inline]
    pub fn add_ref(&self) -> u32 {
        let old = self.0.fetch_add(1, Relaxed);
        if old >= MAX {
            overflow(old);
        }
        old + 1
    }

    /// Drops a reference and returns the new count. When it returns 0 the caller holds the
    /// last reference, and every other thread's use of the object is visible to it.
    #[inline]
    pub fn release(&self) -> u32 {
        // The sole holder (see the module documentation): an uncontended load instead of a
        // locked read-modify-write, on the path every object takes once, its last release.
        if self.0.load(Acquire) == 1 {
            return 0;
        }
        let old = self.0.fetch_sub(1, Release);
        if old != 1 {
            // `old == 0` would mean a Release without a reference: the caller's bug, and the
            // object may already be gone. Wrapping keeps this path free of panics.
            return old.wrapping_sub(1);
        }
        fence(Acquire);
        0
    }

    /// The current count; only a snapshot when other threads hold references.
    pub fn get(&self) -> u32 {
        self.0.load(Relaxed)
    }
}

impl Default for RefCount {
    fn default() -> Self {
        Self::new()
    }
}

#[cold]
#[inline(never)]
fn overflow(old: u32) -> ! {
    // Writing to stderr directly: a logger may allocate or take locks, and we are about to die.
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "mapi_notify_sink: COM reference count overflow (AddRef on a count of {old}, limit {MAX}): \
         a caller is leaking references; aborting"
    );
    std::process::abort();
}
