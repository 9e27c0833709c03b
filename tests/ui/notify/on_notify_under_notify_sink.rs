use mapi_notify_sink::advise_sink::Events;
use mapi_notify_sink::mapi_notify_sink;

struct Watcher;

// The advise sink's method, on an offline sink.
#[mapi_notify_sink]
impl Watcher {
    fn on_notify(&self, _events: &Events<'_>) {}
}

fn main() {}
