use mapi_notify_sink::{mapi_notify_sink, Notification};

struct Watcher;

#[mapi_notify_sink]
impl Watcher {
    const fn notify(&self, _info: &Notification<'_>) {}
}

fn main() {}
