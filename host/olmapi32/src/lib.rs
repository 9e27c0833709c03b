//! The stand-in `olmapi32.dll`: Outlook's `HrOpenOfflineObj`, backed by the crate's
//! `SimulatedOutlook`, so `OfflineManager::open` runs for real outside Outlook.
//!
//! `outlook-sim` (and the tests in `tests/`) load it first, as Outlook has its MAPI loaded
//! before any add-in starts; an add-in then finds it with `GetModuleHandleW("olmapi32.dll")`
//! exactly as it would inside Outlook. Besides `HrOpenOfflineObj` (named `HrOpenOfflineObj@20`
//! on 32-bit x86, as Outlook's is) it exports the functions of `outlook_sim::standin`, through
//! which a host configures it, drives transitions and checks what add-ins left behind.
//!
//! Choices where Outlook's behaviour is not documented:
//! - A profile name other than the configured one gets `MAPI_E_NOT_FOUND` (the code Outlook
//!   documents for "not available here"), and so does a call before `OutlookSimConfigure`
//!   has named a profile.
//! - `ulReserved` other than 0, a null or empty profile, a GUID other than `GUID_GlobalState`,
//!   a non-null reserved GUID, or a null out pointer get `E_INVALIDARG` (and `*out` is nulled
//!   when it can be).
//! - Each successful call hands out a new reference to the one manager of the profile.
//!
//! Everything it refuses is written to stderr with the reason, since a host's console is
//! where an author looks.
//!
//! The exports are `#[cfg(windows)]`: on other systems this crate is empty.
#![allow(non_snake_case)] // the exports keep Outlook's names

#[cfg(windows)]
mod exports {
    use core::ffi::c_void;
    use core::ptr;
    use mapi_notify_sink::simulator::SimulatedOutlook;
    use mapi_notify_sink::{sys, ConnectionState};
    use outlook_sim::standin::{StandInConfig, StandInStatus};
    use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
    use windows_core::{GUID, HRESULT};

    const S_OK: HRESULT = HRESULT(0);

    struct Profile {
        name: String,
        outlook: Arc<SimulatedOutlook>,
        fail_with: HRESULT,
        return_null: bool,
    }

    struct StandIn {
        profile: Option<Profile>,
        opened: u32,
        refused: u32,
    }

    static STAND_IN: Mutex<StandIn> = Mutex::new(StandIn {
        profile: None,
        opened: 0,
        refused: 0,
    });

    fn stand_in() -> MutexGuard<'static, StandIn> {
        STAND_IN.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs an export's body, so that no panic unwinds into the (C) caller.
    fn guarded(export: &str, body: impl FnOnce() -> HRESULT) -> HRESULT {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)).unwrap_or_else(|_| {
            eprintln!("olmapi32 (stand-in): {export}: internal panic; returning E_UNEXPECTED");
            HRESULT(0x8000_FFFF_u32 as i32)
        })
    }

    fn refuse(stand_in: &mut StandIn, code: HRESULT, why: &str) -> HRESULT {
        stand_in.refused += 1;
        eprintln!(
            "olmapi32 (stand-in): HrOpenOfflineObj refused: {why} ({:#010X})",
            code.0
        );
        code
    }

    /// On 32-bit x86, Outlook exports the stdcall-decorated name `HrOpenOfflineObj@20`, and so
    /// must we. Rust's export list for a cdylib names the function undecorated, so the
    /// decorated name is added the way mingw's `__declspec(dllexport)` adds it: a linker
    /// directive in the object's `.drectve` section (the symbol is `_HrOpenOfflineObj@20`).
    /// GNU ld's syntax only: an i686 MSVC build of the stand-in exports the undecorated name
    /// alone (not linked here: no MSVC linker), which `OfflineManager::open` on 32-bit x86
    /// does not look for.
    #[cfg(all(target_arch = "x86", target_env = "gnu"))]
    #[link_section = ".drectve"]
    #[used]
    static EXPORT_DECORATED: [u8; 30] = *b" -export:\"HrOpenOfflineObj@20\"";

    /// Outlook's `HrOpenOfflineObj`, as `mapi_notify_sink::sys::HrOpenOfflineObj` declares it.
    ///
    /// # Safety
    /// The documented contract: `profile` is null or a NUL-terminated UTF-16 string, the GUID
    /// pointers are null or readable, `out` is null or writable.
    #[no_mangle]
    pub unsafe extern "system" fn HrOpenOfflineObj(
        reserved: u32,
        profile: *const u16,
        guid: *const GUID,
        reserved_guid: *const GUID,
        out: *mut *mut c_void,
    ) -> HRESULT {
        guarded("HrOpenOfflineObj", || {
            if !out.is_null() {
                // SAFETY: the caller's out pointer, non-null.
                unsafe { out.write(ptr::null_mut()) };
            }
            let mut stand_in = stand_in();
            let stand_in = &mut *stand_in;
            // SAFETY: the caller's promise: null or NUL-terminated.
            let name = unsafe { wide_to_string(profile) };
            if reserved != 0 {
                return refuse(stand_in, sys::E_INVALIDARG, "ulReserved is not 0");
            }
            // SAFETY: null or readable.
            if guid.is_null() || unsafe { *guid } != sys::GUID_GlobalState {
                return refuse(
                    stand_in,
                    sys::E_INVALIDARG,
                    "the GUID is not GUID_GlobalState",
                );
            }
            if !reserved_guid.is_null() {
                return refuse(stand_in, sys::E_INVALIDARG, "the reserved GUID is not null");
            }
            if out.is_null() {
                return refuse(stand_in, sys::E_INVALIDARG, "the out pointer is null");
            }
            let Some(name) = name.filter(|name| !name.is_empty()) else {
                return refuse(stand_in, sys::E_INVALIDARG, "no profile name");
            };
            let Some(profile) = &stand_in.profile else {
                let why = format!("profile {name:?}: no profile configured");
                return refuse(stand_in, sys::MAPI_E_NOT_FOUND, &why);
            };
            if profile.name != name {
                let why = format!("profile {name:?} is not {:?}", profile.name);
                return refuse(stand_in, sys::MAPI_E_NOT_FOUND, &why);
            }
            if profile.fail_with.is_err() {
                let code = profile.fail_with;
                return refuse(stand_in, code, "a failure injected by the host");
            }
            stand_in.opened += 1;
            if profile.return_null {
                eprintln!("olmapi32 (stand-in): HrOpenOfflineObj returns S_OK and no object, as the host asked");
                return S_OK;
            }
            let manager = profile.outlook.manager();
            // SAFETY: `out` is non-null; the reference `manager` holds goes to the caller.
            unsafe { out.write(manager.as_raw()) };
            core::mem::forget(manager);
            S_OK
        })
    }

    /// `outlook_sim::standin::CONFIGURE`: a fresh simulated Outlook, counters at zero.
    ///
    /// # Safety
    /// `config` is null or points to a `StandInConfig` whose `profile` is null or
    /// NUL-terminated.
    #[no_mangle]
    pub unsafe extern "system" fn OutlookSimConfigure(config: *const StandInConfig) -> HRESULT {
        guarded("OutlookSimConfigure", || {
            if config.is_null() {
                return sys::E_POINTER;
            }
            // SAFETY: non-null, the caller's promise.
            let config = unsafe { *config };
            // SAFETY: the caller's promise.
            let Some(name) = (unsafe { wide_to_string(config.profile) }) else {
                return sys::E_INVALIDARG;
            };
            let old = {
                let mut stand_in = stand_in();
                stand_in.opened = 0;
                stand_in.refused = 0;
                stand_in.profile.replace(Profile {
                    name,
                    outlook: Arc::new(SimulatedOutlook::new()),
                    fail_with: config.fail_with,
                    return_null: config.return_null != 0,
                })
            };
            drop(old); // outside the lock: releasing sinks may run their code
            S_OK
        })
    }

    /// `outlook_sim::standin::TRANSITION`.
    #[no_mangle]
    pub extern "system" fn OutlookSimTransition(offline: i32) -> HRESULT {
        guarded("OutlookSimTransition", || {
            let Some(outlook) = current() else {
                return sys::E_PENDING;
            };
            // Not under the lock: sinks run now, and may call HrOpenOfflineObj.
            if offline != 0 {
                outlook.go_offline();
            } else {
                outlook.go_online();
            }
            S_OK
        })
    }

    /// `outlook_sim::standin::BURST`.
    #[no_mangle]
    pub extern "system" fn OutlookSimBurst(transitions: u32, threads: u32) -> HRESULT {
        guarded("OutlookSimBurst", || {
            let Some(outlook) = current() else {
                return sys::E_PENDING;
            };
            let threads = threads.clamp(1, 64);
            outlook.flood(threads as usize, transitions.div_ceil(threads) as usize);
            S_OK
        })
    }

    /// `outlook_sim::standin::STATUS`.
    ///
    /// # Safety
    /// `status` is null or writable.
    #[no_mangle]
    pub unsafe extern "system" fn OutlookSimStatus(status: *mut StandInStatus) -> HRESULT {
        guarded("OutlookSimStatus", || {
            if status.is_null() {
                return sys::E_POINTER;
            }
            let (opened, refused) = {
                let stand_in = stand_in();
                (stand_in.opened, stand_in.refused)
            };
            let mut report = StandInStatus {
                opened,
                refused,
                ..StandInStatus::default()
            };
            if let Some(outlook) = current() {
                report.advised = outlook.advised() as u32;
                report.slowest_notify_us =
                    u32::try_from(outlook.slowest_notify().as_micros()).unwrap_or(u32::MAX);
                let manager = outlook.manager();
                let raw = manager.as_raw();
                // SAFETY: `manager` holds a reference, so the object is live while borrowed.
                let unknown = unsafe {
                    <windows_core::IUnknown as windows_core::Interface>::from_raw_borrowed(&raw)
                };
                let count = unknown.map_or(0, outlook_sim::com::ref_count);
                // Ours (`manager`) and the simulator's own are not outside.
                report.manager_refs_outside = count.saturating_sub(2);
                report.offline = (manager.state().ok() == Some(ConnectionState::Offline)).into();
            }
            // SAFETY: non-null, the caller's promise.
            unsafe { status.write(report) };
            S_OK
        })
    }

    /// `outlook_sim::standin::SHUTDOWN`.
    #[no_mangle]
    pub extern "system" fn OutlookSimShutdown() -> HRESULT {
        guarded("OutlookSimShutdown", || {
            let old = stand_in().profile.take();
            drop(old); // outside the lock
            S_OK
        })
    }

    fn current() -> Option<Arc<SimulatedOutlook>> {
        stand_in()
            .profile
            .as_ref()
            .map(|profile| profile.outlook.clone())
    }

    /// # Safety
    /// `text` is null or NUL-terminated.
    unsafe fn wide_to_string(text: *const u16) -> Option<String> {
        if text.is_null() {
            return None;
        }
        let mut len = 0;
        // SAFETY: NUL-terminated: every unit up to the NUL is readable.
        while unsafe { *text.add(len) } != 0 {
            len += 1;
        }
        // SAFETY: `len` readable units.
        String::from_utf16(unsafe { core::slice::from_raw_parts(text, len) }).ok()
    }
}
