use mapi_notify_sink::addin::{outlook_addin, Outlook};

#[derive(Default)]
struct MyAddIn;

// A Result, but not the library's: the error is at the return type.
#[outlook_addin(
    clsid = "F8B51E39-75C3-43EF-BAE8-D60096161F06",
    progid = "Contoso.MyAddIn",
    name = "My add-in",
    description = "What it does"
)]
impl MyAddIn {
    fn on_connection(&self, _outlook: &Outlook) -> std::io::Result<()> {
        Ok(())
    }
}

fn main() {}
