use mapi_notify_sink::{mapi_notify_sink, Notification};

struct Watcher<'a> {
    name: &'a str,
}

#[mapi_notify_sink]
impl<'a> Watcher<'a> {
    fn notify(&self, _info: &Notification<'_>) {
        println!("{}", self.name);
    }
}

fn main() {}
