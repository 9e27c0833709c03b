//! An add-in made with `#[outlook_addin]`, for what only the library's add-ins show
//! `outlook-sim`: an `on_connection` that fails or panics, which the library keeps from Outlook
//! (Outlook is told `S_OK`, so it does not disable the add-in) and `outlook-sim` must still
//! fail; and `shutdown_notification = true`, which registers `RequireShutdownNotification` = 1,
//! so that Outlook (and `outlook-sim`) calls `OnBeginShutdown` and `OnDisconnection` at exit.
//!
//! What `on_connection` does is chosen by the environment variable `LIBRARY_ADDIN`: `error`
//! (returns an error), `panic` (panics), anything else (connects, and logs each call).
//! Register it (`regsvr32 /n /i:allusers library_addin.dll`) and run
//! `outlook-sim --progid MapiNotifySink.LibraryAddin`, or load it with `--dll`.

use mapi_notify_sink::addin::{outlook_addin, Outlook};
use mapi_notify_sink::{sys, Error, Result};

/// The add-in: no state.
#[derive(Default)]
pub struct LibraryAddIn;

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
    }
}
