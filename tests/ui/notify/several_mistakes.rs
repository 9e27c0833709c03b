use mapi_notify_sink::mapi_notify_sink;

struct Watcher;

#[mapi_notify_sink]
impl Watcher {
    async fn notify(&mut self, _info: &u32) -> bool {
        true
    }
}

fn main() {}
