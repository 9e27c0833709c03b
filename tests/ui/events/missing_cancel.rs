// ItemSend sends the item and Cancel: without `cancel` the send cannot be stopped.
use mapi_notify_sink::addin::outlook_events;
use mapi_notify_sink::automation::Dispatch;

struct Guard;

#[outlook_events]
impl Guard {
    fn item_send(&self, item: &Dispatch) {
        let _ = item;
    }
}

fn main() {}
