use mapi_notify_sink::{mapi_notify_sink, Notification};
use std::rc::Rc;

struct Watcher {
    seen: Rc<u32>,
}

#[mapi_notify_sink]
impl Watcher {
    fn notify(&self, _info: &Notification<'_>) {
        println!("{}", self.seen);
    }
}

fn main() {}
