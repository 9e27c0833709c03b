// Outlook's object model may be used only on its main thread: a `Dispatch` cannot be sent to
// another thread (MAPI's, a worker's). Hand the work to the main thread instead.
use mapi_notify_sink::automation::Dispatch;

fn watch(inbox: Dispatch) {
    std::thread::spawn(move || {
        let _ = inbox.get::<i32>("Count");
    });
}

fn main() {
    let _ = watch;
}
