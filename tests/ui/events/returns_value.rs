// Outlook ignores what an event returns.
use mapi_notify_sink::addin::outlook_events;

struct Events;

#[outlook_events]
impl Events {
    fn startup(&self) -> bool {
        true
    }
}

fn main() {}
