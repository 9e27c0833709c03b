//! [`MsgStore`]: a safe client of any `IMsgStore` (Outlook's, outlook-mapi's, a
//! `SimulatedStore`'s) for what a sink needs of it: `Advise`, with [`EventMask`] and an optional
//! entry ID, returning a [`StoreAdvise`] that unadvises on drop, as the offline manager's
//! [`Advise`](crate::Advise) does.

use super::{AdviseHandler, AdviseSink};
use crate::registration::{Connection, Registration};
use crate::{sys, Error, Result};
use windows_core::{IUnknown, Interface, HRESULT};

/// Which events a connection gets: `IMsgStore::Advise`'s `ulEventMask`, one constant per
/// `fnev*`, combined with `|`.
///
/// ```
/// use mapi_notify_sink::advise_sink::EventMask;
/// use mapi_notify_sink::sys;
///
/// let mask = EventMask::NEW_MAIL | EventMask::OBJECT_CREATED;
/// assert_eq!(mask.bits(), sys::fnevNewMail | sys::fnevObjectCreated);
/// assert!(mask.contains(EventMask::NEW_MAIL));
/// assert!(!mask.contains(EventMask::OBJECT_DELETED));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EventMask(u32);

impl EventMask {
    /// `fnevCriticalError`.
    pub const CRITICAL_ERROR: Self = Self(sys::fnevCriticalError);
    /// `fnevNewMail`: a message arrived.
    pub const NEW_MAIL: Self = Self(sys::fnevNewMail);
    /// `fnevObjectCreated`.
    pub const OBJECT_CREATED: Self = Self(sys::fnevObjectCreated);
    /// `fnevObjectDeleted`.
    pub const OBJECT_DELETED: Self = Self(sys::fnevObjectDeleted);
    /// `fnevObjectModified`.
    pub const OBJECT_MODIFIED: Self = Self(sys::fnevObjectModified);
    /// `fnevObjectMoved`.
    pub const OBJECT_MOVED: Self = Self(sys::fnevObjectMoved);
    /// `fnevObjectCopied`.
    pub const OBJECT_COPIED: Self = Self(sys::fnevObjectCopied);
    /// `fnevSearchComplete`.
    pub const SEARCH_COMPLETE: Self = Self(sys::fnevSearchComplete);
    /// `fnevTableModified`.
    pub const TABLE_MODIFIED: Self = Self(sys::fnevTableModified);
    /// `fnevStatusObjectModified`.
    pub const STATUS_OBJECT_MODIFIED: Self = Self(sys::fnevStatusObjectModified);
    /// `fnevExtended`: a provider's own events.
    pub const EXTENDED: Self = Self(sys::fnevExtended);

    /// The mask as MAPI takes it.
    pub const fn bits(self) -> u32 {
        self.0
    }

    /// Any mask MAPI knows, as bits (a provider's `fnevExtended` events among them).
    pub const fn from_bits(bits: u32) -> Self {
        Self(bits)
    }

    /// Whether every event of `other` is in this mask.
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }
}

impl core::ops::BitOr for EventMask {
    type Output = Self;

    fn bitor(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }
}

impl core::ops::BitOrAssign for EventMask {
    fn bitor_assign(&mut self, other: Self) {
        self.0 |= other.0;
    }
}

/// A message store, for advising a sink on it: any `IMsgStore`.
///
/// ```
/// # #[cfg(feature = "simulator")] {
/// use mapi_notify_sink::advise_sink::{AdviseSink, EventMask, Events, MsgStore};
/// use mapi_notify_sink::mapi_advise_sink;
/// use mapi_notify_sink::simulator::{SimulatedStore, StoreEvent};
/// use std::sync::atomic::{AtomicU32, Ordering};
///
/// struct NewMail(AtomicU32);
///
/// #[mapi_advise_sink]
/// impl NewMail {
///     fn on_notify(&self, events: &Events<'_>) {
///         self.0.fetch_add(events.len() as u32, Ordering::Relaxed);
///     }
/// }
///
/// let simulated = SimulatedStore::new();
/// let store = MsgStore::new(simulated.to_interface());
/// let sink = AdviseSink::new(NewMail(AtomicU32::new(0)));
/// {
///     let advise = store.advise(&sink, EventMask::NEW_MAIL, None).unwrap();
///     assert_ne!(advise.connection(), 0);
///     simulated.notify(&[StoreEvent::new_mail(b"message", b"inbox", "IPM.Note")]);
/// } // dropped: unadvised
/// assert_eq!(simulated.advised(), 0);
/// assert_eq!(sink.0.load(Ordering::Relaxed), 1);
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct MsgStore {
    store: sys::IMsgStore,
}

impl MsgStore {
    /// The store behind an `IMsgStore`.
    pub fn new(store: sys::IMsgStore) -> Self {
        Self { store }
    }

    /// The store behind any interface of it (another binding's `IMsgStore` as `IUnknown`, an
    /// object model's `Store.MAPIOBJECT`): `QueryInterface` for `IID_IMsgStore`.
    pub fn from_unknown(unknown: &IUnknown) -> Result<Self> {
        unknown
            .cast::<sys::IMsgStore>()
            .map(Self::new)
            .map_err(|error| {
                Error::new(
                    error.code(),
                    "QueryInterface(IID_IMsgStore): the object is not a message store",
                )
            })
    }

    /// The store's `IMsgStore`.
    pub fn as_interface(&self) -> &sys::IMsgStore {
        &self.store
    }

    /// Advises `sink` on the store for `events`: on the whole store (`entry_id` `None`), or on
    /// the object whose entry ID is given (a folder's connection sees what happens to the
    /// folder and in it). The store keeps a reference to the sink until the returned
    /// [`StoreAdvise`] is dropped (or later: MAPI may release it on another thread).
    ///
    /// An empty mask, an entry ID longer than MAPI counts (`u32`), and a store that answers
    /// `S_OK` with connection 0 (which no `Unadvise` could name) are errors.
    pub fn advise<T: AdviseHandler>(
        &self,
        sink: &AdviseSink<T>,
        events: EventMask,
        entry_id: Option<&[u8]>,
    ) -> Result<StoreAdvise> {
        if events.bits() == 0 {
            return Err(Error::new(
                sys::E_INVALIDARG,
                "MsgStore::advise: an empty EventMask (no event would ever come)",
            ));
        }
        let entry_id = entry_id.unwrap_or_default();
        let Ok(size) = u32::try_from(entry_id.len()) else {
            return Err(Error::new(
                sys::E_INVALIDARG,
                "MsgStore::advise: an entry ID longer than 4 GiB",
            ));
        };
        let pointer = if entry_id.is_empty() {
            core::ptr::null_mut()
        } else {
            // MAPI's `LPENTRYID` is not const, but `Advise` only reads it.
            entry_id.as_ptr().cast_mut().cast::<sys::ENTRYID>()
        };
        let mut connection = 0usize;
        // SAFETY: `size` bytes at `pointer` (or none), a live sink, a writable out value; the
        // store takes its own reference to the sink.
        let code = unsafe {
            self.store
                .Advise(size, pointer, events.bits(), sink.as_raw(), &mut connection)
        };
        Error::check(code, "IMsgStore::Advise")?;
        if connection == 0 {
            log::error!("IMsgStore::Advise returned S_OK with connection 0: nothing to unadvise");
            return Err(Error::new(
                sys::E_FAIL,
                "IMsgStore::Advise gave connection 0, which no Unadvise can name",
            ));
        }
        Ok(StoreAdvise(Registration::new(StoreConnection {
            store: self.store.clone(),
            connection,
        })))
    }
}

impl From<sys::IMsgStore> for MsgStore {
    fn from(store: sys::IMsgStore) -> Self {
        Self::new(store)
    }
}

/// One connection of a sink on a message store, from [`MsgStore::advise`]: dropping it
/// unadvises (a failure is logged), [`unadvise`](Self::unadvise) does it now and reports.
#[must_use = "dropping the `StoreAdvise` unadvises the sink at once, so it is never called: keep \
              the guard as long as the sink must be called (a field of your add-in, or \
              `let _advise = ...` for a scope), not `let _ = ...`"]
#[derive(Debug)]
pub struct StoreAdvise(Registration<StoreConnection>);

impl StoreAdvise {
    /// The connection number the store gave (never 0).
    pub fn connection(&self) -> usize {
        self.0.connection().connection
    }

    /// Unadvises now, reporting a failure.
    pub fn unadvise(mut self) -> Result<()> {
        self.0.unadvise()
    }
}

#[derive(Debug)]
pub(crate) struct StoreConnection {
    store: sys::IMsgStore,
    connection: usize,
}

impl Connection for StoreConnection {
    const UNADVISE: &'static str = "IMsgStore::Unadvise";

    fn unadvise(&self) -> HRESULT {
        // SAFETY: a connection number this store gave.
        unsafe { self.store.Unadvise(self.connection) }
    }

    fn describe(&self) -> String {
        format!("connection {} on a message store", self.connection)
    }
}
