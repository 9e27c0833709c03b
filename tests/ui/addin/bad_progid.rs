use mapi_notify_sink::addin::{outlook_addin, Outlook};
use mapi_notify_sink::Result;

#[derive(Default)]
struct MyAddIn;

#[outlook_addin(
    clsid = "F8B51E39-75C3-43EF-BAE8-D60096161F06",
    progid = "My Add-in",
    name = "My add-in",
    description = "What it does",
    startup = true
)]
impl MyAddIn {
    fn on_connection(&self, _outlook: &Outlook) -> Result<()> {
        Ok(())
    }
}

fn main() {}
