use mapi_notify_sink::{mapi_notify_sink, Notification};

struct Watcher;

#[mapi_notify_sink]
impl Watcher {
    fn notify(&self, _info: &mut Notification<'_>) {}
}

fn main() {}
