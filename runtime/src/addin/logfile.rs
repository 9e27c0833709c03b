//! The add-in's log: `log` records go to `%LOCALAPPDATA%\<ProgID>\addin.log`, each with the
//! time since the DLL loaded and the thread, unless the author installed a logger of their own
//! first. Outlook has no console: a file is where an author looks, and where `outlook-sim`'s
//! users do.

use super::win32;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::Instant;

/// The log file of the add-in whose ProgID is `progid`: `%LOCALAPPDATA%\<progid>\addin.log`
/// (`%TEMP%` when there is no `LOCALAPPDATA`).
pub(crate) fn path(progid: &str) -> PathBuf {
    let base = std::env::var_os("LOCALAPPDATA")
        .or_else(|| std::env::var_os("TEMP"))
        .unwrap_or_else(|| ".".into());
    PathBuf::from(base).join(progid).join("addin.log")
}

struct FileLog {
    start: Instant,
    file: Mutex<Option<File>>,
}

impl log::Log for FileLog {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= log::Level::Info
    }

    fn log(&self, record: &log::Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let elapsed = self.start.elapsed().as_secs_f64() * 1e3;
        // SAFETY: no preconditions.
        let thread = unsafe { win32::GetCurrentThreadId() };
        let line = format!(
            "{elapsed:>10.3} ms  [thread {thread:#06x}]  {:<5}  {}\r\n",
            record.level(),
            record.args()
        );
        let mut file = self.file.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(file) = file.as_mut() {
            // Unbuffered: the log must survive Outlook being killed.
            let _ = file.write_all(line.as_bytes());
        }
    }

    fn flush(&self) {}
}

/// Starts logging to [`path`] the first time it is called in this DLL, unless a logger is
/// already installed (the author's own, or the host's).
pub(crate) fn init(progid: &str) {
    static LOGGER: OnceLock<FileLog> = OnceLock::new();
    let mut first = false;
    let logger = LOGGER.get_or_init(|| {
        first = true;
        FileLog {
            start: Instant::now(),
            file: Mutex::new(None),
        }
    });
    // The file (and its folder) only once the logger is ours: an author's own logger leaves
    // nothing on disk.
    if first && log::set_logger(logger).is_ok() {
        let path = path(progid);
        if let Some(folder) = path.parent() {
            let _ = std::fs::create_dir_all(folder);
        }
        *logger.file.lock().unwrap_or_else(PoisonError::into_inner) = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .ok();
        log::set_max_level(log::LevelFilter::Info);
        log::info!(
            "--- {progid} loaded from {} (process {}) ---",
            super::module::dll_path(),
            std::process::id()
        );
    }
}
