//! The registry keys that make the DLL an Outlook add-in, written by `DllRegisterServer` /
//! `DllInstall` and removed by `DllUnregisterServer` / `DllInstall(FALSE, ..)`. Under the root
//! (`HKEY_CURRENT_USER` for the current user, `HKEY_LOCAL_MACHINE` for all users):
//! - `Software\Classes\CLSID\{clsid}` = the name; `\InprocServer32` = the DLL's path, with
//!   `ThreadingModel` = `Apartment` (Outlook calls add-ins on its main STA thread); `\ProgID` =
//!   the ProgID.
//! - `Software\Classes\<ProgID>` = the name; `\CLSID` = `{clsid}`.
//! - `Software\Microsoft\Office\Outlook\Addins\<ProgID>`: `LoadBehavior` (3: load at start-up),
//!   `FriendlyName`, `Description`, and with `shutdown_notification = true`
//!   `RequireShutdownNotification` = 1 (Outlook 2010 and later call neither `OnBeginShutdown`
//!   nor `OnDisconnection` at their exit unless it is there).
//!
//! Registering writes them all or, when one fails, removes what it wrote; unregistering deletes
//! exactly those three keys (and what is below them), never their parents.

use super::Descriptor;
use crate::sys;
use windows_core::HRESULT;
use windows_registry::Key;

/// Whose registration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    /// `HKEY_CURRENT_USER`: no elevation needed; what `regsvr32` does by default.
    CurrentUser,
    /// `HKEY_LOCAL_MACHINE`: every user (elevated); `regsvr32 /n /i:allusers`.
    AllUsers,
}

impl Scope {
    fn root(self) -> &'static Key {
        match self {
            Scope::CurrentUser => windows_registry::CURRENT_USER,
            Scope::AllUsers => windows_registry::LOCAL_MACHINE,
        }
    }
}

/// The three keys, in the order they are deleted.
fn keys(addin: &Descriptor) -> [String; 3] {
    [
        format!(
            "Software\\Microsoft\\Office\\Outlook\\Addins\\{}",
            addin.progid
        ),
        format!("Software\\Classes\\{}", addin.progid),
        format!("Software\\Classes\\CLSID\\{}", addin.clsid_text()),
    ]
}

/// `HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED)`.
const ACCESS_DENIED: HRESULT = HRESULT(0x8007_0005_u32 as i32);

/// What a failed registration step returns: an access denial as itself (the caller needs an
/// elevated prompt, not a look at the DLL), anything else as `SELFREG_E_CLASS`.
fn failure(error: &windows_core::Error) -> HRESULT {
    if error.code() == ACCESS_DENIED {
        ACCESS_DENIED
    } else {
        sys::SELFREG_E_CLASS
    }
}

/// Writes every key; on a failure, removes what it wrote and returns why (`E_ACCESSDENIED`, or
/// `SELFREG_E_CLASS`).
pub(crate) fn register(addin: &Descriptor, scope: Scope) -> HRESULT {
    if scope == Scope::AllUsers {
        warn_if_shadowed(addin);
    }
    match write(addin, scope) {
        Ok(path) => {
            log::info!(
                "registered for {scope:?}: {} = {} -> {path}",
                addin.progid,
                addin.clsid_text()
            );
            sys::S_OK
        }
        Err(error) => {
            log::error!("register ({scope:?}): {error}; undoing");
            let _ = unregister(addin, scope);
            failure(&error)
        }
    }
}

/// An all-users registration is not what this user's Outlook loads when the user has one of the
/// same CLSID: COM prefers `HKEY_CURRENT_USER`'s classes. Says so.
fn warn_if_shadowed(addin: &Descriptor) {
    let class = format!(
        "Software\\Classes\\CLSID\\{}\\InprocServer32",
        addin.clsid_text()
    );
    if let Ok(key) = windows_registry::CURRENT_USER.open(&class) {
        let path = key.get_string("").unwrap_or_default();
        log::warn!(
            "register (AllUsers): {} is also registered for the current user ({path}), which \
             COM prefers for this user: this user's Outlook loads that one (regsvr32 /u of it \
             removes it)",
            addin.progid
        );
    }
}

fn write(addin: &Descriptor, scope: Scope) -> windows_core::Result<String> {
    let root = scope.root();
    let [addins, progid, clsid] = keys(addin);
    let path = super::module::dll_path();
    let class = root.create(&clsid)?;
    class.set_string("", addin.name)?;
    let server = class.create("InprocServer32")?;
    server.set_string("", &path)?;
    server.set_string("ThreadingModel", "Apartment")?;
    class.create("ProgID")?.set_string("", addin.progid)?;
    let named = root.create(&progid)?;
    named.set_string("", addin.name)?;
    named.create("CLSID")?.set_string("", addin.clsid_text())?;
    let outlook = root.create(&addins)?;
    outlook.set_u32("LoadBehavior", addin.load_behavior)?;
    if addin.shutdown_notification {
        outlook.set_u32("RequireShutdownNotification", 1)?;
    }
    outlook.set_string("FriendlyName", addin.name)?;
    outlook.set_string("Description", addin.description)?;
    Ok(path)
}

/// Deletes every key; a key that is already gone is fine.
pub(crate) fn unregister(addin: &Descriptor, scope: Scope) -> HRESULT {
    /// `HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND)`: no such key.
    const NOT_FOUND: HRESULT = HRESULT(0x8007_0002_u32 as i32);
    let mut result = sys::S_OK;
    for key in keys(addin) {
        if let Err(error) = scope.root().remove_tree(&key) {
            if error.code() != NOT_FOUND {
                log::error!("unregister ({scope:?}): deleting {key}: {error}");
                result = failure(&error);
            }
        }
    }
    if result.is_ok() {
        log::info!("unregistered for {scope:?}: {}", addin.progid);
    }
    result
}
