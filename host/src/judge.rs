//! The judgments that need more than an HRESULT: what each call into the add-in must leave as it
//! found it on Outlook's main thread, how long the main thread is kept, and what the add-in
//! leaves behind when COM unloads its DLL, which the host then outlives as Outlook must.
//!
//! - [`MainThread`]: the apartment (type and identity, so an add-in that uninitialised COM and
//!   initialised it again is seen) and the floating-point control words (x87 and SSE: an add-in
//!   that unmasks a trap makes Outlook's own `0.0 / 0.0` crash). Read before and after each call;
//!   a change fails the run, naming the call, and is undone so the run can go on.
//! - [`Pump`]: the main thread's message loop, each dispatched message timed and the queue's
//!   depth measured; a message loop the add-in runs inside one of its calls is seen by a probe
//!   message of the host's own, dispatched where it should not be.
//! - [`Module`]: the add-in's DLL in memory; [`left_behind`] finds, before it is unloaded, the
//!   threads still running its code and the windows and window classes whose procedure is in it;
//!   [`outlive`] runs the host on after the unload (messages pumped, timers given time, an
//!   exception raised and caught) with a vectored handler of its own that reports a fault inside
//!   the unloaded DLL's range: a timer, hook or handler the add-in left.

use crate::report::{Report, EXIT_CRASH};
use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::PoisonError;
use std::time::{Duration, Instant};
use windows::core::{implement, HRESULT, HSTRING, PCWSTR};
use windows::Wdk::System::Threading::{NtQueryInformationThread, THREADINFOCLASS};
use windows::Win32::Foundation::{CloseHandle, HMODULE, HWND, LPARAM, LRESULT, WPARAM};
use windows::Win32::System::Com::{
    CoGetApartmentType, CoGetContextToken, CoRegisterInitializeSpy, CoRevokeInitializeSpy,
    IInitializeSpy, IInitializeSpy_Impl, APTTYPE, APTTYPEQUALIFIER,
};
use windows::Win32::System::Diagnostics::Debug::{
    AddVectoredExceptionHandler, RaiseException, RemoveVectoredExceptionHandler, EXCEPTION_POINTERS,
};
use windows::Win32::System::Diagnostics::ToolHelp::{
    CreateToolhelp32Snapshot, Thread32First, Thread32Next, TH32CS_SNAPTHREAD, THREADENTRY32,
};
use windows::Win32::System::LibraryLoader::GetModuleHandleW;
use windows::Win32::System::Threading::{
    GetCurrentProcess, GetCurrentProcessId, GetCurrentThreadId, OpenThread, TerminateProcess,
    THREAD_QUERY_INFORMATION,
};
use windows::Win32::UI::WindowsAndMessaging::{
    CreateWindowExW, DefWindowProcW, DestroyWindow, DispatchMessageW, EnumThreadWindows,
    FindWindowExW, GetClassInfoExW, GetClassNameW, GetWindowLongPtrW, GetWindowThreadProcessId,
    PeekMessageW, PostMessageW, RegisterClassW, TranslateMessage, GCLP_HMODULE, GCLP_WNDPROC,
    GWLP_WNDPROC, HWND_MESSAGE, MSG, PM_QS_POSTMESSAGE, PM_REMOVE, WINDOW_EX_STYLE, WINDOW_STYLE,
    WM_APP, WNDCLASSEXW, WNDCLASSW,
};

#[cfg(target_pointer_width = "64")]
use windows::Win32::UI::WindowsAndMessaging::GetClassLongPtrW as class_long;

/// `GetClassLongPtrW` is `GetClassLongW` on 32-bit Windows (user32 exports no `Ptr` form there).
#[cfg(target_pointer_width = "32")]
unsafe fn class_long(
    window: HWND,
    index: windows::Win32::UI::WindowsAndMessaging::GET_CLASS_LONG_INDEX,
) -> usize {
    // SAFETY: the caller's window and index.
    unsafe { windows::Win32::UI::WindowsAndMessaging::GetClassLongW(window, index) as usize }
}

/// Longer than this on Outlook's main thread, its UI thread, and Outlook stops answering the
/// user: a dispatched message, or a notification MAPI waits on. SPEC 11 says "a few hundred ms
/// is a failure"; this is the host's reading of it.
pub(crate) const RESPONSIVE: Duration = Duration::from_millis(250);

/// Of the 10,000 messages a thread's queue holds (Microsoft's `PostMessage` documentation), the
/// most an add-in may leave queued at once: Outlook's own UI shares the queue.
pub(crate) const QUEUE_SHARE: usize = 1_000;

/// The add-in's DLL in memory: where its code is.
pub(crate) struct Module {
    pub(crate) path: PathBuf,
    handle: HMODULE,
    base: usize,
    size: usize,
}

impl Module {
    /// The loaded DLL at `path`, if it is loaded.
    pub(crate) fn find(path: &Path) -> Option<Module> {
        // SAFETY: a NUL-terminated path; no reference is added.
        let handle = unsafe { GetModuleHandleW(&HSTRING::from(path.as_os_str())) }.ok()?;
        let base = handle.0 as usize;
        // SAFETY: a loaded module starts with its headers: the DOS header's `e_lfanew` at 0x3C,
        // the PE signature and file header (24 bytes), then the optional header, whose
        // `SizeOfImage` is at offset 56 in both PE32 and PE32+.
        let size = unsafe {
            let pe = base + (*((base + 0x3C) as *const u32)) as usize;
            *((pe + 24 + 56) as *const u32) as usize
        };
        Some(Module {
            path: path.to_path_buf(),
            handle,
            base,
            size,
        })
    }

    pub(crate) fn handle(&self) -> HMODULE {
        self.handle
    }

    fn contains(&self, address: usize) -> bool {
        (self.base..self.base + self.size).contains(&address)
    }

    /// Whether the DLL is still loaded (at the same place).
    pub(crate) fn loaded(&self) -> bool {
        // SAFETY: as in `find`.
        unsafe { GetModuleHandleW(&HSTRING::from(self.path.as_os_str())) }
            .is_ok_and(|handle| handle == self.handle)
    }

    pub(crate) fn describe(&self) -> String {
        format!(
            "{} at {:#x}..{:#x}",
            self.path.display(),
            self.base,
            self.base + self.size
        )
    }
}

/// What each call into the add-in must leave as it found it on the main thread.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct MainThread {
    /// `CoGetApartmentType`, or its error.
    apartment: Result<i32, i32>,
    /// `CoGetContextToken`: the apartment's identity (a new apartment is a new context).
    context: usize,
    x87: u16,
    /// Without the six sticky status flags, which any floating-point operation sets.
    mxcsr: u32,
}

impl MainThread {
    pub(crate) fn now() -> MainThread {
        let mut kind = APTTYPE::default();
        let mut qualifier = APTTYPEQUALIFIER::default();
        // SAFETY: two valid out pointers.
        let apartment = unsafe { CoGetApartmentType(&mut kind, &mut qualifier) }
            .map(|()| kind.0)
            .map_err(|error| error.code().0);
        // SAFETY: no arguments.
        let context = unsafe { CoGetContextToken() }.unwrap_or(0);
        let (x87, mxcsr) = fp_control();
        MainThread {
            apartment,
            context,
            x87,
            mxcsr: mxcsr & !0x3F,
        }
    }

    /// Whether COM is initialised on this thread at all.
    pub(crate) fn com_initialised(&self) -> bool {
        self.apartment.is_ok()
    }

    /// Fails the run when `what` changed the main thread from `before`, and puts the
    /// floating-point control words back.
    pub(crate) fn check(report: &mut Report, what: &str, before: &MainThread) {
        // What the initialize spy saw during the call: COM's count on this thread before its
        // first CoInitialize(Ex)/CoUninitialize and after its last, and whether it reached 0.
        // Taken and reset here only: what ran between two checks is judged at the second.
        let (first, last, gone) =
            SPY.with(|spy| (spy.first.take(), spy.last.take(), spy.gone.take()));
        let spied = gone || first != last;
        if gone {
            report.fail(format!(
                "{what} called CoUninitialize on Outlook's main thread until its apartment was \
                 gone (COM's count there went from {} to 0): Outlook's own objects live in that \
                 apartment; a thread calls CoUninitialize only to undo its own successful \
                 CoInitializeEx (CoUninitialize's documentation)",
                first.unwrap_or(0)
            ));
        } else if let (Some(first), Some(last)) = (first, last) {
            if first != last {
                report.fail(format!(
                    "{what} left COM's count on the main thread at {last} (it was {first}): a \
                     CoInitializeEx on Outlook's thread without its CoUninitialize, or the \
                     reverse; each successful CoInitializeEx is paired with one \
                     CoUninitialize, on the same thread (CoInitializeEx's documentation)"
                ));
            }
        }
        let after = MainThread::now();
        if after == *before {
            return;
        }
        if !spied && (after.apartment != before.apartment || after.context != before.context) {
            report.fail(format!(
                "{what} changed the main thread's COM apartment (from {} to {}{}): an add-in \
                 must not CoUninitialize or CoInitializeEx on Outlook's thread, whose \
                 single-threaded apartment holds Outlook's own objects (CoUninitialize's \
                 documentation: a thread pairs each call with its own successful CoInitializeEx)",
                apartment_name(before.apartment),
                apartment_name(after.apartment),
                if after.apartment == before.apartment {
                    ", a new apartment"
                } else {
                    ""
                },
            ));
        }
        if (after.x87, after.mxcsr) != (before.x87, before.mxcsr) {
            report.fail(format!(
                "{what} changed the main thread's floating-point control (x87 {:#06x} -> \
                 {:#06x}, SSE {:#06x} -> {:#06x}): with a trap unmasked Outlook's own arithmetic \
                 crashes; restore the control word (_controlfp) before returning",
                before.x87, after.x87, before.mxcsr, after.mxcsr
            ));
            set_fp_control(before.x87, before.mxcsr);
        }
    }
}

fn apartment_name(apartment: Result<i32, i32>) -> String {
    match apartment {
        Ok(0) => "an STA".into(),
        Ok(1) => "the MTA".into(),
        Ok(2) => "the NA".into(),
        Ok(3) => "the main STA".into(),
        Ok(other) => format!("apartment type {other}"),
        Err(_) => "no COM".into(),
    }
}

#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
fn fp_control() -> (u16, u32) {
    let mut x87: u16 = 0;
    let mut mxcsr: u32 = 0;
    // SAFETY: stores of the control words into locals.
    unsafe {
        core::arch::asm!("fnstcw [{}]", in(reg) &mut x87, options(nostack));
        core::arch::asm!("stmxcsr [{}]", in(reg) &mut mxcsr, options(nostack));
    }
    (x87, mxcsr)
}

#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
fn set_fp_control(x87: u16, mxcsr: u32) {
    // SAFETY: loads of control words read before from this thread.
    unsafe {
        core::arch::asm!("fldcw [{}]", in(reg) &x87, options(nostack));
        core::arch::asm!("ldmxcsr [{}]", in(reg) &mxcsr, options(nostack));
    }
}

#[cfg(not(any(target_arch = "x86", target_arch = "x86_64")))]
fn fp_control() -> (u16, u32) {
    (0, 0)
}

#[cfg(not(any(target_arch = "x86", target_arch = "x86_64")))]
fn set_fp_control(_: u16, _: u32) {}

/// What the initialize spy saw since the last [`MainThread::check`].
struct SpyState {
    first: Cell<Option<u32>>,
    last: Cell<Option<u32>>,
    gone: Cell<bool>,
}

thread_local! {
    static SPY: SpyState = const {
        SpyState {
            first: Cell::new(None),
            last: Cell::new(None),
            gone: Cell::new(false),
        }
    };
}

/// `IInitializeSpy`, registered on the main thread: COM tells it of every `CoInitialize(Ex)` and
/// `CoUninitialize` there, with the thread's count before and after.
#[implement(IInitializeSpy, Agile = false)]
struct Spy;

impl IInitializeSpy_Impl for Spy_Impl {
    fn PreInitialize(&self, _: u32, current: u32) -> windows::core::Result<()> {
        SPY.with(|spy| spy.first.set(spy.first.get().or(Some(current))));
        Ok(())
    }

    fn PostInitialize(&self, result: HRESULT, _: u32, new: u32) -> windows::core::Result<()> {
        SPY.with(|spy| spy.last.set(Some(new)));
        // What CoInitializeEx returns to its caller: its own result, S_FALSE included.
        if result == HRESULT(0) {
            Ok(())
        } else {
            Err(windows::core::Error::from_hresult(result))
        }
    }

    fn PreUninitialize(&self, current: u32) -> windows::core::Result<()> {
        SPY.with(|spy| spy.first.set(spy.first.get().or(Some(current))));
        Ok(())
    }

    fn PostUninitialize(&self, new: u32) -> windows::core::Result<()> {
        SPY.with(|spy| {
            spy.last.set(Some(new));
            if new == 0 {
                spy.gone.set(true);
            }
        });
        Ok(())
    }
}

/// The host's probe message, posted to its own window before each call into the add-in: if it
/// is dispatched during the call, the add-in ran a message loop there.
const WM_PROBE: u32 = WM_APP + 0x0517;

thread_local! {
    /// The call into the add-in under way, for the probe's window procedure.
    static IN_CALL: RefCell<Option<String>> = const { RefCell::new(None) };
    /// The calls in which the probe was dispatched.
    static NESTED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// The main thread's message loop, and the host's probe window.
pub(crate) struct Pump {
    probe: HWND,
    /// The initialize spy's registration.
    spy: Option<u64>,
    /// Window classes of the add-in's DLL seen on a window, for the check after release.
    pub(crate) classes: RefCell<Vec<(String, HMODULE)>>,
}

/// What one turn of the message loop did.
pub(crate) struct Turn {
    pub(crate) count: usize,
    /// The slowest message's time and description.
    pub(crate) slowest: Option<(Duration, String)>,
    /// The most messages the queue held at once.
    pub(crate) deepest: usize,
    /// The turn stopped at its limit with messages still coming: the add-in keeps the queue
    /// full.
    pub(crate) endless: bool,
}

impl Pump {
    pub(crate) fn new() -> Pump {
        let class: Vec<u16> = "outlook-sim probe".encode_utf16().chain([0]).collect();
        // SAFETY: a complete class whose name outlives the call; this program's module.
        let probe = unsafe {
            let instance = GetModuleHandleW(None).unwrap_or_default();
            RegisterClassW(&WNDCLASSW {
                lpfnWndProc: Some(probe_procedure),
                hInstance: instance.into(),
                lpszClassName: PCWSTR(class.as_ptr()),
                ..Default::default()
            });
            CreateWindowExW(
                WINDOW_EX_STYLE(0),
                PCWSTR(class.as_ptr()),
                PCWSTR::null(),
                WINDOW_STYLE(0),
                0,
                0,
                0,
                0,
                Some(HWND_MESSAGE),
                None,
                Some(instance.into()),
                None,
            )
        }
        .unwrap_or_default();
        // SAFETY: a spy object of ours, revoked in Drop, on this thread.
        let spy = unsafe { CoRegisterInitializeSpy(&IInitializeSpy::from(Spy)) }.ok();
        Pump {
            probe,
            spy,
            classes: RefCell::new(Vec::new()),
        }
    }

    /// Whether the probe window exists (without it a message loop inside a call is not seen)
    /// and the initialize spy is registered (without it COM's count on the main thread is
    /// judged only at the end).
    pub(crate) fn probing(&self) -> bool {
        !self.probe.0.is_null() && self.spy.is_some()
    }

    /// Runs `call` (a call into the add-in named `what`) with the probe posted: afterwards, the
    /// name of the call when the add-in ran a message loop in it.
    pub(crate) fn probed<R>(&self, what: &str, call: impl FnOnce() -> R) -> (R, bool) {
        IN_CALL.with(|in_call| *in_call.borrow_mut() = Some(what.to_owned()));
        // SAFETY: our own window, on this thread.
        let _ = unsafe { PostMessageW(Some(self.probe), WM_PROBE, WPARAM(0), LPARAM(0)) };
        let result = call();
        IN_CALL.with(|in_call| *in_call.borrow_mut() = None);
        let mut message = MSG::default();
        // SAFETY: takes back the probe if it is still queued.
        while unsafe {
            PeekMessageW(
                &mut message,
                Some(self.probe),
                WM_PROBE,
                WM_PROBE,
                PM_REMOVE,
            )
        }
        .as_bool()
        {}
        let nested = NESTED.with(|nested| nested.borrow_mut().drain(..).count() > 0);
        (result, nested)
    }

    /// One turn of the message loop: every message due dispatched, each timed. The queue's
    /// depth is that of its posted messages (timers included), taken before each batch; other
    /// messages (input, paint) come one at a time, as `GetMessage` gives them, and the messages
    /// other threads send, which `PeekMessage` itself hands to their window procedures, are
    /// timed with it. At most 100,000 messages per turn: past that the turn says so.
    pub(crate) fn turn(&self, module: Option<&Module>) -> Turn {
        const LIMIT: usize = 100_000;
        let mut count = 0;
        let mut deepest = 0;
        let mut slowest: Option<(Duration, String)> = None;
        while count < LIMIT {
            let mut batch = Vec::new();
            let mut message = MSG::default();
            // SAFETY: a valid MSG; this thread's posted messages.
            while count + batch.len() < LIMIT
                && unsafe { PeekMessageW(&mut message, None, 0, 0, PM_REMOVE | PM_QS_POSTMESSAGE) }
                    .as_bool()
            {
                batch.push(message);
            }
            deepest = deepest.max(batch.len());
            if batch.is_empty() {
                let started = Instant::now();
                // SAFETY: as above, any message due; sent messages are handled inside it.
                let found = unsafe { PeekMessageW(&mut message, None, 0, 0, PM_REMOVE) }.as_bool();
                let took = started.elapsed();
                if slowest.as_ref().is_none_or(|(longest, _)| took > *longest) {
                    slowest = Some((took, "message(s) sent from another thread".into()));
                }
                if found {
                    batch.push(message);
                }
            }
            if batch.is_empty() {
                break;
            }
            for message in batch {
                let started = Instant::now();
                // SAFETY: a message just taken from this thread's queue.
                unsafe {
                    let _ = TranslateMessage(&message);
                    DispatchMessageW(&message);
                }
                let took = started.elapsed();
                count += 1;
                if slowest.as_ref().is_none_or(|(longest, _)| took > *longest) {
                    slowest = Some((took, describe(&message)));
                }
            }
        }
        if let Some(module) = module {
            self.note_classes(module);
        }
        Turn {
            endless: count >= LIMIT,
            count,
            slowest,
            deepest,
        }
    }

    /// Notes the window classes of the DLL's windows on this thread, message-only ones too:
    /// registered with its module, or with a procedure in it.
    pub(crate) fn note_classes(&self, module: &Module) {
        for window in windows_of_this_thread() {
            // SAFETY: a window of this thread.
            let (owner, procedure) = unsafe {
                (
                    class_long(window, GCLP_HMODULE),
                    class_long(window, GCLP_WNDPROC),
                )
            };
            if owner != module.base && !module.contains(procedure) {
                continue;
            }
            let name = class_name(window);
            let mut classes = self.classes.borrow_mut();
            if !classes
                .iter()
                .any(|(known, handle)| *known == name && *handle == module.handle)
            {
                classes.push((name, module.handle));
            }
        }
    }
}

impl Drop for Pump {
    fn drop(&mut self) {
        if let Some(cookie) = self.spy {
            // SAFETY: the cookie CoRegisterInitializeSpy gave, on its thread.
            let _ = unsafe { CoRevokeInitializeSpy(cookie) };
        }
        // SAFETY: our own window, on its thread.
        let _ = unsafe { DestroyWindow(self.probe) };
    }
}

extern "system" fn probe_procedure(window: HWND, message: u32, w: WPARAM, l: LPARAM) -> LRESULT {
    if message == WM_PROBE {
        if let Some(call) = IN_CALL.with(|in_call| in_call.borrow().clone()) {
            NESTED.with(|nested| nested.borrow_mut().push(call));
        }
        return LRESULT(0);
    }
    // SAFETY: the arguments this procedure was given.
    unsafe { DefWindowProcW(window, message, w, l) }
}

fn describe(message: &MSG) -> String {
    if message.hwnd.0.is_null() {
        format!("thread message {:#06x}", message.message)
    } else {
        format!(
            "message {:#06x} to a window of class {:?}",
            message.message,
            class_name(message.hwnd)
        )
    }
}

fn class_name(window: HWND) -> String {
    let mut name = [0u16; 256];
    // SAFETY: a buffer of that length.
    let len = unsafe { GetClassNameW(window, &mut name) };
    String::from_utf16_lossy(&name[..len.max(0) as usize])
}

/// This thread's windows: top-level ones, and message-only ones (which `EnumThreadWindows` does
/// not list).
fn windows_of_this_thread() -> Vec<HWND> {
    extern "system" fn collect(window: HWND, found: LPARAM) -> windows::core::BOOL {
        // SAFETY: `found` is the Vec below, alive for the enumeration.
        unsafe { (*(found.0 as *mut Vec<HWND>)).push(window) };
        true.into()
    }
    let mut found: Vec<HWND> = Vec::new();
    // SAFETY: the callback above, with a pointer to `found` for the call's duration.
    unsafe {
        let _ = EnumThreadWindows(
            GetCurrentThreadId(),
            Some(collect),
            LPARAM(&mut found as *mut Vec<HWND> as isize),
        );
    }
    let mut after: Option<HWND> = None;
    // SAFETY: message-only windows, one after another; no names.
    while let Ok(window) =
        unsafe { FindWindowExW(Some(HWND_MESSAGE), after, PCWSTR::null(), PCWSTR::null()) }
    {
        after = Some(window);
        let mut process = 0;
        // SAFETY: a window handle just found, and an out pointer.
        let thread = unsafe { GetWindowThreadProcessId(window, Some(&mut process)) };
        // SAFETY: no arguments.
        if thread == unsafe { GetCurrentThreadId() } {
            found.push(window);
        }
    }
    found
}

/// What the add-in left in the process that runs its code, found before its DLL goes: each a
/// failure naming what it is.
pub(crate) fn left_behind(report: &mut Report, module: &Module, pump: &Pump) -> bool {
    let mut clean = true;
    // A thread that let go of its last lock may still be returning through the DLL's code:
    // given 200 ms to end.
    let asked = Instant::now();
    let mut threads = threads_in(module);
    while threads.as_ref().is_some_and(|threads| !threads.is_empty())
        && asked.elapsed() < Duration::from_millis(200)
    {
        std::thread::sleep(Duration::from_millis(10));
        threads = threads_in(module);
    }
    match threads {
        None => {
            clean = false;
            report.fail(
                "the process's threads could not be listed (CreateToolhelp32Snapshot): whether \
                 the add-in left one running cannot be judged"
                    .into(),
            );
        }
        Some(threads) if !threads.is_empty() => {
            clean = false;
            report.fail(format!(
                "{} thread(s) the add-in started still run its code after its release (thread \
                 id(s) {threads:?}): once COM unloads the DLL they crash Outlook; stop them \
                 before the add-in object's release returns (or have each hold an \
                 addin::ModuleLock until its last act: COM waits to unload until then)",
                threads.len()
            ));
        }
        Some(_) => {}
    }
    for window in windows_of_this_thread() {
        // SAFETY: a window of this thread.
        let procedure = unsafe { GetWindowLongPtrW(window, GWLP_WNDPROC) } as usize;
        // SAFETY: as above.
        let owner = unsafe { class_long(window, GCLP_HMODULE) };
        if module.contains(procedure) || owner == module.base {
            clean = false;
            report.fail(format!(
                "a window of class {:?} whose procedure is in the add-in's DLL is still open \
                 after the add-in was released: the next message to it after COM unloads the \
                 DLL crashes Outlook; destroy it when the add-in object is released",
                class_name(window)
            ));
        }
    }
    for (name, instance) in pump.classes.borrow().iter() {
        let wide: Vec<u16> = name.encode_utf16().chain([0]).collect();
        let mut class = WNDCLASSEXW {
            cbSize: core::mem::size_of::<WNDCLASSEXW>() as u32,
            ..Default::default()
        };
        // SAFETY: a NUL-terminated name and a sized out structure.
        if unsafe { GetClassInfoExW(Some((*instance).into()), PCWSTR(wide.as_ptr()), &mut class) }
            .is_ok()
        {
            clean = false;
            report.fail(format!(
                "the window class {name:?} the add-in registered is still registered after it \
                 was released: a class is not unregistered when its DLL unloads, and one whose \
                 procedure is gone crashes the next window made of it; UnregisterClass it"
            ));
        }
    }
    if clean {
        report.line("check ok:   no thread, window or window class of the add-in's DLL is left");
    }
    clean
}

/// The threads of this process whose start address is in the DLL; `None` when they cannot be
/// listed.
fn threads_in(module: &Module) -> Option<Vec<u32>> {
    let mut found = Vec::new();
    // SAFETY: no preconditions.
    let snapshot = unsafe { CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0) }.ok()?;
    let mut entry = THREADENTRY32 {
        dwSize: core::mem::size_of::<THREADENTRY32>() as u32,
        ..Default::default()
    };
    // SAFETY: a snapshot handle and a sized entry.
    let mut more = unsafe { Thread32First(snapshot, &mut entry) }.is_ok();
    // SAFETY: no arguments.
    let process = unsafe { GetCurrentProcessId() };
    while more {
        if entry.th32OwnerProcessID == process {
            // SAFETY: a thread id from the snapshot; the handle is closed below.
            if let Ok(thread) =
                unsafe { OpenThread(THREAD_QUERY_INFORMATION, false, entry.th32ThreadID) }
            {
                let mut start: usize = 0;
                // SAFETY: ThreadQuerySetWin32StartAddress (9) writes one pointer.
                let status = unsafe {
                    NtQueryInformationThread(
                        thread,
                        THREADINFOCLASS(9),
                        (&mut start as *mut usize).cast(),
                        core::mem::size_of::<usize>() as u32,
                        core::ptr::null_mut(),
                    )
                };
                // SAFETY: opened above.
                let _ = unsafe { CloseHandle(thread) };
                if status.is_ok() && module.contains(start) {
                    found.push(entry.th32ThreadID);
                }
            }
        }
        // SAFETY: as above.
        more = unsafe { Thread32Next(snapshot, &mut entry) }.is_ok();
    }
    // SAFETY: made above.
    let _ = unsafe { CloseHandle(snapshot) };
    Some(found)
}

/// The unloaded DLL's range, for the vectored handlers.
static UNLOADED: std::sync::Mutex<Option<(usize, usize, String)>> = std::sync::Mutex::new(None);
/// The exception the host raises and catches after the unload.
const HOST_EXCEPTION: u32 = 0xE0_5E_55_01;
/// Set while the host raises its exception: a fault in the unloaded DLL then is a handler the
/// add-in left, called for it, and the process cannot go on.
static RAISING: AtomicBool = AtomicBool::new(false);
/// The first fault inside the unloaded DLL, and whether it was printed.
static FAULT: AtomicUsize = AtomicUsize::new(0);

const CONTINUE_EXECUTION: i32 = -1;
const CONTINUE_SEARCH: i32 = 0;

/// After the DLL's unload, what Outlook does next: messages pumped (timers given time to fire)
/// and an exception raised and caught, with a vectored handler first in line that reports a
/// fault inside the unloaded DLL and one last in line that catches the host's exception, so that
/// a handler the add-in left is called between them. A leftover that runs the add-in's code is
/// reported; one that would take the process down with it (a handler) ends the run at once.
pub(crate) fn outlive(report: &mut Report, module: &Module, pump: &Pump) {
    *UNLOADED.lock().unwrap_or_else(PoisonError::into_inner) = Some((
        module.base,
        module.base + module.size,
        module.path.display().to_string(),
    ));
    FAULT.store(0, Ordering::SeqCst);
    // SAFETY: handlers that only read the record they are given; removed below.
    let (first, last) = unsafe {
        (
            AddVectoredExceptionHandler(1, Some(observe)),
            AddVectoredExceptionHandler(0, Some(catch_host)),
        )
    };
    report.line(
        "after the unload: pumping the main thread's messages for 1.1 s (a timer of a second \
         fires), as Outlook goes on",
    );
    let until = Instant::now() + Duration::from_millis(1100);
    while Instant::now() < until {
        // SAFETY: our own window; a message wakes any hook on this thread.
        let _ = unsafe { PostMessageW(Some(pump.probe), WM_APP, WPARAM(0), LPARAM(0)) };
        pump.turn(None);
        std::thread::sleep(Duration::from_millis(10));
    }
    report.line(
        "after the unload: a thread started and joined, as Outlook's own threads come and go",
    );
    let _ = std::thread::spawn(|| ()).join();
    report.line("after the unload: raising and catching an exception, as Outlook's code may");
    RAISING.store(true, Ordering::SeqCst);
    // SAFETY: `catch_host` continues execution for this code.
    unsafe { RaiseException(HOST_EXCEPTION, 0, None) };
    RAISING.store(false, Ordering::SeqCst);
    for handler in [first, last] {
        if !handler.is_null() {
            // SAFETY: a handle AddVectoredExceptionHandler gave.
            unsafe { RemoveVectoredExceptionHandler(handler) };
        }
    }
    match FAULT.load(Ordering::SeqCst) {
        0 => report.line(
            "check ok:   the host lived on after the unload (messages, timers, an exception): \
             nothing of the add-in ran",
        ),
        address => report.fail(format!(
            "after the DLL was unloaded, the host faulted at {address:#x}, inside the add-in's \
             DLL: a timer, message hook or window it left ran its code (Outlook would crash, or \
             lose the message)"
        )),
    }
    *UNLOADED.lock().unwrap_or_else(PoisonError::into_inner) = None;
}

/// First in line: a fault inside the unloaded DLL is printed (once) and noted; inside the host's
/// own raise it is a vectored handler the add-in left, which faults again for every exception,
/// so the process is ended there, as it would end Outlook.
unsafe extern "system" fn observe(pointers: *mut EXCEPTION_POINTERS) -> i32 {
    // SAFETY: the system passes a valid record.
    let record = unsafe { &*(*pointers).ExceptionRecord };
    let code = record.ExceptionCode.0 as u32;
    const ACCESS_VIOLATION: u32 = 0xC000_0005;
    const ILLEGAL_INSTRUCTION: u32 = 0xC000_001D;
    const PRIVILEGED_INSTRUCTION: u32 = 0xC000_0096;
    if ![
        ACCESS_VIOLATION,
        ILLEGAL_INSTRUCTION,
        PRIVILEGED_INSTRUCTION,
    ]
    .contains(&code)
    {
        return CONTINUE_SEARCH;
    }
    // Code run inside the DLL's old range: the faulting instruction there, or an access
    // violation executing (parameter 0 is 8) an address there.
    let address = record.ExceptionAddress as usize;
    let faulting = if code == ACCESS_VIOLATION
        && record.NumberParameters >= 2
        && record.ExceptionInformation[0] == 8
    {
        record.ExceptionInformation[1]
    } else {
        0
    };
    let unloaded = UNLOADED.try_lock().ok().and_then(|range| range.clone());
    let Some((start, end, path)) = unloaded else {
        return CONTINUE_SEARCH;
    };
    let inside = |at: usize| (start..end).contains(&at);
    if !inside(address) && !inside(faulting) {
        return CONTINUE_SEARCH;
    }
    let at = if inside(address) { address } else { faulting };
    let raising = RAISING.load(Ordering::SeqCst);
    if FAULT.swap(at, Ordering::SeqCst) == 0 || raising {
        use std::io::Write;
        let what = if raising {
            "a vectored exception handler it left was called for the host's exception: every \
             exception in Outlook would now fault; the run ends here"
        } else {
            "something it left (a timer, message hook or window) ran its code"
        };
        let _ = writeln!(
            std::io::stdout(),
            "FAIL: after the add-in's DLL was unloaded, a fault at {at:#x}, inside the unloaded \
             {path}: {what}"
        );
        let _ = std::io::stdout().flush();
    }
    if raising {
        // SAFETY: ends this process, whose exception dispatch is broken.
        unsafe {
            let _ = TerminateProcess(GetCurrentProcess(), EXIT_CRASH as u32);
        }
    }
    CONTINUE_SEARCH
}

/// Last in line: catches the host's own exception.
unsafe extern "system" fn catch_host(pointers: *mut EXCEPTION_POINTERS) -> i32 {
    // SAFETY: the system passes a valid record.
    let record = unsafe { &*(*pointers).ExceptionRecord };
    if record.ExceptionCode.0 as u32 == HOST_EXCEPTION {
        CONTINUE_EXECUTION
    } else {
        CONTINUE_SEARCH
    }
}
