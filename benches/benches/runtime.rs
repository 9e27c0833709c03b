//! Runtime benchmarks: our sink vs a windows-core `#[implement]` object of the same interface vs
//! the bare limit, for each COM operation Outlook makes on a sink.
//!
//! Full run (on a quiet machine; about 100 s of measuring, 1 s warm-up + 5 s per entry):
//!     cargo bench -p mapi-notify-sink-bench
//! Quick mode, the smoke check `.ci/run` runs (it must run, not meet targets; about 3 s of
//! measuring, plus about 30 s to build the bench profile from clean on 2 cores):
//!     cargo bench -p mapi-notify-sink-bench -- --quick --noplot --measurement-time 1
//! One group: append its name as a filter, e.g. `cargo bench -p mapi-notify-sink-bench -- notify`.
//!
//! With the runtime's `trace` diagnostics compiled in: `--features trace`. No logger is
//! installed, so the trace records are filtered out, as in an add-in whose logger is above
//! `trace`; `MAPI_BENCH_TRACE_LOG=1` installs a logger that formats every record and discards it,
//! to measure the records themselves (without a real logger's I/O).
//!
//! Groups (one per operation), each with the entries `ours`, `windows-rs` and `limit` (what
//! each contestant is: `mapi_notify_sink_bench`'s documentation):
//! - `query_interface_hit`: QueryInterface(IID_IMAPIOfflineNotify), then Release the result.
//!   limit: the same IID comparisons inline, an `AtomicU32` add and the out write, then a
//!   `fetch_sub`.
//! - `query_interface_miss`: QueryInterface(an IID neither implements) → E_NOINTERFACE.
//!   limit: the same three IID comparisons inline and the null write.
//! - `add_ref_release`: AddRef then Release through the vtable. limit: the same on a
//!   hand-written C-style COM object.
//! - `notify`: Notify with a 24-byte STATECHANGE; the user fn reads the kind, the mask, old,
//!   new and the client token, and counts. limit: the windows-rs user's decoding in a bare
//!   `extern "system"` fn called through a `black_box`ed pointer.
//! - `notify_minimal`: the same, with a user fn that only asks whether it is a state change.
//! - `create_release`: make an object, hand its reference to the caller as a raw pointer, and
//!   the caller's final Release through the vtable: `Sink::new` / `#[implement]`'s `.into()` /
//!   `Box::new` of the C-style object.
//! - `on_notify_1`, `on_notify_16`: the advise sink's `OnNotify` with 1 and 16 new-mail
//!   notifications, each decoded (entry ID and parent byte counts, the class's length): ours
//!   through `Events`, windows-rs by hand from the raw array, the limit the same hand-written
//!   decoding called directly (see `mapi_notify_sink_bench::advise`).
//! - `on_notify_mixed_1`, `on_notify_mixed_16`: the same with what handlers read in practice, in
//!   a burst of new mail (entry ID, a class prefix compare), an object modified (entry ID, the
//!   changed tags' count) and a row added (its length, its first tag).
//! - `on_notify_mixed_1_checked`, `on_notify_mixed_16_checked`: the price of `Events`' tests
//!   alone: the hand-written sink with the same tests written in, as `ours`, against it
//!   without them.
//!
//! Every COM call goes through the raw vtable (the `call` module), with `black_box` on the
//! object pointer and the arguments and on every result. Each entry is timed with `iter_custom`
//! so the number of calls is known: after a `notify` entry the benchmark asserts its object
//! counted exactly that many notifications, and after every group that no reference was
//! gained or lost.
//!
//! `MAPI_BENCH_REVERSE=1` runs each group's entries in the reverse order (limit, windows-rs,
//! ours): `scripts/bench-spread.sh` alternates it between processes, so no contestant is
//! always measured first.

use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, Bencher, BenchmarkGroup, Criterion};
use mapi_notify_sink::sys;
use mapi_notify_sink_bench::advise::{
    self, MixedBatch, MixedObjects, NewMailBatch, NewMailObjects,
};
use mapi_notify_sink_bench::{
    call, create_release, limit, state_change, Objects, IID_UNKNOWN_TO_BOTH,
};
use std::hint::black_box;
use std::ptr;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use windows_core::GUID;

/// Times `iters` runs of `op` and adds `iters` to `runs`.
fn timed(b: &mut Bencher<'_>, runs: &mut u64, mut op: impl FnMut()) {
    b.iter_custom(|iters| {
        *runs += iters;
        let start = Instant::now();
        for _ in 0..iters {
            op();
        }
        start.elapsed()
    });
}

/// One entry, run as `bench_function`, returning how many times `op` ran.
fn entry(group: &mut BenchmarkGroup<'_, WallTime>, name: &str, op: impl FnMut()) -> u64 {
    let mut op = op;
    let mut runs = 0;
    group.bench_function(name, |b| timed(b, &mut runs, &mut op));
    runs
}

/// A group's three entries, `ours`, `windows-rs` and `limit`, in that order or (with
/// `MAPI_BENCH_REVERSE=1`) the reverse; returns how many times each ran.
fn three(
    c: &mut Criterion,
    name: &str,
    mut ours: impl FnMut(),
    mut windows_rs: impl FnMut(),
    mut limit: impl FnMut(),
) -> [u64; 3] {
    let mut group = c.benchmark_group(name);
    let mut runs = [0; 3];
    let mut order = [0, 1, 2];
    if std::env::var_os("MAPI_BENCH_REVERSE").is_some_and(|value| value == "1") {
        order.reverse();
    }
    for i in order {
        runs[i] = match i {
            0 => entry(&mut group, "ours", &mut ours),
            1 => entry(&mut group, "windows-rs", &mut windows_rs),
            _ => entry(&mut group, "limit", &mut limit),
        };
    }
    group.finish();
    runs
}

/// `HIT` is a constant, so each entry's code is specialized for the hit or the miss.
fn query_interface<const HIT: bool>(c: &mut Criterion, name: &str, iid: &'static GUID) {
    let objects = Objects::new();
    let before = objects.ref_counts();
    let com = |raw: *mut core::ffi::c_void| {
        move || {
            let mut out = ptr::null_mut();
            // SAFETY: `raw` is a live interface pointer `objects` holds a reference on; the
            // IID is readable and `out` writable; a hit's reference is released at once.
            unsafe {
                let hr = call::query_interface(black_box(raw), black_box(iid), black_box(&mut out));
                if HIT {
                    black_box(call::release(black_box(out)));
                }
                let _ = black_box(hr);
            }
        }
    };
    let count = &objects.limit_count;
    let this = ptr::addr_of!(objects.limit_count).cast_mut().cast();
    three(
        c,
        name,
        com(objects.ours_raw()),
        com(objects.peer_raw()),
        || {
            // The floor: only the IID is hidden from the compiler, and only the result kept.
            let mut out = ptr::null_mut();
            let hr = limit::query_interface(count, this, black_box(iid), &mut out);
            if HIT {
                count.fetch_sub(1, Ordering::Release);
            }
            let _ = black_box((hr, out));
        },
    );
    assert_eq!(
        objects.ref_counts(),
        before,
        "{name}: a reference was gained or lost"
    );
}

fn query_interface_hit(c: &mut Criterion) {
    query_interface::<true>(c, "query_interface_hit", &sys::IID_IMAPIOfflineNotify);
}

fn query_interface_miss(c: &mut Criterion) {
    query_interface::<false>(c, "query_interface_miss", &IID_UNKNOWN_TO_BOTH);
}

fn add_ref_release(c: &mut Criterion) {
    let objects = Objects::new();
    let before = objects.ref_counts();
    let pair = |raw: *mut core::ffi::c_void| {
        move || {
            // SAFETY: a live interface pointer; the AddRef is matched by the Release.
            unsafe {
                black_box(call::add_ref(black_box(raw)));
                black_box(call::release(black_box(raw)));
            }
        }
    };
    three(
        c,
        "add_ref_release",
        pair(objects.ours_raw()),
        pair(objects.peer_raw()),
        pair(objects.c_object.as_raw()),
    );
    assert_eq!(
        objects.ref_counts(),
        before,
        "add_ref_release: a reference was gained or lost"
    );
}

fn notify_row(c: &mut Criterion, name: &str, minimal: bool) {
    let objects = Objects::new();
    let raw = state_change();
    let (ours, peer, function, counter) = if minimal {
        (
            objects.ours_minimal.as_raw(),
            windows_core::Interface::as_raw(&objects.peer_minimal_interface),
            limit::notify_minimal as limit::NotifyFn,
            &objects.limit_counters[1],
        )
    } else {
        (
            objects.ours_raw(),
            objects.peer_raw(),
            limit::notify as limit::NotifyFn,
            &objects.limit_counters[0],
        )
    };
    let com = |this: *mut core::ffi::c_void| {
        move || {
            // SAFETY: a live interface pointer; `raw` is a full 24-byte notification.
            unsafe { call::notify(black_box(this), black_box(&raw)) }
        }
    };
    let runs = three(c, name, com(ours), com(peer), || {
        // SAFETY: a live counter; `raw` is a full 24-byte notification.
        unsafe { black_box(function)(black_box(counter), black_box(&raw)) }
    });
    // The work was done: each contestant counted every notification it was sent. The counters
    // are `AtomicU32`s and wrap, so compare mod 2^32.
    let counted = if minimal {
        objects.counted_minimal()
    } else {
        objects.counted()
    };
    assert_eq!(
        counted,
        runs.map(|runs| runs as u32),
        "{name}: notifications counted (ours, windows-rs, limit) != calls made"
    );
}

fn notify(c: &mut Criterion) {
    notify_row(c, "notify", false);
}

fn notify_minimal(c: &mut Criterion) {
    notify_row(c, "notify_minimal", true);
}

fn create_release(c: &mut Criterion) {
    three(
        c,
        "create_release",
        || {
            black_box(create_release::ours());
        },
        || {
            black_box(create_release::windows_rs());
        },
        || {
            black_box(create_release::limit());
        },
    );
}

fn on_notify(c: &mut Criterion, name: &str, count: usize) {
    let objects = NewMailObjects::new();
    let batch = NewMailBatch::new(count);
    on_notify_row(
        c,
        name,
        objects.raws(),
        batch.args(),
        // SAFETY: the batch outlives every call.
        |n, array| unsafe { advise::decode_by_hand(n, array) },
        &objects.limit,
        batch.total_per_call,
        || objects.totals(),
    );
}

fn on_notify_mixed(c: &mut Criterion, name: &str, count: usize) {
    let objects = MixedObjects::new();
    let batch = MixedBatch::new(count);
    on_notify_row(
        c,
        name,
        objects.raws(),
        batch.args(),
        // SAFETY: the batch outlives every call.
        |n, array| unsafe { advise::decode_mixed_by_hand(n, array) },
        &objects.limit,
        batch.total_per_call,
        || objects.totals(),
    );
}

/// One `OnNotify` row: the sinks at `raws` (ours, windows-rs) called through their vtables,
/// and `decode` called directly as the limit, adding to `limit`; then each side must have
/// added up `per_call` for every call it was given (`totals`: ours, windows-rs, limit).
#[allow(clippy::too_many_arguments)]
fn on_notify_row(
    c: &mut Criterion,
    name: &str,
    [ours, peer]: [*mut core::ffi::c_void; 2],
    (n, array): (u32, *mut sys::NOTIFICATION),
    decode: impl Fn(u32, *const sys::NOTIFICATION) -> usize,
    limit: &advise::Totals,
    per_call: usize,
    totals: impl Fn() -> [usize; 3],
) {
    let runs = three(
        c,
        name,
        on_notify_com(ours, n, array),
        on_notify_com(peer, n, array),
        || {
            let total = decode(black_box(n), black_box(array));
            black_box(limit).total.fetch_add(total, Ordering::Relaxed);
        },
    );
    assert_eq!(
        totals(),
        runs.map(|runs| (runs as usize).wrapping_mul(per_call)),
        "{name}: totals (ours, windows-rs, limit) != calls made x work per call"
    );
}

/// `OnNotify` through the vtable of the sink at `raw`, with `black_box` on every argument.
fn on_notify_com(
    raw: *mut core::ffi::c_void,
    n: u32,
    array: *mut sys::NOTIFICATION,
) -> impl FnMut() {
    move || {
        // SAFETY: a live sink; the batch outlives the call.
        black_box(unsafe { advise::on_notify(black_box(raw), black_box(n), black_box(array)) });
    }
}

fn on_notify_1(c: &mut Criterion) {
    on_notify(c, "on_notify_1", 1);
}

fn on_notify_16(c: &mut Criterion) {
    on_notify(c, "on_notify_16", 16);
}

/// The price of the tests `Events` makes, alone, on the mixed burst of `count`: the
/// hand-written sink with the same tests written in (`ours` here), against it without them
/// (`windows-rs`), and the tested decoding called directly (`limit`).
fn on_notify_mixed_checked(c: &mut Criterion, name: &str, count: usize) {
    let checked = windows_core::ComObject::new(advise::CheckedPeer::default());
    let checked_interface = checked.to_interface::<advise::IMAPIAdviseSinkW>();
    let objects = MixedObjects::new();
    let batch = MixedBatch::new(count);
    let [_, peer] = objects.raws();
    on_notify_row(
        c,
        name,
        [windows_core::Interface::as_raw(&checked_interface), peer],
        batch.args(),
        // SAFETY: the batch outlives every call.
        |n, array| unsafe { advise::decode_mixed_checked(n, array) },
        &objects.limit,
        batch.total_per_call,
        || {
            let [_, peer, limit] = objects.totals();
            [checked.0.total.load(Ordering::Relaxed), peer, limit]
        },
    );
}

fn on_notify_mixed_1_checked(c: &mut Criterion) {
    on_notify_mixed_checked(c, "on_notify_mixed_1_checked", 1);
}

fn on_notify_mixed_16_checked(c: &mut Criterion) {
    on_notify_mixed_checked(c, "on_notify_mixed_16_checked", 16);
}

fn on_notify_mixed_1(c: &mut Criterion) {
    on_notify_mixed(c, "on_notify_mixed_1", 1);
}

fn on_notify_mixed_16(c: &mut Criterion) {
    on_notify_mixed(c, "on_notify_mixed_16", 16);
}

/// A logger that accepts every record, formats it, and drops the text.
#[cfg(feature = "trace")]
struct FormatAndDiscard;

#[cfg(feature = "trace")]
impl log::Log for FormatAndDiscard {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        use std::io::Write;
        let _ = write!(std::io::sink(), "{}", record.args());
    }

    fn flush(&self) {}
}

fn config() -> Criterion {
    #[cfg(feature = "trace")]
    if std::env::var_os("MAPI_BENCH_TRACE_LOG").is_some_and(|value| value == "1")
        && log::set_logger(&FormatAndDiscard).is_ok()
    {
        log::set_max_level(log::LevelFilter::Trace);
    }
    // Criterion's defaults (3 s warm-up, 5 s measurement, 100 samples) for a full run, except a
    // shorter warm-up: every routine here runs in nanoseconds. The command line overrides.
    Criterion::default().warm_up_time(Duration::from_secs(1))
}

criterion_group! {
    name = runtime;
    config = config();
    targets = query_interface_hit, query_interface_miss, add_ref_release, notify,
        notify_minimal, create_release, on_notify_1, on_notify_16, on_notify_mixed_1,
        on_notify_mixed_16, on_notify_mixed_1_checked, on_notify_mixed_16_checked
}
criterion_main!(runtime);
