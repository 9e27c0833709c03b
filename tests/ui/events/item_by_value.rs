// The item is borrowed for the call.
use mapi_notify_sink::addin::outlook_events;
use mapi_notify_sink::automation::Dispatch;

struct Reminders;

#[outlook_events]
impl Reminders {
    fn reminder(&self, item: Dispatch) {
        let _ = item;
    }
}

fn main() {}
