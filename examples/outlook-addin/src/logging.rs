//! The add-in's log: every `log` record, with the time since load and the thread, appended to
//! one file. Outlook has no console, so a file is where an add-in author looks.
//!
//! The file is [`path`]: `%LOCALAPPDATA%\mapi-notify-sink-addin\addin.log`, or the file named by
//! the environment variable `MAPI_NOTIFY_SINK_ADDIN_LOG` when it is set.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::Instant;
use windows::Win32::System::Threading::GetCurrentThreadId;

/// The environment variable that names another log file.
pub const LOG_VARIABLE: &str = "MAPI_NOTIFY_SINK_ADDIN_LOG";

/// Where the log goes.
pub fn path() -> PathBuf {
    if let Some(path) = std::env::var_os(LOG_VARIABLE) {
        return path.into();
    }
    let base = std::env::var_os("LOCALAPPDATA")
        .or_else(|| std::env::var_os("TEMP"))
        .unwrap_or_else(|| ".".into());
    PathBuf::from(base)
        .join("mapi-notify-sink-addin")
        .join("addin.log")
}

struct FileLog {
    start: Instant,
    file: Mutex<Option<File>>,
}

impl log::Log for FileLog {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= log::Level::Debug
    }

    fn log(&self, record: &log::Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let elapsed = self.start.elapsed().as_secs_f64() * 1e3;
        // SAFETY: no preconditions.
        let thread = unsafe { GetCurrentThreadId() };
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

/// Starts logging to [`path`] (once per process; later calls do nothing).
pub fn init() {
    static LOGGER: OnceLock<FileLog> = OnceLock::new();
    let mut first = false;
    let logger = LOGGER.get_or_init(|| {
        first = true;
        let path = path();
        if let Some(folder) = path.parent() {
            let _ = std::fs::create_dir_all(folder);
        }
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .ok();
        FileLog {
            start: Instant::now(),
            file: Mutex::new(file),
        }
    });
    if first && log::set_logger(logger).is_ok() {
        log::set_max_level(log::LevelFilter::Debug);
        log::info!(
            "--- outlook_addin loaded from {} (process {}) ---",
            crate::module::dll_path(),
            std::process::id()
        );
    }
}
