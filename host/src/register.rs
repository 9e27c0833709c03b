//! `--dll PATH` without `--clsid` ([`Simulation::registered_dll`](crate::Simulation)): the DLL
//! registers itself (its own `DllRegisterServer`, as `regsvr32` calls it) into a registry of this
//! run's own, and the add-in is found from what it wrote, as Outlook would find it: its ProgID
//! from `Software\Microsoft\Office\Outlook\Addins`, its CLSID from `Software\Classes\<ProgID>`,
//! `LoadBehavior`, `RequireShutdownNotification` and the class's `ThreadingModel` read and
//! checked as by ProgID. So an author writes the CLSID and the ProgID once, in their attribute.
//!
//! The run's own registry is an application hive (`RegLoadAppKeyW`: a hive file in a folder of
//! the run's, visible to this process only), with `HKEY_CURRENT_USER` and `HKEY_LOCAL_MACHINE`
//! redirected to it (`RegOverridePredefKey`) for the call only: the user's registry is never
//! written. Wine 8's `RegLoadAppKeyW` is a stub that returns a handle no call accepts; under
//! Wine (whose registry is the prefix's, outlook-sim's own on Linux) the run's registry is a
//! key, `HKCU\Software\outlook-sim\run-<process>`, deleted at the end.

use crate::load::{self, Registration, Server};
use crate::report::Report;
use std::path::Path;
use windows::core::{GUID, HRESULT, HSTRING, PCSTR, PWSTR};
use windows::Win32::Foundation::{FreeLibrary, ERROR_SUCCESS, WIN32_ERROR};
use windows::Win32::System::LibraryLoader::{GetProcAddress, LoadLibraryW};
use windows::Win32::System::Registry::{
    RegCloseKey, RegCreateKeyExW, RegDeleteKeyW, RegDeleteTreeW, RegEnumKeyExW, RegLoadAppKeyW,
    RegOpenKeyExW, RegOverridePredefKey, HKEY, HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE,
    KEY_ALL_ACCESS, KEY_READ, REG_OPTION_NON_VOLATILE, REG_PROCESS_APPKEY,
};

const ADDINS: &str = r"Software\Microsoft\Office\Outlook\Addins";

/// The run's own registry: its two roots (the current user's and the machine's, as the DLL saw
/// them), removed on drop.
struct Private {
    user: HKEY,
    machine: HKEY,
    /// What to remove: the hive's folder, or the key under the prefix's HKCU.
    cleanup: Cleanup,
    /// Where it is, for the report.
    described: String,
}

enum Cleanup {
    Hive {
        root: HKEY,
        folder: std::path::PathBuf,
    },
    Key {
        name: String,
    },
}

/// The two roots under `base`, or neither (a half made is closed).
fn roots(base: HKEY) -> Option<(HKEY, HKEY)> {
    let user = create(base, "user")?;
    match create(base, "machine") {
        Some(machine) => Some((user, machine)),
        None => {
            // SAFETY: the key just opened.
            unsafe {
                let _ = RegCloseKey(user);
            }
            None
        }
    }
}

impl Private {
    fn open() -> Result<Private, String> {
        let nonce = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |time| time.as_nanos());
        let folder = std::env::temp_dir().join(format!(
            "outlook-sim-registry-{}-{nonce}",
            std::process::id()
        ));
        std::fs::create_dir_all(&folder)
            .map_err(|error| format!("cannot make {}: {error}", folder.display()))?;
        let hive = folder.join("registry.dat");
        let mut root = HKEY::default();
        // SAFETY: a NUL-terminated path and a writable out handle.
        let status = unsafe {
            RegLoadAppKeyW(
                &HSTRING::from(hive.as_os_str()),
                &mut root,
                KEY_ALL_ACCESS.0,
                REG_PROCESS_APPKEY,
                None,
            )
        };
        let loaded = status == ERROR_SUCCESS;
        if loaded {
            if let Some((user, machine)) = roots(root) {
                return Ok(Private {
                    user,
                    machine,
                    cleanup: Cleanup::Hive { root, folder },
                    described: format!("a registry hive of this run's own ({})", hive.display()),
                });
            }
            // SAFETY: the handle RegLoadAppKeyW returned (Wine's stub returns one that no call
            // accepts; closing it is harmless).
            unsafe {
                let _ = RegCloseKey(root);
            }
        }
        let _ = std::fs::remove_dir_all(&folder);
        if !load::running_under_wine() {
            return Err(if loaded {
                format!(
                    "the registry hive {} loaded but its keys could not be made: no registry \
                     of the run's own, and the user's is never written",
                    hive.display()
                )
            } else {
                format!(
                    "RegLoadAppKeyW({}) failed (error {}): no registry of the run's own, and \
                     the user's is never written",
                    hive.display(),
                    status.0
                )
            });
        }
        // A name no earlier run used (Wine reuses process numbers; a run that crashed left its
        // key behind).
        let name = format!(r"Software\outlook-sim\run-{}-{nonce}", std::process::id());
        // Not volatile: a volatile key has no lasting subkeys, and the DLL writes lasting ones.
        let base = create(HKEY_CURRENT_USER, &name)
            .ok_or_else(|| format!("cannot make the key HKCU\\{name}"))?;
        let made = roots(base);
        // SAFETY: a key this function opened.
        unsafe {
            let _ = RegCloseKey(base);
        }
        let cleanup = Cleanup::Key { name: name.clone() };
        match made {
            Some((user, machine)) => Ok(Private {
                user,
                machine,
                cleanup,
                described: format!(
                    "the key HKCU\\{name} of the Wine prefix, deleted at the end (Wine 8's \
                     RegLoadAppKeyW is a stub)"
                ),
            }),
            None => {
                cleanup.remove();
                Err(format!("cannot make the keys under HKCU\\{name}"))
            }
        }
    }
}

impl Drop for Private {
    fn drop(&mut self) {
        // SAFETY: keys this type opened, closed once.
        unsafe {
            let _ = RegCloseKey(self.user);
            let _ = RegCloseKey(self.machine);
        }
        self.cleanup.remove();
    }
}

impl Cleanup {
    fn remove(&self) {
        match self {
            Cleanup::Hive { root, folder } => {
                // SAFETY: the hive's root, closed once (the roots under it are closed first);
                // closing an application hive's last key unloads it.
                unsafe {
                    let _ = RegCloseKey(*root);
                }
                let _ = std::fs::remove_dir_all(folder);
            }
            Cleanup::Key { name } => {
                let parent = name.rsplit_once('\\').map_or("", |(parent, _)| parent);
                // SAFETY: NUL-terminated names under a predefined root.
                unsafe {
                    let _ = RegDeleteTreeW(HKEY_CURRENT_USER, &HSTRING::from(name.as_str()));
                    let _ = RegDeleteKeyW(HKEY_CURRENT_USER, &HSTRING::from(name.as_str()));
                    // The parent too, when no other run uses it (fails harmlessly if one does).
                    let _ = RegDeleteKeyW(HKEY_CURRENT_USER, &HSTRING::from(parent));
                }
            }
        }
    }
}

/// `root\name`, made (a lasting key: the DLL writes lasting ones under it) or opened.
fn create(root: HKEY, name: &str) -> Option<HKEY> {
    let mut key = HKEY::default();
    // SAFETY: a NUL-terminated name and a writable out handle.
    let status = unsafe {
        RegCreateKeyExW(
            root,
            &HSTRING::from(name),
            None,
            None,
            REG_OPTION_NON_VOLATILE,
            KEY_ALL_ACCESS,
            None,
            &mut key,
            None,
        )
    };
    (status == ERROR_SUCCESS).then_some(key)
}

/// The names of `root\path`'s subkeys (none when it does not exist).
fn subkeys(root: HKEY, path: &str) -> Vec<String> {
    let mut key = HKEY::default();
    // SAFETY: a NUL-terminated path and a writable out handle.
    if unsafe { RegOpenKeyExW(root, &HSTRING::from(path), None, KEY_READ, &mut key) }
        != ERROR_SUCCESS
    {
        return Vec::new();
    }
    let mut names = Vec::new();
    for index in 0.. {
        let mut name = [0u16; 256];
        let mut len = name.len() as u32;
        // SAFETY: a buffer of `len` units; the other outputs are not asked for.
        let status: WIN32_ERROR = unsafe {
            RegEnumKeyExW(
                key,
                index,
                Some(PWSTR(name.as_mut_ptr())),
                &mut len,
                None,
                None,
                None,
                None,
            )
        };
        if status != ERROR_SUCCESS {
            break;
        }
        names.push(String::from_utf16_lossy(&name[..len as usize]));
    }
    // SAFETY: the key opened above.
    unsafe {
        let _ = RegCloseKey(key);
    }
    names
}

/// Registers the DLL into the run's own registry and reads the add-in from it. `None`, with the
/// failure reported, when it cannot be registered or Outlook would not load what it wrote.
pub(crate) fn register_privately(
    dll: &Path,
    after_startup: bool,
    report: &mut Report,
) -> Option<Registration> {
    let private = match Private::open() {
        Ok(private) => private,
        Err(error) => {
            report.fail(format!("a registry of the run's own: {error}"));
            return None;
        }
    };
    report.line(format!(
        "registering {} where only this run sees it: {}",
        dll.display(),
        private.described
    ));
    if !call_register_server(dll, &private, report) {
        return None;
    }
    read_registration(dll, &private, after_startup, report)
}

/// Loads the DLL, calls its `DllRegisterServer` with the current user's and the machine's
/// registry redirected to the run's own, and unloads it, as `regsvr32` does in its own process.
fn call_register_server(dll: &Path, private: &Private, report: &mut Report) -> bool {
    // SAFETY: loading the DLL the user named runs its DllMain, as regsvr32 would.
    let module = match unsafe { LoadLibraryW(&HSTRING::from(dll.as_os_str())) } {
        Ok(module) => module,
        Err(error) => {
            report.call(&format!("LoadLibraryW({})", dll.display()), error.code());
            report.fail(format!(
                "cannot load {} (a DLL of another bitness than this outlook-sim's?)",
                dll.display()
            ));
            return false;
        }
    };
    // SAFETY: a loaded module and a NUL-terminated name.
    let Some(function) =
        (unsafe { GetProcAddress(module, PCSTR(c"DllRegisterServer".as_ptr().cast())) })
    else {
        report.fail(
            "the DLL does not export DllRegisterServer: it cannot register itself, so give its \
             CLSID (--clsid), or register it (regsvr32) and give its ProgID (--progid)"
                .into(),
        );
        // SAFETY: the reference LoadLibraryW took.
        unsafe {
            let _ = FreeLibrary(module);
        }
        return false;
    };
    // SAFETY: COM's `HRESULT DllRegisterServer(void)`.
    let register: unsafe extern "system" fn() -> HRESULT =
        unsafe { core::mem::transmute(function) };
    // SAFETY: handles this run owns; the overrides are undone right after the call, on this
    // thread, the process's only one that reads the registry now (a run of its own: the
    // library never runs this in a test's process).
    let code = unsafe {
        let user = RegOverridePredefKey(HKEY_CURRENT_USER, Some(private.user));
        let machine = RegOverridePredefKey(HKEY_LOCAL_MACHINE, Some(private.machine));
        let code = if user == ERROR_SUCCESS && machine == ERROR_SUCCESS {
            Some(
                report.timed("DllRegisterServer (into the run's own registry)", || {
                    register()
                }),
            )
        } else {
            None
        };
        let _ = RegOverridePredefKey(HKEY_CURRENT_USER, None);
        let _ = RegOverridePredefKey(HKEY_LOCAL_MACHINE, None);
        match code {
            Some(code) => code,
            None => {
                let _ = FreeLibrary(module);
                report.fail(format!(
                    "RegOverridePredefKey failed (errors {} and {}): DllRegisterServer is not \
                     called, since it would write the user's own registry",
                    user.0, machine.0
                ));
                return false;
            }
        }
    };
    // SAFETY: the reference LoadLibraryW took: regsvr32's process ends here, ours unloads it.
    unsafe {
        let _ = FreeLibrary(module);
    }
    if code.is_err() {
        report.fail(format!(
            "DllRegisterServer failed ({}): the add-in cannot be registered, so Outlook could \
             not find it",
            crate::report::name(code)
        ));
        return false;
    }
    true
}

/// The add-in as Outlook would find it in what the DLL wrote.
fn read_registration(
    dll: &Path,
    private: &Private,
    after_startup: bool,
    report: &mut Report,
) -> Option<Registration> {
    let in_machine = subkeys(private.machine, ADDINS);
    if !in_machine.is_empty() {
        report.line(format!(
            "DllRegisterServer wrote an add-in for all users (HKLM\\{ADDINS}\\{}): regsvr32 \
             without /i:allusers registers for the current user",
            in_machine.join(", ")
        ));
    }
    let (root, root_name, progids) = match subkeys(private.user, ADDINS) {
        progids if !progids.is_empty() => (private.user, "HKCU", progids),
        _ => (private.machine, "HKLM", in_machine),
    };
    let progid = match progids.as_slice() {
        [progid] => progid.clone(),
        [] => {
            report.fail(format!(
                "DllRegisterServer registered no Outlook add-in: no {ADDINS}\\<ProgID> key, so \
                 Outlook would never load it"
            ));
            return None;
        }
        several => {
            report.fail(format!(
                "DllRegisterServer registered {} Outlook add-ins ({}): one DLL, one add-in",
                several.len(),
                several.join(", ")
            ));
            return None;
        }
    };
    let key = format!(r"{ADDINS}\{progid}");
    let Some(load_behavior) = load::read_dword(root, &key, "LoadBehavior") else {
        report.fail(format!(
            "{root_name}\\{key} has no LoadBehavior: Outlook would not load the add-in"
        ));
        return None;
    };
    let shutdown_notification =
        load::read_dword(root, &key, "RequireShutdownNotification") == Some(1);
    report.line(format!(
        "registry: {root_name}\\{key}: LoadBehavior {load_behavior}, FriendlyName {:?}, \
         RequireShutdownNotification {}",
        load::read_string(root, &key, "FriendlyName").unwrap_or_default(),
        if shutdown_notification {
            "1"
        } else {
            "absent (fast shutdown)"
        }
    ));
    let at_startup = load::load_behavior_read(load_behavior, after_startup, root, &key, report)?;
    let class_key = format!(r"Software\Classes\{progid}\CLSID");
    let clsid = load::read_string(root, &class_key, "")
        .and_then(|text| GUID::try_from(text.trim_start_matches('{').trim_end_matches('}')).ok());
    let Some(clsid) = clsid else {
        report.fail(format!(
            "no CLSID in {root_name}\\{class_key}: COM would find no class for the ProgID {progid}"
        ));
        return None;
    };
    report.line(format!(
        "the add-in: ProgID {progid}, CLSID {{{clsid:?}}} (as its DLL registered them)"
    ));
    let server_key = format!(r"Software\Classes\CLSID\{{{clsid:?}}}\InprocServer32");
    let Some(server_dll) = load::read_string(root, &server_key, "") else {
        report.fail(format!(
            "no {root_name}\\{server_key}: the class has no in-process server"
        ));
        return None;
    };
    let same = std::fs::canonicalize(&server_dll).ok() == std::fs::canonicalize(dll).ok();
    if !same {
        report.fail(format!(
            "the class's InprocServer32 is {server_dll}, not the DLL that registered it ({}): \
             COM would load another file",
            dll.display()
        ));
        return None;
    }
    let server = Server {
        dll: server_dll,
        threading_model: load::read_string(root, &server_key, "ThreadingModel"),
        root: root_name,
    };
    if !load::threading_model_checked(&server, report) {
        return None;
    }
    Some(Registration {
        progid,
        clsid,
        dll: dll.to_path_buf(),
        at_startup,
        shutdown_notification,
    })
}
