use mapi_notify_sink::mapi_notify_sink;

#[mapi_notify_sink]
struct Watcher;

fn main() {}
