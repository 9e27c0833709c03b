// ItemSend is Application's event, not a folder's Items'.
use mapi_notify_sink::addin::outlook_events;
use mapi_notify_sink::automation::Dispatch;

struct Inbox;

#[outlook_events(items)]
impl Inbox {
    fn item_send(&self, item: &Dispatch, cancel: &mut bool) {
        let _ = (item, cancel);
    }
}

fn main() {}
