//! What the DLL's exports do, written once for every add-in: `#[outlook_addin]` exports
//! `DllGetClassObject`, `DllCanUnloadNow`, `DllRegisterServer`, `DllUnregisterServer` and
//! `DllInstall`, each one line that calls the function here for the author's type, and
//! `MapiNotifySinkAddInState` (below), which Outlook never calls: a host asks it whether the
//! add-in is inert. Each starts the log (the first call in the DLL) and runs under a panic
//! guard: a panic is logged and becomes `E_UNEXPECTED`, never an unwind into COM or `regsvr32`.

use super::factory::Factory;
use super::registration::{self, Scope};
use super::{logfile, module, OutlookAddIn};
use crate::com::{self, OnPanic};
use crate::sys;
use core::ffi::c_void;
use windows_core::{GUID, HRESULT};

fn guard<A: OutlookAddIn>(export: &'static str, body: impl FnOnce() -> HRESULT) -> HRESULT {
    com::contain(OnPanic::Log, A::DESCRIPTOR.name, export, || {
        logfile::init(&A::DESCRIPTOR);
        body()
    })
    .unwrap_or(sys::E_UNEXPECTED)
}

/// `DllGetClassObject`: the class factory of `A`'s CLSID.
///
/// # Safety
/// COM's contract: `clsid` and `iid` readable, `out` writable (each checked for null).
pub unsafe fn dll_get_class_object<A: OutlookAddIn>(
    clsid: *const GUID,
    iid: *const GUID,
    out: *mut *mut c_void,
) -> HRESULT {
    guard::<A>("DllGetClassObject", || {
        if out.is_null() {
            return sys::E_POINTER;
        }
        // SAFETY: non-null, writable (COM's contract).
        unsafe { out.write(core::ptr::null_mut()) };
        if clsid.is_null() || iid.is_null() {
            return sys::E_INVALIDARG;
        }
        // SAFETY: non-null, readable (COM's contract).
        let clsid = unsafe { *clsid };
        if clsid != A::DESCRIPTOR.clsid {
            log::warn!("DllGetClassObject: unknown CLSID {{{clsid:?}}}");
            return sys::CLASS_E_CLASSNOTAVAILABLE;
        }
        // SAFETY: `iid` readable and `out` writable, as checked above.
        unsafe { Factory::<A>::create(iid, out) }
    })
}

/// `DllCanUnloadNow`: `S_OK` only when nothing of this DLL is alive: no add-in object, class
/// factory, sink, main-thread window, nor a `LockServer` lock.
pub fn dll_can_unload_now<A: OutlookAddIn>() -> HRESULT {
    guard::<A>("DllCanUnloadNow", || {
        let (objects, locks) = module::alive();
        // At debug: COM asks every few minutes, and the answer is not news.
        log::debug!("DllCanUnloadNow: {objects} object(s) and {locks} lock(s) alive");
        if objects == 0 && locks == 0 {
            sys::S_OK
        } else {
            sys::S_FALSE
        }
    })
}

/// `DllRegisterServer` (`regsvr32 addin.dll`): registers the add-in for the current user.
pub fn dll_register_server<A: OutlookAddIn>() -> HRESULT {
    guard::<A>("DllRegisterServer", || {
        registration::register(&A::DESCRIPTOR, Scope::CurrentUser)
    })
}

/// `DllUnregisterServer` (`regsvr32 /u addin.dll`): removes the current user's registration.
pub fn dll_unregister_server<A: OutlookAddIn>() -> HRESULT {
    guard::<A>("DllUnregisterServer", || {
        registration::unregister(&A::DESCRIPTOR, Scope::CurrentUser)
    })
}

/// `DllInstall` (`regsvr32 /n /i:allusers addin.dll`, with `/u` to remove): the same for all
/// users, under `HKEY_LOCAL_MACHINE` (an elevated prompt on Windows; the only kind Wine 8's COM
/// finds); `/i:user` or no argument is the current user.
///
/// # Safety
/// `command_line` is null or NUL-terminated (regsvr32 passes the text after `/i:`).
pub unsafe fn dll_install<A: OutlookAddIn>(install: i32, command_line: *const u16) -> HRESULT {
    guard::<A>("DllInstall", || {
        let argument = if command_line.is_null() {
            String::new()
        } else {
            let mut len = 0;
            // SAFETY: NUL-terminated (regsvr32's contract).
            while unsafe { *command_line.add(len) } != 0 {
                len += 1;
            }
            // SAFETY: the `len` units before the NUL.
            String::from_utf16_lossy(unsafe { core::slice::from_raw_parts(command_line, len) })
        };
        let scope = if argument.eq_ignore_ascii_case("allusers") {
            Scope::AllUsers
        } else if argument.is_empty() || argument.eq_ignore_ascii_case("user") {
            Scope::CurrentUser
        } else {
            log::error!("DllInstall: unknown argument {argument:?} (use /i:allusers or /i:user)");
            return sys::E_INVALIDARG;
        };
        if install != 0 {
            registration::register(&A::DESCRIPTOR, scope)
        } else {
            registration::unregister(&A::DESCRIPTOR, scope)
        }
    })
}

/// `HRESULT MapiNotifySinkAddInState(WCHAR* text, UINT32 capacity)`: whether the add-in is
/// working. Outlook is told `S_OK` by a failed or panicking `on_connection` (a failure would
/// make it disable the add-in), so a host that must see the failure (`outlook-sim`) asks here:
/// `S_OK` when the last `on_connection` succeeded (or none ran yet), `S_FALSE` when the add-in
/// is inert, with why written to `text` (NUL-terminated UTF-16, cut to `capacity` units;
/// nothing is written when `text` is null or `capacity` is 0).
///
/// # Safety
/// `text` is null or writable for `capacity` units.
pub unsafe fn addin_state<A: OutlookAddIn>(text: *mut u16, capacity: u32) -> HRESULT {
    guard::<A>("MapiNotifySinkAddInState", || {
        let Some(why) = module::inert() else {
            return sys::S_OK;
        };
        if !text.is_null() && capacity > 0 {
            let units: Vec<u16> = why.encode_utf16().take(capacity as usize - 1).collect();
            // SAFETY: `units.len() + 1 <= capacity` units, writable (the caller's promise).
            unsafe {
                core::ptr::copy_nonoverlapping(units.as_ptr(), text, units.len());
                text.add(units.len()).write(0);
            }
        }
        sys::S_FALSE
    })
}
