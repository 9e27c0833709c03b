// `cancel` by value: setting it would change nothing Outlook sees.
use mapi_notify_sink::addin::outlook_events;
use mapi_notify_sink::automation::Dispatch;

struct Guard;

#[outlook_events]
impl Guard {
    fn item_send(&self, item: &Dispatch, cancel: bool) {
        let _ = (item, cancel);
    }
}

fn main() {}
