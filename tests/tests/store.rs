//! `SimulatedStore` as a MAPI client uses it: `IMsgStore::Advise` / `Unadvise` through its
//! vtable, sinks made with `#[mapi_advise_sink]`, and every kind of event it sends, decoded by
//! the advise sink's own API.

use core::ffi::c_void;
use core::ptr;
use mapi_notify_sink::advise_sink::{AdviseSink, Event, Events, TableEventKind, Value};
use mapi_notify_sink::simulator::{ObjectEventKind, SimProp, SimValue, SimulatedStore, StoreEvent};
use mapi_notify_sink::{mapi_advise_sink, mapi_notify_sink, sys, Notification, Sink};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};
use windows_core::HRESULT;

mod support;
use support::capture_logs;

/// What one `OnNotify` call brought: the thread, the events as lines, and where the array and
/// the data it points to were.
#[derive(Debug)]
struct Call {
    thread: ThreadId,
    lines: Vec<String>,
    /// The array's address and its end.
    array: (usize, usize),
    /// Every entry ID and string address the events point to.
    data: Vec<usize>,
}

struct Watcher {
    calls: Mutex<Vec<Call>>,
    drops: Arc<AtomicUsize>,
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.drops.fetch_add(1, SeqCst);
    }
}

fn line(event: Event<'_>, data: &mut Vec<usize>) -> String {
    let mut id = |id: Option<mapi_notify_sink::advise_sink::EntryId<'_>>| {
        id.map_or("-".to_owned(), |id| {
            data.push(id.as_bytes().as_ptr() as usize);
            String::from_utf8_lossy(id.as_bytes()).into_owned()
        })
    };
    match event {
        Event::NewMail(mail) => {
            let class = mail.message_class().unwrap();
            let width = if class.is_unicode() { "W" } else { "A" };
            format!(
                "new mail {} in {} class {width}:{class} flags {:#x}",
                id(mail.entry_id()),
                id(mail.parent_id()),
                mail.message_flags()
            )
        }
        Event::ObjectCreated(o)
        | Event::ObjectDeleted(o)
        | Event::ObjectModified(o)
        | Event::ObjectMoved(o)
        | Event::ObjectCopied(o)
        | Event::SearchComplete(o) => {
            let kind = match event {
                Event::ObjectCreated(_) => "created",
                Event::ObjectDeleted(_) => "deleted",
                Event::ObjectModified(_) => "modified",
                Event::ObjectMoved(_) => "moved",
                Event::ObjectCopied(_) => "copied",
                _ => "search complete",
            };
            format!(
                "{kind} {} type {} in {} (was {} in {}) tags {:x?}",
                id(o.entry_id()),
                o.object_type(),
                id(o.parent_id()),
                id(o.old_id()),
                id(o.old_parent_id()),
                o.prop_tags()
            )
        }
        Event::TableModified(table) => {
            let row: Vec<String> = table
                .row()
                .iter()
                .map(|prop| format!("{:#010x}={}", prop.tag(), value(prop.value())))
                .collect();
            format!(
                "table {:?} index {} prior {} row [{}]",
                table.kind(),
                value(table.index().value()),
                value(table.prior().value()),
                row.join(", ")
            )
        }
        Event::CriticalError(err) => {
            let error = err.error().unwrap();
            format!(
                "error {:#x} {}: {} (unicode: {})",
                err.scode().0,
                error.component().unwrap(),
                error.error().unwrap(),
                err.flags() & sys::MAPI_UNICODE != 0
            )
        }
        Event::Extended(ext) => format!("extended {:#x} {:?}", ext.event(), ext.parameters()),
        Event::StatusObjectModified(status) => {
            let props: Vec<String> = status
                .props()
                .iter()
                .map(|prop| value(prop.value()))
                .collect();
            format!("status {} [{}]", id(status.entry_id()), props.join(", "))
        }
        Event::Other(other) => format!("other {other:#x}"),
    }
}

fn value(value: Value<'_>) -> String {
    match value {
        Value::Binary(bytes) => format!("bin:{}", String::from_utf8_lossy(bytes)),
        Value::String(s) => format!("str:{s}"),
        Value::SysTime(t) => format!("time:{t}"),
        Value::Clsid(guid) => format!("clsid:{guid:?}"),
        other => format!("{other:?}"),
    }
}

#[mapi_advise_sink]
impl Watcher {
    fn on_notify(&self, events: &Events<'_>) {
        let raw = events.raw();
        let start = raw.as_ptr() as usize;
        let mut data = Vec::new();
        let lines = events.iter().map(|event| line(event, &mut data)).collect();
        self.calls.lock().unwrap().push(Call {
            thread: thread::current().id(),
            lines,
            array: (start, start + core::mem::size_of_val(raw)),
            data,
        });
    }
}

impl Watcher {
    fn sink() -> (AdviseSink<Watcher>, Arc<AtomicUsize>) {
        let drops = Arc::new(AtomicUsize::new(0));
        let sink = AdviseSink::new(Watcher {
            calls: Mutex::default(),
            drops: drops.clone(),
        });
        (sink, drops)
    }

    fn take(&self) -> Vec<Call> {
        core::mem::take(&mut *self.calls.lock().unwrap())
    }

    fn lines(&self) -> Vec<Vec<String>> {
        self.take().into_iter().map(|call| call.lines).collect()
    }
}

/// `Advise` through the store's vtable.
fn advise(
    store: &SimulatedStore,
    entry_id: Option<&[u8]>,
    mask: u32,
    sink: *mut c_void,
) -> (HRESULT, usize) {
    let mut connection = 0;
    let (cb, id) = entry_id.map_or((0, ptr::null_mut()), |id| {
        (id.len() as u32, id.as_ptr().cast_mut().cast())
    });
    // SAFETY: `id` covers `cb` bytes; `sink` is null or a live sink; `connection` is writable.
    let hr = unsafe {
        store
            .to_interface()
            .Advise(cb, id, mask, sink, &mut connection)
    };
    (hr, connection)
}

fn unadvise(store: &SimulatedStore, connection: usize) -> HRESULT {
    // SAFETY: any number may be passed.
    unsafe { store.to_interface().Unadvise(connection) }
}

const ALL: u32 = sys::fnevCriticalError
    | sys::fnevNewMail
    | sys::fnevObjectCreated
    | sys::fnevObjectDeleted
    | sys::fnevObjectModified
    | sys::fnevObjectMoved
    | sys::fnevObjectCopied
    | sys::fnevSearchComplete
    | sys::fnevTableModified
    | sys::fnevStatusObjectModified
    | sys::fnevExtended;

#[test]
fn advise_holds_one_reference_per_connection_until_unadvise() {
    let store = SimulatedStore::new();
    let (sink, drops) = Watcher::sink();
    let (hr1, first) = advise(&store, None, ALL, sink.as_raw());
    let (hr2, second) = advise(&store, Some(b"inbox"), sys::fnevNewMail, sink.as_raw());
    assert_eq!((hr1, hr2), (sys::S_OK, sys::S_OK));
    assert!(
        first != 0 && second != 0 && first != second,
        "{first} {second}"
    );
    assert_eq!(
        core::mem::size_of_val(&first),
        core::mem::size_of::<*const c_void>()
    );
    assert_eq!((AdviseSink::ref_count(&sink), store.advised()), (3, 2));
    assert_eq!(unadvise(&store, first), sys::S_OK);
    assert_eq!((AdviseSink::ref_count(&sink), store.advised()), (2, 1));
    let (_, logged) = capture_logs(|| assert_eq!(unadvise(&store, first), sys::MAPI_E_NOT_FOUND));
    assert_eq!(logged.at(log::Level::Warn).len(), 1, "{logged:?}");
    assert_eq!(unadvise(&store, 0), sys::MAPI_E_NOT_FOUND);
    assert_eq!(unadvise(&store, second), sys::S_OK);
    assert_eq!((AdviseSink::ref_count(&sink), store.advised()), (1, 0));
    drop(sink);
    assert_eq!(drops.load(SeqCst), 1);
}

#[test]
fn advise_rejects_each_invalid_argument_without_keeping_a_reference() {
    let store = SimulatedStore::new();
    let (sink, drops) = Watcher::sink();
    let mut connection = 0;
    // SAFETY: each call passes one invalid argument and otherwise valid ones.
    let cases: [(&str, HRESULT); 4] = unsafe {
        let store = store.to_interface();
        [
            (
                "null sink",
                store.Advise(0, ptr::null_mut(), ALL, ptr::null_mut(), &mut connection),
            ),
            (
                "null lpulConnection",
                store.Advise(0, ptr::null_mut(), ALL, sink.as_raw(), ptr::null_mut()),
            ),
            (
                "mask 0",
                store.Advise(0, ptr::null_mut(), 0, sink.as_raw(), &mut connection),
            ),
            (
                "cbEntryID without lpEntryID",
                store.Advise(4, ptr::null_mut(), ALL, sink.as_raw(), &mut connection),
            ),
        ]
    };
    for (case, hr) in cases {
        assert_eq!(hr, sys::E_INVALIDARG, "{case}");
    }
    assert_eq!(
        (connection, AdviseSink::ref_count(&sink), store.advised()),
        (0, 1, 0)
    );

    // An offline sink is not an advise sink.
    struct Offline;
    #[mapi_notify_sink]
    impl Offline {
        fn notify(&self, _info: &Notification<'_>) {}
    }
    let offline = Sink::new(Offline);
    let (hr, connection) = advise(&store, None, ALL, offline.as_raw());
    assert_eq!(
        (hr, connection, Sink::ref_count(&offline)),
        (sys::E_NOINTERFACE, 0, 1)
    );
    drop(sink);
    assert_eq!(drops.load(SeqCst), 1);
}

#[test]
fn the_other_slots_are_mapi_e_no_support() {
    let store = SimulatedStore::new();
    let this = store.as_raw();
    // SAFETY: the store's vtable is an IMsgStore's; each slot is called with its own signature.
    unsafe {
        let vtable = &*this.cast::<*const sys::IMsgStore_Vtbl>().read();
        assert_eq!((vtable.base__.SaveChanges)(this, 0), sys::MAPI_E_NO_SUPPORT);
        let mut count = 0;
        let mut props = ptr::null_mut();
        assert_eq!(
            (vtable.base__.GetProps)(this, ptr::null_mut(), 0, &mut count, &mut props),
            sys::MAPI_E_NO_SUPPORT
        );
        let mut flags = 0;
        assert_eq!(
            (vtable.StoreLogoff)(this, &mut flags),
            sys::MAPI_E_NO_SUPPORT
        );
        assert_eq!(
            (vtable.NotifyNewMail)(this, ptr::null_mut()),
            sys::MAPI_E_NO_SUPPORT
        );
        let mut result = 0;
        assert_eq!(
            (vtable.CompareEntryIDs)(this, 0, ptr::null_mut(), 0, ptr::null_mut(), 0, &mut result),
            sys::MAPI_E_NO_SUPPORT
        );
    }
}

#[test]
fn each_event_kind_arrives_decoded_from_the_stores_thread() {
    let store = SimulatedStore::new();
    let (sink, drops) = Watcher::sink();
    let (_, connection) = advise(&store, None, ALL, sink.as_raw());
    let guid = windows_core::GUID::from_u128(0x00020d0b_0000_0000_c000_000000000046);
    let events = [
        StoreEvent::new_mail(b"msg-1", b"inbox", "IPM.Note"),
        StoreEvent::NewMail {
            entry_id: b"msg-2".to_vec(),
            parent_id: b"inbox".to_vec(),
            message_class: "IPM.Note.Réunion".into(),
            message_flags: 0x8,
            unicode: true,
        },
        StoreEvent::object(ObjectEventKind::Created, b"msg-3", b"drafts"),
        StoreEvent::object(ObjectEventKind::Deleted, b"msg-3", b"drafts"),
        StoreEvent::Object {
            event_type: ObjectEventKind::Modified,
            object_type: sys::MAPI_FOLDER,
            entry_id: b"inbox".to_vec(),
            parent_id: b"root".to_vec(),
            old_id: vec![],
            old_parent_id: vec![],
            prop_tags: Some(vec![0x3602_0003, 0x3603_0003]),
        },
        StoreEvent::Object {
            event_type: ObjectEventKind::Moved,
            object_type: sys::MAPI_MESSAGE,
            entry_id: b"msg-4".to_vec(),
            parent_id: b"archive".to_vec(),
            old_id: b"msg-4-old".to_vec(),
            old_parent_id: b"inbox".to_vec(),
            prop_tags: None,
        },
        StoreEvent::object(ObjectEventKind::Copied, b"msg-5", b"archive"),
        StoreEvent::object(ObjectEventKind::SearchComplete, b"search", b"root"),
        StoreEvent::row_added(
            b"row-2",
            Some(b"row-1"),
            vec![
                SimProp::new(0x0037, SimValue::Unicode("Quarterly figures".into())),
                SimProp::new(0x0e08, SimValue::Long(4096)),
                SimProp::new(0x0057, SimValue::Boolean(true)),
                SimProp::new(
                    0x0e06,
                    SimValue::SysTime((1_709_296_496 + 11_644_473_600) * 10_000_000),
                ),
                SimProp::new(0x1000, SimValue::String8("plain text".into())),
                SimProp::new(0x0ff9, SimValue::Binary(b"record".to_vec())),
                SimProp::new(0x0017, SimValue::I2(-1)),
                SimProp::new(0x6700, SimValue::I8(1 << 40)),
                SimProp::new(0x0ff8, SimValue::Error(sys::MAPI_E_NOT_FOUND)),
                SimProp::new(0x6701, SimValue::Clsid(guid)),
                SimProp::new(0x6702, SimValue::Double(0.5)),
                SimProp::new(0x6703, SimValue::Null),
            ],
        ),
        StoreEvent::row_modified(
            b"row-2",
            None,
            vec![SimProp::new(0x0e08, SimValue::Long(8192))],
        ),
        StoreEvent::row_deleted(b"row-2"),
        StoreEvent::critical_error(sys::E_NOTIMPL, "The server is unavailable", "Exchange"),
        StoreEvent::CriticalError {
            entry_id: vec![],
            scode: sys::E_PENDING,
            error: Some(("Le serveur est indisponible".into(), "Exchange".into())),
            unicode: true,
        },
        StoreEvent::extended(0x1234, &[9, 8, 7]),
        StoreEvent::status_object(b"status", vec![SimProp::new(0x3e0b, SimValue::Long(2))]),
    ];
    assert_eq!(store.notify(&events), 1);
    let calls = sink.take();
    assert_eq!(calls.len(), 1);
    let call = &calls[0];
    assert_ne!(
        call.thread,
        thread::current().id(),
        "delivered from the store's thread"
    );
    assert_eq!(
        call.lines,
        [
            "new mail msg-1 in inbox class A:IPM.Note flags 0x0",
            "new mail msg-2 in inbox class W:IPM.Note.Réunion flags 0x8",
            "created msg-3 type 5 in drafts (was - in -) tags None",
            "deleted msg-3 type 5 in drafts (was - in -) tags None",
            "modified inbox type 3 in root (was - in -) tags Some([36020003, 36030003])",
            "moved msg-4 type 5 in archive (was msg-4-old in inbox) tags None",
            "copied msg-5 type 5 in archive (was - in -) tags None",
            "search complete search type 5 in root (was - in -) tags None",
            "table RowAdded index bin:row-2 prior bin:row-1 row [0x0037001f=str:Quarterly figures, \
             0x0e080003=Long(4096), 0x0057000b=Boolean(true), 0x0e060040=time:2024-03-01 12:34:56 UTC, \
             0x1000001e=str:plain text, 0x0ff90102=bin:record, 0x00170002=I2(-1), 0x67000014=I8(1099511627776), \
             0x0ff8000a=Error(HRESULT(0x8004010F)), 0x67010048=clsid:00020D0B-0000-0000-C000-000000000046, \
             0x67020005=Double(0.5), 0x67030001=Null]",
            "table RowModified index bin:row-2 prior Null row [0x0e080003=Long(8192)]",
            "table RowDeleted index bin:row-2 prior Null row []",
            "error 0x80004001 Exchange: The server is unavailable (unicode: false)",
            "error 0x8000000a Exchange: Le serveur est indisponible (unicode: true)",
            "extended 0x1234 [9, 8, 7]",
            "status status [Long(2)]",
        ]
    );
    // One buffer, as MAPI lays it out: everything the events point to comes after the array.
    assert!(!call.data.is_empty());
    for address in &call.data {
        assert!(
            *address >= call.array.1,
            "{address:#x} inside or before the array {:x?}",
            call.array
        );
    }
    assert_eq!(unadvise(&store, connection), sys::S_OK);
    drop(sink);
    assert_eq!(drops.load(SeqCst), 1);
}

#[test]
fn connections_get_only_the_events_their_mask_and_entry_id_select() {
    let store = SimulatedStore::new();
    let (all, _) = Watcher::sink();
    let (mail, _) = Watcher::sink();
    let (inbox, _) = Watcher::sink();
    let (tables, _) = Watcher::sink();
    assert_eq!(advise(&store, None, ALL, all.as_raw()).0, sys::S_OK);
    assert_eq!(
        advise(&store, None, sys::fnevNewMail, mail.as_raw()).0,
        sys::S_OK
    );
    assert_eq!(
        advise(&store, Some(b"inbox"), ALL, inbox.as_raw()).0,
        sys::S_OK
    );
    assert_eq!(
        advise(&store, None, sys::fnevTableModified, tables.as_raw()).0,
        sys::S_OK
    );
    let calls = store.notify(&[
        StoreEvent::new_mail(b"m1", b"inbox", "IPM.Note"),
        StoreEvent::new_mail(b"m2", b"junk", "IPM.Note"),
        StoreEvent::object(ObjectEventKind::Modified, b"inbox", b"root"),
        StoreEvent::row_deleted(b"r"),
        StoreEvent::extended(1, &[]),
    ]);
    assert_eq!(calls, 4);
    let first_words = |sink: &AdviseSink<Watcher>| -> Vec<Vec<String>> {
        sink.lines()
            .into_iter()
            .map(|call| {
                call.into_iter()
                    .map(|line| line.split(" in ").next().unwrap().to_owned())
                    .collect()
            })
            .collect()
    };
    assert_eq!(
        first_words(&all),
        [vec![
            "new mail m1",
            "new mail m2",
            "modified inbox type 5",
            "table RowDeleted index bin:r prior Null row []",
            "extended 0x1 []"
        ]]
    );
    assert_eq!(first_words(&mail), [vec!["new mail m1", "new mail m2"]]);
    assert_eq!(
        first_words(&inbox),
        [vec!["new mail m1", "modified inbox type 5"]]
    );
    assert_eq!(
        first_words(&tables),
        [vec!["table RowDeleted index bin:r prior Null row []"]]
    );
    // Nothing matches: no call at all.
    assert_eq!(
        store.notify(&[StoreEvent::new_mail(b"m3", b"junk", "IPM.Note")]),
        2
    );
    assert_eq!((inbox.lines(), tables.lines()), (vec![], vec![]));
}

#[test]
fn table_events_with_a_table_kind_per_row_decode_as_such() {
    let store = SimulatedStore::new();
    let (sink, _) = Watcher::sink();
    assert_eq!(
        advise(&store, None, sys::fnevTableModified, sink.as_raw()).0,
        sys::S_OK
    );
    store.notify(&[StoreEvent::Table {
        table_event: sys::TABLE_RELOAD,
        hresult: sys::S_OK,
        index: SimProp::null(),
        prior: SimProp::null(),
        row: vec![],
    }]);
    assert_eq!(
        sink.lines(),
        [vec![format!(
            "table {:?} index Null prior Null row []",
            TableEventKind::Reload
        )]]
    );
}

#[test]
fn the_last_release_of_the_store_releases_every_advised_sink() {
    let store = SimulatedStore::new();
    let (sink, drops) = Watcher::sink();
    assert_eq!(advise(&store, None, ALL, sink.as_raw()).0, sys::S_OK);
    assert_eq!(
        advise(&store, Some(b"inbox"), ALL, sink.as_raw()).0,
        sys::S_OK
    );
    let raw = sink.into_raw();
    assert_eq!(drops.load(SeqCst), 0);
    drop(store);
    // SAFETY: the reference `into_raw` gave away, now the last one.
    let sink = unsafe { AdviseSink::<Watcher>::from_raw(raw) };
    assert_eq!(AdviseSink::ref_count(&sink), 1);
    drop(sink);
    assert_eq!(drops.load(SeqCst), 1);
}

#[test]
fn advise_notify_and_unadvise_from_several_threads() {
    let store = SimulatedStore::new();
    let (sink, drops) = Watcher::sink();
    thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for _ in 0..50 {
                    let (hr, connection) = advise(&store, None, sys::fnevNewMail, sink.as_raw());
                    assert_eq!(hr, sys::S_OK);
                    store.notify(&[StoreEvent::new_mail(b"m", b"f", "IPM.Note")]);
                    assert_eq!(unadvise(&store, connection), sys::S_OK);
                }
            });
        }
    });
    assert_eq!((store.advised(), AdviseSink::ref_count(&sink)), (0, 1));
    let delivered: usize = sink.take().iter().map(|call| call.lines.len()).sum();
    assert!(
        delivered >= 200,
        "each notify reached at least its own connection: {delivered}"
    );
    drop(sink);
    assert_eq!(drops.load(SeqCst), 1);
}
