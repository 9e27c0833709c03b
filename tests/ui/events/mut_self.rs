// Events come through a shared reference.
use mapi_notify_sink::addin::outlook_events;

struct Counter(u32);

#[outlook_events]
impl Counter {
    fn startup(&mut self) {
        self.0 += 1;
    }
}

fn main() {}
