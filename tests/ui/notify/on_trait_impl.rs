use mapi_notify_sink::{mapi_notify_sink, Notification};

struct Watcher;

trait Handler {
    fn notify(&self, info: &Notification<'_>);
}

#[mapi_notify_sink]
impl Handler for Watcher {
    fn notify(&self, _info: &Notification<'_>) {}
}

fn main() {}
