//! The class factory COM gets from `DllGetClassObject` and asks for the add-in object.

use crate::addin::AddIn;
use crate::module::{self, ModuleRef};
use core::ffi::c_void;
use windows::core::{implement, IUnknown, Interface, Ref, Result, BOOL, GUID};
use windows::Win32::Foundation::{CLASS_E_NOAGGREGATION, E_POINTER, E_UNEXPECTED};
use windows::Win32::System::Com::{IClassFactory, IClassFactory_Impl};

/// Makes [`AddIn`] objects.
#[implement(IClassFactory)]
pub struct ClassFactory {
    _module: ModuleRef,
}

impl ClassFactory {
    /// A factory; it keeps the DLL loaded while it lives.
    pub fn new() -> Self {
        ClassFactory {
            _module: ModuleRef::new(),
        }
    }
}

impl Default for ClassFactory {
    fn default() -> Self {
        Self::new()
    }
}

// The `_Impl` traits are windows-rs's: their methods are safe `fn`s that receive COM's raw
// pointers, valid by COM's contract with the caller (checked for null where COM allows null).
#[allow(clippy::not_unsafe_ptr_arg_deref)]
impl IClassFactory_Impl for ClassFactory_Impl {
    fn CreateInstance(
        &self,
        outer: Ref<IUnknown>,
        iid: *const GUID,
        out: *mut *mut c_void,
    ) -> Result<()> {
        let code = module::guard("IClassFactory::CreateInstance", || {
            if out.is_null() {
                return E_POINTER;
            }
            // SAFETY: non-null and writable (COM's contract).
            unsafe { out.write(core::ptr::null_mut()) };
            if iid.is_null() {
                return E_POINTER;
            }
            if outer.is_some() {
                log::warn!("CreateInstance: aggregation asked for; refused");
                return CLASS_E_NOAGGREGATION;
            }
            let addin: IUnknown = AddIn::new().into();
            // SAFETY: `iid` readable, `out` writable (checked above).
            unsafe { addin.query(iid, out) }
        });
        code.ok()
    }

    fn LockServer(&self, lock: BOOL) -> Result<()> {
        if lock.as_bool() {
            module::lock();
        } else if !module::unlock() {
            log::warn!("LockServer(FALSE) without a lock");
            return Err(E_UNEXPECTED.into());
        }
        Ok(())
    }
}
