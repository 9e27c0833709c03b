//! This crate depends on the runtime as `outlook_sink`, so `::mapi_notify_sink` does not exist
//! here: the sink below compiles only because the expansion uses the `crate` option's path.

use outlook_sink::{mapi_notify_sink, Notification};
use std::sync::atomic::{AtomicU32, Ordering};

/// Counts the notifications it receives.
pub struct Counter(pub AtomicU32);

#[mapi_notify_sink(crate = "outlook_sink")]
impl Counter {
    fn notify(&self, info: &Notification<'_>) {
        self.0.fetch_add(info.client_token(), Ordering::Relaxed);
    }
}

/// Counts the notifications its advise sink receives.
pub struct AdviseCounter(pub AtomicU32);

#[outlook_sink::mapi_advise_sink(crate = "outlook_sink")]
impl AdviseCounter {
    fn on_notify(&self, events: &outlook_sink::advise_sink::Events<'_>) {
        self.0.fetch_add(events.len() as u32, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use outlook_sink::{sys, Sink};

    #[test]
    fn renamed_runtime_sink_works() {
        let sink = Sink::new(Counter(AtomicU32::new(0)));
        let raw = sys::MAPIOFFLINE_NOTIFY {
            ulSize: 12,
            ulClientToken: 5,
            ..Default::default()
        };
        // SAFETY: a full struct, through the sink's own interface.
        unsafe { sink.to_interface().Notify(&raw) };
        assert_eq!(sink.0.load(Ordering::Relaxed), 5);
    }

    #[test]
    fn renamed_runtime_advise_sink_works() {
        use outlook_sink::advise_sink::AdviseSink;
        let sink = AdviseSink::new(AdviseCounter(AtomicU32::new(0)));
        // SAFETY: all-zero is a valid NOTIFICATION (an event type of 0, null pointers).
        let mut notifications: [sys::NOTIFICATION; 2] = unsafe { core::mem::zeroed() };
        // SAFETY: two whole notifications with no pointers, through the sink's own interface.
        assert_eq!(
            unsafe { sink.to_interface().OnNotify(2, notifications.as_mut_ptr()) },
            0
        );
        assert_eq!(sink.0.load(Ordering::Relaxed), 2);
    }
}
