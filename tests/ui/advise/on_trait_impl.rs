use mapi_notify_sink::advise_sink::Events;
use mapi_notify_sink::mapi_advise_sink;

struct Watcher;

trait Handler {
    fn on_notify(&self, events: &Events<'_>);
}

#[mapi_advise_sink]
impl Handler for Watcher {
    fn on_notify(&self, _events: &Events<'_>) {}
}

fn main() {}
