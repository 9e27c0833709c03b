//! The values a notification carries: entry IDs, strings, times, and property values. Each
//! borrows the caller's memory for the `OnNotify` call and reads it only when asked.

use super::array::{Array, Decode};
use super::memory;
use super::string::MapiStr;
use crate::sys::{self, SPropValue};
use core::fmt;
use windows_core::{GUID, HRESULT};

/// An entry ID: the bytes that name a MAPI object (four flag bytes, then the provider's), as
/// long as the count beside it says.
///
/// `Debug` shows it as hex. Compare entry IDs byte for byte only as a first guess: MAPI's
/// `CompareEntryIDs` knows when two different byte strings name the same object.
///
/// ```
/// use mapi_notify_sink::advise_sink::{EntryId, NewMail};
///
/// /// Whether a new mail is the message a handler kept the entry ID of (the bytes copied out
/// /// with `as_bytes().to_vec()` in an earlier notification).
/// fn is_kept(mail: &NewMail<'_>, kept: &[u8]) -> bool {
///     mail.entry_id() == Some(EntryId::new(kept))
/// }
/// assert_eq!(format!("{:?}", EntryId::new(b"msg-1")), "EntryId(6d73672d31)"); // hex
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct EntryId<'a>(&'a [u8]);

impl<'a> EntryId<'a> {
    /// The entry ID at `ptr` with `cb` bytes: `None` for a count of 0 or a null pointer (the
    /// latter with a warning).
    ///
    /// # Safety
    /// As `memory::slice`.
    #[inline]
    pub(super) unsafe fn read(cb: u32, ptr: *const sys::ENTRYID, what: &str) -> Option<Self> {
        // SAFETY: passed on from the caller.
        let bytes = unsafe { memory::slice(ptr.cast::<u8>(), cb, what) }?;
        // The count tested after the slice, not before: a caller that only wants the length
        // then needs no test of the count of its own (a count of 0 reads as 0 either way),
        // only `slice`'s one range test.
        (!bytes.is_empty()).then_some(Self(bytes))
    }

    /// Wraps bytes, for instance to compare with an entry ID a handler kept.
    #[inline]
    pub fn new(bytes: &'a [u8]) -> Self {
        Self(bytes)
    }

    /// The whole entry ID, flags included.
    #[inline]
    pub fn as_bytes(&self) -> &'a [u8] {
        self.0
    }
}

impl fmt::Debug for EntryId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EntryId(")?;
        for byte in self.0 {
            write!(f, "{byte:02x}")?;
        }
        f.write_str(")")
    }
}

/// A `FILETIME` (`PT_SYSTIME`): 100-nanosecond intervals since 1601-01-01 UTC.
///
/// `Display` shows it as `YYYY-MM-DD hh:mm:ss UTC`.
///
/// ```
/// use mapi_notify_sink::advise_sink::FileTime;
/// assert_eq!(FileTime(0).to_string(), "1601-01-01 00:00:00 UTC");
/// assert_eq!(FileTime(116_444_736_000_000_000).to_string(), "1970-01-01 00:00:00 UTC");
/// // 2000-02-29 23:59:59 UTC, a leap day.
/// let leap = FileTime((951_868_799 + 11_644_473_600) * 10_000_000);
/// assert_eq!(leap.to_string(), "2000-02-29 23:59:59 UTC");
/// assert_eq!(
///     leap.to_system_time(),
///     Some(std::time::UNIX_EPOCH + std::time::Duration::from_secs(951_868_799))
/// );
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileTime(pub u64);

/// 1601-01-01 to 1970-01-01, in 100-nanosecond intervals.
const UNIX_EPOCH_AS_FILETIME: u64 = 116_444_736_000_000_000;

impl FileTime {
    /// The instant `since` after 1970-01-01 UTC (what `SystemTime::duration_since(UNIX_EPOCH)`
    /// gives).
    #[cfg(all(windows, feature = "addin"))]
    pub(crate) fn since_unix_epoch(since: std::time::Duration) -> Self {
        Self(UNIX_EPOCH_AS_FILETIME + (since.as_nanos() / 100) as u64)
    }

    /// The same instant as a `SystemTime`; `None` before 1970 on platforms that cannot hold it.
    #[inline]
    pub fn to_system_time(self) -> Option<std::time::SystemTime> {
        let unix = std::time::SystemTime::UNIX_EPOCH;
        if self.0 >= UNIX_EPOCH_AS_FILETIME {
            unix.checked_add(intervals(self.0 - UNIX_EPOCH_AS_FILETIME))
        } else {
            unix.checked_sub(intervals(UNIX_EPOCH_AS_FILETIME - self.0))
        }
    }
}

fn intervals(count: u64) -> std::time::Duration {
    std::time::Duration::new(count / 10_000_000, (count % 10_000_000) as u32 * 100)
}

impl From<sys::FILETIME> for FileTime {
    fn from(raw: sys::FILETIME) -> Self {
        Self(u64::from(raw.dwHighDateTime) << 32 | u64::from(raw.dwLowDateTime))
    }
}

impl fmt::Display for FileTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seconds = self.0 / 10_000_000;
        let (days, second_of_day) = (seconds / 86_400, seconds % 86_400);
        // Days since 1601-01-01 to a civil date (Howard Hinnant's algorithm, from 0000-03-01).
        let z = days as i64 + 584_694; // days from 0000-03-01 to 1601-01-01
        let era = z.div_euclid(146_097);
        let day_of_era = z.rem_euclid(146_097);
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let shifted_month = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
        let month = if shifted_month < 10 {
            shifted_month + 3
        } else {
            shifted_month - 9
        };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        write!(
            f,
            "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
            second_of_day / 3600,
            second_of_day / 60 % 60,
            second_of_day % 60
        )
    }
}

/// One property: a tag and its value, borrowed from the notification.
///
/// ```
/// use mapi_notify_sink::advise_sink::{PropValue, Value};
///
/// /// `PR_MESSAGE_SIZE` (0x0E08), if this property is it.
/// fn message_size(prop: PropValue<'_>) -> Option<i32> {
///     match prop.value() {
///         Value::Long(size) if prop.id() == 0x0E08 => Some(size),
///         _ => None,
///     }
/// }
/// ```
#[derive(Clone, Copy)]
pub struct PropValue<'a> {
    raw: &'a SPropValue,
}

impl<'a> PropValue<'a> {
    /// # Safety
    /// The pointers in `raw` follow the `OnNotify` contract for `'a` (`memory`).
    #[inline]
    pub(super) unsafe fn new(raw: &'a SPropValue) -> Self {
        Self { raw }
    }

    /// The property tag: `PROP_TAG(type, id)`.
    #[inline]
    pub fn tag(&self) -> u32 {
        self.raw.ulPropTag
    }

    /// The property's identifier, the tag's high 16 bits.
    #[inline]
    pub fn id(&self) -> u16 {
        sys::PROP_ID(self.raw.ulPropTag)
    }

    /// The property's type (`PT_LONG`, ...), the tag's low 16 bits.
    #[inline]
    pub fn prop_type(&self) -> u16 {
        sys::PROP_TYPE(self.raw.ulPropTag)
    }

    /// The value, decoded as the tag's type says.
    #[inline]
    pub fn value(&self) -> Value<'a> {
        let raw = self.raw;
        // SAFETY (every union read below): the tag's type names the member the sender wrote,
        // and each member is plain integers or pointers; the pointers follow the `OnNotify`
        // contract (`new`'s promise).
        unsafe {
            match self.prop_type() {
                sys::PT_NULL => Value::Null,
                sys::PT_I2 => Value::I2(raw.Value.i),
                sys::PT_LONG => Value::Long(raw.Value.l),
                sys::PT_R4 => Value::Float(raw.Value.flt),
                sys::PT_DOUBLE => Value::Double(raw.Value.dbl),
                sys::PT_BOOLEAN => Value::Boolean(raw.Value.b != 0),
                sys::PT_I8 => Value::I8(raw.Value.li),
                sys::PT_SYSTIME => Value::SysTime(raw.Value.ft.into()),
                sys::PT_ERROR => Value::Error(HRESULT(raw.Value.err)),
                sys::PT_STRING8 => {
                    MapiStr::read(raw.Value.lpszA.cast(), false, "a PT_STRING8 value")
                        .map_or_else(|| unreadable(raw, "null or misaligned"), Value::String)
                }
                sys::PT_UNICODE => {
                    MapiStr::read(raw.Value.lpszW.cast(), true, "a PT_UNICODE value")
                        .map_or_else(|| unreadable(raw, "null or misaligned"), Value::String)
                }
                sys::PT_BINARY => {
                    let bin = raw.Value.bin;
                    memory::slice(bin.lpb, bin.cb, "a PT_BINARY value's lpb")
                        .map_or_else(|| Value::Unreadable(raw), Value::Binary)
                }
                sys::PT_CLSID => memory::reference(raw.Value.lpguid, "a PT_CLSID value")
                    .map_or_else(|| unreadable(raw, "null"), |guid| Value::Clsid(*guid)),
                _ => Value::Other(raw),
            }
        }
    }

    /// The property as sent.
    #[inline]
    pub fn raw(&self) -> &'a SPropValue {
        self.raw
    }
}

#[cold]
fn unreadable<'a>(raw: &'a SPropValue, why: &str) -> Value<'a> {
    crate::com::log_contained(|| {
        log::warn!(
            "IMAPIAdviseSink::OnNotify: property {:#010x}: its value pointer is {why}; read as Value::Unreadable",
            raw.ulPropTag
        )
    });
    Value::Unreadable(raw)
}

impl fmt::Debug for PropValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PropValue")
            .field("tag", &format_args!("{:#010x}", self.tag()))
            .field("value", &self.value())
            .finish()
    }
}

/// A property's value, by the property's type.
///
/// `==` compares decoded values; `Unreadable` and `Other` are equal only to themselves (the
/// same property in the same notification), since only their tag's type says what they hold.
///
/// ```
/// use mapi_notify_sink::advise_sink::{PropValue, Value};
///
/// /// A property as one line of text, copied out of the notification.
/// fn describe(prop: PropValue<'_>) -> String {
///     match prop.value() {
///         Value::String(text) => format!("text {text}"),
///         Value::Long(n) => format!("long {n}"),
///         Value::Boolean(flag) => format!("bool {flag}"),
///         Value::Binary(bytes) => format!("{} bytes", bytes.len()),
///         Value::Error(why) => format!("no value: {why:?}"),
///         other => format!("{other:?}"),
///     }
/// }
/// ```
#[derive(Clone, Copy, Debug)]
pub enum Value<'a> {
    /// `PT_NULL`.
    Null,
    /// `PT_I2`.
    I2(i16),
    /// `PT_LONG`.
    Long(i32),
    /// `PT_R4`.
    Float(f32),
    /// `PT_DOUBLE`.
    Double(f64),
    /// `PT_BOOLEAN`: any non-zero value is `true`.
    Boolean(bool),
    /// `PT_I8`.
    I8(i64),
    /// `PT_SYSTIME`.
    SysTime(FileTime),
    /// `PT_STRING8` or `PT_UNICODE` ([`MapiStr::is_unicode`] says which).
    String(MapiStr<'a>),
    /// `PT_BINARY`.
    Binary(&'a [u8]),
    /// `PT_ERROR`: the property has no value, for this reason.
    Error(HRESULT),
    /// `PT_CLSID`.
    Clsid(GUID),
    /// A type above whose data cannot be read: a null pointer (a `PT_BINARY` with a non-zero
    /// count, a string, a `PT_CLSID`) or a misaligned one. A `log::warn!` said which. (A string
    /// with no NUL within [`MAX_STRING_UNITS`](super::MAX_STRING_UNITS) is a `String` read as
    /// its first that many units, with a warning when it is read that far.)
    Unreadable(&'a SPropValue),
    /// Any other type (`PT_CURRENCY`, `PT_APPTIME`, the multi-valued `PT_MV_*`, ...): the
    /// property as sent, to read by its tag's type.
    Other(&'a SPropValue),
}

impl PartialEq for Value<'_> {
    fn eq(&self, other: &Self) -> bool {
        use Value::*;
        match (self, other) {
            (Null, Null) => true,
            (I2(a), I2(b)) => a == b,
            (Long(a), Long(b)) => a == b,
            (Float(a), Float(b)) => a == b,
            (Double(a), Double(b)) => a == b,
            (Boolean(a), Boolean(b)) => a == b,
            (I8(a), I8(b)) => a == b,
            (SysTime(a), SysTime(b)) => a == b,
            (String(a), String(b)) => a == b,
            (Binary(a), Binary(b)) => a == b,
            (Error(a), Error(b)) => a == b,
            (Clsid(a), Clsid(b)) => a == b,
            (Unreadable(a), Unreadable(b)) | (Other(a), Other(b)) => core::ptr::eq(*a, *b),
            _ => false,
        }
    }
}

/// Property values: a table row, or a status object's changed properties.
///
/// ```
/// use mapi_notify_sink::advise_sink::{Props, Value};
///
/// const PR_MESSAGE_SIZE: u32 = 0x0E08_0003; // PROP_TAG(PT_LONG, 0x0E08)
///
/// /// A row's message size, looked up by tag.
/// fn message_size(row: Props<'_>) -> Option<i32> {
///     match row.find(PR_MESSAGE_SIZE)?.value() {
///         Value::Long(size) => Some(size),
///         _ => None,
///     }
/// }
/// ```
pub type Props<'a> = Array<'a, SPropValue>;

impl<'a> Props<'a> {
    /// The `count` values at `ptr`; nothing (with a warning) where they cannot be read.
    ///
    /// # Safety
    /// As `memory::slice`.
    #[inline]
    pub(super) unsafe fn read(ptr: *const SPropValue, count: u32, what: &str) -> Self {
        // SAFETY: passed on from the caller.
        let raw = unsafe { memory::slice_or_empty(ptr, count, what) };
        // SAFETY: read under the `OnNotify` contract, which covers each value's pointers.
        unsafe { Array::new(raw) }
    }

    /// The first value with this tag.
    #[inline]
    pub fn find(&self, tag: u32) -> Option<PropValue<'a>> {
        self.iter().find(|value| value.tag() == tag)
    }
}

impl Decode for SPropValue {
    type View<'a> = PropValue<'a>;

    #[inline]
    unsafe fn decode(raw: &SPropValue) -> PropValue<'_> {
        // SAFETY: passed on from the caller.
        unsafe { PropValue::new(raw) }
    }
}
