//! The registry keys that make the DLL an Outlook add-in, written by `DllRegisterServer` /
//! `DllInstall` and removed by `DllUnregisterServer` / `DllInstall(FALSE, ..)`.
//!
//! Under the root ([`Scope`]):
//! - `Software\Classes\CLSID\{clsid}` = the name; `\InprocServer32` = the DLL's path, with
//!   `ThreadingModel` = `Apartment` (Outlook calls add-ins on its main STA thread);
//!   `\ProgID` = the ProgID.
//! - `Software\Classes\<ProgID>` = the name; `\CLSID` = `{clsid}`.
//! - `Software\Microsoft\Office\Outlook\Addins\<ProgID>`: `LoadBehavior` = 3 (load at
//!   start-up), `FriendlyName`, `Description`.
//!
//! Unregistering deletes exactly those three keys (and what is below them), never their parents.

use crate::{CLSID_ADDIN, PROGID};
use windows::core::{HRESULT, HSTRING};
use windows::Win32::Foundation::{ERROR_FILE_NOT_FOUND, S_OK, WIN32_ERROR};
use windows::Win32::System::Ole::SELFREG_E_CLASS;
use windows::Win32::System::Registry::{
    RegCloseKey, RegCreateKeyExW, RegDeleteTreeW, RegSetValueExW, HKEY, HKEY_CURRENT_USER,
    HKEY_LOCAL_MACHINE, KEY_WRITE, REG_DWORD, REG_OPTION_NON_VOLATILE, REG_SZ,
};

/// The add-in's name in Outlook's add-in list.
pub const FRIENDLY_NAME: &str = "Offline watch (mapi-notify-sink example)";
/// Its description there.
pub const DESCRIPTION: &str = "Logs every time Outlook goes offline or online.";
/// Load at start-up, connected.
pub const LOAD_BEHAVIOR: u32 = 3;

/// Whose registration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// `HKEY_CURRENT_USER`: no elevation needed; what `regsvr32` does by default.
    CurrentUser,
    /// `HKEY_LOCAL_MACHINE`: every user (elevated); `regsvr32 /n /i:allusers`.
    AllUsers,
}

impl Scope {
    fn root(self) -> HKEY {
        match self {
            Scope::CurrentUser => HKEY_CURRENT_USER,
            Scope::AllUsers => HKEY_LOCAL_MACHINE,
        }
    }
}

/// The `Software\Classes\CLSID\{clsid}` key.
pub fn clsid_key() -> String {
    format!("Software\\Classes\\CLSID\\{{{CLSID_ADDIN:?}}}")
}

/// The `Software\Classes\<ProgID>` key.
pub fn progid_key() -> String {
    format!("Software\\Classes\\{PROGID}")
}

/// The `Software\Microsoft\Office\Outlook\Addins\<ProgID>` key.
pub fn addin_key() -> String {
    format!("Software\\Microsoft\\Office\\Outlook\\Addins\\{PROGID}")
}

enum Value<'a> {
    Text(&'a str),
    Number(u32),
}

/// Writes every key; on a failure, removes what it wrote.
pub fn register(scope: Scope) -> HRESULT {
    let path = crate::module::dll_path();
    let clsid = format!("{{{CLSID_ADDIN:?}}}");
    let keys: [(String, &[(&str, Value)]); 6] = [
        (clsid_key(), &[("", Value::Text(FRIENDLY_NAME))]),
        (
            format!("{}\\InprocServer32", clsid_key()),
            &[
                ("", Value::Text(&path)),
                ("ThreadingModel", Value::Text("Apartment")),
            ],
        ),
        (
            format!("{}\\ProgID", clsid_key()),
            &[("", Value::Text(PROGID))],
        ),
        (progid_key(), &[("", Value::Text(FRIENDLY_NAME))]),
        (
            format!("{}\\CLSID", progid_key()),
            &[("", Value::Text(&clsid))],
        ),
        (
            addin_key(),
            &[
                ("LoadBehavior", Value::Number(LOAD_BEHAVIOR)),
                ("FriendlyName", Value::Text(FRIENDLY_NAME)),
                ("Description", Value::Text(DESCRIPTION)),
            ],
        ),
    ];
    for (key, values) in &keys {
        if let Err(error) = write_key(scope.root(), key, values) {
            log::error!("register ({scope:?}): {key}: {error:?}; undoing");
            let _ = unregister(scope);
            return SELFREG_E_CLASS;
        }
    }
    log::info!("registered for {scope:?}: {PROGID} = {clsid} -> {path}");
    S_OK
}

/// Deletes every key; a key that is already gone is fine.
pub fn unregister(scope: Scope) -> HRESULT {
    let mut result = S_OK;
    for key in [addin_key(), progid_key(), clsid_key()] {
        // SAFETY: a predefined root and a NUL-terminated sub-key.
        let status = unsafe { RegDeleteTreeW(scope.root(), &HSTRING::from(key.as_str())) };
        if status.is_err() && status != ERROR_FILE_NOT_FOUND {
            log::error!("unregister ({scope:?}): deleting {key}: {status:?}");
            result = SELFREG_E_CLASS;
        }
    }
    if result.is_ok() {
        log::info!("unregistered for {scope:?}: {PROGID}");
    }
    result
}

fn write_key(root: HKEY, key: &str, values: &[(&str, Value)]) -> Result<(), WIN32_ERROR> {
    let mut handle = HKEY::default();
    // SAFETY: a predefined root, a NUL-terminated sub-key, a valid out pointer.
    let created = unsafe {
        RegCreateKeyExW(
            root,
            &HSTRING::from(key),
            None,
            None,
            REG_OPTION_NON_VOLATILE,
            KEY_WRITE,
            None,
            &mut handle,
            None,
        )
    };
    if created.is_err() {
        return Err(created);
    }
    let mut status = Ok(());
    for (name, value) in values {
        let name = HSTRING::from(*name);
        // SAFETY: an open key, a NUL-terminated name, and data of the type named.
        let written = unsafe {
            match value {
                Value::Text(text) => {
                    let data: Vec<u8> = text
                        .encode_utf16()
                        .chain([0])
                        .flat_map(u16::to_le_bytes)
                        .collect();
                    RegSetValueExW(handle, &name, None, REG_SZ, Some(&data))
                }
                Value::Number(number) => {
                    RegSetValueExW(handle, &name, None, REG_DWORD, Some(&number.to_le_bytes()))
                }
            }
        };
        if written.is_err() {
            status = Err(written);
            break;
        }
    }
    // SAFETY: opened above.
    let _ = unsafe { RegCloseKey(handle) };
    status
}
