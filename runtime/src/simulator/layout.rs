//! The notification buffer a [`SimulatedStore`](super::SimulatedStore) sends: one
//! allocation, laid out as MAPI lays it out, the `NOTIFICATION` array first, then the entry
//! IDs, strings, rows and error details its pointers reach, each aligned for its type.

use super::events::{SimProp, SimValue, StoreEvent};
use crate::sys::{self, NOTIFICATION};
use core::ffi::c_void;
use core::mem::{align_of, size_of_val};
use core::ptr;

/// One allocation, as MAPI makes it: the `NOTIFICATION` array, then what it points to.
pub(super) struct NotificationBuffer {
    /// `u64`s, so the array (8-aligned on every target) starts aligned.
    pub(super) words: Vec<u64>,
    pub(super) count: u32,
}

impl NotificationBuffer {
    pub(super) fn new(events: &[&StoreEvent]) -> Self {
        // Once to measure, once to write: the same code, so the sizes cannot disagree.
        let mut measure = Placer::measuring();
        lay_out(events, &mut measure);
        let mut words = vec![0_u64; measure.used.div_ceil(8)];
        let mut write = Placer::writing(&mut words);
        lay_out(events, &mut write);
        assert_eq!(write.used, measure.used);
        Self {
            words,
            count: events.len() as u32,
        }
    }
}

/// Places data in the buffer one piece after the other, each aligned for its type; when only
/// measuring, writes nothing and hands out null pointers.
struct Placer {
    base: *mut u8,
    capacity: usize,
    used: usize,
}

impl Placer {
    fn measuring() -> Self {
        Self {
            base: ptr::null_mut(),
            capacity: 0,
            used: 0,
        }
    }

    fn writing(words: &mut [u64]) -> Self {
        Self {
            base: words.as_mut_ptr().cast(),
            capacity: size_of_val(words),
            used: 0,
        }
    }

    /// Copies `items` in, aligned for `T`; returns where (null when measuring, or for none).
    fn put<T: Copy>(&mut self, items: &[T]) -> *mut T {
        let at = self.used.next_multiple_of(align_of::<T>());
        self.used = at + size_of_val(items);
        if self.base.is_null() || items.is_empty() {
            return ptr::null_mut();
        }
        assert!(
            self.used <= self.capacity,
            "measured and written sizes differ"
        );
        // SAFETY: `at..used` lies within the buffer (asserted); the base is 8-aligned, so
        // `base + at` is aligned for `T`; `items` is a distinct allocation.
        unsafe {
            let to = self.base.add(at).cast::<T>();
            ptr::copy_nonoverlapping(items.as_ptr(), to, items.len());
            to
        }
    }

    fn entry_id(&mut self, bytes: &[u8]) -> (u32, *mut sys::ENTRYID) {
        (bytes.len() as u32, self.put(bytes).cast())
    }

    /// `text` and a NUL, as 8-bit (UTF-8 bytes) or UTF-16.
    fn text(&mut self, text: &str, unicode: bool) -> *mut c_void {
        if unicode {
            let units: Vec<u16> = text.encode_utf16().chain([0]).collect();
            self.put(&units).cast()
        } else {
            let bytes: Vec<u8> = text.bytes().chain([0]).collect();
            self.put(&bytes).cast()
        }
    }

    fn prop(&mut self, prop: &SimProp) -> sys::SPropValue {
        // SAFETY: integers, floats and raw pointers: all-zero is valid for every member, and
        // every byte of the value is initialised.
        let mut raw: sys::SPropValue = unsafe { core::mem::zeroed() };
        raw.ulPropTag = prop.tag();
        match &prop.value {
            SimValue::Null => {}
            SimValue::I2(v) => raw.Value.i = *v,
            SimValue::Long(v) => raw.Value.l = *v,
            SimValue::Double(v) => raw.Value.dbl = *v,
            SimValue::Boolean(v) => raw.Value.b = u16::from(*v),
            SimValue::I8(v) => raw.Value.li = *v,
            SimValue::SysTime(v) => {
                raw.Value.ft = sys::FILETIME {
                    dwLowDateTime: *v as u32,
                    dwHighDateTime: (*v >> 32) as u32,
                }
            }
            SimValue::String8(text) => raw.Value.lpszA = self.text(text, false).cast(),
            SimValue::Unicode(text) => raw.Value.lpszW = self.text(text, true).cast(),
            SimValue::Binary(bytes) => {
                raw.Value.bin = sys::SBinary {
                    cb: bytes.len() as u32,
                    lpb: self.put(bytes),
                }
            }
            SimValue::Error(code) => raw.Value.err = code.0,
            SimValue::Clsid(guid) => raw.Value.lpguid = self.put(&[*guid]),
        }
        raw
    }

    fn props(&mut self, props: &[SimProp]) -> (u32, *mut sys::SPropValue) {
        let raw: Vec<sys::SPropValue> = props.iter().map(|prop| self.prop(prop)).collect();
        (raw.len() as u32, self.put(&raw))
    }
}

/// Writes `events` as MAPI lays them out: the array, then each event's data in turn.
// Locals are named as the header's fields they fill.
#[allow(non_snake_case)]
fn lay_out(events: &[&StoreEvent], placer: &mut Placer) {
    // SAFETY: integers and raw pointers: all-zero is valid for every member.
    let blank: NOTIFICATION = unsafe { core::mem::zeroed() };
    let array = placer.put(&vec![blank; events.len()]);
    for (index, event) in events.iter().enumerate() {
        let mut notification = blank;
        notification.ulEventType = event.event_type();
        let info = &mut notification.info;
        match event {
            StoreEvent::NewMail {
                entry_id,
                parent_id,
                message_class,
                message_flags,
                unicode,
            } => {
                let (cbEntryID, lpEntryID) = placer.entry_id(entry_id);
                let (cbParentID, lpParentID) = placer.entry_id(parent_id);
                info.newmail = sys::NEWMAIL_NOTIFICATION {
                    cbEntryID,
                    lpEntryID,
                    cbParentID,
                    lpParentID,
                    ulFlags: if *unicode { sys::MAPI_UNICODE } else { 0 },
                    lpszMessageClass: placer.text(message_class, *unicode),
                    ulMessageFlags: *message_flags,
                };
            }
            StoreEvent::Object {
                object_type,
                entry_id,
                parent_id,
                old_id,
                old_parent_id,
                prop_tags,
                ..
            } => {
                let (cbEntryID, lpEntryID) = placer.entry_id(entry_id);
                let (cbParentID, lpParentID) = placer.entry_id(parent_id);
                let (cbOldID, lpOldID) = placer.entry_id(old_id);
                let (cbOldParentID, lpOldParentID) = placer.entry_id(old_parent_id);
                let lpPropTagArray = prop_tags.as_ref().map_or(ptr::null_mut(), |tags| {
                    let words: Vec<u32> = [tags.len() as u32]
                        .into_iter()
                        .chain(tags.iter().copied())
                        .collect();
                    placer.put(&words).cast()
                });
                info.obj = sys::OBJECT_NOTIFICATION {
                    cbEntryID,
                    lpEntryID,
                    ulObjType: *object_type,
                    cbParentID,
                    lpParentID,
                    cbOldID,
                    lpOldID,
                    cbOldParentID,
                    lpOldParentID,
                    lpPropTagArray,
                };
            }
            StoreEvent::Table {
                table_event,
                hresult,
                index,
                prior,
                row,
            } => {
                let propIndex = placer.prop(index);
                let propPrior = placer.prop(prior);
                let (cValues, lpProps) = placer.props(row);
                info.tab = sys::TABLE_NOTIFICATION {
                    ulTableEvent: *table_event,
                    hResult: *hresult,
                    propIndex,
                    propPrior,
                    row: sys::SRow {
                        ulAdrEntryPad: 0,
                        cValues,
                        lpProps,
                    },
                    ulPad: 0,
                };
            }
            StoreEvent::CriticalError {
                entry_id,
                scode,
                error,
                unicode,
            } => {
                let (cbEntryID, lpEntryID) = placer.entry_id(entry_id);
                let lpMAPIError = error.as_ref().map_or(ptr::null_mut(), |(text, component)| {
                    let error = sys::MAPIERROR {
                        ulVersion: 0,
                        lpszError: placer.text(text, *unicode),
                        lpszComponent: placer.text(component, *unicode),
                        ulLowLevelError: 0,
                        ulContext: 0,
                    };
                    placer.put(&[error])
                });
                info.err = sys::ERROR_NOTIFICATION {
                    cbEntryID,
                    lpEntryID,
                    scode: scode.0,
                    ulFlags: if *unicode { sys::MAPI_UNICODE } else { 0 },
                    lpMAPIError,
                };
            }
            StoreEvent::Extended { event, parameters } => {
                info.ext = sys::EXTENDED_NOTIFICATION {
                    ulEvent: *event,
                    cb: parameters.len() as u32,
                    pbEventParameters: placer.put(parameters),
                };
            }
            StoreEvent::StatusObject { entry_id, props } => {
                let (cbEntryID, lpEntryID) = placer.entry_id(entry_id);
                let (cValues, lpPropVals) = placer.props(props);
                info.statobj = sys::STATUS_OBJECT_NOTIFICATION {
                    cbEntryID,
                    lpEntryID,
                    cValues,
                    lpPropVals,
                };
            }
        }
        if !array.is_null() {
            // SAFETY: `array` holds `events.len()` notifications, placed first.
            unsafe { array.add(index).write(notification) };
        }
    }
}
