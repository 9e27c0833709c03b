// A misspelt event: nothing would call it.
use mapi_notify_sink::addin::outlook_events;
use mapi_notify_sink::automation::Dispatch;

struct Guard;

#[outlook_events]
impl Guard {
    fn item_snd(&self, item: &Dispatch, cancel: &mut bool) {
        let _ = (item, cancel);
    }
}

fn main() {}
