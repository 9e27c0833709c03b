//! Moving a change from the thread Outlook notifies on to Outlook's main thread, the thread
//! that called `OnConnection` and the only one where Outlook's object model may be used.
//!
//! The Windows way, as MFCMAPI does it: a message-only window created on the main thread.
//! The sink sends the change through a channel and posts a message to the window; Outlook's
//! own message loop then runs `window_proc` on the main thread, which takes the changes
//! from the channel and hands them to the add-in ([`crate::addin::on_connection_changed`]).
//! Nothing but plain data crosses threads.

use crate::module::ModuleRef;
use mapi_notify_sink::{ConnectionState, NotifyKind};
use std::cell::RefCell;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use windows::core::{w, Result, PCWSTR};
use windows::Win32::Foundation::{HWND, LPARAM, LRESULT, WPARAM};
use windows::Win32::System::Threading::GetCurrentThreadId;
use windows::Win32::UI::WindowsAndMessaging::{
    CreateWindowExW, DefWindowProcW, DestroyWindow, PostMessageW, RegisterClassW, UnregisterClassW,
    HWND_MESSAGE, WINDOW_EX_STYLE, WINDOW_STYLE, WM_APP, WNDCLASSW,
};

/// One connection change, as the sink saw it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Change {
    /// START, the change itself, or DONE.
    pub kind: NotifyKind,
    /// The state before.
    pub old: ConnectionState,
    /// The state after.
    pub new: ConnectionState,
    /// The thread Outlook called the sink on.
    pub notified_on: u32,
}

const WM_CONNECTION_CHANGED: u32 = WM_APP + 1;
const CLASS: PCWSTR = w!("MapiNotifySinkAddin.MainThread");

/// The sink's side: thread-safe, and harmless once the main thread has stopped listening.
pub struct Poster {
    sender: Mutex<Sender<Change>>,
    /// The window's handle, 0 once closed.
    window: AtomicIsize,
}

impl Poster {
    /// Sends `change` to the main thread and wakes it. Never waits for it.
    pub fn post(&self, change: Change) {
        let window = self.window.load(Ordering::Acquire);
        if window == 0 {
            log::debug!("{change:?} arrived after shutdown: dropped");
            return;
        }
        let sent = self
            .sender
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .send(change);
        // SAFETY: posting to a window handle is safe even if the window has just gone (the
        // call then fails, and the change is dropped with the channel).
        let posted = unsafe {
            PostMessageW(
                Some(HWND(window as *mut _)),
                WM_CONNECTION_CHANGED,
                WPARAM(0),
                LPARAM(0),
            )
        };
        if sent.is_err() || posted.is_err() {
            log::warn!("{change:?}: the main thread is gone: dropped");
        }
    }
}

thread_local! {
    /// The main thread's end of the channel, for `window_proc`.
    static INBOX: RefCell<Option<Receiver<Change>>> = const { RefCell::new(None) };
}

/// The main thread's side: the window and the channel. Made and dropped on the main thread.
pub struct MainThread {
    window: HWND,
    thread: u32,
    poster: Arc<Poster>,
    _module: ModuleRef,
}

impl MainThread {
    /// Starts listening on this thread (call it from `OnConnection`).
    pub fn start() -> Result<MainThread> {
        let instance = crate::module::instance();
        let class = WNDCLASSW {
            lpfnWndProc: Some(window_proc),
            hInstance: instance.into(),
            lpszClassName: CLASS,
            ..Default::default()
        };
        // SAFETY: a complete class whose procedure and name live as long as the DLL. A class
        // already registered (a second add-in object) is fine: CreateWindowExW tells.
        unsafe { RegisterClassW(&class) };
        // SAFETY: a message-only window of the class above, on this thread.
        let window = unsafe {
            CreateWindowExW(
                WINDOW_EX_STYLE::default(),
                CLASS,
                PCWSTR::null(),
                WINDOW_STYLE::default(),
                0,
                0,
                0,
                0,
                Some(HWND_MESSAGE),
                None,
                Some(instance.into()),
                None,
            )
        }?;
        let (sender, receiver) = channel();
        INBOX.with(|inbox| *inbox.borrow_mut() = Some(receiver));
        Ok(MainThread {
            window,
            // SAFETY: no preconditions.
            thread: unsafe { GetCurrentThreadId() },
            poster: Arc::new(Poster {
                sender: Mutex::new(sender),
                window: AtomicIsize::new(window.0 as isize),
            }),
            _module: ModuleRef::new(),
        })
    }

    /// What the sink posts through.
    pub fn poster(&self) -> Arc<Poster> {
        self.poster.clone()
    }

    /// The thread that listens (the one that called `OnConnection`).
    pub fn thread(&self) -> u32 {
        self.thread
    }
}

impl Drop for MainThread {
    /// Stops listening: later posts are dropped, the window and its class go (a class whose
    /// procedure is in an unloaded DLL would crash the next caller).
    fn drop(&mut self) {
        self.poster.window.store(0, Ordering::Release);
        // SAFETY: our window, destroyed on the thread that made it.
        if let Err(error) = unsafe { DestroyWindow(self.window) } {
            log::warn!("DestroyWindow: {error}");
        }
        let left = INBOX.with(|inbox| {
            inbox
                .borrow_mut()
                .take()
                .map_or(0, |r| r.try_iter().count())
        });
        if left > 0 {
            log::info!("{left} change(s) still queued at shutdown: dropped");
        }
        // SAFETY: our class; fails harmlessly if another window of it still exists.
        let _ = unsafe { UnregisterClassW(CLASS, Some(crate::module::instance().into())) };
    }
}

/// Runs on the main thread, from Outlook's message loop.
unsafe extern "system" fn window_proc(
    window: HWND,
    message: u32,
    wparam: WPARAM,
    lparam: LPARAM,
) -> LRESULT {
    if message != WM_CONNECTION_CHANGED {
        // SAFETY: the default handling of a message we were given.
        return unsafe { DefWindowProcW(window, message, wparam, lparam) };
    }
    let _ = crate::module::guard("window_proc", || {
        let changes: Vec<Change> = INBOX.with(|inbox| {
            inbox
                .borrow()
                .as_ref()
                .map(|r| r.try_iter().collect())
                .unwrap_or_default()
        });
        for change in changes {
            crate::addin::on_connection_changed(change);
        }
        windows::Win32::Foundation::S_OK
    });
    LRESULT(0)
}
