//! The objects `benches/runtime.rs` measures, and the raw COM calls it makes on them.
//!
//! Three contestants do the same work per operation:
//!
//! - **ours**: [`Ours`], a `#[mapi_notify_sink]` type in a [`Sink`].
//! - **windows-rs**: [`Peer`], a `#[windows_core::implement]` object of [`IMAPIOfflineNotifyW`],
//!   the same interface (same IID, same vtable layout) declared with windows-core 0.62's
//!   `#[interface]`.
//! - **limit**: the work with nothing around it: no vtable call, no object (the
//!   [`limit`] module, and for `Notify` the user fn called directly).
//!
//! Every benchmarked COM call goes through [`call`], which reads the vtable pointer at the
//! object's address and calls the slot, exactly as Outlook (a C++ caller) does; the benchmark
//! wraps the pointer and the arguments in `std::hint::black_box` so nothing is const-folded.
//!
//! # What `Notify` does on each side
//!
//! The user fn is [`on_notify`]: decode the notification (`Notification::state_change`) and, for
//! an online/offline change, add 1 to a counter (`fetch_add`, `Relaxed`). Around it:
//!
//! - ours (the runtime's `notify` shim): null check, read the 4-byte `ulSize` (unaligned); for a
//!   whole notification (`ulSize >= 24`) five fixed 4-byte loads into a local
//!   `MAPIOFFLINE_NOTIFY` (shorter ones take a cold path that copies at most `ulSize` bytes),
//!   wrap it in a `Notification`, call the user fn under `catch_unwind`.
//! - windows-rs ([`Peer`]'s `Notify`): windows-core passes the raw pointer through (after its
//!   `this` adjustment from the interface pointer to the object), so the method does by hand what
//!   a careful sink must: [`careful_copy`], the same checks and the same copy as ours, written
//!   the same way, then the same user fn. No `catch_unwind` (windows-core has none; a panic
//!   would abort at the `extern "system"` boundary), which costs nothing on the path measured.
//! - limit: the same user fn called directly on the caller's struct: no vtable call, no copy.
//!
//! The counters let the benchmark (and the tests below) check that every call did the work.
//!
//! The advise sink's contestants (`OnNotify` with 1 and 16 notifications) are in [`advise`].

pub mod advise;

use core::ffi::c_void;
use core::ptr;
use core::sync::atomic::{AtomicU32, Ordering};
use mapi_notify_sink::sys::{self, IMAPIOfflineNotify_Vtbl, MAPIOFFLINE_NOTIFY};
use mapi_notify_sink::{mapi_notify_sink, Notification, Sink};
use windows_core::{ComObject, Interface, GUID, HRESULT};

/// The work every contestant does per notification: decode it, and count an online/offline
/// change with a relaxed atomic add.
#[inline]
pub fn on_notify(counter: &AtomicU32, info: &Notification<'_>) {
    if info.state_change().is_some() {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// Our contestant's user type (and, for the `limit` entries, the bare payload).
#[derive(Debug, Default)]
pub struct Ours {
    /// Online/offline changes received.
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

pub use peer::{
    IMAPIOfflineNotifyW, IMAPIOfflineNotifyW_Impl, IMAPIOfflineNotifyW_Vtbl, Peer, Peer_Impl,
};

/// The windows-rs contestant, in a module of its own for the COM names' sake (`Notify`).
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

    /// The windows-rs contestant: the same payload as [`Ours`], made a COM object by
    /// `#[implement]`.
    #[implement(IMAPIOfflineNotifyW)]
    #[derive(Debug, Default)]
    pub struct Peer {
        /// Online/offline changes received.
        pub counter: AtomicU32,
    }

    impl IMAPIOfflineNotifyW_Impl for Peer_Impl {
        unsafe fn Notify(&self, info: *const MAPIOFFLINE_NOTIFY) {
            // SAFETY: the COM caller promises `info` is null or covers `ulSize` bytes.
            if let Some(copy) = unsafe { careful_copy(info) } {
                on_notify(&self.counter, &Notification::new(&copy));
            }
        }
    }
}

/// What a careful `Notify` must do with the caller's pointer before reading it, written the
/// way the runtime's (private) `copy_whole`/`copy_partial` are, minus their `log::warn!` on the
/// rejected paths: null check, read `ulSize`, and for a whole notification (`ulSize >= 24`)
/// five fixed loads; a shorter one goes to a cold function that copies at most `ulSize` bytes.
/// So the `Notify` entries compare what each framework adds around the same copy.
///
/// # Safety
/// `info` is null, or points to at least 4 readable bytes and to at least `ulSize` readable
/// bytes.
#[inline(always)]
pub unsafe fn careful_copy(info: *const MAPIOFFLINE_NOTIFY) -> Option<MAPIOFFLINE_NOTIFY> {
    if info.is_null() {
        return None;
    }
    // SAFETY: non-null, and the caller promises the 4 bytes of `ulSize`.
    let size = unsafe { info.cast::<u32>().read_unaligned() };
    if (size as usize) < core::mem::size_of::<MAPIOFFLINE_NOTIFY>() {
        // SAFETY: passed on.
        return unsafe { careful_copy_partial(info, size) };
    }
    // SAFETY: index < 6: bytes 4..24, readable because ulSize >= 24.
    let field = |index: usize| unsafe { info.cast::<u32>().add(index).read_unaligned() };
    Some(MAPIOFFLINE_NOTIFY {
        ulSize: size,
        NotifyType: sys::MAPIOFFLINE_NOTIFY_TYPE(field(1) as i32),
        ulClientToken: field(2),
        Info: sys::MAPIOFFLINE_NOTIFY_0 {
            StateChange: sys::MAPIOFFLINE_NOTIFY_0_0 {
                ulMask: field(3),
                ulStateOld: field(4),
                ulStateNew: field(5),
            },
        },
    })
}

/// [`careful_copy`] of a notification shorter than 24 bytes: refused below the 12-byte header,
/// otherwise copied as far as the caller sent it, the rest zero.
///
/// # Safety
/// `info` is non-null and covers `size` (its `ulSize`) bytes.
#[cold]
#[inline(never)]
unsafe fn careful_copy_partial(
    info: *const MAPIOFFLINE_NOTIFY,
    size: u32,
) -> Option<MAPIOFFLINE_NOTIFY> {
    if size < 12 {
        return None;
    }
    let mut copy = MAPIOFFLINE_NOTIFY {
        ulSize: size,
        ..Default::default()
    };
    // SAFETY: bytes 4..size are readable (size < 24 is the caller's ulSize) and land inside
    // the local `copy`.
    unsafe {
        ptr::copy_nonoverlapping(
            info.cast::<u8>().add(4),
            ptr::addr_of_mut!(copy).cast::<u8>().add(4),
            size as usize - 4,
        );
    }
    Some(copy)
}

/// The notification every `notify_dispatch` entry sends: a full 24-byte STATECHANGE from online
/// to offline, which [`on_notify`] counts.
pub fn state_change() -> MAPIOFFLINE_NOTIFY {
    let mut raw = MAPIOFFLINE_NOTIFY {
        ulSize: core::mem::size_of::<MAPIOFFLINE_NOTIFY>() as u32,
        NotifyType: sys::MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE,
        ulClientToken: 7,
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

/// The `limit` entries: each operation's own work, inline, with no object or call around it.
pub mod limit {
    use super::*;

    /// `query_interface_*`: the IID comparisons every `QueryInterface` makes for this object
    /// (`IMAPIOfflineNotify`, `IUnknown`, `IAgileObject`), an `AtomicU32` add on a hit (the
    /// reference handed out) and the out-pointer write. The benchmark's hit entry then gives the
    /// reference back with [`release`].
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

    /// `add_ref_release`'s first half: a bare `fetch_add(Relaxed)`.
    #[inline(always)]
    pub fn add_ref(count: &AtomicU32) -> u32 {
        count.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// `add_ref_release`'s second half: a bare `fetch_sub(Release)`.
    #[inline(always)]
    pub fn release(count: &AtomicU32) -> u32 {
        count.fetch_sub(1, Ordering::Release) - 1
    }
}

/// One of each contestant, alive for a benchmark group.
pub struct Objects {
    /// Ours, in its `Sink` (count 1).
    pub ours: Sink<Ours>,
    /// The windows-rs object (this reference plus `peer_interface`'s: count 2).
    pub peer: ComObject<Peer>,
    /// The windows-rs object's `IMAPIOfflineNotifyW`, the pointer a COM caller holds.
    pub peer_interface: IMAPIOfflineNotifyW,
    /// The bare payload for the `limit` entries.
    pub limit: Ours,
    /// The bare reference count for the `limit` entries.
    pub limit_count: AtomicU32,
}

impl Objects {
    /// Fresh objects, every counter at zero.
    pub fn new() -> Self {
        let peer = ComObject::new(Peer::default());
        let peer_interface = peer.to_interface::<IMAPIOfflineNotifyW>();
        Self {
            ours: Sink::new(Ours::default()),
            peer,
            peer_interface,
            limit: Ours::default(),
            limit_count: AtomicU32::new(1),
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

    /// Notifications counted by each: ours, windows-rs, limit.
    pub fn counted(&self) -> [u32; 3] {
        [
            self.ours.counter.load(Ordering::Relaxed),
            self.peer.counter.load(Ordering::Relaxed),
            self.limit.counter.load(Ordering::Relaxed),
        ]
    }

    /// Reference counts, read through the vtable (AddRef, then Release): ours, windows-rs,
    /// and the limit's bare count.
    pub fn ref_counts(&self) -> [u32; 3] {
        // SAFETY: both pointers are live interface pointers on which `self` holds references;
        // each AddRef is matched by a Release.
        let count = |raw| unsafe {
            call::add_ref(raw);
            call::release(raw)
        };
        [
            count(self.ours_raw()),
            count(self.peer_raw()),
            self.limit_count.load(Ordering::Relaxed),
        ]
    }
}

impl Default for Objects {
    fn default() -> Self {
        Self::new()
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
        for _ in 0..N {
            // SAFETY: live interface pointers; `raw` is a full 24-byte notification.
            unsafe {
                call::notify(objects.ours_raw(), &raw);
                call::notify(objects.peer_raw(), &raw);
            }
            objects.limit.notify(&Notification::new(&raw));
        }
        assert_eq!(objects.counted(), [N; 3]);
    }

    #[test]
    fn both_sides_reject_the_same_notifications() {
        let objects = Objects::new();
        let mut short = state_change();
        // The header, but no `Info`: the user fn is called and sees no state change.
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
        }
        assert_eq!(objects.counted(), [0; 3]);
    }

    #[test]
    fn query_interface_hit_and_miss() {
        let objects = Objects::new();
        let before = objects.ref_counts();
        assert_eq!(before, [1, 2, 1]);
        for raw in [objects.ours_raw(), objects.peer_raw()] {
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
        let this = ptr::addr_of!(objects.limit).cast_mut().cast();
        let count = &objects.limit_count;
        assert_eq!(
            limit::query_interface(count, this, &sys::IID_IMAPIOfflineNotify, &mut out),
            sys::S_OK
        );
        assert_eq!(limit::release(count), 1);
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
        }
        assert_eq!(limit::add_ref(&objects.limit_count), 2);
        assert_eq!(limit::release(&objects.limit_count), 1);
    }

    #[test]
    fn create_drop_releases_to_zero() {
        let ours = Sink::new(Ours::default()).into_raw();
        let peer: IMAPIOfflineNotifyW = Peer::default().into();
        let peer = peer.into_raw();
        // SAFETY: each pointer carries the one reference it was created with.
        unsafe {
            assert_eq!(call::release(ours), 0);
            assert_eq!(call::release(peer), 0);
        }
    }
}
