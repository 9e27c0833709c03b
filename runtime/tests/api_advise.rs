//! The advise sink's API, one test per method: `Events`, `Event` and each event's view, the
//! values (`EntryId`, `MapiStr`, `FileTime`, `PropValue`, `Props`), each read from
//! notifications a `SimulatedStore` sends as MAPI does (`support::deliver`). The byte-level
//! decoding, and every refusal of malformed memory, is `advise.rs`'s.

// Each test was its method's doc example.
mod support;
use mapi_notify_sink::advise_sink::AdviseSink;
use mapi_notify_sink::advise_sink::EntryId;
use mapi_notify_sink::advise_sink::Event;
use mapi_notify_sink::advise_sink::Events;
use mapi_notify_sink::advise_sink::FileTime;
use mapi_notify_sink::advise_sink::MapiStr;
use mapi_notify_sink::advise_sink::TableEventKind;
use mapi_notify_sink::advise_sink::Value;
use mapi_notify_sink::mapi_advise_sink;
use mapi_notify_sink::simulator::ObjectEventKind;
use mapi_notify_sink::simulator::SimProp;
use mapi_notify_sink::simulator::SimValue;
use mapi_notify_sink::simulator::StoreEvent;
use mapi_notify_sink::sys;
use std::sync::Arc;
use std::sync::Mutex;
use std::time::Duration;
use std::time::UNIX_EPOCH;
use support::deliver;

/// The demo's entry IDs are readable text.
fn text(id: Option<EntryId<'_>>) -> Option<String> {
    id.map(|id| String::from_utf8_lossy(id.as_bytes()).into_owned())
}

#[test]
fn entry_id_new() {
    let kept: Vec<u8> = vec![0, 0, 0, 0, 0x12, 0x34]; // flags, then the provider's bytes
    let id = EntryId::new(&kept);
    assert_eq!(id, EntryId::new(&[0, 0, 0, 0, 0x12, 0x34]));
    assert_eq!(format!("{id:?}"), "EntryId(000000001234)");
}

#[test]
fn entry_id_as_bytes() {
    let id = EntryId::new(&[0, 0, 0, 0, 0x12, 0x34]);
    let (flags, provider) = id.as_bytes().split_at(4);
    assert_eq!(flags, [0, 0, 0, 0]);
    assert_eq!(provider, [0x12, 0x34]);
    let kept: Vec<u8> = id.as_bytes().to_vec(); // what a handler keeps after `on_notify`
    assert_eq!(kept.len(), 6);
}

#[test]
fn mapi_str_len() {
    let wide: Vec<u16> = "Grüße".encode_utf16().collect();
    assert_eq!(MapiStr::from_unicode(&wide).len(), 5); // UTF-16 units
    assert_eq!(MapiStr::from_ansi(b"Gr\xfc\xdfe").len(), 5); // bytes
}

#[test]
fn mapi_str_is_empty() {
    assert!(MapiStr::from_ansi(b"").is_empty()); // a string that is only its NUL
    assert!(!MapiStr::from_unicode(&[0x41]).is_empty());
}

#[test]
fn mapi_str_chars() {
    let class = MapiStr::from_ansi(b"IPM.Note.Custom");
    assert!(class.chars().take(8).eq("IPM.Note".chars())); // a prefix test, without allocating
    let broken = MapiStr::from_unicode(&[0x48, 0xD800, 0x69]); // a lone surrogate
    assert_eq!(broken.chars().collect::<String>(), "H\u{FFFD}i");
}

#[test]
fn file_time_to_system_time() {
    // 2024-03-01 12:34:56 UTC, as PR_MESSAGE_DELIVERY_TIME would carry it.
    let received = FileTime((1_709_296_496 + 11_644_473_600) * 10_000_000);
    assert_eq!(
        received.to_system_time(),
        Some(UNIX_EPOCH + Duration::from_secs(1_709_296_496))
    );
    assert_eq!(received.to_string(), "2024-03-01 12:34:56 UTC");
}

#[test]
fn prop_value_tag() {
    // A row with one property, PR_MESSAGE_SIZE (0x0E08) unless said otherwise.
    let sent = StoreEvent::row_added(
        b"row-1",
        None,
        vec![SimProp::new(0x0E08, SimValue::Long(48_213))],
    );
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::TableModified(table)) => {
            let prop = table.row().get(0).unwrap();
            prop.tag()
        }
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [sys::PROP_TAG(sys::PT_LONG, 0x0E08)]); // PR_MESSAGE_SIZE
}

#[test]
fn prop_value_id() {
    // A row with one property, PR_MESSAGE_SIZE (0x0E08) unless said otherwise.
    let sent = StoreEvent::row_added(
        b"row-1",
        None,
        vec![SimProp::new(
            0x0037,
            SimValue::Unicode("Quarterly figures".into()),
        )],
    );
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::TableModified(table)) => {
            let prop = table.row().get(0).unwrap();
            prop.id()
        }
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [0x0037]); // PR_SUBJECT, whatever its string type
}

#[test]
fn prop_value_prop_type() {
    // A row with one property, PR_MESSAGE_SIZE (0x0E08) unless said otherwise.
    let sent = StoreEvent::row_added(
        b"row-1",
        None,
        vec![SimProp::new(
            0x0037,
            SimValue::Unicode("Quarterly figures".into()),
        )],
    );
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::TableModified(table)) => {
            let prop = table.row().get(0).unwrap();
            prop.prop_type()
        }
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [sys::PT_UNICODE]);
}

#[test]
fn prop_value_value() {
    // A row with one property, PR_MESSAGE_SIZE (0x0E08) unless said otherwise.
    let sent = StoreEvent::row_added(
        b"row-1",
        None,
        vec![SimProp::new(
            0x0E06,
            SimValue::SysTime((1_709_296_496 + 11_644_473_600) * 10_000_000),
        )],
    );
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::TableModified(table)) => {
            let prop = table.row().get(0).unwrap();
            match prop.value() {
                Value::SysTime(time) => time.to_string(),
                other => format!("{other:?}"),
            }
        }
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, ["2024-03-01 12:34:56 UTC"]);
}

#[test]
fn prop_value_raw() {
    // A row with one property, PR_MESSAGE_SIZE (0x0E08) unless said otherwise.
    let sent = StoreEvent::row_added(
        b"row-1",
        None,
        vec![SimProp::new(0x0E08, SimValue::Long(48_213))],
    );
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::TableModified(table)) => {
            let prop = table.row().get(0).unwrap();
            assert_eq!(prop.prop_type(), mapi_notify_sink::sys::PT_LONG);
            // SAFETY: the tag's type is PT_LONG, so `l` is the member the sender wrote.
            unsafe { prop.raw().Value.l }
        }
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [48_213]);
}

#[test]
fn props_len() {
    let row = vec![
        SimProp::new(0x0037, SimValue::String8("Quarterly figures".into())),
        SimProp::new(0x0E08, SimValue::Long(48_213)),
    ];
    let seen = deliver(
        &[StoreEvent::row_modified(b"row-1", None, row)],
        |events| match events.get(0) {
            Some(Event::TableModified(table)) => {
                let row = table.row();
                row.len()
            }
            other => panic!("unexpected {other:?}"),
        },
    );
    assert_eq!(seen, [2]);
}

#[test]
fn props_is_empty() {
    let row = vec![
        SimProp::new(0x0037, SimValue::String8("Quarterly figures".into())),
        SimProp::new(0x0E08, SimValue::Long(48_213)),
    ];
    let seen = deliver(
        &[StoreEvent::row_modified(b"row-1", None, row)],
        |events| match events.get(0) {
            Some(Event::TableModified(table)) => {
                let row = table.row();
                (row.is_empty(), row.len())
            }
            other => panic!("unexpected {other:?}"),
        },
    );
    assert_eq!(seen, [(false, 2)]); // a deleted row's would be empty
}

#[test]
fn props_iter() {
    const PR_SUBJECT: u32 = 0x0037_001E; // PROP_TAG(PT_STRING8, 0x0037)
    const PR_MESSAGE_SIZE: u32 = 0x0E08_0003; // PROP_TAG(PT_LONG, 0x0E08)
    let row = vec![
        SimProp::new(0x0037, SimValue::String8("Quarterly figures".into())),
        SimProp::new(0x0E08, SimValue::Long(48_213)),
    ];
    let seen = deliver(
        &[StoreEvent::row_modified(b"row-1", None, row)],
        |events| match events.get(0) {
            Some(Event::TableModified(table)) => {
                let row = table.row();
                row.iter().map(|prop| prop.tag()).collect::<Vec<_>>()
            }
            other => panic!("unexpected {other:?}"),
        },
    );
    assert_eq!(seen, [[PR_SUBJECT, PR_MESSAGE_SIZE]]);
}

#[test]
fn props_get() {
    const PR_MESSAGE_SIZE: u32 = 0x0E08_0003; // PROP_TAG(PT_LONG, 0x0E08)
    let row = vec![
        SimProp::new(0x0037, SimValue::String8("Quarterly figures".into())),
        SimProp::new(0x0E08, SimValue::Long(48_213)),
    ];
    let seen = deliver(
        &[StoreEvent::row_modified(b"row-1", None, row)],
        |events| match events.get(0) {
            Some(Event::TableModified(table)) => {
                let row = table.row();
                (row.get(1).map(|prop| prop.tag()), row.get(2).is_none())
            }
            other => panic!("unexpected {other:?}"),
        },
    );
    assert_eq!(seen, [(Some(PR_MESSAGE_SIZE), true)]);
}

#[test]
fn props_find() {
    const PR_SUBJECT: u32 = 0x0037_001E; // PROP_TAG(PT_STRING8, 0x0037)
    let row = vec![
        SimProp::new(0x0037, SimValue::String8("Quarterly figures".into())),
        SimProp::new(0x0E08, SimValue::Long(48_213)),
    ];
    let seen = deliver(
        &[StoreEvent::row_modified(b"row-1", None, row)],
        |events| match events.get(0) {
            Some(Event::TableModified(table)) => {
                let row = table.row();
                match row.find(PR_SUBJECT).map(|subject| subject.value()) {
                    Some(Value::String(subject)) => subject.to_string(),
                    _ => String::new(),
                }
            }
            other => panic!("unexpected {other:?}"),
        },
    );
    assert_eq!(seen, ["Quarterly figures"]);
}

#[test]
fn props_raw() {
    const PR_SUBJECT: u32 = 0x0037_001E; // PROP_TAG(PT_STRING8, 0x0037)
    const PR_MESSAGE_SIZE: u32 = 0x0E08_0003; // PROP_TAG(PT_LONG, 0x0E08)
    let row = vec![
        SimProp::new(0x0037, SimValue::String8("Quarterly figures".into())),
        SimProp::new(0x0E08, SimValue::Long(48_213)),
    ];
    let seen = deliver(
        &[StoreEvent::row_modified(b"row-1", None, row)],
        |events| match events.get(0) {
            Some(Event::TableModified(table)) => {
                let row = table.row();
                row.raw()
                    .iter()
                    .map(|raw| raw.ulPropTag)
                    .collect::<Vec<_>>()
            }
            other => panic!("unexpected {other:?}"),
        },
    );
    assert_eq!(seen, [[PR_SUBJECT, PR_MESSAGE_SIZE]]);
}

#[test]
fn events_len() {
    let mail = StoreEvent::new_mail(b"msg-1", b"inbox", "IPM.Note");
    let seen = deliver(&[mail.clone(), mail], |events| events.len()); // in `on_notify`
    assert_eq!(seen, [2]); // one call with both
}

#[test]
fn events_is_empty() {
    // SAFETY: no notifications, so no pointers. (MAPI never sends an empty array: a call
    // with `cNotif` 0 does not reach the handler.)
    let events = unsafe { Events::from_raw(&[]) };
    assert!(events.is_empty());
    assert_eq!(events.len(), 0);
}

#[test]
fn events_iter() {
    let sent = [
        StoreEvent::new_mail(b"msg-1", b"inbox", "IPM.Note"),
        StoreEvent::row_deleted(b"row-2"),
    ];
    let seen = deliver(&sent, |events| {
        events
            .iter()
            .map(|event| match event {
                Event::NewMail(_) => "new mail",
                Event::TableModified(_) => "table",
                _ => "other",
            })
            .collect::<Vec<_>>()
    });
    assert_eq!(seen, [["new mail", "table"]]);
}

#[test]
fn events_get() {
    let seen = deliver(
        &[StoreEvent::new_mail(b"msg-1", b"inbox", "IPM.Note")],
        |events| {
            (
                matches!(events.get(0), Some(Event::NewMail(_))),
                events.get(1).is_none(),
            )
        },
    );
    assert_eq!(seen, [(true, true)]);
}

#[test]
fn events_raw() {
    let sent = [
        StoreEvent::new_mail(b"msg-1", b"inbox", "IPM.Note"),
        StoreEvent::extended(7, b"provider data"),
    ];
    let seen = deliver(&sent, |events| {
        events
            .raw()
            .iter()
            .map(|raw| raw.ulEventType)
            .collect::<Vec<_>>()
    });
    assert_eq!(seen, [[sys::fnevNewMail, sys::fnevExtended]]);
}

#[test]
fn error_event_entry_id() {
    let about_msg = StoreEvent::CriticalError {
        entry_id: b"msg-1".to_vec(),
        scode: sys::E_UNEXPECTED,
        error: None,
        unicode: false,
    };
    let about_nothing = StoreEvent::critical_error(sys::E_UNEXPECTED, "lost", "store");
    let seen = deliver(&[about_msg, about_nothing], |events| {
        events
            .iter()
            .map(|event| match event {
                Event::CriticalError(error) => error.entry_id().map(|id| id.as_bytes().to_vec()),
                other => panic!("unexpected {other:?}"),
            })
            .collect::<Vec<_>>()
    });
    assert_eq!(seen, [[Some(b"msg-1".to_vec()), None]]);
}

#[test]
fn error_event_scode() {
    let sent = StoreEvent::critical_error(sys::MAPI_E_NOT_FOUND, "gone", "store");
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::CriticalError(error)) => error.scode(),
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [sys::MAPI_E_NOT_FOUND]);
    assert_eq!(seen[0].0 as u32, 0x8004_010F);
}

#[test]
fn error_event_flags() {
    let wide = StoreEvent::CriticalError {
        entry_id: Vec::new(),
        scode: sys::E_UNEXPECTED,
        error: Some(("Verbindung getrennt".into(), "Speicher".into())),
        unicode: true,
    };
    let seen = deliver(&[wide], |events| match events.get(0) {
        Some(Event::CriticalError(error)) => error.flags() & sys::MAPI_UNICODE != 0,
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [true]); // the strings are UTF-16; `MapiStr` reads either width
}

#[test]
fn error_event_error() {
    let bare = StoreEvent::CriticalError {
        entry_id: Vec::new(),
        scode: sys::E_UNEXPECTED,
        error: None,
        unicode: false,
    };
    let detailed =
        StoreEvent::critical_error(sys::E_UNEXPECTED, "The server is unavailable", "store");
    let seen = deliver(&[bare, detailed], |events| {
        events
            .iter()
            .map(|event| match event {
                Event::CriticalError(error) => error.error().map(|details| format!("{details:?}")),
                other => panic!("unexpected {other:?}"),
            })
            .collect::<Vec<_>>()
    });
    assert_eq!(seen[0][0], None);
    assert!(seen[0][1]
        .as_deref()
        .unwrap()
        .contains("The server is unavailable"));
}

#[test]
fn mapi_error_version() {
    let sent = StoreEvent::critical_error(sys::E_UNEXPECTED, "The server is unavailable", "emsmdb");
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::CriticalError(error)) => error.error().unwrap().version(),
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [0]); // the simulated store sends version 0
}

#[test]
fn mapi_error_error() {
    let sent = StoreEvent::critical_error(sys::E_UNEXPECTED, "The server is unavailable", "emsmdb");
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::CriticalError(error)) => {
            error.error().unwrap().error().map(|text| text.to_string())
        }
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [Some("The server is unavailable".to_string())]);
}

#[test]
fn mapi_error_component() {
    let sent = StoreEvent::critical_error(sys::E_UNEXPECTED, "The server is unavailable", "emsmdb");
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::CriticalError(error)) => error
            .error()
            .unwrap()
            .component()
            .map(|name| name.to_string()),
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [Some("emsmdb".to_string())]);
}

#[test]
fn mapi_error_low_level_error() {
    let sent = StoreEvent::critical_error(sys::E_UNEXPECTED, "The server is unavailable", "emsmdb");
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::CriticalError(error)) => error.error().unwrap().low_level_error(),
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [0]); // none, from the simulated store
}

#[test]
fn mapi_error_context() {
    let sent = StoreEvent::critical_error(sys::E_UNEXPECTED, "The server is unavailable", "emsmdb");
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::CriticalError(error)) => error.error().unwrap().context(),
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [0]); // none, from the simulated store
}

#[test]
fn mapi_error_raw() {
    let sent = StoreEvent::critical_error(sys::E_UNEXPECTED, "The server is unavailable", "emsmdb");
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::CriticalError(error)) => error.error().unwrap().raw().ulVersion,
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [0]);
}

#[test]
fn new_mail_entry_id() {
    let sent = StoreEvent::new_mail(b"msg-1", b"inbox", "IPM.Note");
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::NewMail(mail)) => mail.entry_id().map(|id| id.as_bytes().to_vec()), // copied out
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [Some(b"msg-1".to_vec())]);
}

#[test]
fn new_mail_parent_id() {
    let sent = StoreEvent::new_mail(b"msg-1", b"inbox", "IPM.Note");
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::NewMail(mail)) => mail.parent_id() == Some(EntryId::new(b"inbox")),
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [true]);
}

#[test]
fn new_mail_flags() {
    let sent = StoreEvent::NewMail {
        entry_id: b"msg-1".to_vec(),
        parent_id: b"inbox".to_vec(),
        message_class: "IPM.Note".into(),
        message_flags: 0,
        unicode: true,
    };
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::NewMail(mail)) => mail.flags() & sys::MAPI_UNICODE != 0,
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [true]);
}

#[test]
fn new_mail_message_class() {
    let sent = StoreEvent::new_mail(b"msg-2", b"inbox", "IPM.Schedule.Meeting.Request");
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::NewMail(mail)) => mail
            .message_class()
            .is_some_and(|class| class == "IPM.Schedule.Meeting.Request"),
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [true]); // `MapiStr` compares with `&str`, 8-bit or UTF-16
}

#[test]
fn new_mail_message_flags() {
    const MSGFLAG_READ: u32 = 0x1;
    const MSGFLAG_UNSENT: u32 = 0x8;
    let sent = StoreEvent::NewMail {
        entry_id: b"msg-1".to_vec(),
        parent_id: b"inbox".to_vec(),
        message_class: "IPM.Note".into(),
        message_flags: MSGFLAG_UNSENT,
        unicode: false,
    };
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::NewMail(mail)) => mail.message_flags() & MSGFLAG_READ != 0,
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [false]); // not read yet
}

#[test]
fn object_event_entry_id() {
    let sent = StoreEvent::object(ObjectEventKind::Created, b"draft-7", b"drafts");
    let seen = deliver(&[sent], move |events| match events.get(0) {
        Some(Event::ObjectCreated(object)) => text(object.entry_id()),
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [Some("draft-7".to_string())]);
}

#[test]
fn object_event_object_type() {
    let sent = StoreEvent::object(ObjectEventKind::Created, b"draft-7", b"drafts");
    let seen = deliver(&[sent], move |events| match events.get(0) {
        Some(Event::ObjectCreated(object)) => object.object_type() == sys::MAPI_MESSAGE,
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [true]);
}

#[test]
fn object_event_parent_id() {
    let sent = StoreEvent::object(ObjectEventKind::Created, b"draft-7", b"drafts");
    let seen = deliver(&[sent], move |events| match events.get(0) {
        Some(Event::ObjectCreated(object)) => text(object.parent_id()),
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [Some("drafts".to_string())]);
}

#[test]
fn object_event_old_id() {
    let sent = StoreEvent::Object {
        event_type: ObjectEventKind::Moved,
        object_type: sys::MAPI_MESSAGE,
        entry_id: b"msg-1-new".to_vec(),
        parent_id: b"archive".to_vec(),
        old_id: b"msg-1".to_vec(),
        old_parent_id: b"inbox".to_vec(),
        prop_tags: None,
    };
    let seen = deliver(&[sent], move |events| match events.get(0) {
        Some(Event::ObjectMoved(object)) => (text(object.old_id()), text(object.entry_id())),
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(
        seen,
        [(Some("msg-1".to_string()), Some("msg-1-new".to_string()))]
    );
}

#[test]
fn object_event_old_parent_id() {
    let sent = StoreEvent::Object {
        event_type: ObjectEventKind::Moved,
        object_type: sys::MAPI_MESSAGE,
        entry_id: b"msg-1-new".to_vec(),
        parent_id: b"archive".to_vec(),
        old_id: b"msg-1".to_vec(),
        old_parent_id: b"inbox".to_vec(),
        prop_tags: None,
    };
    let seen = deliver(&[sent], move |events| match events.get(0) {
        Some(Event::ObjectMoved(object)) => text(object.old_parent_id()),
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [Some("inbox".to_string())]);
}

#[test]
fn object_event_prop_tags() {
    const PR_MESSAGE_FLAGS: u32 = 0x0E07_0003; // PROP_TAG(PT_LONG, 0x0E07)
    let sent = StoreEvent::Object {
        event_type: ObjectEventKind::Modified,
        object_type: sys::MAPI_MESSAGE,
        entry_id: b"msg-1".to_vec(),
        parent_id: b"inbox".to_vec(),
        old_id: Vec::new(),
        old_parent_id: Vec::new(),
        prop_tags: Some(vec![PR_MESSAGE_FLAGS]),
    };
    let seen = deliver(&[sent], move |events| match events.get(0) {
        Some(Event::ObjectModified(object)) => object.prop_tags().map(<[u32]>::to_vec),
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [Some(vec![PR_MESSAGE_FLAGS])]);
}

#[test]
fn table_event_kind() {
    let sent = StoreEvent::row_deleted(b"row-2");
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::TableModified(table)) => table.kind(),
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [TableEventKind::RowDeleted]); // only `index` names the row
}

#[test]
fn table_event_hresult() {
    let sent = StoreEvent::Table {
        table_event: sys::TABLE_ERROR,
        hresult: sys::E_UNEXPECTED,
        index: SimProp::null(),
        prior: SimProp::null(),
        row: Vec::new(),
    };
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::TableModified(table)) => (table.kind(), table.hresult()),
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [(TableEventKind::Error, sys::E_UNEXPECTED)]);
}

#[test]
fn table_event_index() {
    let sent = StoreEvent::row_added(
        b"row-2",
        Some(b"row-1"),
        vec![SimProp::new(
            0x0037,
            SimValue::String8("Quarterly figures".into()),
        )], // PR_SUBJECT
    );
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::TableModified(table)) => {
            let index = table.index();
            (index.id(), index.value() == Value::Binary(b"row-2"))
        }
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [(0x0ff6, true)]); // PR_INSTANCE_KEY, the row's key
}

#[test]
fn table_event_prior() {
    const PR_NULL: u32 = 0x0000_0001; // PROP_TAG(PT_NULL, 0)
    let sent = StoreEvent::row_added(b"row-1", None, Vec::new());
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::TableModified(table)) => {
            let prior = table.prior();
            (prior.tag() == PR_NULL, prior.value() == Value::Null)
        }
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [(true, true)]); // added as the first row
}

#[test]
fn table_event_row() {
    let sent = StoreEvent::row_modified(
        b"row-2",
        None,
        vec![
            SimProp::new(0x0037, SimValue::String8("Quarterly figures".into())),
            SimProp::new(0x0E08, SimValue::Long(48_213)),
        ],
    );
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::TableModified(table)) => table
            .row()
            .iter()
            .map(|value| value.tag())
            .collect::<Vec<_>>(),
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [[0x0037_001E, 0x0E08_0003]]); // PR_SUBJECT, PR_MESSAGE_SIZE
}

#[test]
fn status_event_entry_id() {
    let sent =
        StoreEvent::status_object(b"status-1", vec![SimProp::new(0x3E04, SimValue::Long(2))]);
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::StatusObjectModified(status)) => {
            status.entry_id().map(|id| id.as_bytes().to_vec())
        }
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [Some(b"status-1".to_vec())]);
}

#[test]
fn status_event_props() {
    const PR_STATUS_CODE: u32 = 0x3E04_0003; // PROP_TAG(PT_LONG, 0x3E04)
    let sent =
        StoreEvent::status_object(b"status-1", vec![SimProp::new(0x3E04, SimValue::Long(2))]);
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::StatusObjectModified(status)) => (
            status.props().len(),
            status.props().get(0).map(|code| code.tag()),
        ),
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [(1, Some(PR_STATUS_CODE))]);
}

#[test]
fn extended_event_event() {
    let sent = StoreEvent::extended(0x42, &[1, 2, 3]);
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::Extended(extended)) => extended.event(),
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [0x42]);
}

#[test]
fn extended_event_parameters() {
    let sent = StoreEvent::extended(0x42, &[1, 2, 3]);
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::Extended(extended)) => extended.parameters().to_vec(), // copied out
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [vec![1, 2, 3]]);
}

#[test]
fn advise_sink_new() {
    struct Quiet;

    #[mapi_advise_sink]
    impl Quiet {
        fn on_notify(&self, _events: &Events<'_>) {}
    }

    let sink = AdviseSink::new(Quiet);
    assert_eq!(AdviseSink::ref_count(&sink), 1);
}

#[test]
fn error_event_raw() {
    let seen = deliver(
        &[StoreEvent::critical_error(
            sys::MAPI_E_NOT_FOUND,
            "gone",
            "store",
        )],
        |events| match events.get(0) {
            Some(Event::CriticalError(view)) => {
                let raw = view.raw(); // the `sys` struct, for fields without an accessor
                raw.scode
            }
            other => panic!("unexpected {other:?}"),
        },
    );
    assert_eq!(seen, [sys::MAPI_E_NOT_FOUND.0]);
}

#[test]
fn new_mail_raw() {
    let seen = deliver(
        &[StoreEvent::new_mail(b"msg-1", b"inbox", "IPM.Note")],
        |events| match events.get(0) {
            Some(Event::NewMail(view)) => {
                let raw = view.raw(); // the `sys` struct, for fields without an accessor
                raw.cbEntryID
            }
            other => panic!("unexpected {other:?}"),
        },
    );
    assert_eq!(seen, [5]); // b"msg-1"
}

#[test]
fn object_event_raw() {
    let seen = deliver(
        &[StoreEvent::object(
            ObjectEventKind::Created,
            b"draft-7",
            b"drafts",
        )],
        |events| match events.get(0) {
            Some(Event::ObjectCreated(view)) => {
                let raw = view.raw(); // the `sys` struct, for fields without an accessor
                raw.ulObjType
            }
            other => panic!("unexpected {other:?}"),
        },
    );
    assert_eq!(seen, [sys::MAPI_MESSAGE]);
}

#[test]
fn table_event_raw() {
    let seen = deliver(
        &[StoreEvent::row_deleted(b"row-2")],
        |events| match events.get(0) {
            Some(Event::TableModified(view)) => {
                let raw = view.raw(); // the `sys` struct, for fields without an accessor
                raw.ulTableEvent
            }
            other => panic!("unexpected {other:?}"),
        },
    );
    assert_eq!(seen, [sys::TABLE_ROW_DELETED]);
}

#[test]
fn status_event_raw() {
    let seen = deliver(
        &[StoreEvent::status_object(b"status-1", Vec::new())],
        |events| match events.get(0) {
            Some(Event::StatusObjectModified(view)) => {
                let raw = view.raw(); // the `sys` struct, for fields without an accessor
                raw.cValues
            }
            other => panic!("unexpected {other:?}"),
        },
    );
    assert_eq!(seen, [0]);
}

#[test]
fn extended_event_raw() {
    let seen = deliver(
        &[StoreEvent::extended(0x42, &[1, 2, 3])],
        |events| match events.get(0) {
            Some(Event::Extended(view)) => {
                let raw = view.raw(); // the `sys` struct, for fields without an accessor
                raw.cb
            }
            other => panic!("unexpected {other:?}"),
        },
    );
    assert_eq!(seen, [3]);
}

#[test]
fn entry_id_in_a_handler() {
    // Remember the new messages' entry IDs (copied out: the events live only for the call) ...
    let kept = Arc::new(Mutex::new(Vec::<Vec<u8>>::new()));
    let keep = Arc::clone(&kept);
    deliver(
        &[StoreEvent::new_mail(b"msg-1", b"inbox", "IPM.Note")],
        move |events| {
            for event in events {
                if let Event::NewMail(mail) = event {
                    keep.lock()
                        .unwrap()
                        .extend(mail.entry_id().map(|id| id.as_bytes().to_vec()));
                }
            }
        },
    );
    // ... and recognize one in a later notification.
    let kept = kept.lock().unwrap();
    assert_eq!(EntryId::new(&kept[0]), EntryId::new(b"msg-1"));
    assert_eq!(
        format!("{:?}", EntryId::new(&kept[0])),
        "EntryId(6d73672d31)"
    ); // hex
}

#[test]
fn prop_value_in_a_handler() {
    // A row with one property, PR_MESSAGE_SIZE (0x0E08) unless said otherwise.
    let sent = StoreEvent::row_added(
        b"row-1",
        None,
        vec![SimProp::new(0x0E08, SimValue::Long(48_213))],
    );
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::TableModified(table)) => {
            let prop = table.row().get(0).unwrap();
            match prop.value() {
                Value::Long(size) if prop.id() == 0x0E08 => Some(size),
                _ => None,
            }
        }
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [Some(48_213)]);
}

#[test]
fn value_in_a_handler() {
    let row = vec![
        SimProp::new(0x0037, SimValue::String8("Quarterly figures".into())), // PR_SUBJECT
        SimProp::new(0x0E08, SimValue::Long(48_213)),                        // PR_MESSAGE_SIZE
        SimProp::new(0x0E1B, SimValue::Boolean(true)),                       // PR_HASATTACH
        SimProp::new(0x0FF9, SimValue::Binary(vec![1, 2])),                  // PR_RECORD_KEY
        SimProp::new(0x1000, SimValue::Error(sys::MAPI_E_NOT_FOUND)),        // PR_BODY: no value
    ];
    let seen = deliver(
        &[StoreEvent::row_added(b"row-1", None, row)],
        |events| match events.get(0) {
            Some(Event::TableModified(table)) => table
                .row()
                .iter()
                .map(|prop| match prop.value() {
                    Value::String(text) => format!("text {text}"),
                    Value::Long(n) => format!("long {n}"),
                    Value::Boolean(flag) => format!("bool {flag}"),
                    Value::Binary(bytes) => format!("{} bytes", bytes.len()),
                    Value::Error(why) => format!("no value: {why:?}"),
                    other => format!("{other:?}"),
                })
                .collect::<Vec<_>>(),
            other => panic!("unexpected {other:?}"),
        },
    );
    assert_eq!(
        seen[0],
        [
            "text Quarterly figures",
            "long 48213",
            "bool true",
            "2 bytes",
            "no value: HRESULT(0x8004010F)",
        ]
    );
}

#[test]
fn props_in_a_handler() {
    const PR_SUBJECT: u32 = 0x0037_001E; // PROP_TAG(PT_STRING8, 0x0037)
    const PR_MESSAGE_SIZE: u32 = 0x0E08_0003; // PROP_TAG(PT_LONG, 0x0E08)
    let row = vec![
        SimProp::new(0x0037, SimValue::String8("Quarterly figures".into())),
        SimProp::new(0x0E08, SimValue::Long(48_213)),
    ];
    let seen = deliver(
        &[StoreEvent::row_modified(b"row-1", None, row)],
        |events| match events.get(0) {
            Some(Event::TableModified(table)) => {
                let row = table.row();
                (
                    row.find(PR_MESSAGE_SIZE)
                        .map(|size| size.value() == Value::Long(48_213)),
                    row.find(PR_SUBJECT).is_some(),
                )
            }
            other => panic!("unexpected {other:?}"),
        },
    );
    assert_eq!(seen, [(Some(true), true)]);
}

#[test]
fn iter_in_a_handler() {
    let sent = [
        StoreEvent::object(ObjectEventKind::Created, b"draft-7", b"drafts"),
        StoreEvent::new_mail(b"msg-1", b"inbox", "IPM.Note"),
    ];
    let seen = deliver(&sent, |events| {
        let mut iter = events.iter(); // an `Iter<Event>`: exact size, double-ended
        let len = iter.len();
        let last_is_mail = matches!(iter.next_back(), Some(Event::NewMail(_)));
        (len, last_is_mail, iter.len())
    });
    assert_eq!(seen, [(2, true, 1)]);
}

#[test]
fn events_in_a_handler() {
    // A handler's work on one call's events: here, count the new mail.
    fn count_new_mail(events: &Events<'_>) -> usize {
        events
            .iter()
            .filter(|event| matches!(event, Event::NewMail(_)))
            .count()
    }

    // `deliver`: a `SimulatedStore` sends these in one `OnNotify` call to a sink whose
    // `on_notify` runs the handler; it returns what the handler returned, per call.
    let seen = deliver(
        &[
            StoreEvent::new_mail(b"msg-1", b"inbox", "IPM.Note"),
            StoreEvent::object(ObjectEventKind::Created, b"draft-7", b"drafts"),
            StoreEvent::new_mail(b"msg-2", b"inbox", "IPM.Note"),
        ],
        count_new_mail,
    );
    assert_eq!(seen, [2]);
}

#[test]
fn event_in_a_handler() {
    // A handler copies out what it keeps: the events live only for the call.
    fn describe(events: &Events<'_>) -> Vec<String> {
        fn text(id: Option<EntryId<'_>>) -> String {
            id.map_or_else(String::new, |id| {
                String::from_utf8_lossy(id.as_bytes()).into_owned()
            })
        }
        events
            .iter()
            .map(|event| match event {
                Event::NewMail(mail) => format!("new {} mail", mail.message_class().unwrap()),
                Event::ObjectDeleted(object) => format!("deleted {}", text(object.entry_id())),
                Event::TableModified(table) => format!("table {:?}", table.kind()),
                Event::CriticalError(error) => format!("error {:?}", error.scode()),
                other => format!("{other:?}"),
            })
            .collect()
    }

    let subject = SimProp::new(0x0037, SimValue::String8("Hello".into()));
    let seen = deliver(
        &[
            StoreEvent::new_mail(b"msg-1", b"inbox", "IPM.Note"),
            StoreEvent::object(ObjectEventKind::Deleted, b"msg-0", b"inbox"),
            StoreEvent::row_added(b"row-1", None, vec![subject]),
            StoreEvent::critical_error(sys::MAPI_E_NOT_FOUND, "gone", "store"),
        ],
        describe,
    );
    assert_eq!(
        seen[0],
        [
            "new IPM.Note mail",
            "deleted msg-0",
            "table RowAdded",
            "error HRESULT(0x8004010F)",
        ]
    );
}

#[test]
fn error_event_in_a_handler() {
    let sent = StoreEvent::critical_error(sys::MAPI_E_NOT_FOUND, "The folder is gone", "store");
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::CriticalError(error)) => {
            let text = error
                .error()
                .and_then(|details| details.error())
                .map(|text| text.to_string());
            (error.scode(), text)
        }
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(
        seen,
        [(
            sys::MAPI_E_NOT_FOUND,
            Some("The folder is gone".to_string())
        )]
    );
}

#[test]
fn mapi_error_in_a_handler() {
    let sent = StoreEvent::critical_error(sys::E_UNEXPECTED, "The server is unavailable", "emsmdb");
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::CriticalError(error)) => {
            let details = error.error().expect("a MAPIERROR was sent");
            (
                details.error().unwrap().to_string(),
                details.component().unwrap().to_string(),
            )
        }
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(
        seen,
        [(
            "The server is unavailable".to_string(),
            "emsmdb".to_string()
        )]
    );
}

#[test]
fn new_mail_in_a_handler() {
    let sent = StoreEvent::new_mail(b"msg-1", b"inbox", "IPM.Note");
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::NewMail(mail)) => (
            mail.message_class().unwrap().to_string(),
            mail.entry_id().unwrap().as_bytes().to_vec(),
        ),
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [("IPM.Note".to_string(), b"msg-1".to_vec())]);
}

#[test]
fn object_event_in_a_handler() {
    let sent = StoreEvent::Object {
        event_type: ObjectEventKind::Moved,
        object_type: sys::MAPI_MESSAGE,
        entry_id: b"msg-1-new".to_vec(),
        parent_id: b"archive".to_vec(),
        old_id: b"msg-1".to_vec(),
        old_parent_id: b"inbox".to_vec(),
        prop_tags: None,
    };
    let seen = deliver(&[sent], move |events| match events.get(0) {
        Some(Event::ObjectMoved(object)) => {
            (text(object.old_parent_id()), text(object.parent_id()))
        }
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(
        seen,
        [(Some("inbox".to_string()), Some("archive".to_string()))]
    );
}

#[test]
fn table_event_in_a_handler() {
    const PR_SUBJECT: u32 = 0x0037_001E; // PROP_TAG(PT_STRING8, 0x0037)
    let sent = StoreEvent::row_added(
        b"row-2",
        Some(b"row-1"),
        vec![SimProp::new(
            0x0037,
            SimValue::String8("Quarterly figures".into()),
        )], // PR_SUBJECT
    );
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::TableModified(table)) => {
            let subject = table.row().find(PR_SUBJECT).map(|value| value.value());
            (
                table.kind(),
                matches!(subject, Some(Value::String(s)) if s == "Quarterly figures"),
            )
        }
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [(TableEventKind::RowAdded, true)]);
}

#[test]
fn table_event_kind_in_a_handler() {
    let sent = StoreEvent::Table {
        table_event: sys::TABLE_RELOAD,
        hresult: sys::S_OK,
        index: SimProp::null(),
        prior: SimProp::null(),
        row: Vec::new(),
    };
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::TableModified(table)) => match table.kind() {
            // Too much changed to say what: read the table again.
            TableEventKind::Changed | TableEventKind::Reload => "reread",
            TableEventKind::RowAdded | TableEventKind::RowModified | TableEventKind::RowDeleted => {
                "row"
            }
            _ => "other",
        },
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, ["reread"]);
}

#[test]
fn status_event_in_a_handler() {
    const PR_STATUS_CODE: u32 = 0x3E04_0003; // PROP_TAG(PT_LONG, 0x3E04)
    let sent =
        StoreEvent::status_object(b"status-1", vec![SimProp::new(0x3E04, SimValue::Long(2))]);
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::StatusObjectModified(status)) => status
            .props()
            .find(PR_STATUS_CODE)
            .map(|code| code.value() == Value::Long(2)),
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [Some(true)]);
}

#[test]
fn extended_event_in_a_handler() {
    let sent = StoreEvent::extended(0x42, &[1, 2, 3]);
    let seen = deliver(&[sent], |events| match events.get(0) {
        Some(Event::Extended(extended)) => (extended.event(), extended.parameters().to_vec()),
        other => panic!("unexpected {other:?}"),
    });
    assert_eq!(seen, [(0x42, vec![1, 2, 3])]);
}
