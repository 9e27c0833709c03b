//! What of the DLL is alive, for an honest `DllCanUnloadNow`, and the guard that keeps panics
//! out of every export and COM method.
//!
//! Every object the DLL hands out (class factory, add-in, sink, the main-thread window) holds a
//! [`ModuleRef`]; `IClassFactory::LockServer(TRUE)` holds one too. Outlook unloads the DLL only
//! when the count is 0, so a leaked object keeps the DLL (and often Outlook) in memory, which
//! is what `outlook-sim` checks.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use windows::core::HRESULT;
use windows::Win32::Foundation::E_UNEXPECTED;

static ALIVE: AtomicUsize = AtomicUsize::new(0);

/// One live object (or lock) of this DLL.
#[derive(Debug)]
pub struct ModuleRef(());

impl ModuleRef {
    /// Counts one more live object.
    pub fn new() -> Self {
        ALIVE.fetch_add(1, Ordering::AcqRel);
        ModuleRef(())
    }
}

impl Default for ModuleRef {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for ModuleRef {
    fn drop(&mut self) {
        ALIVE.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Takes one lock for `LockServer(TRUE)`.
pub fn lock() {
    core::mem::forget(ModuleRef::new());
}

/// Gives back a lock taken by [`lock`]; `false` if there was none.
pub fn unlock() -> bool {
    ALIVE
        .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1))
        .is_ok()
}

/// Live objects and locks now.
pub fn alive() -> usize {
    ALIVE.load(Ordering::Acquire)
}

/// Runs the body of an export or COM method: a panic becomes a logged `E_UNEXPECTED` instead
/// of unwinding into Outlook (which would abort it).
pub fn guard(what: &str, body: impl FnOnce() -> HRESULT) -> HRESULT {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("(no message)");
        log::error!("{what}: panic contained, returning E_UNEXPECTED: {message}");
        E_UNEXPECTED
    })
}

/// This DLL's module handle (not the host program's).
pub fn instance() -> windows::Win32::Foundation::HMODULE {
    use windows::Win32::System::LibraryLoader::{
        GetModuleHandleExW, GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS,
        GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
    };
    static ANCHOR: u8 = 0;
    let mut module = Default::default();
    // SAFETY: an address inside this DLL, a valid out pointer; no reference is added.
    let found = unsafe {
        GetModuleHandleExW(
            GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
            windows::core::PCWSTR(core::ptr::addr_of!(ANCHOR).cast()),
            &mut module,
        )
    };
    debug_assert!(found.is_ok());
    module
}

/// The full path of this DLL (what `InprocServer32` must name).
pub fn dll_path() -> String {
    use windows::Win32::System::LibraryLoader::GetModuleFileNameW;
    let mut buffer = vec![0u16; 32 * 1024];
    // SAFETY: a writable buffer of the length passed.
    let len = unsafe { GetModuleFileNameW(Some(instance()), &mut buffer) } as usize;
    String::from_utf16_lossy(&buffer[..len])
}
