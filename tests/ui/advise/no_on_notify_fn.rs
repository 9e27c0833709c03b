use mapi_notify_sink::advise_sink::{AdviseSink, Events};
use mapi_notify_sink::mapi_advise_sink;

struct Watcher;

// The offline sink's method name, on an advise sink.
#[mapi_advise_sink]
impl Watcher {
    fn notify(&self, _events: &Events<'_>) {}
}

fn main() {
    // Only the missing `on_notify` is reported: the sink still type-checks where it is used.
    let _sink = AdviseSink::new(Watcher);
}
