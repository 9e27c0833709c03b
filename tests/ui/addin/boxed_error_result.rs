use mapi_notify_sink::addin::{outlook_addin, Outlook};

#[derive(Default)]
struct MyAddIn;

// A Result whose error is boxed: the message says how to turn it into the library's.
#[outlook_addin(
    clsid = "F8B51E39-75C3-43EF-BAE8-D60096161F06",
    progid = "Contoso.MyAddIn",
    name = "My add-in",
    description = "What it does"
)]
impl MyAddIn {
    fn on_connection(&self, _outlook: &Outlook) -> Result<(), Box<dyn std::error::Error>> {
        Ok(())
    }
}

fn main() {}
