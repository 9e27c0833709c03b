//! `advise_sink::MsgStore` and `AdviseSink` meet outlook-mapi-sys, the binding MAPI programs in
//! Rust use: a store held as outlook-mapi-sys's `IMsgStore` (here a `SimulatedStore`, as MAPI's
//! own would be) is advised through `MsgStore::from_unknown`, filtered by event mask and entry ID,
//! unadvised on drop; and a sink handed to outlook-mapi-sys's own `IMsgStore::Advise` as its
//! `IMAPIAdviseSink`. Both crates are on windows-core 0.62, so the interfaces convert with
//! `cast`/`into`, no raw pointers. Windows (under Wine by `scripts/windows/interop.sh`).
#![cfg(windows)]

use mapi_notify_sink::advise_sink::{AdviseSink, Event, EventMask, Events, MsgStore};
use mapi_notify_sink::mapi_advise_sink;
use mapi_notify_sink::simulator::{ObjectEventKind, SimulatedStore, StoreEvent};
use outlook_mapi_sys::Microsoft::Office::Outlook::MAPI::Win32 as mapi;
use std::sync::Mutex;
use windows_core::{IUnknown, Interface};

/// Records the entry ID of each event, in order.
struct Seen(Mutex<Vec<Vec<u8>>>);

#[mapi_advise_sink]
impl Seen {
    fn on_notify(&self, events: &Events<'_>) {
        for event in events {
            let id = match event {
                Event::NewMail(mail) => mail.entry_id(),
                Event::ObjectCreated(object) | Event::ObjectDeleted(object) => object.entry_id(),
                _ => None,
            };
            let id = id.map(|id| id.as_bytes().to_vec()).unwrap_or_default();
            self.0.lock().unwrap().push(id);
        }
    }
}

fn seen(sink: &AdviseSink<Seen>) -> Vec<Vec<u8>> {
    sink.0.lock().unwrap().clone()
}

#[test]
fn msgstore_from_outlook_mapis_imsgstore() {
    let simulated = SimulatedStore::new();
    // What a MAPI program in Rust holds: outlook-mapi-sys's IMsgStore.
    let theirs: mapi::IMsgStore = simulated.to_interface().cast().unwrap();
    let unknown: IUnknown = theirs.cast().unwrap();
    let store = MsgStore::from_unknown(&unknown).unwrap();

    let whole = AdviseSink::new(Seen(Mutex::new(Vec::new())));
    let folder = AdviseSink::new(Seen(Mutex::new(Vec::new())));
    let new_mail = store.advise(&whole, EventMask::NEW_MAIL, None).unwrap();
    let in_inbox = store
        .advise(&folder, EventMask::OBJECT_CREATED, Some(b"inbox"))
        .unwrap();
    assert_ne!(new_mail.connection(), 0);
    assert_ne!(in_inbox.connection(), 0);
    assert_ne!(new_mail.connection(), in_inbox.connection());
    assert_eq!(simulated.advised(), 2);

    simulated.notify(&[
        StoreEvent::new_mail(b"m1", b"inbox", "IPM.Note"),
        StoreEvent::object(ObjectEventKind::Created, b"m2", b"inbox"),
        StoreEvent::object(ObjectEventKind::Created, b"m3", b"drafts"),
        StoreEvent::new_mail(b"m4", b"drafts", "IPM.Note"),
    ]);
    // By event mask: only new mail, from anywhere.
    assert_eq!(seen(&whole), [b"m1".to_vec(), b"m4".to_vec()]);
    // By event mask and entry ID: objects created in the inbox only.
    assert_eq!(seen(&folder), [b"m2".to_vec()]);

    drop(new_mail); // unadvised as dropped
    assert_eq!(simulated.advised(), 1);
    in_inbox.unadvise().unwrap();
    assert_eq!(simulated.advised(), 0);
    simulated.notify(&[StoreEvent::new_mail(b"m5", b"inbox", "IPM.Note")]);
    assert_eq!(seen(&whole).len(), 2, "nothing after the unadvise");
    assert_eq!(AdviseSink::ref_count(&whole), 1, "the store let go of the sink");
}

#[test]
fn a_sink_through_outlook_mapis_own_advise() {
    let simulated = SimulatedStore::new();
    let theirs: mapi::IMsgStore = simulated.to_interface().cast().unwrap();
    let sink = AdviseSink::new(Seen(Mutex::new(Vec::new())));
    // The sink as outlook-mapi-sys's IMAPIAdviseSink, AddRef'd.
    let their_sink: mapi::IMAPIAdviseSink = sink.to_unknown().cast().unwrap();
    let mut connection = 0;
    // SAFETY: a null entry ID of size 0 (the whole store), a live sink, a valid out pointer.
    unsafe {
        theirs
            .Advise(0, core::ptr::null_mut(), mapi::fnevNewMail, &their_sink, &mut connection)
            .unwrap();
    }
    assert_ne!(connection, 0);
    simulated.notify(&[StoreEvent::new_mail(b"m1", b"inbox", "IPM.Note")]);
    assert_eq!(seen(&sink), [b"m1".to_vec()]);
    // SAFETY: the connection Advise gave.
    unsafe { theirs.Unadvise(connection).unwrap() };
    drop(their_sink);
    assert_eq!(AdviseSink::ref_count(&sink), 1);
}
