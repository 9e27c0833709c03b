use mapi_notify_sink::mapi_advise_sink;

struct Watcher;

#[mapi_advise_sink]
impl Watcher {
    async fn on_notify(&mut self, _events: &u32) -> bool {
        true
    }
}

fn main() {}
