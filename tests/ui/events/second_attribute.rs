// One #[outlook_events] impl per type: its events go in one block.
use mapi_notify_sink::addin::outlook_events;

struct Events;

#[outlook_events]
impl Events {
    fn startup(&self) {}
}

#[outlook_events]
impl Events {
    fn quit(&self) {}
}

fn main() {}
