//! The report: one line per step or check, the time since start first, and the verdict last.
//! Printed as it goes (so a person, or the supervising process, sees where a run stopped) and
//! kept, for a test that asserts on it.

#[cfg(windows)]
use crate::watchdog::Watchdog;
#[cfg(windows)]
use std::path::PathBuf;
use std::time::Duration;
#[cfg(windows)]
use std::time::Instant;
#[cfg(windows)]
use windows_core::HRESULT;

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

/// What a run of [`Simulation`](crate::Simulation) saw: every line, the failed checks, the
/// add-in's start-up and shut-down times, and what the add-in logged. Displays as its checks
/// and the verdict (`assert!(report.passed(), "{report}")`).
///
/// ```no_run
/// let report = outlook_sim::Simulation::this_crate().run();
/// println!("{report}");
/// for line in report.addin_log() {
///     println!("the add-in said: {line}");
/// }
/// assert_eq!(report.exit_code(), outlook_sim::EXIT_PASS);
/// ```
pub struct Report {
    #[cfg(windows)]
    start: Instant,
    pub(crate) lines: Vec<String>,
    pub(crate) failures: Vec<String>,
    pub(crate) startup: Option<Duration>,
    pub(crate) shutdown: Option<Duration>,
    pub(crate) new_mail_delivered: Option<usize>,
    pub(crate) addin_log: Vec<String>,
    /// In-process: the add-in's log file and its size when the add-in was found.
    #[cfg(windows)]
    log_from: Option<(PathBuf, u64)>,
    /// The host process's exit code, for a run in a process of its own.
    pub(crate) exit_code: Option<i32>,
    #[cfg(windows)]
    pub(crate) watchdog: Option<Watchdog>,
}

impl Report {
    /// A report of a run in this process, its calls watched.
    #[cfg(windows)]
    pub(crate) fn new(timeout: Duration) -> Report {
        Report {
            watchdog: Some(Watchdog::start(timeout)),
            ..Report::empty()
        }
    }

    /// A report to fill from a host process's output.
    pub(crate) fn empty() -> Report {
        Report {
            #[cfg(windows)]
            start: Instant::now(),
            lines: Vec::new(),
            failures: Vec::new(),
            startup: None,
            shutdown: None,
            new_mail_delivered: None,
            addin_log: Vec::new(),
            #[cfg(windows)]
            log_from: None,
            exit_code: None,
            #[cfg(windows)]
            watchdog: None,
        }
    }

    /// The watchdog of a run in this process.
    #[cfg(windows)]
    pub(crate) fn watchdog(&self) -> &Watchdog {
        self.watchdog
            .as_ref()
            .expect("a run in this process has a watchdog")
    }

    /// Every line, in order, without the time.
    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// The failed checks: empty when the add-in passed.
    pub fn failures(&self) -> &[String] {
        &self.failures
    }

    /// Whether every check passed (and, for a host in a process of its own, it printed PASS and
    /// ended cleanly).
    pub fn passed(&self) -> bool {
        self.failures.is_empty() && self.exit_code.is_none_or(|code| code == EXIT_PASS)
    }

    /// `outlook-sim`'s exit code for this run: [`EXIT_PASS`], [`EXIT_FAIL`], and for a host in
    /// a process of its own also [`EXIT_USAGE`], [`EXIT_CRASH`] or [`EXIT_HANG`].
    pub fn exit_code(&self) -> i32 {
        match self.exit_code {
            Some(code) => code,
            None if self.passed() => EXIT_PASS,
            None => EXIT_FAIL,
        }
    }

    /// The add-in's log lines of this run only (each as the add-in wrote it: the time since its
    /// DLL loaded, the thread, the level, the text). For a run in a process of its own (as
    /// [`this_crate`](crate::Simulation::this_crate) makes), the log of a `%LOCALAPPDATA%` of
    /// the run's own, both bitnesses' files, crash or not; in this process, the lines the
    /// add-in's log file (`%LOCALAPPDATA%\<ProgID>\addin-64.log`) gained from the add-in's
    /// load to the verdict, read when the ProgID is known (not with [`dll`](crate::Simulation::dll)).
    pub fn addin_log(&self) -> &[String] {
        &self.addin_log
    }

    /// From the DLL's load to `OnStartupComplete`'s return (to `OnConnection`'s for an add-in
    /// connected after start-up), for the first connection, when the run got that far.
    pub fn startup(&self) -> Option<Duration> {
        self.startup
    }

    /// With [`new_mail`](crate::Simulation::new_mail): how many `fnevNewMail` notifications
    /// reached the add-in's sinks (all connections together), for the last connection.
    pub fn new_mail_delivered(&self) -> Option<usize> {
        self.new_mail_delivered
    }

    /// From the connection's end (`OnBeginShutdown`, `OnDisconnection`, or under fast shutdown
    /// the release itself) to the add-in's release, for the last connection that got that far.
    pub fn shutdown(&self) -> Option<Duration> {
        self.shutdown
    }

    /// Notes where the add-in whose ProgID is `progid` logs, and how much is there already
    /// (the runtime's rule: `%LOCALAPPDATA%\<ProgID>\addin-64.log`, `%TEMP%` without it).
    #[cfg(windows)]
    pub(crate) fn log_from(&mut self, progid: &str) {
        let base = std::env::var_os("LOCALAPPDATA")
            .or_else(|| std::env::var_os("TEMP"))
            .unwrap_or_else(|| ".".into());
        let path = PathBuf::from(base)
            .join(progid)
            .join(format!("addin-{}.log", usize::BITS));
        let size = std::fs::metadata(&path).map_or(0, |meta| meta.len());
        self.log_from = Some((path, size));
    }

    /// Reads what the add-in logged since [`log_from`](Self::log_from).
    #[cfg(windows)]
    pub(crate) fn read_addin_log(&mut self) {
        let Some((path, size)) = &self.log_from else {
            return;
        };
        let Ok(bytes) = std::fs::read(path) else {
            return;
        };
        // A shorter file was set aside and started again: all of it is this run's.
        let from = if (bytes.len() as u64) < *size {
            0
        } else {
            *size as usize
        };
        self.addin_log = log_lines(&bytes[from..]);
    }

    #[cfg(windows)]
    pub(crate) fn line(&mut self, text: impl Into<String>) {
        let text = text.into();
        let ms = self.start.elapsed().as_secs_f64() * 1e3;
        println!("{ms:>9.3} ms  {text}");
        self.lines.push(text);
    }

    /// A step that returned an HRESULT.
    #[cfg(windows)]
    pub(crate) fn call(&mut self, what: &str, code: HRESULT) -> bool {
        self.line(format!("{what} -> {}", name(code)));
        code.is_ok()
    }

    /// A call into the add-in, under the watchdog, with how long it took.
    #[cfg(windows)]
    pub(crate) fn timed(&mut self, what: &str, call: impl FnOnce() -> HRESULT) -> HRESULT {
        let start = Instant::now();
        let code = self.watchdog().watch(what, call);
        let took = start.elapsed().as_secs_f64() * 1e3;
        self.line(format!("{what} -> {} in {took:.3} ms", name(code)));
        code
    }

    #[cfg(windows)]
    pub(crate) fn check(&mut self, ok: bool, what: &str, failure: impl FnOnce() -> String) {
        if ok {
            self.line(format!("check ok:   {what}"));
        } else {
            self.fail_check(what, failure());
        }
    }

    #[cfg(windows)]
    fn fail_check(&mut self, what: &str, failure: String) {
        self.line(format!("check FAIL: {what}: {failure}"));
        self.failures.push(format!("{what}: {failure}"));
    }

    #[cfg(windows)]
    pub(crate) fn fail(&mut self, what: String) {
        self.line(format!("FAIL: {what}"));
        self.failures.push(what);
    }

    /// The check of a start-up or shut-down time against Outlook's limit.
    #[cfg(windows)]
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
    #[cfg(windows)]
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
#[cfg(windows)]
pub(crate) fn name(code: HRESULT) -> String {
    match mapi_notify_sink::sys::hresult_name(code) {
        Some(known) => format!("{:#010X} ({known})", code.0 as u32),
        None => format!("{:#010X}", code.0 as u32),
    }
}

/// A log file's lines, without their line ends; bytes that are not UTF-8 replaced.
pub(crate) fn log_lines(bytes: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(|line| line.trim_end_matches('\r').to_owned())
        .filter(|line| !line.is_empty())
        .collect()
}

/// The checks, then the verdict; a failed run's failures last.
impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for line in &self.lines {
            if line.starts_with("check ")
                || line.starts_with("PASS: ")
                || line.starts_with("FAIL: ")
            {
                writeln!(f, "{line}")?;
            }
        }
        if !self.passed() {
            writeln!(f, "exit code {}; the failures:", self.exit_code())?;
            for failure in &self.failures {
                writeln!(f, "  - {failure}")?;
            }
        }
        Ok(())
    }
}

impl std::fmt::Debug for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Report")
            .field("exit_code", &self.exit_code())
            .field("failures", &self.failures)
            .field("startup", &self.startup)
            .field("shutdown", &self.shutdown)
            .field("lines", &self.lines.len())
            .field("addin_log", &self.addin_log.len())
            .finish()
    }
}
