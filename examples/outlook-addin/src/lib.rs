//! A complete Outlook COM add-in built on `mapi-notify-sink`: it logs every time Outlook goes
//! offline or online, and acts on each change on Outlook's main thread.
//!
//! Read it in the order Outlook runs it:
//! 1. **DLL entry points** (this file): `DllGetClassObject`, `DllCanUnloadNow`,
//!    `DllRegisterServer` / `DllUnregisterServer` (per user) and `DllInstall` (`regsvr32 /n
//!    /i:allusers`, for all users).
//! 2. **Registration** (`registration`): the keys Outlook and COM read.
//! 3. **Class factory** (`factory`): COM asks it for the add-in object.
//! 4. **The add-in** (`addin`): `IDTExtensibility2` (and `IDispatch` in `dispatch`, for hosts that call
//!    through `Invoke`). `OnConnection` reads the profile name, opens Outlook's offline
//!    manager and advises a sink; `OnBeginShutdown` / `OnDisconnection` undo all of it.
//! 5. **The sink and the main thread** (`watcher`, `main_thread`): Outlook calls the sink
//!    on a thread of its choosing; the sink only posts the change to the thread that ran
//!    `OnConnection`, where the add-in acts on it (the only thread where Outlook's object
//!    model may be used).
//!
//! Around them: `module` counts what of the DLL is alive (for an honest `DllCanUnloadNow`)
//! and keeps panics inside; `logging` writes everything to a file (see `logging::path`).
//!
//! Windows only; on other systems this crate is empty.
#![allow(non_snake_case)] // the exports and COM methods keep their Windows names

#[cfg(windows)]
pub mod addin;
#[cfg(windows)]
pub mod dispatch;
#[cfg(windows)]
pub mod extensibility;
#[cfg(windows)]
pub mod factory;
#[cfg(windows)]
pub mod logging;
#[cfg(windows)]
pub mod main_thread;
#[cfg(windows)]
pub mod module;
#[cfg(windows)]
pub mod registration;
#[cfg(windows)]
pub mod watcher;

#[cfg(windows)]
pub use exports::*;

#[cfg(windows)]
mod exports {
    use crate::{factory::ClassFactory, logging, module, registration};
    use core::ffi::c_void;
    use windows::core::{IUnknown, Interface, BOOL, GUID, HRESULT, PCWSTR};
    use windows::Win32::Foundation::{
        CLASS_E_CLASSNOTAVAILABLE, E_INVALIDARG, E_POINTER, S_FALSE, S_OK,
    };

    /// The add-in's class: what `CoCreateInstance` is asked for.
    pub const CLSID_ADDIN: GUID = GUID::from_u128(0xf8b51e39_75c3_43ef_bae8_d60096161f06);
    /// The ProgID Outlook finds the add-in by, under `...\Outlook\Addins`.
    pub const PROGID: &str = "MapiNotifySink.OutlookAddin";

    /// COM asks for the class factory of `CLSID_ADDIN`.
    ///
    /// # Safety
    /// COM's contract: `clsid` and `iid` readable, `out` writable (each checked for null).
    #[no_mangle]
    pub unsafe extern "system" fn DllGetClassObject(
        clsid: *const GUID,
        iid: *const GUID,
        out: *mut *mut c_void,
    ) -> HRESULT {
        module::guard("DllGetClassObject", || {
            logging::init();
            if out.is_null() {
                return E_POINTER;
            }
            // SAFETY: non-null, writable (COM's contract).
            unsafe { out.write(core::ptr::null_mut()) };
            if clsid.is_null() || iid.is_null() {
                return E_INVALIDARG;
            }
            // SAFETY: non-null, readable (COM's contract).
            if unsafe { *clsid } != CLSID_ADDIN {
                log::warn!("DllGetClassObject: unknown CLSID {:?}", unsafe { *clsid });
                return CLASS_E_CLASSNOTAVAILABLE;
            }
            let factory: IUnknown = ClassFactory::new().into();
            // SAFETY: `iid` readable and `out` writable, as checked above.
            unsafe { factory.query(iid, out) }
        })
    }

    /// `S_OK` only when nothing of this DLL is alive: no add-in object, sink, class factory,
    /// main-thread window, nor a `LockServer` lock.
    #[no_mangle]
    pub extern "system" fn DllCanUnloadNow() -> HRESULT {
        module::guard("DllCanUnloadNow", || {
            let alive = module::alive();
            log::debug!("DllCanUnloadNow: {alive} object(s) or lock(s) alive");
            if alive == 0 {
                S_OK
            } else {
                S_FALSE
            }
        })
    }

    /// `regsvr32 outlook_addin.dll`: registers the add-in for the current user.
    #[no_mangle]
    pub extern "system" fn DllRegisterServer() -> HRESULT {
        module::guard("DllRegisterServer", || {
            logging::init();
            registration::register(registration::Scope::CurrentUser)
        })
    }

    /// `regsvr32 /u outlook_addin.dll`: removes the current user's registration.
    #[no_mangle]
    pub extern "system" fn DllUnregisterServer() -> HRESULT {
        module::guard("DllUnregisterServer", || {
            logging::init();
            registration::unregister(registration::Scope::CurrentUser)
        })
    }

    /// `regsvr32 /n /i:allusers outlook_addin.dll` (and with `/u`): the same for all users,
    /// under HKLM (needs an elevated prompt on Windows; the only kind Wine 8's COM finds).
    ///
    /// # Safety
    /// `command_line` is null or NUL-terminated (regsvr32 passes the text after `/i:`).
    #[no_mangle]
    pub unsafe extern "system" fn DllInstall(install: BOOL, command_line: PCWSTR) -> HRESULT {
        module::guard("DllInstall", || {
            logging::init();
            let argument = if command_line.is_null() {
                String::new()
            } else {
                // SAFETY: NUL-terminated (regsvr32's contract).
                unsafe { command_line.to_string() }.unwrap_or_default()
            };
            let scope = if argument.eq_ignore_ascii_case("allusers") {
                registration::Scope::AllUsers
            } else if argument.is_empty() || argument.eq_ignore_ascii_case("user") {
                registration::Scope::CurrentUser
            } else {
                log::error!(
                    "DllInstall: unknown argument {argument:?} (use /i:allusers or /i:user)"
                );
                return E_INVALIDARG;
            };
            if install.as_bool() {
                registration::register(scope)
            } else {
                registration::unregister(scope)
            }
        })
    }
}
