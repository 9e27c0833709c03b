#![deny(unused_must_use)]
use mapi_notify_sink::addin::{outlook_addin, Outlook};
use mapi_notify_sink::{mapi_notify_sink, AdviseOptions, Notification, OfflineManager, Result, Sink};

#[derive(Default)]
struct MyAddIn;

// The guard `advise` returns, dropped at once: the sink is unadvised as soon as it is made.
// The message says to keep the guard (rustc's own `let _ = ...` would drop it too).
#[outlook_addin(
    clsid = "F8B51E39-75C3-43EF-BAE8-D60096161F06",
    progid = "Contoso.MyAddIn",
    name = "My add-in",
    description = "What it does"
)]
impl MyAddIn {
    fn on_connection(&self, outlook: &Outlook) -> Result<()> {
        let manager = OfflineManager::open(&outlook.profile_name()?)?;
        manager.advise(&Sink::new(Logger), AdviseOptions::default())?;
        Ok(())
    }
}

struct Logger;

#[mapi_notify_sink]
impl Logger {
    fn notify(&self, _info: &Notification<'_>) {}
}

fn main() {}
