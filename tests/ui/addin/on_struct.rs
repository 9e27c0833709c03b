use mapi_notify_sink::addin::{outlook_addin, Outlook};
use mapi_notify_sink::Result;

#[outlook_addin(
    clsid = "F8B51E39-75C3-43EF-BAE8-D60096161F06",
    progid = "Contoso.MyAddIn",
    name = "My add-in",
    description = "What it does"
)]
#[derive(Default)]
struct MyAddIn;

impl MyAddIn {
    fn on_connection(&self, _outlook: &Outlook) -> Result<()> {
        Ok(())
    }
}

fn main() {}
