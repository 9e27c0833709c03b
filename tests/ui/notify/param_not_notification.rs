use mapi_notify_sink::mapi_notify_sink;

struct Watcher;

#[mapi_notify_sink]
impl Watcher {
    fn notify(&self, _info: &u32) {}
}

fn main() {}
