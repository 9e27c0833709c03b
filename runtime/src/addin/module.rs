//! What of this DLL is alive, for an honest `DllCanUnloadNow`: every COM object the library
//! made in this DLL (the class factory, the add-in, sinks of both kinds, through the object
//! core's hooks), every main-thread window, and every `LockServer(TRUE)` lock. Outlook unloads
//! the DLL only when the count is 0, so an object MAPI still holds keeps it loaded.
//!
//! Also this DLL's own module handle and path (not the host program's), for the main-thread
//! window's class and for the registration's `InprocServer32`; and what the last
//! `OnConnection` came to, for a host that asks (`MapiNotifySinkAddInState`).

use super::win32;
use core::ffi::c_void;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

/// Live objects (COM objects and windows), and `LockServer` locks, apart: an unlock must not
/// take away an object's count.
static OBJECTS: AtomicUsize = AtomicUsize::new(0);
static LOCKS: AtomicUsize = AtomicUsize::new(0);

/// An object was made (the object core's `created` hook, a window).
pub(crate) fn object_made() {
    OBJECTS.fetch_add(1, Ordering::AcqRel);
}

/// An object was destroyed (the object core's `destroyed` hook, a window).
pub(crate) fn object_gone() {
    OBJECTS.fetch_sub(1, Ordering::AcqRel);
}

/// One live thing of this DLL that is not a COM object (a main-thread window), counted while
/// it lives.
#[derive(Debug)]
pub(crate) struct Alive(());

impl Alive {
    pub(crate) fn new() -> Alive {
        object_made();
        Alive(())
    }
}

impl Drop for Alive {
    fn drop(&mut self) {
        object_gone();
    }
}

/// `LockServer(TRUE)`.
pub(crate) fn lock() {
    LOCKS.fetch_add(1, Ordering::AcqRel);
}

/// `LockServer(FALSE)`: `false` when nothing was locked (nothing is given back then).
pub(crate) fn unlock() -> bool {
    LOCKS
        .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1))
        .is_ok()
}

/// Live objects and locks now: `(objects, locks)`.
pub(crate) fn alive() -> (usize, usize) {
    (
        OBJECTS.load(Ordering::Acquire),
        LOCKS.load(Ordering::Acquire),
    )
}

/// This DLL's module handle (not the program's).
pub(crate) fn instance() -> *mut c_void {
    static ANCHOR: u8 = 0;
    let mut module = core::ptr::null_mut();
    // SAFETY: an address inside this DLL and a valid out pointer; no reference is added.
    let found = unsafe {
        win32::GetModuleHandleExW(
            win32::GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS
                | win32::GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
            core::ptr::addr_of!(ANCHOR).cast(),
            &mut module,
        )
    };
    if found == 0 {
        log::warn!("GetModuleHandleExW found no module for this DLL");
    }
    module
}

/// The full path of this DLL: what `InprocServer32` names.
pub(crate) fn dll_path() -> String {
    let mut buffer = vec![0u16; 32 * 1024];
    // SAFETY: a module handle (or null: the program's) and a writable buffer of that length.
    let len =
        unsafe { win32::GetModuleFileNameW(instance(), buffer.as_mut_ptr(), buffer.len() as u32) };
    String::from_utf16_lossy(&buffer[..len as usize])
}

/// Why the add-in is inert: set when an `on_connection` failed or panicked, cleared when one
/// succeeded.
static INERT: Mutex<Option<String>> = Mutex::new(None);

/// What an `on_connection` came to: `None` when it succeeded, else why the add-in is inert.
pub(crate) fn connected(inert: Option<String>) {
    *INERT.lock().unwrap_or_else(PoisonError::into_inner) = inert;
}

/// Why the add-in is inert now, if it is.
pub(crate) fn inert() -> Option<String> {
    INERT.lock().unwrap_or_else(PoisonError::into_inner).clone()
}
