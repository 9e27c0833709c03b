// The attribute goes on the impl block, not on the type.
use mapi_notify_sink::addin::outlook_events;

#[outlook_events]
struct Events;

fn main() {}
