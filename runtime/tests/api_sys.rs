//! `sys`'s functions and interface methods, one test each: the property-tag macros, and the
//! windows-core interfaces called on this crate's objects and simulators.

// Each test was its method's doc example.
mod support;
use mapi_notify_sink::advise_sink::AdviseSink;
use mapi_notify_sink::advise_sink::Events;
use mapi_notify_sink::mapi_advise_sink;
use mapi_notify_sink::mapi_notify_sink;
use mapi_notify_sink::simulator::SimulatedOutlook;
use mapi_notify_sink::simulator::SimulatedStore;
use mapi_notify_sink::sys;
use mapi_notify_sink::Notification;
use mapi_notify_sink::Sink;
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering;
use std::sync::Mutex;
use windows_core::Interface;

#[test]
fn imapi_offline_notify_notify() {
    struct Seen(Mutex<Vec<u32>>);

    #[mapi_notify_sink]
    impl Seen {
        fn notify(&self, info: &Notification<'_>) {
            self.0.lock().unwrap().push(info.client_token());
        }
    }

    let sink = Sink::new(Seen(Mutex::default()));
    let notify = sink.to_interface();
    // A sender that knows only the 12-byte header: `Info` is not read.
    let header = sys::MAPIOFFLINE_NOTIFY {
        ulSize: 12,
        ulClientToken: 5,
        ..Default::default()
    };
    // SAFETY: `ulSize` bytes are readable (more, in fact).
    unsafe { notify.Notify(&header) };
    assert_eq!(*sink.0.lock().unwrap(), [5]);
}

#[test]
fn imapi_offline_setcurrentstate() {
    let outlook = SimulatedOutlook::new();
    let raw = outlook.manager().as_raw();
    // SAFETY: a live IMAPIOfflineMgr*, borrowed while `outlook` holds it.
    let manager = unsafe { sys::IMAPIOfflineMgr::from_raw_borrowed(&raw) }.unwrap();
    // SAFETY: a null reserved pointer.
    let code = unsafe {
        manager.SetCurrentState(
            sys::MAPIOFFLINE_FLAG_BLOCK,
            sys::MAPIOFFLINE_STATE_OFFLINE_MASK,
            sys::MAPIOFFLINE_STATE_OFFLINE,
            core::ptr::null_mut(),
        )
    };
    assert_eq!(code, sys::S_OK);
}

#[test]
fn imapi_offline_getcapabilities() {
    let outlook = SimulatedOutlook::new();
    let raw = outlook.manager().as_raw();
    // SAFETY: a live IMAPIOfflineMgr*, borrowed while `outlook` holds it.
    let manager = unsafe { sys::IMAPIOfflineMgr::from_raw_borrowed(&raw) }.unwrap();
    let mut capabilities = 0;
    // SAFETY: a valid out pointer.
    assert_eq!(
        unsafe { manager.GetCapabilities(&mut capabilities) },
        sys::S_OK
    );
    assert_eq!(
        capabilities,
        sys::MAPIOFFLINE_CAPABILITY_OFFLINE | sys::MAPIOFFLINE_CAPABILITY_ONLINE
    );
}

#[test]
fn imapi_offline_getcurrentstate() {
    let outlook = SimulatedOutlook::new();
    let raw = outlook.manager().as_raw();
    // SAFETY: a live IMAPIOfflineMgr*, borrowed while `outlook` holds it.
    let manager = unsafe { sys::IMAPIOfflineMgr::from_raw_borrowed(&raw) }.unwrap();
    let mut state = 0;
    // SAFETY: a valid out pointer.
    assert_eq!(unsafe { manager.GetCurrentState(&mut state) }, sys::S_OK);
    assert_eq!(
        state & sys::MAPIOFFLINE_STATE_OFFLINE_MASK,
        sys::MAPIOFFLINE_STATE_ONLINE
    );
}

#[test]
fn imapi_offline_mgr_advise() {
    let outlook = SimulatedOutlook::new();
    let raw = outlook.manager().as_raw();
    // SAFETY: a live IMAPIOfflineMgr*, borrowed while `outlook` holds it.
    let manager = unsafe { sys::IMAPIOfflineMgr::from_raw_borrowed(&raw) }.unwrap();

    struct Quiet;

    #[mapi_notify_sink]
    impl Quiet {
        fn notify(&self, _info: &Notification<'_>) {}
    }

    let sink = Sink::new(Quiet);
    let mut info = sys::MAPIOFFLINE_ADVISEINFO {
        ulSize: size_of::<sys::MAPIOFFLINE_ADVISEINFO>() as u32,
        ulClientToken: 0,
        CallbackType: sys::MAPIOFFLINE_CALLBACK_TYPE_NOTIFY,
        pCallback: sink.as_raw(),
        ulAdviseTypes: sys::MAPIOFFLINE_ADVISE_TYPE_STATECHANGE,
        ulStateMask: sys::MAPIOFFLINE_STATE_ALL,
    };
    let mut token = 0;
    // SAFETY: a complete advise info with a live callback, and a valid out pointer.
    let code = unsafe { manager.Advise(sys::MAPIOFFLINE_ADVISE_DEFAULT, &mut info, &mut token) };
    assert_eq!(code, sys::S_OK);
    assert_eq!(Sink::ref_count(&sink), 2); // the manager holds the sink
                                           // SAFETY: plain integers.
    unsafe { manager.Unadvise(sys::MAPIOFFLINE_UNADVISE_DEFAULT, token) }.unwrap();
}

#[test]
fn imapi_offline_mgr_unadvise() {
    let outlook = SimulatedOutlook::new();
    let raw = outlook.manager().as_raw();
    // SAFETY: a live IMAPIOfflineMgr*, borrowed while `outlook` holds it.
    let manager = unsafe { sys::IMAPIOfflineMgr::from_raw_borrowed(&raw) }.unwrap();
    // SAFETY: plain integers.
    let code = unsafe { manager.Unadvise(sys::MAPIOFFLINE_UNADVISE_DEFAULT, 77) };
    assert_eq!(code, sys::E_INVALIDARG); // a token the manager never gave
}

#[test]
fn prop_type() {
    assert_eq!(sys::PROP_TYPE(0x0037_001F), sys::PT_UNICODE); // PR_SUBJECT_W
    assert_eq!(sys::PROP_TYPE(0x0E08_0003), sys::PT_LONG); // PR_MESSAGE_SIZE
    assert_ne!(sys::PROP_TYPE(0x8001_1003) & sys::MV_FLAG, 0); // a PT_MV_LONG
}

#[test]
fn prop_id() {
    // PR_SUBJECT_A and PR_SUBJECT_W: one property, two string types.
    assert_eq!(sys::PROP_ID(0x0037_001E), 0x0037);
    assert_eq!(sys::PROP_ID(0x0037_001E), sys::PROP_ID(0x0037_001F));
}

#[test]
fn prop_tag() {
    const PR_MESSAGE_SIZE: u32 = sys::PROP_TAG(sys::PT_LONG, 0x0E08); // usable in a const
    assert_eq!(PR_MESSAGE_SIZE, 0x0E08_0003);
    assert_eq!(
        sys::PROP_TAG(sys::PT_LONG | sys::MV_FLAG, 0x8001),
        0x8001_1003
    );
}

#[test]
fn imapi_advise_sink_onnotify() {
    struct Count(AtomicUsize);

    #[mapi_advise_sink]
    impl Count {
        fn on_notify(&self, events: &Events<'_>) {
            self.0.fetch_add(events.len(), Ordering::Relaxed);
        }
    }

    let sink = AdviseSink::new(Count(AtomicUsize::new(0)));
    let mut raw = [sys::NOTIFICATION {
        ulEventType: sys::fnevExtended,
        ulAlignPad: 0,
        info: sys::NOTIFICATION_0 {
            ext: sys::EXTENDED_NOTIFICATION {
                ulEvent: 0x42,
                cb: 0,
                pbEventParameters: std::ptr::null_mut(),
            },
        },
    }];
    let interface: sys::IMAPIAdviseSink = sink.to_interface();
    // SAFETY: one notification, with no pointers in it, valid for the call.
    let result = unsafe { interface.OnNotify(1, raw.as_mut_ptr()) };
    assert_eq!(result, 0);
    assert_eq!(sink.0.load(Ordering::Relaxed), 1);
}

#[test]
fn imsgstore_advise() {
    struct Quiet;

    #[mapi_advise_sink]
    impl Quiet {
        fn on_notify(&self, _events: &Events<'_>) {}
    }

    let store = SimulatedStore::new();
    let sink = AdviseSink::new(Quiet);
    let msg_store: sys::IMsgStore = store.to_interface();
    // On one folder only: events about the folder and what is in it.
    let mut inbox = *b"inbox";
    let mut connection = 0;
    // SAFETY: `inbox` covers its length; a live sink; `connection` is writable.
    let hr = unsafe {
        msg_store.Advise(
            inbox.len() as u32,
            inbox.as_mut_ptr().cast(),
            sys::fnevNewMail | sys::fnevObjectCreated,
            sink.as_raw(),
            &mut connection,
        )
    };
    assert!(hr.is_ok() && connection != 0);
    // SAFETY: a null sink is refused, not called.
    let refused = unsafe {
        msg_store.Advise(
            0,
            std::ptr::null_mut(),
            sys::fnevNewMail,
            std::ptr::null_mut(),
            &mut connection,
        )
    };
    assert_eq!(refused, sys::E_INVALIDARG);
}

#[test]
fn imsgstore_unadvise() {
    struct Quiet;

    #[mapi_advise_sink]
    impl Quiet {
        fn on_notify(&self, _events: &Events<'_>) {}
    }

    let store = SimulatedStore::new();
    let sink = AdviseSink::new(Quiet);
    let msg_store: sys::IMsgStore = store.to_interface();
    let mut connection = 0;
    // SAFETY: the whole store (no entry ID); a live sink; `connection` is writable.
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
    // SAFETY: any number is sound.
    assert!(unsafe { msg_store.Unadvise(connection) }.is_ok());
    // SAFETY: as above.
    assert_eq!(
        unsafe { msg_store.Unadvise(connection) },
        sys::MAPI_E_NOT_FOUND
    ); // already gone
}
