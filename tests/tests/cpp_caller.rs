//! A sink driven by C++: `cpp/notify_caller.cpp` declares `IUnknown` and `IMAPIOfflineNotify`
//! as C++ abstract classes, the way the Windows and Outlook headers do, and calls the sink
//! through ordinary virtual calls. This proves the vtable order, calling convention,
//! `MAPIOFFLINE_NOTIFY` layout and COM rules against a real C++ compiler rather than against
//! Rust's own idea of them.
//!
//! `build.rs` compiles the C++ file and sets `cfg(has_cpp_caller)`; without a C++ compiler the
//! test is reported as ignored, with the reason, instead of failing.

#[cfg(has_cpp_caller)]
mod support;

#[test]
#[cfg_attr(
    not(has_cpp_caller),
    ignore = "skipped: no C++ compiler when the tests were built; install g++ (or set CXX) to run it"
)]
fn cpp_caller_drives_sink_through_virtual_calls() {
    #[cfg(has_cpp_caller)]
    cpp::drive_sink_from_cpp();
    #[cfg(not(has_cpp_caller))]
    println!("skipped: no C++ compiler; the C++ caller test did not run (install g++ and rebuild)");
}

#[test]
#[cfg_attr(
    not(has_cpp_caller),
    ignore = "skipped: no C++ compiler when the tests were built; install g++ (or set CXX) to run it"
)]
fn cpp_caller_drives_advise_sink_through_virtual_calls() {
    #[cfg(has_cpp_caller)]
    advise::drive_advise_sink_from_cpp();
}

/// `cpp/advise_caller.cpp`: an `IMAPIAdviseSink` driven by C++ with `NOTIFICATION`s laid out
/// by a C++ compiler from `cpp/mapidefs.h`.
#[cfg(has_cpp_caller)]
mod advise {
    use crate::support::{tombstone, Tombstone};
    use core::ffi::c_void;
    use mapi_notify_sink::advise_sink::{AdviseSink, Event, Events, Value};
    use mapi_notify_sink::{mapi_advise_sink, sys};
    use std::sync::Mutex;

    use mapi_notify_sink_tests as _;

    /// `CppAdviseReport` in advise_caller.cpp.
    #[repr(C)]
    #[derive(Debug, Default)]
    struct CppAdviseReport {
        report_size: u32,
        notification_size: u32,
        advise_hr: i32,
        advise_is_identity: u32,
        offline_hr: i32,
        on_notify_three: u32,
        on_notify_empty: u32,
        on_notify_null: u32,
        final_release: u32,
    }

    extern "C" {
        fn cpp_drive_advise_sink(unknown: *mut c_void, report: *mut CppAdviseReport) -> i32;
    }

    struct Lines {
        calls: Mutex<Vec<Vec<String>>>,
        _tombstone: Tombstone,
    }

    fn id(id: Option<mapi_notify_sink::advise_sink::EntryId<'_>>) -> String {
        id.map_or("-".into(), |id| {
            String::from_utf8_lossy(&id.as_bytes()[4..]).into_owned()
        })
    }

    #[mapi_advise_sink]
    impl Lines {
        fn on_notify(&self, events: &Events<'_>) {
            let lines = events
                .iter()
                .map(|event| match event {
                    Event::NewMail(mail) => format!(
                        "new mail {} in {} class {} flags {}",
                        id(mail.entry_id()),
                        id(mail.parent_id()),
                        mail.message_class().unwrap(),
                        mail.message_flags()
                    ),
                    Event::TableModified(table) => {
                        let row: Vec<String> = table
                            .row()
                            .iter()
                            .map(|prop| match prop.value() {
                                Value::String(s) if s.is_unicode() => format!("W:{s}"),
                                Value::Long(n) => n.to_string(),
                                Value::Binary(b) => String::from_utf8_lossy(b).into_owned(),
                                other => format!("{other:?}"),
                            })
                            .collect();
                        format!(
                            "table {:?} [{}] prior {:?}",
                            table.kind(),
                            row.join(", "),
                            table.prior().value()
                        )
                    }
                    Event::ObjectMoved(o) => format!(
                        "moved {} from {} to {} type {} tags {:x?}",
                        id(o.entry_id()),
                        id(o.old_parent_id()),
                        id(o.parent_id()),
                        o.object_type(),
                        o.prop_tags()
                    ),
                    other => format!("{other:?}"),
                })
                .collect();
            self.calls.lock().unwrap().push(lines);
        }
    }

    pub(super) fn drive_advise_sink_from_cpp() {
        let (tombstone, drops) = tombstone();
        let sink = AdviseSink::new(Lines {
            calls: Mutex::default(),
            _tombstone: tombstone,
        });
        let mut report = CppAdviseReport::default();
        // SAFETY: the live sink's identity IUnknown*, borrowed for the call; C++ releases what
        // it takes. `report` is laid out as the C++ struct.
        let hr = unsafe { cpp_drive_advise_sink(sink.as_raw(), &mut report) };
        println!("C++ advise caller report: {report:#?}");
        assert_eq!(hr, sys::S_OK.0);
        assert_eq!(report.report_size as usize, size_of::<CppAdviseReport>());
        assert_eq!(
            report.notification_size as usize,
            size_of::<sys::NOTIFICATION>()
        );
        assert_eq!(
            (report.advise_hr, report.advise_is_identity),
            (sys::S_OK.0, 1)
        );
        assert_eq!(report.offline_hr, sys::E_NOINTERFACE.0);
        assert_eq!(
            (
                report.on_notify_three,
                report.on_notify_empty,
                report.on_notify_null
            ),
            (0, 0, 0)
        );
        assert_eq!(report.final_release, 1);
        // One call: the degenerate ones did not reach the handler.
        assert_eq!(
            *sink.calls.lock().unwrap(),
            [vec![
                "new mail msg-1 in inbox class IPM.Note flags 1".to_owned(),
                "table RowAdded [W:Quarterly figures, 4096, row-2] prior Null".to_owned(),
                "moved msg-1 from inbox to arch type 5 tags Some([e080003, 37001f])".to_owned(),
            ]]
        );
        assert_eq!(AdviseSink::ref_count(&sink), 1);
        drop(sink);
        drops.assert_once();
    }
}

#[cfg(has_cpp_caller)]
mod cpp {
    use crate::support::{tombstone, Tombstone};
    use core::ffi::c_void;
    use mapi_notify_sink::{
        mapi_notify_sink, sys, ConnectionState, Notification, NotifyKind, Sink, StateChange,
    };
    use std::sync::Mutex;

    // The compiled C++ is a static library that build.rs links into this package's library
    // target (Cargo passes `rustc-link-lib` to the library only, when there is one). Naming the
    // library crate here makes rustc link it, and with it `cpp_drive_sink`.
    use mapi_notify_sink_tests as _;

    /// `CppQueryReport` in notify_caller.cpp.
    #[repr(C)]
    #[derive(Debug, Default)]
    struct CppQueryReport {
        hr: i32,
        same_as_identity: u32,
        addref: u32,
        release: u32,
    }

    /// `CppReport` in notify_caller.cpp: what the C++ caller saw.
    #[repr(C)]
    #[derive(Debug, Default)]
    struct CppReport {
        report_size: u32,
        notify_size: u32,
        notify: CppQueryReport,
        unknown: CppQueryReport,
        agile: CppQueryReport,
        unknown_iid_hr: i32,
        unknown_iid_ppv_nulled: u32,
        null_ppv_hr: i32,
        addref_after_failures: u32,
        release_after_failures: u32,
        notifications_sent: u32,
        types_sent: [u32; 4],
        tokens_sent: [u32; 4],
        final_release: [u32; 3],
    }

    extern "C" {
        /// Drives the sink whose identity `IUnknown*` is `unknown` through C++ virtual calls,
        /// filling in `report`; returns S_OK or the HRESULT of a QueryInterface it needed.
        fn cpp_drive_sink(unknown: *mut c_void, report: *mut CppReport) -> i32;
    }

    /// One notification as the sink's `notify` saw it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    struct Seen {
        kind: NotifyKind,
        token: u32,
        change: Option<StateChange>,
        size: u32,
    }

    /// A sink that records every notification, with a tombstone.
    struct Recorder {
        seen: Mutex<Vec<Seen>>,
        _tombstone: Tombstone,
    }

    #[mapi_notify_sink]
    impl Recorder {
        fn notify(&self, info: &Notification<'_>) {
            self.seen.lock().unwrap().push(Seen {
                kind: info.kind(),
                token: info.client_token(),
                change: info.state_change(),
                size: info.raw().ulSize,
            });
        }
    }

    pub(super) fn drive_sink_from_cpp() {
        let (tombstone, drops) = tombstone();
        let sink = Sink::new(Recorder {
            seen: Mutex::new(Vec::new()),
            _tombstone: tombstone,
        });
        assert_eq!(Sink::ref_count(&sink), 1);

        let mut report = CppReport::default();
        // SAFETY: `as_raw` is the live object's identity IUnknown*, borrowed for the call
        // (`sink` holds a reference throughout); C++ releases every reference it takes before
        // returning. `report` is a valid, exclusive `CppReport`, laid out as the C++ one.
        let hr = unsafe { cpp_drive_sink(sink.as_raw(), &mut report) };
        println!("C++ caller report: {report:#?}");

        // --- What C++ saw ---------------------------------------------------------------
        assert_eq!(hr, sys::S_OK.0, "cpp_drive_sink failed: {report:#?}");
        assert_eq!(
            report.report_size as usize,
            size_of::<CppReport>(),
            "the Rust mirror of CppReport does not match the C++ struct"
        );
        assert_eq!(
            report.notify_size as usize,
            size_of::<sys::MAPIOFFLINE_NOTIFY>()
        );
        assert_eq!(report.notify_size, 24);

        // Each QI succeeds with the identity pointer and adds one reference, which the
        // AddRef/Release pair right after it observes: Rust's 1, then C++'s 1, 2, 3.
        for (name, query, held) in [
            ("IID_IMAPIOfflineNotify", &report.notify, 2),
            ("IID_IUnknown", &report.unknown, 3),
            ("IID_IAgileObject", &report.agile, 4),
        ] {
            assert_eq!(query.hr, sys::S_OK.0, "QueryInterface({name})");
            assert_eq!(query.same_as_identity, 1, "QueryInterface({name}) identity");
            assert_eq!(
                query.addref,
                held + 1,
                "AddRef after QueryInterface({name})"
            );
            assert_eq!(query.release, held, "Release after QueryInterface({name})");
        }

        assert_eq!(report.unknown_iid_hr, sys::E_NOINTERFACE.0);
        assert_eq!(report.unknown_iid_ppv_nulled, 1, "*ppv not nulled");
        assert_eq!(report.null_ppv_hr, sys::E_POINTER.0);
        // The failed QIs took no reference: still 4.
        assert_eq!(report.addref_after_failures, 5);
        assert_eq!(report.release_after_failures, 4);

        assert_eq!(report.notifications_sent, 4);
        assert_eq!(report.types_sent, [1, 2, 3, 9]);
        assert_eq!(
            report.tokens_sent,
            [0xC0DE_0001, 0xC0DE_0002, 0xC0DE_0003, 0xC0DE_0009]
        );
        // IAgileObject, IUnknown, IMAPIOfflineNotify released in turn, down to Rust's one.
        assert_eq!(report.final_release, [3, 2, 1]);

        // --- What the sink saw ----------------------------------------------------------
        // Every C++ notification carried Info with ulMask == MAPIOFFLINE_STATE_OFFLINE_MASK and
        // Online -> Offline. state_change() is Some for each of the three
        // state-change kinds when Info is present and the mask matches, and None otherwise.
        let offline = Some(StateChange {
            old: ConnectionState::Online,
            new: ConnectionState::Offline,
        });
        let expected = [
            (NotifyKind::StateChangeStart, 0xC0DE_0001, offline),
            (NotifyKind::StateChange, 0xC0DE_0002, offline),
            (NotifyKind::StateChangeDone, 0xC0DE_0003, offline),
            (NotifyKind::Other(9), 0xC0DE_0009, None),
        ]
        .map(|(kind, token, change)| Seen {
            kind,
            token,
            change,
            size: 24,
        });
        assert_eq!(*sink.seen.lock().unwrap(), expected);

        // --- Lifetime ---------------------------------------------------------------------
        assert_eq!(Sink::ref_count(&sink), 1, "C++ released all it took");
        drops.assert_not_yet();
        drop(sink);
        drops.assert_once();
    }
}
