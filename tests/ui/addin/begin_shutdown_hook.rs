use mapi_notify_sink::addin::{outlook_addin, Outlook};
use mapi_notify_sink::Result;

#[derive(Default)]
struct MyAddIn;

// IDTExtensibility2's OnBeginShutdown as a method: the error says which hook it is, and that
// Outlook's exit calls none.
#[outlook_addin(
    clsid = "F8B51E39-75C3-43EF-BAE8-D60096161F06",
    progid = "Contoso.MyAddIn",
    name = "My add-in",
    description = "What it does"
)]
impl MyAddIn {
    fn on_connection(&self, _outlook: &Outlook) -> Result<()> {
        Ok(())
    }

    fn on_begin_shutdown(&self) {}

    // A helper of the author's own: no error.
    fn open_settings(&self) {}
}

fn main() {}
