//! Outlook's events: the connection-point interfaces (`<ocidl.h>`) an event source offers, and
//! the two dispinterfaces an add-in's `#[outlook_events]` sink implements, with their DISPIDs.
//!
//! Sources: `ApplicationEvents_11`'s DISPIDs as SPEC 14 gives them (joa's generated
//! `ApplicationEvents_11` and GpgOL's `application-events.cpp`); `ItemsEvents`' from Outlook's
//! type library (`msoutl.olb`) as com4j's generator writes it (`@DISPID(61441)` for `ItemAdd`,
//! 61442 `ItemChange`, 61443 `ItemRemove`).

use super::{IDispatch, IDispatch_Vtbl};
use core::ffi::c_void;
use windows_core::{IUnknown, IUnknown_Vtbl, Interface, GUID, HRESULT};

/// `IID_IConnectionPointContainer` `{B196B284-BAB4-101A-B69C-00AA00341D07}`.
pub const IID_IConnectionPointContainer: GUID =
    GUID::from_u128(0xB196B284_BAB4_101A_B69C_00AA00341D07);
/// `IID_IConnectionPoint` `{B196B286-BAB4-101A-B69C-00AA00341D07}`.
pub const IID_IConnectionPoint: GUID = GUID::from_u128(0xB196B286_BAB4_101A_B69C_00AA00341D07);
/// `DIID_ApplicationEvents_11` `{0006302C-0000-0000-C000-000000000046}`: `Application`'s events.
pub const DIID_ApplicationEvents_11: GUID = GUID::from_u128(0x0006302C_0000_0000_C000_000000000046);
/// `DIID_ItemsEvents` `{00063077-0000-0000-C000-000000000046}`: a folder's `Items`' events.
pub const DIID_ItemsEvents: GUID = GUID::from_u128(0x00063077_0000_0000_C000_000000000046);

/// `CONNECT_E_NOCONNECTION` (0x80040200): `Unadvise` of a cookie not in use.
pub const CONNECT_E_NOCONNECTION: HRESULT = HRESULT(0x8004_0200_u32 as i32);
/// `CONNECT_E_CANNOTCONNECT` (0x80040202): the sink lacks the source's interface.
pub const CONNECT_E_CANNOTCONNECT: HRESULT = HRESULT(0x8004_0202_u32 as i32);

/// `ApplicationEvents_11.ItemSend(IDispatch* Item, VARIANT_BOOL* Cancel)`.
pub const DISPID_ItemSend: i32 = 0xF002;
/// `ApplicationEvents_11.NewMail()`.
pub const DISPID_NewMail: i32 = 0xF003;
/// `ApplicationEvents_11.Reminder(IDispatch* Item)`.
pub const DISPID_Reminder: i32 = 0xF004;
/// `ApplicationEvents_11.OptionsPagesAdd(PropertyPages* Pages)`.
pub const DISPID_OptionsPagesAdd: i32 = 0xF005;
/// `ApplicationEvents_11.Startup()`.
pub const DISPID_Startup: i32 = 0xF006;
/// `ApplicationEvents_11.Quit()`.
pub const DISPID_Quit: i32 = 0xF007;
/// `ApplicationEvents_11.AdvancedSearchComplete(Search* SearchObject)`.
pub const DISPID_AdvancedSearchComplete: i32 = 0xFA6A;
/// `ApplicationEvents_11.AdvancedSearchStopped(Search* SearchObject)`.
pub const DISPID_AdvancedSearchStopped: i32 = 0xFA6B;
/// `ApplicationEvents_11.MAPILogonComplete()`.
pub const DISPID_MAPILogonComplete: i32 = 0xFA90;
/// `ApplicationEvents_11.NewMailEx(BSTR EntryIDCollection)`: one entry ID per call since
/// Outlook 2007.
pub const DISPID_NewMailEx: i32 = 0xFAB5;
/// `ApplicationEvents_11.ItemLoad(IDispatch* Item)`.
pub const DISPID_ItemLoad: i32 = 0xFBA7;
/// `ItemsEvents.ItemAdd(IDispatch* Item)`.
pub const DISPID_ItemAdd: i32 = 0xF001;
/// `ItemsEvents.ItemChange(IDispatch* Item)`.
pub const DISPID_ItemChange: i32 = 0xF002;
/// `ItemsEvents.ItemRemove()`.
pub const DISPID_ItemRemove: i32 = 0xF003;

/// Vtable of `IConnectionPointContainer`.
#[repr(C)]
#[allow(missing_docs)]
pub struct IConnectionPointContainer_Vtbl {
    pub base__: IUnknown_Vtbl,
    /// Slot 3.
    pub EnumConnectionPoints:
        unsafe extern "system" fn(this: *mut c_void, enumerator: *mut *mut c_void) -> HRESULT,
    /// Slot 4: the source's connection point for `riid`, one reference handed over.
    pub FindConnectionPoint: unsafe extern "system" fn(
        this: *mut c_void,
        riid: *const GUID,
        point: *mut *mut c_void,
    ) -> HRESULT,
}

/// Vtable of `IConnectionPoint`.
#[repr(C)]
#[allow(missing_docs)]
pub struct IConnectionPoint_Vtbl {
    pub base__: IUnknown_Vtbl,
    /// Slot 3.
    pub GetConnectionInterface:
        unsafe extern "system" fn(this: *mut c_void, iid: *mut GUID) -> HRESULT,
    /// Slot 4.
    pub GetConnectionPointContainer:
        unsafe extern "system" fn(this: *mut c_void, container: *mut *mut c_void) -> HRESULT,
    /// Slot 5: connects `sink` (which the source `QueryInterface`s for its interface); the
    /// cookie names the connection.
    pub Advise: unsafe extern "system" fn(
        this: *mut c_void,
        sink: *mut c_void,
        cookie: *mut u32,
    ) -> HRESULT,
    /// Slot 6.
    pub Unadvise: unsafe extern "system" fn(this: *mut c_void, cookie: u32) -> HRESULT,
    /// Slot 7.
    pub EnumConnections:
        unsafe extern "system" fn(this: *mut c_void, enumerator: *mut *mut c_void) -> HRESULT,
}

interface!(
    /// `IConnectionPointContainer`: an event source, asked for the connection point of one
    /// event interface.
    IConnectionPointContainer,
    IConnectionPointContainer_Vtbl,
    IID_IConnectionPointContainer,
    IUnknown
);

interface!(
    /// `IConnectionPoint`: one event interface of a source, to `Advise` a sink on.
    IConnectionPoint,
    IConnectionPoint_Vtbl,
    IID_IConnectionPoint,
    IUnknown
);

interface!(
    /// `ApplicationEvents_11`: a dispinterface (its vtable is `IDispatch`'s); the source calls
    /// `Invoke` with the event's DISPID.
    ApplicationEvents_11,
    IDispatch_Vtbl,
    DIID_ApplicationEvents_11,
    IDispatch
);

interface!(
    /// `ItemsEvents`: a dispinterface (its vtable is `IDispatch`'s).
    ItemsEvents,
    IDispatch_Vtbl,
    DIID_ItemsEvents,
    IDispatch
);

const _: () = {
    use core::mem::{offset_of, size_of};
    let slot = size_of::<usize>();
    assert!(offset_of!(IConnectionPointContainer_Vtbl, FindConnectionPoint) == 4 * slot);
    assert!(offset_of!(IConnectionPoint_Vtbl, Advise) == 5 * slot);
    assert!(offset_of!(IConnectionPoint_Vtbl, Unadvise) == 6 * slot);
    assert!(size_of::<IConnectionPoint_Vtbl>() == 8 * slot);
};
