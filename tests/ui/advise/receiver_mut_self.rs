use mapi_notify_sink::advise_sink::{AdviseSink, Events};
use mapi_notify_sink::mapi_advise_sink;

struct Watcher;

#[mapi_advise_sink]
impl Watcher {
    fn on_notify(&mut self, _events: &Events<'_>) {}
}

fn main() {
    let _sink = AdviseSink::new(Watcher);
}
