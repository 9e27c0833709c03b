//! What an Outlook COM add-in implements: `IClassFactory` (the DLL's `DllGetClassObject` hands
//! one out) and `IDTExtensibility2`, Office's add-in interface, a dual interface deriving from
//! `IDispatch`. `IDTExtensibility2` is in no crate's metadata (it comes from the Office type
//! library): it is declared here slot for slot, `IDispatch`'s seven, then its five (DISPIDs 1
//! to 5).

use super::*;
use core::ffi::c_void;
use windows_core::{IUnknown, IUnknown_Vtbl, Interface, GUID, HRESULT};

/// `IID_IClassFactory` `{00000001-0000-0000-c000-000000000046}`.
pub const IID_IClassFactory: GUID = GUID::from_u128(0x00000001_0000_0000_c000_000000000046);
/// `IID_IDTExtensibility2` `{b65ad801-abaf-11d0-bb8b-00a0c90f2744}`.
pub const IID_IDTExtensibility2: GUID = GUID::from_u128(0xb65ad801_abaf_11d0_bb8b_00a0c90f2744);

/// `ext_ConnectMode`: loaded after Outlook started (the user turned it on).
pub const ext_cm_AfterStartup: i32 = 0;
/// `ext_ConnectMode`: loaded when Outlook started (`LoadBehavior` 3).
pub const ext_cm_Startup: i32 = 1;
/// `ext_ConnectMode`: loaded by another program.
pub const ext_cm_External: i32 = 2;
/// `ext_ConnectMode`: loaded from the command line.
pub const ext_cm_CommandLine: i32 = 3;
/// `ext_DisconnectMode`: Outlook is closing.
pub const ext_dm_HostShutdown: i32 = 0;
/// `ext_DisconnectMode`: the user turned the add-in off.
pub const ext_dm_UserClosed: i32 = 1;

/// `SELFREG_E_CLASS` (0x80040201): `DllRegisterServer` could not register the class.
pub const SELFREG_E_CLASS: HRESULT = HRESULT(0x8004_0201_u32 as i32);

/// Vtable of `IClassFactory : IUnknown`.
///
/// ```
/// use core::mem::offset_of;
/// use mapi_notify_sink::sys::IClassFactory_Vtbl;
///
/// assert_eq!(offset_of!(IClassFactory_Vtbl, CreateInstance), 3 * size_of::<usize>());
/// assert_eq!(size_of::<IClassFactory_Vtbl>(), 5 * size_of::<usize>());
/// ```
#[repr(C)]
pub struct IClassFactory_Vtbl {
    /// `IUnknown`'s three slots.
    pub base__: IUnknown_Vtbl,
    /// Slot 3: a new object, `QueryInterface`d for `riid`.
    pub CreateInstance: unsafe extern "system" fn(
        this: *mut c_void,
        outer: *mut c_void,
        riid: *const GUID,
        object: *mut *mut c_void,
    ) -> HRESULT,
    /// Slot 4: `lock` (a `BOOL`) keeps the server loaded, or lets it go.
    pub LockServer: unsafe extern "system" fn(this: *mut c_void, lock: i32) -> HRESULT,
}

/// Vtable of `IDTExtensibility2 : IDispatch`. `custom` is a `SAFEARRAY**` Outlook passes
/// empty; `application` and `addin_inst` are borrowed `IDispatch*`s.
///
/// ```
/// use core::mem::offset_of;
/// use mapi_notify_sink::sys::IDTExtensibility2_Vtbl;
///
/// // After IDispatch's seven slots, in DISPID order.
/// assert_eq!(offset_of!(IDTExtensibility2_Vtbl, OnConnection), 7 * size_of::<usize>());
/// assert_eq!(offset_of!(IDTExtensibility2_Vtbl, OnBeginShutdown), 11 * size_of::<usize>());
/// ```
#[repr(C)]
pub struct IDTExtensibility2_Vtbl {
    /// `IDispatch`'s seven slots.
    pub base__: IDispatch_Vtbl,
    /// Slot 7 (DISPID 1).
    pub OnConnection: unsafe extern "system" fn(
        this: *mut c_void,
        application: *mut c_void,
        connect_mode: i32,
        addin_inst: *mut c_void,
        custom: *mut *mut c_void,
    ) -> HRESULT,
    /// Slot 8 (DISPID 2).
    pub OnDisconnection: unsafe extern "system" fn(
        this: *mut c_void,
        mode: i32,
        custom: *mut *mut c_void,
    ) -> HRESULT,
    /// Slot 9 (DISPID 3).
    pub OnAddInsUpdate:
        unsafe extern "system" fn(this: *mut c_void, custom: *mut *mut c_void) -> HRESULT,
    /// Slot 10 (DISPID 4).
    pub OnStartupComplete:
        unsafe extern "system" fn(this: *mut c_void, custom: *mut *mut c_void) -> HRESULT,
    /// Slot 11 (DISPID 5).
    pub OnBeginShutdown:
        unsafe extern "system" fn(this: *mut c_void, custom: *mut *mut c_void) -> HRESULT,
}

const _: () = {
    use core::mem::{offset_of, size_of};
    let slot = size_of::<usize>();
    assert!(size_of::<IClassFactory_Vtbl>() == 5 * slot);
    assert!(size_of::<IDTExtensibility2_Vtbl>() == 12 * slot);
    assert!(offset_of!(IDTExtensibility2_Vtbl, OnConnection) == 7 * slot);
    assert!(offset_of!(IDTExtensibility2_Vtbl, OnBeginShutdown) == 11 * slot);
};

interface!(
    /// `IDispatch`: late-bound calls by name (`GetIDsOfNames`, then `Invoke`).
    ///
    /// ```
    /// use mapi_notify_sink::sys::{IDispatch, IID_IDispatch};
    /// use windows_core::Interface;
    ///
    /// assert_eq!(IDispatch::IID, IID_IDispatch);
    /// ```
    IDispatch,
    IDispatch_Vtbl,
    IID_IDispatch,
    IUnknown
);

interface!(
    /// `IClassFactory`: what `DllGetClassObject` returns, and COM asks for new objects.
    ///
    /// ```
    /// use mapi_notify_sink::sys::{IClassFactory, IID_IClassFactory};
    /// use windows_core::Interface;
    ///
    /// assert_eq!(IClassFactory::IID, IID_IClassFactory);
    /// ```
    IClassFactory,
    IClassFactory_Vtbl,
    IID_IClassFactory,
    IUnknown
);

interface!(
    /// `IDTExtensibility2`: what Office calls on every COM add-in, through this vtable or
    /// through `IDispatch::Invoke` (DISPIDs 1 to 5).
    ///
    /// ```
    /// use mapi_notify_sink::sys::{IDTExtensibility2, IDispatch};
    /// use windows_core::Interface;
    ///
    /// // A dual interface: its vtable begins with IDispatch's, so it derefs to one.
    /// fn as_dispatch(addin: &IDTExtensibility2) -> &IDispatch {
    ///     addin
    /// }
    /// assert_eq!(IDTExtensibility2::IID.to_u128(), 0xb65ad801_abaf_11d0_bb8b_00a0c90f2744);
    /// ```
    IDTExtensibility2,
    IDTExtensibility2_Vtbl,
    IID_IDTExtensibility2,
    IDispatch
);
