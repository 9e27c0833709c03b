//! The C ABI between `outlook-sim` (or a test) and the stand-in `olmapi32.dll`
//! (`host/olmapi32`): besides Outlook's own export `HrOpenOfflineObj`, the stand-in exports a
//! few functions a host uses to configure it, drive it, and check what add-ins left behind.
//!
//! Declared once here; the stand-in implements them, `StandIn` (Windows) calls them.

use windows_core::HRESULT;

/// `OutlookSimConfigure(const StandInConfig*) -> HRESULT`: starts a fresh simulated Outlook
/// (online), replacing any earlier one, with the counters of [`StandInStatus`] at zero.
pub const CONFIGURE: &str = "OutlookSimConfigure";
/// `OutlookSimTransition(BOOL offline) -> HRESULT`: goes offline (non-zero) or online, and
/// returns when every advised sink has been notified.
pub const TRANSITION: &str = "OutlookSimTransition";
/// `OutlookSimBurst(UINT32 transitions, UINT32 threads) -> HRESULT`: `threads` threads call
/// every advised sink at once, each with `transitions / threads` (rounded up) transitions'
/// notifications (`SimulatedOutlook::flood`: the manager's state does not change), and it
/// returns when all were delivered.
pub const BURST: &str = "OutlookSimBurst";
/// `OutlookSimStatus(StandInStatus*) -> HRESULT`.
pub const STATUS: &str = "OutlookSimStatus";
/// `OutlookSimShutdown() -> HRESULT`: lets the simulated Outlook go (its sinks are released
/// once nobody else holds the manager).
pub const SHUTDOWN: &str = "OutlookSimShutdown";

/// What the stand-in's `HrOpenOfflineObj` does.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct StandInConfig {
    /// The one profile name it accepts (NUL-terminated UTF-16); any other gets
    /// `MAPI_E_NOT_FOUND`.
    pub profile: *const u16,
    /// When not `S_OK`, every `HrOpenOfflineObj` fails with this code (for failure-path tests).
    pub fail_with: HRESULT,
    /// When non-zero, `HrOpenOfflineObj` returns `S_OK` and a null object (a broken MAPI).
    pub return_null: u32,
}

/// What the stand-in has seen and holds.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StandInStatus {
    /// `HrOpenOfflineObj` calls that handed out a manager.
    pub opened: u32,
    /// `HrOpenOfflineObj` calls that failed (bad arguments, unknown profile, injected fault).
    pub refused: u32,
    /// Sinks advised right now (each one a reference the stand-in holds).
    pub advised: u32,
    /// References to the manager held outside the stand-in right now (handed out by
    /// `HrOpenOfflineObj`, or taken since, and not yet released).
    pub manager_refs_outside: u32,
    /// 0 online, 1 offline.
    pub offline: u32,
    /// The longest one sink's `Notify` took so far, in microseconds.
    pub slowest_notify_us: u32,
}

#[cfg(windows)]
pub use loader::StandIn;

#[cfg(windows)]
mod loader {
    use super::*;
    use std::path::Path;
    use windows::core::{HSTRING, PCSTR};
    use windows::Win32::Foundation::HMODULE;
    use windows::Win32::System::LibraryLoader::{GetProcAddress, LoadLibraryW};

    type Configure = unsafe extern "system" fn(*const StandInConfig) -> HRESULT;
    type Transition = unsafe extern "system" fn(i32) -> HRESULT;
    type Burst = unsafe extern "system" fn(u32, u32) -> HRESULT;
    type Status = unsafe extern "system" fn(*mut StandInStatus) -> HRESULT;
    type Shutdown = unsafe extern "system" fn() -> HRESULT;

    /// The stand-in `olmapi32.dll`, loaded into this process (and never unloaded: Outlook
    /// keeps its MAPI loaded for its whole life, and add-ins may hold its objects).
    pub struct StandIn {
        configure: Configure,
        transition: Transition,
        burst: Burst,
        status: Status,
        shutdown: Shutdown,
    }

    impl StandIn {
        /// Loads the DLL at `path` and finds its exports.
        pub fn load(path: &Path) -> Result<StandIn, String> {
            // SAFETY: loading a DLL runs its DllMain; this one is ours (or the caller's choice).
            let module = unsafe { LoadLibraryW(&HSTRING::from(path.as_os_str())) }
                .map_err(|error| format!("LoadLibraryW({}) failed: {error}", path.display()))?;
            let find = |name: &str| find(module, name);
            // SAFETY: each export has the signature declared in this module (the stand-in
            // implements exactly these).
            unsafe {
                Ok(StandIn {
                    configure: core::mem::transmute::<usize, Configure>(find(CONFIGURE)?),
                    transition: core::mem::transmute::<usize, Transition>(find(TRANSITION)?),
                    burst: core::mem::transmute::<usize, Burst>(find(BURST)?),
                    status: core::mem::transmute::<usize, Status>(find(STATUS)?),
                    shutdown: core::mem::transmute::<usize, Shutdown>(find(SHUTDOWN)?),
                })
            }
        }

        /// Starts a fresh simulated Outlook that accepts `profile`; `fail_with` and
        /// `return_null` inject the faults [`StandInConfig`] describes.
        pub fn configure(&self, profile: &str, fail_with: HRESULT, return_null: bool) -> HRESULT {
            let profile: Vec<u16> = profile.encode_utf16().chain([0]).collect();
            let config = StandInConfig {
                profile: profile.as_ptr(),
                fail_with,
                return_null: return_null.into(),
            };
            // SAFETY: a complete config whose string outlives the call.
            unsafe { (self.configure)(&config) }
        }

        /// Goes offline or online; returns when every advised sink has been notified.
        pub fn transition(&self, offline: bool) -> HRESULT {
            // SAFETY: plain integer argument.
            unsafe { (self.transition)(offline.into()) }
        }

        /// `transitions` transitions' notifications from `threads` threads at once; returns when
        /// all were delivered.
        pub fn burst(&self, transitions: u32, threads: u32) -> HRESULT {
            // SAFETY: plain integer arguments.
            unsafe { (self.burst)(transitions, threads) }
        }

        /// What the stand-in has seen and holds now.
        pub fn status(&self) -> StandInStatus {
            let mut status = StandInStatus::default();
            // SAFETY: a valid out pointer.
            let code = unsafe { (self.status)(&mut status) };
            debug_assert!(code.is_ok());
            status
        }

        /// Lets the simulated Outlook go.
        pub fn shutdown(&self) -> HRESULT {
            // SAFETY: no arguments.
            unsafe { (self.shutdown)() }
        }
    }

    fn find(module: HMODULE, name: &str) -> Result<usize, String> {
        let c_name: Vec<u8> = name.bytes().chain([0]).collect();
        // SAFETY: a loaded module and a NUL-terminated name.
        unsafe { GetProcAddress(module, PCSTR(c_name.as_ptr())) }
            .map(|function| function as usize)
            .ok_or_else(|| format!("the stand-in olmapi32.dll does not export {name}"))
    }
}
