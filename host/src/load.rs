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
    RegGetValueW, HKEY, HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE, REG_ROUTINE_FLAGS, RRF_RT_REG_DWORD,
    RRF_RT_REG_SZ, RRF_SUBKEY_WOW6432KEY, RRF_SUBKEY_WOW6464KEY,
};

/// Where the add-in came from, for `DllCanUnloadNow`.
pub(crate) struct Loaded {
    pub(crate) addin: IUnknown,
    pub(crate) dll: PathBuf,
}

pub(crate) fn create_by_progid(progid: &str, report: &mut Report) -> Option<Loaded> {
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
    report.line(format!(
        "registry: {root_name}\\{key}: LoadBehavior {load_behavior}, FriendlyName {friendly:?}"
    ));
    // Bit 1 (value 2): load at start-up.
    if load_behavior & 2 == 0 {
        report.fail(format!(
            "LoadBehavior {load_behavior} does not load the add-in at start-up (3 does), so Outlook would not load it"
        ));
        return None;
    }
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
    let server_key = format!("Software\\Classes\\CLSID\\{{{clsid:?}}}\\InprocServer32");
    let dll = [HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE]
        .into_iter()
        .find_map(|root| read_string(root, &server_key, ""));
    let Some(dll) = dll else {
        report.fail(format!(
            "no {server_key}: the class has no in-process server"
        ));
        return None;
    };
    report.line(format!("InprocServer32: {dll}"));
    // SAFETY: a class id; COM loads the DLL and asks its class factory.
    match unsafe { CoCreateInstance::<_, IUnknown>(&clsid, None, CLSCTX_INPROC_SERVER) } {
        Ok(addin) => {
            report.line("CoCreateInstance(CLSCTX_INPROC_SERVER) -> S_OK");
            Some(Loaded {
                addin,
                dll: dll.into(),
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

fn read_dword(root: HKEY, key: &str, value: &str) -> Option<u32> {
    let mut data = [0u8; 4];
    let size = read_value(root, key, value, RRF_RT_REG_DWORD, &mut data)?;
    (size == 4).then(|| u32::from_le_bytes(data))
}

fn read_string(root: HKEY, key: &str, value: &str) -> Option<String> {
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
fn running_under_wine() -> bool {
    // SAFETY: ntdll is loaded in every process; a NUL-terminated name.
    unsafe {
        GetModuleHandleW(windows::core::w!("ntdll.dll"))
            .ok()
            .and_then(|ntdll| GetProcAddress(ntdll, PCSTR(c"wine_get_version".as_ptr().cast())))
            .is_some()
    }
}
