use mapi_notify_sink::addin::{outlook_addin, Outlook};
use mapi_notify_sink::Result;

#[derive(Default)]
struct MyAddIn;

// A hook's name misspelt: nothing would call it. The error is at the name, with the right one.
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

    fn on_startup_completed(&self) {}
}

fn main() {}
