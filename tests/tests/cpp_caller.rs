//! A sink driven by C++: `cpp/notify_caller.cpp` declares `IUnknown` and `IMAPIOfflineNotify`
//! as C++ abstract classes, the way the Windows and Outlook headers do, and calls the sink
//! through ordinary virtual calls. This proves the vtable order, calling convention,
//! `MAPIOFFLINE_NOTIFY` layout and COM rules against a real C++ compiler rather than against
//! Rust's own idea of them.
//!
//! `build.rs` compiles the C++ file and sets `cfg(has_cpp_caller)`; without a C++ compiler the
//! test is reported as ignored, with the reason, instead of failing.

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

#[cfg(has_cpp_caller)]
mod cpp {
    use core::ffi::c_void;
    use mapi_notify_sink::{
        mapi_notify_sink, sys, ConnectionState, Notification, NotifyKind, Sink, StateChange,
    };
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::{Arc, Mutex};

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

    /// A sink that records every notification, and counts its drops in a tombstone.
    struct Recorder {
        seen: Mutex<Vec<Seen>>,
        drops: Arc<AtomicU32>,
    }

    impl Drop for Recorder {
        fn drop(&mut self) {
            self.drops.fetch_add(1, Ordering::SeqCst);
        }
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
        let drops = Arc::new(AtomicU32::new(0));
        let sink = Sink::new(Recorder {
            seen: Mutex::new(Vec::new()),
            drops: Arc::clone(&drops),
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
        // Online -> Offline. SPEC §5: state_change() is Some for each of the three
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
        assert_eq!(drops.load(Ordering::SeqCst), 0, "dropped while referenced");
        drop(sink);
        assert_eq!(
            drops.load(Ordering::SeqCst),
            1,
            "tombstone: exactly one drop"
        );
    }
}
