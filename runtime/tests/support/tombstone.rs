//! A drop counter, so that every object test can end by proving the sink's value was dropped
//! exactly once: put a [`Tombstone`] in the value, keep its [`Drops`].
//!
//! Shared by the runtime's tests (`runtime/tests/support`) and the simulator and manager tests
//! (`tests/tests/support`, through `#[path]`).

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::Arc;

/// Put one in a sink type: counts how often that value is dropped.
pub struct Tombstone(Arc<AtomicUsize>);

impl Drop for Tombstone {
    fn drop(&mut self) {
        self.0.fetch_add(1, SeqCst);
    }
}

impl core::fmt::Debug for Tombstone {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Tombstone")
    }
}

/// The reading side of a [`Tombstone`].
#[derive(Clone)]
pub struct Drops(Arc<AtomicUsize>);

impl Drops {
    pub fn count(&self) -> usize {
        self.0.load(SeqCst)
    }

    pub fn assert_not_yet(&self) {
        assert_eq!(
            self.count(),
            0,
            "the sink's value was dropped while referenced"
        );
    }

    pub fn assert_once(&self) {
        assert_eq!(
            self.count(),
            1,
            "the sink's value must be dropped exactly once"
        );
    }
}

pub fn tombstone() -> (Tombstone, Drops) {
    let count = Arc::new(AtomicUsize::new(0));
    (Tombstone(count.clone()), Drops(count))
}
