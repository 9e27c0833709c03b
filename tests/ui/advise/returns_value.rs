use mapi_notify_sink::advise_sink::Events;
use mapi_notify_sink::mapi_advise_sink;

struct Watcher;

// C sinks return 0 from OnNotify; the runtime does that for you.
#[mapi_advise_sink]
impl Watcher {
    fn on_notify(&self, _events: &Events<'_>) -> u32 {
        0
    }
}

fn main() {}
