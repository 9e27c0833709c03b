// Nor shared with another thread by reference.
use mapi_notify_sink::automation::Dispatch;

fn share(application: &'static Dispatch) {
    std::thread::spawn(move || {
        let _ = application.get::<String>("Name");
    });
}

fn main() {
    let _ = share;
}
