//! `IDTExtensibility2`, the interface Office calls on every COM add-in. It is in no crate's
//! metadata (it comes from the Office type library), so it is declared here, slot for slot:
//! `IDispatch`'s seven, then the five below (DISPIDs 1 to 5).

#![allow(missing_docs)]

use core::ffi::c_void;
use windows::core::HRESULT;
use windows::Win32::System::Com::{IDispatch, IDispatch_Impl, IDispatch_Vtbl, SAFEARRAY};

#[windows::core::interface("B65AD801-ABAF-11D0-BB8B-00A0C90F2744")]
pub unsafe trait IDTExtensibility2: IDispatch {
    /// `Application` and `AddInInst` are `IDispatch*` (borrowed); `custom` is unused by Outlook.
    pub fn OnConnection(
        &self,
        application: *mut c_void,
        connect_mode: i32,
        addin_inst: *mut c_void,
        custom: *mut *mut SAFEARRAY,
    ) -> HRESULT;
    pub fn OnDisconnection(&self, remove_mode: i32, custom: *mut *mut SAFEARRAY) -> HRESULT;
    pub fn OnAddInsUpdate(&self, custom: *mut *mut SAFEARRAY) -> HRESULT;
    pub fn OnStartupComplete(&self, custom: *mut *mut SAFEARRAY) -> HRESULT;
    pub fn OnBeginShutdown(&self, custom: *mut *mut SAFEARRAY) -> HRESULT;
}

/// `ext_ConnectMode`.
pub const EXT_CM_AFTER_STARTUP: i32 = 0;
/// `ext_ConnectMode`: loaded when Outlook started (`LoadBehavior` 3).
pub const EXT_CM_STARTUP: i32 = 1;
/// `ext_ConnectMode`.
pub const EXT_CM_EXTERNAL: i32 = 2;
/// `ext_ConnectMode`.
pub const EXT_CM_COMMAND_LINE: i32 = 3;
/// `ext_DisconnectMode`: Outlook is closing.
pub const EXT_DM_HOST_SHUTDOWN: i32 = 0;
/// `ext_DisconnectMode`: the user turned the add-in off.
pub const EXT_DM_USER_CLOSED: i32 = 1;

/// The DISPIDs of the five methods, in slot order, with their names (for `GetIDsOfNames`).
pub const DISPIDS: [(i32, &str); 5] = [
    (1, "OnConnection"),
    (2, "OnDisconnection"),
    (3, "OnAddInsUpdate"),
    (4, "OnStartupComplete"),
    (5, "OnBeginShutdown"),
];
