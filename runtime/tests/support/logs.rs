//! The `log` records made on the current thread while a closure runs ([`capture_logs`]).
//!
//! Shared by the runtime's behaviour tests (`runtime/tests/support`) and the simulator and
//! manager tests (`tests/tests/support`, through `#[path]`): one test binary, one logger.

use std::cell::RefCell;
use std::sync::Once;

/// The records one [`capture_logs`] call saw, in order.
#[derive(Debug, Default)]
pub struct Logged(pub Vec<(log::Level, String)>);

impl Logged {
    /// The messages logged at `level`, in order.
    pub fn at(&self, level: log::Level) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(logged, _)| *logged == level)
            .map(|(_, message)| message.as_str())
            .collect()
    }
}

thread_local! {
    static THREAD_RECORDS: RefCell<Vec<(log::Level, String)>> = const { RefCell::new(Vec::new()) };
}

/// The logger is global and the tests run in parallel, so each record goes to the thread that
/// made it; `Notify`, `Release` and the code they run log on the caller's thread.
struct PerThreadLogger;

impl log::Log for PerThreadLogger {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        let entry = (record.level(), record.args().to_string());
        // A record made while the thread's storage is being torn down, or from inside a
        // `capture_logs` bookkeeping borrow, is dropped rather than panicking in the logger.
        let _ = THREAD_RECORDS.try_with(|records| {
            if let Ok(mut records) = records.try_borrow_mut() {
                records.push(entry);
            }
        });
    }

    fn flush(&self) {}
}

/// Runs `f` and returns what this thread logged while it ran.
pub fn capture_logs<R>(f: impl FnOnce() -> R) -> (R, Logged) {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        log::set_logger(&PerThreadLogger).expect("no other logger in this test binary");
        log::set_max_level(log::LevelFilter::Trace);
    });
    THREAD_RECORDS.with(|records| records.borrow_mut().clear());
    let result = f();
    let logged = THREAD_RECORDS.with(|records| records.take());
    (result, Logged(logged))
}
