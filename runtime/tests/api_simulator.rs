//! The simulators' own API, one test per method: `SimulatedOutlook`, `SimulatedStore`,
//! `SimProp`, `SimValue` and `StoreEvent`.

// Each test was its method's doc example.
mod support;
use mapi_notify_sink::advise_sink::AdviseSink;
use mapi_notify_sink::advise_sink::Event;
use mapi_notify_sink::advise_sink::Events;
use mapi_notify_sink::advise_sink::TableEventKind;
use mapi_notify_sink::advise_sink::Value;
use mapi_notify_sink::mapi_advise_sink;
use mapi_notify_sink::mapi_notify_sink;
use mapi_notify_sink::simulator::ObjectEventKind;
use mapi_notify_sink::simulator::SimProp;
use mapi_notify_sink::simulator::SimValue;
use mapi_notify_sink::simulator::SimulatedOutlook;
use mapi_notify_sink::simulator::SimulatedStore;
use mapi_notify_sink::simulator::StoreEvent;
use mapi_notify_sink::sys;
use mapi_notify_sink::AdviseOptions;
use mapi_notify_sink::ConnectionState;
use mapi_notify_sink::Notification;
use mapi_notify_sink::OfflineManager;
use mapi_notify_sink::SetStateMode;
use mapi_notify_sink::Sink;
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering;
use support::deliver;
use windows_core::Interface as _;

#[test]
fn simulated_outlook_new() {
    let outlook = SimulatedOutlook::new();
    let manager = outlook.manager();
    assert_eq!(manager.state().unwrap(), ConnectionState::Online);
    assert!(manager.capabilities().unwrap().can_go_offline());
}

#[test]
fn simulated_outlook_manager() {
    fn go_offline(manager: &OfflineManager) -> mapi_notify_sink::Result<()> {
        manager.set_state(ConnectionState::Offline, SetStateMode::Block)
    }

    let outlook = SimulatedOutlook::new();
    go_offline(&outlook.manager()).unwrap();
    assert_eq!(outlook.manager().state().unwrap(), ConnectionState::Offline);
}

#[test]
fn simulated_outlook_go_offline() {
    let outlook = SimulatedOutlook::new();
    outlook.go_offline();
    assert_eq!(outlook.manager().state().unwrap(), ConnectionState::Offline);
    outlook.go_offline(); // already offline: nothing happens
}

#[test]
fn simulated_outlook_go_online() {
    let outlook = SimulatedOutlook::new();
    outlook.go_offline();
    outlook.go_online();
    assert_eq!(outlook.manager().state().unwrap(), ConnectionState::Online);
}

#[test]
fn simulated_outlook_advised() {
    struct Quiet;

    #[mapi_notify_sink]
    impl Quiet {
        fn notify(&self, _info: &Notification<'_>) {}
    }

    let outlook = SimulatedOutlook::new();
    assert_eq!(outlook.advised(), 0);
    let advise = outlook
        .manager()
        .advise(&Sink::new(Quiet), AdviseOptions::default())
        .unwrap();
    assert_eq!(outlook.advised(), 1);
    drop(advise);
    assert_eq!(outlook.advised(), 0);
}

#[test]
fn simulated_outlook_flood() {
    /// Counts the notifications, and the threads they came on.
    #[derive(Default)]
    struct Seen(std::sync::Mutex<(usize, std::collections::HashSet<std::thread::ThreadId>)>);

    #[mapi_notify_sink]
    impl Seen {
        fn notify(&self, _info: &Notification<'_>) {
            let mut seen = self.0.lock().unwrap();
            seen.0 += 1;
            seen.1.insert(std::thread::current().id());
        }
    }

    let outlook = SimulatedOutlook::new();
    let sink = Sink::new(Seen::default());
    let advise = outlook
        .manager()
        .advise(&sink, AdviseOptions::default())
        .unwrap();
    outlook.flood(4, 10);
    let (count, threads) = {
        let seen = sink.0.lock().unwrap();
        (seen.0, seen.1.len())
    };
    assert_eq!(
        count,
        4 * 10 * 3,
        "three notifications per transition, per thread"
    );
    assert_eq!(threads, 4, "each of the four threads called the sink");
    assert_eq!(
        outlook.manager().state().unwrap(),
        ConnectionState::Online,
        "the state is kept"
    );
    drop(advise);
    assert_eq!(
        Sink::ref_count(&sink),
        1,
        "the flood's references were released"
    );
}

#[test]
fn simulated_outlook_slowest_notify() {
    /// Slow on the second notification of each transition only.
    struct Slow(AtomicUsize);

    #[mapi_notify_sink]
    impl Slow {
        fn notify(&self, _info: &Notification<'_>) {
            if self.0.fetch_add(1, Ordering::Relaxed) % 3 == 1 {
                std::thread::sleep(std::time::Duration::from_millis(30));
            }
        }
    }

    let outlook = SimulatedOutlook::new();
    assert_eq!(
        outlook.slowest_notify(),
        std::time::Duration::ZERO,
        "nothing delivered yet"
    );
    let advise = outlook
        .manager()
        .advise(
            &Sink::new(Slow(AtomicUsize::new(0))),
            AdviseOptions::default(),
        )
        .unwrap();
    outlook.go_offline();
    // The one slow call, not the transition's average (30 ms over 3 calls would be 10).
    assert!(outlook.slowest_notify() >= std::time::Duration::from_millis(30));
    drop(advise);
}

#[test]
fn simulated_store_new() {
    let store = SimulatedStore::new();
    assert_eq!(store.advised(), 0);
    assert_eq!(store.notify(&[]), 0); // nobody to call
}

#[test]
fn simulated_store_as_raw() {
    // `from_raw_borrowed`

    struct Count(AtomicUsize);

    #[mapi_advise_sink]
    impl Count {
        fn on_notify(&self, events: &Events<'_>) {
            self.0.fetch_add(events.len(), Ordering::Relaxed);
        }
    }

    let store = SimulatedStore::new();
    let sink = AdviseSink::new(Count(AtomicUsize::new(0)));
    // Code with its own bindings takes the raw `IMsgStore*`, as from a real store.
    let raw = store.as_raw();
    // SAFETY: `raw` is a live IMsgStore* while `store` lives.
    let ours = unsafe { sys::IMsgStore::from_raw_borrowed(&raw) }.unwrap();
    let mut connection = 0;
    // SAFETY: a live sink; the whole store (no entry ID); `connection` is writable.
    let hr = unsafe {
        ours.Advise(
            0,
            std::ptr::null_mut(),
            sys::fnevNewMail,
            sink.as_raw(),
            &mut connection,
        )
    };
    assert!(hr.is_ok());
    assert_eq!(AdviseSink::ref_count(&sink), 2); // ours + the store's
                                                 // SAFETY: a connection this store gave.
    assert!(unsafe { ours.Unadvise(connection) }.is_ok());
}

#[test]
fn simulated_store_to_interface() {
    struct Count(AtomicUsize);

    #[mapi_advise_sink]
    impl Count {
        fn on_notify(&self, events: &Events<'_>) {
            self.0.fetch_add(events.len(), Ordering::Relaxed);
        }
    }

    let store = SimulatedStore::new();
    let sink = AdviseSink::new(Count(AtomicUsize::new(0)));
    let msg_store: sys::IMsgStore = store.to_interface(); // AddRef'd; Release on drop
    let mut connection = 0;
    // SAFETY: a live sink; the whole store (no entry ID); `connection` is writable.
    let hr = unsafe {
        msg_store.Advise(
            0,
            std::ptr::null_mut(),
            sys::fnevNewMail,
            sink.as_raw(),
            &mut connection,
        )
    };
    assert!(hr.is_ok() && connection != 0);
    // SAFETY: a connection number the store never gave.
    assert_eq!(
        unsafe { msg_store.Unadvise(connection + 1) },
        sys::MAPI_E_NOT_FOUND
    );
    // SAFETY: the connection it gave.
    assert!(unsafe { msg_store.Unadvise(connection) }.is_ok());
}

#[test]
fn simulated_store_advised() {
    struct Count(AtomicUsize);

    #[mapi_advise_sink]
    impl Count {
        fn on_notify(&self, events: &Events<'_>) {
            self.0.fetch_add(events.len(), Ordering::Relaxed);
        }
    }

    let store = SimulatedStore::new();
    let sink = AdviseSink::new(Count(AtomicUsize::new(0)));
    let mut connection = 0;
    // SAFETY: a live sink; the whole store (no entry ID); `connection` is writable.
    let hr = unsafe {
        store.to_interface().Advise(
            0,
            std::ptr::null_mut(),
            sys::fnevNewMail,
            sink.as_raw(),
            &mut connection,
        )
    };
    assert!(hr.is_ok());
    assert_eq!(store.advised(), 1);
    // SAFETY: a connection this store gave.
    assert!(unsafe { store.to_interface().Unadvise(connection) }.is_ok());
    assert_eq!(store.advised(), 0);
    assert_eq!(AdviseSink::ref_count(&sink), 1); // the store let go
}

#[test]
fn simulated_store_notify() {
    struct Count(AtomicUsize);

    #[mapi_advise_sink]
    impl Count {
        fn on_notify(&self, events: &Events<'_>) {
            self.0.fetch_add(events.len(), Ordering::Relaxed);
        }
    }

    let store = SimulatedStore::new();
    let sink = AdviseSink::new(Count(AtomicUsize::new(0)));
    let (mut mail, mut tables) = (0, 0);
    // SAFETY (both): a live sink; the whole store (no entry ID); the out pointers are writable.
    unsafe {
        let msg_store = store.to_interface();
        assert!(msg_store
            .Advise(
                0,
                std::ptr::null_mut(),
                sys::fnevNewMail,
                sink.as_raw(),
                &mut mail
            )
            .is_ok());
        assert!(msg_store
            .Advise(
                0,
                std::ptr::null_mut(),
                sys::fnevTableModified,
                sink.as_raw(),
                &mut tables
            )
            .is_ok());
    }
    let calls = store.notify(&[
        StoreEvent::new_mail(b"msg-1", b"inbox", "IPM.Note"),
        StoreEvent::row_deleted(b"row-2"),
        StoreEvent::new_mail(b"msg-2", b"inbox", "IPM.Note"),
    ]);
    assert_eq!(calls, 2); // one OnNotify per connection, each with the events it asked for
    assert_eq!(sink.0.load(Ordering::Relaxed), 3); // delivered when `notify` returns
}

#[test]
fn sim_prop_new() {
    let size = SimProp::new(0x0E08, SimValue::Long(48_213)); // PR_MESSAGE_SIZE
    assert_eq!(size.id, 0x0E08);
    assert_eq!(size.tag(), sys::PROP_TAG(sys::PT_LONG, 0x0E08));
}

#[test]
fn sim_prop_tag() {
    // The same identifier, two string types: two tags.
    assert_eq!(
        SimProp::new(0x0037, SimValue::String8("Hi".into())).tag(),
        0x0037_001E
    );
    assert_eq!(
        SimProp::new(0x0037, SimValue::Unicode("Hi".into())).tag(),
        0x0037_001F
    );
}

#[test]
fn sim_prop_null() {
    assert_eq!(SimProp::null().tag(), sys::PROP_TAG(sys::PT_NULL, 0));
    // `row_added` with no prior key puts the row first.
    match StoreEvent::row_added(b"row-1", None, Vec::new()) {
        StoreEvent::Table { prior, .. } => assert_eq!(prior, SimProp::null()),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn sim_prop_instance_key() {
    let key = SimProp::instance_key(b"row-1");
    assert_eq!(key.tag(), sys::PROP_TAG(sys::PT_BINARY, 0x0FF6)); // PR_INSTANCE_KEY
    assert_eq!(key.value, SimValue::Binary(b"row-1".to_vec()));
}

#[test]
fn store_event_new_mail() {
    let sent = StoreEvent::new_mail(b"msg-1", b"inbox", "IPM.Note");
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::NewMail(mail)) => (
            mail.message_class().unwrap().to_string(),
            mail.flags(),
            mail.message_flags(),
        ),
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [("IPM.Note".to_string(), 0, 0)]);
}

#[test]
fn store_event_object() {
    let sent = StoreEvent::object(ObjectEventKind::Deleted, b"msg-1", b"inbox");
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::ObjectDeleted(object)) => (
            object.object_type(),
            object.entry_id().unwrap().as_bytes().to_vec(),
        ),
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [(sys::MAPI_MESSAGE, b"msg-1".to_vec())]);
}

#[test]
fn store_event_row_added() {
    let sent = StoreEvent::row_added(
        b"row-2",
        Some(b"row-1"),
        vec![SimProp::new(0x0E08, SimValue::Long(48_213))],
    );
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::TableModified(table)) => (
            table.kind(),
            table.prior().value() == Value::Binary(b"row-1"),
            table.row().len(),
        ),
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [(TableEventKind::RowAdded, true, 1)]);
}

#[test]
fn store_event_row_modified() {
    let sent = StoreEvent::row_modified(
        b"row-2",
        None,
        vec![SimProp::new(0x0E07, SimValue::Long(1))],
    );
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::TableModified(table)) => (
            table.kind(),
            table.index().value() == Value::Binary(b"row-2"),
        ),
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [(TableEventKind::RowModified, true)]);
}

#[test]
fn store_event_row_deleted() {
    let sent = StoreEvent::row_deleted(b"row-2");
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::TableModified(table)) => (table.kind(), table.row().is_empty()),
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [(TableEventKind::RowDeleted, true)]);
}

#[test]
fn store_event_critical_error() {
    let sent = StoreEvent::critical_error(sys::E_UNEXPECTED, "The server is unavailable", "emsmdb");
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::CriticalError(error)) => (
            error.scode(),
            error.error().unwrap().component().unwrap().to_string(),
        ),
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [(sys::E_UNEXPECTED, "emsmdb".to_string())]);
}

#[test]
fn store_event_extended() {
    let sent = StoreEvent::extended(0x42, b"provider data");
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::Extended(extended)) => (extended.event(), extended.parameters().to_vec()),
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [(0x42, b"provider data".to_vec())]);
}

#[test]
fn store_event_status_object() {
    let sent =
        StoreEvent::status_object(b"status-1", vec![SimProp::new(0x3E04, SimValue::Long(2))]);
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::StatusObjectModified(status)) => (
            status.entry_id().unwrap().as_bytes().to_vec(),
            status.props().len(),
        ),
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [(b"status-1".to_vec(), 1)]);
}

#[test]
fn store_event_event_type() {
    // The event mask a connection needs to see these.
    let events = [
        StoreEvent::new_mail(b"msg-1", b"inbox", "IPM.Note"),
        StoreEvent::row_deleted(b"row-2"),
    ];
    let mask = events
        .iter()
        .fold(0, |mask, event| mask | event.event_type());
    assert_eq!(mask, sys::fnevNewMail | sys::fnevTableModified);
}

#[test]
fn object_event_kind() {
    // Each of the six, sent with the sizes that once were read as another member of the union
    // (a 2-byte parent ID, object types far above any count): each arrives as its own variant,
    // every entry ID exactly as long as it was sent.
    let events: Vec<StoreEvent> = ObjectEventKind::ALL
        .into_iter()
        .zip([4096, 200_000_000, 1, 2, 3, 5])
        .map(|(kind, object_type)| StoreEvent::Object {
            event_type: kind,
            object_type,
            entry_id: b"message".to_vec(),
            parent_id: b"in".to_vec(),
            old_id: b"o".to_vec(),
            old_parent_id: Vec::new(),
            prop_tags: Some(vec![0x0037_001f]),
        })
        .collect();
    let seen = deliver(&events, |events| {
        events
            .iter()
            .map(|event| {
                let (kind, object) = match event {
                    Event::ObjectCreated(object) => (ObjectEventKind::Created, object),
                    Event::ObjectDeleted(object) => (ObjectEventKind::Deleted, object),
                    Event::ObjectModified(object) => (ObjectEventKind::Modified, object),
                    Event::ObjectMoved(object) => (ObjectEventKind::Moved, object),
                    Event::ObjectCopied(object) => (ObjectEventKind::Copied, object),
                    Event::SearchComplete(object) => (ObjectEventKind::SearchComplete, object),
                    other => panic!("not an object event: {other:?}"),
                };
                let bytes = |id: Option<mapi_notify_sink::advise_sink::EntryId<'_>>| {
                    id.map(|id| id.as_bytes().to_vec())
                };
                (
                    kind,
                    object.object_type(),
                    bytes(object.entry_id()),
                    bytes(object.parent_id()),
                    bytes(object.old_id()),
                    bytes(object.old_parent_id()),
                    object.prop_tags().map(|tags| tags.to_vec()),
                )
            })
            .collect::<Vec<_>>()
    });
    let expected: Vec<_> = ObjectEventKind::ALL
        .into_iter()
        .zip([4096, 200_000_000, 1, 2, 3, 5])
        .map(|(kind, object_type)| {
            (
                kind,
                object_type,
                Some(b"message".to_vec()),
                Some(b"in".to_vec()),
                Some(b"o".to_vec()),
                None,
                Some(vec![0x0037_001f]),
            )
        })
        .collect();
    assert_eq!(seen, [expected]);
    assert_eq!(
        ObjectEventKind::ALL.map(ObjectEventKind::event_type),
        [
            sys::fnevObjectCreated,
            sys::fnevObjectDeleted,
            sys::fnevObjectModified,
            sys::fnevObjectMoved,
            sys::fnevObjectCopied,
            sys::fnevSearchComplete,
        ]
    );
    for kind in ObjectEventKind::ALL {
        assert_eq!(
            ObjectEventKind::from_event_type(kind.event_type()),
            Some(kind)
        );
    }
    for other in [
        0,
        sys::fnevNewMail,
        sys::fnevStatusObjectModified,
        sys::fnevObjectCreated | sys::fnevObjectDeleted,
    ] {
        assert_eq!(ObjectEventKind::from_event_type(other), None);
    }
}

#[test]
fn sim_value_in_a_handler() {
    let row = vec![
        SimProp::new(0x0037, SimValue::Unicode("Grüße".into())), // PR_SUBJECT as PT_UNICODE
        SimProp::new(0x0E08, SimValue::Long(48_213)),            // PR_MESSAGE_SIZE
    ];
    let seen = deliver(
        &[StoreEvent::row_added(b"row-1", None, row)],
        |events| match events.get(0) {
            Some(Event::TableModified(table)) => {
                let values: Vec<_> = table.row().iter().map(|prop| prop.value()).collect();
                let subject = match values[0] {
                    Value::String(text) if text.is_unicode() => text.to_string(), // sent as UTF-16
                    _ => String::new(),
                };
                (subject, values[1] == Value::Long(48_213))
            }
            other => panic!("unexpected {other:?}"),
        },
    );
    assert_eq!(seen, [("Grüße".to_string(), true)]);
}

#[test]
fn store_event_in_a_handler() {
    // What a constructor does not cover, the fields do: a folder moved, with its old place.
    let moved = StoreEvent::Object {
        event_type: ObjectEventKind::Moved,
        object_type: sys::MAPI_FOLDER,
        entry_id: b"projects".to_vec(),
        parent_id: b"archive".to_vec(),
        old_id: b"projects".to_vec(),
        old_parent_id: b"inbox".to_vec(),
        prop_tags: None,
    };
    let seen = deliver(&[moved], |events| match events.get(0) {
        Some(Event::ObjectMoved(object)) => {
            (object.object_type(), object.old_parent_id().is_some())
        }
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [(sys::MAPI_FOLDER, true)]);
}
