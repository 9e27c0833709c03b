//! `IDTExtensibility2` as a caller sees it: the interface Outlook calls on every COM add-in
//! (from the Office type library; in no crate's metadata). `IDispatch`'s seven slots, then
//! the five below.
//!
//! The example add-in declares the same interface for itself: it is code authors copy whole,
//! so it must not depend on this test tool.
#![allow(missing_docs, non_snake_case)]

use core::ffi::c_void;
use windows::core::HRESULT;
use windows::Win32::System::Com::{IDispatch, IDispatch_Impl, IDispatch_Vtbl, SAFEARRAY};

#[windows::core::interface("B65AD801-ABAF-11D0-BB8B-00A0C90F2744")]
pub unsafe trait IDTExtensibility2: IDispatch {
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

/// `ext_cm_AfterStartup`: the add-in is connected after Outlook started (the COM Add-ins
/// dialog, `COMAddIn.Connect = True`, load on demand).
pub const EXT_CM_AFTER_STARTUP: i32 = 0;
/// `ext_cm_Startup`: the add-in is loaded as Outlook starts.
pub const EXT_CM_STARTUP: i32 = 1;
/// `ext_dm_HostShutdown`: Outlook is closing.
pub const EXT_DM_HOST_SHUTDOWN: i32 = 0;
/// `ext_dm_UserClosed`: the user disconnected the add-in (the COM Add-ins dialog).
pub const EXT_DM_USER_CLOSED: i32 = 1;
