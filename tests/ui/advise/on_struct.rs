use mapi_notify_sink::mapi_advise_sink;

#[mapi_advise_sink]
struct Watcher;

fn main() {}
