//! The report: one line per step or check, the time since start first, and the verdict last.

use crate::cli::{EXIT_FAIL, EXIT_PASS};
use std::time::Instant;
use windows::core::HRESULT;

/// The log: one line per step or check, the time since start first.
pub(crate) struct Report {
    pub(crate) start: Instant,
    pub(crate) failures: Vec<String>,
}

impl Report {
    pub(crate) fn line(&self, text: impl AsRef<str>) {
        let ms = self.start.elapsed().as_secs_f64() * 1e3;
        println!("{ms:>9.3} ms  {}", text.as_ref());
    }

    /// A step that returned an HRESULT.
    pub(crate) fn call(&self, what: &str, code: HRESULT) -> bool {
        self.line(format!("{what} -> {}", name(code)));
        code.is_ok()
    }

    pub(crate) fn check(&mut self, ok: bool, what: &str, failure: impl FnOnce() -> String) {
        if ok {
            self.line(format!("check ok:   {what}"));
        } else {
            let failure = failure();
            self.line(format!("check FAIL: {what}: {failure}"));
            self.failures.push(format!("{what}: {failure}"));
        }
    }

    pub(crate) fn fail(&mut self, what: String) {
        self.line(format!("FAIL: {what}"));
        self.failures.push(what);
    }
}

/// The verdict, last: PASS, or FAIL with every failure; returns the exit code.
pub(crate) fn verdict(report: &Report, name: &str) -> i32 {
    if report.failures.is_empty() {
        report.line(format!(
            "PASS: {name}: start-up, transitions and shutdown as Outlook does them; nothing left behind"
        ));
        EXIT_PASS
    } else {
        report.line(format!(
            "FAIL: {name}: {} problem(s):",
            report.failures.len()
        ));
        for failure in &report.failures {
            println!("      - {failure}");
        }
        EXIT_FAIL
    }
}

/// `0x80004005 (E_FAIL)`: the number, and the name `sys::hresult_name` knows.
pub(crate) fn name(code: HRESULT) -> String {
    match mapi_notify_sink::sys::hresult_name(code) {
        Some(known) => format!("{:#010X} ({known})", code.0 as u32),
        None => format!("{:#010X}", code.0 as u32),
    }
}
