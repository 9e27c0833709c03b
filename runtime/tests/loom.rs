//! The reference-count protocol under every interleaving loom can find, for two and three
//! threads. Run with `RUSTFLAGS="--cfg loom" cargo test -p mapi-notify-sink --test loom --release`.
//!
//! Each thread uses the shared payload and then releases its reference, like a COM caller
//! finishing a `Notify`; the release that reaches zero writes the payload (as `Drop` would) and
//! frees the object. Loom reports a data race if any use is not ordered before that write (a
//! missing `Release`/`Acquire`), and the counters prove the object is destroyed exactly once.
//!
//! `RefCount::release` skips the read-modify-write when an `Acquire` load sees 1 (the caller
//! holds the only reference). `last_holder_takes_the_fast_path` models the case that path must
//! get right: another thread used the object and released its reference just before, and
//! only the load orders that use before the destruction. With the load `Relaxed`, loom reports
//! the race on the payload; with the check skipped (or seeing a count above 1 as the last
//! reference), the object is destroyed twice or used after it was freed.
#![cfg(loom)]

use loom::cell::UnsafeCell;
use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::sync::Arc;
use mapi_notify_sink::__LoomRefCount as RefCount;

struct Object {
    count: RefCount,
    payload: UnsafeCell<u32>,
    destroyed: Arc<AtomicUsize>,
}

/// A reference held by one thread: the raw pointer a COM caller has.
struct Reference(*const Object);

// SAFETY: the object is shared through its atomic count, as a COM object is.
unsafe impl Send for Reference {}

impl Reference {
    fn object(&self) -> &Object {
        // SAFETY: this reference is counted, so the object is live.
        unsafe { &*self.0 }
    }

    fn add_ref(&self) -> Reference {
        assert!(self.object().count.add_ref() >= 2);
        Reference(self.0)
    }

    fn use_payload(&self) -> u32 {
        self.object().payload.with(|value| unsafe { *value })
    }

    fn release(self) {
        if self.object().count.release() == 0 {
            // SAFETY: the count reached zero: this thread owns the object alone.
            let object = unsafe { Box::from_raw(self.0 as *mut Object) };
            object.payload.with_mut(|value| unsafe { *value = 0 });
            object.destroyed.fetch_add(1, Ordering::Relaxed);
        }
    }
}

fn run(threads: usize) {
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(3);
    builder.check(move || {
        let destroyed = Arc::new(AtomicUsize::new(0));
        let first = Reference(Box::into_raw(Box::new(Object {
            count: RefCount::new(),
            payload: UnsafeCell::new(7),
            destroyed: destroyed.clone(),
        })));
        let handles: Vec<_> = (1..threads)
            .map(|_| {
                let mine = first.add_ref();
                loom::thread::spawn(move || {
                    // A QueryInterface + Release pair in the middle of the call.
                    mine.add_ref().release();
                    assert_eq!(mine.use_payload(), 7);
                    mine.release();
                })
            })
            .collect();
        assert_eq!(first.use_payload(), 7);
        first.release();
        for handle in handles {
            handle.join().unwrap();
        }
        assert_eq!(
            destroyed.load(Ordering::Relaxed),
            1,
            "destroyed exactly once"
        );
    });
}

/// Two holders on two threads; each uses the payload, then releases. Whichever releases
/// second sees a count of 1 and takes the fast path, after the other thread's use.
#[test]
fn last_holder_takes_the_fast_path() {
    loom::model(|| {
        let destroyed = Arc::new(AtomicUsize::new(0));
        let first = Reference(Box::into_raw(Box::new(Object {
            count: RefCount::new(),
            payload: UnsafeCell::new(7),
            destroyed: destroyed.clone(),
        })));
        let second = first.add_ref();
        let other = loom::thread::spawn(move || {
            assert_eq!(second.use_payload(), 7);
            second.release();
        });
        assert_eq!(first.use_payload(), 7);
        first.release();
        other.join().unwrap();
        assert_eq!(
            destroyed.load(Ordering::Relaxed),
            1,
            "destroyed exactly once"
        );
    });
}

#[test]
fn two_threads() {
    run(2);
}

#[test]
fn three_threads() {
    run(3);
}
