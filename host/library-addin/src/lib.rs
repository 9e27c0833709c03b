//! An add-in made with `#[outlook_addin]`, for what only the library's add-ins show
//! `outlook-sim`: an `on_connection` that fails or panics, which the library keeps from Outlook
//! (Outlook is told `S_OK`, so it does not disable the add-in) and `outlook-sim` must still
//! fail; and `shutdown_notification = true`, which registers `RequireShutdownNotification` = 1,
//! so that Outlook (and `outlook-sim`) calls `OnBeginShutdown` and `OnDisconnection` at exit.
//!
//! What `on_connection` does is chosen by the environment variable `LIBRARY_ADDIN`: `error`
//! (returns an error), `panic` (panics), `stores` (logs `Outlook::stores()`'s names and
//! advises a sink on `Outlook::default_store()`, unadvised when the add-in goes), `store-leak`
//! (advises that sink and forgets the guard: the store is left calling a sink in a DLL COM may
//! unload, which `outlook-sim` must fail), `events` (connects an event sink to `Application`,
//! dropped in `on_disconnection`), `events-kept` (the same, kept until the add-in is released:
//! past `OnDisconnection`, which `outlook-sim` must fail), `items-dropped` (connects an event
//! sink to the Inbox's `Items` and lets go of the `Items` object: Outlook's `ItemAdd` stops,
//! which `outlook-sim` must fail), anything else (connects, and logs each call).
//! Register it (`regsvr32 /n /i:allusers library_addin.dll`) and run
//! `outlook-sim --progid MapiNotifySink.LibraryAddin`, or load it with `--dll`.

use mapi_notify_sink::addin::{outlook_addin, outlook_events, Connection, EventSink, Outlook};
use mapi_notify_sink::advise_sink::{AdviseSink, EventMask, Events, StoreAdvise};
use mapi_notify_sink::automation::{Dispatch, Variant};
use mapi_notify_sink::{mapi_advise_sink, sys, Error, Result};
use std::cell::{Cell, RefCell};

/// The add-in: the new-mail advise of `stores`, the events' connection of `events`.
#[derive(Default)]
pub struct LibraryAddIn {
    new_mail: RefCell<Option<StoreAdvise>>,
    events: RefCell<Option<Connection>>,
    keep_events: Cell<bool>,
}

/// Logs each item added to the Inbox.
pub struct Added;

#[outlook_events(items)]
impl Added {
    fn item_add(&self, _item: &Dispatch) {
        log::info!("event: item_add");
    }
}

/// Logs Application's start and end.
pub struct Quiet;

#[outlook_events]
impl Quiet {
    fn startup(&self) {
        log::info!("event: startup");
    }

    fn quit(&self) {
        log::info!("event: quit");
    }
}

/// A sink that logs how many events it got.
pub struct Counter;

#[mapi_advise_sink]
impl Counter {
    fn on_notify(&self, events: &Events<'_>) {
        log::info!("on_notify: {} event(s)", events.len());
    }
}

#[outlook_addin(
    clsid = "0B3C6E5A-8E21-4A77-9C3F-5D2B7A41E6C9",
    progid = "MapiNotifySink.LibraryAddin",
    name = "Library add-in (outlook-sim fixture)",
    description = "An #[outlook_addin] whose on_connection fails or panics on request.",
    shutdown_notification = true
)]
impl LibraryAddIn {
    fn on_connection(&self, outlook: &Outlook) -> Result<()> {
        match std::env::var("LIBRARY_ADDIN").as_deref() {
            Ok("error") => Err(Error::new(sys::MAPI_E_NOT_FOUND, "the fixture's profile")),
            Ok("panic") => panic!("the fixture panics in on_connection"),
            Ok("items-dropped") => {
                let session: Dispatch = outlook.app().get("Session")?;
                let inbox: Dispatch = session.call("GetDefaultFolder", &[Variant::from(6)])?;
                let items: Dispatch = inbox.get("Items")?;
                let connection = EventSink::new(Added).connect(&items)?;
                drop(items); // the mistake: the Items object goes, its events with it
                *self.events.borrow_mut() = Some(connection);
                Ok(())
            }
            Ok(mode @ ("events" | "events-kept")) => {
                let connection = EventSink::new(Quiet).connect(outlook.app())?;
                *self.events.borrow_mut() = Some(connection);
                self.keep_events.set(mode == "events-kept");
                Ok(())
            }
            Ok(mode @ ("stores" | "store-leak")) => {
                let names: Vec<String> = outlook
                    .stores()?
                    .into_iter()
                    .map(|(name, _)| name)
                    .collect();
                log::info!("stores: {names:?}");
                let advise = outlook.default_store()?.advise(
                    &AdviseSink::new(Counter),
                    EventMask::NEW_MAIL,
                    None,
                )?;
                if mode == "store-leak" {
                    std::mem::forget(advise);
                } else {
                    *self.new_mail.borrow_mut() = Some(advise);
                }
                Ok(())
            }
            _ => {
                log::info!("on_connection ({:?})", outlook.connect_mode());
                Ok(())
            }
        }
    }

    fn on_startup_complete(&self) {
        log::info!("on_startup_complete");
    }

    fn on_disconnection(&self) {
        log::info!("on_disconnection");
        if !self.keep_events.get() {
            self.events.take();
        }
    }
}
