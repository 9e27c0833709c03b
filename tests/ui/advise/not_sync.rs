use mapi_notify_sink::advise_sink::Events;
use mapi_notify_sink::mapi_advise_sink;
use std::cell::Cell;

struct Watcher {
    seen: Cell<u32>,
}

#[mapi_advise_sink]
impl Watcher {
    fn on_notify(&self, _events: &Events<'_>) {
        self.seen.set(self.seen.get() + 1);
    }
}

fn main() {}
