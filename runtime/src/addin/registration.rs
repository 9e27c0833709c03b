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
//! Registering writes them all or, when one fails, puts back what was there (the keys it
//! created removed, the values it overwrote restored: a working registration survives a failed
//! re-registration); unregistering deletes exactly those three keys (and what is below them),
//! never their parents.

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

/// `KEY_WOW64_64KEY` and `KEY_WOW64_32KEY`: the other bitness's view of a redirected key.
const KEY_WOW64_64KEY: u32 = 0x0100;
const KEY_WOW64_32KEY: u32 = 0x0200;

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

/// Writes every key; on a failure, puts back what was there before (removing what it created,
/// restoring what it overwrote) and returns why (`E_ACCESSDENIED`, or `SELFREG_E_CLASS`).
pub(crate) fn register(addin: &Descriptor, scope: Scope) -> HRESULT {
    if scope == Scope::AllUsers {
        warn_if_shadowed(addin);
    }
    let mut journal = Journal::new(scope.root());
    match write(addin, &mut journal) {
        Ok(path) => {
            log::info!(
                "registered for {scope:?}: {} = {} -> {path}",
                addin.progid,
                addin.clsid_text()
            );
            sys::S_OK
        }
        Err(error) => {
            log::error!("register ({scope:?}): {error}; putting back what was there");
            journal.roll_back();
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

fn write(addin: &Descriptor, journal: &mut Journal<'_>) -> windows_core::Result<String> {
    let [addins, progid, clsid] = keys(addin);
    let path = super::module::dll_path();
    let server = format!("{clsid}\\InprocServer32");
    journal.set(&clsid, "", addin.name.into())?;
    journal.set(&server, "", path.as_str().into())?;
    journal.set(&server, "ThreadingModel", "Apartment".into())?;
    journal.set(&format!("{clsid}\\ProgID"), "", addin.progid.into())?;
    journal.set(&progid, "", addin.name.into())?;
    journal.set(
        &format!("{progid}\\CLSID"),
        "",
        addin.clsid_text().as_str().into(),
    )?;
    journal.set(&addins, "LoadBehavior", addin.load_behavior.into())?;
    if addin.shutdown_notification {
        journal.set(&addins, "RequireShutdownNotification", 1_u32.into())?;
    } else {
        journal.remove(&addins, "RequireShutdownNotification")?;
    }
    journal.set(&addins, "FriendlyName", addin.name.into())?;
    journal.set(&addins, "Description", addin.description.into())?;
    Ok(path)
}

/// What a registration changed, so that one failing half-way puts everything back as it was:
/// the keys it created are removed, the values it overwrote or removed are restored (a
/// registration that worked before a failed re-registration still works after it).
struct Journal<'a> {
    root: &'a Key,
    undo: Vec<Undo>,
}

enum Undo {
    /// A key that did not exist.
    Created(String),
    /// A value as it was (`None`: there was none).
    Value {
        key: String,
        name: String,
        old: Option<windows_registry::Value>,
    },
}

impl<'a> Journal<'a> {
    fn new(root: &'a Key) -> Self {
        Journal {
            root,
            undo: Vec::new(),
        }
    }

    /// The key at `path`, to read and write, created (and that noted) if it is not there.
    fn key(&mut self, path: &str) -> windows_core::Result<Key> {
        if let Ok(key) = self.writable(path) {
            return Ok(key);
        }
        let key = self.root.create(path)?;
        self.undo.push(Undo::Created(path.to_owned()));
        Ok(key)
    }

    /// Sets `name` under `path` to `value`, noting what it was.
    fn set(
        &mut self,
        path: &str,
        name: &str,
        value: windows_registry::Value,
    ) -> windows_core::Result<()> {
        let key = self.key(path)?;
        let old = key.get_value(name).ok();
        key.set_value(name, &value)?;
        self.undo.push(Undo::Value {
            key: path.to_owned(),
            name: name.to_owned(),
            old,
        });
        Ok(())
    }

    /// Removes `name` under `path` if it is there, noting what it was.
    fn remove(&mut self, path: &str, name: &str) -> windows_core::Result<()> {
        let key = self.key(path)?;
        if let Ok(old) = key.get_value(name) {
            key.remove_value(name)?;
            self.undo.push(Undo::Value {
                key: path.to_owned(),
                name: name.to_owned(),
                old: Some(old),
            });
        }
        Ok(())
    }

    /// The existing key at `path`, to read and write (`Key::open` reads only).
    fn writable(&self, path: &str) -> windows_core::Result<Key> {
        self.root.options().read().write().open(path)
    }

    /// Puts back what was changed, last change first.
    fn roll_back(mut self) {
        let undo = core::mem::take(&mut self.undo);
        for undo in undo.into_iter().rev() {
            let undone = match &undo {
                Undo::Created(path) => self.root.remove_tree(path),
                Undo::Value { key, name, old } => self.writable(key).and_then(|key| match old {
                    Some(old) => key.set_value(name, old),
                    None => key.remove_value(name),
                }),
            };
            if let Err(error) = undone {
                let what = match &undo {
                    Undo::Created(path) => path.clone(),
                    Undo::Value { key, name, .. } => format!("{key} {name:?}"),
                };
                log::error!("register: undoing {what}: {error}");
            }
        }
    }
}

/// Deletes every key; a key that is already gone is fine.
pub(crate) fn unregister(addin: &Descriptor, scope: Scope) -> HRESULT {
    /// `HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND)`: no such key.
    const NOT_FOUND: HRESULT = HRESULT(0x8007_0002_u32 as i32);
    let ours = super::module::dll_path();
    let [addins, progid, clsid] = keys(addin);
    let server = format!("{clsid}\\InprocServer32");
    // The DLL a view's class names, `None` where there is no class.
    let named = |view: u32| {
        let key = scope
            .root()
            .options()
            .read()
            .access(view)
            .open(&server)
            .ok()?;
        key.get_string("").ok()
    };
    let another = |dll: &Option<String>| {
        dll.as_ref()
            .is_some_and(|dll| !dll.eq_ignore_ascii_case(&ours))
    };
    // The class is per view (WOW64 redirects `Classes\CLSID`, under both roots), the ProgID and
    // the Outlook key are one for both bitnesses: a class naming another DLL (the other
    // bitness's registration, or one made from elsewhere) is left, and so are the shared keys
    // while the other view's class names another DLL. (Wine 8 does not redirect
    // `HKEY_CURRENT_USER`'s classes: there both views are one key, and the rule still holds.)
    let mut doomed = Vec::new();
    let here = named(0);
    if another(&here) {
        log::info!(
            "unregister ({scope:?}): kept {clsid}: it names {}, not this DLL",
            here.as_deref().unwrap_or_default()
        );
    } else {
        doomed.push(clsid.clone());
    }
    let other_view = if cfg!(target_pointer_width = "64") {
        KEY_WOW64_32KEY
    } else {
        KEY_WOW64_64KEY
    };
    let there = named(other_view);
    if another(&here) || another(&there) {
        log::info!(
            "unregister ({scope:?}): kept {progid} and {addins}: another registration of {} \
             ({}) uses them",
            addin.progid,
            there.or(here).unwrap_or_default()
        );
    } else {
        doomed.splice(0..0, [addins, progid]);
    }
    let mut result = sys::S_OK;
    for key in doomed {
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

#[cfg(test)]
mod tests {
    use super::{failure, ACCESS_DENIED};
    use crate::sys;
    use windows_core::{Error, HRESULT};

    #[test]
    fn an_access_denial_is_returned_as_itself_anything_else_as_selfreg_e_class() {
        assert_eq!(failure(&Error::from_hresult(ACCESS_DENIED)), ACCESS_DENIED);
        // ERROR_CHILD_MUST_BE_VOLATILE, a write that failed for another reason.
        let other = Error::from_hresult(HRESULT(0x8007_03FD_u32 as i32));
        assert_eq!(failure(&other), sys::SELFREG_E_CLASS);
    }
}
