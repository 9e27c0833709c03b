//! What a sink's `notify` receives: a checked, owned copy of the caller's `MAPIOFFLINE_NOTIFY`.
//!
//! [`copy_whole`] and [`copy_partial`] are the only code that reads a caller's notification
//! memory. Each reads the 4-byte `ulSize` first and then never touches a byte at or past
//! `ulSize`: a caller's buffer may end exactly there. Everything after them works on the copy,
//! which is plain data; the one other `unsafe` reads `ConnectionState`'s `repr(u32)` tag.

use crate::sys::{self, MAPIOFFLINE_NOTIFY, MAPIOFFLINE_NOTIFY_TYPE};
use core::mem::size_of;

/// `ulSize`, `NotifyType` and `ulClientToken`: the least a caller must send.
const HEADER_SIZE: usize = 12;

/// Copies a whole notification (`ulSize >= 24`): the common case, kept small enough to inline.
/// `None` when the pointer is null or the caller sent less; [`copy_partial`] handles that.
///
/// The copy has `ulSize` as the caller sent it; bytes past the 24 this crate knows are not read.
///
/// # Safety
/// `info` is null, or points to at least 4 readable bytes and to at least `ulSize` readable
/// bytes (what `IMAPIOfflineNotify::Notify` promises).
#[inline(always)]
pub(crate) unsafe fn copy_whole(info: *const MAPIOFFLINE_NOTIFY) -> Option<MAPIOFFLINE_NOTIFY> {
    if info.is_null() {
        return None;
    }
    // SAFETY: non-null, and the caller promises the 4 bytes of `ulSize`. Unaligned, because
    // nothing but the C header's convention promises alignment.
    let size = unsafe { info.cast::<u32>().read_unaligned() };
    if (size as usize) < size_of::<MAPIOFFLINE_NOTIFY>() {
        return None;
    }
    // Five fixed loads, which stay in registers. (A variable-length `memcpy` here, read back
    // wider than it was written, stalled store forwarding: it cost 3x the whole `Notify`.)
    let field = |index: usize| {
        // SAFETY: index < 6: bytes 4..24, readable because ulSize >= 24.
        unsafe { info.cast::<u32>().add(index).read_unaligned() }
    };
    Some(MAPIOFFLINE_NOTIFY {
        ulSize: size,
        NotifyType: MAPIOFFLINE_NOTIFY_TYPE(field(1) as i32),
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

/// What [`copy_whole`] leaves: a null pointer or a `ulSize` below the header is refused with a
/// `log::warn!`; a shorter structure is copied as far as the caller sent it, the rest zero.
///
/// # Safety
/// As [`copy_whole`].
#[cold]
#[inline(never)]
pub(crate) unsafe fn copy_partial(info: *const MAPIOFFLINE_NOTIFY) -> Option<MAPIOFFLINE_NOTIFY> {
    if info.is_null() {
        crate::com::log_contained(|| {
            log::warn!("IMAPIOfflineNotify::Notify called with a null MAPIOFFLINE_NOTIFY pointer; notification ignored")
        });
        return None;
    }
    // SAFETY: as in `copy_whole`.
    let size = unsafe { info.cast::<u32>().read_unaligned() };
    if (size as usize) < HEADER_SIZE {
        crate::com::log_contained(|| {
            log::warn!(
                "IMAPIOfflineNotify::Notify called with ulSize {size}, smaller than the {HEADER_SIZE}-byte \
                 header (ulSize, NotifyType, ulClientToken); notification ignored"
            )
        });
        return None;
    }
    let mut copy = MAPIOFFLINE_NOTIFY {
        ulSize: size,
        ..Default::default()
    };
    let sent = (size as usize).min(size_of::<MAPIOFFLINE_NOTIFY>());
    // SAFETY: bytes 4..sent of the caller's buffer are readable because sent <= ulSize; they
    // land in `copy`, a distinct local of 24 bytes of plain integers.
    unsafe {
        core::ptr::copy_nonoverlapping(
            info.cast::<u8>().add(4),
            (&mut copy as *mut MAPIOFFLINE_NOTIFY).cast::<u8>().add(4),
            sent - 4,
        );
    }
    Some(copy)
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
///
/// Every change comes as three notifications, in this order:
///
/// ```
/// use mapi_notify_sink::{sys, Notification, NotifyKind};
///
/// let kinds: Vec<NotifyKind> = [1, 2, 3, 7]
///     .map(|kind| sys::MAPIOFFLINE_NOTIFY {
///         ulSize: 24,
///         NotifyType: sys::MAPIOFFLINE_NOTIFY_TYPE(kind),
///         ..Default::default()
///     })
///     .iter()
///     .map(|raw| Notification::new(raw).kind())
///     .collect();
/// assert_eq!(
///     kinds,
///     [
///         NotifyKind::StateChangeStart,
///         NotifyKind::StateChange,
///         NotifyKind::StateChangeDone,
///         NotifyKind::Other(7), // a kind this crate does not know
///     ]
/// );
/// ```
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
///
/// ```
/// use mapi_notify_sink::{ConnectionState, StateChange};
///
/// fn describe(change: StateChange) -> &'static str {
///     match (change.old, change.new) {
///         (ConnectionState::Online, ConnectionState::Offline) => "went offline",
///         (ConnectionState::Offline, ConnectionState::Online) => "came back online",
///         _ => "something else",
///     }
/// }
/// let change = StateChange { old: ConnectionState::Online, new: ConnectionState::Offline };
/// assert_eq!(describe(change), "went offline");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StateChange {
    /// The state before the change.
    pub old: ConnectionState,
    /// The state after the change.
    pub new: ConnectionState,
}

/// Outlook's connection state, read from `state & MAPIOFFLINE_STATE_OFFLINE_MASK`.
///
/// ```
/// use mapi_notify_sink::{sys, ConnectionState};
/// assert_eq!(ConnectionState::from_bits(sys::MAPIOFFLINE_STATE_OFFLINE), ConnectionState::Offline);
/// assert_eq!(ConnectionState::Online.bits(), sys::MAPIOFFLINE_STATE_ONLINE);
/// ```
// The representation is chosen for the comparisons users write (`change.old != change.new`,
// `change.new == ConnectionState::Offline`): with `repr(u32)` and these discriminants, `Online`
// and `Offline` are stored as their own bits and `Other` as 4, a tag no masked state can
// equal. `PartialEq` (written out, as is `Hash`, which agrees with it; `Eq` is derived) compares
// `low()`, the masked bits themselves for every state `from_bits` makes, and the tags only
// where a low can belong to two variants, so after inlining `old != new` is
// `(old ^ new) & 3 != 0`, what a hand-written bit test costs, and a compare with a constant is
// one masked compare. The derive compares the variants and then `Other`'s payload: with
// `from_bits`'s `match`, a dozen instructions and branches.
#[derive(Clone, Copy, Debug, Eq)]
#[repr(u32)]
pub enum ConnectionState {
    /// `MAPIOFFLINE_STATE_ONLINE`.
    Online = UNIT_TAG + sys::MAPIOFFLINE_STATE_ONLINE,
    /// `MAPIOFFLINE_STATE_OFFLINE`.
    Offline = UNIT_TAG + sys::MAPIOFFLINE_STATE_OFFLINE,
    /// Neither: the masked value (0 or 3).
    Other(u32) = OTHER_TAG,
}

/// `Online` and `Offline` are tagged `UNIT_TAG` plus their bits, `Other` with `OTHER_TAG`. For
/// a state made from masked bits `m` (0 to 3) the compiler then knows, from the bits alone,
/// that a unit tag (4 + m) is never `OTHER_TAG` and never the value just below the range, 2,
/// which `Option<StateChange>` uses for `None`: so neither check survives inlining.
const UNIT_TAG: u32 = sys::MAPIOFFLINE_STATE_OFFLINE_MASK + 1;
/// See [`UNIT_TAG`].
const OTHER_TAG: u32 = sys::MAPIOFFLINE_STATE_OFFLINE_MASK;

/// `ConnectionState`'s layout, to make one from a computed tag.
#[repr(C)]
struct Tagged {
    tag: u32,
    payload: u32,
}

impl PartialEq for ConnectionState {
    /// Equal when the variants are, and for `Other` the values too: exactly the derived
    /// equality.
    #[inline(always)]
    fn eq(&self, other: &Self) -> bool {
        // Equal lows are the same value unless one is `Online`/`Offline` and the other an
        // `Other` holding the same bits, which only a low of 1 or 2 can be; the variants tell
        // those apart. So this is the derived equality. For states `from_bits` made the
        // compiler sees that equal lows of 1 or 2 are the same variant, and `old != new`
        // compiles to `(old ^ new) & 3 != 0` (checked in the bench binary's disassembly).
        let low = self.low();
        low == other.low()
            && (low.wrapping_sub(1) >= 2
                || matches!(self, Self::Other(_)) == matches!(other, Self::Other(_)))
    }
}

impl core::hash::Hash for ConnectionState {
    /// Hashes what `eq` compares: whether it is `Other`, and the low value.
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        matches!(self, Self::Other(_)).hash(state);
        self.low().hash(state);
    }
}

impl ConnectionState {
    /// The discriminant: `UNIT_TAG` plus the bits for `Online` and `Offline`, `OTHER_TAG` for
    /// `Other`.
    #[inline(always)]
    fn tag(&self) -> u32 {
        // SAFETY: a `repr(u32)` enum starts with its `u32` tag (the Reference's "Primitive
        // representation of enums with fields"), which is initialised in every value.
        unsafe { *(self as *const Self).cast::<u32>() }
    }

    /// The tag for `Online` and `Offline` (their bits), the payload for `Other`.
    #[inline(always)]
    fn low(&self) -> u32 {
        match *self {
            Self::Other(bits) => bits,
            _ => self.tag() - UNIT_TAG,
        }
    }

    /// Reads the online/offline bits of a MAPI offline state; other bits are ignored.
    #[inline]
    pub fn from_bits(state: u32) -> Self {
        let bits = state & sys::MAPIOFFLINE_STATE_OFFLINE_MASK;
        // Online (2) and Offline (1) are their own tags; 0 and 3 are `Other`. Written as the
        // tag computed without a branch rather than a `match` on `bits`, which the compiler
        // keeps as a three-way choice that `low()` cannot see through once inlined.
        let tag = if matches!(
            bits,
            sys::MAPIOFFLINE_STATE_ONLINE | sys::MAPIOFFLINE_STATE_OFFLINE
        ) {
            UNIT_TAG + bits
        } else {
            OTHER_TAG
        };
        // SAFETY: `Tagged` is the layout the Reference gives a `repr(u32)` enum with fields
        // (a `u32` tag, then `Other`'s `u32`); `tag` is one of the three discriminants, and
        // the second word is `Other`'s payload when the tag is `OTHER_TAG` (unused otherwise).
        unsafe { core::mem::transmute::<Tagged, Self>(Tagged { tag, payload: bits }) }
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
