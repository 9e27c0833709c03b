use mapi_notify_sink::{mapi_notify_sink, Notification};
use std::cell::Cell;

struct Watcher {
    seen: Cell<u32>,
}

#[mapi_notify_sink]
impl Watcher {
    fn notify(&self, _info: &Notification<'_>) {
        self.seen.set(self.seen.get() + 1);
    }
}

fn main() {}
