//! [`Guarded`]: bytes placed so that they end exactly where readable memory ends: the byte
//! after the last one is in a page that cannot be read (Linux, macOS, Windows), so a read past
//! them kills the test process; under Miri, in a block of exactly their size, so Miri reports
//! a read past them. For tests that a reader stops where it must.

use core::ffi::c_void;

/// A stretch of memory whose readable part ends with the bytes given.
pub struct Guarded {
    /// The mapping (or, under Miri, the block).
    base: *mut u8,
    /// Where the bytes start.
    start: *mut u8,
    /// Under Miri, the block's layout.
    #[cfg(miri)]
    layout: std::alloc::Layout,
}

/// The readable part and the guard after it, each this long: a multiple of every page size in
/// use (4, 16 or 64 KiB), so both halves are whole pages.
#[cfg(not(miri))]
const HALF: usize = 64 * 1024;

impl Guarded {
    /// `bytes` (at most 64 KiB), ending where readable memory ends, at an address aligned to
    /// `align` (the end of the mapping is aligned to any power of two up to a page, so the
    /// length must be a multiple of `align`).
    pub fn new(bytes: &[u8], align: usize) -> Guarded {
        assert!(
            bytes.len() % align == 0,
            "{} bytes cannot end aligned to {align}",
            bytes.len()
        );
        #[cfg(miri)]
        {
            let layout = std::alloc::Layout::from_size_align(bytes.len().max(1), align).unwrap();
            // SAFETY: a non-zero size.
            let base = unsafe { std::alloc::alloc(layout) };
            // SAFETY: a fresh block of `bytes.len()` bytes.
            unsafe { core::ptr::copy_nonoverlapping(bytes.as_ptr(), base, bytes.len()) };
            Guarded {
                base,
                start: base,
                layout,
            }
        }
        #[cfg(not(miri))]
        {
            assert!(bytes.len() <= HALF);
            let base = os::map(2 * HALF);
            // SAFETY: the second half is inside the mapping, page-aligned and whole pages.
            unsafe { os::forbid(base.add(HALF), HALF) };
            // SAFETY: the bytes end at `HALF`, inside the readable first half.
            let start = unsafe { base.add(HALF - bytes.len()) };
            // SAFETY: `bytes.len()` writable bytes at `start`.
            unsafe { core::ptr::copy_nonoverlapping(bytes.as_ptr(), start, bytes.len()) };
            Guarded { base, start }
        }
    }

    /// UTF-16 units, ending where readable memory ends.
    pub fn units(units: &[u16]) -> Guarded {
        let bytes: Vec<u8> = units.iter().flat_map(|unit| unit.to_ne_bytes()).collect();
        Guarded::new(&bytes, 2)
    }

    /// The first byte.
    pub fn ptr(&self) -> *mut c_void {
        self.start.cast()
    }
}

impl Drop for Guarded {
    fn drop(&mut self) {
        #[cfg(miri)]
        // SAFETY: the block `new` allocated, with its layout, freed once.
        unsafe {
            std::alloc::dealloc(self.base, self.layout)
        };
        #[cfg(not(miri))]
        // SAFETY: the mapping `map` made, unmapped once.
        unsafe {
            os::unmap(self.base, 2 * HALF)
        };
    }
}

#[cfg(all(unix, not(miri)))]
mod os {
    use core::ffi::c_void;

    const PROT_NONE: i32 = 0;
    const PROT_READ: i32 = 1;
    const PROT_WRITE: i32 = 2;
    const MAP_PRIVATE: i32 = 2;
    #[cfg(target_os = "linux")]
    const MAP_ANONYMOUS: i32 = 0x20;
    #[cfg(not(target_os = "linux"))]
    const MAP_ANONYMOUS: i32 = 0x1000;

    extern "C" {
        fn mmap(
            addr: *mut c_void,
            len: usize,
            prot: i32,
            flags: i32,
            fd: i32,
            off: i64,
        ) -> *mut c_void;
        fn mprotect(addr: *mut c_void, len: usize, prot: i32) -> i32;
        fn munmap(addr: *mut c_void, len: usize) -> i32;
    }

    pub fn map(len: usize) -> *mut u8 {
        // SAFETY: a new anonymous private mapping; no address given.
        let base = unsafe {
            mmap(
                core::ptr::null_mut(),
                len,
                PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        assert!(base as isize != -1, "mmap failed");
        base.cast()
    }

    /// # Safety
    /// `addr..addr + len` is whole pages of a mapping of ours.
    pub unsafe fn forbid(addr: *mut u8, len: usize) {
        // SAFETY: the caller's promise.
        assert_eq!(
            unsafe { mprotect(addr.cast(), len, PROT_NONE) },
            0,
            "mprotect failed"
        );
    }

    /// # Safety
    /// A mapping `map` made, with its length.
    pub unsafe fn unmap(addr: *mut u8, len: usize) {
        // SAFETY: the caller's promise.
        unsafe { munmap(addr.cast(), len) };
    }
}

#[cfg(all(windows, not(miri)))]
mod os {
    use core::ffi::c_void;

    const MEM_COMMIT: u32 = 0x1000;
    const MEM_RESERVE: u32 = 0x2000;
    const MEM_RELEASE: u32 = 0x8000;
    const PAGE_NOACCESS: u32 = 0x01;
    const PAGE_READWRITE: u32 = 0x04;

    #[link(name = "kernel32")]
    extern "system" {
        fn VirtualAlloc(addr: *mut c_void, size: usize, kind: u32, protect: u32) -> *mut c_void;
        fn VirtualProtect(addr: *mut c_void, size: usize, protect: u32, old: *mut u32) -> i32;
        fn VirtualFree(addr: *mut c_void, size: usize, kind: u32) -> i32;
    }

    pub fn map(len: usize) -> *mut u8 {
        // SAFETY: a new committed region; no address given.
        let base = unsafe {
            VirtualAlloc(
                core::ptr::null_mut(),
                len,
                MEM_COMMIT | MEM_RESERVE,
                PAGE_READWRITE,
            )
        };
        assert!(!base.is_null(), "VirtualAlloc failed");
        base.cast()
    }

    /// # Safety
    /// `addr..addr + len` is whole pages of a region of ours.
    pub unsafe fn forbid(addr: *mut u8, len: usize) {
        let mut old = 0;
        // SAFETY: the caller's promise; a writable `old`.
        assert_ne!(
            unsafe { VirtualProtect(addr.cast(), len, PAGE_NOACCESS, &mut old) },
            0
        );
    }

    /// # Safety
    /// A region `map` made.
    pub unsafe fn unmap(addr: *mut u8, _len: usize) {
        // SAFETY: the caller's promise; MEM_RELEASE takes a size of 0.
        unsafe { VirtualFree(addr.cast(), 0, MEM_RELEASE) };
    }
}
