//! The only code that reads memory an `OnNotify` caller lends: the notification array, and
//! everything its pointers reach (entry IDs, strings, property arrays, error details).
//!
//! # The contract it relies on
//! MAPI's: the array and everything it points to stay valid and unchanged for the whole
//! `OnNotify` call, and a non-null pointer beside a count covers that many elements. Every
//! function here is `unsafe` for that reason, and is called only with pointers read out of such
//! an array (see `Events`' invariants), with `'a` no longer than the call.
//!
//! # What it refuses (each with a `log::warn!` naming the field), instead of trusting
//! - a null pointer with a non-zero count: nothing is read (`None`, or empty);
//! - a pointer not aligned for its type: a slice or reference to it would be undefined
//!   behaviour in Rust, whatever the caller meant;
//! - a count whose bytes would exceed `isize::MAX` or run past the end of the address space:
//!   no caller can have such an array, and a slice of it would be undefined behaviour.
//!
//! Any other count is the caller's promise and bounds the read exactly: nothing past it is
//! touched. Reads are lazy: a field the handler never asks for is never read.
//!
//! # Strings
//! MAPI's strings (`LPSTR`, `LPWSTR`, `LPTSTR`) carry no length: only a NUL ends them. They are
//! read lazily (`MapiStr`, in `string.rs`): a reader reads unit by unit from the first, as far
//! as it asks, and stops at the first NUL and never goes past [`MAX_STRING_UNITS`] code units;
//! a string with no NUL in that reach is read as its first that many, with a warning. The
//! bound is far above anything MAPI sends in a notification (message classes are at most 255
//! characters, tables truncate long string columns to 255), so it changes nothing for a correct
//! caller; for a broken one it turns an unbounded walk through its heap into one bounded,
//! logged read. A null string pointer is simply absent (there is no count to contradict it);
//! whether that is worth a warning is up to the field's reader.

use core::mem::size_of;
use core::ptr::NonNull;

/// The most code units (bytes for 8-bit strings, `u16`s for UTF-16) a string scan reads
/// looking for the NUL: 1 Mi.
pub const MAX_STRING_UNITS: usize = 1 << 20;

/// Why something in the caller's memory was not read (see [`refuse`] for what `value` is).
#[derive(Clone, Copy)]
pub(super) enum Refusal {
    /// A count of 0 where something was to be delivered; `value` is unused.
    NoNotifications,
    /// A null pointer beside a non-zero count; `value` is the count.
    NullWithCount,
    /// A pointer not aligned for its type; `value` is the address.
    Misaligned,
    /// A count whose bytes cannot exist in memory; `value` is the count.
    TooLarge,
    /// A string with no NUL within [`MAX_STRING_UNITS`] (read as its first that many);
    /// `value` is unused.
    NoNul,
}

/// Logs why `what` was not read: `value` as [`Refusal`]'s variants say, `align` the alignment
/// a `Misaligned` pointer lacks. Out of line and cold, and with its details as plain integers
/// (passed in registers): the reading paths stay small enough to inline into the handler's
/// loop, and need no stack frame for the call.
#[cold]
#[inline(never)]
pub(super) fn refuse(what: &str, refusal: Refusal, value: usize, align: usize) {
    // Some refusals come before the handler runs, outside its panic containment.
    crate::com::log_contained(|| {
        match refusal {
            Refusal::NoNotifications => {
                log::warn!("IMAPIAdviseSink::OnNotify called with {what} 0; nothing to deliver")
            }
            Refusal::NullWithCount => log::warn!(
                "IMAPIAdviseSink::OnNotify: {what} is null with a count of {value}; read as nothing"
            ),
            Refusal::Misaligned => log::warn!(
                "IMAPIAdviseSink::OnNotify: {what} ({value:#x}) is not aligned to {align} bytes; read as nothing"
            ),
            Refusal::TooLarge => log::warn!(
                "IMAPIAdviseSink::OnNotify: {what} has a count of {value}, more than memory can hold; read as nothing"
            ),
            Refusal::NoNul => log::warn!(
                "IMAPIAdviseSink::OnNotify: {what} has no NUL within {MAX_STRING_UNITS} units; read as its first {MAX_STRING_UNITS}"
            ),
        }
    });
}

/// Logs that `ptr`, a pointer to `T`, is misaligned.
#[inline(always)]
fn refuse_misaligned<T>(what: &str, ptr: *const T) {
    refuse(
        what,
        Refusal::Misaligned,
        ptr as usize,
        core::mem::align_of::<T>(),
    );
}

/// `count` elements at `ptr`, or `None` (with a warning) where that cannot be read: see the
/// module documentation. A zero count is an empty slice, whatever the pointer.
///
/// # Safety
/// `ptr` comes from the caller's notification array (module documentation), and `'a` is no
/// longer than the call.
#[inline]
pub(super) unsafe fn slice<'a, T>(ptr: *const T, count: u32, what: &str) -> Option<&'a [T]> {
    if readable(ptr, count) {
        // SAFETY: `readable`, and the caller's promise.
        return Some(unsafe { whole(ptr, count) });
    }
    // Every other case in one out-of-line call: with a single call site, and no branch of
    // its own on the way, a handler's loop over many reads keeps fewer values in registers a
    // call would clobber.
    refused_slice(ptr as usize, count, core::mem::align_of::<T>(), what).then_some(&[])
}

/// [`slice`], with what it refuses read as empty (after its warning): for arrays a handler
/// only iterates (a row's values), which need no `Option` to be told apart.
///
/// # Safety
/// As [`slice`].
#[inline]
pub(super) unsafe fn slice_or_empty<'a, T>(ptr: *const T, count: u32, what: &str) -> &'a [T] {
    if readable(ptr, count) {
        // SAFETY: `readable`, and the caller's promise.
        return unsafe { whole(ptr, count) };
    }
    refused_slice(ptr as usize, count, core::mem::align_of::<T>(), what);
    &[]
}

/// Whether `count` elements at `ptr` may be made a slice: aligned, and within the address
/// space and an `isize` (a null pointer passes with a count of 0 only).
#[inline(always)]
fn readable<T>(ptr: *const T, count: u32) -> bool {
    // Two tests, each one operation on the address before `ptr` (`ptr` - 1): its low bits
    // are all ones when `ptr` is aligned (or null), and adding the bytes carries out of the
    // address space when `ptr` is null (and the count not 0) or when the bytes would run past
    // its end. A count of 0 never carries.
    let before = (ptr as usize).wrapping_sub(1);
    let low = core::mem::align_of::<T>() - 1;
    let aligned_or_null = before & low == low;
    let fits = (count as usize)
        .checked_mul(size_of::<T>())
        .is_some_and(|bytes| bytes <= isize::MAX as usize && before.checked_add(bytes).is_some());
    aligned_or_null && fits
}

/// The slice `readable` allowed.
///
/// # Safety
/// `readable(ptr, count)`, and `ptr` covers `count` valid `T`s for `'a` (the caller's
/// contract).
#[inline(always)]
unsafe fn whole<'a, T>(ptr: *const T, count: u32) -> &'a [T] {
    // A null pointer can only have passed with a count of 0: for no elements, read nothing,
    // from a pointer a slice accepts. (Chosen by the count, which the reader of an element has
    // tested already, so that the choice folds away there.)
    let base = if count == 0 {
        NonNull::dangling().as_ptr()
    } else {
        ptr.cast_mut()
    };
    // SAFETY: as below (`base` is non-null). Said to the compiler, so that the `Option` a
    // reader wraps the slice in is known to be `Some` here: a reader that only wants the
    // count then reads it as it is, without retesting the pointer.
    unsafe { core::hint::assert_unchecked(!base.is_null()) };
    // SAFETY: `base` is non-null (with a count above 0, a null pointer carried, and
    // `readable` refused it) and aligned (checked, or dangling for no elements), its bytes fit
    // in the address space and in an `isize` (checked), and the caller's contract makes them
    // `count` valid `T`s for `'a` (none at all for a count of 0).
    unsafe { core::slice::from_raw_parts(base, count as usize) }
}

/// The cases [`slice`] does not read, for an array at `address` of `count` elements aligned to
/// `align`: `true` (read as empty, no warning) for a count of 0, else the warning for a null,
/// misaligned or impossibly large array, and `false`.
#[cold]
#[inline(never)]
fn refused_slice(address: usize, count: u32, align: usize, what: &str) -> bool {
    if count == 0 {
        return true;
    }
    let (refusal, value) = if address == 0 {
        (Refusal::NullWithCount, count as usize)
    } else if address % align != 0 {
        (Refusal::Misaligned, address)
    } else {
        // Non-null and aligned: the bytes overflowed `usize`, passed `isize::MAX`, or ran
        // past the end of the address space.
        (Refusal::TooLarge, count as usize)
    };
    refuse(what, refusal, value, align);
    false
}

/// The `T` at `ptr`; `None` for null (silently: there is no count to contradict it) or, with a
/// warning, for a misaligned pointer.
///
/// # Safety
/// As [`slice`]: a non-null `ptr` points to a whole, valid `T`.
#[inline]
pub(super) unsafe fn reference<'a, T>(ptr: *const T, what: &str) -> Option<&'a T> {
    if ptr.is_null() {
        return None;
    }
    if !ptr.is_aligned() {
        refuse_misaligned(what, ptr);
        return None;
    }
    // SAFETY: non-null and aligned (checked); valid for `'a` (the caller's contract).
    Some(unsafe { &*ptr })
}

/// Whether `ptr` may start a string (`MapiStr` reads it lazily): `false` for null (silently:
/// there is no count to contradict it) and, with a warning, for a pointer misaligned for `U`.
/// Reads nothing.
#[inline]
pub(super) fn aligned<U>(ptr: *const U, what: &str) -> bool {
    if ptr.is_null() {
        return false;
    }
    if !ptr.is_aligned() {
        refuse_misaligned(what, ptr);
        return false;
    }
    true
}

/// The tags of the `SPropTagArray` at `ptr` (its `cValues`, then that many `ULONG`s); `None`
/// for null.
///
/// # Safety
/// As [`slice`]: a non-null `ptr` covers `cValues` and then `cValues` tags.
#[inline]
pub(super) unsafe fn prop_tags<'a>(
    ptr: *const crate::sys::SPropTagArray,
    what: &str,
) -> Option<&'a [u32]> {
    // Only `cValues` is read as a header: an array of no tags may be 4 bytes long, shorter
    // than the struct's declared 8.
    let count = ptr.cast::<u32>();
    if count.is_null() {
        return None;
    }
    if !count.is_aligned() {
        refuse_misaligned(what, count);
        return None;
    }
    // SAFETY: non-null, aligned, and the caller's contract covers `cValues`.
    let count_value = unsafe { count.read() };
    // The tags follow, aligned as `cValues` is; `slice` tests their extent (its bytes
    // computed without overflow on a 32-bit target too, where 4 x `cValues` may not fit).
    // SAFETY: the caller's contract makes them `cValues` valid tags.
    unsafe { slice(count.wrapping_add(1), count_value, what) }
}

/// A string's code unit (`u8`, `u16`) and the bounded scan for its NUL.
pub(super) trait Unit: Copy + Default + PartialEq {
    /// The number of units before the first NUL at `ptr`, or [`MAX_STRING_UNITS`] if none of
    /// the first that many is a NUL; never reads a unit past the NUL or past the bound.
    ///
    /// # Safety
    /// `ptr` is non-null, aligned, and readable up to its NUL or the bound.
    unsafe fn bounded_len(ptr: *const Self) -> usize {
        let nul = Self::default();
        for len in 0..MAX_STRING_UNITS {
            // SAFETY: every unit before the NUL is readable (the caller's contract), and the
            // scan stops at the first NUL.
            if unsafe { ptr.add(len).read() } == nul {
                return len;
            }
        }
        MAX_STRING_UNITS
    }
}

// The C runtime's `strnlen` (and, where `wchar_t` is UTF-16, `wcsnlen`) do the same scan with
// the same bound several times faster than a loop of single reads, which is what reading a
// string in a notification mostly costs. Miri runs the loop instead (it checks every read).
#[cfg(not(miri))]
extern "C" {
    fn strnlen(s: *const core::ffi::c_char, max: usize) -> usize;
}
#[cfg(all(windows, not(miri)))]
extern "C" {
    fn wcsnlen(s: *const u16, max: usize) -> usize;
}

impl Unit for u8 {
    #[cfg(not(miri))]
    unsafe fn bounded_len(ptr: *const u8) -> usize {
        // SAFETY: the caller's promise; `strnlen` reads no further than the NUL or the bound.
        unsafe { strnlen(ptr.cast(), MAX_STRING_UNITS) }
    }
}

impl Unit for u16 {
    #[cfg(all(windows, not(miri)))]
    unsafe fn bounded_len(ptr: *const u16) -> usize {
        // SAFETY: as for `u8`; on Windows `wchar_t` is a UTF-16 unit.
        unsafe { wcsnlen(ptr, MAX_STRING_UNITS) }
    }
}
