use mapi_notify_sink::advise_sink::Events;
use mapi_notify_sink::mapi_advise_sink;

struct Watcher;

#[mapi_advise_sink]
impl Watcher {
    extern "system" fn on_notify(&self, _events: &Events<'_>) {}
}

fn main() {}
