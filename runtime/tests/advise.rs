//! The advise sink (`IMAPIAdviseSink`) as MAPI calls it: through its vtable, with
//! `NOTIFICATION` arrays laid out as `MAPIDefS.h` lays them out (the test's own description, in
//! `support/mapidefs.rs`) and every piece of lent memory in a block of exactly its size. Each
//! test ends by proving the sink's value was dropped exactly once.

mod support;

use core::ffi::c_void;
use core::ptr;
use mapi_notify_sink::advise_sink::{
    AdviseSink, Event, Events, MapiStr, TableEventKind, MAX_STRING_UNITS,
};
use mapi_notify_sink::mapi_advise_sink;
use std::sync::Mutex;
use support::*;

/// Sends `notifications` (with `lent` holding what they point to) in one `OnNotify` call to a
/// fresh recording sink; returns what it returned, what `on_notify` saw, and what was logged.
fn deliver(notifications: &[CNotification]) -> (u32, Vec<Vec<SeenEvent>>, Logged) {
    let mut array = Lent::default();
    let raw = array.array(notifications);
    deliver_raw(raw, notifications.len() as u32)
}

fn deliver_raw(raw: *const CNotification, count: u32) -> (u32, Vec<Vec<SeenEvent>>, Logged) {
    let (sink, drops) = AdviseRecorder::sink();
    // SAFETY: `sink` holds a reference; the test vouches for the array.
    let (returned, logged) = capture_logs(|| unsafe { on_notify(sink.as_raw(), count, raw) });
    let seen = sink.take();
    drop(sink);
    drops.assert_once();
    (returned, seen, logged)
}

/// Delivers one notification and returns the one event it must produce.
fn deliver_one(notification: CNotification) -> (SeenEvent, Logged) {
    let (returned, mut seen, logged) = deliver(&[notification]);
    assert_eq!(returned, 0, "OnNotify returns 0");
    assert_eq!(seen.len(), 1, "one call");
    assert_eq!(seen[0].len(), 1, "one event");
    (seen.remove(0).remove(0), logged)
}

fn no_warnings(logged: &Logged) {
    assert!(logged.at(log::Level::Warn).is_empty(), "{logged:?}");
}

/// The one warning logged, which must mention `about`.
fn one_warning(logged: &Logged, about: &str) {
    let warnings = logged.at(log::Level::Warn);
    assert_eq!(warnings.len(), 1, "{logged:?}");
    assert!(
        warnings[0].contains(about),
        "{about:?} not in {:?}",
        warnings[0]
    );
}

const MESSAGE_ID: &[u8] = &[0, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4];
const FOLDER_ID: &[u8] = &[0, 0, 0, 0, 0xf0, 0x1d, 0xe7, 0x00];
const OLD_ID: &[u8] = &[0, 0, 0, 0, 0x01, 0xd0];
const OLD_FOLDER_ID: &[u8] = &[0, 0, 0, 0, 0x02, 0xf0, 0x1d];

// ---------------------------------------------------------------------------------------------
// Each event kind
// ---------------------------------------------------------------------------------------------

#[test]
fn new_mail_is_decoded_with_an_8_bit_message_class() {
    let mut lent = Lent::default();
    let (cb_entry, entry) = lent.entry_id(MESSAGE_ID);
    let (cb_parent, parent) = lent.entry_id(FOLDER_ID);
    let class = lent.ansi("IPM.Note").cast();
    let (event, logged) = deliver_one(CNotification::new_mail(CNewMailNotification {
        cbEntryID: cb_entry,
        lpEntryID: entry,
        cbParentID: cb_parent,
        lpParentID: parent,
        ulFlags: 0,
        lpszMessageClass: class,
        ulMessageFlags: 0x1,
    }));
    assert_eq!(
        event,
        SeenEvent::NewMail {
            entry_id: Some(MESSAGE_ID.to_vec()),
            parent_id: Some(FOLDER_ID.to_vec()),
            flags: 0,
            class: Some("A:IPM.Note".into()),
            message_flags: 0x1,
        }
    );
    no_warnings(&logged);
}

#[test]
fn new_mail_with_mapi_unicode_reads_the_class_as_utf_16() {
    let mut lent = Lent::default();
    let (cb_entry, entry) = lent.entry_id(MESSAGE_ID);
    let class = lent.wide("IPM.Note.Réunion").cast();
    let (event, logged) = deliver_one(CNotification::new_mail(CNewMailNotification {
        cbEntryID: cb_entry,
        lpEntryID: entry,
        cbParentID: 0,
        lpParentID: ptr::null_mut(),
        ulFlags: MAPI_UNICODE,
        lpszMessageClass: class,
        ulMessageFlags: 0,
    }));
    let SeenEvent::NewMail {
        class, parent_id, ..
    } = event
    else {
        panic!("{event:?}")
    };
    assert_eq!(class.as_deref(), Some("W:IPM.Note.Réunion"));
    assert_eq!(parent_id, None);
    no_warnings(&logged);
}

#[test]
fn critical_error_is_decoded_with_its_mapierror_in_both_string_widths() {
    for (flags, expect_prefix) in [(0, "A:"), (MAPI_UNICODE, "W:")] {
        let mut lent = Lent::default();
        let (text, component): (*mut c_void, *mut c_void) = if flags == MAPI_UNICODE {
            (
                lent.wide("Le serveur est indisponible").cast(),
                lent.wide("Exchange").cast(),
            )
        } else {
            (
                lent.ansi("The server is unavailable").cast(),
                lent.ansi("Exchange").cast(),
            )
        };
        let error = lent.array(&[CMapiError {
            ulVersion: 0,
            lpszError: text,
            lpszComponent: component,
            ulLowLevelError: 1722,
            ulContext: 0x42,
        }]);
        let (cb, entry) = lent.entry_id(FOLDER_ID);
        let (event, logged) = deliver_one(CNotification::error(CErrorNotification {
            cbEntryID: cb,
            lpEntryID: entry,
            scode: 0x8004_011d_u32 as i32,
            ulFlags: flags,
            lpMAPIError: error,
        }));
        let expected_text = if flags == MAPI_UNICODE {
            "Le serveur est indisponible"
        } else {
            "The server is unavailable"
        };
        assert_eq!(
            event,
            SeenEvent::CriticalError {
                entry_id: Some(FOLDER_ID.to_vec()),
                scode: 0x8004_011d_u32 as i32,
                flags,
                error: Some((
                    Some(format!("{expect_prefix}{expected_text}")),
                    Some(format!("{expect_prefix}Exchange")),
                    1722,
                    0x42
                )),
            }
        );
        no_warnings(&logged);
    }
}

#[test]
fn each_object_event_is_decoded_with_all_its_ids_and_changed_tags() {
    for (event_type, name) in [
        (fnevObjectCreated, "created"),
        (fnevObjectDeleted, "deleted"),
        (fnevObjectModified, "modified"),
        (fnevObjectMoved, "moved"),
        (fnevObjectCopied, "copied"),
        (fnevSearchComplete, "search complete"),
    ] {
        let mut lent = Lent::default();
        let (cb_entry, entry) = lent.entry_id(MESSAGE_ID);
        let (cb_parent, parent) = lent.entry_id(FOLDER_ID);
        let (cb_old, old) = lent.entry_id(OLD_ID);
        let (cb_old_parent, old_parent) = lent.entry_id(OLD_FOLDER_ID);
        let tags = lent.prop_tags(&[PR_SUBJECT_W, PR_MESSAGE_SIZE]);
        let (event, logged) = deliver_one(CNotification::object(
            event_type,
            CObjectNotification {
                cbEntryID: cb_entry,
                lpEntryID: entry,
                ulObjType: MAPI_MESSAGE,
                cbParentID: cb_parent,
                lpParentID: parent,
                cbOldID: cb_old,
                lpOldID: old,
                cbOldParentID: cb_old_parent,
                lpOldParentID: old_parent,
                lpPropTagArray: tags,
            },
        ));
        assert_eq!(
            event,
            SeenEvent::Object(
                name,
                SeenObject {
                    entry_id: Some(MESSAGE_ID.to_vec()),
                    object_type: MAPI_MESSAGE,
                    parent_id: Some(FOLDER_ID.to_vec()),
                    old_id: Some(OLD_ID.to_vec()),
                    old_parent_id: Some(OLD_FOLDER_ID.to_vec()),
                    prop_tags: Some(vec![PR_SUBJECT_W, PR_MESSAGE_SIZE]),
                }
            ),
            "{name}"
        );
        no_warnings(&logged);
    }
}

#[test]
fn object_event_with_an_empty_tag_array_of_4_bytes_has_no_tags() {
    let mut lent = Lent::default();
    // CbNewSPropTagArray(0): just `cValues`, 4 bytes, shorter than the struct's declared 8.
    let tags = lent.prop_tags(&[]);
    let (event, logged) = deliver_one(CNotification::object(
        fnevObjectModified,
        CObjectNotification {
            ulObjType: MAPI_FOLDER,
            lpPropTagArray: tags,
            ..empty_object()
        },
    ));
    let SeenEvent::Object(_, object) = event else {
        panic!("{event:?}")
    };
    assert_eq!(object.prop_tags, Some(vec![]));
    assert_eq!(object.object_type, MAPI_FOLDER);
    no_warnings(&logged);
}

/// On a 32-bit target 4 x `cValues` can pass `isize::MAX`, and even wrap `usize` (0x4000_0000
/// tags would be 0 bytes, 0x4000_0001 would be 4): such a count is refused, not read as a slice
/// of that many tags. (On a 64-bit target every `u32` count fits; only an array at the very top
/// of the address space could run past its end, and no `cValues` can be read there.)
#[cfg(target_pointer_width = "32")]
#[test]
fn a_tag_array_counting_more_tags_than_memory_holds_is_none_with_a_warning() {
    for count in [0x4000_0000_u32, 0x4000_0001, 0x2000_0000, u32::MAX] {
        let mut lent = Lent::default();
        // `cValues` alone: nothing after it may be read.
        let tags = lent.array(&[count]);
        let (event, logged) = deliver_one(CNotification::object(
            fnevObjectModified,
            CObjectNotification {
                lpPropTagArray: tags,
                ..empty_object()
            },
        ));
        let SeenEvent::Object(_, object) = event else {
            panic!("{event:?}")
        };
        assert_eq!(object.prop_tags, None, "{count:#x}");
        one_warning(
            &logged,
            &format!("lpPropTagArray has a count of {count}, more than memory can hold"),
        );
    }
}

fn empty_object() -> CObjectNotification {
    CObjectNotification {
        cbEntryID: 0,
        lpEntryID: ptr::null_mut(),
        ulObjType: 0,
        cbParentID: 0,
        lpParentID: ptr::null_mut(),
        cbOldID: 0,
        lpOldID: ptr::null_mut(),
        cbOldParentID: 0,
        lpOldParentID: ptr::null_mut(),
        lpPropTagArray: ptr::null_mut(),
    }
}

fn instance_key(lent: &mut Lent, key: &[u8]) -> CPropValue {
    let lpb = lent.array(key);
    CPropValue::new(
        PR_INSTANCE_KEY,
        CPV {
            bin: CBinary {
                cb: key.len() as u32,
                lpb,
            },
        },
    )
}

fn prop_null() -> CPropValue {
    CPropValue::new(tag(0, PT_NULL), CPV { x: 0 })
}

fn seen_key(key: &[u8]) -> SeenProp {
    SeenProp {
        tag: PR_INSTANCE_KEY,
        value: SeenValue::Binary(key.to_vec()),
    }
}

fn table(
    kind: u32,
    index: CPropValue,
    prior: CPropValue,
    row: &[CPropValue],
    lent: &mut Lent,
) -> CNotification {
    let row_props = if row.is_empty() {
        ptr::null_mut()
    } else {
        lent.array(row)
    };
    CNotification::table(CTableNotification {
        ulTableEvent: kind,
        hResult: 0,
        propIndex: index,
        propPrior: prior,
        row: CSRow {
            ulAdrEntryPad: 0,
            cValues: row.len() as u32,
            lpProps: row_props,
        },
        ulPad: 0,
    })
}

#[test]
fn table_rows_added_modified_and_deleted_are_decoded_with_their_rows() {
    let mut lent = Lent::default();
    let subject = lent.wide("Quarterly figures");
    let row = [
        CPropValue::new(PR_SUBJECT_W, CPV { lpszW: subject }),
        CPropValue::new(PR_MESSAGE_SIZE, CPV { l: 4096 }),
        CPropValue::new(tag(0x0057, PT_BOOLEAN), CPV { b: 1 }),
    ];
    let added = table(
        TABLE_ROW_ADDED,
        instance_key(&mut lent, b"row-2"),
        instance_key(&mut lent, b"row-1"),
        &row,
        &mut lent,
    );
    let modified = table(
        TABLE_ROW_MODIFIED,
        instance_key(&mut lent, b"row-2"),
        prop_null(),
        &row[1..],
        &mut lent,
    );
    let deleted = table(
        TABLE_ROW_DELETED,
        instance_key(&mut lent, b"row-2"),
        prop_null(),
        &[],
        &mut lent,
    );
    let (returned, seen, logged) = deliver(&[added, modified, deleted]);
    assert_eq!(returned, 0);
    let subject = SeenProp {
        tag: PR_SUBJECT_W,
        value: SeenValue::Unicode("Quarterly figures".encode_utf16().collect()),
    };
    let size = SeenProp {
        tag: PR_MESSAGE_SIZE,
        value: SeenValue::Long(4096),
    };
    let read = SeenProp {
        tag: tag(0x0057, PT_BOOLEAN),
        value: SeenValue::Boolean(true),
    };
    let null = SeenProp {
        tag: tag(0, PT_NULL),
        value: SeenValue::Null,
    };
    assert_eq!(
        seen,
        [vec![
            SeenEvent::Table {
                kind: TableEventKind::RowAdded,
                hresult: 0,
                index: seen_key(b"row-2"),
                prior: seen_key(b"row-1"),
                row: vec![subject, size.clone(), read.clone()],
            },
            SeenEvent::Table {
                kind: TableEventKind::RowModified,
                hresult: 0,
                index: seen_key(b"row-2"),
                prior: null.clone(),
                row: vec![size, read],
            },
            SeenEvent::Table {
                kind: TableEventKind::RowDeleted,
                hresult: 0,
                index: seen_key(b"row-2"),
                prior: null,
                row: vec![],
            },
        ]]
    );
    no_warnings(&logged);
}

#[test]
fn table_event_kinds_are_decoded() {
    for (raw, kind) in [
        (1, TableEventKind::Changed),
        (2, TableEventKind::Error),
        (3, TableEventKind::RowAdded),
        (4, TableEventKind::RowDeleted),
        (5, TableEventKind::RowModified),
        (6, TableEventKind::SortDone),
        (7, TableEventKind::RestrictDone),
        (8, TableEventKind::SetColDone),
        (9, TableEventKind::Reload),
        (10, TableEventKind::Other(10)),
        (0, TableEventKind::Other(0)),
    ] {
        let mut lent = Lent::default();
        let mut notification = table(raw, prop_null(), prop_null(), &[], &mut lent);
        notification.info.tab.hResult = 0x8004_0600_u32 as i32;
        let (event, _) = deliver_one(notification);
        let SeenEvent::Table {
            kind: seen,
            hresult,
            ..
        } = event
        else {
            panic!("{event:?}")
        };
        assert_eq!((seen, hresult), (kind, 0x8004_0600_u32 as i32), "{raw}");
    }
}

#[test]
fn status_object_and_extended_events_are_decoded() {
    let mut lent = Lent::default();
    let (cb, entry) = lent.entry_id(OLD_ID);
    let name = lent.ansi("Microsoft Exchange");
    let props = lent.array(&[
        CPropValue::new(tag(0x3e0b, PT_LONG), CPV { l: 0x2 }),
        CPropValue::new(tag(0x3e08, PT_STRING8), CPV { lpszA: name }),
    ]);
    let parameters = lent.array(&[9_u8, 8, 7]);
    let (returned, seen, logged) = deliver(&[
        CNotification::status(CStatusObjectNotification {
            cbEntryID: cb,
            lpEntryID: entry,
            cValues: 2,
            lpPropVals: props,
        }),
        CNotification::extended(CExtendedNotification {
            ulEvent: 0x1234,
            cb: 3,
            pbEventParameters: parameters,
        }),
    ]);
    assert_eq!(returned, 0);
    assert_eq!(
        seen,
        [vec![
            SeenEvent::Status {
                entry_id: Some(OLD_ID.to_vec()),
                props: vec![
                    SeenProp {
                        tag: tag(0x3e0b, PT_LONG),
                        value: SeenValue::Long(2)
                    },
                    SeenProp {
                        tag: tag(0x3e08, PT_STRING8),
                        value: SeenValue::Ansi(b"Microsoft Exchange".to_vec())
                    },
                ],
            },
            SeenEvent::Extended {
                event: 0x1234,
                parameters: vec![9, 8, 7]
            },
        ]]
    );
    no_warnings(&logged);
}

#[test]
fn unknown_event_types_are_other() {
    for event_type in [0, fnevReservedForMapi, 0x400, 0x3] {
        let (event, logged) = deliver_one(CNotification::bare(event_type));
        assert_eq!(event, SeenEvent::Other(event_type));
        no_warnings(&logged);
    }
}

// ---------------------------------------------------------------------------------------------
// Each property type
// ---------------------------------------------------------------------------------------------

/// Delivers `props` as a status object's properties and returns what the sink decoded.
fn decode_props(props: &[CPropValue], lent: &mut Lent) -> (Vec<SeenProp>, Logged) {
    let prop_vals = lent.array(props);
    let (event, logged) = deliver_one(CNotification::status(CStatusObjectNotification {
        cbEntryID: 0,
        lpEntryID: ptr::null_mut(),
        cValues: props.len() as u32,
        lpPropVals: prop_vals,
    }));
    let SeenEvent::Status { props, entry_id } = event else {
        panic!("{event:?}")
    };
    assert_eq!(entry_id, None);
    (props, logged)
}

const CLSID: u128 = 0x00020d0b_0000_0000_c000_000000000046;

#[test]
fn each_property_type_is_decoded() {
    let mut lent = Lent::default();
    let ansi = lent.ansi("caf\u{e9}"); // the UTF-8 bytes of é: two bytes, shown as Latin-1
    let wide = lent.wide("Grüße 🎉");
    let bytes = lent.array(&[0xca_u8, 0xfe]);
    let guid = lent.array(&[Guid {
        Data1: 0x00020d0b,
        Data2: 0,
        Data3: 0,
        Data4: [0xc0, 0, 0, 0, 0, 0, 0, 0x46],
    }]);
    // 2024-03-01 12:34:56 UTC as a FILETIME: (Unix time + 11644473600 s) in 100 ns units.
    let filetime: u64 = (1_709_296_496 + 11_644_473_600) * 10_000_000;
    let mv = lent.array(&[1_i32, 2, 3]);
    let props = [
        CPropValue::new(tag(1, PT_NULL), CPV { x: 0 }),
        CPropValue::new(tag(2, PT_I2), CPV { i: -2 }),
        CPropValue::new(tag(3, PT_LONG), CPV { l: -70_000 }),
        CPropValue::new(tag(4, PT_BOOLEAN), CPV { b: 0 }),
        CPropValue::new(tag(5, PT_BOOLEAN), CPV { b: 0xffff }),
        CPropValue::new(tag(6, PT_I8), CPV { li: -(1 << 40) }),
        CPropValue::new(
            tag(7, PT_SYSTIME),
            CPV {
                ft: [filetime as u32, (filetime >> 32) as u32],
            },
        ),
        CPropValue::new(tag(8, PT_STRING8), CPV { lpszA: ansi }),
        CPropValue::new(tag(9, PT_UNICODE), CPV { lpszW: wide }),
        CPropValue::new(
            tag(10, PT_BINARY),
            CPV {
                bin: CBinary { cb: 2, lpb: bytes },
            },
        ),
        CPropValue::new(
            tag(11, PT_ERROR),
            CPV {
                err: 0x8004_010f_u32 as i32,
            },
        ),
        CPropValue::new(tag(12, PT_CLSID), CPV { lpguid: guid }),
        CPropValue::new(tag(13, PT_R4), CPV { flt: 1.5 }),
        CPropValue::new(tag(14, PT_DOUBLE), CPV { dbl: -0.25 }),
        CPropValue::new(tag(15, PT_CURRENCY), CPV { cur: 12_3400 }),
        CPropValue::new(
            tag(16, PT_MV_LONG),
            CPV {
                MVl: CMVLong {
                    cValues: 3,
                    lpl: mv,
                },
            },
        ),
    ];
    let (seen, logged) = decode_props(&props, &mut lent);
    let values: Vec<SeenValue> = seen.iter().map(|prop| prop.value.clone()).collect();
    let tags: Vec<u32> = seen.iter().map(|prop| prop.tag).collect();
    assert_eq!(tags, props.map(|prop| prop.ulPropTag));
    assert_eq!(
        values,
        [
            SeenValue::Null,
            SeenValue::I2(-2),
            SeenValue::Long(-70_000),
            SeenValue::Boolean(false),
            SeenValue::Boolean(true),
            SeenValue::I8(-(1 << 40)),
            SeenValue::SysTime(filetime, "2024-03-01 12:34:56 UTC".into()),
            SeenValue::Ansi("café".as_bytes().to_vec()),
            SeenValue::Unicode("Grüße 🎉".encode_utf16().collect()),
            SeenValue::Binary(vec![0xca, 0xfe]),
            SeenValue::Error(0x8004_010f_u32 as i32),
            SeenValue::Clsid(CLSID),
            SeenValue::Float(1.5),
            SeenValue::Double(-0.25),
            SeenValue::Other(tag(15, PT_CURRENCY), RawValue::Bits(12_3400)),
            SeenValue::Other(tag(16, PT_MV_LONG), RawValue::Array(3, mv as usize)),
        ]
    );
    no_warnings(&logged);
}

#[test]
fn strings_display_as_text_in_both_widths() {
    let mut lent = Lent::default();
    let ansi = lent.ansi("Caf\u{e9}"); // UTF-8 bytes shown as Latin-1: "CafÃ©"
    let latin1 = lent.array(&[b'C', b'a', b'f', 0xe9, 0]); // Latin-1 é
    let wide = lent.wide("Café");
    let shown = Mutex::new(Vec::new());
    let prop_vals = lent.array(&[
        CPropValue::new(PR_SUBJECT_A, CPV { lpszA: ansi }),
        CPropValue::new(PR_SUBJECT_A, CPV { lpszA: latin1 }),
        CPropValue::new(PR_SUBJECT_W, CPV { lpszW: wide }),
    ]);
    let array = lent.array(&[CNotification::status(CStatusObjectNotification {
        cbEntryID: 0,
        lpEntryID: ptr::null_mut(),
        cValues: 3,
        lpPropVals: prop_vals,
    })]);
    // SAFETY: the array and everything it points to live in `lent` for the call.
    let events = unsafe { Events::from_raw(core::slice::from_raw_parts(array.cast(), 1)) };
    for event in &events {
        let Event::StatusObjectModified(status) = event else {
            panic!()
        };
        for prop in &status.props() {
            let mapi_notify_sink::advise_sink::Value::String(s) = prop.value() else {
                panic!()
            };
            shown
                .lock()
                .unwrap()
                .push((s.to_string(), format!("{s:?}"), s == "Café"));
        }
    }
    assert_eq!(
        *shown.lock().unwrap(),
        [
            ("CafÃ©".to_owned(), "\"CafÃ©\"".to_owned(), false),
            ("Café".to_owned(), "\"Café\"".to_owned(), true),
            ("Café".to_owned(), "\"Café\"".to_owned(), true),
        ]
    );
}

#[test]
fn entry_ids_debug_as_hex() {
    let id = mapi_notify_sink::advise_sink::EntryId::new(&[0x00, 0xab, 0x0c]);
    assert_eq!(format!("{id:?}"), "EntryId(00ab0c)");
    assert_eq!(id.as_bytes(), [0x00, 0xab, 0x0c]);
}

// ---------------------------------------------------------------------------------------------
// Arrays of notifications
// ---------------------------------------------------------------------------------------------

/// `n` notifications of every kind in turn, each telling its index.
fn mixed(n: usize, lent: &mut Lent) -> (Vec<CNotification>, Vec<SeenEvent>) {
    let mut notifications = Vec::new();
    let mut expected = Vec::new();
    for i in 0..n {
        let id = (i as u32).to_le_bytes();
        match i % 4 {
            0 => {
                let (cb, entry) = lent.entry_id(&id);
                notifications.push(CNotification::new_mail(CNewMailNotification {
                    cbEntryID: cb,
                    lpEntryID: entry,
                    cbParentID: 0,
                    lpParentID: ptr::null_mut(),
                    ulFlags: 0,
                    lpszMessageClass: ptr::null_mut(),
                    ulMessageFlags: i as u32,
                }));
                expected.push(SeenEvent::NewMail {
                    entry_id: Some(id.to_vec()),
                    parent_id: None,
                    flags: 0,
                    class: None,
                    message_flags: i as u32,
                });
            }
            1 => {
                let (cb, entry) = lent.entry_id(&id);
                notifications.push(CNotification::object(
                    fnevObjectDeleted,
                    CObjectNotification {
                        cbEntryID: cb,
                        lpEntryID: entry,
                        ..empty_object()
                    },
                ));
                expected.push(SeenEvent::Object(
                    "deleted",
                    SeenObject {
                        entry_id: Some(id.to_vec()),
                        object_type: 0,
                        parent_id: None,
                        old_id: None,
                        old_parent_id: None,
                        prop_tags: None,
                    },
                ));
            }
            2 => {
                let row = [CPropValue::new(PR_MESSAGE_SIZE, CPV { l: i as i32 })];
                notifications.push(table(TABLE_ROW_ADDED, prop_null(), prop_null(), &row, lent));
                expected.push(SeenEvent::Table {
                    kind: TableEventKind::RowAdded,
                    hresult: 0,
                    index: SeenProp {
                        tag: tag(0, PT_NULL),
                        value: SeenValue::Null,
                    },
                    prior: SeenProp {
                        tag: tag(0, PT_NULL),
                        value: SeenValue::Null,
                    },
                    row: vec![SeenProp {
                        tag: PR_MESSAGE_SIZE,
                        value: SeenValue::Long(i as i32),
                    }],
                });
            }
            _ => {
                notifications.push(CNotification::extended(CExtendedNotification {
                    ulEvent: i as u32,
                    cb: 0,
                    pbEventParameters: ptr::null_mut(),
                }));
                expected.push(SeenEvent::Extended {
                    event: i as u32,
                    parameters: vec![],
                });
            }
        }
    }
    (notifications, expected)
}

#[test]
fn arrays_of_1_2_and_100_notifications_arrive_in_order_in_one_call() {
    for n in [1, 2, 100] {
        let mut lent = Lent::default();
        let (notifications, expected) = mixed(n, &mut lent);
        let (returned, seen, logged) = deliver(&notifications);
        assert_eq!(returned, 0);
        assert_eq!(seen, [expected], "{n} notifications");
        no_warnings(&logged);
    }
}

// Not under Miri on Windows targets, where the heap is not tracked (`HEAP_TRACKED`).
#[cfg(not(all(miri, windows)))]
mod no_allocation {
    use super::*;

    /// Reads every field of every event without allocating, and counts what it read.
    struct Walker {
        fields: std::sync::atomic::AtomicUsize,
        _tombstone: Tombstone,
    }

    #[mapi_advise_sink]
    impl Walker {
        fn on_notify(&self, events: &Events<'_>) {
            let mut fields = 0;
            for event in events {
                fields += match event {
                    Event::NewMail(mail) => {
                        usize::from(mail.entry_id().is_some())
                            + usize::from(mail.message_class().is_some())
                    }
                    Event::ObjectDeleted(object) => usize::from(object.entry_id().is_some()),
                    Event::TableModified(table) => table
                        .row()
                        .iter()
                        .filter(|prop| prop.value() != mapi_notify_sink::advise_sink::Value::Null)
                        .count(),
                    Event::Extended(ext) => ext.parameters().len() + 1,
                    _ => 0,
                };
            }
            self.fields
                .fetch_add(fields, std::sync::atomic::Ordering::Relaxed);
        }
    }

    #[test]
    fn decoding_100_notifications_allocates_nothing() {
        let mut lent = Lent::default();
        let (notifications, _) = mixed(100, &mut lent);
        let array = lent.array(&notifications);
        let (tombstone, drops) = tombstone();
        let sink = AdviseSink::new(Walker {
            fields: 0.into(),
            _tombstone: tombstone,
        });
        // SAFETY: `sink` holds a reference; the array and what it points to live in `lent`.
        let (returned, allocations) =
            allocations_during(|| unsafe { on_notify(sink.as_raw(), 100, array) });
        assert_eq!(returned, 0);
        assert_eq!(allocations.count, 0, "{allocations:?}");
        // 25 new mails with an entry ID, 25 deletions with one, 25 rows of one value, 25 extended.
        assert_eq!(sink.fields.load(std::sync::atomic::Ordering::Relaxed), 100);
        drop(sink);
        drops.assert_once();
    }
}

// ---------------------------------------------------------------------------------------------
// Null pointers, zero counts, and counts that cannot be
// ---------------------------------------------------------------------------------------------

#[test]
fn null_array_with_a_count_does_not_call_the_handler_and_warns() {
    let (returned, seen, logged) = deliver_raw(ptr::null(), 3);
    assert_eq!((returned, seen), (0, vec![]));
    one_warning(&logged, "lpNotifications is null with a count of 3");
}

#[test]
fn a_count_of_zero_does_not_call_the_handler_and_warns() {
    let mut lent = Lent::default();
    let array = lent.array(&[CNotification::bare(fnevNewMail)]);
    for raw in [array.cast_const(), ptr::null()] {
        let (returned, seen, logged) = deliver_raw(raw, 0);
        assert_eq!((returned, seen), (0, vec![]));
        one_warning(&logged, "cNotif 0");
    }
}

#[test]
fn a_misaligned_array_does_not_call_the_handler_and_warns() {
    let mut lent = Lent::default();
    let bytes = lent.array(&[0_u64; 23]).cast::<u8>();
    let misaligned = bytes.wrapping_add(4).cast::<CNotification>();
    let (returned, seen, logged) = deliver_raw(misaligned, 1);
    assert_eq!((returned, seen), (0, vec![]));
    one_warning(&logged, "not aligned");
}

#[test]
fn a_misaligned_property_array_is_empty_with_a_warning_unless_its_count_is_0() {
    let mut lent = Lent::default();
    let bytes = lent.array(&[0_u64; 8]).cast::<u8>();
    let misaligned = bytes.wrapping_add(4).cast::<CPropValue>();
    for (count, warned) in [(2, true), (0, false)] {
        let (event, logged) = deliver_one(CNotification::status(CStatusObjectNotification {
            cbEntryID: 0,
            lpEntryID: ptr::null_mut(),
            cValues: count,
            lpPropVals: misaligned,
        }));
        assert_eq!(
            event,
            SeenEvent::Status {
                entry_id: None,
                props: vec![]
            }
        );
        if warned {
            let align = std::mem::align_of::<CPropValue>();
            one_warning(
                &logged,
                &format!("lpPropVals ({misaligned:p}) is not aligned to {align} bytes"),
            );
        } else {
            no_warnings(&logged);
        }
    }
}

#[test]
fn an_array_running_past_the_end_of_memory_does_not_call_the_handler_and_warns() {
    // An address 64 bytes below the top of the address space (no allocation: never read).
    let near_the_top = ptr::null::<CNotification>().wrapping_byte_sub(64);
    let (returned, seen, logged) = deliver_raw(near_the_top, 2);
    assert_eq!((returned, seen), (0, vec![]));
    one_warning(&logged, "more than memory can hold");
}

#[test]
fn entry_ids_with_a_zero_count_are_none_without_a_warning() {
    let mut lent = Lent::default();
    let (_, entry) = lent.entry_id(MESSAGE_ID);
    let (event, logged) = deliver_one(CNotification::new_mail(CNewMailNotification {
        cbEntryID: 0,
        lpEntryID: entry,
        cbParentID: 0,
        lpParentID: ptr::null_mut(),
        ulFlags: 0,
        lpszMessageClass: ptr::null_mut(),
        ulMessageFlags: 0,
    }));
    assert_eq!(
        event,
        SeenEvent::NewMail {
            entry_id: None,
            parent_id: None,
            flags: 0,
            class: None,
            message_flags: 0
        }
    );
    no_warnings(&logged);
}

#[test]
fn null_entry_ids_with_a_count_are_none_with_a_warning_each() {
    let (event, logged) = deliver_one(CNotification::object(
        fnevObjectMoved,
        CObjectNotification {
            cbEntryID: 12,
            cbParentID: 8,
            cbOldID: 6,
            cbOldParentID: 7,
            ..empty_object()
        },
    ));
    let SeenEvent::Object(_, object) = event else {
        panic!("{event:?}")
    };
    assert_eq!(
        (
            object.entry_id,
            object.parent_id,
            object.old_id,
            object.old_parent_id
        ),
        (None, None, None, None)
    );
    let warnings = logged.at(log::Level::Warn);
    assert_eq!(warnings.len(), 4, "{logged:?}");
    for (warning, field) in warnings.iter().zip([
        "lpEntryID is null with a count of 12",
        "lpParentID is null with a count of 8",
        "lpOldID is null with a count of 6",
        "lpOldParentID is null with a count of 7",
    ]) {
        assert!(warning.contains(field), "{field:?} not in {warning:?}");
    }
}

#[test]
fn null_error_info_tags_and_class_are_absent_without_a_warning() {
    let (event, logged) = deliver_one(CNotification::error(CErrorNotification {
        cbEntryID: 0,
        lpEntryID: ptr::null_mut(),
        scode: 1,
        ulFlags: MAPI_UNICODE,
        lpMAPIError: ptr::null_mut(),
    }));
    assert_eq!(
        event,
        SeenEvent::CriticalError {
            entry_id: None,
            scode: 1,
            flags: MAPI_UNICODE,
            error: None
        }
    );
    no_warnings(&logged);
    let mut lent = Lent::default();
    let error = lent.array(&[CMapiError {
        ulVersion: 0,
        lpszError: ptr::null_mut(),
        lpszComponent: ptr::null_mut(),
        ulLowLevelError: 0,
        ulContext: 0,
    }]);
    let (event, logged) = deliver_one(CNotification::error(CErrorNotification {
        cbEntryID: 0,
        lpEntryID: ptr::null_mut(),
        scode: 1,
        ulFlags: 0,
        lpMAPIError: error,
    }));
    let SeenEvent::CriticalError { error, .. } = event else {
        panic!("{event:?}")
    };
    assert_eq!(error, Some((None, None, 0, 0)));
    no_warnings(&logged);
}

#[test]
fn null_rows_property_arrays_and_parameters_with_a_count_are_empty_with_a_warning() {
    let mut lent = Lent::default();
    let mut notification = table(TABLE_ROW_ADDED, prop_null(), prop_null(), &[], &mut lent);
    notification.info.tab.row.cValues = 5;
    let (event, logged) = deliver_one(notification);
    let SeenEvent::Table { row, .. } = event else {
        panic!("{event:?}")
    };
    assert_eq!(row, []);
    one_warning(&logged, "row.lpProps is null with a count of 5");

    let (event, logged) = deliver_one(CNotification::status(CStatusObjectNotification {
        cbEntryID: 0,
        lpEntryID: ptr::null_mut(),
        cValues: 2,
        lpPropVals: ptr::null_mut(),
    }));
    assert_eq!(
        event,
        SeenEvent::Status {
            entry_id: None,
            props: vec![]
        }
    );
    one_warning(&logged, "lpPropVals is null with a count of 2");

    let (event, logged) = deliver_one(CNotification::extended(CExtendedNotification {
        ulEvent: 7,
        cb: 16,
        pbEventParameters: ptr::null_mut(),
    }));
    assert_eq!(
        event,
        SeenEvent::Extended {
            event: 7,
            parameters: vec![]
        }
    );
    one_warning(&logged, "pbEventParameters is null with a count of 16");
}

#[test]
fn zero_counts_with_null_pointers_are_empty_without_a_warning() {
    let mut lent = Lent::default();
    let (props, logged) = decode_props(
        &[CPropValue::new(
            tag(1, PT_BINARY),
            CPV {
                bin: CBinary {
                    cb: 0,
                    lpb: ptr::null_mut(),
                },
            },
        )],
        &mut lent,
    );
    assert_eq!(props[0].value, SeenValue::Binary(vec![]));
    no_warnings(&logged);
    let (props, logged) = decode_props(&[], &mut lent);
    assert_eq!(props, []);
    no_warnings(&logged);
}

#[test]
fn null_value_pointers_are_unreadable_with_a_warning_each() {
    let mut lent = Lent::default();
    let props = [
        CPropValue::new(
            tag(1, PT_BINARY),
            CPV {
                bin: CBinary {
                    cb: 4,
                    lpb: ptr::null_mut(),
                },
            },
        ),
        CPropValue::new(
            tag(2, PT_STRING8),
            CPV {
                lpszA: ptr::null_mut(),
            },
        ),
        CPropValue::new(
            tag(3, PT_UNICODE),
            CPV {
                lpszW: ptr::null_mut(),
            },
        ),
        CPropValue::new(
            tag(4, PT_CLSID),
            CPV {
                lpguid: ptr::null_mut(),
            },
        ),
    ];
    let (seen, logged) = decode_props(&props, &mut lent);
    assert_eq!(
        seen.iter()
            .map(|prop| prop.value.clone())
            .collect::<Vec<_>>(),
        props.map(|prop| SeenValue::Unreadable(prop.ulPropTag))
    );
    assert_eq!(logged.at(log::Level::Warn).len(), 4, "{logged:?}");
}

#[test]
fn a_string_without_a_nul_in_reach_is_read_as_its_first_units_and_never_past_its_block() {
    let mut lent = Lent::default();
    // Exactly MAX_STRING_UNITS bytes and no NUL: reading must stop at the block's end (Miri
    // would report a read past it).
    let unterminated = lent.array(&vec![b'x'; MAX_STRING_UNITS]);
    let (seen, logged) = decode_props(
        &[CPropValue::new(
            tag(1, PT_STRING8),
            CPV {
                lpszA: unterminated,
            },
        )],
        &mut lent,
    );
    match &seen[0].value {
        // The ends only: a walk over a mebibyte would take Miri minutes.
        SeenValue::Ansi(bytes) => assert!(
            bytes.len() == MAX_STRING_UNITS
                && bytes[0] == b'x'
                && bytes[MAX_STRING_UNITS - 1] == b'x',
            "read {} bytes",
            bytes.len()
        ),
        _ => panic!("expected the first MAX_STRING_UNITS bytes as 8-bit text"),
    }
    one_warning(
        &logged,
        "no NUL within 1048576 units; read as its first 1048576",
    );
}

// ---------------------------------------------------------------------------------------------
// Strings read lazily: no further than the reader asks
// ---------------------------------------------------------------------------------------------

/// A sink whose handler only compares each new mail's class with a prefix, and with a whole
/// string.
struct ClassProbe {
    prefix: &'static str,
    whole: &'static str,
    /// Per new mail: (starts with `prefix`, equals `whole`).
    seen: Mutex<Vec<(bool, bool)>>,
    _tombstone: Tombstone,
}

#[mapi_advise_sink]
impl ClassProbe {
    fn on_notify(&self, events: &Events<'_>) {
        for event in events {
            if let Event::NewMail(mail) = event {
                let class = mail.message_class().expect("a class");
                let prefix = class.starts_with(self.prefix);
                let whole = class == self.whole;
                self.seen.lock().unwrap().push((prefix, whole));
            }
        }
    }
}

/// One new mail whose class is at `class` (UTF-16 when `unicode`), to a `ClassProbe`: what it
/// saw, and what was logged.
fn probe_class(
    class: *mut c_void,
    unicode: bool,
    prefix: &'static str,
    whole: &'static str,
) -> (Vec<(bool, bool)>, Logged) {
    let (tombstone, drops) = tombstone();
    let sink = AdviseSink::new(ClassProbe {
        prefix,
        whole,
        seen: Mutex::new(Vec::new()),
        _tombstone: tombstone,
    });
    let mut lent = Lent::default();
    let notification = CNotification::new_mail(CNewMailNotification {
        cbEntryID: 0,
        lpEntryID: ptr::null_mut(),
        cbParentID: 0,
        lpParentID: ptr::null_mut(),
        ulFlags: if unicode { MAPI_UNICODE } else { 0 },
        lpszMessageClass: class,
        ulMessageFlags: 0,
    });
    let array = lent.array(&[notification]);
    // SAFETY: `sink` holds a reference; the array and the class outlive the call.
    let (returned, logged) = capture_logs(|| unsafe { on_notify(sink.as_raw(), 1, array) });
    assert_eq!(returned, 0);
    let seen = sink.seen.lock().unwrap().clone();
    drop(sink);
    drops.assert_once();
    (seen, logged)
}

#[test]
fn a_class_compared_by_prefix_or_whole_is_not_read_past_its_nul() {
    // "IPM" and its NUL end where readable memory ends: a read of one byte more would fault
    // (or, under Miri, be reported), since "IPM.Note" is longer.
    let class = Guarded::new(b"IPM\0", 1);
    let (seen, logged) = probe_class(class.ptr(), false, "IPM.Note", "IPM.Note");
    assert_eq!(seen, [(false, false)]);
    no_warnings(&logged);
    let (seen, _) = probe_class(class.ptr(), false, "IPM", "IPM");
    assert_eq!(seen, [(true, true)]);
    // The same in UTF-16.
    let class = Guarded::units(&[0x49, 0x50, 0x4D, 0]);
    let (seen, logged) = probe_class(class.ptr(), true, "IPM.Note", "IPM.Note");
    assert_eq!(seen, [(false, false)]);
    no_warnings(&logged);
}

#[test]
fn a_class_compared_by_prefix_is_read_no_further_than_the_prefix() {
    // "IPM.Note" with no NUL in readable memory: the prefix compare reads its 8 units and
    // stops; a whole-string compare would look for the end, so it stops at the first unit
    // that differs instead ("IPM.N" against "IPM.Schedule").
    let class = Guarded::new(b"IPM.Note", 1);
    let (seen, logged) = probe_class(class.ptr(), false, "IPM.Note", "IPM.Schedule");
    assert_eq!(seen, [(true, false)]);
    no_warnings(&logged);
    let units: Vec<u16> = "IPM.Note".encode_utf16().collect();
    let class = Guarded::units(&units);
    let (seen, _) = probe_class(class.ptr(), true, "IPM.N", "IPM.Schedule");
    assert_eq!(seen, [(true, false)]);
}

#[test]
fn a_string_from_a_slice_is_not_read_past_its_bound() {
    // A slice's length bounds every read: "IPM" in guarded memory, no NUL after it.
    let guarded = Guarded::new(b"IPM", 1);
    // SAFETY: the 3 bytes `Guarded` wrote, alive for the borrow.
    let bytes = unsafe { core::slice::from_raw_parts(guarded.ptr().cast::<u8>(), 3) };
    let class = MapiStr::from_ansi(bytes);
    assert!(!class.starts_with("IPM.Note"));
    assert!(class != "IPM.Note" && class == "IPM");
    assert_eq!((class.len(), class.chars().count()), (3, 3));
}

// ---------------------------------------------------------------------------------------------
// Panics
// ---------------------------------------------------------------------------------------------

struct Volatile {
    delivered: Mutex<Vec<u32>>,
    _tombstone: Tombstone,
}

#[mapi_advise_sink]
impl Volatile {
    fn on_notify(&self, events: &Events<'_>) {
        for event in events {
            match event {
                Event::Extended(ext) if ext.event() == 1 => panic!("the sink fell over"),
                Event::Extended(ext) => self.delivered.lock().unwrap().push(ext.event()),
                _ => {}
            }
        }
    }
}

fn extended(event: u32) -> CNotification {
    CNotification::extended(CExtendedNotification {
        ulEvent: event,
        cb: 0,
        pbEventParameters: ptr::null_mut(),
    })
}

#[test]
fn a_panic_in_on_notify_drops_the_rest_of_that_call_only() {
    let (tombstone, drops) = tombstone();
    let sink = AdviseSink::new(Volatile {
        delivered: Mutex::default(),
        _tombstone: tombstone,
    });
    let mut lent = Lent::default();
    let send = |events: &[CNotification], lent: &mut Lent| {
        let array = lent.array(events);
        // SAFETY: `sink` holds a reference; `array` lives in `lent`. Were the panic not
        // contained, it would reach an `extern "system"` frame and abort the test binary.
        capture_logs(|| unsafe { on_notify(sink.as_raw(), events.len() as u32, array) })
    };
    // (Containment itself, for every payload, is `com.rs`'s.)
    let (returned, logged) = send(&[extended(10), extended(1), extended(11)], &mut lent);
    assert_eq!(returned, 0);
    assert_eq!(logged.at(log::Level::Error).len(), 1, "{logged:?}");
    send(&[extended(12)], &mut lent);
    // The events before the panic were delivered; the one after it in the same call was not.
    assert_eq!(*sink.delivered.lock().unwrap(), [10, 12]);
    assert_eq!(AdviseSink::ref_count(&sink), 1);
    drop(sink);
    drops.assert_once();
}
