//! The sink Outlook calls on every connection change. It runs on a thread Outlook chooses,
//! possibly while the main thread is busy, so it does nothing but hand the change to the main
//! thread ([`Poster::post`]): no object model, no locks held long, no waiting.

use crate::main_thread::{Change, Poster};
use crate::module::ModuleRef;
use mapi_notify_sink::{mapi_notify_sink, Notification};
use std::sync::Arc;
use windows::Win32::System::Threading::GetCurrentThreadId;

/// What `OfflineManager::advise` is given: the `IMAPIOfflineNotify` of this add-in.
pub struct Watcher {
    main_thread: Arc<Poster>,
    _module: ModuleRef,
}

impl Watcher {
    /// A sink that posts every change to `main_thread`.
    pub fn new(main_thread: Arc<Poster>) -> Self {
        Watcher {
            main_thread,
            _module: ModuleRef::new(),
        }
    }
}

#[mapi_notify_sink]
impl Watcher {
    fn notify(&self, info: &Notification<'_>) {
        // SAFETY: no preconditions.
        let thread = unsafe { GetCurrentThreadId() };
        let Some(change) = info.state_change() else {
            log::debug!(
                "notified: {:?} (not a connection change): ignored",
                info.kind()
            );
            return;
        };
        log::info!(
            "notified: {:?} {:?} -> {:?} (client token {:#x}) on thread {thread:#06x}",
            info.kind(),
            change.old,
            change.new,
            info.client_token()
        );
        self.main_thread.post(Change {
            kind: info.kind(),
            old: change.old,
            new: change.new,
            notified_on: thread,
        });
    }
}
