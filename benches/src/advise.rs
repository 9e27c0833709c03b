//! The advise sink's contestants for `on_notify_1` and `on_notify_16`: `OnNotify` with 1 and
//! with 16 new-mail notifications, each decoded the same way on every side.
//!
//! The work per notification: the entry ID's and the parent's byte counts and the message
//! class's length (a NUL scan), added up; each call adds its total to an atomic counter
//! (`Relaxed`), so the benchmark can check every call did the work.
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
use mapi_notify_sink::advise_sink::{AdviseSink, Event, Events};
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

pub use peer::{AdvisePeer, AdvisePeer_Impl, IMAPIAdviseSinkW, IMAPIAdviseSinkW_Impl};

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

    /// The windows-rs contestant.
    #[implement(IMAPIAdviseSinkW)]
    #[derive(Debug, Default)]
    pub struct AdvisePeer(pub Totals);

    impl IMAPIAdviseSinkW_Impl for AdvisePeer_Impl {
        unsafe fn OnNotify(&self, count: u32, notifications: *mut NOTIFICATION) -> u32 {
            // SAFETY: MAPI's contract for the array.
            let total = unsafe { decode_by_hand(count, notifications) };
            self.0.total.fetch_add(total, Ordering::Relaxed);
            0
        }
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

/// One of each advise contestant.
pub struct AdviseObjects {
    /// Ours.
    pub ours: AdviseSink<AdviseOurs>,
    /// The windows-rs object.
    pub peer: ComObject<AdvisePeer>,
    /// Its `IMAPIAdviseSinkW`, the pointer MAPI holds.
    pub peer_interface: IMAPIAdviseSinkW,
    /// The limit's counter.
    pub limit: Totals,
}

impl AdviseObjects {
    /// Fresh objects, every total at zero.
    pub fn new() -> Self {
        let peer = ComObject::new(AdvisePeer::default());
        let peer_interface = peer.to_interface::<IMAPIAdviseSinkW>();
        Self {
            ours: AdviseSink::new(AdviseOurs::default()),
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
            self.ours.0.total.load(Ordering::Relaxed),
            self.peer.0.total.load(Ordering::Relaxed),
            self.limit.total.load(Ordering::Relaxed),
        ]
    }
}

impl Default for AdviseObjects {
    fn default() -> Self {
        Self::new()
    }
}

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
            let objects = AdviseObjects::new();
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
}
