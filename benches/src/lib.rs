//! The objects `benches/runtime.rs` measures, and the raw COM calls it makes on them.
//!
//! Three contestants per operation, each written as its users write it:
//!
//! - **ours**: [`Ours`] (and [`OursMinimal`]), `#[mapi_notify_sink]` types in a [`Sink`].
//! - **windows-rs**: [`Peer`] (and [`PeerMinimal`]), `#[windows_core::implement]` objects of
//!   [`IMAPIOfflineNotifyW`], the same interface (same IID, same vtable layout) declared with
//!   windows-core 0.62's `#[interface]`, whose `Notify` is written by hand as a windows-rs user
//!   writes it: nothing of this crate's but the `sys` structs.
//! - **limit**: a floor for each operation: the IID comparisons inline (QueryInterface), a
//!   hand-written C-style COM object ([`c_object`]: a `#[repr(C)]` struct, a static vtable, an
//!   atomic count, written plainly) for AddRef + Release and create + final Release, and for
//!   `Notify` the windows-rs user's own decoding in a bare `extern "system"` function called
//!   through a `black_box`ed pointer ([`limit::notify`]): what any COM method costs with
//!   nothing around it.
//!
//! Every benchmarked COM call goes through [`call`], which reads the vtable pointer at the
//! object's address and calls the slot, exactly as Outlook (a C++ caller) does; the benchmark
//! wraps the pointer and the arguments in `std::hint::black_box` so nothing is const-folded.
//!
//! # What `Notify` does on each side
//!
//! The main user function, [`on_notify`], reads everything a real sink reads: it counts a
//! notification when it is an online/offline change whose old and new states differ and whose
//! client token is the one the sink was advised with ([`TOKEN`]). [`on_notify_minimal`] only
//! asks whether it is an online/offline change (the compiler may then skip decoding the
//! states). Around them:
//!
//! - ours: the runtime's `notify` shim (null check, `ulSize`, a checked copy, a `Notification`,
//!   the user function under `catch_unwind`), the user function through `Notification`.
//! - windows-rs: windows-core passes the raw pointer through (after its `this` adjustment),
//!   and the method is [`by_hand`] / [`by_hand_minimal`]: the null and `ulSize` checks,
//!   `let n = *info;`, the fields tested by hand. No `catch_unwind` (windows-core has none).
//! - limit: [`by_hand`] / [`by_hand_minimal`] in a free `extern "system"` function.
//!
//! The counters let the benchmark (and the tests below) check that every call did the work.
//!
//! The advise sink's contestants (`OnNotify` with 1 and 16 notifications) are in [`advise`].

pub mod advise;
pub mod c_object;

use core::ffi::c_void;
use core::mem::size_of;
use core::ptr;
use core::sync::atomic::{AtomicU32, Ordering};
use mapi_notify_sink::sys::{self, IMAPIOfflineNotify_Vtbl, MAPIOFFLINE_NOTIFY};
use mapi_notify_sink::{mapi_notify_sink, Notification, Sink};
use windows_core::{ComObject, Interface, GUID, HRESULT};

/// The client token the benchmarked sinks were advised with; [`state_change`] carries it.
pub const TOKEN: u32 = 7;

/// The main user function: count an online/offline change whose states differ, for our token.
#[inline]
pub fn on_notify(counter: &AtomicU32, info: &Notification<'_>) {
    if let Some(change) = info.state_change() {
        if change.old != change.new && info.client_token() == TOKEN {
            counter.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// The minimal user function: count any online/offline change.
#[inline]
pub fn on_notify_minimal(counter: &AtomicU32, info: &Notification<'_>) {
    if info.state_change().is_some() {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// [`on_notify`] as a windows-rs user writes it, from the caller's raw pointer.
///
/// # Safety
/// `info` is null or covers `ulSize` bytes (the COM caller's promise).
#[inline(always)]
pub unsafe fn by_hand(counter: &AtomicU32, info: *const MAPIOFFLINE_NOTIFY) {
    // SAFETY: passed on.
    if let Some(n) = unsafe { whole(info) } {
        // SAFETY: three `u32`s; every bit pattern is valid.
        let s = unsafe { n.Info.StateChange };
        if (1..=3).contains(&n.NotifyType.0)
            && s.ulMask == sys::MAPIOFFLINE_STATE_OFFLINE_MASK
            && s.ulStateOld & sys::MAPIOFFLINE_STATE_OFFLINE_MASK
                != s.ulStateNew & sys::MAPIOFFLINE_STATE_OFFLINE_MASK
            && n.ulClientToken == TOKEN
        {
            counter.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// [`on_notify_minimal`] as a windows-rs user writes it.
///
/// # Safety
/// As [`by_hand`].
#[inline(always)]
pub unsafe fn by_hand_minimal(counter: &AtomicU32, info: *const MAPIOFFLINE_NOTIFY) {
    // SAFETY: passed on.
    if let Some(n) = unsafe { whole(info) } {
        // SAFETY: three `u32`s; every bit pattern is valid.
        let s = unsafe { n.Info.StateChange };
        if (1..=3).contains(&n.NotifyType.0) && s.ulMask == sys::MAPIOFFLINE_STATE_OFFLINE_MASK {
            counter.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// The windows-rs user's checks: not null, and the caller sent the whole structure; then
/// `let n = *info;`.
///
/// # Safety
/// As [`by_hand`].
#[inline(always)]
unsafe fn whole(info: *const MAPIOFFLINE_NOTIFY) -> Option<MAPIOFFLINE_NOTIFY> {
    // SAFETY: not null, and the caller promises the 4 bytes of `ulSize` and `ulSize` bytes in
    // all, so `*info` is read only when all 24 bytes were sent.
    unsafe {
        if info.is_null() || ((*info).ulSize as usize) < size_of::<MAPIOFFLINE_NOTIFY>() {
            return None;
        }
        Some(*info)
    }
}

/// Our contestant's user type for the main `Notify` row.
#[derive(Debug, Default)]
pub struct Ours {
    /// Changes counted.
    pub counter: AtomicU32,
}

#[mapi_notify_sink]
impl Ours {
    /// The user fn, [`on_notify`].
    #[inline]
    pub fn notify(&self, info: &Notification<'_>) {
        on_notify(&self.counter, info);
    }
}

/// Our contestant's user type for the minimal `Notify` row.
#[derive(Debug, Default)]
pub struct OursMinimal {
    /// Changes counted.
    pub counter: AtomicU32,
}

#[mapi_notify_sink]
impl OursMinimal {
    /// The user fn, [`on_notify_minimal`].
    #[inline]
    pub fn notify(&self, info: &Notification<'_>) {
        on_notify_minimal(&self.counter, info);
    }
}

pub use peer::{
    IMAPIOfflineNotifyW, IMAPIOfflineNotifyW_Impl, IMAPIOfflineNotifyW_Vtbl, Peer, PeerMinimal,
    PeerMinimal_Impl, Peer_Impl,
};

/// The windows-rs contestants, in a module of their own for the COM names' sake (`Notify`).
#[allow(non_snake_case)]
mod peer {
    use super::*;
    use windows_core::{implement, interface};

    /// `IMAPIOfflineNotify` as windows-core 0.62 declares an interface: `Notify` returns nothing,
    /// so the macro gives the vtable slot the same `void` signature as ours.
    #[interface("0317bde5-fc29-44cd-8dcd-36125a3be9ec")]
    pub unsafe trait IMAPIOfflineNotifyW: windows_core::IUnknown {
        /// Slot 3.
        fn Notify(&self, info: *const MAPIOFFLINE_NOTIFY);
    }

    /// The windows-rs contestant for the main `Notify` row (and every other row).
    #[implement(IMAPIOfflineNotifyW)]
    #[derive(Debug, Default)]
    pub struct Peer {
        /// Changes counted.
        pub counter: AtomicU32,
    }

    impl IMAPIOfflineNotifyW_Impl for Peer_Impl {
        unsafe fn Notify(&self, info: *const MAPIOFFLINE_NOTIFY) {
            // SAFETY: the COM caller promises `info` is null or covers `ulSize` bytes.
            unsafe { by_hand(&self.counter, info) }
        }
    }

    /// The windows-rs contestant for the minimal `Notify` row.
    #[implement(IMAPIOfflineNotifyW)]
    #[derive(Debug, Default)]
    pub struct PeerMinimal {
        /// Changes counted.
        pub counter: AtomicU32,
    }

    impl IMAPIOfflineNotifyW_Impl for PeerMinimal_Impl {
        unsafe fn Notify(&self, info: *const MAPIOFFLINE_NOTIFY) {
            // SAFETY: as above.
            unsafe { by_hand_minimal(&self.counter, info) }
        }
    }
}

/// The notification every `notify` entry sends: a full 24-byte STATECHANGE from online to
/// offline, with [`TOKEN`], which every user function counts.
pub fn state_change() -> MAPIOFFLINE_NOTIFY {
    let mut raw = MAPIOFFLINE_NOTIFY {
        ulSize: size_of::<MAPIOFFLINE_NOTIFY>() as u32,
        NotifyType: sys::MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE,
        ulClientToken: TOKEN,
        ..Default::default()
    };
    raw.Info.StateChange = sys::MAPIOFFLINE_NOTIFY_0_0 {
        ulMask: sys::MAPIOFFLINE_STATE_OFFLINE_MASK,
        ulStateOld: sys::MAPIOFFLINE_STATE_ONLINE,
        ulStateNew: sys::MAPIOFFLINE_STATE_OFFLINE,
    };
    raw
}

/// An IID neither object implements, for `query_interface_miss`.
pub const IID_UNKNOWN_TO_BOTH: GUID = GUID::from_u128(0x6d5140c1_7436_11ce_8034_00aa006009fa);

/// Raw calls through an `IMAPIOfflineNotify*`'s vtable, as a C++ caller makes them.
pub mod call {
    use super::*;

    /// The vtable of the interface pointer `this`.
    ///
    /// # Safety
    /// `this` is a live `IMAPIOfflineNotify*` (its first pointer-sized word points to a vtable
    /// laid out as `IMAPIOfflineNotify_Vtbl`).
    #[inline(always)]
    pub unsafe fn vtable<'a>(this: *mut c_void) -> &'a IMAPIOfflineNotify_Vtbl {
        // SAFETY: the caller's promise.
        unsafe { &**this.cast::<*const IMAPIOfflineNotify_Vtbl>() }
    }

    /// Slot 0.
    ///
    /// # Safety
    /// As [`vtable`]; `iid` readable, `ppv` writable.
    #[inline(always)]
    pub unsafe fn query_interface(
        this: *mut c_void,
        iid: *const GUID,
        ppv: *mut *mut c_void,
    ) -> HRESULT {
        // SAFETY: the caller's promise.
        unsafe { (vtable(this).base__.QueryInterface)(this, iid, ppv) }
    }

    /// Slot 1.
    ///
    /// # Safety
    /// As [`vtable`].
    #[inline(always)]
    pub unsafe fn add_ref(this: *mut c_void) -> u32 {
        // SAFETY: the caller's promise.
        unsafe { (vtable(this).base__.AddRef)(this) }
    }

    /// Slot 2.
    ///
    /// # Safety
    /// As [`vtable`], and the caller gives up one reference it owns.
    #[inline(always)]
    pub unsafe fn release(this: *mut c_void) -> u32 {
        // SAFETY: the caller's promise.
        unsafe { (vtable(this).base__.Release)(this) }
    }

    /// Slot 3.
    ///
    /// # Safety
    /// As [`vtable`]; `info` null or covering `ulSize` bytes.
    #[inline(always)]
    pub unsafe fn notify(this: *mut c_void, info: *const MAPIOFFLINE_NOTIFY) {
        // SAFETY: the caller's promise.
        unsafe { (vtable(this).Notify)(this, info) }
    }
}

/// The `limit` entries' own code (the C-style object is [`c_object`]).
pub mod limit {
    use super::*;

    /// `query_interface_*`: the IID comparisons every `QueryInterface` for this object makes
    /// (`IMAPIOfflineNotify`, `IUnknown`, `IAgileObject`), inline; on a hit an `AtomicU32` add
    /// (the reference handed out) and the out write, on a miss the null write. The hit entry
    /// then gives the reference back with a `fetch_sub(Release)`.
    #[inline(always)]
    pub fn query_interface(
        count: &AtomicU32,
        this: *mut c_void,
        iid: &GUID,
        ppv: &mut *mut c_void,
    ) -> HRESULT {
        if *iid == sys::IID_IMAPIOfflineNotify
            || *iid == sys::IID_IUnknown
            || *iid == sys::IID_IAgileObject
        {
            count.fetch_add(1, Ordering::Relaxed);
            *ppv = this;
            sys::S_OK
        } else {
            *ppv = ptr::null_mut();
            sys::E_NOINTERFACE
        }
    }

    /// A COM method with nothing around the work: `this` is the counter itself.
    pub type NotifyFn = unsafe extern "system" fn(*const AtomicU32, *const MAPIOFFLINE_NOTIFY);

    /// [`by_hand`] as a bare `extern "system"` function: the floor of any `Notify`.
    ///
    /// # Safety
    /// `counter` is live; `info` as [`by_hand`].
    pub unsafe extern "system" fn notify(
        counter: *const AtomicU32,
        info: *const MAPIOFFLINE_NOTIFY,
    ) {
        // SAFETY: the caller's promise.
        unsafe { by_hand(&*counter, info) }
    }

    /// [`by_hand_minimal`] as a bare `extern "system"` function.
    ///
    /// # Safety
    /// As [`notify`].
    pub unsafe extern "system" fn notify_minimal(
        counter: *const AtomicU32,
        info: *const MAPIOFFLINE_NOTIFY,
    ) {
        // SAFETY: the caller's promise.
        unsafe { by_hand_minimal(&*counter, info) }
    }
}

/// One of each contestant, alive for a benchmark group.
pub struct Objects {
    /// Ours, in its `Sink` (count 1).
    pub ours: Sink<Ours>,
    /// Ours for the minimal `Notify` row.
    pub ours_minimal: Sink<OursMinimal>,
    /// The windows-rs object (this reference plus `peer_interface`'s: count 2).
    pub peer: ComObject<Peer>,
    /// The windows-rs object's `IMAPIOfflineNotifyW`, the pointer a COM caller holds.
    pub peer_interface: IMAPIOfflineNotifyW,
    /// The windows-rs object for the minimal `Notify` row.
    pub peer_minimal: ComObject<PeerMinimal>,
    /// Its `IMAPIOfflineNotifyW`.
    pub peer_minimal_interface: IMAPIOfflineNotifyW,
    /// The C-style object (count 1), the AddRef + Release limit.
    pub c_object: c_object::Owned,
    /// The bare reference count of the inline QueryInterface limit.
    pub limit_count: AtomicU32,
    /// The counters of the two `Notify` limits: main, minimal.
    pub limit_counters: [AtomicU32; 2],
}

impl Objects {
    /// Fresh objects, every counter at zero.
    pub fn new() -> Self {
        let peer = ComObject::new(Peer::default());
        let peer_interface = peer.to_interface::<IMAPIOfflineNotifyW>();
        let peer_minimal = ComObject::new(PeerMinimal::default());
        let peer_minimal_interface = peer_minimal.to_interface::<IMAPIOfflineNotifyW>();
        Self {
            ours: Sink::new(Ours::default()),
            ours_minimal: Sink::new(OursMinimal::default()),
            peer,
            peer_interface,
            peer_minimal,
            peer_minimal_interface,
            c_object: c_object::Owned::new(),
            limit_count: AtomicU32::new(1),
            limit_counters: Default::default(),
        }
    }

    /// Ours as a COM caller sees it.
    pub fn ours_raw(&self) -> *mut c_void {
        self.ours.as_raw()
    }

    /// The windows-rs object as a COM caller sees it (its `IMAPIOfflineNotifyW*`).
    pub fn peer_raw(&self) -> *mut c_void {
        self.peer_interface.as_raw()
    }

    /// Notifications counted by the main row's contestants: ours, windows-rs, limit.
    pub fn counted(&self) -> [u32; 3] {
        [
            self.ours.counter.load(Ordering::Relaxed),
            self.peer.counter.load(Ordering::Relaxed),
            self.limit_counters[0].load(Ordering::Relaxed),
        ]
    }

    /// Notifications counted by the minimal row's contestants: ours, windows-rs, limit.
    pub fn counted_minimal(&self) -> [u32; 3] {
        [
            self.ours_minimal.counter.load(Ordering::Relaxed),
            self.peer_minimal.counter.load(Ordering::Relaxed),
            self.limit_counters[1].load(Ordering::Relaxed),
        ]
    }

    /// Reference counts, read through the vtable (AddRef, then Release): ours, windows-rs,
    /// the C-style object, and the inline limit's bare count.
    pub fn ref_counts(&self) -> [u32; 4] {
        // SAFETY: every pointer is a live interface pointer on which `self` holds references;
        // each AddRef is matched by a Release.
        let count = |raw| unsafe {
            call::add_ref(raw);
            call::release(raw)
        };
        [
            count(self.ours_raw()),
            count(self.peer_raw()),
            count(self.c_object.as_raw()),
            self.limit_count.load(Ordering::Relaxed),
        ]
    }
}

impl Default for Objects {
    fn default() -> Self {
        Self::new()
    }
}

/// One create + final Release through the vtable, for each contestant: what a sink's whole
/// life costs when its last reference is a COM caller's.
pub mod create_release {
    use super::*;

    /// Ours: `Sink::new`, the reference given to the caller (`into_raw`), released by it.
    #[inline(always)]
    pub fn ours() -> u32 {
        let raw = std::hint::black_box(Sink::new(Ours::default()).into_raw());
        // SAFETY: `raw` carries the one reference it was created with.
        unsafe { call::release(raw) }
    }

    /// windows-rs: `#[implement]`'s `.into()` to the interface, given to the caller
    /// (`into_raw`), released by it.
    #[inline(always)]
    pub fn windows_rs() -> u32 {
        let interface: IMAPIOfflineNotifyW = Peer::default().into();
        let raw = std::hint::black_box(interface.into_raw());
        // SAFETY: as above.
        unsafe { call::release(raw) }
    }

    /// The C-style object: `Box::new`, released through its vtable.
    #[inline(always)]
    pub fn limit() -> u32 {
        let raw = std::hint::black_box(c_object::Owned::new().into_raw());
        // SAFETY: as above.
        unsafe { call::release(raw) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const N: u32 = 1000;

    #[test]
    fn every_notify_is_counted() {
        let objects = Objects::new();
        let raw = state_change();
        let (main, minimal) = (
            std::hint::black_box(limit::notify as limit::NotifyFn),
            std::hint::black_box(limit::notify_minimal as limit::NotifyFn),
        );
        for _ in 0..N {
            // SAFETY: live interface pointers and counters; `raw` is a full 24-byte notification.
            unsafe {
                call::notify(objects.ours_raw(), &raw);
                call::notify(objects.peer_raw(), &raw);
                main(&objects.limit_counters[0], &raw);
                call::notify(objects.ours_minimal.as_raw(), &raw);
                call::notify(objects.peer_minimal_interface.as_raw(), &raw);
                minimal(&objects.limit_counters[1], &raw);
            }
        }
        assert_eq!(objects.counted(), [N; 3]);
        assert_eq!(objects.counted_minimal(), [N; 3]);
    }

    #[test]
    fn the_main_row_reads_old_new_and_the_token() {
        let objects = Objects::new();
        let mut same = state_change();
        // SAFETY: plain integers.
        unsafe { same.Info.StateChange.ulStateNew = same.Info.StateChange.ulStateOld | 0x100 };
        let mut stranger = state_change();
        stranger.ulClientToken = TOKEN + 1;
        let mut other_kind = state_change();
        other_kind.NotifyType = sys::MAPIOFFLINE_NOTIFY_TYPE(4);
        let mut other_mask = state_change();
        other_mask.Info.StateChange.ulMask = 0x100;
        for raw in [same, stranger, other_kind, other_mask] {
            // SAFETY: live pointers and counters; full notifications.
            unsafe {
                call::notify(objects.ours_raw(), &raw);
                call::notify(objects.peer_raw(), &raw);
                limit::notify(&objects.limit_counters[0], &raw);
            }
        }
        assert_eq!(objects.counted(), [0; 3]);
        // The minimal row counts the first two (online/offline changes), not the others.
        for raw in [same, stranger, other_kind, other_mask] {
            // SAFETY: as above.
            unsafe {
                call::notify(objects.ours_minimal.as_raw(), &raw);
                call::notify(objects.peer_minimal_interface.as_raw(), &raw);
                limit::notify_minimal(&objects.limit_counters[1], &raw);
            }
        }
        assert_eq!(objects.counted_minimal(), [2; 3]);
    }

    #[test]
    fn every_side_rejects_the_same_notifications() {
        let objects = Objects::new();
        let mut short = state_change();
        // The header, but no `Info`: no state change.
        short.ulSize = 20;
        let mut tiny = state_change();
        // Shorter than the header: the user fn is not called.
        tiny.ulSize = 8;
        // SAFETY: live interface pointers; each buffer covers its `ulSize`; null is allowed.
        unsafe {
            for raw in [objects.ours_raw(), objects.peer_raw()] {
                call::notify(raw, &short);
                call::notify(raw, &tiny);
                call::notify(raw, ptr::null());
            }
            for info in [&short as *const _, &tiny, ptr::null()] {
                limit::notify(&objects.limit_counters[0], info);
            }
        }
        assert_eq!(objects.counted(), [0; 3]);
    }

    #[test]
    fn query_interface_hit_and_miss() {
        let objects = Objects::new();
        let before = objects.ref_counts();
        assert_eq!(before, [1, 2, 1, 1]);
        for raw in [
            objects.ours_raw(),
            objects.peer_raw(),
            objects.c_object.as_raw(),
        ] {
            let mut out = ptr::null_mut();
            // SAFETY: live interface pointer, readable IID, writable out pointer.
            unsafe {
                assert_eq!(
                    call::query_interface(raw, &sys::IID_IMAPIOfflineNotify, &mut out),
                    sys::S_OK
                );
                assert_eq!(out, raw);
                call::release(out);
                out = raw;
                assert_eq!(
                    call::query_interface(raw, &IID_UNKNOWN_TO_BOTH, &mut out),
                    sys::E_NOINTERFACE
                );
                assert!(out.is_null());
            }
        }
        let mut out = ptr::null_mut();
        let this = ptr::addr_of!(objects.limit_count).cast_mut().cast();
        let count = &objects.limit_count;
        assert_eq!(
            limit::query_interface(count, this, &sys::IID_IMAPIOfflineNotify, &mut out),
            sys::S_OK
        );
        count.fetch_sub(1, Ordering::Release);
        assert_eq!(
            limit::query_interface(count, this, &IID_UNKNOWN_TO_BOTH, &mut out),
            sys::E_NOINTERFACE
        );
        assert!(out.is_null());
        assert_eq!(objects.ref_counts(), before);
    }

    #[test]
    fn add_ref_release_pairs_return_to_the_start() {
        let objects = Objects::new();
        // SAFETY: live interface pointers; each AddRef is matched by a Release.
        unsafe {
            assert_eq!(call::add_ref(objects.ours_raw()), 2);
            assert_eq!(call::release(objects.ours_raw()), 1);
            assert_eq!(call::add_ref(objects.peer_raw()), 3);
            assert_eq!(call::release(objects.peer_raw()), 2);
            assert_eq!(call::add_ref(objects.c_object.as_raw()), 2);
            assert_eq!(call::release(objects.c_object.as_raw()), 1);
        }
    }

    #[test]
    fn create_release_releases_to_zero() {
        assert_eq!(create_release::ours(), 0);
        assert_eq!(create_release::windows_rs(), 0);
        assert_eq!(create_release::limit(), 0);
    }
}
