use mapi_notify_sink::{mapi_notify_sink, Notification};

struct Watcher;

#[mapi_notify_sink(crate = "not a path")]
impl Watcher {
    fn notify(&self, _info: &Notification<'_>) {}
}

fn main() {}
