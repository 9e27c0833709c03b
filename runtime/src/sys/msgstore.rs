//! The interfaces an advise sink meets: `IMAPIAdviseSink` itself, and `IMsgStore` (with
//! `IMAPIProp`, its base) for `Advise` / `Unadvise`.

use super::*;
use core::ffi::c_void;
use windows_core::{IUnknown, IUnknown_Vtbl, Interface, GUID, HRESULT};

/// Vtable of `IMAPIAdviseSink : IUnknown`.
///
/// ```
/// use mapi_notify_sink::advise_sink::{AdviseSink, Events};
/// use mapi_notify_sink::{mapi_advise_sink, sys};
/// use windows_core::Interface as _; // `vtable`, `as_raw`
/// use std::sync::atomic::{AtomicUsize, Ordering};
///
/// struct Count(AtomicUsize);
///
/// #[mapi_advise_sink]
/// impl Count {
///     fn on_notify(&self, events: &Events<'_>) {
///         self.0.fetch_add(events.len(), Ordering::Relaxed);
///     }
/// }
///
/// let sink = AdviseSink::new(Count(AtomicUsize::new(0)));
/// let mut raw = [sys::NOTIFICATION {
///     ulEventType: sys::fnevExtended,
///     ulAlignPad: 0,
///     info: sys::NOTIFICATION_0 {
///         ext: sys::EXTENDED_NOTIFICATION { ulEvent: 0x42, cb: 0, pbEventParameters: std::ptr::null_mut() },
///     },
/// }];
/// let interface: sys::IMAPIAdviseSink = sink.to_interface();
/// let vtable: &sys::IMAPIAdviseSink_Vtbl = interface.vtable();
/// // SAFETY: a live sink with a reference held; one notification, with no pointers in it.
/// let result = unsafe { (vtable.OnNotify)(interface.as_raw(), 1, raw.as_mut_ptr()) };
/// assert_eq!(result, 0); // what every sink returns
/// assert_eq!(sink.0.load(Ordering::Relaxed), 1);
/// ```
#[repr(C)]
pub struct IMAPIAdviseSink_Vtbl {
    /// Slots 0–2.
    pub base__: IUnknown_Vtbl,
    /// Slot 3: `ULONG OnNotify(ULONG cNotif, LPNOTIFICATION lpNotifications)`; clients return 0.
    pub OnNotify: unsafe extern "system" fn(
        this: *mut c_void,
        cNotif: u32,
        lpNotifications: *mut NOTIFICATION,
    ) -> u32,
}

/// Vtable of `IMAPIProp : IUnknown` (slots 3–13). The parameter lists are the header's: on
/// 32-bit x86 a `stdcall` callee pops its own arguments, so each slot's must be exact.
///
/// ```
/// # #[cfg(feature = "simulator")] {
/// use mapi_notify_sink::simulator::SimulatedStore;
/// use mapi_notify_sink::sys;
/// use windows_core::Interface as _; // `vtable`, `as_raw`, `cast`
///
/// let store = SimulatedStore::new();
/// let msg_store: sys::IMsgStore = store.to_interface();
/// let prop: &sys::IMAPIProp = &msg_store; // IMsgStore derives from IMAPIProp
/// let vtable: &sys::IMAPIProp_Vtbl = prop.vtable();
/// // SAFETY: a live object; `SaveChanges` takes no pointers.
/// let hr = unsafe { (vtable.SaveChanges)(prop.as_raw(), 0) };
/// assert_eq!(hr, sys::MAPI_E_NO_SUPPORT); // the simulated store implements Advise and Unadvise
/// # }
/// ```
#[repr(C)]
pub struct IMAPIProp_Vtbl {
    /// Slots 0–2.
    pub base__: IUnknown_Vtbl,
    /// Slot 3: `GetLastError(HRESULT, ULONG ulFlags, LPMAPIERROR*)`.
    pub GetLastError: unsafe extern "system" fn(
        this: *mut c_void,
        hResult: HRESULT,
        ulFlags: u32,
        lppMAPIError: *mut *mut MAPIERROR,
    ) -> HRESULT,
    /// Slot 4: `SaveChanges(ULONG ulFlags)`.
    pub SaveChanges: unsafe extern "system" fn(this: *mut c_void, ulFlags: u32) -> HRESULT,
    /// Slot 5: `GetProps(LPSPropTagArray, ULONG ulFlags, ULONG* lpcValues, LPSPropValue*)`.
    pub GetProps: unsafe extern "system" fn(
        this: *mut c_void,
        lpPropTagArray: *mut SPropTagArray,
        ulFlags: u32,
        lpcValues: *mut u32,
        lppPropArray: *mut *mut SPropValue,
    ) -> HRESULT,
    /// Slot 6: `GetPropList(ULONG ulFlags, LPSPropTagArray*)`.
    pub GetPropList: unsafe extern "system" fn(
        this: *mut c_void,
        ulFlags: u32,
        lppPropTagArray: *mut *mut SPropTagArray,
    ) -> HRESULT,
    /// Slot 7: `OpenProperty(ULONG ulPropTag, LPCIID, ULONG ulInterfaceOptions, ULONG ulFlags,
    /// LPUNKNOWN*)`.
    pub OpenProperty: unsafe extern "system" fn(
        this: *mut c_void,
        ulPropTag: u32,
        lpiid: *const GUID,
        ulInterfaceOptions: u32,
        ulFlags: u32,
        lppUnk: *mut *mut c_void,
    ) -> HRESULT,
    /// Slot 8: `SetProps(ULONG cValues, LPSPropValue, LPSPropProblemArray*)`.
    pub SetProps: unsafe extern "system" fn(
        this: *mut c_void,
        cValues: u32,
        lpPropArray: *mut SPropValue,
        lppProblems: *mut *mut c_void,
    ) -> HRESULT,
    /// Slot 9: `DeleteProps(LPSPropTagArray, LPSPropProblemArray*)`.
    pub DeleteProps: unsafe extern "system" fn(
        this: *mut c_void,
        lpPropTagArray: *mut SPropTagArray,
        lppProblems: *mut *mut c_void,
    ) -> HRESULT,
    /// Slot 10: `CopyTo(ULONG ciidExclude, LPCIID rgiidExclude, LPSPropTagArray lpExcludeProps,
    /// ULONG_PTR ulUIParam, LPMAPIPROGRESS, LPCIID lpInterface, LPVOID lpDestObj, ULONG ulFlags,
    /// LPSPropProblemArray*)`.
    pub CopyTo: unsafe extern "system" fn(
        this: *mut c_void,
        ciidExclude: u32,
        rgiidExclude: *const GUID,
        lpExcludeProps: *mut SPropTagArray,
        ulUIParam: usize,
        lpProgress: *mut c_void,
        lpInterface: *const GUID,
        lpDestObj: *mut c_void,
        ulFlags: u32,
        lppProblems: *mut *mut c_void,
    ) -> HRESULT,
    /// Slot 11: `CopyProps(LPSPropTagArray lpIncludeProps, ULONG_PTR ulUIParam, LPMAPIPROGRESS,
    /// LPCIID lpInterface, LPVOID lpDestObj, ULONG ulFlags, LPSPropProblemArray*)`.
    pub CopyProps: unsafe extern "system" fn(
        this: *mut c_void,
        lpIncludeProps: *mut SPropTagArray,
        ulUIParam: usize,
        lpProgress: *mut c_void,
        lpInterface: *const GUID,
        lpDestObj: *mut c_void,
        ulFlags: u32,
        lppProblems: *mut *mut c_void,
    ) -> HRESULT,
    /// Slot 12: `GetNamesFromIDs(LPSPropTagArray*, LPGUID lpPropSetGuid, ULONG ulFlags,
    /// ULONG* lpcPropNames, LPMAPINAMEID** lpppPropNames)`.
    pub GetNamesFromIDs: unsafe extern "system" fn(
        this: *mut c_void,
        lppPropTags: *mut *mut SPropTagArray,
        lpPropSetGuid: *mut GUID,
        ulFlags: u32,
        lpcPropNames: *mut u32,
        lpppPropNames: *mut *mut *mut c_void,
    ) -> HRESULT,
    /// Slot 13: `GetIDsFromNames(ULONG cPropNames, LPMAPINAMEID* lppPropNames, ULONG ulFlags,
    /// LPSPropTagArray*)`.
    pub GetIDsFromNames: unsafe extern "system" fn(
        this: *mut c_void,
        cPropNames: u32,
        lppPropNames: *mut *mut c_void,
        ulFlags: u32,
        lppPropTags: *mut *mut SPropTagArray,
    ) -> HRESULT,
}

/// Vtable of `IMsgStore : IMAPIProp` (slots 14–26).
///
/// ```
/// # #[cfg(feature = "simulator")] {
/// use mapi_notify_sink::simulator::SimulatedStore;
/// use mapi_notify_sink::sys;
/// use windows_core::Interface as _; // `vtable`, `as_raw`, `cast`
///
/// let store = SimulatedStore::new();
/// let msg_store: sys::IMsgStore = store.to_interface();
/// let vtable: &sys::IMsgStore_Vtbl = msg_store.vtable();
/// // SAFETY: a live store; `Unadvise` takes no pointers.
/// let hr = unsafe { (vtable.Unadvise)(msg_store.as_raw(), 7) };
/// assert_eq!(hr, sys::MAPI_E_NOT_FOUND); // no connection 7
/// let mut flags = 0;
/// // SAFETY: a live store; `flags` is writable.
/// let hr = unsafe { (vtable.StoreLogoff)(msg_store.as_raw(), &mut flags) };
/// assert_eq!(hr, sys::MAPI_E_NO_SUPPORT);
/// # }
/// ```
#[repr(C)]
pub struct IMsgStore_Vtbl {
    /// Slots 0–13.
    pub base__: IMAPIProp_Vtbl,
    /// Slot 14: `Advise(ULONG cbEntryID, LPENTRYID, ULONG ulEventMask, LPMAPIADVISESINK,
    /// ULONG_PTR* lpulConnection)`. A null entry ID advises on the whole store.
    pub Advise: unsafe extern "system" fn(
        this: *mut c_void,
        cbEntryID: u32,
        lpEntryID: *mut ENTRYID,
        ulEventMask: u32,
        lpAdviseSink: *mut c_void,
        lpulConnection: *mut usize,
    ) -> HRESULT,
    /// Slot 15: `Unadvise(ULONG_PTR ulConnection)`.
    pub Unadvise: unsafe extern "system" fn(this: *mut c_void, ulConnection: usize) -> HRESULT,
    /// Slot 16: `CompareEntryIDs(ULONG cbEntryID1, LPENTRYID, ULONG cbEntryID2, LPENTRYID,
    /// ULONG ulFlags, ULONG* lpulResult)`.
    pub CompareEntryIDs: unsafe extern "system" fn(
        this: *mut c_void,
        cbEntryID1: u32,
        lpEntryID1: *mut ENTRYID,
        cbEntryID2: u32,
        lpEntryID2: *mut ENTRYID,
        ulFlags: u32,
        lpulResult: *mut u32,
    ) -> HRESULT,
    /// Slot 17: `OpenEntry(ULONG cbEntryID, LPENTRYID, LPCIID, ULONG ulFlags, ULONG* lpulObjType,
    /// LPUNKNOWN*)`.
    pub OpenEntry: unsafe extern "system" fn(
        this: *mut c_void,
        cbEntryID: u32,
        lpEntryID: *mut ENTRYID,
        lpInterface: *const GUID,
        ulFlags: u32,
        lpulObjType: *mut u32,
        lppUnk: *mut *mut c_void,
    ) -> HRESULT,
    /// Slot 18: `SetReceiveFolder(LPTSTR lpszMessageClass, ULONG ulFlags, ULONG cbEntryID,
    /// LPENTRYID)`.
    pub SetReceiveFolder: unsafe extern "system" fn(
        this: *mut c_void,
        lpszMessageClass: *mut c_void,
        ulFlags: u32,
        cbEntryID: u32,
        lpEntryID: *mut ENTRYID,
    ) -> HRESULT,
    /// Slot 19: `GetReceiveFolder(LPTSTR lpszMessageClass, ULONG ulFlags, ULONG* lpcbEntryID,
    /// LPENTRYID*, LPTSTR* lppszExplicitClass)`.
    pub GetReceiveFolder: unsafe extern "system" fn(
        this: *mut c_void,
        lpszMessageClass: *mut c_void,
        ulFlags: u32,
        lpcbEntryID: *mut u32,
        lppEntryID: *mut *mut ENTRYID,
        lppszExplicitClass: *mut *mut c_void,
    ) -> HRESULT,
    /// Slot 20: `GetReceiveFolderTable(ULONG ulFlags, LPMAPITABLE*)`.
    pub GetReceiveFolderTable: unsafe extern "system" fn(
        this: *mut c_void,
        ulFlags: u32,
        lppTable: *mut *mut c_void,
    ) -> HRESULT,
    /// Slot 21: `StoreLogoff(ULONG* lpulFlags)`.
    pub StoreLogoff: unsafe extern "system" fn(this: *mut c_void, lpulFlags: *mut u32) -> HRESULT,
    /// Slot 22: `AbortSubmit(ULONG cbEntryID, LPENTRYID, ULONG ulFlags)`.
    pub AbortSubmit: unsafe extern "system" fn(
        this: *mut c_void,
        cbEntryID: u32,
        lpEntryID: *mut ENTRYID,
        ulFlags: u32,
    ) -> HRESULT,
    /// Slot 23: `GetOutgoingQueue(ULONG ulFlags, LPMAPITABLE*)`.
    pub GetOutgoingQueue: unsafe extern "system" fn(
        this: *mut c_void,
        ulFlags: u32,
        lppTable: *mut *mut c_void,
    ) -> HRESULT,
    /// Slot 24: `SetLockState(LPMESSAGE, ULONG ulLockState)`.
    pub SetLockState: unsafe extern "system" fn(
        this: *mut c_void,
        lpMessage: *mut c_void,
        ulLockState: u32,
    ) -> HRESULT,
    /// Slot 25: `FinishedMsg(ULONG ulFlags, ULONG cbEntryID, LPENTRYID)`.
    pub FinishedMsg: unsafe extern "system" fn(
        this: *mut c_void,
        ulFlags: u32,
        cbEntryID: u32,
        lpEntryID: *mut ENTRYID,
    ) -> HRESULT,
    /// Slot 26: `NotifyNewMail(LPNOTIFICATION)`.
    pub NotifyNewMail:
        unsafe extern "system" fn(this: *mut c_void, lpNotification: *mut NOTIFICATION) -> HRESULT,
}

const _: () = {
    use core::mem::{offset_of, size_of};
    let slot = size_of::<usize>();
    assert!(size_of::<IMAPIAdviseSink_Vtbl>() == 4 * slot);
    assert!(size_of::<IMAPIProp_Vtbl>() == 14 * slot);
    assert!(size_of::<IMsgStore_Vtbl>() == 27 * slot);
    assert!(offset_of!(IMsgStore_Vtbl, Advise) == 14 * slot);
    assert!(offset_of!(IMsgStore_Vtbl, Unadvise) == 15 * slot);
    assert!(offset_of!(IMsgStore_Vtbl, NotifyNewMail) == 26 * slot);
};

interface!(
    /// `IMAPIAdviseSink`: the callback MAPI calls with notifications (`OnNotify`).
    ///
    /// ```
    /// use mapi_notify_sink::advise_sink::{AdviseSink, Events};
    /// use mapi_notify_sink::{mapi_advise_sink, sys};
    /// use windows_core::Interface as _; // `cast`
/// use std::sync::atomic::{AtomicUsize, Ordering};
    ///
    /// struct Count(AtomicUsize);
    ///
    /// #[mapi_advise_sink]
    /// impl Count {
    ///     fn on_notify(&self, events: &Events<'_>) {
    ///         self.0.fetch_add(events.len(), Ordering::Relaxed);
    ///     }
    /// }
    ///
    /// let sink = AdviseSink::new(Count(AtomicUsize::new(0)));
    /// let mut raw = [sys::NOTIFICATION {
    ///     ulEventType: sys::fnevExtended,
    ///     ulAlignPad: 0,
    ///     info: sys::NOTIFICATION_0 {
    ///         ext: sys::EXTENDED_NOTIFICATION { ulEvent: 0x42, cb: 0, pbEventParameters: std::ptr::null_mut() },
    ///     },
    /// }];
    /// // What MAPI holds: the sink's IMAPIAdviseSink (from QueryInterface, here `cast`).
    /// let interface: sys::IMAPIAdviseSink = sink.to_unknown().cast().unwrap();
    /// // SAFETY: one notification, with no pointers in it.
    /// assert_eq!(unsafe { interface.OnNotify(1, raw.as_mut_ptr()) }, 0);
    /// assert_eq!(sink.0.load(Ordering::Relaxed), 1);
    /// ```
    IMAPIAdviseSink, IMAPIAdviseSink_Vtbl, IID_IMAPIAdviseSink, IUnknown
);
interface!(
    /// `IMAPIProp`: an object with MAPI properties.
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// use mapi_notify_sink::simulator::SimulatedStore;
    /// use mapi_notify_sink::sys;
    /// use windows_core::Interface as _; // `vtable`, `as_raw`, `cast`
    ///
    /// let store = SimulatedStore::new();
    /// let msg_store: sys::IMsgStore = store.to_interface();
    /// let prop: sys::IMAPIProp = msg_store.cast().unwrap(); // QueryInterface(IID_IMAPIProp)
    /// assert_eq!(prop.as_raw(), msg_store.as_raw()); // one object
    /// # }
    /// ```
    IMAPIProp, IMAPIProp_Vtbl, IID_IMAPIProp, IUnknown
);
interface!(
    /// `IMsgStore`: a message store; here for `Advise` and `Unadvise`.
    ///
    /// ```
    /// # #[cfg(feature = "simulator")] {
    /// use mapi_notify_sink::advise_sink::{AdviseSink, Events};
    /// use mapi_notify_sink::mapi_advise_sink;
    /// use mapi_notify_sink::simulator::SimulatedStore;
    /// use mapi_notify_sink::sys;
    /// use windows_core::Interface as _; // `vtable`, `as_raw`, `cast`
    ///
    /// struct Quiet;
    ///
    /// #[mapi_advise_sink]
    /// impl Quiet {
    ///     fn on_notify(&self, _events: &Events<'_>) {}
    /// }
    ///
    /// let store = SimulatedStore::new();
    /// let sink = AdviseSink::new(Quiet);
    /// let msg_store: sys::IMsgStore = store.to_interface();
    /// let mut connection = 0;
    /// // SAFETY: the whole store (no entry ID); a live sink; `connection` is writable.
    /// let hr = unsafe {
    ///     msg_store.Advise(0, std::ptr::null_mut(), sys::fnevNewMail, sink.as_raw(), &mut connection)
    /// };
    /// assert!(hr.is_ok() && connection != 0);
    /// assert_eq!(AdviseSink::ref_count(&sink), 2); // the store holds the sink ...
    /// // SAFETY: a connection this store gave.
    /// assert!(unsafe { msg_store.Unadvise(connection) }.is_ok());
    /// assert_eq!(AdviseSink::ref_count(&sink), 1); // ... until Unadvise
    /// # }
    /// ```
    IMsgStore, IMsgStore_Vtbl, IID_IMsgStore, IMAPIProp
);

impl IMAPIAdviseSink {
    /// Calls slot 3, `OnNotify`.
    ///
    /// # Safety
    /// `notifications` must be null or point to `count` valid `NOTIFICATION`s, and every
    /// pointer inside them must be valid for what its count says, for the whole call.
    pub unsafe fn OnNotify(&self, count: u32, notifications: *mut NOTIFICATION) -> u32 {
        // SAFETY: the vtable is an `IMAPIAdviseSink_Vtbl`; the caller vouches for the array.
        unsafe { (self.vtable().OnNotify)(self.as_raw(), count, notifications) }
    }
}

impl IMsgStore {
    /// Calls slot 14, `Advise`.
    ///
    /// # Safety
    /// `entry_id` must be null or cover `cb_entry_id` bytes; `sink` must be null or an
    /// `IMAPIAdviseSink*` that may be called and released from any thread (MAPI does, and so
    /// does `SimulatedStore`: every `AdviseSink` may); `connection` must be valid for a write.
    pub unsafe fn Advise(
        &self,
        cb_entry_id: u32,
        entry_id: *mut ENTRYID,
        event_mask: u32,
        sink: *mut c_void,
        connection: *mut usize,
    ) -> HRESULT {
        // SAFETY: the vtable is an `IMsgStore_Vtbl`; the caller vouches for the pointers.
        unsafe {
            (self.vtable().Advise)(
                self.as_raw(),
                cb_entry_id,
                entry_id,
                event_mask,
                sink,
                connection,
            )
        }
    }

    /// Calls slot 15, `Unadvise`.
    ///
    /// # Safety
    /// Sound with any connection number; `unsafe` because it is a raw call through the vtable of
    /// an object this crate did not write.
    pub unsafe fn Unadvise(&self, connection: usize) -> HRESULT {
        // SAFETY: the vtable is an `IMsgStore_Vtbl`.
        unsafe { (self.vtable().Unadvise)(self.as_raw(), connection) }
    }
}
