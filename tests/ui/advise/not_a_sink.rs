use mapi_notify_sink::advise_sink::AdviseSink;

struct Watcher;

impl Watcher {
    fn on_notify(&self, _events: &mapi_notify_sink::advise_sink::Events<'_>) {}
}

fn main() {
    // The attribute was forgotten.
    let _sink = AdviseSink::new(Watcher);
}
