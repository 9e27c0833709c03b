//! The report: one line per step or check, the time since start first, and the verdict last.
//! Printed as it goes (so a person, or the supervising process, sees where a run stopped) and
//! kept, for a test that asserts on it.

use crate::watchdog::Watchdog;
use std::time::{Duration, Instant};
use windows::core::HRESULT;

/// The exit codes of `outlook-sim`, and [`Report::exit_code`]'s.
pub const EXIT_PASS: i32 = 0;
/// A check failed.
pub const EXIT_FAIL: i32 = 1;
/// Bad arguments.
pub const EXIT_USAGE: i32 = 2;
/// The add-in crashed the process (a panic across a COM boundary aborts it, as in Outlook).
pub const EXIT_CRASH: i32 = 3;
/// A call into the add-in did not return within the timeout (Outlook would hang too).
pub const EXIT_HANG: i32 = 4;

/// Outlook 2013 and later disable an add-in that takes longer than this to start or to shut
/// down.
pub const OUTLOOK_LIMIT: Duration = Duration::from_millis(1000);

/// What a run of [`Simulation`](crate::Simulation) saw: every line, the failed checks, and the
/// add-in's start-up and shut-down times.
pub struct Report {
    start: Instant,
    lines: Vec<String>,
    failures: Vec<String>,
    pub(crate) startup: Option<Duration>,
    pub(crate) shutdown: Option<Duration>,
    pub(crate) watchdog: Watchdog,
}

impl Report {
    pub(crate) fn new(timeout: Duration) -> Report {
        Report {
            start: Instant::now(),
            lines: Vec::new(),
            failures: Vec::new(),
            startup: None,
            shutdown: None,
            watchdog: Watchdog::start(timeout),
        }
    }

    /// Every line, in order, without the time.
    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// The failed checks: empty when the add-in passed.
    pub fn failures(&self) -> &[String] {
        &self.failures
    }

    /// Whether every check passed.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }

    /// `outlook-sim`'s exit code for this run: [`EXIT_PASS`] or [`EXIT_FAIL`].
    pub fn exit_code(&self) -> i32 {
        if self.passed() {
            EXIT_PASS
        } else {
            EXIT_FAIL
        }
    }

    /// From the DLL's load to `OnStartupComplete`'s return (to `OnConnection`'s for an add-in
    /// connected after start-up), for the first connection, when the run got that far.
    pub fn startup(&self) -> Option<Duration> {
        self.startup
    }

    /// From the connection's end (`OnBeginShutdown`, `OnDisconnection`, or under fast shutdown
    /// the release itself) to the add-in's release, for the last connection that got that far.
    pub fn shutdown(&self) -> Option<Duration> {
        self.shutdown
    }

    pub(crate) fn line(&mut self, text: impl Into<String>) {
        let text = text.into();
        let ms = self.start.elapsed().as_secs_f64() * 1e3;
        println!("{ms:>9.3} ms  {text}");
        self.lines.push(text);
    }

    /// A step that returned an HRESULT.
    pub(crate) fn call(&mut self, what: &str, code: HRESULT) -> bool {
        self.line(format!("{what} -> {}", name(code)));
        code.is_ok()
    }

    /// A call into the add-in, under the watchdog, with how long it took.
    pub(crate) fn timed(&mut self, what: &str, call: impl FnOnce() -> HRESULT) -> HRESULT {
        let start = Instant::now();
        let code = self.watchdog.watch(what, call);
        let took = start.elapsed().as_secs_f64() * 1e3;
        self.line(format!("{what} -> {} in {took:.3} ms", name(code)));
        code
    }

    pub(crate) fn check(&mut self, ok: bool, what: &str, failure: impl FnOnce() -> String) {
        if ok {
            self.line(format!("check ok:   {what}"));
        } else {
            self.fail_check(what, failure());
        }
    }

    fn fail_check(&mut self, what: &str, failure: String) {
        self.line(format!("check FAIL: {what}: {failure}"));
        self.failures.push(format!("{what}: {failure}"));
    }

    pub(crate) fn fail(&mut self, what: String) {
        self.line(format!("FAIL: {what}"));
        self.failures.push(what);
    }

    /// The check of a start-up or shut-down time against Outlook's limit.
    pub(crate) fn check_time(&mut self, what: &str, took: Duration) {
        let ms = took.as_secs_f64() * 1e3;
        if took <= OUTLOOK_LIMIT {
            self.line(format!(
                "check ok:   {what} took {ms:.1} ms, within 1000 ms"
            ));
        } else {
            self.fail_check(
                &format!("{what} took {ms:.1} ms"),
                "over 1000 ms: Outlook 2013 and later disable an add-in this slow; move the \
                 work to a thread of the add-in's own (not to a message after start-up: the \
                 main thread is Outlook's UI thread then, and blocking it freezes Outlook)"
                    .into(),
            );
        }
    }

    /// The verdict, last: PASS, or FAIL with every failure.
    pub(crate) fn verdict(&mut self, name: &str) {
        if self.failures.is_empty() {
            self.line(format!(
                "PASS: {name}: run as classic Outlook runs an add-in; every judgment of what \
                 Outlook suffers from passed"
            ));
        } else {
            let count = self.failures.len();
            self.line(format!("FAIL: {name}: {count} problem(s):"));
            for failure in &self.failures {
                println!("      - {failure}");
            }
        }
    }
}

/// `0x80004005 (E_FAIL)`: the number, and the name `sys::hresult_name` knows.
pub(crate) fn name(code: HRESULT) -> String {
    match mapi_notify_sink::sys::hresult_name(code) {
        Some(known) => format!("{:#010X} ({known})", code.0 as u32),
        None => format!("{:#010X}", code.0 as u32),
    }
}
