//! [`Variant`]: an owned value of OLE Automation, and its conversions to and from Rust types
//! ([`FromVariant`]) and to and from the `VARIANT` `IDispatch::Invoke` takes ([`RawVariant`]).
//!
//! Invariants, which every `unsafe` block below relies on:
//! - A [`RawVariant`] owns its `VARIANT`, which is always a valid one (made `VT_EMPTY`, or
//!   written whole by [`RawVariant::from_variant`], or by a callee through `Invoke`): dropping it
//!   calls `VariantClear`, which releases the interface, frees the BSTR or destroys the array
//!   inside.
//! - Reading a `VARIANT` ([`read`]) copies out what it holds (a BSTR's text, a new reference to
//!   an interface, an array's elements) and changes nothing: its owner still clears it.
//! - A `VT_BYREF` value is read through its pointer, one level, as the callee wrote it: a
//!   pointer that is null is an error, never a read.
//! - An array is read in place, locked, each element by its own type after its size is checked
//!   against the array's; nesting is bounded by [`MAX_DEPTH`].

use super::Dispatch;
use crate::sys::{self, SAFEARRAY, VARIANT, VARIANT_0};
use core::ptr;
use windows_core::{IUnknown, Interface, HRESULT};

use super::oleaut::*;

/// The most elements an array read from a caller may have: past it, the read is refused (a
/// bound the caller got wrong would otherwise ask for gigabytes).
pub const MAX_ARRAY_ELEMENTS: usize = 1 << 20;

/// An owned value of OLE Automation: what `IDispatch` members take and return.
///
/// ```
/// # #[cfg(windows)] {
/// use mapi_notify_sink::automation::Variant;
///
/// assert_eq!(Variant::from("Inbox"), Variant::String("Inbox".into()));
/// assert_eq!(Variant::from(6), Variant::I32(6)); // olFolderInbox, as Outlook takes it: VT_I4
/// let count: i64 = Variant::I32(42).into_value().unwrap();
/// assert_eq!(count, 42);
/// let wrong = Variant::from("x").into_value::<i32>().unwrap_err();
/// assert_eq!(wrong, "expected a 32-bit integer (VT_I4), got a string (VT_BSTR)");
/// # }
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Variant {
    /// `VT_EMPTY`: no value (an omitted argument, a method that returns nothing); also what a
    /// `VT_DISPATCH` or `VT_UNKNOWN` holding a null pointer (Visual Basic's `Nothing`, as
    /// `Application.ActiveExplorer` answers when no window is open) is read as. Ask for an
    /// `Option<Dispatch>` where an object may be missing.
    Empty,
    /// `VT_NULL`.
    Null,
    /// `VT_BOOL`.
    Bool(bool),
    /// `VT_I1`.
    I8(i8),
    /// `VT_I2`.
    I16(i16),
    /// `VT_I4`: what Outlook's enumerations and counts are.
    I32(i32),
    /// `VT_I8`.
    I64(i64),
    /// `VT_UI1`.
    U8(u8),
    /// `VT_UI2`.
    U16(u16),
    /// `VT_UI4`.
    U32(u32),
    /// `VT_UI8`.
    U64(u64),
    /// `VT_R4`.
    F32(f32),
    /// `VT_R8`.
    F64(f64),
    /// `VT_BSTR`.
    String(String),
    /// `VT_DATE`: days since 1899-12-30, the fraction the time of day (Outlook's `ReceivedTime`).
    Date(f64),
    /// `VT_ERROR`: an `SCODE` (a missing optional argument is `DISP_E_PARAMNOTFOUND`).
    Error(HRESULT),
    /// `VT_DISPATCH`: an object of the object model.
    Dispatch(Dispatch),
    /// `VT_UNKNOWN`: an object without `IDispatch` (a `MAPIOBJECT`).
    Unknown(IUnknown),
    /// `VT_ARRAY | VT_VARIANT` (or of one element type), of one dimension, its elements in order.
    Array(Vec<Variant>),
    /// Any other `VARTYPE` (`VT_CY`, `VT_DECIMAL`, `VT_RECORD`, ...), not read: its number.
    Other(u16),
}

impl Variant {
    /// What the value is, for an error: `a string (VT_BSTR)`.
    pub fn describe(&self) -> String {
        let (what, vt) = match self {
            Variant::Empty => ("nothing", "VT_EMPTY or a null object"),
            Variant::Null => ("null", "VT_NULL"),
            Variant::Bool(_) => ("a boolean", "VT_BOOL"),
            Variant::I8(_) => ("an 8-bit integer", "VT_I1"),
            Variant::I16(_) => ("a 16-bit integer", "VT_I2"),
            Variant::I32(_) => ("a 32-bit integer", "VT_I4"),
            Variant::I64(_) => ("a 64-bit integer", "VT_I8"),
            Variant::U8(_) => ("an unsigned 8-bit integer", "VT_UI1"),
            Variant::U16(_) => ("an unsigned 16-bit integer", "VT_UI2"),
            Variant::U32(_) => ("an unsigned 32-bit integer", "VT_UI4"),
            Variant::U64(_) => ("an unsigned 64-bit integer", "VT_UI8"),
            Variant::F32(_) => ("a 32-bit float", "VT_R4"),
            Variant::F64(_) => ("a 64-bit float", "VT_R8"),
            Variant::String(_) => ("a string", "VT_BSTR"),
            Variant::Date(_) => ("a date", "VT_DATE"),
            Variant::Error(_) => ("an error code", "VT_ERROR"),
            Variant::Dispatch(_) => ("an object", "VT_DISPATCH"),
            Variant::Unknown(_) => ("an object without IDispatch", "VT_UNKNOWN"),
            Variant::Array(_) => ("an array", "VT_ARRAY"),
            Variant::Other(vt) => return format!("VARTYPE {vt}, which is not read"),
        };
        format!("{what} ({vt})")
    }

    /// The value as `T`: see [`FromVariant`] for what converts. The error names both types.
    pub fn into_value<T: FromVariant>(self) -> Result<T, String> {
        T::from_variant(self)
    }
}

/// A Rust type a [`Variant`] converts into: exactly its own kind, or an integer of another
/// width whose value fits (Outlook answers `VT_I4` where a count is asked), or a float from any
/// number; `String` only from `VT_BSTR`; [`Variant`] itself from anything; `()` from anything
/// (a method whose result is not wanted).
pub trait FromVariant: Sized {
    /// What the type is, for an error: `a string (VT_BSTR)`.
    const EXPECTED: &'static str;

    /// The value, or `Err(value)` when it is not one.
    fn take(value: Variant) -> Result<Self, Variant>;

    /// The value, or an error naming both types.
    fn from_variant(value: Variant) -> Result<Self, String> {
        Self::take(value)
            .map_err(|value| format!("expected {}, got {}", Self::EXPECTED, value.describe()))
    }
}

impl FromVariant for Variant {
    const EXPECTED: &'static str = "any value";
    fn take(value: Variant) -> Result<Self, Variant> {
        Ok(value)
    }
}

impl FromVariant for () {
    const EXPECTED: &'static str = "any value";
    fn take(_: Variant) -> Result<Self, Variant> {
        Ok(())
    }
}

/// `None` for nothing (`VT_EMPTY`, a null object) or `VT_NULL`; else the value as `T`.
impl<T: FromVariant> FromVariant for Option<T> {
    const EXPECTED: &'static str = T::EXPECTED;
    fn take(value: Variant) -> Result<Self, Variant> {
        match value {
            Variant::Empty | Variant::Null => Ok(None),
            other => T::take(other).map(Some),
        }
    }
}

impl FromVariant for bool {
    const EXPECTED: &'static str = "a boolean (VT_BOOL)";
    fn take(value: Variant) -> Result<Self, Variant> {
        match value {
            Variant::Bool(value) => Ok(value),
            other => Err(other),
        }
    }
}

impl FromVariant for String {
    const EXPECTED: &'static str = "a string (VT_BSTR)";
    fn take(value: Variant) -> Result<Self, Variant> {
        match value {
            Variant::String(value) => Ok(value),
            other => Err(other),
        }
    }
}

impl FromVariant for Dispatch {
    const EXPECTED: &'static str = "an object (VT_DISPATCH)";
    fn take(value: Variant) -> Result<Self, Variant> {
        match value {
            Variant::Dispatch(value) => Ok(value),
            other => Err(other),
        }
    }
}

impl FromVariant for IUnknown {
    const EXPECTED: &'static str = "an object (VT_UNKNOWN or VT_DISPATCH)";
    fn take(value: Variant) -> Result<Self, Variant> {
        match value {
            Variant::Unknown(value) => Ok(value),
            Variant::Dispatch(value) => Ok(value.to_unknown()),
            other => Err(other),
        }
    }
}

impl FromVariant for Vec<Variant> {
    const EXPECTED: &'static str = "an array (VT_ARRAY)";
    fn take(value: Variant) -> Result<Self, Variant> {
        match value {
            Variant::Array(value) => Ok(value),
            other => Err(other),
        }
    }
}

/// An integer variant's value, widened.
fn integer(value: &Variant) -> Option<i128> {
    Some(match *value {
        Variant::I8(value) => value.into(),
        Variant::I16(value) => value.into(),
        Variant::I32(value) => value.into(),
        Variant::I64(value) => value.into(),
        Variant::U8(value) => value.into(),
        Variant::U16(value) => value.into(),
        Variant::U32(value) => value.into(),
        Variant::U64(value) => value.into(),
        _ => return None,
    })
}

macro_rules! integers {
    ($($type:ty => $expected:literal),* $(,)?) => {$(
        impl FromVariant for $type {
            const EXPECTED: &'static str = $expected;
            fn take(value: Variant) -> Result<Self, Variant> {
                integer(&value)
                    .and_then(|wide| <$type>::try_from(wide).ok())
                    .ok_or(value)
            }
        }
    )*};
}

integers!(
    i8 => "an 8-bit integer (VT_I1)",
    i16 => "a 16-bit integer (VT_I2)",
    i32 => "a 32-bit integer (VT_I4)",
    i64 => "a 64-bit integer (VT_I8)",
    u8 => "an unsigned 8-bit integer (VT_UI1)",
    u16 => "an unsigned 16-bit integer (VT_UI2)",
    u32 => "an unsigned 32-bit integer (VT_UI4)",
    u64 => "an unsigned 64-bit integer (VT_UI8)",
);

impl FromVariant for f64 {
    const EXPECTED: &'static str = "a number (VT_R8)";
    fn take(value: Variant) -> Result<Self, Variant> {
        match value {
            Variant::F64(value) | Variant::Date(value) => Ok(value),
            Variant::F32(value) => Ok(value.into()),
            other => match integer(&other) {
                Some(wide) => Ok(wide as f64),
                None => Err(other),
            },
        }
    }
}

macro_rules! from_rust {
    ($($type:ty => $variant:ident),* $(,)?) => {$(
        impl From<$type> for Variant {
            fn from(value: $type) -> Self {
                Variant::$variant(value)
            }
        }
    )*};
}

from_rust!(
    bool => Bool, i8 => I8, i16 => I16, i32 => I32, i64 => I64, u8 => U8, u16 => U16,
    u32 => U32, u64 => U64, f32 => F32, f64 => F64, String => String, Dispatch => Dispatch,
    IUnknown => Unknown, Vec<Variant> => Array,
);

impl From<&str> for Variant {
    fn from(value: &str) -> Self {
        Variant::String(value.to_owned())
    }
}

impl From<()> for Variant {
    fn from((): ()) -> Self {
        Variant::Empty
    }
}

/// An owned `VARIANT`, cleared on drop.
#[repr(transparent)]
pub(crate) struct RawVariant(pub(crate) VARIANT);

impl RawVariant {
    pub(crate) fn empty() -> RawVariant {
        RawVariant(VARIANT {
            vt: sys::VT_EMPTY,
            wReserved1: 0,
            wReserved2: 0,
            wReserved3: 0,
            value: VARIANT_0 {
                brecVal: [ptr::null_mut(); 2],
            },
        })
    }

    fn of(vt: u16, value: VARIANT_0) -> RawVariant {
        let mut raw = RawVariant::empty();
        raw.0.value = value;
        raw.0.vt = vt;
        raw
    }

    /// The `VARIANT` for `value`: a BSTR allocated, an interface's reference added, an array
    /// made; `Err` for [`Variant::Other`], which cannot be written, or an allocation that failed.
    pub(crate) fn from_variant(value: &Variant) -> Result<RawVariant, String> {
        Ok(match value {
            Variant::Empty => RawVariant::empty(),
            Variant::Null => RawVariant::of(sys::VT_NULL, VARIANT_0 { llVal: 0 }),
            Variant::Bool(value) => RawVariant::of(
                sys::VT_BOOL,
                VARIANT_0 {
                    boolVal: if *value { -1 } else { 0 },
                },
            ),
            Variant::I8(value) => RawVariant::of(sys::VT_I1, VARIANT_0 { cVal: *value }),
            Variant::I16(value) => RawVariant::of(sys::VT_I2, VARIANT_0 { iVal: *value }),
            Variant::I32(value) => RawVariant::of(sys::VT_I4, VARIANT_0 { lVal: *value }),
            Variant::I64(value) => RawVariant::of(sys::VT_I8, VARIANT_0 { llVal: *value }),
            Variant::U8(value) => RawVariant::of(sys::VT_UI1, VARIANT_0 { bVal: *value }),
            Variant::U16(value) => RawVariant::of(sys::VT_UI2, VARIANT_0 { uiVal: *value }),
            Variant::U32(value) => RawVariant::of(sys::VT_UI4, VARIANT_0 { ulVal: *value }),
            Variant::U64(value) => RawVariant::of(sys::VT_UI8, VARIANT_0 { ullVal: *value }),
            Variant::F32(value) => RawVariant::of(sys::VT_R4, VARIANT_0 { fltVal: *value }),
            Variant::F64(value) => RawVariant::of(sys::VT_R8, VARIANT_0 { dblVal: *value }),
            Variant::Date(value) => RawVariant::of(sys::VT_DATE, VARIANT_0 { date: *value }),
            Variant::Error(code) => RawVariant::of(sys::VT_ERROR, VARIANT_0 { scode: code.0 }),
            Variant::String(text) => {
                let units: Vec<u16> = text.encode_utf16().collect();
                let len = u32::try_from(units.len())
                    .map_err(|_| "a string longer than a BSTR holds".to_owned())?;
                // SAFETY: `len` units at `units`; the BSTR is owned by the VARIANT from here.
                let bstr = unsafe { SysAllocStringLen(units.as_ptr(), len) };
                if bstr.is_null() {
                    return Err("SysAllocStringLen failed: out of memory".into());
                }
                RawVariant::of(sys::VT_BSTR, VARIANT_0 { bstrVal: bstr })
            }
            Variant::Dispatch(object) => RawVariant::of(
                sys::VT_DISPATCH,
                VARIANT_0 {
                    // The object's `IDispatch*` itself (not its identity `IUnknown`, whose vtable
                    // may be another); the reference moves into the VARIANT, released when
                    // cleared.
                    pdispVal: object.to_raw_dispatch(),
                },
            ),
            Variant::Unknown(object) => RawVariant::of(
                sys::VT_UNKNOWN,
                VARIANT_0 {
                    punkVal: object.clone().into_raw(),
                },
            ),
            Variant::Array(elements) => {
                let count = u32::try_from(elements.len())
                    .map_err(|_| "an array longer than a SAFEARRAY holds".to_owned())?;
                // SAFETY: a vector of `count` VARIANTs, from index 0.
                let array = unsafe { SafeArrayCreateVector(sys::VT_VARIANT, 0, count) };
                if array.is_null() {
                    return Err("SafeArrayCreateVector failed: out of memory".into());
                }
                // Owned by the VARIANT from here: a failure below destroys it with the rest.
                let raw =
                    RawVariant::of(sys::VT_ARRAY | sys::VT_VARIANT, VARIANT_0 { parray: array });
                for (index, element) in elements.iter().enumerate() {
                    let element = RawVariant::from_variant(element)?;
                    let index = i32::try_from(index)
                        .map_err(|_| "an array longer than a SAFEARRAY indexes".to_owned())?;
                    // SAFETY: an index inside the vector; SafeArrayPutElement copies the
                    // VARIANT (VariantCopy), so `element` still owns what it holds.
                    let code = unsafe {
                        SafeArrayPutElement(array, &index, (&element.0 as *const VARIANT).cast())
                    };
                    if code.is_err() {
                        return Err(format!(
                            "SafeArrayPutElement failed: {:#010X}",
                            code.0 as u32
                        ));
                    }
                }
                raw
            }
            Variant::Other(vt) => {
                return Err(format!(
                    "VARTYPE {vt} cannot be written (Variant::Other is read only)"
                ))
            }
        })
    }

    /// The `IDispatch` a `VT_DISPATCH` holds, its reference moved out; else what the value is
    /// instead (`VT_UNKNOWN (13)`, `VT_DISPATCH holding a null pointer`).
    #[cfg_attr(not(windows), allow(dead_code))] // profile_name's (Windows)
    pub(crate) fn into_dispatch(mut self) -> Result<Dispatch, String> {
        if self.0.vt != sys::VT_DISPATCH {
            return Err(type_name(self.0.vt));
        }
        // SAFETY: `vt` says `pdispVal` is the member in use.
        let raw = unsafe { self.0.value.pdispVal };
        if raw.is_null() {
            return Err("VT_DISPATCH holding a null pointer".into());
        }
        // The reference moves to the `Dispatch`: the VARIANT must no longer release it.
        self.0.vt = sys::VT_EMPTY;
        // SAFETY: a VT_DISPATCH owns one reference to a non-null `IDispatch*`.
        Ok(unsafe { Dispatch::from_raw_dispatch(raw) })
    }

    /// The UTF-16 text of a `VT_BSTR`, by its length prefix (a null BSTR is the empty string,
    /// as COM defines it); else what the value is instead.
    #[cfg_attr(not(windows), allow(dead_code))] // profile_name's (Windows)
    pub(crate) fn bstr(&self) -> Result<&[u16], String> {
        if self.0.vt != sys::VT_BSTR {
            return Err(type_name(self.0.vt));
        }
        // SAFETY: `vt` says `bstrVal` is the member in use.
        let bstr = unsafe { self.0.value.bstrVal };
        if bstr.is_null() {
            return Ok(&[]);
        }
        // SAFETY: a BSTR is `SysStringLen` UTF-16 units, owned by this VARIANT, which outlives
        // the borrow.
        Ok(unsafe { core::slice::from_raw_parts(bstr, SysStringLen(bstr) as usize) })
    }

    /// The value, copied out (see the module's invariants).
    pub(crate) fn read(&self) -> Result<Variant, String> {
        // SAFETY: the VARIANT is valid (module invariant).
        unsafe { read(&self.0, 0) }
    }
}

/// `VT_I4 (3)`, `VT_BSTR | VT_BYREF (16392)`, ...
pub(crate) fn type_name(vt: u16) -> String {
    let base = match vt & !(sys::VT_ARRAY | sys::VT_BYREF) {
        0 => "VT_EMPTY",
        1 => "VT_NULL",
        2 => "VT_I2",
        3 => "VT_I4",
        4 => "VT_R4",
        5 => "VT_R8",
        6 => "VT_CY",
        7 => "VT_DATE",
        8 => "VT_BSTR",
        9 => "VT_DISPATCH",
        10 => "VT_ERROR",
        11 => "VT_BOOL",
        12 => "VT_VARIANT",
        13 => "VT_UNKNOWN",
        14 => "VT_DECIMAL",
        16 => "VT_I1",
        17 => "VT_UI1",
        18 => "VT_UI2",
        19 => "VT_UI4",
        20 => "VT_I8",
        21 => "VT_UI8",
        22 => "VT_INT",
        23 => "VT_UINT",
        36 => "VT_RECORD",
        _ => return format!("VARTYPE {vt}"),
    };
    let flag = |bit: u16, name: &'static str| if vt & bit != 0 { name } else { "" };
    let (array, byref) = (
        flag(sys::VT_ARRAY, " | VT_ARRAY"),
        flag(sys::VT_BYREF, " | VT_BYREF"),
    );
    format!("{base}{array}{byref} ({vt})")
}

impl Drop for RawVariant {
    fn drop(&mut self) {
        // A by-reference value owns nothing (what it points to is its writer's): nothing to
        // clear, and oleaut32 is not handed a caller's pointer to follow (Wine's VariantClear
        // follows a VT_VARIANT | VT_BYREF, and one that points to itself overflows its stack).
        if self.0.vt & sys::VT_BYREF != 0 {
            self.0.vt = sys::VT_EMPTY;
            return;
        }
        // SAFETY: the VARIANT is valid (module invariant) and owned by `self`.
        let code = unsafe { VariantClear(&mut self.0) };
        if code.is_err() {
            log::warn!(
                "VariantClear of {} failed: {:#010X}; its value may leak",
                type_name(self.0.vt),
                code.0 as u32
            );
        }
    }
}

/// How deep a value may nest (arrays in arrays, a by-reference `VARIANT`): past it, the read
/// is refused (a caller's value that refers to itself would otherwise never end).
pub const MAX_DEPTH: usize = 16;

/// The value a `VARIANT` holds, copied out; `Err` naming what could not be read (a null
/// pointer where a value was said to be, an array of more than one dimension, nesting deeper
/// than [`MAX_DEPTH`]). `depth` is how deep this value is.
///
/// # Safety
/// `variant` is a valid `VARIANT`: its `vt` says which member holds what, and every pointer in
/// it is what that type promises (a BSTR, a live interface, a SAFEARRAY, a pointer to a value).
pub(crate) unsafe fn read(variant: &VARIANT, depth: usize) -> Result<Variant, String> {
    if depth > MAX_DEPTH {
        return Err(format!(
            "a value nested more than {MAX_DEPTH} deep (arrays in arrays, or a by-reference \
             value that refers to itself)"
        ));
    }
    let vt = variant.vt;
    let value = variant.value;
    if vt & sys::VT_ARRAY != 0 {
        let array = if vt & sys::VT_BYREF != 0 {
            // SAFETY: `vt` says `pparray` is the member in use.
            let pointer = unsafe { value.pparray };
            if pointer.is_null() {
                return Err("VT_ARRAY | VT_BYREF holding a null pointer".into());
            }
            // SAFETY: a non-null pointer to the array pointer, as `vt` promises.
            unsafe { *pointer }
        } else {
            // SAFETY: `vt` says `parray` is the member in use.
            unsafe { value.parray }
        };
        // SAFETY: the caller's promise: a SAFEARRAY (or null).
        return unsafe { read_array(array, vt & !(sys::VT_ARRAY | sys::VT_BYREF), depth) };
    }
    if vt & sys::VT_BYREF != 0 {
        // SAFETY: `vt` says `byref` is the member in use.
        let pointer = unsafe { value.byref };
        if pointer.is_null() {
            return Err(format!(
                "VARTYPE {} | VT_BYREF holding a null pointer",
                vt & !sys::VT_BYREF
            ));
        }
        let base = vt & !sys::VT_BYREF;
        if base == sys::VT_VARIANT {
            // SAFETY: a pointer to a VARIANT, as `vt` promises.
            let target = unsafe { &*pointer.cast::<VARIANT>() };
            // Automation's rule: what a VT_BYREF | VT_VARIANT points to is not by reference.
            if target.vt & sys::VT_BYREF != 0 {
                return Err("VT_VARIANT | VT_BYREF pointing to another by-reference value".into());
            }
            // SAFETY: as above.
            return unsafe { read(target, depth + 1) };
        }
        let mut copy = VARIANT_0 { llVal: 0 };
        // SAFETY: a pointer to a value of `base`, whose size is what is copied; read unaligned,
        // as a caller's pointer is not promised to be aligned for Rust.
        unsafe {
            match base {
                sys::VT_I1 | sys::VT_UI1 => copy.bVal = pointer.cast::<u8>().read(),
                sys::VT_I2 | sys::VT_UI2 | sys::VT_BOOL => {
                    copy.uiVal = pointer.cast::<u16>().read_unaligned()
                }
                sys::VT_I4 | sys::VT_UI4 | sys::VT_R4 | sys::VT_ERROR => {
                    copy.ulVal = pointer.cast::<u32>().read_unaligned()
                }
                sys::VT_I8 | sys::VT_UI8 | sys::VT_R8 | sys::VT_DATE => {
                    copy.ullVal = pointer.cast::<u64>().read_unaligned()
                }
                sys::VT_BSTR | sys::VT_DISPATCH | sys::VT_UNKNOWN => {
                    copy.byref = pointer.cast::<*mut core::ffi::c_void>().read_unaligned()
                }
                _ => return Ok(Variant::Other(vt)),
            }
        }
        let direct = VARIANT {
            vt: base,
            wReserved1: 0,
            wReserved2: 0,
            wReserved3: 0,
            value: copy,
        };
        // SAFETY: the same value, held directly; `read` copies and never clears it.
        return unsafe { read(&direct, depth + 1) };
    }
    // SAFETY: each arm reads the member `vt` names.
    Ok(unsafe {
        match vt {
            sys::VT_EMPTY => Variant::Empty,
            sys::VT_NULL => Variant::Null,
            sys::VT_BOOL => Variant::Bool(value.boolVal != 0),
            sys::VT_I1 => Variant::I8(value.cVal),
            sys::VT_I2 => Variant::I16(value.iVal),
            sys::VT_I4 | sys::VT_INT => Variant::I32(value.lVal),
            sys::VT_I8 => Variant::I64(value.llVal),
            sys::VT_UI1 => Variant::U8(value.bVal),
            sys::VT_UI2 => Variant::U16(value.uiVal),
            sys::VT_UI4 | sys::VT_UINT => Variant::U32(value.ulVal),
            sys::VT_UI8 => Variant::U64(value.ullVal),
            sys::VT_R4 => Variant::F32(value.fltVal),
            sys::VT_R8 => Variant::F64(value.dblVal),
            sys::VT_DATE => Variant::Date(value.date),
            sys::VT_ERROR => Variant::Error(HRESULT(value.scode)),
            sys::VT_BSTR => {
                let bstr = value.bstrVal;
                if bstr.is_null() {
                    // COM defines a null BSTR as the empty string.
                    Variant::String(String::new())
                } else {
                    // A BSTR is read by its length prefix, never to a terminator: it may have
                    // none, or hold NULs.
                    let units = core::slice::from_raw_parts(bstr, SysStringLen(bstr) as usize);
                    Variant::String(String::from_utf16_lossy(units))
                }
            }
            sys::VT_DISPATCH => {
                let raw = value.pdispVal;
                match IUnknown::from_raw_borrowed(&raw) {
                    // A null object, as Outlook answers for "none".
                    None => Variant::Empty,
                    // `pdispVal` is the object's `IDispatch*`, as VT_DISPATCH promises: a new
                    // reference to that very interface.
                    Some(unknown) => {
                        Variant::Dispatch(Dispatch::from_raw_dispatch(unknown.clone().into_raw()))
                    }
                }
            }
            sys::VT_UNKNOWN => {
                let raw = value.punkVal;
                match IUnknown::from_raw_borrowed(&raw) {
                    None => Variant::Empty,
                    Some(unknown) => Variant::Unknown(unknown.clone()),
                }
            }
            other => Variant::Other(other),
        }
    })
}

/// The size an element of `vt` has in a SAFEARRAY, for the types read; `None` for another.
fn element_size(vt: u16) -> Option<usize> {
    Some(match vt {
        sys::VT_I1 | sys::VT_UI1 => 1,
        sys::VT_I2 | sys::VT_UI2 | sys::VT_BOOL => 2,
        sys::VT_I4 | sys::VT_UI4 | sys::VT_R4 | sys::VT_ERROR | sys::VT_INT | sys::VT_UINT => 4,
        sys::VT_I8 | sys::VT_UI8 | sys::VT_R8 | sys::VT_DATE => 8,
        sys::VT_BSTR | sys::VT_DISPATCH | sys::VT_UNKNOWN => size_of::<*mut u8>(),
        sys::VT_VARIANT => size_of::<VARIANT>(),
        _ => return None,
    })
}

/// The elements of a one-dimensional SAFEARRAY whose elements are `element_vt`, read in place
/// (locked for the read: nothing is copied but what `read` copies out).
///
/// # Safety
/// `array` is null or a live SAFEARRAY of `element_vt` elements.
unsafe fn read_array(
    array: *mut SAFEARRAY,
    element_vt: u16,
    depth: usize,
) -> Result<Variant, String> {
    if array.is_null() {
        return Err("VT_ARRAY holding a null SAFEARRAY".into());
    }
    // SAFETY: a live SAFEARRAY (the caller's promise).
    let dimensions = unsafe { SafeArrayGetDim(array) };
    if dimensions != 1 {
        return Err(format!(
            "an array of {dimensions} dimensions (only one-dimensional arrays are read)"
        ));
    }
    let (mut lower, mut upper, mut stored) = (0i32, -1i32, 0u16);
    // SAFETY: as above; dimension 1 exists; writable outputs.
    unsafe {
        let _ = SafeArrayGetLBound(array, 1, &mut lower);
        let _ = SafeArrayGetUBound(array, 1, &mut upper);
        if SafeArrayGetVartype(array, &mut stored).is_err() {
            stored = element_vt;
        }
    }
    let count = i64::from(upper) - i64::from(lower) + 1;
    if count > MAX_ARRAY_ELEMENTS as i64 {
        return Err(format!(
            "an array of {count} elements (more than the {MAX_ARRAY_ELEMENTS} read)"
        ));
    }
    let count = count.max(0) as usize;
    let Some(size) = element_size(stored) else {
        return Ok(Variant::Array(vec![Variant::Other(stored); count]));
    };
    // The array's own element size must be the type's: a caller's array that says one type
    // and holds another size is not read.
    // SAFETY: a live SAFEARRAY.
    let stated = unsafe { SafeArrayGetElemsize(array) } as usize;
    if stated != size {
        return Err(format!(
            "an array of {} whose elements are {stated} bytes (not {size})",
            type_name(stored)
        ));
    }
    // SAFETY: a live SAFEARRAY; unlocked below on every path.
    let code = unsafe { SafeArrayLock(array) };
    if code.is_err() {
        return Err(format!("SafeArrayLock failed: {:#010X}", code.0 as u32));
    }
    let mut elements = Vec::with_capacity(count);
    let mut outcome = Ok(());
    for offset in 0..count {
        // `lower + offset` is at most `upper`: no overflow.
        let index = lower + offset as i32;
        let mut element: *mut core::ffi::c_void = ptr::null_mut();
        // SAFETY: a locked array and an index inside its bounds; the pointer is to its element.
        let code = unsafe { SafeArrayPtrOfIndex(array, &index, &mut element) };
        if code.is_err() || element.is_null() {
            outcome = Err(format!(
                "SafeArrayPtrOfIndex({index}) failed: {:#010X}",
                code.0 as u32
            ));
            break;
        }
        let read_one = if stored == sys::VT_VARIANT {
            // SAFETY: an element of `size_of::<VARIANT>()` bytes, a VARIANT, live while locked.
            unsafe { read(&*element.cast::<VARIANT>(), depth + 1) }
        } else {
            let mut value = VARIANT_0 { llVal: 0 };
            // SAFETY: `size` bytes (checked against the array's own size above) into the union,
            // which holds at least 8 (and a pointer).
            unsafe {
                ptr::copy_nonoverlapping(
                    element.cast::<u8>(),
                    (&mut value as *mut VARIANT_0).cast::<u8>(),
                    size,
                )
            };
            let direct = VARIANT {
                vt: stored,
                wReserved1: 0,
                wReserved2: 0,
                wReserved3: 0,
                value,
            };
            // SAFETY: the element's value held directly; `read` copies and never clears it.
            unsafe { read(&direct, depth + 1) }
        };
        match read_one {
            Ok(value) => elements.push(value),
            Err(why) => {
                outcome = Err(why);
                break;
            }
        }
    }
    // SAFETY: locked above.
    let _ = unsafe { SafeArrayUnlock(array) };
    outcome.map(|()| Variant::Array(elements))
}
