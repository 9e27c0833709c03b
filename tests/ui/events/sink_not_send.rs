// An event sink belongs to Outlook's main thread: it cannot be sent to another thread, nor
// can its connection.
use mapi_notify_sink::addin::{outlook_events, Connection, EventSink};

struct Started;

#[outlook_events]
impl Started {
    fn startup(&self) {}
}

fn keep(sink: EventSink<Started>, connection: Connection) {
    std::thread::spawn(move || {
        let _ = (sink, connection);
    });
}

fn main() {
    let _ = keep;
}
