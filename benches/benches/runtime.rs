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
//! Groups (one per operation), each with the entries `ours`, `windows-rs` and `limit`:
//! - `query_interface_hit`: QueryInterface(IID_IMAPIOfflineNotify), then Release the result.
//!   limit: the same IID comparisons, an `AtomicU32` add and the out write, then a `fetch_sub`.
//! - `query_interface_miss`: QueryInterface(an IID neither implements) → E_NOINTERFACE.
//!   limit: the same three IID comparisons and the null write.
//! - `add_ref_release`: AddRef then Release. limit: `fetch_add(Relaxed)` + `fetch_sub(Release)`.
//! - `notify_dispatch`: Notify with a 24-byte STATECHANGE; the user fn decodes it and does a
//!   relaxed atomic add (see `mapi_notify_sink_bench` for what each side does around it).
//!   limit: the same user fn called directly on the same payload.
//! - `create_drop`: `Sink::new` + drop (the last Release) / `ComObject::new` + drop /
//!   `Box::new` of the same payload + drop.
//! - `on_notify_1`, `on_notify_16`: the advise sink's `OnNotify` with 1 and 16 new-mail
//!   notifications, each decoded (entry ID and parent byte counts, the class's length): ours
//!   through `Events`, windows-rs by hand from the raw array, the limit the same hand-written
//!   decoding called directly (see `mapi_notify_sink_bench::advise`).
//!
//! Every COM call goes through the raw vtable (the `call` module), with `black_box` on the
//! object pointer and the arguments and on every result. Each entry is timed with `iter_custom`
//! so the number of calls is known: after a `notify_dispatch` entry the benchmark asserts its
//! object counted exactly that many notifications, and after every group that no reference was
//! gained or lost.

use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, Bencher, BenchmarkGroup, Criterion};
use mapi_notify_sink::{sys, Notification, Sink};
use mapi_notify_sink_bench::advise::{self, AdviseObjects, NewMailBatch};
use mapi_notify_sink_bench::{call, limit, state_change, Objects, Ours, Peer, IID_UNKNOWN_TO_BOTH};
use std::hint::black_box;
use std::ptr;
use std::time::{Duration, Instant};
use windows_core::{ComObject, GUID};

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

fn query_interface(c: &mut Criterion, name: &str, iid: &'static GUID, hit: bool) {
    let objects = Objects::new();
    let before = objects.ref_counts();
    let mut group = c.benchmark_group(name);
    for (entry_name, raw) in [
        ("ours", objects.ours_raw()),
        ("windows-rs", objects.peer_raw()),
    ] {
        entry(&mut group, entry_name, || {
            let mut out = ptr::null_mut();
            // SAFETY: `raw` is a live interface pointer `objects` holds a reference on; the
            // IID is readable and `out` writable; a hit's reference is released at once.
            unsafe {
                let hr = call::query_interface(black_box(raw), black_box(iid), black_box(&mut out));
                if hit {
                    black_box(call::release(black_box(out)));
                }
                let _ = black_box(hr);
            }
        });
    }
    let this = ptr::addr_of!(objects.limit).cast_mut().cast();
    entry(&mut group, "limit", || {
        let mut out = ptr::null_mut();
        let count = black_box(&objects.limit_count);
        let hr =
            limit::query_interface(count, black_box(this), black_box(iid), black_box(&mut out));
        if hit {
            black_box(limit::release(count));
        }
        let _ = black_box(hr);
    });
    group.finish();
    assert_eq!(
        objects.ref_counts(),
        before,
        "{name}: a reference was gained or lost"
    );
}

fn query_interface_hit(c: &mut Criterion) {
    query_interface(c, "query_interface_hit", &sys::IID_IMAPIOfflineNotify, true);
}

fn query_interface_miss(c: &mut Criterion) {
    query_interface(c, "query_interface_miss", &IID_UNKNOWN_TO_BOTH, false);
}

fn add_ref_release(c: &mut Criterion) {
    let objects = Objects::new();
    let before = objects.ref_counts();
    let mut group = c.benchmark_group("add_ref_release");
    for (entry_name, raw) in [
        ("ours", objects.ours_raw()),
        ("windows-rs", objects.peer_raw()),
    ] {
        entry(&mut group, entry_name, || {
            // SAFETY: a live interface pointer; the AddRef is matched by the Release.
            unsafe {
                black_box(call::add_ref(black_box(raw)));
                black_box(call::release(black_box(raw)));
            }
        });
    }
    entry(&mut group, "limit", || {
        black_box(limit::add_ref(black_box(&objects.limit_count)));
        black_box(limit::release(black_box(&objects.limit_count)));
    });
    group.finish();
    assert_eq!(
        objects.ref_counts(),
        before,
        "add_ref_release: a reference was gained or lost"
    );
}

fn notify_dispatch(c: &mut Criterion) {
    let objects = Objects::new();
    let raw = state_change();
    let mut group = c.benchmark_group("notify_dispatch");
    let mut runs = [0; 3];
    for (i, (entry_name, this)) in [
        ("ours", objects.ours_raw()),
        ("windows-rs", objects.peer_raw()),
    ]
    .into_iter()
    .enumerate()
    {
        runs[i] = entry(&mut group, entry_name, || {
            // SAFETY: a live interface pointer; `raw` is a full 24-byte notification.
            unsafe { call::notify(black_box(this), black_box(&raw)) }
        });
    }
    runs[2] = entry(&mut group, "limit", || {
        black_box(&objects.limit).notify(&Notification::new(black_box(&raw)));
    });
    group.finish();
    // The work was done: each object counted every notification it was sent. The counters are
    // `AtomicU32`s and wrap (a long run of the limit passes 2^32 calls), so compare mod 2^32.
    assert_eq!(
        objects.counted(),
        runs.map(|runs| runs as u32),
        "notify_dispatch: notifications counted (ours, windows-rs, limit) != calls made"
    );
}

fn create_drop(c: &mut Criterion) {
    let mut group = c.benchmark_group("create_drop");
    entry(&mut group, "ours", || {
        drop(black_box(Sink::new(black_box(Ours::default()))));
    });
    entry(&mut group, "windows-rs", || {
        drop(black_box(ComObject::new(black_box(Peer::default()))));
    });
    entry(&mut group, "limit", || {
        drop(black_box(Box::new(black_box(Ours::default()))));
    });
    group.finish();
}

fn on_notify(c: &mut Criterion, name: &str, count: usize) {
    let objects = AdviseObjects::new();
    let batch = NewMailBatch::new(count);
    let (n, array) = batch.args();
    let mut group = c.benchmark_group(name);
    let mut runs = [0; 3];
    for (i, (entry_name, raw)) in ["ours", "windows-rs"]
        .into_iter()
        .zip(objects.raws())
        .enumerate()
    {
        runs[i] = entry(&mut group, entry_name, || {
            // SAFETY: a live sink; the batch outlives the call.
            black_box(unsafe { advise::on_notify(black_box(raw), black_box(n), black_box(array)) });
        });
    }
    runs[2] = entry(&mut group, "limit", || {
        // SAFETY: the batch outlives the call.
        let total = unsafe { advise::decode_by_hand(black_box(n), black_box(array)) };
        black_box(&objects.limit)
            .total
            .fetch_add(total, std::sync::atomic::Ordering::Relaxed);
    });
    group.finish();
    assert_eq!(
        objects.totals(),
        runs.map(|runs| (runs as usize).wrapping_mul(batch.total_per_call)),
        "{name}: totals (ours, windows-rs, limit) != calls made x work per call"
    );
}

fn on_notify_1(c: &mut Criterion) {
    on_notify(c, "on_notify_1", 1);
}

fn on_notify_16(c: &mut Criterion) {
    on_notify(c, "on_notify_16", 16);
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
    targets = query_interface_hit, query_interface_miss, add_ref_release, notify_dispatch,
        create_drop, on_notify_1, on_notify_16
}
criterion_main!(runtime);
