use mapi_notify_sink::mapi_advise_sink;

struct Watcher;

#[mapi_advise_sink]
impl Watcher {
    fn on_notify(&self) {}
}

fn main() {}
