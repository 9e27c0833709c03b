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
//! MAPI's strings (`LPSTR`, `LPWSTR`, `LPTSTR`) carry no length: only a NUL ends them. The scan
//! stops at the first NUL and never goes past [`MAX_STRING_UNITS`] code units; a string with
//! no NUL in that reach is read as absent, with a warning. The bound is far above anything MAPI
//! sends in a notification (message classes are at most 255 characters, tables truncate long
//! string columns to 255), so it changes nothing for a correct caller; for a broken one it
//! turns an unbounded walk through its heap into one bounded, logged refusal. A null string
//! pointer is simply absent (there is no count to contradict it); whether that is worth a
//! warning is up to the field's reader.

use core::mem::size_of;

/// The most code units (bytes for 8-bit strings, `u16`s for UTF-16) a string scan reads
/// looking for the NUL: 1 Mi.
pub const MAX_STRING_UNITS: usize = 1 << 20;

/// `count` elements at `ptr`, or `None` (with a warning) where that cannot be read: see the
/// module documentation. A zero count is an empty slice, whatever the pointer.
///
/// # Safety
/// `ptr` comes from the caller's notification array (module documentation), and `'a` is no
/// longer than the call.
pub(super) unsafe fn slice<'a, T>(ptr: *const T, count: u32, what: &str) -> Option<&'a [T]> {
    if count == 0 {
        return Some(&[]);
    }
    if ptr.is_null() {
        log::warn!(
            "IMAPIAdviseSink::OnNotify: {what} is null with a count of {count}; read as nothing"
        );
        return None;
    }
    if !ptr.is_aligned() {
        log::warn!(
            "IMAPIAdviseSink::OnNotify: {what} ({ptr:p}) is not aligned to {} bytes; read as nothing",
            core::mem::align_of::<T>()
        );
        return None;
    }
    let bytes = (count as usize).checked_mul(size_of::<T>());
    let fits = bytes.is_some_and(|bytes| {
        bytes <= isize::MAX as usize && (ptr as usize).checked_add(bytes).is_some()
    });
    if !fits {
        log::warn!(
            "IMAPIAdviseSink::OnNotify: {what} has a count of {count}, more than memory can hold; read as nothing"
        );
        return None;
    }
    // SAFETY: non-null and aligned (checked), its bytes fit in the address space and in an
    // `isize` (checked), and the caller's contract makes them `count` valid `T`s for `'a`.
    Some(unsafe { core::slice::from_raw_parts(ptr, count as usize) })
}

/// The `T` at `ptr`; `None` for null (silently: there is no count to contradict it) or, with a
/// warning, for a misaligned pointer.
///
/// # Safety
/// As [`slice`]: a non-null `ptr` points to a whole, valid `T`.
pub(super) unsafe fn reference<'a, T>(ptr: *const T, what: &str) -> Option<&'a T> {
    if ptr.is_null() {
        return None;
    }
    if !ptr.is_aligned() {
        log::warn!(
            "IMAPIAdviseSink::OnNotify: {what} ({ptr:p}) is not aligned to {} bytes; read as absent",
            core::mem::align_of::<T>()
        );
        return None;
    }
    // SAFETY: non-null and aligned (checked); valid for `'a` (the caller's contract).
    Some(unsafe { &*ptr })
}

/// A NUL-terminated string of `U` (`u8` or `u16`) at `ptr`, without its NUL: `None` for null,
/// and (with a warning) for a misaligned pointer or no NUL within [`MAX_STRING_UNITS`].
///
/// # Safety
/// As [`slice`]: a non-null `ptr` points to units readable up to and including a NUL, or at
/// least [`MAX_STRING_UNITS`] of them.
pub(super) unsafe fn c_string<'a, U: Copy + Default + PartialEq>(
    ptr: *const U,
    what: &str,
) -> Option<&'a [U]> {
    if ptr.is_null() {
        return None;
    }
    if !ptr.is_aligned() {
        log::warn!("IMAPIAdviseSink::OnNotify: {what} ({ptr:p}) is not aligned; read as absent");
        return None;
    }
    let nul = U::default();
    for len in 0..MAX_STRING_UNITS {
        // SAFETY: every unit before the NUL is readable (the caller's contract), and the loop
        // stops at the first NUL.
        if unsafe { ptr.add(len).read() } == nul {
            // SAFETY: the `len` units before the NUL were just read: readable and valid.
            return Some(unsafe { core::slice::from_raw_parts(ptr, len) });
        }
    }
    log::warn!(
        "IMAPIAdviseSink::OnNotify: {what} has no NUL within {MAX_STRING_UNITS} units; read as absent"
    );
    None
}

/// The tags of the `SPropTagArray` at `ptr` (its `cValues`, then that many `ULONG`s); `None`
/// for null.
///
/// # Safety
/// As [`slice`]: a non-null `ptr` covers `cValues` and then `cValues` tags.
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
        log::warn!("IMAPIAdviseSink::OnNotify: {what} ({ptr:p}) is not aligned; read as absent");
        return None;
    }
    // SAFETY: non-null, aligned, and the caller's contract covers `cValues`.
    let count_value = unsafe { count.read() };
    // SAFETY: the tags follow `cValues` in the same allocation (the caller's contract).
    unsafe { slice(count.wrapping_add(1), count_value, what) }
}
