use mapi_notify_sink::{mapi_notify_sink, Notification};

#[mapi_notify_sink]
fn notify(_info: &Notification<'_>) {}

fn main() {}
