use mapi_notify_sink::{mapi_notify_sink, Notification};

struct Watcher;

#[mapi_notify_sink(on_panic = "ignore")]
impl Watcher {
    fn notify(&self, _info: &Notification<'_>) {}
}

fn main() {}
