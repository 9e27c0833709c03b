//! The COM object's `IUnknown` behaviour and `Sink<T>`'s reference handling, observed through
//! the vtable as a C++ caller uses it.

mod support;

use core::ptr;
use mapi_notify_sink::{mapi_notify_sink, Notification, Sink};
use support::*;

/// Answering must hand out the object's one pointer with a reference the caller then owns.
fn assert_query_interface_answers(iid: &Guid) {
    let (sink, drops) = Recorder::sink();
    // SAFETY: `sink` holds a reference.
    let (hr, ppv) = unsafe { query_interface(sink.as_raw(), iid) };
    assert_eq!(hr, S_OK);
    assert_eq!(ppv, sink.as_raw());
    assert_eq!(Sink::ref_count(&sink), 2);
    // SAFETY: the reference QueryInterface handed out.
    assert_eq!(unsafe { release(ppv) }, 1);
    drops.assert_not_yet();
    drop(sink);
    drops.assert_once();
}

#[test]
fn query_interface_answers_iunknown_with_the_object_pointer() {
    assert_query_interface_answers(&IID_IUnknown);
}

#[test]
fn query_interface_answers_imapiofflinenotify_with_the_object_pointer() {
    assert_query_interface_answers(&IID_IMAPIOfflineNotify);
}

#[test]
fn query_interface_answers_iagileobject_with_the_object_pointer() {
    assert_query_interface_answers(&IID_IAgileObject);
}

/// Refusing must overwrite the caller's out variable with null and add no reference.
fn assert_query_interface_refuses(iid: &Guid) {
    let (sink, drops) = Recorder::sink();
    // SAFETY: `sink` holds a reference.
    let (hr, ppv) = unsafe { query_interface(sink.as_raw(), iid) };
    assert_eq!(hr, E_NOINTERFACE, "{iid:x?}");
    assert!(ppv.is_null(), "*ppv left as {ppv:?} for {iid:x?}");
    assert_eq!(Sink::ref_count(&sink), 1);
    drop(sink);
    drops.assert_once();
}

#[test]
fn query_interface_unknown_iid_is_e_nointerface_and_nulls_ppv() {
    for iid in [
        IID_Unrelated,
        IID_IInspectable,
        IID_IMAPIOffline,
        IID_IMAPIOfflineMgr,
    ] {
        assert_query_interface_refuses(&iid);
    }
}

// On Windows IMarshal is answered by the free-threaded marshaler; nowhere else is there one.
#[cfg(not(windows))]
#[test]
fn query_interface_imarshal_is_e_nointerface_off_windows() {
    assert_query_interface_refuses(&IID_IMarshal);
}

#[test]
fn query_interface_null_ppv_is_e_pointer() {
    let (sink, drops) = Recorder::sink();
    // SAFETY: `sink` holds a reference; a null `ppv` is the case under test.
    let hr = unsafe { query_interface_raw(sink.as_raw(), &IID_IUnknown, ptr::null_mut()) };
    assert_eq!(hr, E_POINTER);
    assert_eq!(Sink::ref_count(&sink), 1);
    drop(sink);
    drops.assert_once();
}

#[test]
fn query_interface_null_riid_is_e_pointer_and_nulls_ppv() {
    let (sink, drops) = Recorder::sink();
    let mut ppv = garbage_ppv();
    // SAFETY: `sink` holds a reference; a null `riid` is the case under test.
    let hr = unsafe { query_interface_raw(sink.as_raw(), ptr::null(), &mut ppv) };
    assert_eq!(hr, E_POINTER);
    assert!(ppv.is_null());
    assert_eq!(Sink::ref_count(&sink), 1);
    drop(sink);
    drops.assert_once();
}

#[test]
fn add_ref_and_release_return_the_new_count() {
    let (sink, drops) = Recorder::sink();
    let raw = sink.as_raw();
    // SAFETY: `sink` holds a reference throughout; each Release gives back an AddRef's.
    unsafe {
        assert_eq!(add_ref(raw), 2);
        assert_eq!(add_ref(raw), 3);
        assert_eq!(Sink::ref_count(&sink), 3);
        assert_eq!(release(raw), 2);
        assert_eq!(release(raw), 1);
    }
    assert_eq!(Sink::ref_count(&sink), 1);
    drops.assert_not_yet();
    drop(sink);
    drops.assert_once();
}

#[test]
fn sink_clone_and_drop_move_the_count() {
    let (sink, drops) = Recorder::sink();
    assert_eq!(Sink::ref_count(&sink), 1);
    let clone = sink.clone();
    assert_eq!(clone.as_raw(), sink.as_raw());
    assert_eq!(Sink::ref_count(&sink), 2);
    assert_eq!(Sink::ref_count(&clone), 2);
    drop(clone);
    assert_eq!(Sink::ref_count(&sink), 1);
    drops.assert_not_yet();
    drop(sink);
    drops.assert_once();
}

#[test]
fn into_raw_and_from_raw_round_trip_keeps_one_reference() {
    let (sink, drops) = Recorder::sink();
    let raw = sink.into_raw();
    // The count is still 1: into_raw handed the reference over rather than dropping it.
    // SAFETY: `raw` carries the reference `sink` gave away.
    unsafe {
        assert_eq!(add_ref(raw), 2);
        assert_eq!(release(raw), 1);
    }
    drops.assert_not_yet();
    // SAFETY: `raw` came from `Sink::<Recorder>::into_raw` and its reference is taken back once.
    let sink = unsafe { Sink::<Recorder>::from_raw(raw) };
    assert_eq!(sink.as_raw(), raw);
    assert_eq!(Sink::ref_count(&sink), 1);
    drop(sink);
    drops.assert_once();
}

#[test]
fn com_caller_holding_the_last_reference_frees_the_object_once() {
    let (sink, drops) = Recorder::sink();
    // Outlook's Advise: the add-in hands the pointer over and Outlook queries it.
    let raw = sink.into_raw();
    // SAFETY: `raw` carries one reference, and each Release gives back one that is held.
    unsafe {
        let (hr, notify) = query_interface(raw, &IID_IMAPIOfflineNotify);
        assert_eq!(hr, S_OK);
        assert_eq!(release(raw), 1);
        drops.assert_not_yet();
        assert_eq!(release(notify), 0);
    }
    drops.assert_once();
}

#[test]
fn deref_reaches_the_value_in_the_object() {
    let (sink, drops) = Recorder::sink();
    let clone = sink.clone();
    // Every reference reaches the one `T` inside the object, not a copy.
    assert!(ptr::eq::<Recorder>(&*sink, &*clone));
    // SAFETY: `sink` holds a reference; Notify reads a 24-byte notification.
    unsafe {
        let info = MapiOfflineNotify::state_change(STATECHANGE, 77, ONLINE, OFFLINE);
        notify(sink.as_raw(), ptr::from_ref(&info).cast());
    }
    assert_eq!(clone.take().len(), 1);
    drop((sink, clone));
    drops.assert_once();
}

#[derive(Debug)]
struct Labelled {
    label: &'static str,
    _tombstone: Tombstone,
}

#[mapi_notify_sink]
impl Labelled {
    fn notify(&self, _info: &Notification<'_>) {}
}

#[test]
fn debug_shows_the_value() {
    let (tombstone, drops) = tombstone();
    let sink = Sink::new(Labelled {
        label: "kitchen",
        _tombstone: tombstone,
    });
    assert_eq!(sink.label, "kitchen");
    assert_eq!(
        format!("{sink:?}"),
        r#"Sink(Labelled { label: "kitchen", _tombstone: Tombstone })"#
    );
    drop(sink);
    drops.assert_once();
}

// Outlook may call from any thread: a `Sink` that stopped being Send + Sync must not compile.
const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<Sink<Recorder>>();
};

#[test]
fn sink_can_be_used_and_released_on_another_thread() {
    let (sink, drops) = Recorder::sink();
    let clone = sink.clone();
    let notified = std::thread::spawn(move || {
        // SAFETY: `clone` holds a reference; Notify reads a 24-byte notification.
        unsafe {
            let info = MapiOfflineNotify::state_change(STATECHANGE_DONE, 5, ONLINE, OFFLINE);
            notify(clone.as_raw(), ptr::from_ref(&info).cast());
        }
        let seen = clone.take();
        drop(clone);
        seen
    })
    .join()
    .unwrap();
    assert_eq!(notified.len(), 1);
    assert_eq!(Sink::ref_count(&sink), 1);
    drops.assert_not_yet();
    drop(sink);
    drops.assert_once();
}

// The layout the `object` module documents, measured: the one heap block `Sink::new` makes,
// with `T` after the 8-byte vtable pointer and the count (padded to 8).
#[cfg(all(target_pointer_width = "64", not(all(miri, windows))))]
#[test]
fn object_is_16_bytes_plus_t_and_freed_with_that_size() {
    fn check<T: mapi_notify_sink::NotifySink>(value: T, drops: Drops) {
        assert_object_is_16_bytes_plus_t(|| Sink::new(value), Sink::as_raw, drops);
    }

    let (tombstone, drops) = tombstone();
    check(
        Labelled {
            label: "size",
            _tombstone: tombstone,
        },
        drops,
    );

    let (recorder, drops) = Recorder::new();
    check(recorder, drops);
}
