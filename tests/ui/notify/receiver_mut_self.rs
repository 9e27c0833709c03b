use mapi_notify_sink::{mapi_notify_sink, Notification, Sink};

struct Watcher;

#[mapi_notify_sink]
impl Watcher {
    fn notify(&mut self, _info: &Notification<'_>) {}
}

fn main() {
    let _sink = Sink::new(Watcher);
}
