//! Finding and creating the add-in, as Outlook does: by ProgID through the registry and COM,
//! or straight from a DLL's class factory; and asking the DLL whether it can be unloaded.

use crate::report::Report;
use core::ffi::c_void;
use std::path::{Path, PathBuf};
use windows::core::{IUnknown, Interface, GUID, HRESULT, HSTRING, PCSTR};
use windows::Win32::System::Com::{
    CLSIDFromProgID, CoCreateInstance, IClassFactory, CLSCTX_INPROC_SERVER,
};
use windows::Win32::System::LibraryLoader::{GetModuleHandleW, GetProcAddress, LoadLibraryW};
use windows::Win32::System::Registry::{
    RegGetValueW, RegSetKeyValueW, HKEY, HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE, REG_DWORD,
    REG_ROUTINE_FLAGS, RRF_RT_REG_DWORD, RRF_RT_REG_SZ, RRF_SUBKEY_WOW6432KEY,
    RRF_SUBKEY_WOW6464KEY,
};

/// Where the add-in came from, for `DllCanUnloadNow`.
pub(crate) struct Loaded {
    pub(crate) addin: IUnknown,
    pub(crate) dll: PathBuf,
}

/// What Outlook reads of a registered add-in, and what it decided from it.
pub(crate) struct Registration {
    pub(crate) progid: String,
    pub(crate) clsid: GUID,
    pub(crate) dll: PathBuf,
    /// Connected as Outlook starts (`LoadBehavior` 3 or 16), else after start-up.
    pub(crate) at_startup: bool,
    /// `RequireShutdownNotification` = 1 in the add-in's key.
    pub(crate) shutdown_notification: bool,
}

/// Finds the add-in Outlook would load, reading its keys as Office does and checking what
/// Outlook suffers from in them. `None` (with the failure reported) when Outlook would not load
/// it; `after_startup` is how the user asked it connected (`--connect after-startup`).
pub(crate) fn find_by_progid(
    progid: &str,
    after_startup: bool,
    report: &mut Report,
) -> Option<Registration> {
    let key = format!("Software\\Microsoft\\Office\\Outlook\\Addins\\{progid}");
    let found = [("HKCU", HKEY_CURRENT_USER), ("HKLM", HKEY_LOCAL_MACHINE)]
        .into_iter()
        .find_map(|(root_name, root)| {
            read_dword(root, &key, "LoadBehavior").map(|value| (root_name, root, value))
        });
    let Some((root_name, root, load_behavior)) = found else {
        // Registered for Office of the other bitness? Its registry view is apart from ours.
        let (other, bits) = if cfg!(target_pointer_width = "64") {
            (RRF_SUBKEY_WOW6432KEY, 32)
        } else {
            (RRF_SUBKEY_WOW6464KEY, 64)
        };
        let elsewhere = [HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE]
            .into_iter()
            .any(|root| {
                read_value(
                    root,
                    &key,
                    "LoadBehavior",
                    RRF_RT_REG_DWORD | other,
                    &mut [0; 4],
                )
                .is_some()
            });
        let hint = if elsewhere {
            format!(
                " It is registered in the {bits}-bit registry view, for {bits}-bit Office: an \
                 add-in loads only in an Outlook of its own bitness; run the {bits}-bit \
                 outlook-sim (on Linux: outlook-sim --{bits})."
            )
        } else {
            String::new()
        };
        report.fail(format!(
            "no {key} with a LoadBehavior under HKCU or HKLM: not registered as an Outlook add-in.{hint}"
        ));
        return None;
    };
    let friendly = read_string(root, &key, "FriendlyName").unwrap_or_default();
    let shutdown_notification = read_dword(root, &key, "RequireShutdownNotification") == Some(1);
    report.line(format!(
        "registry: {root_name}\\{key}: LoadBehavior {load_behavior}, FriendlyName {friendly:?}, \
         RequireShutdownNotification {}",
        if shutdown_notification {
            "1"
        } else {
            "absent (fast shutdown)"
        }
    ));
    let at_startup = load_behavior_read(load_behavior, after_startup, root, &key, report)?;

    // SAFETY: a NUL-terminated ProgID.
    let clsid = match unsafe { CLSIDFromProgID(&HSTRING::from(progid)) } {
        Ok(clsid) => {
            report.line(format!("CLSIDFromProgID({progid}) -> {{{clsid:?}}}"));
            clsid
        }
        Err(error) => {
            report.call(&format!("CLSIDFromProgID({progid})"), error.code());
            let class_key = format!("Software\\Classes\\{progid}\\CLSID");
            // Wine's COM reads HKLM's classes only (Windows merges HKCU's in): say so.
            let hint = match read_string(HKEY_CURRENT_USER, &class_key, "") {
                Some(_) if running_under_wine() => {
                    " It is registered for the current user only, and Wine's COM reads only \
                     HKLM's classes: register it for all users (regsvr32 /n /i:allusers)."
                }
                _ => "",
            };
            report.fail(format!(
                "COM finds no class for the ProgID {progid} ({class_key}).{hint}"
            ));
            return None;
        }
    };
    let server = class_server(&clsid, report)?;
    // The registration's root: one install writes one root.
    match (root_name, server.root) {
        ("HKCU", "HKLM") => report.fail(format!(
            "the add-in is registered for the current user (HKCU\\{key}) but its class only \
             for all users (HKLM\\Software\\Classes\\CLSID\\{{{clsid:?}}}): the key and the \
             class are under different roots. A per-user install that wrote HKLM needed \
             administrator rights and changed every user's machine; a per-machine install \
             with a per-user key leaves other users a class without an add-in. Register both \
             under one root (regsvr32 for the current user, /i:allusers for all)"
        )),
        ("HKLM", "HKCU") => report.fail(format!(
            "the add-in is registered for all users (HKLM\\{key}) but its class only for the \
             current user (HKCU\\Software\\Classes\\CLSID\\{{{clsid:?}}}): other users, and an \
             elevated Outlook (which does not read HKCU's classes), cannot create it"
        )),
        _ => report.line(format!(
            "check ok:   the add-in's key and its class are both under {root_name}"
        )),
    }
    if !threading_model_checked(&server, report) {
        return None;
    }
    Some(Registration {
        progid: progid.into(),
        clsid,
        dll: server.dll.into(),
        at_startup,
        shutdown_notification,
    })
}

/// `LoadBehavior` as Office reads it: `Some(at_startup)` when Outlook connects the add-in,
/// `None` (reported) when it does not.
pub(crate) fn load_behavior_read(
    value: u32,
    after_startup: bool,
    root: HKEY,
    key: &str,
    report: &mut Report,
) -> Option<bool> {
    match value {
        2 if !after_startup => {
            report.fail(
                "LoadBehavior 2: Outlook disabled the add-in and does not load it: Office writes \
                 2 when loading it at start-up failed (\"Registry entries for VSTO Add-ins\": 3 \
                 becomes 2 after an error while loading), and loads it again only when the user \
                 connects it in File > Options > Add-ins > COM Add-ins (outlook-sim --connect \
                 after-startup does that); an installer writes 3"
                    .into(),
            );
            None
        }
        2 => {
            report.line(
                "LoadBehavior 2 (unloaded, after a failed load): the user connects it in the COM \
                 Add-ins dialog, after start-up",
            );
            Some(false)
        }
        0 | 1 if !after_startup => {
            report.fail(format!(
                "LoadBehavior {value}: \"do not load automatically\": Outlook loads it only when \
                 the user connects it in the COM Add-ins dialog (outlook-sim --connect \
                 after-startup does that); 3 loads it at start-up"
            ));
            None
        }
        0 | 1 => Some(false),
        3 => Some(!after_startup),
        8 | 9 => {
            report.line(format!(
                "LoadBehavior {value}: load on demand: Office connects it when the user first \
                 needs it (a Ribbon button of its), after start-up, so it gets no \
                 OnStartupComplete; outlook-sim connects it right after start-up"
            ));
            Some(false)
        }
        16 => {
            let nine = 9u32.to_le_bytes();
            // SAFETY: NUL-terminated names and a 4-byte DWORD.
            let written = unsafe {
                RegSetKeyValueW(
                    root,
                    &HSTRING::from(key),
                    &HSTRING::from("LoadBehavior"),
                    REG_DWORD.0,
                    Some(nine.as_ptr().cast()),
                    4,
                )
            };
            report.line(format!(
                "LoadBehavior 16: connect at the first start-up, then on demand: connected now, \
                 and LoadBehavior set to 9, as Office sets it after that first run ({})",
                if written.is_ok() {
                    "written"
                } else {
                    "could not be written"
                }
            ));
            Some(!after_startup)
        }
        other => {
            report.fail(format!(
                "LoadBehavior {other} is not a value Office knows (0, 1, 2, 3, 8, 9 or 16): \
                 Outlook would not load the add-in; write 3"
            ));
            None
        }
    }
}

/// A class's in-process server: the DLL, its `ThreadingModel`, and which root it is under.
pub(crate) struct Server {
    pub(crate) dll: String,
    pub(crate) threading_model: Option<String>,
    pub(crate) root: &'static str,
}

/// The class's `InprocServer32` as COM on Windows reads it (the current user's over all
/// users'); `None`, reported, when there is none.
fn class_server(clsid: &GUID, report: &mut Report) -> Option<Server> {
    let server = find_server(clsid);
    if server.is_none() {
        report.fail(format!(
            "no Software\\Classes\\CLSID\\{{{clsid:?}}}\\InprocServer32: the class has no \
             in-process server"
        ));
    }
    server
}

fn find_server(clsid: &GUID) -> Option<Server> {
    let server_key = format!("Software\\Classes\\CLSID\\{{{clsid:?}}}\\InprocServer32");
    [("HKCU", HKEY_CURRENT_USER), ("HKLM", HKEY_LOCAL_MACHINE)]
        .into_iter()
        .find_map(|(root_name, root)| {
            read_string(root, &server_key, "").map(|dll| Server {
                dll,
                threading_model: read_string(root, &server_key, "ThreadingModel"),
                root: root_name,
            })
        })
}

/// `ThreadingModel` must be `Apartment` (or `Both`): Outlook's main thread is a single-threaded
/// apartment, and an add-in of another model is made elsewhere and reached through proxies.
pub(crate) fn threading_model_checked(server: &Server, report: &mut Report) -> bool {
    report.line(format!(
        "InprocServer32 ({}): {}, ThreadingModel {:?}",
        server.root, server.dll, server.threading_model
    ));
    match server.threading_model.as_deref() {
        Some(model)
            if model.eq_ignore_ascii_case("Apartment") || model.eq_ignore_ascii_case("Both") =>
        {
            report.line(format!(
                "check ok:   ThreadingModel {model} (Outlook's main thread is an STA)"
            ));
            true
        }
        None => {
            report.line(
                "ThreadingModel is missing: COM makes the object in the process's main STA, \
                 which in Outlook is its main thread, so it works; Microsoft's add-in \
                 registration writes Apartment",
            );
            true
        }
        Some(model) => {
            report.fail(format!(
                "ThreadingModel {model:?}: an Outlook add-in registers ThreadingModel=Apartment. \
                 COM makes an object of the {model} model outside the apartment of Outlook's \
                 main thread, which then holds a proxy: the add-in's code runs on other \
                 threads, where Outlook's object model refuses it (RPC_E_WRONG_THREAD), and \
                 every call is marshalled"
            ));
            false
        }
    }
}

/// In `--dll` mode: the class's registration, when there is one, is checked as by ProgID (it is
/// what Outlook would use), and said when it names another DLL.
pub(crate) fn check_dll_registration(clsid: &GUID, dll: &Path, report: &mut Report) -> bool {
    match find_server(clsid) {
        Some(server) => {
            let named = Path::new(&server.dll);
            let same = std::fs::canonicalize(named).ok() == std::fs::canonicalize(dll).ok();
            if !same {
                report.line(format!(
                    "the class {{{clsid:?}}} is registered with another DLL ({}): that \
                     registration is what Outlook would load, and is checked",
                    server.dll
                ));
            }
            threading_model_checked(&server, report)
        }
        None => {
            report.line(format!(
                "the class {{{clsid:?}}} is not registered: its ThreadingModel is not checked"
            ));
            true
        }
    }
}

/// Creates the add-in as Outlook does: `CoCreateInstance` of the registered class.
pub(crate) fn create_by_progid(registration: &Registration, report: &mut Report) -> Option<Loaded> {
    let clsid = registration.clsid;
    // SAFETY: a class id; COM loads the DLL and asks its class factory.
    match unsafe { CoCreateInstance::<_, IUnknown>(&clsid, None, CLSCTX_INPROC_SERVER) } {
        Ok(addin) => {
            report.line(format!(
                "CoCreateInstance({}, CLSCTX_INPROC_SERVER) -> S_OK",
                registration.progid
            ));
            Some(Loaded {
                addin,
                dll: registration.dll.clone(),
            })
        }
        Err(error) => {
            report.call("CoCreateInstance(CLSCTX_INPROC_SERVER)", error.code());
            report.fail(format!("CoCreateInstance failed: {}", error.message()));
            None
        }
    }
}

type DllGetClassObject =
    unsafe extern "system" fn(*const GUID, *const GUID, *mut *mut c_void) -> HRESULT;

pub(crate) fn create_from_dll(path: &Path, clsid: &GUID, report: &mut Report) -> Option<Loaded> {
    // SAFETY: loading the DLL the user named runs its DllMain, as Outlook would.
    if let Err(error) = unsafe { LoadLibraryW(&HSTRING::from(path.as_os_str())) } {
        report.call(&format!("LoadLibraryW({})", path.display()), error.code());
        report.fail(format!("cannot load {}", path.display()));
        return None;
    }
    report.line(format!("LoadLibraryW({}) -> ok", path.display()));
    let Some(function) = export(path, "DllGetClassObject") else {
        report.fail("the DLL does not export DllGetClassObject: it is not a COM server".into());
        return None;
    };
    // SAFETY: COM's DllGetClassObject signature.
    let get_class_object: DllGetClassObject = unsafe { core::mem::transmute(function) };
    let mut factory = core::ptr::null_mut();
    // SAFETY: readable GUIDs and a writable out pointer.
    let code = unsafe { get_class_object(clsid, &IClassFactory::IID, &mut factory) };
    if !report.call(
        &format!("DllGetClassObject({{{clsid:?}}}, IClassFactory)"),
        code,
    ) || factory.is_null()
    {
        report.fail("no class factory for that CLSID".into());
        return None;
    }
    // SAFETY: DllGetClassObject handed over one reference to an IClassFactory.
    let factory = unsafe { IClassFactory::from_raw(factory) };
    // SAFETY: no outer object; COM's signature.
    match unsafe { factory.CreateInstance::<_, IUnknown>(None) } {
        Ok(addin) => {
            report.line("IClassFactory::CreateInstance -> S_OK");
            Some(Loaded {
                addin,
                dll: path.to_path_buf(),
            })
        }
        Err(error) => {
            report.call("IClassFactory::CreateInstance", error.code());
            report.fail("the class factory made no object".into());
            None
        }
    }
}

/// An export of the already loaded DLL at `path`.
fn export(path: &Path, name: &str) -> Option<unsafe extern "system" fn() -> isize> {
    // SAFETY: a NUL-terminated path; no reference is added.
    let module = unsafe { GetModuleHandleW(&HSTRING::from(path.as_os_str())) }.ok()?;
    let name: Vec<u8> = name.bytes().chain([0]).collect();
    // SAFETY: a loaded module and a NUL-terminated name.
    unsafe { GetProcAddress(module, PCSTR(name.as_ptr())) }
}

pub(crate) fn can_unload_now(dll: &Path) -> core::result::Result<HRESULT, String> {
    let function = export(dll, "DllCanUnloadNow")
        .ok_or_else(|| format!("{} is not loaded, or does not export it", dll.display()))?;
    // SAFETY: COM's `HRESULT DllCanUnloadNow(void)`.
    let function: unsafe extern "system" fn() -> HRESULT =
        unsafe { core::mem::transmute(function) };
    // SAFETY: no arguments.
    Ok(unsafe { function() })
}

pub(crate) fn read_dword(root: HKEY, key: &str, value: &str) -> Option<u32> {
    let mut data = [0u8; 4];
    let size = read_value(root, key, value, RRF_RT_REG_DWORD, &mut data)?;
    (size == 4).then(|| u32::from_le_bytes(data))
}

pub(crate) fn read_string(root: HKEY, key: &str, value: &str) -> Option<String> {
    let mut data = vec![0u8; 2048];
    let size = read_value(root, key, value, RRF_RT_REG_SZ, &mut data)?;
    let units: Vec<u16> = data[..size]
        .chunks_exact(2)
        .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
        .take_while(|&unit| unit != 0)
        .collect();
    Some(String::from_utf16_lossy(&units))
}

/// `RegGetValueW` of `root\key`'s `value` (of the type `flags` allows) into `data`: the number
/// of bytes written, or `None` when there is no such value.
fn read_value(
    root: HKEY,
    key: &str,
    value: &str,
    flags: REG_ROUTINE_FLAGS,
    data: &mut [u8],
) -> Option<usize> {
    let mut size = data.len() as u32;
    // SAFETY: NUL-terminated names, a buffer whose size in bytes is passed.
    let status = unsafe {
        RegGetValueW(
            root,
            &HSTRING::from(key),
            &HSTRING::from(value),
            flags,
            None,
            Some(data.as_mut_ptr().cast()),
            Some(&mut size),
        )
    };
    status.is_ok().then_some(size as usize)
}

/// Wine's ntdll exports `wine_get_version`; Windows' does not.
pub(crate) fn running_under_wine() -> bool {
    // SAFETY: ntdll is loaded in every process; a NUL-terminated name.
    unsafe {
        GetModuleHandleW(windows::core::w!("ntdll.dll"))
            .ok()
            .and_then(|ntdll| GetProcAddress(ntdll, PCSTR(c"wine_get_version".as_ptr().cast())))
            .is_some()
    }
}

/// The library's `MapiNotifySinkAddInState` export, when the DLL has it (an add-in made with
/// `#[outlook_addin]`): `Some(Err(why))` when the add-in is inert, since Outlook is told `S_OK`
/// by a failed `on_connection`; `None` for an add-in without it.
pub(crate) fn inert(dll: &Path) -> Option<core::result::Result<(), String>> {
    let function = export(dll, "MapiNotifySinkAddInState")?;
    // SAFETY: the library's `HRESULT MapiNotifySinkAddInState(WCHAR*, UINT32)`.
    let function: unsafe extern "system" fn(*mut u16, u32) -> HRESULT =
        unsafe { core::mem::transmute(function) };
    let mut text = [0u16; 512];
    // SAFETY: a writable buffer of that many units.
    let code = unsafe { function(text.as_mut_ptr(), text.len() as u32) };
    if code == HRESULT(0) {
        return Some(Ok(()));
    }
    let len = text
        .iter()
        .position(|&unit| unit == 0)
        .unwrap_or(text.len());
    Some(Err(String::from_utf16_lossy(&text[..len])))
}
