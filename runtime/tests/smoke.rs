use mapi_notify_sink::{mapi_notify_sink, sys, Notification, Sink};
use std::sync::atomic::{AtomicU32, Ordering};
struct W(AtomicU32);
#[mapi_notify_sink]
impl W {
    fn notify(&self, info: &Notification<'_>) {
        self.0.fetch_add(info.client_token(), Ordering::Relaxed);
    }
}
#[test]
fn smoke() {
    let s = Sink::new(W(AtomicU32::new(0)));
    let i = s.to_interface();
    let raw = sys::MAPIOFFLINE_NOTIFY {
        ulSize: 24,
        ulClientToken: 5,
        ..Default::default()
    };
    unsafe { i.Notify(&raw) };
    assert_eq!(s.0.load(Ordering::Relaxed), 5);
    assert_eq!(Sink::ref_count(&s), 2);
}
