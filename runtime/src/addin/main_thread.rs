//! [`MainThread`]: work handed from any thread to the thread that ran `OnConnection`, Outlook's
//! main thread, the only one where Outlook's object model may be used.
//!
//! The Windows way, as MFCMAPI does it: a message-only window, made on the main thread at the
//! first [`Outlook::main_thread`](super::Outlook::main_thread) of a connection. `post` queues
//! the value and, when no message for this handler is on its way already, posts one to the
//! window; Outlook's own message loop then runs `window_proc` on the main thread, which hands
//! the values queued by then to the handler, one by one, with no lock held. So a burst of posts
//! costs a message or two (one more is posted while values wait behind the one running), not
//! one per value: the thread's queue (10,000 messages, shared with Outlook's own UI) never
//! fills with ours. What is posted while the handler runs gets a
//! message of its own, so the message loop turns between batches. Only the values cross
//! threads: the handler, and the window's list of handlers, stay on the main thread. At
//! disconnection the library closes the window: later posts drop their value, and say so in
//! the log.

use super::module::Alive;
use super::win32::{self, HWND, LPARAM, LRESULT, WPARAM};
use crate::com::{self, OnPanic};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

/// The message `post` sends; its `wParam` is the handler's index in its window's list. In the
/// range a window class may use for its own messages (`WM_APP` to 0xBFFF; 0xC000 and up are
/// `RegisterWindowMessage`'s).
const WM_MAIN_THREAD: u32 = win32::WM_APP + 0x0d4e;
const _: () = assert!(WM_MAIN_THREAD >= win32::WM_APP && WM_MAIN_THREAD <= 0xBFFF);
/// The window class, one per DLL (a class belongs to the module that registers it).
const CLASS: &[u16] = &utf16::<26>("MapiNotifySink.MainThread");

const fn utf16<const N: usize>(text: &str) -> [u16; N] {
    let bytes = text.as_bytes();
    let mut units = [0u16; N];
    let mut i = 0;
    while i < bytes.len() {
        units[i] = bytes[i] as u16;
        i += 1;
    }
    units
}

/// A handle for running `handler(value)` on Outlook's main thread, from any thread: made by
/// [`Outlook::main_thread`](super::Outlook::main_thread) in `on_connection`. Cloning it gives
/// another handle to the same handler.
///
/// ```no_run
/// # #[cfg(windows)] {
/// use mapi_notify_sink::addin::{MainThread, Outlook};
///
/// fn start(outlook: &Outlook) -> MainThread<String> {
///     // On the main thread, later: where Outlook's object model may be used.
///     let main_thread = outlook.main_thread(|text: String| log::info!("on the main thread: {text}"));
///     let poster = main_thread.clone();
///     std::thread::spawn(move || poster.post("from another thread".into()));
///     main_thread
/// }
/// # }
/// ```
pub struct MainThread<T: Send + 'static> {
    queue: Arc<Queue<T>>,
}

/// What the handles share: the queued values, and the window to wake (null once closed).
struct Queue<T> {
    state: Mutex<Queued<T>>,
    window: AtomicPtr<core::ffi::c_void>,
    /// The handler's index in its window's list: the message's `wParam`.
    index: usize,
}

struct Queued<T> {
    values: VecDeque<T>,
    /// A message for these values is on its way to the window (or its batch is running): a
    /// post need not send another.
    woken: bool,
}

impl<T: Send + 'static> MainThread<T> {
    /// Queues `value` for the handler and returns at once, from any thread. After the add-in
    /// disconnected, the value is dropped and the log says so.
    pub fn post(&self, value: T) {
        match self.queue.enqueue(value) {
            Err(value) => {
                drop(value);
                log::info!(
                    "MainThread<{}>::post after disconnection: the value was dropped",
                    core::any::type_name::<T>()
                );
            }
            Ok(Some(window)) => {
                self.queue.wake(window);
            }
            // A message is on its way already: it will take this value too.
            Ok(None) => {}
        }
    }

    /// `post` for the library's own use, when nothing else will ever wake the handler: `false`
    /// (and the value taken back and dropped) when no message is on its way for it, because
    /// the window was never made or is closed, or `PostMessage` failed.
    pub(crate) fn post_and_wake(&self, value: T) -> bool {
        match self.queue.enqueue(value) {
            Err(_) => false,
            Ok(Some(window)) if !self.queue.wake(window) => {
                let taken = self.queue.lock().values.pop_back();
                drop(taken);
                false
            }
            Ok(_) => true,
        }
    }
}

impl<T: Send + 'static> Clone for MainThread<T> {
    fn clone(&self) -> Self {
        MainThread {
            queue: self.queue.clone(),
        }
    }
}

impl<T: Send + 'static> core::fmt::Debug for MainThread<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let open = !self.queue.window.load(Ordering::Acquire).is_null();
        f.debug_struct("MainThread").field("open", &open).finish()
    }
}

impl<T> Queue<T> {
    fn lock(&self) -> std::sync::MutexGuard<'_, Queued<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues `value`, or gives it back once the window is closed; `Some(window)` when no
    /// message is on its way for the queue yet, and one must be posted to `window`. The window
    /// is read under the lock `close` takes after clearing it: a value queued here is either
    /// dropped by `close` or refused now, never left behind.
    fn enqueue(&self, value: T) -> Result<Option<HWND>, T> {
        let mut queued = self.lock();
        let window = self.window.load(Ordering::Acquire);
        if window.is_null() {
            return Err(value);
        }
        queued.values.push_back(value);
        Ok((!core::mem::replace(&mut queued.woken, true)).then_some(window))
    }

    /// Posts the one message that runs the queued values. When it cannot be posted (the
    /// thread's queue is full, the window gone), nothing is on its way: the values stay queued
    /// for the next post to try again, or for `close` to drop.
    /// Whether the message was posted.
    fn wake(&self, window: HWND) -> bool {
        // SAFETY: posting to a window handle is safe even if the window has just gone (the call
        // then fails).
        if unsafe { win32::PostMessageW(window, WM_MAIN_THREAD, self.index, 0) } != 0 {
            return true;
        }
        let error = std::io::Error::last_os_error();
        let waiting = {
            let mut queued = self.lock();
            queued.woken = false;
            queued.values.len()
        };
        if self.window.load(Ordering::Acquire).is_null() {
            // Closed meanwhile (a post racing the disconnection): `close` drops what waits.
            return false;
        }
        com::log_contained(|| {
            log::warn!(
                "MainThread<{}>::post: PostMessage failed ({error}); {waiting} value(s) wait for \
                 the next post",
                core::any::type_name::<T>()
            )
        });
        false
    }
}

/// A handler on the main thread, type-erased for its window's list.
trait Handler {
    /// Runs the handler on every value queued so far.
    fn drain(&self);
    /// Stops: later posts drop their value; what is still queued is dropped now.
    fn close(&self);
}

struct Receiver<T, F> {
    queue: Arc<Queue<T>>,
    handler: F,
}

impl<T: Send + 'static, F: Fn(T) + 'static> Handler for Receiver<T, F> {
    fn drain(&self) {
        // This message is taken: the values queued by now are this batch's, and what is
        // queued later gets a message of its own, so Outlook's loop turns between batches.
        let batch = {
            let mut queued = self.queue.lock();
            queued.woken = false;
            queued.values.len()
        };
        let window = self.queue.window.load(Ordering::Acquire);
        for _ in 0..batch {
            // One value at a time, popped in a statement of its own: the guard is dropped here,
            // before the handler runs (which may post, or pump messages). In a `while let`
            // scrutinee it would live to the end of the loop's body.
            let (next, wake) = {
                let mut queued = self.queue.lock();
                let next = queued.values.pop_front();
                // Values wait behind this one: a message on its way for them, so that a
                // handler's modal loop (a dialog) runs them meanwhile.
                let wake =
                    !queued.values.is_empty() && !core::mem::replace(&mut queued.woken, true);
                (next, wake)
            };
            if wake && !window.is_null() {
                let _ = self.queue.wake(window);
            }
            let Some(value) = next else { break };
            let ran = com::contain(
                OnPanic::Log,
                core::any::type_name::<F>(),
                "a main-thread handler",
                || (self.handler)(value),
            );
            if ran.is_none() {
                com::log_contained(|| {
                    log::warn!("a main-thread handler panicked; the next value still runs")
                });
            }
        }
    }

    fn close(&self) {
        self.queue
            .window
            .store(core::ptr::null_mut(), Ordering::Release);
        let taken = core::mem::take(&mut self.queue.lock().values);
        // Dropped after the lock (a value's `Drop` is the author's code, and may post), one by
        // one, each contained: a panic in one leaves the rest of the disconnection to run.
        let left = taken.len();
        for value in taken {
            let _ = com::contain(
                OnPanic::Log,
                core::any::type_name::<T>(),
                "dropping a value queued at disconnection",
                || drop(value),
            );
        }
        if left > 0 {
            log::info!(
                "{left} value(s) for a MainThread<{}> still queued at disconnection: dropped",
                core::any::type_name::<T>()
            );
        }
    }
}

/// The main-thread side of one connection: its window (made at the first handler) and its
/// handlers. Lives on the main thread only.
pub(crate) struct Windows {
    window: Cell<HWND>,
    handlers: RefCell<Vec<Rc<dyn Handler>>>,
    alive: RefCell<Option<Alive>>,
}

// Written out: `Default` for raw pointers (`HWND`) is newer than the MSRV.
impl Default for Windows {
    fn default() -> Self {
        Windows {
            window: Cell::new(core::ptr::null_mut()),
            handlers: RefCell::default(),
            alive: RefCell::default(),
        }
    }
}

thread_local! {
    /// The open windows of this thread and their handler lists, for `window_proc`.
    static OPEN: RefCell<Vec<(HWND, Rc<Windows>)>> = const { RefCell::new(Vec::new()) };
}

impl Windows {
    /// A new handler on this window (made now if it is the first).
    pub(crate) fn add<T: Send + 'static>(
        self: &Rc<Self>,
        handler: impl Fn(T) + 'static,
    ) -> MainThread<T> {
        let window = self.window();
        let queue = Arc::new(Queue {
            state: Mutex::new(Queued {
                values: VecDeque::new(),
                woken: false,
            }),
            window: AtomicPtr::new(window),
            index: self.handlers.borrow().len(),
        });
        let receiver: Rc<dyn Handler> = Rc::new(Receiver {
            queue: queue.clone(),
            handler,
        });
        self.handlers.borrow_mut().push(receiver);
        MainThread { queue }
    }

    /// The window, made on this thread the first time (null when it cannot be made: posts then
    /// drop their values, with a warning).
    fn window(self: &Rc<Self>) -> HWND {
        if !self.window.get().is_null() {
            return self.window.get();
        }
        let instance = super::module::instance();
        let class = win32::WNDCLASSW {
            lpfnWndProc: Some(window_proc),
            hInstance: instance,
            lpszClassName: CLASS.as_ptr(),
            ..Default::default()
        };
        // SAFETY: a complete class whose procedure and name live as long as the DLL. A class
        // already registered (by an earlier connection) is fine: CreateWindowExW tells.
        unsafe { win32::RegisterClassW(&class) };
        // SAFETY: a message-only window of the class above, on this thread.
        let window = unsafe {
            win32::CreateWindowExW(
                0,
                CLASS.as_ptr(),
                core::ptr::null(),
                0,
                0,
                0,
                0,
                0,
                win32::HWND_MESSAGE,
                core::ptr::null_mut(),
                instance,
                core::ptr::null(),
            )
        };
        if window.is_null() {
            log::error!("CreateWindowExW failed: main-thread work cannot be delivered");
            return window;
        }
        self.window.set(window);
        *self.alive.borrow_mut() = Some(Alive::new());
        OPEN.with(|open| open.borrow_mut().push((window, self.clone())));
        window
    }

    /// At disconnection: every handler stops, the window and its class go (a class whose
    /// procedure is in an unloaded DLL would crash the next caller).
    pub(crate) fn close(&self) {
        // Out of the `RefCell` first: closing drops the author's queued values, and the last
        // handler its closure, whose `Drop` may reach this list again.
        let handlers = self.handlers.take();
        for handler in &handlers {
            handler.close();
        }
        drop(handlers);
        let window = self.window.replace(core::ptr::null_mut());
        if window.is_null() {
            return;
        }
        // Likewise: the entry is dropped after the borrow.
        let closed = OPEN.with(|open| {
            let mut open = open.borrow_mut();
            let index = open.iter().position(|(open, _)| *open == window);
            index.map(|index| open.remove(index))
        });
        drop(closed);
        // SAFETY: our window, destroyed on the thread that made it.
        if unsafe { win32::DestroyWindow(window) } == 0 {
            log::warn!("DestroyWindow of the main-thread window failed");
        }
        // SAFETY: our class; fails harmlessly while another window of it exists.
        unsafe { win32::UnregisterClassW(CLASS.as_ptr(), super::module::instance()) };
        self.alive.borrow_mut().take();
    }
}

/// Runs on the main thread, from Outlook's message loop.
unsafe extern "system" fn window_proc(
    window: HWND,
    message: u32,
    wparam: WPARAM,
    lparam: LPARAM,
) -> LRESULT {
    if message != WM_MAIN_THREAD {
        // SAFETY: the default handling of a message we were given.
        return unsafe { win32::DefWindowProcW(window, message, wparam, lparam) };
    }
    // Nothing unwinds into Outlook's message loop: the handlers are contained one by one
    // (`drain`), and this guards the rest, logging included.
    let _ = com::contain(OnPanic::Log, "MainThread", "the main-thread window", || {
        // Out of the borrows before it runs: a handler may post, or make another handler.
        let handler = OPEN.with(|open| {
            let open = open.borrow();
            let windows = open.iter().find(|(open, _)| *open == window)?.1.clone();
            let handler = windows.handlers.borrow().get(wparam).cloned();
            handler
        });
        if let Some(handler) = handler {
            handler.drain();
        }
    });
    0
}
