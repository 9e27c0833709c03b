//! What a sink's `notify` receives: a checked, owned copy of the caller's `MAPIOFFLINE_NOTIFY`.
//!
//! [`copy_from_caller`] is the only code that reads a caller's notification memory. It reads the
//! 4-byte `ulSize` first and then never touches a byte at or past `ulSize`: a caller's buffer
//! may end exactly there. Everything after it works on the copy, which is plain data, so the
//! rest of this module is safe code.

use crate::sys::{self, MAPIOFFLINE_NOTIFY, MAPIOFFLINE_NOTIFY_TYPE};
use core::mem::size_of;

/// `ulSize`, `NotifyType` and `ulClientToken`: the least a caller must send.
const HEADER_SIZE: usize = 12;

/// Copies the caller's notification, or says (through `log::warn!`) why it cannot be used.
///
/// The copy has `ulSize` as the caller sent it; bytes the caller did not send are zero, and
/// bytes past the 24 this crate knows are not read.
///
/// # Safety
/// `info` is null, or points to at least 4 readable bytes and to at least `ulSize` readable
/// bytes (what `IMAPIOfflineNotify::Notify` promises).
#[inline]
pub(crate) unsafe fn copy_from_caller(
    info: *const MAPIOFFLINE_NOTIFY,
) -> Option<MAPIOFFLINE_NOTIFY> {
    if info.is_null() {
        return refuse_null();
    }
    // SAFETY: non-null, and the caller promises the 4 bytes of `ulSize`. Unaligned, because
    // nothing but the C header's convention promises alignment.
    let size = unsafe { info.cast::<u32>().read_unaligned() };
    if (size as usize) < size_of::<MAPIOFFLINE_NOTIFY>() {
        // SAFETY: passed on from the caller.
        return unsafe { copy_short(info, size) };
    }
    // The common case, a whole structure: a copy of constant length compiles to a few moves.
    // (A variable-length copy here was a `memcpy` call whose result, read back wider than it was
    // written, stalled store forwarding: 3x the cost of the whole Notify.)
    let mut copy = MAPIOFFLINE_NOTIFY {
        ulSize: size,
        ..Default::default()
    };
    // SAFETY: bytes 4..24 of the caller's buffer are readable because ulSize >= 24; they land
    // in `copy`, a distinct local of 24 bytes of plain integers.
    unsafe { copy_after_size(info, &mut copy, size_of::<MAPIOFFLINE_NOTIFY>()) };
    Some(copy)
}

/// A notification shorter than the structure: refused below the header, else copied as far
/// as the caller sent it.
///
/// # Safety
/// As [`copy_from_caller`], with `size` the caller's `ulSize`, below 24.
#[cold]
#[inline(never)]
unsafe fn copy_short(info: *const MAPIOFFLINE_NOTIFY, size: u32) -> Option<MAPIOFFLINE_NOTIFY> {
    if (size as usize) < HEADER_SIZE {
        log::warn!(
            "IMAPIOfflineNotify::Notify called with ulSize {size}, smaller than the {HEADER_SIZE}-byte \
             header (ulSize, NotifyType, ulClientToken); notification ignored"
        );
        return None;
    }
    let mut copy = MAPIOFFLINE_NOTIFY {
        ulSize: size,
        ..Default::default()
    };
    // SAFETY: bytes 4..size are readable (the caller's promise) and size < 24.
    unsafe { copy_after_size(info, &mut copy, size as usize) };
    Some(copy)
}

/// Copies bytes `4..end` of the caller's structure into `copy`.
///
/// # Safety
/// `end <= 24`, and bytes `4..end` of `info` are readable.
#[inline(always)]
unsafe fn copy_after_size(
    info: *const MAPIOFFLINE_NOTIFY,
    copy: &mut MAPIOFFLINE_NOTIFY,
    end: usize,
) {
    // SAFETY: the caller's promise; `copy` is 24 bytes of plain integers, distinct from `info`.
    unsafe {
        core::ptr::copy_nonoverlapping(
            info.cast::<u8>().add(4),
            (copy as *mut MAPIOFFLINE_NOTIFY).cast::<u8>().add(4),
            end - 4,
        );
    }
}

#[cold]
#[inline(never)]
fn refuse_null() -> Option<MAPIOFFLINE_NOTIFY> {
    log::warn!("IMAPIOfflineNotify::Notify called with a null MAPIOFFLINE_NOTIFY pointer; notification ignored");
    None
}

/// One notification from Outlook, valid during the `notify` call.
///
/// ```
/// use mapi_notify_sink::{sys, ConnectionState, Notification, NotifyKind, StateChange};
///
/// let mut raw = sys::MAPIOFFLINE_NOTIFY {
///     ulSize: 24,
///     NotifyType: sys::MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE,
///     ulClientToken: 7,
///     ..Default::default()
/// };
/// raw.Info.StateChange = sys::MAPIOFFLINE_NOTIFY_0_0 {
///     ulMask: sys::MAPIOFFLINE_STATE_OFFLINE_MASK,
///     ulStateOld: sys::MAPIOFFLINE_STATE_ONLINE,
///     ulStateNew: sys::MAPIOFFLINE_STATE_OFFLINE,
/// };
/// let info = Notification::new(&raw);
/// assert_eq!(info.kind(), NotifyKind::StateChange);
/// assert_eq!(info.client_token(), 7);
/// assert_eq!(
///     info.state_change(),
///     Some(StateChange { old: ConnectionState::Online, new: ConnectionState::Offline })
/// );
/// ```
#[derive(Clone, Copy)]
pub struct Notification<'a> {
    raw: &'a MAPIOFFLINE_NOTIFY,
}

impl<'a> Notification<'a> {
    /// Wraps a notification, for instance to test a sink's `notify` without COM.
    /// `Info` counts as present only when `raw.ulSize` is at least 24.
    pub fn new(raw: &'a MAPIOFFLINE_NOTIFY) -> Self {
        Self { raw }
    }

    /// What kind of notification this is.
    pub fn kind(&self) -> NotifyKind {
        NotifyKind::from_raw(self.raw.NotifyType)
    }

    /// The `client_token` given when the sink was advised.
    pub fn client_token(&self) -> u32 {
        self.raw.ulClientToken
    }

    /// The online/offline change this notification reports, if it reports one: the kind is one
    /// of the three state-change kinds, the caller sent `Info`, and its `ulMask` is
    /// `MAPIOFFLINE_STATE_OFFLINE_MASK`.
    pub fn state_change(&self) -> Option<StateChange> {
        if matches!(self.kind(), NotifyKind::Other(_))
            || (self.raw.ulSize as usize) < size_of::<MAPIOFFLINE_NOTIFY>()
        {
            return None;
        }
        // SAFETY: the union's only member is three `u32`s: every bit pattern is valid.
        let info = unsafe { self.raw.Info.StateChange };
        (info.ulMask == sys::MAPIOFFLINE_STATE_OFFLINE_MASK).then(|| StateChange {
            old: ConnectionState::from_bits(info.ulStateOld),
            new: ConnectionState::from_bits(info.ulStateNew),
        })
    }

    /// The notification as received: `ulSize` as the caller sent it, and zero in every byte the
    /// caller did not send.
    pub fn raw(&self) -> &'a MAPIOFFLINE_NOTIFY {
        self.raw
    }
}

impl core::fmt::Debug for Notification<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Notification")
            .field("kind", &self.kind())
            .field("client_token", &self.client_token())
            .field("state_change", &self.state_change())
            .field("size", &self.raw.ulSize)
            .finish()
    }
}

/// `MAPIOFFLINE_NOTIFY::NotifyType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NotifyKind {
    /// `MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE_START`: a change is about to start.
    StateChangeStart,
    /// `MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE`: the state changed.
    StateChange,
    /// `MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE_DONE`: the change is complete.
    StateChangeDone,
    /// A type this crate does not know, as sent.
    Other(u32),
}

impl NotifyKind {
    fn from_raw(raw: MAPIOFFLINE_NOTIFY_TYPE) -> Self {
        match raw {
            sys::MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE_START => Self::StateChangeStart,
            sys::MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE => Self::StateChange,
            sys::MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE_DONE => Self::StateChangeDone,
            MAPIOFFLINE_NOTIFY_TYPE(other) => Self::Other(other as u32),
        }
    }
}

/// An online/offline change: the state before and after.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StateChange {
    /// The state before the change.
    pub old: ConnectionState,
    /// The state after the change.
    pub new: ConnectionState,
}

/// Outlook's connection state, read from `state & MAPIOFFLINE_STATE_OFFLINE_MASK`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConnectionState {
    /// `MAPIOFFLINE_STATE_ONLINE`.
    Online,
    /// `MAPIOFFLINE_STATE_OFFLINE`.
    Offline,
    /// Neither: the masked value (0 or 3).
    Other(u32),
}

impl ConnectionState {
    /// Reads the online/offline bits of a MAPI offline state; other bits are ignored.
    ///
    /// ```
    /// use mapi_notify_sink::ConnectionState;
    /// assert_eq!(ConnectionState::from_bits(0x102), ConnectionState::Online);
    /// assert_eq!(ConnectionState::from_bits(0x3), ConnectionState::Other(3));
    /// ```
    pub fn from_bits(state: u32) -> Self {
        match state & sys::MAPIOFFLINE_STATE_OFFLINE_MASK {
            sys::MAPIOFFLINE_STATE_ONLINE => Self::Online,
            sys::MAPIOFFLINE_STATE_OFFLINE => Self::Offline,
            other => Self::Other(other),
        }
    }

    /// The state's bits, within `MAPIOFFLINE_STATE_OFFLINE_MASK`.
    pub fn bits(self) -> u32 {
        match self {
            Self::Online => sys::MAPIOFFLINE_STATE_ONLINE,
            Self::Offline => sys::MAPIOFFLINE_STATE_OFFLINE,
            Self::Other(bits) => bits & sys::MAPIOFFLINE_STATE_OFFLINE_MASK,
        }
    }
}
