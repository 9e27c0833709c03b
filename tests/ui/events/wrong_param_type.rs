// NewMailEx sends text: `&str`, not bytes. The compiler shows the right signature.
use mapi_notify_sink::addin::outlook_events;

struct Mail;

#[outlook_events]
impl Mail {
    fn new_mail_ex(&self, entry_ids: &[u8]) {
        let _ = entry_ids;
    }
}

fn main() {}
