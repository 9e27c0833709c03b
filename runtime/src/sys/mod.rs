//! The raw ABI: Outlook's Offline State API, the part of MAPI an advise sink meets, the slice
//! of OLE Automation and of COM servers the rest of the crate uses, and Office's add-in
//! interface, each exactly as its C header lays it out.
//!
//! Names follow the Win32 header (and windows-rs): `MAPIOFFLINE_NOTIFY`, `ulClientToken`,
//! `IMAPIOfflineNotify_Vtbl`. Every COM method is `__stdcall`, which is `extern "system"` in
//! Rust. The sizes and field offsets below are checked at compile time on every target.
//!
//! The interface types ([`IMAPIOfflineNotify`], [`IMAPIOffline`], [`IMAPIOfflineMgr`]) are
//! windows-core interfaces, so `IUnknown::cast` and friends work with them. Their methods are
//! thin `unsafe` calls through the vtable: the caller promises what the C API requires (valid
//! pointers, correct sizes).
#![allow(non_camel_case_types, non_snake_case, non_upper_case_globals)]

use core::ffi::c_void;
use windows_core::{IUnknown, IUnknown_Vtbl, Interface, GUID, HRESULT};

/// `IID_IMAPIOfflineNotify` `{0317bde5-fc29-44cd-8dcd-36125a3be9ec}`.
pub const IID_IMAPIOfflineNotify: GUID = GUID::from_u128(0x0317bde5_fc29_44cd_8dcd_36125a3be9ec);
/// `IID_IMAPIOffline` `{000672b5-0000-0000-c000-000000000046}`.
pub const IID_IMAPIOffline: GUID = GUID::from_u128(0x000672b5_0000_0000_c000_000000000046);
/// `IID_IMAPIOfflineMgr` `{42175607-ff3e-4790-bc18-66c8643e6424}`.
pub const IID_IMAPIOfflineMgr: GUID = GUID::from_u128(0x42175607_ff3e_4790_bc18_66c8643e6424);
/// `GUID_GlobalState` `{fbeffd93-b11f-4094-842b-96dcd31e63d1}`: the offline object for the
/// whole profile, the one argument `HrOpenOfflineObj` accepts.
pub const GUID_GlobalState: GUID = GUID::from_u128(0xfbeffd93_b11f_4094_842b_96dcd31e63d1);
/// `IID_IUnknown` `{00000000-0000-0000-c000-000000000046}`.
pub const IID_IUnknown: GUID = GUID::from_u128(0x00000000_0000_0000_c000_000000000046);
/// `IID_IAgileObject` `{94ea2b94-e9cc-49e0-c0ff-ee64ca8f5b90}`.
pub const IID_IAgileObject: GUID = GUID::from_u128(0x94ea2b94_e9cc_49e0_c0ff_ee64ca8f5b90);
/// `IID_IMarshal` `{00000003-0000-0000-c000-000000000046}`.
pub const IID_IMarshal: GUID = GUID::from_u128(0x00000003_0000_0000_c000_000000000046);

/// C enum `MAPIOFFLINE_NOTIFY_TYPE` (4 bytes).
///
/// ```
/// use mapi_notify_sink::sys;
/// assert_eq!(sys::MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE, sys::MAPIOFFLINE_NOTIFY_TYPE(2));
/// assert_eq!(size_of::<sys::MAPIOFFLINE_NOTIFY_TYPE>(), 4);
/// ```
#[repr(transparent)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct MAPIOFFLINE_NOTIFY_TYPE(pub i32);
/// A connection state change is about to start.
pub const MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE_START: MAPIOFFLINE_NOTIFY_TYPE =
    MAPIOFFLINE_NOTIFY_TYPE(1);
/// The connection state has changed.
pub const MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE: MAPIOFFLINE_NOTIFY_TYPE = MAPIOFFLINE_NOTIFY_TYPE(2);
/// A connection state change is complete.
pub const MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE_DONE: MAPIOFFLINE_NOTIFY_TYPE =
    MAPIOFFLINE_NOTIFY_TYPE(3);

/// C enum `MAPIOFFLINE_CALLBACK_TYPE` (4 bytes).
///
/// ```
/// use mapi_notify_sink::sys;
/// assert_eq!(sys::MAPIOFFLINE_CALLBACK_TYPE_NOTIFY, sys::MAPIOFFLINE_CALLBACK_TYPE(0));
/// assert_eq!(size_of::<sys::MAPIOFFLINE_CALLBACK_TYPE>(), 4);
/// ```
#[repr(transparent)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct MAPIOFFLINE_CALLBACK_TYPE(pub i32);
/// The callback implements `IMAPIOfflineNotify`.
pub const MAPIOFFLINE_CALLBACK_TYPE_NOTIFY: MAPIOFFLINE_CALLBACK_TYPE =
    MAPIOFFLINE_CALLBACK_TYPE(0);

/// `Advise` flags: the default.
pub const MAPIOFFLINE_ADVISE_DEFAULT: u32 = 0;
/// `Unadvise` flags: the default.
pub const MAPIOFFLINE_UNADVISE_DEFAULT: u32 = 0;
/// `ulAdviseTypes`: connection state changes.
pub const MAPIOFFLINE_ADVISE_TYPE_STATECHANGE: u32 = 1;
/// `GetCapabilities`: the store can go offline.
pub const MAPIOFFLINE_CAPABILITY_OFFLINE: u32 = 0x1;
/// `GetCapabilities`: the store can go online.
pub const MAPIOFFLINE_CAPABILITY_ONLINE: u32 = 0x2;
/// `SetCurrentState` flags: asynchronous.
pub const MAPIOFFLINE_FLAG_DEFAULT: u32 = 0;
/// `SetCurrentState` flags: return only when the change is complete.
pub const MAPIOFFLINE_FLAG_BLOCK: u32 = 0x2000;
/// Every state bit.
pub const MAPIOFFLINE_STATE_ALL: u32 = 0x003f_037f;
/// The online/offline bits of a state.
pub const MAPIOFFLINE_STATE_OFFLINE_MASK: u32 = 0x3;
/// Offline.
pub const MAPIOFFLINE_STATE_OFFLINE: u32 = 0x1;
/// Online.
pub const MAPIOFFLINE_STATE_ONLINE: u32 = 0x2;
/// `MAPI_E_NOT_FOUND` (0x8004010F): what `HrOpenOfflineObj` returns outside Outlook.
pub const MAPI_E_NOT_FOUND: HRESULT = HRESULT(0x8004_010F_u32 as i32);

/// `MAPIOFFLINE_NOTIFY::Info.StateChange`.
///
/// ```
/// use mapi_notify_sink::sys;
/// let went_offline = sys::MAPIOFFLINE_NOTIFY_0_0 {
///     ulMask: sys::MAPIOFFLINE_STATE_OFFLINE_MASK,
///     ulStateOld: sys::MAPIOFFLINE_STATE_ONLINE,
///     ulStateNew: sys::MAPIOFFLINE_STATE_OFFLINE,
/// };
/// assert_eq!(size_of_val(&went_offline), 12);
/// ```
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MAPIOFFLINE_NOTIFY_0_0 {
    /// The bits that changed; `MAPIOFFLINE_STATE_OFFLINE_MASK` for an online/offline change.
    pub ulMask: u32,
    /// The state before.
    pub ulStateOld: u32,
    /// The state after.
    pub ulStateNew: u32,
}

/// `MAPIOFFLINE_NOTIFY::Info`: a union with one member.
///
/// ```
/// use mapi_notify_sink::sys;
/// let info = sys::MAPIOFFLINE_NOTIFY_0::default(); // all zero
/// // SAFETY: the only member is three `u32`s: every bit pattern is one.
/// assert_eq!(unsafe { info.StateChange }, sys::MAPIOFFLINE_NOTIFY_0_0::default());
/// ```
#[repr(C)]
#[derive(Clone, Copy)]
pub union MAPIOFFLINE_NOTIFY_0 {
    /// Valid when `NotifyType` is a state-change type and `ulMask` is the offline mask.
    pub StateChange: MAPIOFFLINE_NOTIFY_0_0,
}

impl Default for MAPIOFFLINE_NOTIFY_0 {
    fn default() -> Self {
        Self {
            StateChange: MAPIOFFLINE_NOTIFY_0_0::default(),
        }
    }
}

/// `MAPIOFFLINE_NOTIFY`: what Outlook passes to `IMAPIOfflineNotify::Notify` (24 bytes).
///
/// ```
/// use mapi_notify_sink::sys;
/// let mut notify = sys::MAPIOFFLINE_NOTIFY {
///     ulSize: size_of::<sys::MAPIOFFLINE_NOTIFY>() as u32, // 24
///     NotifyType: sys::MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE_START,
///     ulClientToken: 1,
///     ..Default::default()
/// };
/// notify.Info.StateChange.ulMask = sys::MAPIOFFLINE_STATE_OFFLINE_MASK;
/// assert_eq!(notify.ulSize, 24);
/// ```
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct MAPIOFFLINE_NOTIFY {
    /// Size of the structure the caller sent, in bytes.
    pub ulSize: u32,
    /// What kind of notification this is.
    pub NotifyType: MAPIOFFLINE_NOTIFY_TYPE,
    /// The token the client gave in `MAPIOFFLINE_ADVISEINFO::ulClientToken`.
    pub ulClientToken: u32,
    /// The notification's details.
    pub Info: MAPIOFFLINE_NOTIFY_0,
}

impl core::fmt::Debug for MAPIOFFLINE_NOTIFY {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // SAFETY: the union's only member is plain `u32`s: every bit pattern is valid.
        let state_change = unsafe { self.Info.StateChange };
        f.debug_struct("MAPIOFFLINE_NOTIFY")
            .field("ulSize", &self.ulSize)
            .field("NotifyType", &self.NotifyType)
            .field("ulClientToken", &self.ulClientToken)
            .field("Info.StateChange", &state_change)
            .finish()
    }
}

/// `MAPIOFFLINE_ADVISEINFO`: what a client passes to `IMAPIOfflineMgr::Advise`
/// (32 bytes on 64-bit targets, with padding before `pCallback`; 24 on 32-bit).
///
/// ```
/// use mapi_notify_sink::sys;
/// let info = sys::MAPIOFFLINE_ADVISEINFO {
///     ulSize: size_of::<sys::MAPIOFFLINE_ADVISEINFO>() as u32,
///     ulClientToken: 0x5eed,
///     CallbackType: sys::MAPIOFFLINE_CALLBACK_TYPE_NOTIFY,
///     pCallback: core::ptr::null_mut(), // the sink's IUnknown*: `Sink::as_raw()`
///     ulAdviseTypes: sys::MAPIOFFLINE_ADVISE_TYPE_STATECHANGE,
///     ulStateMask: sys::MAPIOFFLINE_STATE_ALL,
/// };
/// assert_eq!(info.ulSize as usize, if cfg!(target_pointer_width = "64") { 32 } else { 24 });
/// ```
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct MAPIOFFLINE_ADVISEINFO {
    /// `size_of::<MAPIOFFLINE_ADVISEINFO>()`.
    pub ulSize: u32,
    /// Comes back in every notification's `ulClientToken`.
    pub ulClientToken: u32,
    /// Must be `MAPIOFFLINE_CALLBACK_TYPE_NOTIFY`.
    pub CallbackType: MAPIOFFLINE_CALLBACK_TYPE,
    /// The callback's `IUnknown*`; it is queried for `IMAPIOfflineNotify`.
    pub pCallback: *mut c_void,
    /// `MAPIOFFLINE_ADVISE_TYPE_STATECHANGE` to receive state changes.
    pub ulAdviseTypes: u32,
    /// The state bits the client cares about.
    pub ulStateMask: u32,
}

const _: () = {
    use core::mem::{offset_of, size_of};
    assert!(size_of::<MAPIOFFLINE_NOTIFY_TYPE>() == 4);
    assert!(size_of::<MAPIOFFLINE_CALLBACK_TYPE>() == 4);
    assert!(size_of::<MAPIOFFLINE_NOTIFY>() == 24);
    assert!(offset_of!(MAPIOFFLINE_NOTIFY, NotifyType) == 4);
    assert!(offset_of!(MAPIOFFLINE_NOTIFY, ulClientToken) == 8);
    assert!(offset_of!(MAPIOFFLINE_NOTIFY, Info) == 12);
    assert!(offset_of!(MAPIOFFLINE_NOTIFY_0_0, ulStateNew) == 8);
    assert!(offset_of!(MAPIOFFLINE_ADVISEINFO, CallbackType) == 8);
    #[cfg(target_pointer_width = "64")]
    {
        assert!(size_of::<MAPIOFFLINE_ADVISEINFO>() == 32);
        assert!(offset_of!(MAPIOFFLINE_ADVISEINFO, pCallback) == 16);
        assert!(offset_of!(MAPIOFFLINE_ADVISEINFO, ulStateMask) == 28);
    }
    #[cfg(target_pointer_width = "32")]
    {
        assert!(size_of::<MAPIOFFLINE_ADVISEINFO>() == 24);
        assert!(offset_of!(MAPIOFFLINE_ADVISEINFO, pCallback) == 12);
        assert!(offset_of!(MAPIOFFLINE_ADVISEINFO, ulStateMask) == 20);
    }
};

/// Vtable of `IMAPIOfflineNotify : IUnknown`.
///
/// Calling a slot by hand, as Outlook does:
///
/// ```
/// use mapi_notify_sink::{mapi_notify_sink, sys, Notification, Sink};
/// use std::sync::Mutex;
///
/// struct Seen(Mutex<Vec<u32>>);
///
/// #[mapi_notify_sink]
/// impl Seen {
///     fn notify(&self, info: &Notification<'_>) {
///         self.0.lock().unwrap().push(info.client_token());
///     }
/// }
///
/// let sink = Sink::new(Seen(Mutex::default()));
/// let notify = sink.to_interface();
/// let vtable: &sys::IMAPIOfflineNotify_Vtbl = windows_core::Interface::vtable(&notify);
/// let raw = sys::MAPIOFFLINE_NOTIFY { ulSize: 24, ulClientToken: 9, ..Default::default() };
/// // SAFETY: `notify` holds a reference to the object; `raw` is a whole notification.
/// unsafe { (vtable.Notify)(windows_core::Interface::as_raw(&notify), &raw) };
/// assert_eq!(*sink.0.lock().unwrap(), [9]);
/// ```
#[repr(C)]
pub struct IMAPIOfflineNotify_Vtbl {
    /// Slots 0–2.
    pub base__: IUnknown_Vtbl,
    /// Slot 3: `void Notify(const MAPIOFFLINE_NOTIFY*)`.
    pub Notify: unsafe extern "system" fn(this: *mut c_void, info: *const MAPIOFFLINE_NOTIFY),
}

/// Vtable of `IMAPIOffline : IUnknown`.
///
/// ```
/// # #[cfg(feature = "simulator")] {
/// use mapi_notify_sink::{simulator::SimulatedOutlook, sys};
/// use windows_core::Interface;
///
/// let outlook = SimulatedOutlook::new();
/// let raw = outlook.manager().as_raw();
/// // SAFETY: a live IMAPIOfflineMgr*, borrowed while `outlook` holds it.
/// let manager = unsafe { sys::IMAPIOfflineMgr::from_raw_borrowed(&raw) }.unwrap();
/// let vtable: &sys::IMAPIOffline_Vtbl = &manager.vtable().base__;
/// let mut state = 0;
/// // SAFETY: a live object and a valid out pointer.
/// let code = unsafe { (vtable.GetCurrentState)(manager.as_raw(), &mut state) };
/// assert_eq!((code, state), (sys::S_OK, sys::MAPIOFFLINE_STATE_ONLINE));
/// # }
/// ```
#[repr(C)]
pub struct IMAPIOffline_Vtbl {
    /// Slots 0–2.
    pub base__: IUnknown_Vtbl,
    /// Slot 3.
    pub SetCurrentState: unsafe extern "system" fn(
        this: *mut c_void,
        ulFlags: u32,
        ulMask: u32,
        ulState: u32,
        pReserved: *mut c_void,
    ) -> HRESULT,
    /// Slot 4.
    pub GetCapabilities:
        unsafe extern "system" fn(this: *mut c_void, pulCapabilities: *mut u32) -> HRESULT,
    /// Slot 5.
    pub GetCurrentState:
        unsafe extern "system" fn(this: *mut c_void, pulState: *mut u32) -> HRESULT,
    /// Slot 6: undocumented; present so the slots after it are where Outlook puts them.
    pub Placeholder1:
        unsafe extern "system" fn(this: *mut c_void, reserved: *mut c_void) -> HRESULT,
}

/// Vtable of `IMAPIOfflineMgr : IMAPIOffline`.
///
/// ```
/// # #[cfg(feature = "simulator")] {
/// use mapi_notify_sink::{simulator::SimulatedOutlook, sys};
/// use windows_core::Interface;
///
/// let outlook = SimulatedOutlook::new();
/// let raw = outlook.manager().as_raw();
/// // SAFETY: a live IMAPIOfflineMgr*, borrowed while `outlook` holds it.
/// let manager = unsafe { sys::IMAPIOfflineMgr::from_raw_borrowed(&raw) }.unwrap();
/// let vtable: &sys::IMAPIOfflineMgr_Vtbl = manager.vtable();
/// // SAFETY: a live object; plain integers.
/// let code = unsafe { (vtable.Unadvise)(manager.as_raw(), 0, 12345) };
/// assert_eq!(code, sys::E_INVALIDARG); // no such advise token
/// # }
/// ```
#[repr(C)]
pub struct IMAPIOfflineMgr_Vtbl {
    /// Slots 0–6.
    pub base__: IMAPIOffline_Vtbl,
    /// Slot 7.
    pub Advise: unsafe extern "system" fn(
        this: *mut c_void,
        ulFlags: u32,
        pAdviseInfo: *mut MAPIOFFLINE_ADVISEINFO,
        pulAdviseToken: *mut u32,
    ) -> HRESULT,
    /// Slot 8.
    pub Unadvise:
        unsafe extern "system" fn(this: *mut c_void, ulFlags: u32, ulAdviseToken: u32) -> HRESULT,
    /// Slots 9–15: undocumented placeholders.
    pub Placeholder1: unsafe extern "system" fn(this: *mut c_void) -> HRESULT,
    /// Slot 10.
    pub Placeholder2: unsafe extern "system" fn(this: *mut c_void) -> HRESULT,
    /// Slot 11.
    pub Placeholder3: unsafe extern "system" fn(this: *mut c_void) -> HRESULT,
    /// Slot 12.
    pub Placeholder4: unsafe extern "system" fn(this: *mut c_void) -> HRESULT,
    /// Slot 13.
    pub Placeholder5: unsafe extern "system" fn(this: *mut c_void) -> HRESULT,
    /// Slot 14.
    pub Placeholder6: unsafe extern "system" fn(this: *mut c_void) -> HRESULT,
    /// Slot 15.
    pub Placeholder7: unsafe extern "system" fn(this: *mut c_void) -> HRESULT,
}

const _: () = {
    use core::mem::size_of;
    let slot = size_of::<usize>();
    assert!(size_of::<IMAPIOfflineNotify_Vtbl>() == 4 * slot);
    assert!(size_of::<IMAPIOffline_Vtbl>() == 7 * slot);
    assert!(size_of::<IMAPIOfflineMgr_Vtbl>() == 16 * slot);
    assert!(core::mem::offset_of!(IMAPIOfflineMgr_Vtbl, Advise) == 7 * slot);
};

/// `HrOpenOfflineObj`, exported by Outlook's `olmapi32.dll` / `msmapi32.dll`
/// (`HrOpenOfflineObj@20` on 32-bit x86).
pub type HrOpenOfflineObj = unsafe extern "system" fn(
    ulReserved: u32,
    pwszProfileName: *const u16,
    pGUID: *const GUID,
    pReserved: *const GUID,
    ppOfflineObj: *mut *mut c_void,
) -> HRESULT;

macro_rules! interface {
    ($(#[$doc:meta])* $name:ident, $vtbl:ident, $iid:ident, $parent:ty) => {
        $(#[$doc])*
        #[repr(transparent)]
        #[derive(Clone, PartialEq, Eq, Debug)]
        pub struct $name(IUnknown);

        // SAFETY: `$name` is a transparent wrapper of an `IUnknown` whose vtable begins with
        // `$vtbl`, which is `#[repr(C)]` and starts with the parent's vtable.
        unsafe impl Interface for $name {
            type Vtable = $vtbl;
            const IID: GUID = $iid;
        }

        impl core::ops::Deref for $name {
            type Target = $parent;
            fn deref(&self) -> &$parent {
                // SAFETY: both are transparent wrappers of one interface pointer, and this
                // interface's vtable begins with the parent's.
                unsafe { core::mem::transmute::<&$name, &$parent>(self) }
            }
        }

        impl From<$name> for IUnknown {
            fn from(value: $name) -> IUnknown {
                value.0
            }
        }
    };
}

interface!(
    /// `IMAPIOfflineNotify`: the callback Outlook calls on each connection-state change.
    ///
    /// ```
    /// use mapi_notify_sink::{mapi_notify_sink, sys, Notification, Sink};
    /// use std::sync::Mutex;
    ///
    /// struct Seen(Mutex<Vec<u32>>);
    ///
    /// #[mapi_notify_sink]
    /// impl Seen {
    ///     fn notify(&self, info: &Notification<'_>) {
    ///         self.0.lock().unwrap().push(info.client_token());
    ///     }
    /// }
    ///
    /// let sink = Sink::new(Seen(Mutex::default()));
    /// let notify: sys::IMAPIOfflineNotify = sink.to_interface(); // AddRef'd
    /// let raw = sys::MAPIOFFLINE_NOTIFY { ulSize: 24, ulClientToken: 3, ..Default::default() };
    /// // SAFETY: a whole notification.
    /// unsafe { notify.Notify(&raw) };
    /// assert_eq!(*sink.0.lock().unwrap(), [3]);
    /// ```
    IMAPIOfflineNotify, IMAPIOfflineNotify_Vtbl, IID_IMAPIOfflineNotify, IUnknown
);
interface!(
    /// `IMAPIOffline`: an offline object's state and capabilities.
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// use mapi_notify_sink::{simulator::SimulatedOutlook, sys};
    /// use windows_core::Interface;
    ///
    /// let outlook = SimulatedOutlook::new();
    /// let raw = outlook.manager().as_raw();
    /// // SAFETY: a live IMAPIOfflineMgr*, borrowed while `outlook` holds it.
    /// let manager = unsafe { sys::IMAPIOfflineMgr::from_raw_borrowed(&raw) }.unwrap();
    /// let offline: &sys::IMAPIOffline = manager; // IMAPIOfflineMgr derives from it
    /// let mut state = 0;
    /// // SAFETY: a valid out pointer.
    /// unsafe { offline.GetCurrentState(&mut state) }.unwrap();
    /// assert_eq!(state, sys::MAPIOFFLINE_STATE_ONLINE);
    /// # }
    /// ```
    IMAPIOffline, IMAPIOffline_Vtbl, IID_IMAPIOffline, IUnknown
);
interface!(
    /// `IMAPIOfflineMgr`: `IMAPIOffline` plus advise/unadvise of notification sinks.
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// use mapi_notify_sink::{simulator::SimulatedOutlook, sys};
    /// use windows_core::Interface;
    ///
    /// let outlook = SimulatedOutlook::new();
    /// let raw = outlook.manager().as_raw();
    /// // SAFETY: a live IMAPIOfflineMgr*, borrowed while `outlook` holds it.
    /// let manager = unsafe { sys::IMAPIOfflineMgr::from_raw_borrowed(&raw) }.unwrap();
    /// let mut capabilities = 0;
    /// // SAFETY: a valid out pointer.
    /// unsafe { manager.GetCapabilities(&mut capabilities) }.unwrap();
    /// assert_ne!(capabilities & sys::MAPIOFFLINE_CAPABILITY_OFFLINE, 0);
    /// # }
    /// ```
    IMAPIOfflineMgr, IMAPIOfflineMgr_Vtbl, IID_IMAPIOfflineMgr, IMAPIOffline
);

impl IMAPIOfflineNotify {
    /// Calls slot 3, `Notify`.
    ///
    /// # Safety
    /// `info` must be null or point to at least `(*info).ulSize` readable bytes
    /// (and at least the 4 bytes of `ulSize`).
    pub unsafe fn Notify(&self, info: *const MAPIOFFLINE_NOTIFY) {
        // SAFETY: the vtable is an `IMAPIOfflineNotify_Vtbl`; the caller vouches for `info`.
        unsafe { (self.vtable().Notify)(self.as_raw(), info) }
    }
}

impl IMAPIOffline {
    /// Calls slot 3, `SetCurrentState`.
    ///
    /// # Safety
    /// `reserved` must be what the API accepts there (null).
    pub unsafe fn SetCurrentState(
        &self,
        flags: u32,
        mask: u32,
        state: u32,
        reserved: *mut c_void,
    ) -> HRESULT {
        // SAFETY: the vtable is an `IMAPIOffline_Vtbl`; the caller vouches for `reserved`.
        unsafe { (self.vtable().SetCurrentState)(self.as_raw(), flags, mask, state, reserved) }
    }

    /// Calls slot 4, `GetCapabilities`.
    ///
    /// # Safety
    /// `capabilities` must be valid for a `u32` write.
    pub unsafe fn GetCapabilities(&self, capabilities: *mut u32) -> HRESULT {
        // SAFETY: the vtable is an `IMAPIOffline_Vtbl`; the caller vouches for the out pointer.
        unsafe { (self.vtable().GetCapabilities)(self.as_raw(), capabilities) }
    }

    /// Calls slot 5, `GetCurrentState`.
    ///
    /// # Safety
    /// `state` must be valid for a `u32` write.
    pub unsafe fn GetCurrentState(&self, state: *mut u32) -> HRESULT {
        // SAFETY: the vtable is an `IMAPIOffline_Vtbl`; the caller vouches for the out pointer.
        unsafe { (self.vtable().GetCurrentState)(self.as_raw(), state) }
    }
}

impl IMAPIOfflineMgr {
    /// Calls slot 7, `Advise`.
    ///
    /// # Safety
    /// `info` must point to a valid `MAPIOFFLINE_ADVISEINFO` whose callback may be called and
    /// released from any thread (Outlook does, and so does `SimulatedOutlook`: every `Sink`
    /// may), and `token` be valid for a write (the manager checks neither for anything but
    /// null).
    pub unsafe fn Advise(
        &self,
        flags: u32,
        info: *mut MAPIOFFLINE_ADVISEINFO,
        token: *mut u32,
    ) -> HRESULT {
        // SAFETY: the vtable is an `IMAPIOfflineMgr_Vtbl`; the caller vouches for the pointers.
        unsafe { (self.vtable().Advise)(self.as_raw(), flags, info, token) }
    }

    /// Calls slot 8, `Unadvise`.
    ///
    /// # Safety
    /// Always sound to call with any token; `unsafe` because it is a raw call through the
    /// vtable of an object this crate did not write.
    pub unsafe fn Unadvise(&self, flags: u32, token: u32) -> HRESULT {
        // SAFETY: the vtable is an `IMAPIOfflineMgr_Vtbl`.
        unsafe { (self.vtable().Unadvise)(self.as_raw(), flags, token) }
    }
}

// After `interface!`, which `addin` and `msgstore` use.
mod addin;
mod automation;
mod events;
mod hresult;
mod mapidefs;
mod msgstore;
mod notification;
pub use addin::*;
pub use automation::*;
pub use events::*;
pub use hresult::*;
pub use mapidefs::*;
pub use msgstore::*;
pub use notification::*;
