//! The watchdog: every call into the add-in runs under it, and one that does not return within
//! the timeout ends the run with a verdict naming the call (exit code 4), as Outlook would hang
//! on it. A thread of its own checks the call in progress; the calls themselves run on the main
//! thread, which is the add-in's (it may be stuck forever: only ending the process gets it
//! back).

use crate::report::EXIT_HANG;
use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The call in progress, for the watchdog's thread.
struct Watched {
    call: Option<(String, Instant)>,
    /// The run is over: the thread ends.
    done: bool,
}

/// Watches the calls of one run.
pub(crate) struct Watchdog {
    shared: Arc<(Mutex<Watched>, Condvar)>,
    timeout: Duration,
}

impl Watchdog {
    pub(crate) fn start(timeout: Duration) -> Watchdog {
        let shared = Arc::new((
            Mutex::new(Watched {
                call: None,
                done: false,
            }),
            Condvar::new(),
        ));
        let watched = shared.clone();
        std::thread::Builder::new()
            .name("outlook-sim watchdog".into())
            .spawn(move || watch(&watched, timeout))
            .expect("the watchdog thread starts");
        Watchdog { shared, timeout }
    }

    /// Watches a call that is made outside a closure (it needs the report): until [`end`](Self::end).
    pub(crate) fn begin(&self, what: &str) {
        self.set(Some((what.to_owned(), Instant::now())));
    }

    /// The call [`begin`](Self::begin) named returned.
    pub(crate) fn end(&self) {
        self.set(None);
    }

    /// Runs `call` (named `what`) under the watchdog.
    pub(crate) fn watch<R>(&self, what: &str, call: impl FnOnce() -> R) -> R {
        self.set(Some((what.to_owned(), Instant::now())));
        let result = call();
        self.set(None);
        result
    }

    /// The timeout, for the report's first line.
    pub(crate) fn timeout(&self) -> Duration {
        self.timeout
    }

    fn set(&self, call: Option<(String, Instant)>) {
        let (state, changed) = &*self.shared;
        state.lock().unwrap_or_else(PoisonError::into_inner).call = call;
        changed.notify_all();
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        let (state, changed) = &*self.shared;
        state.lock().unwrap_or_else(PoisonError::into_inner).done = true;
        changed.notify_all();
    }
}

fn watch(shared: &(Mutex<Watched>, Condvar), timeout: Duration) {
    let (state, changed) = shared;
    let mut watched = state.lock().unwrap_or_else(PoisonError::into_inner);
    loop {
        if watched.done {
            return;
        }
        let Some((call, started)) = watched.call.clone() else {
            watched = changed
                .wait(watched)
                .unwrap_or_else(PoisonError::into_inner);
            continue;
        };
        let elapsed = started.elapsed();
        if elapsed < timeout {
            watched = changed
                .wait_timeout(watched, timeout - elapsed)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
            continue;
        }
        let seconds = timeout.as_secs_f64();
        let mut out = std::io::stdout().lock();
        let _ = writeln!(
            out,
            "FAIL: {call} did not return within {seconds} s (--timeout): the add-in hangs, and \
             Outlook would hang with it"
        );
        let _ = out.flush();
        // Not ExitProcess: it takes the loader lock, which a hung DllMain holds.
        // SAFETY: ends this process.
        unsafe {
            let _ = windows::Win32::System::Threading::TerminateProcess(
                windows::Win32::System::Threading::GetCurrentProcess(),
                EXIT_HANG as u32,
            );
        }
    }
}
