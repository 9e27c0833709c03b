use mapi_notify_sink::advise_sink::Events;
use mapi_notify_sink::mapi_advise_sink;
use std::rc::Rc;

struct Watcher {
    seen: Rc<u32>,
}

#[mapi_advise_sink]
impl Watcher {
    fn on_notify(&self, _events: &Events<'_>) {
        println!("{}", self.seen);
    }
}

fn main() {}
