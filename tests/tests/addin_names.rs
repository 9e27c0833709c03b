//! What `#[outlook_addin]` accepts that looks like a mistake but is not: a helper whose name
//! starts like a hook's (`on_connection_lost`), and `on_connection` returning the library's
//! error through `std::result::Result`. The file compiling is the test (the misspelt hooks and
//! the foreign errors it refuses are in `tests/ui/addin/`); one call checks the helper is the
//! author's own method, untouched.

use mapi_notify_sink::addin::{outlook_addin, Outlook};
use std::cell::Cell;

#[derive(Default)]
pub struct NamesAddIn {
    lost: Cell<u32>,
}

#[outlook_addin(
    clsid = "3E1B7C52-9A0D-4F6E-8B21-6C4D2E9F0A13",
    progid = "MapiNotifySink.TestNames",
    name = "Names probe",
    description = "The add-in library's tests: names that look like hooks"
)]
impl NamesAddIn {
    fn on_connection(
        &self,
        _outlook: &Outlook,
    ) -> std::result::Result<(), mapi_notify_sink::Error> {
        Ok(())
    }

    /// The author's own: not a misspelt hook.
    fn on_connection_lost(&self) -> u32 {
        self.lost.set(self.lost.get() + 1);
        self.lost.get()
    }
}

#[test]
fn a_helper_named_like_a_hook_is_the_authors_own() {
    let addin = NamesAddIn::default();
    assert_eq!(addin.on_connection_lost(), 1);
    assert_eq!(addin.on_connection_lost(), 2);
}
