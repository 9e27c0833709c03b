//! How the host calls an add-in's five `IDTExtensibility2` methods: through the interface's
//! vtable, or through `IDispatch::Invoke` with DISPIDs looked up by name. Office documents
//! neither, and an add-in must answer both (`--via-invoke` chooses the second).

use crate::extensibility::IDTExtensibility2;
use windows::core::{IUnknown, Interface, GUID, HRESULT, PCWSTR};
use windows::Win32::System::Com::{IDispatch, DISPATCH_METHOD, DISPPARAMS, SAFEARRAY};
use windows::Win32::System::Variant::{VARENUM, VARIANT, VT_ARRAY, VT_BYREF, VT_VARIANT};

/// The five methods in DISPID lookup order.
const NAMES: [&str; 5] = [
    "OnConnection",
    "OnDisconnection",
    "OnAddInsUpdate",
    "OnStartupComplete",
    "OnBeginShutdown",
];

pub(crate) enum AddInCalls {
    Vtable(IDTExtensibility2),
    Invoke {
        dispatch: IDispatch,
        /// In `NAMES` order.
        dispids: [i32; 5],
    },
}

impl AddInCalls {
    /// The add-in's `IDTExtensibility2`.
    pub fn vtable(addin: &IUnknown) -> Result<AddInCalls, HRESULT> {
        addin
            .cast::<IDTExtensibility2>()
            .map(AddInCalls::Vtable)
            .map_err(|error| error.code())
    }

    /// The add-in's `IDispatch`, and the DISPIDs of the five names; on failure, what failed.
    pub fn invoke(addin: &IUnknown) -> Result<AddInCalls, (String, HRESULT)> {
        let dispatch = addin
            .cast::<IDispatch>()
            .map_err(|error| ("QueryInterface(IDispatch)".to_string(), error.code()))?;
        let mut dispids = [0; 5];
        for (name, dispid) in NAMES.iter().zip(&mut dispids) {
            let wide: Vec<u16> = name.encode_utf16().chain([0]).collect();
            let names = [PCWSTR(wide.as_ptr())];
            // SAFETY: one NUL-terminated name and one DISPID slot; IID_NULL as IDispatch asks.
            unsafe { dispatch.GetIDsOfNames(&GUID::zeroed(), names.as_ptr(), 1, 0, dispid) }
                .map_err(|error| (format!("GetIDsOfNames({name:?})"), error.code()))?;
        }
        Ok(AddInCalls::Invoke { dispatch, dispids })
    }

    /// How the calls are made, for the log.
    pub fn how(&self) -> &'static str {
        match self {
            AddInCalls::Vtable(_) => "",
            AddInCalls::Invoke { .. } => " (via IDispatch::Invoke)",
        }
    }

    /// `OnConnection(Application, mode, AddInInst, custom)`.
    ///
    /// # Safety
    /// `custom` points to an empty SAFEARRAY of VARIANTs (or null), live for the call.
    pub unsafe fn on_connection(
        &self,
        application: &IDispatch,
        mode: i32,
        addin_inst: &IDispatch,
        custom: *mut *mut SAFEARRAY,
    ) -> HRESULT {
        match self {
            // SAFETY: live objects borrowed for the call; the caller's `custom`.
            AddInCalls::Vtable(vtable) => unsafe {
                vtable.OnConnection(application.as_raw(), mode, addin_inst.as_raw(), custom)
            },
            AddInCalls::Invoke { .. } => self.call(
                0,
                vec![
                    VARIANT::from(application.clone()),
                    VARIANT::from(mode),
                    VARIANT::from(addin_inst.clone()),
                    custom_variant(custom),
                ],
            ),
        }
    }

    /// `OnDisconnection(mode, custom)`.
    ///
    /// # Safety
    /// As `on_connection`.
    pub unsafe fn on_disconnection(&self, mode: i32, custom: *mut *mut SAFEARRAY) -> HRESULT {
        match self {
            // SAFETY: the caller's `custom`.
            AddInCalls::Vtable(vtable) => unsafe { vtable.OnDisconnection(mode, custom) },
            AddInCalls::Invoke { .. } => {
                self.call(1, vec![VARIANT::from(mode), custom_variant(custom)])
            }
        }
    }

    /// `OnAddInsUpdate(custom)`.
    ///
    /// # Safety
    /// As `on_connection`.
    pub unsafe fn on_add_ins_update(&self, custom: *mut *mut SAFEARRAY) -> HRESULT {
        match self {
            // SAFETY: the caller's `custom`.
            AddInCalls::Vtable(vtable) => unsafe { vtable.OnAddInsUpdate(custom) },
            AddInCalls::Invoke { .. } => self.call(2, vec![custom_variant(custom)]),
        }
    }

    /// `OnStartupComplete(custom)`.
    ///
    /// # Safety
    /// As `on_connection`.
    pub unsafe fn on_startup_complete(&self, custom: *mut *mut SAFEARRAY) -> HRESULT {
        match self {
            // SAFETY: the caller's `custom`.
            AddInCalls::Vtable(vtable) => unsafe { vtable.OnStartupComplete(custom) },
            AddInCalls::Invoke { .. } => self.call(3, vec![custom_variant(custom)]),
        }
    }

    /// `OnBeginShutdown(custom)`.
    ///
    /// # Safety
    /// As `on_connection`.
    pub unsafe fn on_begin_shutdown(&self, custom: *mut *mut SAFEARRAY) -> HRESULT {
        match self {
            // SAFETY: the caller's `custom`.
            AddInCalls::Vtable(vtable) => unsafe { vtable.OnBeginShutdown(custom) },
            AddInCalls::Invoke { .. } => self.call(4, vec![custom_variant(custom)]),
        }
    }

    /// `Invoke(DISPATCH_METHOD)` of method `index` (in `NAMES` order) with `args` in call order.
    fn call(&self, index: usize, args: Vec<VARIANT>) -> HRESULT {
        let AddInCalls::Invoke { dispatch, dispids } = self else {
            unreachable!("only the Invoke variant calls through Invoke");
        };
        // DISPPARAMS holds the last argument first.
        let mut reversed: Vec<VARIANT> = args.into_iter().rev().collect();
        let params = DISPPARAMS {
            rgvarg: reversed.as_mut_ptr(),
            rgdispidNamedArgs: core::ptr::null_mut(),
            cArgs: reversed.len() as u32,
            cNamedArgs: 0,
        };
        let mut arg_error = 0;
        // SAFETY: a complete DISPPARAMS whose array outlives the call; IID_NULL.
        let result = unsafe {
            dispatch.Invoke(
                dispids[index],
                &GUID::zeroed(),
                0,
                DISPATCH_METHOD,
                &params,
                None,
                None,
                Some(&mut arg_error),
            )
        };
        result.map_or_else(|error| error.code(), |()| HRESULT(0))
    }
}

/// `custom` as Office passes it to `Invoke`: a reference to the SAFEARRAY of VARIANTs
/// (`VT_ARRAY | VT_VARIANT | VT_BYREF`), which the callee does not own.
fn custom_variant(custom: *mut *mut SAFEARRAY) -> VARIANT {
    let mut variant = VARIANT::default();
    // SAFETY: writing the type and the by-reference pointer of an empty VARIANT; VariantClear
    // (its Drop) frees nothing behind a VT_BYREF.
    unsafe {
        let inner = &mut variant.Anonymous.Anonymous;
        inner.vt = VARENUM(VT_ARRAY.0 | VT_VARIANT.0 | VT_BYREF.0);
        inner.Anonymous.pparray = custom;
    }
    variant
}
