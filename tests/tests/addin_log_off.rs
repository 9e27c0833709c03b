//! `#[outlook_addin(.., log = false)]`: the library starts no log file of its own, and its
//! records go to the logger the author installs, even after an export was called. This test
//! program is an add-in module of its own (Windows; under Wine by `scripts/test-windows.sh`).
#![cfg(windows)]

use mapi_notify_sink::addin::{outlook_addin, Outlook};
use mapi_notify_sink::Result;
use std::path::PathBuf;
use std::sync::Mutex;
use windows_core::{GUID, HRESULT};

extern "system" {
    fn DllCanUnloadNow() -> HRESULT;
    fn DllGetClassObject(
        clsid: *const GUID,
        iid: *const GUID,
        out: *mut *mut core::ffi::c_void,
    ) -> HRESULT;
}

#[derive(Default)]
pub struct Quiet;

#[outlook_addin(
    clsid = "5C0E5F0B-8E4A-4B7C-9B7E-2F3A4D5E6F72",
    progid = "MapiNotifySink.TestLogOff",
    name = "Log off probe",
    description = "The add-in library's tests: log = false",
    log = false
)]
impl Quiet {
    fn on_connection(&self, _outlook: &Outlook) -> Result<()> {
        Ok(())
    }
}

/// The author's own logger: it keeps what it is given.
struct Authors(Mutex<Vec<String>>);

impl log::Log for Authors {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        self.0.lock().unwrap().push(record.args().to_string());
    }

    fn flush(&self) {}
}

static AUTHORS: Authors = Authors(Mutex::new(Vec::new()));

#[test]
fn no_file_and_the_authors_logger_gets_every_record() {
    let base = std::env::var_os("LOCALAPPDATA").expect("Windows (and Wine) set LOCALAPPDATA");
    let folder = PathBuf::from(base).join("MapiNotifySink.TestLogOff");
    let _ = std::fs::remove_dir_all(&folder);
    // SAFETY: no arguments. The first call into the DLL, before any logger is installed.
    assert_eq!(unsafe { DllCanUnloadNow() }, HRESULT(0));
    assert!(!folder.exists(), "no log file, nor its folder");
    // The library installed no logger: the author's own is taken, later as here.
    log::set_logger(&AUTHORS).expect("no logger installed by the library");
    log::set_max_level(log::LevelFilter::Trace);
    let unknown = GUID::from_u128(0x1234);
    let mut out = core::ptr::null_mut();
    // SAFETY: readable GUIDs and a writable out pointer.
    let code = unsafe { DllGetClassObject(&unknown, &unknown, &mut out) };
    assert_eq!(
        code,
        HRESULT(0x8004_0111_u32 as i32),
        "CLASS_E_CLASSNOTAVAILABLE"
    );
    assert!(
        AUTHORS
            .0
            .lock()
            .unwrap()
            .iter()
            .any(|line| line.contains("unknown CLSID")),
        "the library's warning reached the author's logger"
    );
    assert!(!folder.exists());
}
