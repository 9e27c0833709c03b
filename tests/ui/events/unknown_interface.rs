// `items` or nothing.
use mapi_notify_sink::addin::outlook_events;

struct Events;

#[outlook_events(folders)]
impl Events {
    fn startup(&self) {}
}

fn main() {}
