use mapi_notify_sink::addin::{outlook_addin, Outlook};
use mapi_notify_sink::Result;

#[derive(Default)]
pub struct AddIn;

#[outlook_addin(
    clsid = "F8B51E39-75C3-43EF-BAE8-D60096161F06",
    progid = "Contoso.OfflineLog",
    name = "Offline log",
    description = "Logs every time Outlook goes offline or online",
    log_level = "verbose",
)]
impl AddIn {
    fn on_connection(&self, _outlook: &Outlook) -> Result<()> {
        Ok(())
    }
}

fn main() {}
