//! `MsgStore`, `EventMask` and `StoreAdvise` against a `SimulatedStore` (an `IMsgStore` whose
//! `Advise` and `Unadvise` work as MAPI's do): which connections get which events, by event
//! mask and by entry ID; the connection number; unadvising once, on drop or by hand; the sink's
//! references; the refusals.

use mapi_notify_sink::advise_sink::{AdviseSink, Event, EventMask, Events, MsgStore, StoreAdvise};
use mapi_notify_sink::mapi_advise_sink;
use mapi_notify_sink::simulator::{ObjectEventKind, SimulatedStore, StoreEvent};
use mapi_notify_sink::sys;
use std::sync::Mutex;
use windows_core::Interface;

/// What a sink saw: each event's type, and its entry ID as text.
#[derive(Default)]
struct Seen(Mutex<Vec<(u32, String)>>);

#[mapi_advise_sink]
impl Seen {
    fn on_notify(&self, events: &Events<'_>) {
        for event in events {
            let (kind, id) = match event {
                Event::NewMail(mail) => (sys::fnevNewMail, mail.entry_id()),
                Event::ObjectCreated(object) => (sys::fnevObjectCreated, object.entry_id()),
                Event::ObjectDeleted(object) => (sys::fnevObjectDeleted, object.entry_id()),
                _ => (0, None),
            };
            let id = id.map(|id| String::from_utf8_lossy(id.as_bytes()).into_owned());
            self.0.lock().unwrap().push((kind, id.unwrap_or_default()));
        }
    }
}

impl Seen {
    fn take(&self) -> Vec<(u32, String)> {
        std::mem::take(&mut self.0.lock().unwrap())
    }
}

fn events() -> Vec<StoreEvent> {
    vec![
        StoreEvent::new_mail(b"mail-1", b"inbox", "IPM.Note"),
        StoreEvent::object(ObjectEventKind::Created, b"draft-1", b"drafts"),
        StoreEvent::new_mail(b"mail-2", b"other", "IPM.Note"),
        StoreEvent::object(ObjectEventKind::Deleted, b"inbox", b"root"),
    ]
}

#[test]
fn the_event_mask_picks_the_events() {
    let simulated = SimulatedStore::new();
    let store = MsgStore::new(simulated.to_interface());
    let mail = AdviseSink::new(Seen::default());
    let created = AdviseSink::new(Seen::default());
    let _mail = store.advise(&mail, EventMask::NEW_MAIL, None).unwrap();
    let _created = store
        .advise(
            &created,
            EventMask::OBJECT_CREATED | EventMask::OBJECT_MOVED,
            None,
        )
        .unwrap();
    simulated.notify(&events());
    assert_eq!(
        mail.take(),
        [
            (sys::fnevNewMail, "mail-1".into()),
            (sys::fnevNewMail, "mail-2".into())
        ]
    );
    assert_eq!(created.take(), [(sys::fnevObjectCreated, "draft-1".into())]);
}

#[test]
fn an_entry_id_narrows_the_connection_to_that_object_and_what_is_in_it() {
    let simulated = SimulatedStore::new();
    let store = MsgStore::new(simulated.to_interface());
    let inbox = AdviseSink::new(Seen::default());
    let _inbox = store
        .advise(
            &inbox,
            EventMask::NEW_MAIL | EventMask::OBJECT_DELETED,
            Some(b"inbox"),
        )
        .unwrap();
    simulated.notify(&events());
    // mail-1 is in the inbox; the inbox itself was deleted; mail-2 and the draft are elsewhere.
    assert_eq!(
        inbox.take(),
        [
            (sys::fnevNewMail, "mail-1".into()),
            (sys::fnevObjectDeleted, "inbox".into())
        ]
    );
    // An empty entry ID is the whole store, as MAPI's cbEntryID of 0.
    let everything = AdviseSink::new(Seen::default());
    let _everything = store
        .advise(&everything, EventMask::NEW_MAIL, Some(&[]))
        .unwrap();
    simulated.notify(&events());
    assert_eq!(everything.take().len(), 2);
}

#[test]
fn a_guard_unadvises_once_on_drop_and_the_store_lets_go_of_the_sink() {
    let simulated = SimulatedStore::new();
    let store = MsgStore::new(simulated.to_interface());
    let sink = AdviseSink::new(Seen::default());
    let advise = store.advise(&sink, EventMask::NEW_MAIL, None).unwrap();
    let second = store.advise(&sink, EventMask::NEW_MAIL, None).unwrap();
    assert_ne!(advise.connection(), 0);
    assert_ne!(advise.connection(), second.connection());
    assert_eq!(simulated.advised(), 2);
    assert_eq!(
        AdviseSink::ref_count(&sink),
        3,
        "one reference per connection"
    );
    drop(advise);
    assert_eq!(simulated.advised(), 1);
    assert_eq!(AdviseSink::ref_count(&sink), 2);
    simulated.notify(&events());
    assert_eq!(
        sink.take().len(),
        2,
        "the connection left still gets its events"
    );
    second.unadvise().unwrap();
    assert_eq!(simulated.advised(), 0);
    assert_eq!(AdviseSink::ref_count(&sink), 1);
    simulated.notify(&events());
    assert!(sink.take().is_empty());
}

#[test]
fn a_guard_outlives_the_store_handle_it_came_from() {
    let simulated = SimulatedStore::new();
    let sink = AdviseSink::new(Seen::default());
    let advise: StoreAdvise = {
        let store = MsgStore::from(simulated.to_interface());
        store.advise(&sink, EventMask::NEW_MAIL, None).unwrap()
    };
    simulated.notify(&events());
    assert_eq!(sink.take().len(), 2);
    drop(advise);
    assert_eq!(simulated.advised(), 0);
}

#[test]
fn refusals_are_errors_and_advise_nothing() {
    let simulated = SimulatedStore::new();
    let store = MsgStore::new(simulated.to_interface());
    let sink = AdviseSink::new(Seen::default());
    let error = store
        .advise(&sink, EventMask::from_bits(0), None)
        .unwrap_err();
    assert_eq!(error.code(), sys::E_INVALIDARG);
    assert!(error.to_string().contains("an empty EventMask"), "{error}");
    assert_eq!(simulated.advised(), 0);
    assert_eq!(AdviseSink::ref_count(&sink), 1);
}

#[test]
fn any_interface_of_a_store_gives_the_store_and_nothing_else_does() {
    let simulated = SimulatedStore::new();
    let unknown: windows_core::IUnknown = simulated.to_interface().cast().unwrap();
    let store = MsgStore::from_unknown(&unknown).unwrap();
    let sink = AdviseSink::new(Seen::default());
    let advise = store.advise(&sink, EventMask::NEW_MAIL, None).unwrap();
    assert_eq!(simulated.advised(), 1);
    drop(advise);
    // A sink is no store: QueryInterface for IID_IMsgStore fails, and the error says which.
    let not_a_store = sink.to_unknown();
    let error = MsgStore::from_unknown(&not_a_store).unwrap_err();
    assert_eq!(error.code(), sys::E_NOINTERFACE);
    assert!(error.to_string().contains("IID_IMsgStore"), "{error}");
}

#[test]
fn event_mask_bits() {
    let mut mask = EventMask::NEW_MAIL;
    mask |= EventMask::EXTENDED;
    assert_eq!(mask.bits(), sys::fnevNewMail | sys::fnevExtended);
    assert!(mask.contains(EventMask::EXTENDED));
    assert!(!EventMask::NEW_MAIL.contains(mask));
    assert_eq!(
        EventMask::from_bits(sys::fnevTableModified),
        EventMask::TABLE_MODIFIED
    );
}

/// Re-entrancy: a sink that, from inside `on_notify` (on the store's thread, while the store
/// delivers), advises another sink on the same store and unadvises it again. Neither waits for
/// the other: the store holds no lock while it calls a sink. (`MsgStore` and its guards stay on
/// the thread that made them, so this sink makes its own `MsgStore` there.)
struct Rewire {
    store: std::sync::Arc<SimulatedStore>,
    next: AdviseSink<Seen>,
    /// Connections advised while inside, and the connection made there.
    inside: Mutex<Vec<(usize, usize)>>,
}

#[mapi_advise_sink]
impl Rewire {
    fn on_notify(&self, _events: &Events<'_>) {
        let store = MsgStore::new(self.store.to_interface());
        let made = store.advise(&self.next, EventMask::NEW_MAIL, None).unwrap();
        self.inside
            .lock()
            .unwrap()
            .push((self.store.advised(), made.connection()));
        made.unadvise().unwrap();
    }
}

#[test]
fn a_sink_may_advise_and_unadvise_from_inside_on_notify() {
    let simulated = std::sync::Arc::new(SimulatedStore::new());
    let store = MsgStore::new(simulated.to_interface());
    let sink = AdviseSink::new(Rewire {
        store: simulated.clone(),
        next: AdviseSink::new(Seen::default()),
        inside: Mutex::new(Vec::new()),
    });
    let own = store.advise(&sink, EventMask::NEW_MAIL, None).unwrap();
    for id in [&b"m1"[..], b"m2"] {
        // From another thread, waited for with a deadline: a deadlock fails the test.
        let (done, finished) = std::sync::mpsc::channel();
        let delivering = simulated.clone();
        std::thread::spawn(move || {
            let calls = delivering.notify(&[StoreEvent::new_mail(id, b"inbox", "IPM.Note")]);
            let _ = done.send(calls);
        });
        let calls = finished
            .recv_timeout(std::time::Duration::from_secs(30))
            .expect("notify returned: no deadlock between the store and the sink");
        assert_eq!(calls, 1);
    }
    let inside = sink.inside.lock().unwrap().clone();
    assert_eq!(inside.len(), 2, "called once per notify");
    for (advised, connection) in inside {
        assert_eq!(advised, 2, "its own connection and the one made inside");
        assert_ne!(connection, 0);
        assert_ne!(connection, own.connection());
    }
    assert_eq!(
        simulated.advised(),
        1,
        "the connections made inside were unadvised there"
    );
    assert!(
        sink.next.take().is_empty(),
        "advised after the events were picked"
    );
    assert_eq!(
        AdviseSink::ref_count(&sink.next),
        1,
        "the store let go of the inner sink"
    );
    drop(own);
    assert_eq!(simulated.advised(), 0);
    assert_eq!(
        AdviseSink::ref_count(&sink),
        1,
        "the store let go of the sink"
    );
}
