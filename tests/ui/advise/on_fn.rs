use mapi_notify_sink::advise_sink::Events;
use mapi_notify_sink::mapi_advise_sink;

#[mapi_advise_sink]
fn on_notify(_events: &Events<'_>) {}

fn main() {}
