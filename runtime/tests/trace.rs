//! The `trace` feature: a sink's reference history in the log, and the sinks still alive.
//!
//! `cargo test -p mapi-notify-sink --features trace --test trace`

#![cfg(feature = "trace")]

mod support;

use mapi_notify_sink::trace::{live_objects, LiveObject};
use mapi_notify_sink::{mapi_notify_sink, Notification, Sink};
use std::any::type_name;
use support::*;

/// A sink an add-in forgets to release: the bug the feature exists to find.
struct Leaky {
    _tombstone: Tombstone,
}

#[mapi_notify_sink]
impl Leaky {
    fn notify(&self, _info: &Notification<'_>) {}
}

/// The trace records about the object at `raw`, without the `<type> <address>: ` prefix.
fn history(logged: &Logged, raw: *mut core::ffi::c_void) -> Vec<String> {
    let prefix = format!("{} {raw:p}: ", type_name::<Leaky>());
    logged
        .at(log::Level::Trace)
        .into_iter()
        .filter_map(|record| record.strip_prefix(&prefix).map(str::to_owned))
        .collect()
}

fn listed(raw: *mut core::ffi::c_void) -> Option<LiveObject> {
    live_objects()
        .into_iter()
        .find(|object| object.address == raw as usize)
}

#[test]
fn a_leaked_sink_is_listed_alive_with_its_count_and_its_history_is_logged() {
    let (tombstone, drops) = tombstone();
    let (raw, logged) = capture_logs(|| {
        let sink = Sink::new(Leaky {
            _tombstone: tombstone,
        });
        let raw = sink.as_raw();
        // SAFETY: `sink` holds a reference throughout; the calls are a COM caller's.
        unsafe {
            // What Outlook does on Advise: a reference of its own...
            assert_eq!(query_interface(raw, &IID_IMAPIOfflineNotify).0, S_OK);
            assert_eq!(query_interface(raw, &IID_Unrelated).0, E_NOINTERFACE);
            assert_eq!(add_ref(raw), 3);
            assert_eq!(release(raw), 2);
        }
        let clone = sink.clone();
        drop(clone);
        drop(sink);
        // ...which nobody releases: the object outlives every `Sink`.
        raw
    });

    let leaked = listed(raw).expect("the leaked sink is listed as alive");
    assert_eq!(leaked.type_name, type_name::<Leaky>());
    assert_eq!(leaked.ref_count, 1);
    let shown = leaked.to_string();
    assert!(
        shown.starts_with(&format!(
            "{} at {raw:p}: count 1, alive ",
            type_name::<Leaky>()
        )),
        "{shown}"
    );
    assert_eq!(
        history(&logged, raw),
        [
            "created, count 1",
            "QueryInterface(IMAPIOfflineNotify) -> S_OK, count 2",
            "QueryInterface({6B1F3C1E-52A4-4F0E-9D6B-2F3E8A7C4D10}) -> E_NOINTERFACE",
            "AddRef -> 3",
            "Release -> 2",
            "AddRef -> 3", // Sink::clone
            "Release -> 2",
            "Release -> 1", // the last Sink
        ]
    );
    drops.assert_not_yet();

    // The leak found, the reference released: the object goes, and leaves the list.
    // SAFETY: the reference QueryInterface handed out above.
    let ((), logged) = capture_logs(|| assert_eq!(unsafe { release(raw) }, 0));
    let end = history(&logged, raw);
    assert_eq!(end[0], "Release -> 0");
    assert!(end[1].starts_with("destroyed after "), "{end:?}");
    assert_eq!(end.len(), 2);
    assert_eq!(listed(raw), None);
    drops.assert_once();
}

#[test]
fn query_interface_is_logged_with_the_interface_name() {
    let (sink, drops) = Recorder::sink();
    let raw = sink.as_raw();
    let ((), logged) = capture_logs(|| {
        for iid in [&IID_IUnknown, &IID_IAgileObject, &IID_IMarshal] {
            // SAFETY: `sink` holds a reference; each reference handed out is released.
            unsafe {
                let (hr, ppv) = query_interface(raw, iid);
                if hr == S_OK {
                    release(ppv);
                }
            }
        }
    });
    let prefix = format!("{} {raw:p}: ", type_name::<Recorder>());
    let queries: Vec<&str> = logged
        .at(log::Level::Trace)
        .into_iter()
        .filter_map(|record| record.strip_prefix(&prefix))
        .filter(|record| record.starts_with("QueryInterface"))
        .collect();
    assert_eq!(queries[0], "QueryInterface(IUnknown) -> S_OK, count 2");
    assert_eq!(queries[1], "QueryInterface(IAgileObject) -> S_OK, count 2");
    // Outside Windows a sink has no free-threaded marshaler.
    #[cfg(not(windows))]
    assert_eq!(queries[2], "QueryInterface(IMarshal) -> E_NOINTERFACE");
    #[cfg(windows)]
    assert!(queries[2].starts_with("QueryInterface(IMarshal) -> S_OK"));
    drop(sink);
    drops.assert_once();
}

/// A sink type of its own for each of the tests below: tests run in parallel, so a freed
/// sink's address may soon belong to another test's sink; its type tells them apart.
macro_rules! quiet_sink {
    ($name:ident) => {
        struct $name;

        #[mapi_notify_sink]
        impl $name {
            fn notify(&self, _info: &Notification<'_>) {}
        }
    };
}

quiet_sink!(Older);
quiet_sink!(Newer);
quiet_sink!(Transient);
quiet_sink!(Threaded);

fn listed_of<T>() -> Vec<LiveObject> {
    live_objects()
        .into_iter()
        .filter(|object| object.type_name == type_name::<T>())
        .collect()
}

#[test]
fn live_objects_lists_the_living_oldest_first_and_not_the_dropped() {
    let older = Sink::new(Older);
    let newer = Sink::new(Newer);
    drop(Sink::new(Transient));
    let alive = live_objects();
    let position = |raw: *mut core::ffi::c_void| {
        alive
            .iter()
            .position(|object| object.address == raw as usize)
            .expect("a live sink is listed")
    };
    assert!(position(older.as_raw()) < position(newer.as_raw()));
    assert!(listed_of::<Transient>().is_empty());
    drop(older);
    assert!(listed_of::<Older>().is_empty());
    assert_eq!(listed_of::<Newer>().len(), 1);
}

#[test]
fn sinks_made_and_dropped_on_other_threads_leave_the_list() {
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                let sink = Sink::new(Threaded);
                let address = sink.as_raw() as usize;
                assert!(live_objects()
                    .iter()
                    .any(|object| object.address == address));
                let clone = sink.clone();
                drop(sink);
                drop(clone);
            });
        }
    });
    assert!(listed_of::<Threaded>().is_empty());
}
