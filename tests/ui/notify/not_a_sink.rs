use mapi_notify_sink::Sink;

struct Watcher;

impl Watcher {
    fn notify(&self, _info: &mapi_notify_sink::Notification<'_>) {}
}

fn main() {
    // The attribute was forgotten.
    let _sink = Sink::new(Watcher);
}
