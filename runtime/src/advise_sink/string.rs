//! [`MapiStr`]: a MAPI string, read lazily.
//!
//! MAPI's strings carry no length; only a NUL ends them. A `MapiStr` from a notification is the
//! pointer alone, and every reader goes through [`Units`], which reads one code unit at a time,
//! in order, from the first, and ends for good at the first NUL or at [`MAX_STRING_UNITS`]
//! units (with a warning: the string is read as its first that many). So a reader reads as far
//! as it asks and no further: a prefix compare stops at the first difference, a NUL included;
//! `len`, `Display` and the slices read to the end. A `MapiStr` made from a slice
//! ([`MapiStr::from_ansi`], [`MapiStr::from_unicode`]) is bounded by the slice's length
//! instead, and its NULs are characters.
//!
//! # Invariants (the unsafe parts)
//! `ptr` is non-null and aligned for the unit type (`u8`, or `u16` when `unicode`); the units
//! at `ptr` are valid for `'a`: for a `terminated` string, each unit up to and including its
//! first NUL, or the first `bound` of them when none of those is a NUL (the `OnNotify`
//! contract, checked by `memory`'s callers as for every other read); for a slice, its `bound`
//! units.

use super::memory::{self, Refusal, Unit, MAX_STRING_UNITS};
use core::fmt;
use core::hash::{Hash, Hasher};
use core::marker::PhantomData;
use core::ptr::NonNull;

/// A MAPI string as sent: 8-bit or UTF-16, as the notification's `MAPI_UNICODE` flag (or the
/// property's type) says, without its NUL. Borrowed, so reading it never allocates, and read
/// lazily: a reader reads only as far as it asks ([`starts_with`](Self::starts_with) and `==`
/// stop at the first difference), never past the string's NUL, and never more than
/// [`MAX_STRING_UNITS`] units (a string with no NUL that far is read as its first that many,
/// with a `log::warn!`).
///
/// `Display` writes it out; 8-bit text is in the sender's ANSI code page, which this crate does
/// not know, so its bytes are shown as Latin-1 (right for ASCII and for most Western text).
/// `PartialEq<str>` compares the same way, so `class == "IPM.Note"` works for both widths.
///
/// ```
/// use mapi_notify_sink::advise_sink::MapiStr;
///
/// let ansi = MapiStr::from_ansi(b"IPM.Note.Custom");
/// let wide: Vec<u16> = "IPM.Note".encode_utf16().collect();
/// let unicode = MapiStr::from_unicode(&wide);
/// assert!(ansi.starts_with("IPM.Note") && unicode == "IPM.Note"); // either width
/// assert_eq!(unicode.to_string(), "IPM.Note"); // `Display`, to keep it past the call
/// assert_eq!(ansi.as_ansi(), Some(&b"IPM.Note.Custom"[..])); // the units, for a width
/// assert_eq!(format!("{:?}", MapiStr::from_ansi(b"caf\xe9")), "\"caf\u{e9}\""); // Latin-1
/// ```
#[derive(Clone, Copy)]
pub struct MapiStr<'a> {
    /// The first unit (see the module invariants).
    ptr: NonNull<u8>,
    /// The most units a reader may read: a slice's length, or [`MAX_STRING_UNITS`].
    bound: usize,
    /// A NUL ends the string (it came from the caller's memory), rather than `bound`.
    terminated: bool,
    /// Units are `u16`, not `u8`.
    unicode: bool,
    /// The field it came from, for the warning when no NUL is found within `bound`.
    what: &'static str,
    _units: PhantomData<&'a [u16]>,
}

// SAFETY: a shared borrow of units nobody changes for `'a` (the `OnNotify` contract, or a
// slice's borrow), as `&'a [u8]` and `&'a [u16]`, which are `Send + Sync`.
unsafe impl Send for MapiStr<'_> {}
// SAFETY: as above.
unsafe impl Sync for MapiStr<'_> {}

impl<'a> MapiStr<'a> {
    /// The `LPTSTR` at `ptr`, 8-bit or UTF-16 as `unicode` says; `None` for null, and (with a
    /// warning) for a UTF-16 string at an odd address. Reads nothing.
    ///
    /// # Safety
    /// A non-null `ptr` points to units valid for `'a` up to and including a NUL, or at least
    /// [`MAX_STRING_UNITS`] of them (the `OnNotify` contract).
    #[inline]
    pub(super) unsafe fn read(
        ptr: *const core::ffi::c_void,
        unicode: bool,
        what: &'static str,
    ) -> Option<Self> {
        let aligned = if unicode {
            memory::aligned(ptr.cast::<u16>(), what)
        } else {
            memory::aligned(ptr.cast::<u8>(), what)
        };
        aligned.then(|| MapiStr {
            // SAFETY: `aligned` is false for null.
            ptr: unsafe { NonNull::new_unchecked(ptr.cast::<u8>().cast_mut()) },
            bound: MAX_STRING_UNITS,
            terminated: true,
            unicode,
            what,
            _units: PhantomData,
        })
    }

    /// 8-bit text, as long as the slice (its NULs, if any, are characters).
    #[inline]
    pub fn from_ansi(text: &'a [u8]) -> Self {
        Self::from_slice(NonNull::from(text).cast(), text.len(), false)
    }

    /// UTF-16 text, as long as the slice (its NULs, if any, are characters).
    #[inline]
    pub fn from_unicode(text: &'a [u16]) -> Self {
        Self::from_slice(NonNull::from(text).cast(), text.len(), true)
    }

    fn from_slice(ptr: NonNull<u8>, len: usize, unicode: bool) -> Self {
        MapiStr {
            ptr,
            bound: len,
            terminated: false,
            unicode,
            what: "a string",
            _units: PhantomData,
        }
    }

    /// Whether its units are UTF-16 (`LPWSTR`, `PT_UNICODE`) rather than 8-bit.
    #[inline]
    pub fn is_unicode(&self) -> bool {
        self.unicode
    }

    /// Its code units, lazily: bytes, or UTF-16 units, each as a `u16`.
    #[inline]
    fn units(&self) -> Units<'a> {
        Units {
            string: *self,
            next: 0,
        }
    }

    /// Length in code units (bytes or `u16`s), without the NUL: reads to the end.
    #[inline]
    pub fn len(&self) -> usize {
        if !self.terminated {
            return self.bound;
        }
        // SAFETY: the module invariants: readable up to the NUL or the bound.
        let len = unsafe {
            if self.unicode {
                u16::bounded_len(self.ptr.as_ptr().cast())
            } else {
                u8::bounded_len(self.ptr.as_ptr())
            }
        };
        if len == self.bound {
            Self::no_nul(self.what);
        }
        len
    }

    /// Whether the string is empty: reads its first unit.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.units().next().is_none()
    }

    /// The 8-bit text's bytes, for an 8-bit string (`None` for UTF-16): reads to the end.
    #[inline]
    pub fn as_ansi(&self) -> Option<&'a [u8]> {
        (!self.unicode).then(|| {
            // SAFETY: `len` units, each read by the scan (or the slice's): valid for `'a`.
            unsafe { core::slice::from_raw_parts(self.ptr.as_ptr(), self.len()) }
        })
    }

    /// The UTF-16 text's units, for a UTF-16 string (`None` for 8-bit): reads to the end.
    #[inline]
    pub fn as_unicode(&self) -> Option<&'a [u16]> {
        self.unicode.then(|| {
            // SAFETY: as `as_ansi`, and aligned for `u16` (the module invariants).
            unsafe { core::slice::from_raw_parts(self.ptr.as_ptr().cast(), self.len()) }
        })
    }

    /// Whether the string begins with `prefix`, compared as `PartialEq<str>` compares: reads
    /// no more units than `prefix` has characters.
    #[inline]
    pub fn starts_with(&self, prefix: &str) -> bool {
        if let Some(units) = self.ascii_units(prefix) {
            // SAFETY: `ascii_units` checked `prefix` against the bound.
            return unsafe {
                if self.unicode {
                    self.unit_prefix::<u16>(units)
                } else {
                    self.unit_prefix::<u8>(units)
                }
            };
        }
        let mut chars = self.chars();
        prefix
            .chars()
            .all(|expected| chars.next() == Some(expected))
    }

    /// `text`'s bytes, when each is one unit that can be compared with the string's as it is
    /// read: ASCII (one unit in either width, and no part of a surrogate), no NUL (so a unit
    /// equal to one is not the string's end), and no longer than the bound.
    #[inline(always)]
    fn ascii_units<'t>(&self, text: &'t str) -> Option<&'t [u8]> {
        (text.is_ascii() && !text.as_bytes().contains(&0) && text.len() <= self.bound)
            .then_some(text.as_bytes())
    }

    /// Whether the units begin with `expected`, compared one by one, stopping at the first
    /// that differs: the string's NUL differs from every byte of `expected`, so no unit past
    /// it is read, as a hand-written loop over a C string reads.
    ///
    /// # Safety
    /// `expected` has no NUL and is no longer than `bound`; `U` is the string's unit.
    #[inline(always)]
    unsafe fn unit_prefix<U: Unit + Into<u16>>(&self, expected: &[u8]) -> bool {
        let ptr = self.ptr.as_ptr().cast::<U>();
        expected.iter().enumerate().all(|(index, &byte)| {
            // SAFETY: `index` is below the bound, and each unit before it equalled a byte of
            // `expected`, none of which is a NUL: the module invariants make it readable.
            unsafe { ptr.add(index).read() }.into() == u16::from(byte)
        })
    }

    /// The characters, decoded as `Display` decodes them (a lone UTF-16 surrogate is U+FFFD).
    #[inline]
    pub fn chars(&self) -> impl Iterator<Item = char> + 'a {
        if self.unicode {
            Chars::Unicode(char::decode_utf16(self.units()))
        } else {
            Chars::Ansi(self.units())
        }
    }

    /// The warning for a string read to its bound without a NUL. Takes the field's name
    /// alone, so that a reader's `MapiStr` stays in registers (the call is cold).
    #[cold]
    #[inline(never)]
    fn no_nul(what: &str) {
        memory::refuse(what, Refusal::NoNul, 0, 0);
    }
}

/// The units of a [`MapiStr`], in order: the only reader of its memory. Ends for good at the
/// first NUL (of a terminated string) or at the bound, so a unit past either is never read.
struct Units<'a> {
    string: MapiStr<'a>,
    /// The index of the next unit; `usize::MAX` once ended.
    next: usize,
}

impl Iterator for Units<'_> {
    type Item = u16;

    #[inline]
    fn next(&mut self) -> Option<u16> {
        let index = self.next;
        if index >= self.string.bound {
            if index == self.string.bound && self.string.terminated {
                MapiStr::no_nul(self.string.what);
            }
            self.next = usize::MAX;
            return None;
        }
        let ptr = self.string.ptr.as_ptr();
        // SAFETY: `index` is below the bound, and every unit before it was read and was not a
        // NUL (the iterator ends at the first): the module invariants make it readable.
        let unit = unsafe {
            if self.string.unicode {
                ptr.cast::<u16>().add(index).read()
            } else {
                u16::from(ptr.add(index).read())
            }
        };
        if unit == 0 && self.string.terminated {
            self.next = usize::MAX;
            return None;
        }
        self.next = index + 1;
        Some(unit)
    }
}

/// [`MapiStr::chars`]'s iterator. A named type rather than a chain of adapters: the chain's
/// monomorphized names ran past 2,000 characters in the debug info, and Wine 8's 32-bit
/// `dbghelp`, which std's backtrace on `i686-pc-windows-gnu` makes read that debug info,
/// faults on a function name that long (`scripts/windows/wine-dbghelp-long-name.sh`).
enum Chars<'a> {
    /// 8-bit units, as Latin-1.
    Ansi(Units<'a>),
    Unicode(core::char::DecodeUtf16<Units<'a>>),
}

impl Iterator for Chars<'_> {
    type Item = char;

    #[inline]
    fn next(&mut self) -> Option<char> {
        match self {
            // An 8-bit unit is below 256: a Latin-1 character.
            Self::Ansi(units) => units.next().map(|unit| char::from(unit as u8)),
            Self::Unicode(units) => units
                .next()
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)),
        }
    }
}

impl fmt::Display for MapiStr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write;
        self.chars().try_for_each(|c| f.write_char(c))
    }
}

impl fmt::Debug for MapiStr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write;
        f.write_char('"')?;
        for c in self.chars() {
            for escaped in c.escape_debug() {
                f.write_char(escaped)?;
            }
        }
        f.write_char('"')
    }
}

impl PartialEq<str> for MapiStr<'_> {
    /// Character by character, stopping at the first difference.
    #[inline]
    fn eq(&self, other: &str) -> bool {
        if let Some(units) = self.ascii_units(other) {
            // SAFETY: `ascii_units` checked `other` against the bound.
            let prefix = unsafe {
                if self.unicode {
                    self.unit_prefix::<u16>(units)
                } else {
                    self.unit_prefix::<u8>(units)
                }
            };
            // Then the end: the unit after them (read by `Units`, which checks the bound) must
            // be the NUL, or the slice's end.
            return prefix && {
                let mut rest = self.units();
                rest.next = units.len();
                rest.next().is_none()
            };
        }
        self.chars().eq(other.chars())
    }
}

impl PartialEq<&str> for MapiStr<'_> {
    #[inline]
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

/// The same width and the same units.
impl PartialEq for MapiStr<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.unicode == other.unicode && self.units().eq(other.units())
    }
}

impl Eq for MapiStr<'_> {}

impl Hash for MapiStr<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.unicode.hash(state);
        let count = self.units().inspect(|unit| unit.hash(state)).count();
        count.hash(state);
    }
}
