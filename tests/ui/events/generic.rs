// Outlook calls one concrete type.
use mapi_notify_sink::addin::outlook_events;

struct Events<T>(T);

#[outlook_events]
impl<T: 'static> Events<T> {
    fn quit(&self) {}
}

fn main() {}
