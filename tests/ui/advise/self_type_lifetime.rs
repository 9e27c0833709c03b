use mapi_notify_sink::advise_sink::Events;
use mapi_notify_sink::mapi_advise_sink;

struct Watcher<'a> {
    name: &'a str,
}

#[mapi_advise_sink]
impl<'a> Watcher<'a> {
    fn on_notify(&self, _events: &Events<'_>) {
        println!("{}", self.name);
    }
}

fn main() {}
