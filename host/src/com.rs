//! COM helpers the host, its `Application` and the stand-in MAPI share.

use windows_core::{IUnknown_Vtbl, Interface};

/// A COM object's reference count, read the only way COM offers: `AddRef`, then `Release`
/// (whose return value is the count). A diagnostic: other threads may change it.
pub fn ref_count(object: &impl Interface) -> u32 {
    let raw = object.as_raw();
    // SAFETY: `object` holds a reference to a live COM object, whose vtable starts with
    // IUnknown's; the AddRef is given back at once.
    unsafe {
        let vtable = &**raw.cast::<*const IUnknown_Vtbl>();
        (vtable.AddRef)(raw);
        (vtable.Release)(raw)
    }
}
