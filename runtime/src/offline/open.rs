//! `OfflineManager::open`: finds `HrOpenOfflineObj` in the Outlook MAPI DLL that is already
//! loaded in this process, and calls it. Nothing is loaded: outside Outlook, `open` must fail
//! cleanly, not start a MAPI of its own.

use super::OfflineManager;
use crate::error::{Error, Result};
use crate::sys;
use core::ffi::c_void;
use core::ptr;

#[link(name = "kernel32")]
extern "system" {
    fn GetModuleHandleW(name: *const u16) -> *mut c_void;
    fn GetProcAddress(module: *mut c_void, name: *const u8) -> *mut c_void;
}

/// Outlook's MAPI, then the name older versions used.
const DLLS: [&str; 2] = ["olmapi32.dll", "msmapi32.dll"];

/// stdcall names are decorated with the argument bytes on 32-bit x86 only.
#[cfg(target_arch = "x86")]
const EXPORT: &str = "HrOpenOfflineObj@20";
#[cfg(not(target_arch = "x86"))]
const EXPORT: &str = "HrOpenOfflineObj";

pub(crate) fn open(profile: &str) -> Result<OfflineManager> {
    if profile.contains('\0') {
        return Err(Error::new(
            sys::E_INVALIDARG,
            "OfflineManager::open: the profile name contains a NUL character",
        ));
    }
    let Some(open_offline_obj) = find() else {
        return Err(Error::new(
            sys::MAPI_E_NOT_FOUND,
            format!(
                "OfflineManager::open: {EXPORT} not found: neither {} is loaded in this process \
                 (the Offline State API works only inside Outlook: a COM add-in or MAPI provider)",
                DLLS.join(" nor ")
            ),
        ));
    };
    let profile_w: Vec<u16> = profile.encode_utf16().chain([0]).collect();
    let mut raw = ptr::null_mut();
    // SAFETY: the documented signature; a NUL-terminated profile, the GUID the API requires,
    // a null reserved GUID and a valid out pointer.
    let code = unsafe {
        open_offline_obj(
            0,
            profile_w.as_ptr(),
            &sys::GUID_GlobalState,
            ptr::null(),
            &mut raw,
        )
    };
    if code.is_err() {
        return Err(Error::new(
            code,
            format!("HrOpenOfflineObj(profile {profile:?})"),
        ));
    }
    if raw.is_null() {
        return Err(Error::new(
            sys::E_POINTER,
            format!("HrOpenOfflineObj(profile {profile:?}) returned no object"),
        ));
    }
    // SAFETY: HrOpenOfflineObj hands over one reference to an IMAPIOfflineMgr.
    Ok(unsafe { OfflineManager::from_raw(raw) })
}

fn find() -> Option<sys::HrOpenOfflineObj> {
    let export: Vec<u8> = EXPORT.bytes().chain([0]).collect();
    DLLS.iter().find_map(|dll| {
        let name: Vec<u16> = dll.encode_utf16().chain([0]).collect();
        // SAFETY: NUL-terminated names; GetModuleHandleW does not load anything or add a
        // reference, and the module stays loaded in Outlook's process for its lifetime.
        let function = unsafe {
            let module = GetModuleHandleW(name.as_ptr());
            if module.is_null() {
                return None;
            }
            GetProcAddress(module, export.as_ptr())
        };
        // SAFETY: the export has this signature (Outlook's MAPI header).
        (!function.is_null()).then(|| unsafe {
            core::mem::transmute::<*mut c_void, sys::HrOpenOfflineObj>(function)
        })
    })
}
