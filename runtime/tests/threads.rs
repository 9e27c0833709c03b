//! One sink used from many threads at once, as Outlook may: references added and released on
//! some threads while `Notify` runs on others.

mod support;

use core::ptr;
use mapi_notify_sink::{mapi_notify_sink, Notification, Sink};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Barrier;
use support::*;

#[cfg(not(miri))]
mod scale {
    pub const THREADS: usize = 8;
    pub const OPERATIONS: usize = 50_000;
    pub const ROUNDS: usize = 200;
}
// Miri runs each operation thousands of times slower; a few interleavings still check the
// memory orderings.
#[cfg(miri)]
mod scale {
    pub const THREADS: usize = 4;
    pub const OPERATIONS: usize = 900;
    pub const ROUNDS: usize = 10;
}
use scale::*;

/// Counts notifications and adds up their tokens, so lost, doubled or torn calls show.
struct Tally {
    calls: AtomicU64,
    token_sum: AtomicU64,
    _tombstone: Tombstone,
}

#[mapi_notify_sink]
impl Tally {
    fn notify(&self, info: &Notification<'_>) {
        self.calls.fetch_add(1, Relaxed);
        self.token_sum
            .fetch_add(u64::from(info.client_token()), Relaxed);
    }
}

fn tally() -> (Sink<Tally>, Drops) {
    let (tombstone, drops) = tombstone();
    let sink = Sink::new(Tally {
        calls: AtomicU64::new(0),
        token_sum: AtomicU64::new(0),
        _tombstone: tombstone,
    });
    (sink, drops)
}

fn token_of(thread: usize) -> u32 {
    0x1000 + thread as u32
}

/// One thread's share of the mixed workload; returns how many notifications it sent.
fn mixed_operations(shared: &Sink<Tally>, own: Sink<Tally>, thread: usize) -> u64 {
    let raw = own.as_raw();
    let info = MapiOfflineNotify::state_change(STATECHANGE, token_of(thread), ONLINE, OFFLINE);
    let answered = [IID_IUnknown, IID_IMAPIOfflineNotify, IID_IAgileObject];
    let mut sent = 0;
    for i in 0..OPERATIONS {
        match i % 3 {
            0 => drop(shared.clone()),
            // SAFETY: `own` holds a reference; the one QueryInterface adds is released.
            1 => unsafe {
                let (hr, ppv) = query_interface(raw, &answered[i / 3 % 3]);
                assert_eq!(hr, S_OK);
                assert_eq!(ppv, raw);
                // `shared`'s owner and `own` still hold theirs.
                assert!(release(ppv) >= 2);
            },
            // SAFETY: `own` holds a reference; `info` is a whole 24-byte notification.
            _ => unsafe {
                notify(raw, ptr::from_ref(&info).cast());
                sent += 1;
            },
        }
    }
    drop(own);
    sent
}

#[test]
fn concurrent_references_and_notifications_are_all_counted() {
    let (sink, drops) = tally();
    let sent_by_thread: Vec<u64> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..THREADS)
            .map(|thread| {
                let (shared, own) = (&sink, sink.clone());
                scope.spawn(move || mixed_operations(shared, own, thread))
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });

    let sent: u64 = sent_by_thread.iter().sum();
    assert_eq!(sent, (THREADS * (OPERATIONS / 3)) as u64);
    assert_eq!(sink.calls.load(Relaxed), sent);
    let token_sum: u64 = sent_by_thread
        .iter()
        .enumerate()
        .map(|(thread, &n)| n * u64::from(token_of(thread)))
        .sum();
    assert_eq!(sink.token_sum.load(Relaxed), token_sum);
    assert_eq!(Sink::ref_count(&sink), 1);
    drops.assert_not_yet();
    drop(sink);
    drops.assert_once();
}

// Whichever thread's Release comes last frees the object, and it must see every other thread's
// use of it: the ordering `Arc` uses, exercised with releases racing each other.
#[test]
fn last_release_on_any_thread_drops_the_value_once() {
    for _ in 0..ROUNDS {
        let (sink, drops) = tally();
        let start = Barrier::new(THREADS);
        std::thread::scope(|scope| {
            for thread in 0..THREADS {
                let (own, start) = (sink.clone(), &start);
                scope.spawn(move || {
                    let info = MapiOfflineNotify::state_change(STATECHANGE, token_of(thread), 1, 2);
                    start.wait();
                    // SAFETY: `own` holds a reference; `info` is a whole 24-byte notification.
                    unsafe { notify(own.as_raw(), ptr::from_ref(&info).cast()) };
                    drop(own);
                });
            }
            drop(sink);
        });
        drops.assert_once();
    }
}
