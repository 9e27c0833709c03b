use mapi_notify_sink::addin::{outlook_addin, Outlook};
use mapi_notify_sink::Result;

#[derive(Default)]
struct MyAddIn;

// Each of the three mistakes is reported where it is.
#[outlook_addin(
    clsid = "F8B51E39-75C3-43EF-BAE8-D60096161F06",
    progid = "Contoso.MyAddIn",
    name = "My add-in",
    description = "What it does"
)]
impl MyAddIn {
    fn on_connection(&mut self, _outlook: Outlook) {}

    fn on_disconnection(&self, _why: i32) {}
}

fn main() {}
