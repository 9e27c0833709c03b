use mapi_notify_sink::{mapi_notify_sink, Notification, Sink};

struct Watcher;

#[mapi_notify_sink]
impl Watcher {
    fn notfy(&self, _info: &Notification<'_>) {}
}

fn main() {
    // Only the missing `notify` is reported: the sink still type-checks where it is used.
    let _sink = Sink::new(Watcher);
}
