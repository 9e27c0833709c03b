//! The add-in's log: `log` records go to `%LOCALAPPDATA%\<ProgID>\addin-64.log` (or
//! `addin-32.log`: the 32- and 64-bit add-in each have their own), each with the time since
//! the DLL loaded and the thread, unless the author installed a logger of their own first or
//! said `log = false`. Outlook has no console: a file is where an author looks, and where
//! `outlook-sim`'s users do.
//!
//! - Each run starts with a line giving the date and time (UTC), the process, the bitness and
//!   the library's version.
//! - The level is the author's: option `log_level` (default `info`), or the environment
//!   variable `MAPI_NOTIFY_SINK_LOG` (`error`, `warn`, `info`, `debug`, `trace` or `off`), which
//!   wins, so a user can be asked for a debug log without a new build. The run's first line is
//!   written at any level but `off`.
//! - The file is capped at [`CAP`] bytes: past it, the file becomes `addin-64.old.log`
//!   (replacing an older one) and a new one starts, so at most twice the cap is on disk (when
//!   the file cannot be renamed, another process holding it, this run's file just grows).
//!   (`MAPI_NOTIFY_SINK_LOG_CAP`, in bytes, sets another cap, for tests.)

use super::{win32, Descriptor};
use crate::advise_sink::FileTime;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// The size a log file grows to before it is set aside: 1 MiB.
pub(crate) const CAP: u64 = 1 << 20;

/// The environment variable whose level wins over the attribute's `log_level`.
const LEVEL_VARIABLE: &str = "MAPI_NOTIFY_SINK_LOG";
/// The environment variable that sets another cap, in bytes.
const CAP_VARIABLE: &str = "MAPI_NOTIFY_SINK_LOG_CAP";

/// The log file of the add-in whose ProgID is `progid`, for this DLL's bitness:
/// `%LOCALAPPDATA%\<progid>\addin-64.log` (`%TEMP%` when there is no `LOCALAPPDATA`).
pub(crate) fn path(progid: &str) -> PathBuf {
    let base = std::env::var_os("LOCALAPPDATA")
        .or_else(|| std::env::var_os("TEMP"))
        .unwrap_or_else(|| ".".into());
    PathBuf::from(base)
        .join(progid)
        .join(format!("addin-{}.log", usize::BITS))
}

/// Where a full log file is set aside: `addin-64.old.log` beside it.
fn older(path: &Path) -> PathBuf {
    path.with_extension("old.log")
}

struct FileLog {
    start: Instant,
    level: log::LevelFilter,
    cap: u64,
    file: Mutex<Open>,
}

struct Open {
    path: PathBuf,
    file: Option<File>,
    /// Bytes in the file now.
    written: u64,
    /// Set aside full files (until a rename fails: then this run's file just grows).
    rotating: bool,
}

impl Open {
    /// Opens the file to append, setting a full one aside first.
    fn open(&mut self, cap: u64) {
        let size = std::fs::metadata(&self.path).map_or(0, |meta| meta.len());
        if size >= cap {
            let _ = std::fs::rename(&self.path, older(&self.path));
        }
        self.file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .ok();
        self.written = std::fs::metadata(&self.path).map_or(0, |meta| meta.len());
    }
}

impl log::Log for FileLog {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= self.level
    }

    fn log(&self, record: &log::Record<'_>) {
        if self.enabled(record.metadata()) {
            self.write(record.level().as_str(), record.args());
        }
    }

    fn flush(&self) {}
}

impl FileLog {
    /// One line: the time since the DLL loaded, the thread, `level` and `text`.
    fn write(&self, level: &str, text: &dyn std::fmt::Display) {
        let elapsed = self.start.elapsed().as_secs_f64() * 1e3;
        // SAFETY: no preconditions.
        let thread = unsafe { win32::GetCurrentThreadId() };
        let line = format!("{elapsed:>10.3} ms  [thread {thread:#06x}]  {level:<5}  {text}\r\n");
        let mut open = self.file.lock().unwrap_or_else(PoisonError::into_inner);
        if open.rotating && open.written > 0 && open.written + line.len() as u64 > self.cap {
            // Set aside (closed first, so it can be renamed), and a new file started.
            open.file = None;
            if std::fs::rename(&open.path, older(&open.path)).is_err() {
                open.rotating = false;
            }
            open.open(self.cap);
        }
        if let Some(file) = open.file.as_mut() {
            // Unbuffered: the log must survive Outlook being killed.
            if file.write_all(line.as_bytes()).is_ok() {
                open.written += line.len() as u64;
            }
        }
    }
}

/// The level: `MAPI_NOTIFY_SINK_LOG` if it names one, else the attribute's `log_level`.
fn level(descriptor: &Descriptor) -> log::LevelFilter {
    std::env::var(LEVEL_VARIABLE)
        .ok()
        .and_then(|level| level.trim().parse().ok())
        .or_else(|| descriptor.log_level.parse().ok())
        .unwrap_or(log::LevelFilter::Info)
}

/// Starts logging to [`path`] the first time it is called in this DLL, unless the author said
/// `log = false` or a logger is already installed (the author's own, or the host's).
pub(crate) fn init(descriptor: &Descriptor) {
    static LOGGER: OnceLock<FileLog> = OnceLock::new();
    if !descriptor.log {
        return;
    }
    let mut first = false;
    let logger = LOGGER.get_or_init(|| {
        first = true;
        FileLog {
            start: Instant::now(),
            level: level(descriptor),
            cap: std::env::var(CAP_VARIABLE)
                .ok()
                .and_then(|cap| cap.trim().parse().ok())
                .filter(|cap| *cap > 0)
                .unwrap_or(CAP),
            file: Mutex::new(Open {
                path: path(descriptor.progid),
                file: None,
                written: 0,
                rotating: true,
            }),
        }
    });
    // The file (and its folder) only once the logger is ours: an author's own logger leaves
    // nothing on disk.
    if first && log::set_logger(logger).is_ok() {
        {
            let mut open = logger.file.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(folder) = open.path.parent() {
                let _ = std::fs::create_dir_all(folder);
            }
            open.open(logger.cap);
        }
        log::set_max_level(logger.level);
        // Whatever the level (`error` too, `off` aside): each run's first line says which run.
        if logger.level != log::LevelFilter::Off {
            logger.write(
                "RUN",
                &format_args!(
                    "--- {}: {} in process {}, {}-bit, mapi-notify-sink {}, log level {}, \
                     from {} ---",
                    utc_now(),
                    descriptor.progid,
                    std::process::id(),
                    usize::BITS,
                    env!("CARGO_PKG_VERSION"),
                    logger.level,
                    super::module::dll_path(),
                ),
            );
        }
    }
}

/// Now, shown as `2026-12-07 18:30:12 UTC`.
fn utc_now() -> FileTime {
    FileTime::since_unix_epoch(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default(),
    )
}
