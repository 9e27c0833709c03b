use mapi_notify_sink::{mapi_advise_sink, Notification};

struct Watcher;

// The offline sink's parameter, on an advise sink.
#[mapi_advise_sink]
impl Watcher {
    fn on_notify(&self, _events: &Notification<'_>) {}
}

fn main() {}
