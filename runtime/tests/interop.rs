//! The sink as windows-core 0.62 code sees it: `IUnknown::cast`, COM identity, and errors.

mod support;

use core::ptr;
use mapi_notify_sink::{sys, Sink};
use support::*;
use windows_core::{IInspectable, IUnknown, Interface};

#[test]
fn to_unknown_casts_to_imapiofflinenotify_and_notify_reaches_the_sink() {
    let (sink, drops) = Recorder::sink();
    let unknown = sink.to_unknown();
    let notify = unknown.cast::<sys::IMAPIOfflineNotify>().unwrap();
    assert_eq!(notify.as_raw(), sink.as_raw());
    assert_eq!(Sink::ref_count(&sink), 3);

    let info = MapiOfflineNotify::state_change(STATECHANGE, 5, ONLINE, OFFLINE);
    // SAFETY: `info` is a whole notification, laid out as the header says.
    unsafe { notify.Notify(ptr::from_ref(&info).cast()) };
    let seen = sink.take();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].client_token, 5);

    drop((unknown, notify));
    assert_eq!(Sink::ref_count(&sink), 1);
    drop(sink);
    drops.assert_once();
}

#[test]
fn cast_to_iinspectable_fails_with_e_nointerface() {
    let (sink, drops) = Recorder::sink();
    let unknown = sink.to_unknown();
    let error = unknown.cast::<IInspectable>().unwrap_err();
    assert_eq!(error.code(), E_NOINTERFACE);
    assert_eq!(Sink::ref_count(&sink), 2);
    drop(unknown);
    assert_eq!(Sink::ref_count(&sink), 1);
    drop(sink);
    drops.assert_once();
}

// COM identity: every route to IUnknown gives the same pointer, so pointer comparison works.
#[test]
fn iunknowns_from_one_sink_are_equal() {
    let (sink, drops) = Recorder::sink();
    let first = sink.to_unknown();
    let second = sink.to_unknown();
    let via_notify = sink.to_interface().cast::<IUnknown>().unwrap();
    assert_eq!(first, second);
    assert_eq!(first, via_notify);
    for unknown in [&first, &second, &via_notify] {
        assert_eq!(unknown.as_raw(), sink.as_raw());
    }
    assert_eq!(Sink::ref_count(&sink), 4);
    drop((first, second, via_notify));
    assert_eq!(Sink::ref_count(&sink), 1);
    drop(sink);
    drops.assert_once();
}
