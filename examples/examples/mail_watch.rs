//! The advise sink demo: a sink advised on a simulated message store sees a burst of events
//! (new mail, items created, changed, moved and deleted, table rows, an error) and prints each
//! as one line.
//!
//! Run with `cargo run --example mail_watch`. With a real store, `SimulatedStore` is replaced
//! by the `IMsgStore` a MAPI session opened (outlook-mapi's `IMsgStore`, for instance): the
//! `Advise` and `Unadvise` calls below are the same, through the raw pointer.

use mapi_notify_sink::advise_sink::{AdviseSink, EntryId, Event, Events, PropValue, Value};
use mapi_notify_sink::simulator::{ObjectEventKind, SimProp, SimValue, SimulatedStore, StoreEvent};
use mapi_notify_sink::{mapi_advise_sink, sys};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Instant;

struct MailWatch {
    started: Instant,
    seen: AtomicU32,
}

#[mapi_advise_sink]
impl MailWatch {
    fn on_notify(&self, events: &Events<'_>) {
        for event in events {
            self.seen.fetch_add(1, Ordering::Relaxed);
            println!(
                "  {:>8.3} ms  {}  [thread {}]",
                self.started.elapsed().as_secs_f64() * 1e3,
                describe(event),
                std::thread::current().name().unwrap_or("unnamed"),
            );
        }
    }
}

impl Drop for MailWatch {
    fn drop(&mut self) {
        println!(
            "sink released: MailWatch dropped after {} events",
            self.seen.load(Ordering::Relaxed)
        );
    }
}

/// One event as one line.
fn describe(event: Event<'_>) -> String {
    match event {
        Event::NewMail(mail) => format!(
            "new mail      {} in {}, class {}",
            id(mail.entry_id()),
            id(mail.parent_id()),
            mail.message_class()
                .map_or("?".into(), |class| class.to_string()),
        ),
        Event::ObjectCreated(o) => format!(
            "created       {} in {}",
            id(o.entry_id()),
            id(o.parent_id())
        ),
        Event::ObjectModified(o) => {
            let tags: Vec<String> = o
                .prop_tags()
                .unwrap_or(&[])
                .iter()
                .map(|tag| format!("{tag:#010x}"))
                .collect();
            format!(
                "modified      {}, changed: {}",
                id(o.entry_id()),
                tags.join(", ")
            )
        }
        Event::ObjectMoved(o) => format!(
            "moved         {} from {} to {}",
            id(o.entry_id()),
            id(o.old_parent_id()),
            id(o.parent_id())
        ),
        Event::ObjectCopied(o) => format!(
            "copied        {} to {}",
            id(o.entry_id()),
            id(o.parent_id())
        ),
        Event::ObjectDeleted(o) => format!(
            "deleted       {} from {}",
            id(o.entry_id()),
            id(o.parent_id())
        ),
        Event::SearchComplete(o) => format!("search done   {}", id(o.entry_id())),
        Event::TableModified(table) => {
            let row: Vec<String> = table.row().iter().map(prop).collect();
            format!(
                "table         {:?} row {}: {}",
                table.kind(),
                value(table.index()),
                if row.is_empty() {
                    "-".into()
                } else {
                    row.join(", ")
                }
            )
        }
        Event::CriticalError(err) => format!(
            "error         {:#010x} {}",
            err.scode().0,
            err.error()
                .and_then(|error| error.error())
                .map_or("(no text)".into(), |text| text.to_string())
        ),
        Event::StatusObjectModified(status) => {
            let props: Vec<String> = status.props().iter().map(prop).collect();
            format!(
                "status        {}: {}",
                id(status.entry_id()),
                props.join(", ")
            )
        }
        Event::Extended(ext) => format!(
            "extended      event {:#x}, {} bytes of parameters",
            ext.event(),
            ext.parameters().len()
        ),
        Event::Other(event_type) => format!("other         event type {event_type:#x}"),
    }
}

/// The demo's entry IDs are readable text; real ones are opaque bytes (`{:?}` shows hex).
fn id(id: Option<EntryId<'_>>) -> String {
    id.map_or("-".into(), |id| {
        String::from_utf8_lossy(id.as_bytes()).into_owned()
    })
}

fn prop(prop: PropValue<'_>) -> String {
    let name = match prop.id() {
        0x0037 => "subject",
        0x0e08 => "size",
        0x0e06 => "received",
        0x0e07 => "flags",
        0x3e0b => "status code",
        _ => "property",
    };
    format!("{name} {}", value(prop))
}

fn value(prop: PropValue<'_>) -> String {
    match prop.value() {
        Value::String(text) => format!("{text:?}"),
        Value::Long(number) => number.to_string(),
        Value::SysTime(time) => time.to_string(),
        Value::Binary(bytes) => String::from_utf8_lossy(bytes).into_owned(),
        other => format!("{other:?}"),
    }
}

fn main() {
    mapi_notify_sink_examples::init_logging();

    let store = SimulatedStore::new();
    let sink = AdviseSink::new(MailWatch {
        started: Instant::now(),
        seen: AtomicU32::new(0),
    });

    // IMsgStore::Advise, through the raw IMAPIAdviseSink* as with any MAPI binding: on the whole
    // store (no entry ID), for every event type. MAPI takes a reference of its own.
    let mask = sys::fnevNewMail
        | sys::fnevObjectCreated
        | sys::fnevObjectModified
        | sys::fnevObjectMoved
        | sys::fnevObjectDeleted
        | sys::fnevTableModified
        | sys::fnevCriticalError;
    let mut connection = 0;
    // SAFETY: a live sink; no entry ID (cbEntryID 0, null); `connection` is writable.
    let hr = unsafe {
        store.to_interface().Advise(
            0,
            std::ptr::null_mut(),
            mask,
            sink.as_raw(),
            &mut connection,
        )
    };
    assert!(hr.is_ok(), "Advise: {hr:?}");
    println!(
        "advised: connection {connection}, sink reference count {} (ours + the store's)",
        AdviseSink::ref_count(&sink)
    );

    println!("a burst of events, in one OnNotify call:");
    let received = (1_709_296_496 + 11_644_473_600) * 10_000_000; // 2024-03-01 12:34:56 UTC
    store.notify(&[
        StoreEvent::new_mail(b"msg-1", b"Inbox", "IPM.Note"),
        StoreEvent::NewMail {
            entry_id: b"msg-2".to_vec(),
            parent_id: b"Inbox".to_vec(),
            message_class: "IPM.Schedule.Meeting.Request".into(),
            message_flags: 0,
            unicode: true,
        },
        StoreEvent::row_added(
            b"row-2",
            Some(b"row-1"),
            vec![
                SimProp::new(0x0037, SimValue::Unicode("Quarterly figures".into())),
                SimProp::new(0x0e08, SimValue::Long(48_213)),
                SimProp::new(0x0e06, SimValue::SysTime(received)),
            ],
        ),
        StoreEvent::object(ObjectEventKind::Created, b"draft-7", b"Drafts"),
        StoreEvent::Object {
            event_type: ObjectEventKind::Modified,
            object_type: sys::MAPI_MESSAGE,
            entry_id: b"msg-1".to_vec(),
            parent_id: b"Inbox".to_vec(),
            old_id: Vec::new(),
            old_parent_id: Vec::new(),
            prop_tags: Some(vec![0x0e07_0003]),
        },
        StoreEvent::row_modified(
            b"row-2",
            Some(b"row-1"),
            vec![SimProp::new(0x0e07, SimValue::Long(1))],
        ),
        StoreEvent::Object {
            event_type: ObjectEventKind::Moved,
            object_type: sys::MAPI_MESSAGE,
            entry_id: b"msg-1".to_vec(),
            parent_id: b"Archive".to_vec(),
            old_id: b"msg-1".to_vec(),
            old_parent_id: b"Inbox".to_vec(),
            prop_tags: None,
        },
        StoreEvent::row_deleted(b"row-2"),
        StoreEvent::object(ObjectEventKind::Deleted, b"draft-7", b"Drafts"),
    ]);
    println!("then an error, alone:");
    store.notify(&[StoreEvent::critical_error(
        sys::MAPI_E_NO_SUPPORT,
        "The server is unavailable",
        "Exchange",
    )]);
    println!("and a status change the sink did not ask for (nothing printed):");
    store.notify(&[StoreEvent::status_object(
        b"status",
        vec![SimProp::new(0x3e0b, SimValue::Long(2))],
    )]);

    // SAFETY: the connection number this store gave.
    let hr = unsafe { store.to_interface().Unadvise(connection) };
    assert!(hr.is_ok(), "Unadvise: {hr:?}");
    println!(
        "unadvised: sink reference count {} (the store let go)",
        AdviseSink::ref_count(&sink)
    );
}
