//! `IMAPIAdviseSink` and `NOTIFICATION` as a C caller sees them, written out here from
//! `MAPIDefS.h` (not taken from `mapi_notify_sink::sys`, so a mistake there shows), with the
//! sizes the header gives; [`Lent`], the memory a caller lends for one `OnNotify` call, each
//! piece in a heap block of exactly its size (so Miri reports any read past it); and
//! [`AdviseRecorder`], a sink that turns what it is given into owned values to compare.

use super::{tombstone, Drops, Guid, Tombstone};
use core::ffi::c_void;
use core::ptr::{self, NonNull};
use mapi_notify_sink::advise_sink::{
    AdviseSink, Event, Events, MapiStr, ObjectEvent, PropValue, TableEventKind, Value,
};
use mapi_notify_sink::mapi_advise_sink;
use std::alloc::Layout;
use std::sync::Mutex;

// ---------------------------------------------------------------------------------------------
// The header
// ---------------------------------------------------------------------------------------------

pub const IID_IMAPIAdviseSink: Guid = Guid {
    Data1: 0x00020302,
    Data2: 0,
    Data3: 0,
    Data4: [0xc0, 0, 0, 0, 0, 0, 0, 0x46],
};

/// `IMAPIAdviseSinkVtbl`: `IUnknown`'s three slots, then `OnNotify`.
#[repr(C)]
struct IMAPIAdviseSinkVtbl {
    QueryInterface: unsafe extern "system" fn(*mut c_void, *const Guid, *mut *mut c_void) -> i32,
    AddRef: unsafe extern "system" fn(*mut c_void) -> u32,
    Release: unsafe extern "system" fn(*mut c_void) -> u32,
    OnNotify: unsafe extern "system" fn(
        this: *mut c_void,
        cNotif: u32,
        lpNotifications: *mut c_void,
    ) -> u32,
}

/// `OnNotify(cNotif, lpNotifications)` through slot 3.
///
/// # Safety
/// `this` is a live `IMAPIAdviseSink*` the caller holds a reference on; `notifications` is
/// null or `count` notifications whose pointers are valid.
pub unsafe fn on_notify(this: *mut c_void, count: u32, notifications: *const CNotification) -> u32 {
    // SAFETY: the caller's promise.
    unsafe {
        let vtable = &*this.cast::<*const IMAPIAdviseSinkVtbl>().read();
        (vtable.OnNotify)(this, count, notifications.cast_mut().cast())
    }
}

pub const fnevCriticalError: u32 = 0x1;
pub const fnevNewMail: u32 = 0x2;
pub const fnevObjectCreated: u32 = 0x4;
pub const fnevObjectDeleted: u32 = 0x8;
pub const fnevObjectModified: u32 = 0x10;
pub const fnevObjectMoved: u32 = 0x20;
pub const fnevObjectCopied: u32 = 0x40;
pub const fnevSearchComplete: u32 = 0x80;
pub const fnevTableModified: u32 = 0x100;
pub const fnevStatusObjectModified: u32 = 0x200;
pub const fnevReservedForMapi: u32 = 0x4000_0000;
pub const fnevExtended: u32 = 0x8000_0000;
pub const MAPI_UNICODE: u32 = 0x8000_0000;
pub const TABLE_CHANGED: u32 = 1;
pub const TABLE_ROW_ADDED: u32 = 3;
pub const TABLE_ROW_DELETED: u32 = 4;
pub const TABLE_ROW_MODIFIED: u32 = 5;
pub const TABLE_RELOAD: u32 = 9;
pub const MAPI_FOLDER: u32 = 3;
pub const MAPI_MESSAGE: u32 = 5;

pub const PT_NULL: u32 = 1;
pub const PT_I2: u32 = 2;
pub const PT_LONG: u32 = 3;
pub const PT_R4: u32 = 4;
pub const PT_DOUBLE: u32 = 5;
pub const PT_CURRENCY: u32 = 6;
pub const PT_ERROR: u32 = 10;
pub const PT_BOOLEAN: u32 = 11;
pub const PT_I8: u32 = 20;
pub const PT_STRING8: u32 = 30;
pub const PT_UNICODE: u32 = 31;
pub const PT_SYSTIME: u32 = 64;
pub const PT_CLSID: u32 = 72;
pub const PT_BINARY: u32 = 258;
pub const PT_MV_LONG: u32 = 0x1003;

pub const fn tag(id: u32, prop_type: u32) -> u32 {
    id << 16 | prop_type
}

pub const PR_INSTANCE_KEY: u32 = tag(0x0ff6, PT_BINARY);
pub const PR_SUBJECT_W: u32 = tag(0x0037, PT_UNICODE);
pub const PR_SUBJECT_A: u32 = tag(0x0037, PT_STRING8);
pub const PR_MESSAGE_SIZE: u32 = tag(0x0e08, PT_LONG);

#[repr(C)]
#[derive(Clone, Copy)]
pub struct CBinary {
    pub cb: u32,
    pub lpb: *mut u8,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct CMVLong {
    pub cValues: u32,
    pub lpl: *mut i32,
}

/// `union _PV`, the members these tests write.
#[repr(C)]
#[derive(Clone, Copy)]
pub union CPV {
    pub i: i16,
    pub l: i32,
    pub flt: f32,
    pub dbl: f64,
    pub b: u16,
    pub cur: i64,
    pub ft: [u32; 2],
    pub lpszA: *mut u8,
    pub bin: CBinary,
    pub lpszW: *mut u16,
    pub lpguid: *mut Guid,
    pub li: i64,
    pub MVl: CMVLong,
    pub err: i32,
    pub x: i32,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct CPropValue {
    pub ulPropTag: u32,
    pub dwAlignPad: u32,
    pub Value: CPV,
}

impl CPropValue {
    /// A value whose every byte is initialised (zero), then `value` written over it.
    pub fn new(ulPropTag: u32, value: CPV) -> Self {
        // SAFETY: integers, floats and raw pointers: all-zero is valid for every member.
        let mut prop: CPropValue = unsafe { core::mem::zeroed() };
        prop.ulPropTag = ulPropTag;
        prop.Value = value;
        prop
    }
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct CSRow {
    pub ulAdrEntryPad: u32,
    pub cValues: u32,
    pub lpProps: *mut CPropValue,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct CMapiError {
    pub ulVersion: u32,
    pub lpszError: *mut c_void,
    pub lpszComponent: *mut c_void,
    pub ulLowLevelError: u32,
    pub ulContext: u32,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct CErrorNotification {
    pub cbEntryID: u32,
    pub lpEntryID: *mut u8,
    pub scode: i32,
    pub ulFlags: u32,
    pub lpMAPIError: *mut CMapiError,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct CNewMailNotification {
    pub cbEntryID: u32,
    pub lpEntryID: *mut u8,
    pub cbParentID: u32,
    pub lpParentID: *mut u8,
    pub ulFlags: u32,
    pub lpszMessageClass: *mut c_void,
    pub ulMessageFlags: u32,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct CObjectNotification {
    pub cbEntryID: u32,
    pub lpEntryID: *mut u8,
    pub ulObjType: u32,
    pub cbParentID: u32,
    pub lpParentID: *mut u8,
    pub cbOldID: u32,
    pub lpOldID: *mut u8,
    pub cbOldParentID: u32,
    pub lpOldParentID: *mut u8,
    pub lpPropTagArray: *mut u32,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct CTableNotification {
    pub ulTableEvent: u32,
    pub hResult: i32,
    pub propIndex: CPropValue,
    pub propPrior: CPropValue,
    pub row: CSRow,
    pub ulPad: u32,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct CExtendedNotification {
    pub ulEvent: u32,
    pub cb: u32,
    pub pbEventParameters: *mut u8,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct CStatusObjectNotification {
    pub cbEntryID: u32,
    pub lpEntryID: *mut u8,
    pub cValues: u32,
    pub lpPropVals: *mut CPropValue,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub union CInfo {
    pub err: CErrorNotification,
    pub newmail: CNewMailNotification,
    pub obj: CObjectNotification,
    pub tab: CTableNotification,
    pub ext: CExtendedNotification,
    pub statobj: CStatusObjectNotification,
}

/// `NOTIFICATION`, with the `ulAlignPad` the reference pages leave out.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct CNotification {
    pub ulEventType: u32,
    pub ulAlignPad: u32,
    pub info: CInfo,
}

// The header's sizes (MAPIDefS.h, 64-bit / 32-bit), as a C compiler computes them.
#[cfg(target_pointer_width = "64")]
const _: () = {
    use core::mem::{offset_of, size_of};
    assert!(size_of::<CNotification>() == 88);
    assert!(size_of::<CTableNotification>() == 80);
    assert!(size_of::<CObjectNotification>() == 72);
    assert!(size_of::<CNewMailNotification>() == 56);
    assert!(size_of::<CErrorNotification>() == 32);
    assert!(size_of::<CPropValue>() == 24);
    assert!(size_of::<CSRow>() == 16);
    assert!(offset_of!(CNotification, info) == 8);
};
#[cfg(target_pointer_width = "32")]
const _: () = {
    use core::mem::{offset_of, size_of};
    assert!(size_of::<CNotification>() == 64);
    assert!(size_of::<CTableNotification>() == 56);
    assert!(size_of::<CObjectNotification>() == 40);
    assert!(size_of::<CNewMailNotification>() == 28);
    assert!(size_of::<CErrorNotification>() == 20);
    assert!(size_of::<CPropValue>() == 16);
    assert!(size_of::<CSRow>() == 12);
    assert!(offset_of!(CNotification, info) == 8);
};

impl CNotification {
    /// A notification whose every byte is initialised (zero), then `info` written over it.
    fn new(ulEventType: u32, write: impl FnOnce(&mut CInfo)) -> Self {
        // SAFETY: integers and raw pointers: all-zero is valid for every member.
        let mut notification: CNotification = unsafe { core::mem::zeroed() };
        notification.ulEventType = ulEventType;
        write(&mut notification.info);
        notification
    }

    pub fn new_mail(mail: CNewMailNotification) -> Self {
        Self::new(fnevNewMail, |info| info.newmail = mail)
    }

    pub fn error(err: CErrorNotification) -> Self {
        Self::new(fnevCriticalError, |info| info.err = err)
    }

    pub fn object(ulEventType: u32, obj: CObjectNotification) -> Self {
        Self::new(ulEventType, |info| info.obj = obj)
    }

    pub fn table(tab: CTableNotification) -> Self {
        Self::new(fnevTableModified, |info| info.tab = tab)
    }

    pub fn extended(ext: CExtendedNotification) -> Self {
        Self::new(fnevExtended, |info| info.ext = ext)
    }

    pub fn status(statobj: CStatusObjectNotification) -> Self {
        Self::new(fnevStatusObjectModified, |info| info.statobj = statobj)
    }

    /// An event type with nothing in `info`.
    pub fn bare(ulEventType: u32) -> Self {
        Self::new(ulEventType, |_| {})
    }
}

// ---------------------------------------------------------------------------------------------
// The memory a caller lends
// ---------------------------------------------------------------------------------------------

/// Blocks of caller memory, each exactly as large as what it holds, freed together.
#[derive(Default)]
pub struct Lent {
    blocks: Vec<(NonNull<u8>, Layout)>,
}

impl Lent {
    fn block(&mut self, size: usize, align: usize) -> *mut u8 {
        let layout = Layout::from_size_align(size.max(1), align).unwrap();
        // SAFETY: the size is at least 1.
        let block = NonNull::new(unsafe { std::alloc::alloc_zeroed(layout) })
            .unwrap_or_else(|| std::alloc::handle_alloc_error(layout));
        self.blocks.push((block, layout));
        block.as_ptr()
    }

    /// `items` in a block of exactly their size (at least one byte), aligned for `T`.
    pub fn array<T: Copy>(&mut self, items: &[T]) -> *mut T {
        let block = self
            .block(core::mem::size_of_val(items), core::mem::align_of::<T>())
            .cast::<T>();
        // SAFETY: the block holds `items.len()` `T`s and is fresh.
        unsafe { ptr::copy_nonoverlapping(items.as_ptr(), block, items.len()) };
        block
    }

    /// An entry ID: its count and pointer.
    pub fn entry_id(&mut self, bytes: &[u8]) -> (u32, *mut u8) {
        (bytes.len() as u32, self.array(bytes))
    }

    /// 8-bit text and its NUL, exactly.
    pub fn ansi(&mut self, text: &str) -> *mut u8 {
        let mut bytes = text.as_bytes().to_vec();
        bytes.push(0);
        self.array(&bytes)
    }

    /// UTF-16 text and its NUL, exactly.
    pub fn wide(&mut self, text: &str) -> *mut u16 {
        let mut units: Vec<u16> = text.encode_utf16().collect();
        units.push(0);
        self.array(&units)
    }

    /// An `SPropTagArray`: `cValues` and the tags, exactly `4 + 4 * n` bytes.
    pub fn prop_tags(&mut self, tags: &[u32]) -> *mut u32 {
        let mut words = vec![tags.len() as u32];
        words.extend_from_slice(tags);
        self.array(&words)
    }
}

impl Drop for Lent {
    fn drop(&mut self) {
        for (block, layout) in self.blocks.drain(..) {
            // SAFETY: allocated in `block` with this layout, freed once.
            unsafe { std::alloc::dealloc(block.as_ptr(), layout) };
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A sink that records what it is given
// ---------------------------------------------------------------------------------------------

/// A property value, owned.
#[derive(Clone, Debug, PartialEq)]
pub enum SeenValue {
    Null,
    I2(i16),
    Long(i32),
    Float(f32),
    Double(f64),
    Boolean(bool),
    I8(i64),
    /// The `FileTime` and its `Display`.
    SysTime(u64, String),
    Ansi(Vec<u8>),
    Unicode(Vec<u16>),
    Binary(Vec<u8>),
    Error(i32),
    Clsid(u128),
    /// The tag of the property whose value could not be read.
    Unreadable(u32),
    /// The tag, and the raw value: for a multi-valued type its count and pointer, else its
    /// 8 bytes as an `i64`.
    Other(u32, RawValue),
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RawValue {
    Bits(i64),
    Array(u32, usize),
}

#[derive(Clone, Debug, PartialEq)]
pub struct SeenProp {
    pub tag: u32,
    pub value: SeenValue,
}

impl SeenProp {
    pub fn of(prop: PropValue<'_>) -> Self {
        let value = match prop.value() {
            Value::Null => SeenValue::Null,
            Value::I2(v) => SeenValue::I2(v),
            Value::Long(v) => SeenValue::Long(v),
            Value::Float(v) => SeenValue::Float(v),
            Value::Double(v) => SeenValue::Double(v),
            Value::Boolean(v) => SeenValue::Boolean(v),
            Value::I8(v) => SeenValue::I8(v),
            Value::SysTime(t) => SeenValue::SysTime(t.0, t.to_string()),
            Value::String(s) => match (s.as_ansi(), s.as_unicode()) {
                (Some(bytes), _) => SeenValue::Ansi(bytes.to_vec()),
                (_, Some(units)) => SeenValue::Unicode(units.to_vec()),
                _ => unreachable!("a MapiStr is one width or the other"),
            },
            Value::Binary(b) => SeenValue::Binary(b.to_vec()),
            Value::Error(e) => SeenValue::Error(e.0),
            Value::Clsid(g) => SeenValue::Clsid(g.to_u128()),
            Value::Unreadable(raw) => SeenValue::Unreadable(raw.ulPropTag),
            Value::Other(raw) => {
                // SAFETY: the member the tag's type names, which the test wrote.
                let value = unsafe {
                    if raw.ulPropTag & 0x1000 != 0 {
                        RawValue::Array(raw.Value.MV.cValues, raw.Value.MV.lpv as usize)
                    } else {
                        RawValue::Bits(raw.Value.li)
                    }
                };
                SeenValue::Other(raw.ulPropTag, value)
            }
        };
        Self {
            tag: prop.tag(),
            value,
        }
    }
}

pub fn text(s: Option<MapiStr<'_>>) -> Option<String> {
    s.map(|s| {
        if s.is_unicode() {
            format!("W:{s}")
        } else {
            format!("A:{s}")
        }
    })
}

#[derive(Clone, Debug, PartialEq)]
pub struct SeenObject {
    pub entry_id: Option<Vec<u8>>,
    pub object_type: u32,
    pub parent_id: Option<Vec<u8>>,
    pub old_id: Option<Vec<u8>>,
    pub old_parent_id: Option<Vec<u8>>,
    pub prop_tags: Option<Vec<u32>>,
}

impl SeenObject {
    fn of(obj: ObjectEvent<'_>) -> Self {
        Self {
            entry_id: obj.entry_id().map(|id| id.as_bytes().to_vec()),
            object_type: obj.object_type(),
            parent_id: obj.parent_id().map(|id| id.as_bytes().to_vec()),
            old_id: obj.old_id().map(|id| id.as_bytes().to_vec()),
            old_parent_id: obj.old_parent_id().map(|id| id.as_bytes().to_vec()),
            prop_tags: obj.prop_tags().map(<[u32]>::to_vec),
        }
    }
}

/// One notification, owned: what `on_notify` saw through the safe API.
#[derive(Clone, Debug, PartialEq)]
pub enum SeenEvent {
    CriticalError {
        entry_id: Option<Vec<u8>>,
        scode: i32,
        flags: u32,
        /// Text, component, low-level error, context.
        error: Option<(Option<String>, Option<String>, u32, u32)>,
    },
    NewMail {
        entry_id: Option<Vec<u8>>,
        parent_id: Option<Vec<u8>>,
        flags: u32,
        class: Option<String>,
        message_flags: u32,
    },
    Object(&'static str, SeenObject),
    Table {
        kind: TableEventKind,
        hresult: i32,
        index: SeenProp,
        prior: SeenProp,
        row: Vec<SeenProp>,
    },
    Status {
        entry_id: Option<Vec<u8>>,
        props: Vec<SeenProp>,
    },
    Extended {
        event: u32,
        parameters: Vec<u8>,
    },
    Other(u32),
}

impl SeenEvent {
    pub fn of(event: Event<'_>) -> Self {
        let id = |id: Option<mapi_notify_sink::advise_sink::EntryId<'_>>| {
            id.map(|id| id.as_bytes().to_vec())
        };
        match event {
            Event::CriticalError(err) => SeenEvent::CriticalError {
                entry_id: id(err.entry_id()),
                scode: err.scode().0,
                flags: err.flags(),
                error: err.error().map(|e| {
                    (
                        text(e.error()),
                        text(e.component()),
                        e.low_level_error(),
                        e.context(),
                    )
                }),
            },
            Event::NewMail(mail) => SeenEvent::NewMail {
                entry_id: id(mail.entry_id()),
                parent_id: id(mail.parent_id()),
                flags: mail.flags(),
                class: text(mail.message_class()),
                message_flags: mail.message_flags(),
            },
            Event::ObjectCreated(o) => SeenEvent::Object("created", SeenObject::of(o)),
            Event::ObjectDeleted(o) => SeenEvent::Object("deleted", SeenObject::of(o)),
            Event::ObjectModified(o) => SeenEvent::Object("modified", SeenObject::of(o)),
            Event::ObjectMoved(o) => SeenEvent::Object("moved", SeenObject::of(o)),
            Event::ObjectCopied(o) => SeenEvent::Object("copied", SeenObject::of(o)),
            Event::SearchComplete(o) => SeenEvent::Object("search complete", SeenObject::of(o)),
            Event::TableModified(tab) => SeenEvent::Table {
                kind: tab.kind(),
                hresult: tab.hresult().0,
                index: SeenProp::of(tab.index()),
                prior: SeenProp::of(tab.prior()),
                row: tab.row().iter().map(SeenProp::of).collect(),
            },
            Event::StatusObjectModified(status) => SeenEvent::Status {
                entry_id: id(status.entry_id()),
                props: status.props().iter().map(SeenProp::of).collect(),
            },
            Event::Extended(ext) => SeenEvent::Extended {
                event: ext.event(),
                parameters: ext.parameters().to_vec(),
            },
            Event::Other(other) => SeenEvent::Other(other),
        }
    }
}

/// A sink that records each `OnNotify` call's events, owned.
pub struct AdviseRecorder {
    calls: Mutex<Vec<Vec<SeenEvent>>>,
    _tombstone: Tombstone,
}

#[mapi_advise_sink]
impl AdviseRecorder {
    fn on_notify(&self, events: &Events<'_>) {
        let seen: Vec<SeenEvent> = events.iter().map(SeenEvent::of).collect();
        assert_eq!(seen.len(), events.len());
        self.calls.lock().unwrap().push(seen);
    }
}

impl AdviseRecorder {
    pub fn new() -> (Self, Drops) {
        let (tombstone, drops) = tombstone();
        let recorder = Self {
            calls: Mutex::new(Vec::new()),
            _tombstone: tombstone,
        };
        (recorder, drops)
    }

    /// A new recording sink (count 1) and its tombstone.
    pub fn sink() -> (AdviseSink<AdviseRecorder>, Drops) {
        let (recorder, drops) = Self::new();
        (AdviseSink::new(recorder), drops)
    }

    /// The calls since the last `take`, each with its events.
    pub fn take(&self) -> Vec<Vec<SeenEvent>> {
        core::mem::take(&mut *self.calls.lock().unwrap())
    }
}
