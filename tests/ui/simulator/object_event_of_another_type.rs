// An object event sent under another event type: a sink reads the notification's union by its
// type, so this one would be read as a NEWMAIL_NOTIFICATION, past what was sent.
use mapi_notify_sink::simulator::StoreEvent;
use mapi_notify_sink::sys;

fn main() {
    let _by_fields = StoreEvent::Object {
        event_type: sys::fnevNewMail,
        object_type: 4096,
        entry_id: b"message".to_vec(),
        parent_id: b"in".to_vec(),
        old_id: Vec::new(),
        old_parent_id: Vec::new(),
        prop_tags: None,
    };
    let _by_constructor = StoreEvent::object(sys::fnevStatusObjectModified, b"message", b"in");
}
