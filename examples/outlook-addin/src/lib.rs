//! A complete Outlook COM add-in built on `mapi-notify-sink`: it logs every time Outlook goes
//! offline or online, and the subject of every message that arrives in the default store, each
//! acted on on Outlook's main thread.
//!
//! `#[outlook_addin]` makes this crate's DLL the add-in: its exports, class factory,
//! registration (`regsvr32`), `IDTExtensibility2` and `IDispatch`, panic guards and log file
//! are the library's. This file is only what the add-in does, in the order Outlook runs it:
//! 1. `on_connection`, on Outlook's main thread: the profile name, Outlook's offline manager,
//!    and a [`Watcher`] advised on it; Outlook's default message store (the `IMsgStore` Outlook
//!    has open, through its object model: no MAPI logon of our own) and a [`NewMail`] sink
//!    advised on it for `fnevNewMail`.
//! 2. Outlook calls the watcher, and MAPI the mail sink, on threads of their choosing (which
//!    may be the main thread itself); each hands what it got to the main thread, where
//!    [`changed`] acts on a change and [`arrived`] opens the new message through the object
//!    model (the only thread where it may be used) and logs its subject.
//! 3. `on_disconnection`, when the user turns the add-in off: unadvise and let go of
//!    everything. At Outlook's exit (Outlook 2010 and later: "fast shutdown") it is not called:
//!    Outlook releases the add-in, the library drops [`OfflineWatch`] on the main thread, and
//!    the `Advise` in it unadvises as it is dropped. Nothing here waits for the exit to save.
//!
//! If `on_connection` fails (not inside Outlook, an unknown profile), the library logs why and
//! the add-in stays loaded and inert: a failed `OnConnection` would make Outlook disable it.

use mapi_notify_sink::addin::{
    outlook_addin, outlook_events, Connection, EventSink, MainThread, Outlook,
};
use mapi_notify_sink::advise_sink::{AdviseSink, Event, EventMask, Events, StoreAdvise};
use mapi_notify_sink::automation::{Dispatch, Variant};
use mapi_notify_sink::{
    mapi_advise_sink, mapi_notify_sink, Advise, AdviseOptions, ConnectionState,
};
use mapi_notify_sink::{Notification, NotifyKind, OfflineManager, Result, Sink};
use std::cell::RefCell;

/// Comes back in every notification, so the sink can tell its registration apart.
pub const CLIENT_TOKEN: u32 = 0x00AD_D1A5;

/// The add-in: what `on_connection` set up, until `on_disconnection` or, at Outlook's exit,
/// until the library drops it.
#[derive(Default)]
pub struct OfflineWatch {
    watching: RefCell<Option<Watching>>,
}

/// At Outlook's exit nothing is called (fast shutdown): the library drops the add-in on the main
/// thread, and what `on_connection` set up goes with it. Said in the log, which then shows how
/// the add-in ended.
impl Drop for OfflineWatch {
    fn drop(&mut self) {
        if self.watching.get_mut().is_some() {
            log::info!(
                "released without on_disconnection (fast shutdown): the advise goes with it"
            );
        }
    }
}

/// Everything `on_connection` set up. Dropped in field order: unadvise first.
struct Watching {
    /// Outlook's events: `Application`'s, and the Inbox's `Items`' (kept with the `Items`
    /// object, whose events stop when Outlook's last reference to it goes).
    events: Option<(Connection, Connection, Dispatch)>,
    /// `None` when Outlook gave no default store: the offline watch goes on without it.
    new_mail: Option<StoreAdvise>,
    advise: Advise,
    manager: OfflineManager,
    sink: Sink<Watcher>,
    mail_sink: AdviseSink<NewMail>,
}

#[outlook_addin(
    clsid = "F8B51E39-75C3-43EF-BAE8-D60096161F06",
    progid = "MapiNotifySink.OutlookAddin",
    name = "Offline watch (mapi-notify-sink example)",
    description = "Logs every time Outlook goes offline or online, and each new message's subject."
)]
impl OfflineWatch {
    fn on_connection(&self, outlook: &Outlook) -> Result<()> {
        let profile = outlook.profile_name()?;
        log::info!("profile: {profile:?}");
        let manager = OfflineManager::open(&profile)?;
        let main_thread = outlook.main_thread(changed);
        let sink = Sink::new(Watcher { main_thread });
        let options = AdviseOptions {
            client_token: CLIENT_TOKEN,
            ..AdviseOptions::default()
        };
        let advise = manager.advise(&sink, options)?;
        log::info!(
            "watching: Outlook is {:?}; advise token {}",
            manager.state()?,
            advise.token()
        );
        // New mail: the sink runs on a thread of MAPI's choosing (the main thread too, if MAPI
        // likes) and hands each entry ID to the main thread, where the object model opens the
        // message. Without a default store the offline watch goes on alone.
        let session: Dispatch = outlook.app().get("Session")?;
        let main_thread = outlook.main_thread(move |entry_id| arrived(&session, entry_id));
        let mail_sink = AdviseSink::new(NewMail { main_thread });
        let new_mail = match outlook
            .default_store()
            .and_then(|store| store.advise(&mail_sink, EventMask::NEW_MAIL, None))
        {
            Ok(new_mail) => {
                log::info!("watching new mail: connection {}", new_mail.connection());
                Some(new_mail)
            }
            Err(error) => {
                log::warn!("not watching new mail: {error}");
                None
            }
        };
        let events = match connect_events(outlook) {
            Ok(events) => Some(events),
            Err(error) => {
                log::warn!("not watching Outlook's events: {error}");
                None
            }
        };
        *self.watching.borrow_mut() = Some(Watching {
            events,
            new_mail,
            advise,
            manager,
            sink,
            mail_sink,
        });
        Ok(())
    }

    fn on_disconnection(&self) {
        let Some(Watching {
            events,
            new_mail,
            advise,
            manager,
            sink,
            mail_sink,
        }) = self.watching.take()
        else {
            return;
        };
        if let Some((application, items, _)) = events {
            for connection in [application, items] {
                if let Err(error) = connection.disconnect() {
                    log::error!("{error}");
                }
            }
        }
        if let Some(Err(error)) = new_mail.map(StoreAdvise::unadvise) {
            log::error!("{error}");
        }
        drop(mail_sink);
        match advise.unadvise() {
            Ok(()) => log::info!("unadvised"),
            Err(error) => log::error!("{error}"),
        }
        drop(manager);
        let left = Sink::ref_count(&sink);
        log::info!("released the offline manager; the sink has {left} reference(s) left (ours)");
    }
}

/// One connection change, as the sink saw it.
#[derive(Debug)]
pub struct Change {
    kind: NotifyKind,
    old: ConnectionState,
    new: ConnectionState,
}

/// The sink Outlook calls on every connection change, on a thread of its choosing, possibly
/// while the main thread is busy: it only hands the change to the main thread.
pub struct Watcher {
    main_thread: MainThread<Change>,
}

#[mapi_notify_sink]
impl Watcher {
    fn notify(&self, info: &Notification<'_>) {
        let Some(change) = info.state_change() else {
            log::info!(
                "notified: {:?} (not a connection change): ignored",
                info.kind()
            );
            return;
        };
        log::info!(
            "notified: {:?} {:?} -> {:?} (client token {:#x})",
            info.kind(),
            change.old,
            change.new,
            info.client_token()
        );
        self.main_thread.post(Change {
            kind: info.kind(),
            old: change.old,
            new: change.new,
        });
    }
}

/// A change, on Outlook's main thread: where an add-in may use Outlook's object model (update
/// a ribbon, queue work for when Outlook is back online). This one logs it.
pub fn changed(change: Change) {
    if change.kind == NotifyKind::StateChange {
        log::info!(
            "handled on the main thread: Outlook is now {:?} (was {:?})",
            change.new,
            change.old
        );
    } else {
        log::info!(
            "handled on the main thread: {:?} {:?} -> {:?}",
            change.kind,
            change.old,
            change.new
        );
    }
}

/// The sink MAPI calls when mail arrives in the default store, on a thread of MAPI's choosing
/// (another thread, or the main thread itself): it only hands each new message's entry ID to
/// the main thread, which works either way.
pub struct NewMail {
    main_thread: MainThread<Vec<u8>>,
}

#[mapi_advise_sink]
impl NewMail {
    fn on_notify(&self, events: &Events<'_>) {
        for event in events {
            if let Event::NewMail(mail) = event {
                if let Some(entry_id) = mail.entry_id() {
                    self.main_thread.post(entry_id.as_bytes().to_vec());
                }
            }
        }
    }
}

/// A new message, on Outlook's main thread: opened through the object model
/// (`Session.GetItemFromID`, which takes the entry ID as hexadecimal text), its subject logged.
pub fn arrived(session: &Dispatch, entry_id: Vec<u8>) {
    let hex: String = entry_id.iter().map(|byte| format!("{byte:02X}")).collect();
    let subject = session
        .call::<Dispatch>("GetItemFromID", &[Variant::from(hex.as_str())])
        .and_then(|item| item.get::<String>("Subject"));
    match subject {
        Ok(subject) => log::info!("new mail, handled on the main thread: {subject:?}"),
        Err(error) => log::warn!("new mail {hex}: {error}"),
    }
}

/// Connects [`OutlookEvents`] to `Application` and [`InboxEvents`] to the Inbox's `Items`.
fn connect_events(outlook: &Outlook) -> Result<(Connection, Connection, Dispatch)> {
    let application = EventSink::new(OutlookEvents).connect(outlook.app())?;
    let session: Dispatch = outlook.app().get("Session")?;
    let inbox: Dispatch = session.call("GetDefaultFolder", &[Variant::from(6)])?; // olFolderInbox
    let items: Dispatch = inbox.get("Items")?;
    let added = EventSink::new(InboxEvents).connect(&items)?;
    log::info!("watching Outlook's events");
    Ok((application, added, items))
}

/// `Application`'s events, on Outlook's main thread: the classic check before a message goes.
pub struct OutlookEvents;

#[outlook_events]
impl OutlookEvents {
    fn startup(&self) {
        log::info!("Outlook started");
    }

    /// A message without a subject is not sent.
    fn item_send(&self, item: &Dispatch, cancel: &mut bool) {
        match item.get::<String>("Subject") {
            Ok(subject) if subject.trim().is_empty() => {
                log::warn!("ItemSend: a message without a subject: not sent");
                *cancel = true;
            }
            Ok(subject) => log::info!("ItemSend: sending {subject:?}"),
            Err(error) => log::warn!("ItemSend: {error}"),
        }
    }

    fn new_mail_ex(&self, entry_ids: &str) {
        log::info!("NewMailEx: {entry_ids}");
    }

    fn quit(&self) {
        log::info!("Outlook is quitting");
    }
}

/// The Inbox's `Items` events.
pub struct InboxEvents;

#[outlook_events(items)]
impl InboxEvents {
    fn item_add(&self, item: &Dispatch) {
        match item.get::<String>("Subject") {
            Ok(subject) => log::info!("ItemAdd: {subject:?}"),
            Err(error) => log::warn!("ItemAdd: {error}"),
        }
    }
}
