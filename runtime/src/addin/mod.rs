//! The Outlook COM add-in, as a library (feature `addin`): an author writes what the add-in
//! does, and `#[outlook_addin]` makes the crate's DLL a complete COM add-in around it.
//!
//! ```
//! use mapi_notify_sink::addin::{outlook_addin, Outlook};
//! use mapi_notify_sink::Result;
//!
//! #[derive(Default)]
//! pub struct OfflineLog {/* the add-in's state */}
//!
//! #[outlook_addin(
//!     clsid = "F8B51E39-75C3-43EF-BAE8-D60096161F06",
//!     progid = "Contoso.OfflineLog",
//!     name = "Offline log",
//!     description = "Logs every time Outlook goes offline or online",
//! )]
//! impl OfflineLog {
//!     /// Outlook's main thread. An error (or panic) is logged and leaves the add-in loaded but
//!     /// inert: Outlook is told S_OK, since a failed OnConnection makes it disable the add-in.
//!     fn on_connection(&self, outlook: &Outlook) -> Result<()> {
//!         log::info!("profile {:?}", outlook.profile_name()?);
//!         Ok(())
//!     }
//!
//!     /// Optional. When the user turns the add-in off (OnDisconnection, or OnBeginShutdown if
//!     /// it comes first); not at Outlook's exit unless `shutdown_notification = true`.
//!     fn on_disconnection(&self) {}
//! }
//! ```
//!
//! The type is `Default` (COM makes the object, so the library calls `default()`), and its
//! impl block defines `on_connection`; `on_disconnection` and `on_startup_complete(&self)` are
//! optional. `on_startup_complete` runs once after every `on_connection` that succeeded: from
//! `OnStartupComplete` at Outlook's start-up, or, for an add-in connected later (the COM
//! Add-ins dialog, which Office never sends `OnStartupComplete`), from the main thread's
//! message loop right after `on_connection`. `on_disconnection` runs once after any
//! `on_connection` (so that it can undo what a failed one half made), when the user turns the
//! add-in off.
//!
//! # Outlook's exit
//! Outlook 2010 and later exit with "fast shutdown": neither `OnBeginShutdown` nor
//! `OnDisconnection` comes; Outlook releases the add-in and the process ends. The library then
//! drops the author's value on the main thread (its `Drop`, and its fields': an `Advise`
//! unadvises, a sink is released) and closes its main-thread windows. So clean-up belongs to
//! what the value owns, and what must survive is saved as it changes, not at exit. Option
//! `shutdown_notification = true` writes `RequireShutdownNotification` = 1, which asks Outlook
//! for both calls at exit again (and makes its exit wait for them).
//!
//! # Options
//! The attribute takes `clsid` (a GUID of the add-in's own, written
//! `"xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"`), `progid` (how Outlook finds it), `name` and
//! `description` (Outlook's add-in list), and optionally `load_behavior` (one of Office's
//! values; default 3: load at start-up), `shutdown_notification` (default `false`) and
//! `crate`. The crate is a `cdylib`; off Windows the DLL's exports are left
//! out, so the crate builds and its logic is tested on any OS. One add-in per crate: a second
//! `#[outlook_addin]` is a compile error (one DLL exports one class).
//!
//! What the library does, so that no author writes it:
//! - the DLL's exports: `DllGetClassObject`, `DllCanUnloadNow`, `DllRegisterServer`,
//!   `DllUnregisterServer` (the current user) and `DllInstall` (`regsvr32 /n /i:allusers`: all
//!   users), each under a panic guard; and `MapiNotifySinkAddInState`, which a host such as
//!   `outlook-sim` asks whether `on_connection` failed (Outlook is told it did not);
//! - the class factory, and the add-in object: `IDTExtensibility2` and `IDispatch` (Office
//!   may call either), bound to Outlook's main thread;
//! - the registration: `Software\Classes\CLSID\{clsid}` (`InprocServer32` = the DLL, `ThreadingModel`
//!   = `Apartment`, `ProgID`), `Software\Classes\<ProgID>\CLSID` and
//!   `Software\Microsoft\Office\Outlook\Addins\<ProgID>` (`LoadBehavior`, `FriendlyName`,
//!   `Description`), written whole or not at all, and removed exactly;
//! - `DllCanUnloadNow` counts every COM object the library made in this DLL (the add-in, the
//!   factory, sinks of both kinds, main-thread windows) and every `LockServer` lock: a sink
//!   MAPI still holds keeps the DLL loaded;
//! - the log: `log` records go to `%LOCALAPPDATA%\<ProgID>\addin-64.log` (`addin-32.log` for
//!   a 32-bit DLL), each run starting with its date, process, bitness and the library's
//!   version, at the level of option `log_level` (default `info`) or of the environment
//!   variable `MAPI_NOTIFY_SINK_LOG`, capped at 1 MiB with one older file
//!   (`addin-64.old.log`) kept; unless the author installed a logger of their own first, or
//!   said `log = false`;
//! - [`Outlook`] and [`MainThread`]: the profile name, and work handed back to Outlook's main
//!   thread from a sink's thread; [`ModuleLock`], which keeps the DLL loaded while an author's
//!   own thread runs.

mod events;
#[cfg(windows)]
mod exports;
#[cfg(windows)]
mod factory;
#[cfg(windows)]
mod logfile;
#[cfg(windows)]
mod main_thread;
#[cfg(windows)]
pub(crate) mod module;
#[cfg(windows)]
mod object;
mod outlook;
#[cfg(windows)]
mod registration;
#[cfg(windows)]
#[rustfmt::skip] // windows-bindgen's output (scripts/bindgen.sh), as it wrote it
mod win32;

pub use events::{
    ApplicationEvents, Connection, Event, EventHandler, EventInterface, EventSink, ItemsEvents,
};
#[cfg(windows)]
pub use main_thread::MainThread;
pub use mapi_notify_sink_macros::{outlook_addin, outlook_events};
pub use outlook::{ConnectMode, Outlook};

use windows_core::GUID;

/// A type `#[outlook_addin]` has made into the DLL's Outlook add-in.
///
/// Implemented by the attribute; never implement it by hand.
#[doc(hidden)]
pub trait OutlookAddIn: Default + 'static {
    /// The add-in's CLSID, ProgID, name, description and load behavior.
    const DESCRIPTOR: Descriptor;
    /// `OnConnection`, on Outlook's main thread.
    fn on_connection(&self, outlook: &Outlook) -> crate::Result<()>;
    /// `OnBeginShutdown` or `OnDisconnection`, whichever comes first (not at Outlook's exit
    /// unless `shutdown_notification = true`).
    fn on_disconnection(&self) {}
    /// `OnStartupComplete`.
    fn on_startup_complete(&self) {}
}

/// What the registration and `DllGetClassObject` need to know of an add-in.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct Descriptor {
    /// The class COM creates.
    pub clsid: GUID,
    /// The name Outlook finds it by, under `...\Outlook\Addins`.
    pub progid: &'static str,
    /// Its name in Outlook's add-in list.
    pub name: &'static str,
    /// Its description there.
    pub description: &'static str,
    /// `LoadBehavior` (3: load at start-up).
    pub load_behavior: u32,
    /// `RequireShutdownNotification` = 1: Outlook calls `OnBeginShutdown` and
    /// `OnDisconnection` at its exit (it does not by default: fast shutdown).
    pub shutdown_notification: bool,
    /// The log file's level (`error`, `warn`, `info`, `debug` or `trace`; the environment
    /// variable `MAPI_NOTIFY_SINK_LOG` wins over it).
    pub log_level: &'static str,
    /// Whether the library logs to its file (`false`: the author's logger has every record).
    pub log: bool,
}

impl Descriptor {
    /// `{F8B51E39-75C3-43EF-BAE8-D60096161F06}`.
    #[cfg(windows)]
    pub(crate) fn clsid_text(&self) -> String {
        format!("{{{:?}}}", self.clsid)
    }
}

/// What `#[outlook_addin]` expands to refers to; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use super::events::{application, items, Call, Handler};
    #[cfg(windows)]
    pub use super::exports::{
        addin_state, dll_can_unload_now, dll_get_class_object, dll_install, dll_register_server,
        dll_unregister_server,
    };
    pub use super::{Descriptor, EventHandler, OutlookAddIn};
    pub use core::ffi::c_void;
    pub use windows_core::{GUID, HRESULT};
}

/// A lock on this DLL, for as long as it lives: `DllCanUnloadNow` answers `S_FALSE` while any
/// is held. An author's own thread holds one, so that COM does not unload the code it runs;
/// drop it as the thread's last act (COM unloads a DLL only when it asks `DllCanUnloadNow`
/// again, from `CoFreeUnusedLibraries`, not the moment the lock goes, and the few
/// instructions of the thread's end are not covered). Off Windows there is no DLL to keep,
/// and it does nothing.
///
/// ```
/// use mapi_notify_sink::addin::ModuleLock;
///
/// let lock = ModuleLock::new();
/// let worker = std::thread::spawn(move || {
///     let _lock = lock; // the DLL stays loaded until this thread is done
///     // ... the thread's work ...
/// });
/// worker.join().unwrap();
/// ```
#[derive(Debug)]
#[must_use = "the DLL may be unloaded as soon as the lock is dropped"]
pub struct ModuleLock(());

impl ModuleLock {
    /// Locks the DLL in memory until the returned lock is dropped.
    pub fn new() -> ModuleLock {
        #[cfg(windows)]
        module::lock();
        ModuleLock(())
    }
}

impl Default for ModuleLock {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for ModuleLock {
    fn drop(&mut self) {
        #[cfg(windows)]
        module::unlock();
    }
}

/// Off Windows: the type, so that an add-in crate builds anywhere; no value of it can be made.
#[cfg(not(windows))]
pub struct MainThread<T: Send + 'static> {
    never: core::convert::Infallible,
    _value: core::marker::PhantomData<fn(T)>,
}

#[cfg(not(windows))]
impl<T: Send + 'static> MainThread<T> {
    /// Runs the handler on Outlook's main thread, later (Windows only).
    pub fn post(&self, value: T) {
        let _ = value;
        match self.never {}
    }
}

#[cfg(not(windows))]
impl<T: Send + 'static> Clone for MainThread<T> {
    fn clone(&self) -> Self {
        match self.never {}
    }
}
