use mapi_notify_sink::addin::{outlook_addin, Outlook};
use mapi_notify_sink::Result;

#[derive(Default)]
struct First;

#[outlook_addin(
    clsid = "F8B51E39-75C3-43EF-BAE8-D60096161F06",
    progid = "Contoso.First",
    name = "First",
    description = "What it does"
)]
impl First {
    fn on_connection(&self, _outlook: &Outlook) -> Result<()> {
        Ok(())
    }
}

mod elsewhere {
    use super::*;

    #[derive(Default)]
    pub struct Second;

    // One DLL is one add-in: its exports name one class.
    #[outlook_addin(
        clsid = "0B0F3C43-1E0A-4C43-9D7A-6E5B1B7A2C11",
        progid = "Contoso.Second",
        name = "Second",
        description = "What it does"
    )]
    impl Second {
        fn on_connection(&self, _outlook: &Outlook) -> Result<()> {
            Ok(())
        }
    }
}

fn main() {}
