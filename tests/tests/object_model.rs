//! `automation::Dispatch` and `advise_sink::MsgStore` against outlook-sim's object model
//! (`outlook_sim::application`), as an add-in uses Outlook's, in a single-threaded apartment as
//! on Outlook's main thread: the walk from `Application` to the stores, the Inbox and its items;
//! `GetItemFromID`; the errors Outlook raises (their text carried); a store's `MAPIOBJECT` advised
//! for new mail; and everything handed out released. Windows (under Wine by
//! `scripts/test-windows.sh`).
#![cfg(windows)]

use mapi_notify_sink::advise_sink::{AdviseSink, Event, EventMask, Events, MsgStore};
use mapi_notify_sink::automation::{Dispatch, Variant};
use mapi_notify_sink::{mapi_advise_sink, sys};
use outlook_sim::application::{hex, Application, DEFAULT_STORES, WELCOME};
use std::sync::Mutex;
use windows::Win32::System::Com::{CoInitializeEx, CoUninitialize, COINIT_APARTMENTTHREADED};
use windows_core::{IUnknown, HRESULT};

const DISP_E_EXCEPTION: HRESULT = HRESULT(0x8002_0009_u32 as i32);

/// This thread in a single-threaded apartment, as Outlook's main thread is, until dropped.
struct Sta;

impl Sta {
    fn enter() -> Sta {
        // SAFETY: once per test thread, balanced by Drop.
        unsafe { CoInitializeEx(None, COINIT_APARTMENTTHREADED) }.unwrap();
        Sta
    }
}

impl Drop for Sta {
    fn drop(&mut self) {
        // SAFETY: balances `enter`, on the same thread.
        unsafe { CoUninitialize() }
    }
}

/// The `Application` as `Outlook::app` holds it.
fn app(application: &Application) -> Dispatch {
    Dispatch::from_unknown(&application.to_unknown()).unwrap()
}

/// Nothing handed out is still held.
fn all_released(application: &Application) {
    assert_eq!(application.objects_alive(), 0, "every object released");
    assert_eq!(
        application.ref_count(),
        1,
        "only the test's own reference left"
    );
    assert_eq!(application.wrong_thread_calls(), 0);
}

#[test]
fn the_stores_and_the_inbox() {
    let _sta = Sta::enter();
    let application = Application::new("Outlook");
    {
        let session: Dispatch = app(&application).get("Session").unwrap();
        assert_eq!(
            session.get::<String>("CurrentProfileName").unwrap(),
            "Outlook"
        );
        let stores: Dispatch = session.get("Stores").unwrap();
        assert_eq!(stores.get::<i32>("Count").unwrap(), 2);
        for (index, name) in DEFAULT_STORES.iter().enumerate() {
            let by_index: Dispatch = stores
                .call("Item", &[Variant::from(index as i32 + 1)])
                .unwrap();
            assert_eq!(by_index.get::<String>("DisplayName").unwrap(), *name);
            let by_name: Dispatch = stores.call("Item", &[Variant::from(*name)]).unwrap();
            assert_eq!(
                by_name.get::<String>("StoreID").unwrap(),
                by_index.get::<String>("StoreID").unwrap()
            );
        }
        let default: Dispatch = session.get("DefaultStore").unwrap();
        assert_eq!(
            default.get::<String>("DisplayName").unwrap(),
            DEFAULT_STORES[0]
        );

        let inbox: Dispatch = session
            .call("GetDefaultFolder", &[Variant::from(6)])
            .unwrap();
        assert_eq!(inbox.get::<String>("Name").unwrap(), "Inbox");
        let items: Dispatch = inbox.get("Items").unwrap();
        assert_eq!(items.get::<i32>("Count").unwrap(), 1);
        let welcome: Dispatch = items.call("Item", &[Variant::from(1)]).unwrap();
        assert_eq!(welcome.get::<String>("Subject").unwrap(), WELCOME.0);
        assert_eq!(welcome.get::<String>("SenderName").unwrap(), WELCOME.1);
        let received = welcome.get::<Variant>("ReceivedTime").unwrap();
        let Variant::Date(days) = received else {
            panic!("ReceivedTime is {}", received.describe());
        };
        // Late 2025 or later, as an OLE date (day 46,000 since 1899-12-30 is 2025-12-09).
        assert!(days > 46_000.0, "{days}");
        assert_eq!(
            welcome.get::<String>("EntryID").unwrap(),
            hex(&application.inbox()[0].entry_id)
        );
    }
    all_released(&application);
}

#[test]
fn an_item_by_its_entry_id() {
    let _sta = Sta::enter();
    let application = Application::new("Outlook");
    let (mail, calls) = application.deliver_mail("Quarterly report", "Ana").unwrap();
    assert_eq!(calls, 0, "no sink advised");
    {
        let session: Dispatch = app(&application).get("Session").unwrap();
        let item: Dispatch = session
            .call(
                "GetItemFromID",
                &[Variant::from(hex(&mail.entry_id).as_str())],
            )
            .unwrap();
        assert_eq!(item.get::<String>("Subject").unwrap(), "Quarterly report");
        assert_eq!(item.get::<String>("SenderName").unwrap(), "Ana");
        // With the store's ID too, and in lower case.
        let store: Dispatch = session.get("DefaultStore").unwrap();
        let store_id: String = store.get("StoreID").unwrap();
        let item: Dispatch = session
            .call(
                "GetItemFromID",
                &[
                    Variant::from(hex(&mail.entry_id).to_lowercase().as_str()),
                    Variant::from(store_id.as_str()),
                ],
            )
            .unwrap();
        assert_eq!(item.get::<String>("Subject").unwrap(), "Quarterly report");
    }
    all_released(&application);
}

#[test]
fn outlooks_errors_carry_their_text() {
    let _sta = Sta::enter();
    let application = Application::new("Outlook");
    {
        let session: Dispatch = app(&application).get("Session").unwrap();
        let error = session
            .call::<Dispatch>("GetItemFromID", &[Variant::from("00FF")])
            .unwrap_err();
        let text = error.to_string();
        assert!(text.contains("GetItemFromID"), "{text}");
        assert!(text.contains("An object could not be found."), "{text}");
        assert_eq!(error.code(), sys::MAPI_E_NOT_FOUND, "{text}");

        let stores: Dispatch = session.get("Stores").unwrap();
        let error = stores
            .call::<Dispatch>("Item", &[Variant::from(3)])
            .unwrap_err();
        assert!(
            error.to_string().contains("Array index out of bounds."),
            "{error}"
        );
        assert_eq!(
            error.code(),
            HRESULT(0x8002_000B_u32 as i32),
            "DISP_E_BADINDEX: {error}"
        );

        let error = session
            .call::<Dispatch>("GetDefaultFolder", &[Variant::from(3)])
            .unwrap_err();
        assert!(error.to_string().contains("olFolderInbox"), "{error}");
        assert_ne!(
            error.code(),
            DISP_E_EXCEPTION,
            "the exception's own scode: {error}"
        );

        let error = session.get::<String>("NoSuchMember").unwrap_err();
        assert_eq!(error.code(), sys::DISP_E_UNKNOWNNAME, "{error}");
        assert!(error.to_string().contains("NoSuchMember"), "{error}");

        // A value of another type than asked names both.
        let error = session.get::<i32>("CurrentProfileName").unwrap_err();
        assert!(error.to_string().contains("VT_BSTR"), "{error}");
    }
    all_released(&application);
}

/// Records each new message's entry ID and the thread it came on.
struct NewMail(Mutex<Vec<(Vec<u8>, std::thread::ThreadId)>>);

#[mapi_advise_sink]
impl NewMail {
    fn on_notify(&self, events: &Events<'_>) {
        for event in events {
            if let Event::NewMail(mail) = event {
                let id = mail
                    .entry_id()
                    .map(|id| id.as_bytes().to_vec())
                    .unwrap_or_default();
                self.0
                    .lock()
                    .unwrap()
                    .push((id, std::thread::current().id()));
            }
        }
    }
}

#[test]
fn a_stores_mapiobject_advised_for_new_mail() {
    let _sta = Sta::enter();
    let application = Application::new("Outlook");
    let sink = AdviseSink::new(NewMail(Mutex::new(Vec::new())));
    {
        let session: Dispatch = app(&application).get("Session").unwrap();
        let store: Dispatch = session.get("DefaultStore").unwrap();
        let unknown: IUnknown = store.get("MAPIOBJECT").unwrap();
        let store = MsgStore::from_unknown(&unknown).unwrap();
        let advise = store.advise(&sink, EventMask::NEW_MAIL, None).unwrap();
        assert_ne!(advise.connection(), 0);
        assert_eq!(application.advised(), 1);
        let (first, calls) = application.deliver_mail("One", "Ana").unwrap();
        assert_eq!(calls, 1);
        let (second, _) = application.deliver_mail("Two", "Ana").unwrap();
        let seen = sink.0.lock().unwrap().clone();
        assert_eq!(
            seen.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>(),
            [first.entry_id, second.entry_id]
        );
        assert!(
            seen.iter()
                .all(|(_, thread)| *thread != std::thread::current().id()),
            "MAPI calls a sink on a thread of its own"
        );
        // The other store's MAPIOBJECT is another store: no mail arrives there.
        let archives: Dispatch = session
            .get::<Dispatch>("Stores")
            .unwrap()
            .call("Item", &[Variant::from(2)])
            .unwrap();
        let other = MsgStore::from_unknown(&archives.get("MAPIOBJECT").unwrap()).unwrap();
        let quiet = other.advise(&sink, EventMask::NEW_MAIL, None).unwrap();
        application.deliver_mail("Three", "Ana").unwrap();
        assert_eq!(
            sink.0.lock().unwrap().len(),
            3,
            "once, from the default store"
        );
        drop(quiet);
        drop(advise); // unadvised as dropped
        assert_eq!(application.advised(), 0);
        application.deliver_mail("Four", "Ana").unwrap();
        assert_eq!(sink.0.lock().unwrap().len(), 3);
    }
    all_released(&application);
}
