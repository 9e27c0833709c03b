//! The advise sink's contestants: `OnNotify` with 1 and with 16 notifications, each decoded the
//! same way on every side, in two kinds of burst.
//!
//! - `on_notify_1`, `on_notify_16` ([`NewMailBatch`]): new mail only; the work per
//!   notification is the entry ID's and the parent's byte counts and the message class's
//!   length (a NUL scan).
//! - `on_notify_mixed_1`, `on_notify_mixed_16` ([`MixedBatch`]): what handlers read in practice,
//!   over new mail, an object modified and a table row added, in turn (the 1-notification burst
//!   is a new mail): for new mail the entry ID's length and whether the class begins with
//!   `IPM.Note` (a prefix compare, which need not find the class's end); for an object
//!   modified the entry ID's length and the number of changed property tags; for a row added
//!   the row's length and its first property's tag.
//!
//! Each call adds its total to an atomic counter (`Relaxed`), so the benchmark can check every
//! call did the work.
//!
//! - **ours**: [`AdviseOurs`], a `#[mapi_advise_sink]` type in an `AdviseSink`, reading the
//!   fields through `Events` (counts bound every read; null-with-count checks; lazily decoded).
//! - **windows-rs**: [`AdvisePeer`], a windows-core `#[implement]` object of
//!   [`IMAPIAdviseSinkW`] (the same IID and vtable as `IMAPIAdviseSink`), whose hand-written
//!   `OnNotify` walks the raw array as an outlook-mapi user writes it ([`decode_by_hand`]: the
//!   same null checks, `strlen` for the class).
//! - **limit**: [`decode_by_hand`] called directly on the array: no vtable, no object.

use core::ffi::c_void;
use core::sync::atomic::{AtomicUsize, Ordering};
use mapi_notify_sink::advise_sink::{AdviseSink, EntryId, Event, Events, TableEventKind};
use mapi_notify_sink::{mapi_advise_sink, sys};
use sys::NOTIFICATION;
use windows_core::{ComObject, Interface};

/// What every contestant adds up per notification (see the module documentation).
#[derive(Debug, Default)]
pub struct Totals {
    /// Bytes of entry IDs and class characters seen, over all calls.
    pub total: AtomicUsize,
}

/// Our contestant.
#[derive(Debug, Default)]
pub struct AdviseOurs(pub Totals);

#[mapi_advise_sink]
impl AdviseOurs {
    /// Adds up the fields of every new mail.
    #[inline]
    pub fn on_notify(&self, events: &Events<'_>) {
        let mut total = 0;
        for event in events {
            if let Event::NewMail(mail) = event {
                total += mail.entry_id().map_or(0, |id| id.as_bytes().len())
                    + mail.parent_id().map_or(0, |id| id.as_bytes().len())
                    + mail.message_class().map_or(0, |class| class.len());
            }
        }
        self.0.total.fetch_add(total, Ordering::Relaxed);
    }
}

/// The same sum, from the raw array, as a careful hand-written `OnNotify` computes it.
///
/// # Safety
/// `notifications` is null or `count` notifications valid for the call (MAPI's contract).
#[inline(always)]
pub unsafe fn decode_by_hand(count: u32, notifications: *const NOTIFICATION) -> usize {
    if notifications.is_null() || count == 0 {
        return 0;
    }
    // SAFETY: the caller's promise.
    let array = unsafe { core::slice::from_raw_parts(notifications, count as usize) };
    let mut total = 0;
    for notification in array {
        if notification.ulEventType != sys::fnevNewMail {
            continue;
        }
        // SAFETY: `fnevNewMail` says `newmail` is the member written.
        let mail = unsafe { &notification.info.newmail };
        let id = |cb: u32, ptr: *mut sys::ENTRYID| if ptr.is_null() { 0 } else { cb as usize };
        total += id(mail.cbEntryID, mail.lpEntryID) + id(mail.cbParentID, mail.lpParentID);
        if !mail.lpszMessageClass.is_null() {
            let unicode = mail.ulFlags & sys::MAPI_UNICODE != 0;
            total += if unicode {
                // SAFETY: a NUL-terminated UTF-16 string (MAPI's contract).
                unsafe { wide_len(mail.lpszMessageClass.cast()) }
            } else {
                // SAFETY: a NUL-terminated 8-bit string (MAPI's contract).
                unsafe { core::ffi::CStr::from_ptr(mail.lpszMessageClass.cast()) }
                    .to_bytes()
                    .len()
            };
        }
    }
    total
}

/// # Safety
/// `text` is NUL-terminated.
unsafe fn wide_len(text: *const u16) -> usize {
    let mut len = 0;
    // SAFETY: every unit up to the NUL is readable.
    while unsafe { *text.add(len) } != 0 {
        len += 1;
    }
    len
}

/// Our contestant for the mixed bursts.
#[derive(Debug, Default)]
pub struct MixedOurs(pub Totals);

#[mapi_advise_sink]
impl MixedOurs {
    /// Adds up what a handler reads of each kind (see the module documentation).
    #[inline]
    pub fn on_notify(&self, events: &Events<'_>) {
        let id_len = |id: Option<EntryId<'_>>| id.map_or(0, |id| id.as_bytes().len());
        let mut total = 0;
        for event in events {
            match event {
                // One `total +=` per field, as the hand-written decodings add them.
                Event::NewMail(mail) => {
                    total += id_len(mail.entry_id());
                    total += usize::from(
                        mail.message_class()
                            .is_some_and(|class| class.starts_with("IPM.Note")),
                    );
                }
                Event::ObjectModified(object) => {
                    total += id_len(object.entry_id());
                    total += object.prop_tags().map_or(0, <[u32]>::len);
                }
                Event::TableModified(table) if table.kind() == TableEventKind::RowAdded => {
                    let row = table.row();
                    total += row.len();
                    total += row.get(0).map_or(0, |first| first.tag() as usize);
                }
                _ => {}
            }
        }
        self.0.total.fetch_add(total, Ordering::Relaxed);
    }
}

/// The mixed bursts' sum, from the raw array, as a careful hand-written `OnNotify` computes it.
///
/// # Safety
/// `notifications` is null or `count` notifications valid for the call (MAPI's contract).
#[inline(always)]
pub unsafe fn decode_mixed_by_hand(count: u32, notifications: *const NOTIFICATION) -> usize {
    if notifications.is_null() || count == 0 {
        return 0;
    }
    // SAFETY: the caller's promise.
    let array = unsafe { core::slice::from_raw_parts(notifications, count as usize) };
    let id = |cb: u32, ptr: *mut sys::ENTRYID| if ptr.is_null() { 0 } else { cb as usize };
    let mut total = 0;
    for notification in array {
        // SAFETY (each union read): `ulEventType` names the member written; every pointer
        // read is checked for null and then trusted, as MAPI's contract allows.
        unsafe {
            match notification.ulEventType {
                sys::fnevNewMail => {
                    let mail = &notification.info.newmail;
                    total += id(mail.cbEntryID, mail.lpEntryID);
                    let class = mail.lpszMessageClass;
                    if !class.is_null() {
                        let prefix = b"IPM.Note";
                        let unicode = mail.ulFlags & sys::MAPI_UNICODE != 0;
                        // Unit by unit, stopping at the first difference (a NUL is one).
                        let matches = if unicode {
                            let class = class.cast::<u16>();
                            (0..prefix.len()).all(|i| *class.add(i) == u16::from(prefix[i]))
                        } else {
                            let class = class.cast::<u8>();
                            (0..prefix.len()).all(|i| *class.add(i) == prefix[i])
                        };
                        total += usize::from(matches);
                    }
                }
                sys::fnevObjectModified => {
                    let object = &notification.info.obj;
                    total += id(object.cbEntryID, object.lpEntryID);
                    if !object.lpPropTagArray.is_null() {
                        total += (*object.lpPropTagArray).cValues as usize;
                    }
                }
                sys::fnevTableModified => {
                    let table = &notification.info.tab;
                    if table.ulTableEvent == sys::TABLE_ROW_ADDED {
                        let row = &table.row;
                        if !row.lpProps.is_null() {
                            total += row.cValues as usize;
                            if row.cValues > 0 {
                                total += (*row.lpProps).ulPropTag as usize;
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    total
}

/// [`decode_mixed_by_hand`] with the tests `Events` makes before each read, written by hand:
/// the array aligned and within the address space; an entry ID within it (a null one only with
/// a count of 0); the tag array non-null, aligned and its tags within it; the row's values
/// aligned and within it; a UTF-16 class aligned. What they refuse is skipped with a warning
/// logged by an out-of-line call, as ours does. Beside the hand-written sink it prices the
/// tests and their warnings alone.
///
/// # Safety
/// As [`decode_mixed_by_hand`].
#[inline(always)]
pub unsafe fn decode_mixed_checked(count: u32, notifications: *const NOTIFICATION) -> usize {
    // `bytes` from `ptr` stay within the address space (a null `ptr` only for 0 bytes); else
    // the warning.
    let within = |ptr: usize, bytes: usize| {
        let fits = ptr.wrapping_sub(1).checked_add(bytes).is_some();
        if !fits {
            refused(ptr, bytes);
        }
        fits
    };
    let size = core::mem::size_of::<NOTIFICATION>();
    if count == 0 || notifications as usize % 8 != 0 {
        refused(notifications as usize, count as usize);
        return 0;
    }
    if !within(notifications as usize, count as usize * size) {
        return 0;
    }
    // SAFETY: the caller's promise, and the tests above.
    let array = unsafe { core::slice::from_raw_parts(notifications, count as usize) };
    let id = |cb: u32, ptr: *mut sys::ENTRYID| {
        if within(ptr as usize, cb as usize) {
            cb as usize
        } else {
            0
        }
    };
    let mut total = 0;
    for notification in array {
        // SAFETY (each union read): as in `decode_mixed_by_hand`, after the same tests as ours.
        unsafe {
            match notification.ulEventType {
                sys::fnevNewMail => {
                    let mail = &notification.info.newmail;
                    total += id(mail.cbEntryID, mail.lpEntryID);
                    let class = mail.lpszMessageClass;
                    let unicode = mail.ulFlags & sys::MAPI_UNICODE != 0;
                    if unicode && class as usize % 2 != 0 {
                        refused(class as usize, 2);
                    } else if !class.is_null() {
                        let prefix = b"IPM.Note";
                        let matches = if unicode {
                            let class = class.cast::<u16>();
                            (0..prefix.len()).all(|i| *class.add(i) == u16::from(prefix[i]))
                        } else {
                            let class = class.cast::<u8>();
                            (0..prefix.len()).all(|i| *class.add(i) == prefix[i])
                        };
                        total += usize::from(matches);
                    }
                }
                sys::fnevObjectModified => {
                    let object = &notification.info.obj;
                    total += id(object.cbEntryID, object.lpEntryID);
                    let tags = object.lpPropTagArray;
                    if tags as usize % 4 != 0 {
                        refused(tags as usize, 4);
                    } else if !tags.is_null() {
                        let count = (*tags).cValues as usize;
                        if within(tags as usize + 4, count * 4) {
                            total += count;
                        }
                    }
                }
                sys::fnevTableModified => {
                    let table = &notification.info.tab;
                    if table.ulTableEvent == sys::TABLE_ROW_ADDED {
                        let row = &table.row;
                        let values = row.lpProps as usize;
                        let bytes = row.cValues as usize * core::mem::size_of::<sys::SPropValue>();
                        if values % 8 != 0 {
                            refused(values, 8);
                        } else if within(values, bytes) {
                            total += row.cValues as usize;
                            if row.cValues > 0 {
                                total += (*row.lpProps).ulPropTag as usize;
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    total
}

/// The hand-written warning for what [`decode_mixed_checked`] refuses: out of line and cold,
/// as ours.
#[cold]
#[inline(never)]
fn refused(address: usize, value: usize) {
    log::warn!("OnNotify: {address:#x} refused ({value})");
}

pub use peer::{
    AdvisePeer, AdvisePeer_Impl, CheckedPeer, CheckedPeer_Impl, IMAPIAdviseSinkW,
    IMAPIAdviseSinkW_Impl, MixedPeer, MixedPeer_Impl,
};

#[allow(non_snake_case)]
mod peer {
    use super::*;
    use windows_core::{implement, interface};

    /// `IMAPIAdviseSink` as windows-core 0.62 declares an interface.
    #[interface("00020302-0000-0000-c000-000000000046")]
    pub unsafe trait IMAPIAdviseSinkW: windows_core::IUnknown {
        /// Slot 3.
        fn OnNotify(&self, count: u32, notifications: *mut NOTIFICATION) -> u32;
    }

    /// A windows-rs contestant: an `#[implement]`ed `IMAPIAdviseSinkW` whose `OnNotify` runs
    /// one of the hand-written decodings and adds its total.
    macro_rules! peer {
        ($(#[$doc:meta])* $name:ident, $impl_name:ident, $decode:ident) => {
            $(#[$doc])*
            #[implement(IMAPIAdviseSinkW)]
            #[derive(Debug, Default)]
            pub struct $name(pub Totals);

            impl IMAPIAdviseSinkW_Impl for $impl_name {
                unsafe fn OnNotify(&self, count: u32, notifications: *mut NOTIFICATION) -> u32 {
                    // SAFETY: MAPI's contract for the array.
                    let total = unsafe { $decode(count, notifications) };
                    self.0.total.fetch_add(total, Ordering::Relaxed);
                    0
                }
            }
        };
    }

    peer!(
        /// The windows-rs contestant for the new-mail bursts.
        AdvisePeer,
        AdvisePeer_Impl,
        decode_by_hand
    );
    peer!(
        /// The windows-rs contestant for the mixed bursts.
        MixedPeer,
        MixedPeer_Impl,
        decode_mixed_by_hand
    );
    peer!(
        /// The hand-written mixed-burst sink with our tests ([`decode_mixed_checked`]).
        CheckedPeer,
        CheckedPeer_Impl,
        decode_mixed_checked
    );
}

/// `count` notifications of the mixed burst and the data they point to, kept alive together:
/// new mail (a 24-byte entry ID, class `IPM.Note`), an object modified (a 24-byte entry ID, 3
/// changed tags), a row added (2 values), in turn.
pub struct MixedBatch {
    notifications: Vec<NOTIFICATION>,
    _entry_ids: Vec<Vec<u8>>,
    _class: Vec<u8>,
    _tags: Vec<u32>,
    _row: Vec<sys::SPropValue>,
    /// What one call over this batch adds up.
    pub total_per_call: usize,
}

impl MixedBatch {
    /// The first `count` notifications of the repeating burst.
    pub fn new(count: usize) -> Self {
        let mut entry_ids = Vec::new();
        let mut class = b"IPM.Note\0".to_vec();
        // SPropTagArray: the count, then the tags.
        let mut tags = vec![3, 0x0037_001E, 0x0E07_0003, 0x1000_001E];
        // SAFETY: integers and raw pointers: all-zero is valid.
        let mut row: Vec<sys::SPropValue> = vec![unsafe { core::mem::zeroed() }; 2];
        row[0].ulPropTag = 0x0E07_0003; // PR_MESSAGE_FLAGS
        row[1].ulPropTag = 0x0E08_0003; // PR_MESSAGE_SIZE
        let mut notifications = Vec::new();
        for i in 0..count {
            let mut entry = vec![i as u8; 24];
            // SAFETY: integers and raw pointers: all-zero is valid.
            let mut notification: NOTIFICATION = unsafe { core::mem::zeroed() };
            match i % 3 {
                0 => {
                    notification.ulEventType = sys::fnevNewMail;
                    notification.info.newmail = sys::NEWMAIL_NOTIFICATION {
                        cbEntryID: entry.len() as u32,
                        lpEntryID: entry.as_mut_ptr().cast(),
                        cbParentID: 0,
                        lpParentID: core::ptr::null_mut(),
                        ulFlags: 0,
                        lpszMessageClass: class.as_mut_ptr().cast(),
                        ulMessageFlags: 0,
                    };
                }
                1 => {
                    notification.ulEventType = sys::fnevObjectModified;
                    // SAFETY: as above.
                    let mut object: sys::OBJECT_NOTIFICATION = unsafe { core::mem::zeroed() };
                    object.cbEntryID = entry.len() as u32;
                    object.lpEntryID = entry.as_mut_ptr().cast();
                    object.ulObjType = sys::MAPI_MESSAGE;
                    object.lpPropTagArray = tags.as_mut_ptr().cast();
                    notification.info.obj = object;
                }
                _ => {
                    notification.ulEventType = sys::fnevTableModified;
                    // SAFETY: as above.
                    let mut table: sys::TABLE_NOTIFICATION = unsafe { core::mem::zeroed() };
                    table.ulTableEvent = sys::TABLE_ROW_ADDED;
                    table.row.cValues = row.len() as u32;
                    table.row.lpProps = row.as_mut_ptr();
                    notification.info.tab = table;
                }
            }
            notifications.push(notification);
            entry_ids.push(entry);
        }
        // SAFETY: the array and everything it points to are alive (moved, not reallocated).
        let total_per_call =
            unsafe { decode_mixed_by_hand(notifications.len() as u32, notifications.as_ptr()) };
        Self {
            notifications,
            _entry_ids: entry_ids,
            _class: class,
            _tags: tags,
            _row: row,
            total_per_call,
        }
    }

    /// The count and array pointer to pass to `OnNotify`.
    pub fn args(&self) -> (u32, *mut NOTIFICATION) {
        (
            self.notifications.len() as u32,
            self.notifications.as_ptr().cast_mut(),
        )
    }
}

/// `count` new-mail notifications and the data they point to, kept alive together.
pub struct NewMailBatch {
    notifications: Vec<NOTIFICATION>,
    _entry_ids: Vec<Vec<u8>>,
    _class: Vec<u8>,
    /// What one call over this batch adds up.
    pub total_per_call: usize,
}

impl NewMailBatch {
    /// `count` new mails: a 24-byte entry ID, a 16-byte folder ID, class `IPM.Note`.
    pub fn new(count: usize) -> Self {
        let mut entry_ids = Vec::new();
        let mut class = b"IPM.Note\0".to_vec();
        let class_ptr = class.as_mut_ptr().cast::<c_void>();
        let mut notifications = Vec::new();
        for i in 0..count {
            let mut entry = vec![i as u8; 24];
            let mut parent = vec![0xf0; 16];
            // SAFETY: integers and raw pointers: all-zero is valid.
            let mut notification: NOTIFICATION = unsafe { core::mem::zeroed() };
            notification.ulEventType = sys::fnevNewMail;
            notification.info.newmail = sys::NEWMAIL_NOTIFICATION {
                cbEntryID: entry.len() as u32,
                lpEntryID: entry.as_mut_ptr().cast(),
                cbParentID: parent.len() as u32,
                lpParentID: parent.as_mut_ptr().cast(),
                ulFlags: 0,
                lpszMessageClass: class_ptr,
                ulMessageFlags: 0,
            };
            notifications.push(notification);
            entry_ids.push(entry);
            entry_ids.push(parent);
        }
        Self {
            notifications,
            _entry_ids: entry_ids,
            _class: class,
            total_per_call: count * (24 + 16 + 8),
        }
    }

    /// The count and array pointer to pass to `OnNotify`.
    pub fn args(&self) -> (u32, *mut NOTIFICATION) {
        (
            self.notifications.len() as u32,
            self.notifications.as_ptr().cast_mut(),
        )
    }
}

/// What a contestant object is made of: its totals.
pub trait Contestant: Default + 'static {
    /// Its totals.
    fn totals(&self) -> &Totals;
}

macro_rules! contestant {
    ($($name:ident),*) => {$(
        impl Contestant for $name {
            fn totals(&self) -> &Totals {
                &self.0
            }
        }
    )*};
}
contestant!(AdviseOurs, AdvisePeer, MixedOurs, MixedPeer, CheckedPeer);

/// One of each advise contestant: ours (`O`), the windows-rs object (`P`), the limit's counter.
pub struct AdviseObjects<O, P>
where
    O: mapi_notify_sink::advise_sink::AdviseHandler + Contestant + Send + Sync,
    P: Contestant + windows_core::ComObjectInner,
{
    /// Ours.
    pub ours: AdviseSink<O>,
    /// The windows-rs object.
    pub peer: ComObject<P>,
    /// Its `IMAPIAdviseSinkW`, the pointer MAPI holds.
    pub peer_interface: IMAPIAdviseSinkW,
    /// The limit's counter.
    pub limit: Totals,
}

impl<O, P> AdviseObjects<O, P>
where
    O: mapi_notify_sink::advise_sink::AdviseHandler + Contestant + Send + Sync,
    P: Contestant + windows_core::ComObjectInner,
    P::Outer: windows_core::ComObjectInterface<IMAPIAdviseSinkW>,
{
    /// Fresh objects, every total at zero.
    pub fn new() -> Self {
        let peer = ComObject::new(P::default());
        let peer_interface = peer.to_interface::<IMAPIAdviseSinkW>();
        Self {
            ours: AdviseSink::new(O::default()),
            peer,
            peer_interface,
            limit: Totals::default(),
        }
    }

    /// The `IMAPIAdviseSink*`s: ours, windows-rs.
    pub fn raws(&self) -> [*mut c_void; 2] {
        [self.ours.as_raw(), self.peer_interface.as_raw()]
    }

    /// Totals: ours, windows-rs, limit.
    pub fn totals(&self) -> [usize; 3] {
        [
            self.ours.totals().total.load(Ordering::Relaxed),
            self.peer.get().totals().total.load(Ordering::Relaxed),
            self.limit.total.load(Ordering::Relaxed),
        ]
    }
}

impl<O, P> Default for AdviseObjects<O, P>
where
    O: mapi_notify_sink::advise_sink::AdviseHandler + Contestant + Send + Sync,
    P: Contestant + windows_core::ComObjectInner,
    P::Outer: windows_core::ComObjectInterface<IMAPIAdviseSinkW>,
{
    fn default() -> Self {
        Self::new()
    }
}

/// The new-mail bursts' objects.
pub type NewMailObjects = AdviseObjects<AdviseOurs, AdvisePeer>;
/// The mixed bursts' objects.
pub type MixedObjects = AdviseObjects<MixedOurs, MixedPeer>;

/// `OnNotify` (slot 3) through an `IMAPIAdviseSink*`'s vtable, as MAPI calls it.
///
/// # Safety
/// `this` is a live `IMAPIAdviseSink*`; the array follows MAPI's contract.
#[inline(always)]
pub unsafe fn on_notify(this: *mut c_void, count: u32, notifications: *mut NOTIFICATION) -> u32 {
    // SAFETY: the caller's promise.
    unsafe {
        let vtable = &**this.cast::<*const sys::IMAPIAdviseSink_Vtbl>();
        (vtable.OnNotify)(this, count, notifications)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_contestant_adds_up_the_same() {
        for count in [1, 16] {
            let objects = NewMailObjects::new();
            let batch = NewMailBatch::new(count);
            let (n, array) = batch.args();
            for raw in objects.raws() {
                // SAFETY: live sinks; the batch lives.
                assert_eq!(unsafe { on_notify(raw, n, array) }, 0);
            }
            // SAFETY: the batch lives.
            let total = unsafe { decode_by_hand(n, array) };
            objects.limit.total.fetch_add(total, Ordering::Relaxed);
            assert_eq!(objects.totals(), [batch.total_per_call; 3]);
        }
    }

    #[test]
    fn every_mixed_contestant_adds_up_the_same() {
        // New mail: 24 + 1 (IPM.Note); modified: 24 + 3 tags; row added: 2 values + PR_MESSAGE_FLAGS.
        let per_kind = [25, 27, 2 + 0x0E07_0003];
        for count in [1, 16] {
            let objects = MixedObjects::new();
            let batch = MixedBatch::new(count);
            let expected: usize = (0..count).map(|i| per_kind[i % 3]).sum();
            assert_eq!(batch.total_per_call, expected);
            let (n, array) = batch.args();
            for raw in objects.raws() {
                // SAFETY: live sinks; the batch lives.
                assert_eq!(unsafe { on_notify(raw, n, array) }, 0);
            }
            // SAFETY: the batch lives.
            let total = unsafe { decode_mixed_by_hand(n, array) };
            objects.limit.total.fetch_add(total, Ordering::Relaxed);
            assert_eq!(objects.totals(), [expected; 3]);
            // SAFETY: the batch lives.
            assert_eq!(unsafe { decode_mixed_checked(n, array) }, expected);
        }
    }
}
