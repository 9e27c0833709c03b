//! The library's log file at the level the author chose: this test program is an add-in module
//! of its own, `#[outlook_addin(.., log_level = "debug")]`, with no logger of its own, so the
//! first call into an export starts the library's file log (Windows; under Wine by
//! `scripts/test-windows.sh`). `addin_log_off.rs` is the same with `log = false`.
#![cfg(windows)]

use mapi_notify_sink::addin::{outlook_addin, Outlook};
use mapi_notify_sink::Result;
use std::path::PathBuf;
use windows_core::HRESULT;

extern "system" {
    fn DllCanUnloadNow() -> HRESULT;
}

#[derive(Default)]
pub struct Verbose;

#[outlook_addin(
    clsid = "5C0E5F0B-8E4A-4B7C-9B7E-2F3A4D5E6F71",
    progid = "MapiNotifySink.TestLogLevel",
    name = "Log level probe",
    description = "The add-in library's tests: log_level",
    log_level = "debug"
)]
impl Verbose {
    fn on_connection(&self, _outlook: &Outlook) -> Result<()> {
        Ok(())
    }
}

/// The add-in's log file: `%LOCALAPPDATA%\<ProgID>\addin-<bits>.log`.
fn log_file(progid: &str) -> PathBuf {
    let base = std::env::var_os("LOCALAPPDATA").expect("Windows (and Wine) set LOCALAPPDATA");
    PathBuf::from(base)
        .join(progid)
        .join(format!("addin-{}.log", usize::BITS))
}

#[test]
fn the_file_logs_at_the_attributes_level() {
    assert!(
        std::env::var_os("MAPI_NOTIFY_SINK_LOG").is_none(),
        "the environment's level would win over the attribute's"
    );
    let path = log_file("MapiNotifySink.TestLogLevel");
    let _ = std::fs::remove_file(&path);
    // SAFETY: no arguments. The first call into the DLL: it starts the log.
    assert_eq!(unsafe { DllCanUnloadNow() }, HRESULT(0));
    let log = std::fs::read_to_string(&path).expect("the library made its log file");
    assert!(
        log.contains(&format!("{}-bit, mapi-notify-sink ", usize::BITS))
            && log.contains("log level DEBUG"),
        "the run's first line: {log}"
    );
    assert!(
        log.contains("DEBUG  DllCanUnloadNow: 0 object(s) and 0 lock(s) alive"),
        "a debug record, which the default level would leave out: {log}"
    );
}
