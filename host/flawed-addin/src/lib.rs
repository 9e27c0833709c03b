//! Outlook add-ins with one deliberate flaw each, for proving that `outlook-sim` catches them.
//! Written the plain windows-rs way (not like `examples/outlook-addin`), so the host is also
//! shown to work with an add-in it was not written alongside.
//!
//! The flaw is chosen by the environment variable `FLAWED_ADDIN`:
//! - `none`: a correct add-in (the host must pass it): it advises a sink at `OnConnection`,
//!   keeps a message-only window of its own on the main thread, and lets go of both when it is
//!   disconnected or released, whichever comes first.
//! - What it leaves: `never-unadvise` (the advise is forgotten, so the stand-in keeps the sink
//!   and the add-in keeps the manager); `leak-sink` (unadvises, but keeps a reference to its
//!   sink forever); `never-unload` (`DllCanUnloadNow` always `S_FALSE`); `thread-left` (a thread
//!   of its own, never stopped); `window-left` (its window and class are never destroyed);
//!   `class-left` (its window is destroyed, its class never unregistered); `timer-left` (a
//!   timer with a procedure, never killed); `hook-left` (a `WH_GETMESSAGE` hook
//!   on the main thread, never removed); `handler-left` (a vectored exception handler, never
//!   removed).
//! - How it connects: `fail-connection` (`OnConnection` returns `E_FAIL`); `slow` (`OnConnection`
//!   takes 1.5 s, over the 1,000 ms Outlook allows a start-up); `exit-in-connection`
//!   (`ExitProcess(0)` in `OnConnection`); `crash-to-exit` (an unhandled-exception filter that
//!   calls `ExitProcess(0)`, then an access violation in `OnStartupComplete`); `panic`
//!   (`OnStartupComplete` panics, which aborts the process); `hang` (`OnStartupComplete` never
//!   returns); `modal-loop` (`OnStartupComplete` pumps messages for 50 ms, as a modal dialog
//!   does); `unload-while-connected` (`DllCanUnloadNow` always `S_OK`).
//! - What it does to Outlook's main thread: `com-reinit` (`CoUninitialize`, then
//!   `CoInitializeEx(MTA)`, in `OnConnection`); `com-reinit-sta` (the same, then an STA: a new
//!   apartment of the same kind); `com-unbalanced` (a `CoInitializeEx` of its own, never undone); `fp-traps` (unmasks the floating-point traps in
//!   `OnConnection`); `block-transition` (each notification posts work to its window that
//!   takes 1.5 s); `block-after-startup` (`OnStartupComplete` posts work that takes 3 s);
//!   `post-per-notification` (one window message per notification, where one per burst does).
//! - How its process ends: `crash-at-exit` and `hang-at-exit` pin the DLL in memory (so it is
//!   still loaded when the process ends) and, in `DllMain` at `DLL_PROCESS_DETACH`, after
//!   `outlook-sim` printed its verdict, end the process with a crash's exit code
//!   (`0xC0000005`), or wait forever.
//! - What it does on MAPI's thread: `slow-notify` (500 ms in each `Notify`); `wrong-thread`
//!   (each `Notify` reads the profile name through the `Application`, Outlook's object model,
//!   from MAPI's thread).
//!
//! Its `IDispatch` is a stub (every call `E_NOTIMPL`), as in many add-ins written against the
//! vtable only: `outlook-sim --via-invoke` fails it for that, whatever `FLAWED_ADDIN` says.
//!
//! Load it by path: `outlook-sim --dll flawed_addin.dll --clsid {CLSID}`, or register it by hand
//! under a ProgID (`scripts/windows/outlook-sim.sh` does, for the registration's flaws).
//! Windows only.
#![allow(non_snake_case)]

#[cfg(windows)]
mod addin {
    use core::ffi::c_void;
    use mapi_notify_sink::{
        mapi_notify_sink, Advise, AdviseOptions, Notification, OfflineManager, Sink,
    };
    use outlook_sim::extensibility::{IDTExtensibility2, IDTExtensibility2_Impl};
    use std::cell::RefCell;
    use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
    use std::time::Duration;
    use windows::core::{implement, w, IUnknown, Interface, Ref, Result, BOOL, GUID, HRESULT};
    use windows::Win32::Foundation::{
        CLASS_E_CLASSNOTAVAILABLE, CLASS_E_NOAGGREGATION, E_FAIL, E_POINTER, HINSTANCE, HWND,
        LPARAM, LRESULT, S_FALSE, S_OK, WPARAM,
    };
    use windows::Win32::System::Com::{
        CoInitializeEx, CoUninitialize, IClassFactory, IClassFactory_Impl, IDispatch,
        COINIT_APARTMENTTHREADED, COINIT_MULTITHREADED, SAFEARRAY,
    };
    use windows::Win32::System::Diagnostics::Debug::{
        AddVectoredExceptionHandler, RaiseException, SetUnhandledExceptionFilter,
        EXCEPTION_POINTERS,
    };
    use windows::Win32::System::LibraryLoader::GetModuleHandleExW;
    use windows::Win32::System::LibraryLoader::{
        GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS, GET_MODULE_HANDLE_EX_FLAG_PIN,
        GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
    };
    use windows::Win32::System::Threading::{
        ExitProcess, GetCurrentProcess, GetCurrentThreadId, TerminateProcess,
    };
    use windows::Win32::UI::WindowsAndMessaging::{
        CallNextHookEx, CreateWindowExW, DefWindowProcW, DestroyWindow, DispatchMessageW,
        PeekMessageW, PostMessageW, RegisterClassW, SetTimer, SetWindowsHookExW, TranslateMessage,
        UnregisterClassW, HHOOK, HWND_MESSAGE, MSG, PM_REMOVE, WH_GETMESSAGE, WINDOW_EX_STYLE,
        WINDOW_STYLE, WM_APP, WNDCLASSW,
    };

    /// `{6f3a0f5e-2b7c-4d51-9a55-0c1f5a7d9e01}`.
    pub const CLSID: GUID = GUID::from_u128(0x6f3a0f5e_2b7c_4d51_9a55_0c1f5a7d9e01);

    /// Live objects of this DLL, for `DllCanUnloadNow`.
    static ALIVE: AtomicUsize = AtomicUsize::new(0);

    struct Alive;
    impl Alive {
        fn new() -> Alive {
            ALIVE.fetch_add(1, Ordering::SeqCst);
            Alive
        }
    }
    impl Drop for Alive {
        fn drop(&mut self) {
            ALIVE.fetch_sub(1, Ordering::SeqCst);
        }
    }

    fn flaw() -> String {
        std::env::var("FLAWED_ADDIN").unwrap_or_else(|_| "none".into())
    }

    /// Work posted to the add-in's window: 1.5 s, 3 s, or nothing.
    const WM_BLOCK_SHORT: u32 = WM_APP + 1;
    const WM_BLOCK_LONG: u32 = WM_APP + 2;
    const WM_NOTHING: u32 = WM_APP + 3;
    const CLASS: windows::core::PCWSTR = w!("FlawedAddIn.Window");

    /// The add-in's main-thread window, as a `usize` a sink on MAPI's thread can post to.
    static WINDOW: AtomicUsize = AtomicUsize::new(0);
    /// The `Application` pointer, for the `wrong-thread` flaw only (used off its thread on
    /// purpose: that is the flaw).
    static APPLICATION: AtomicUsize = AtomicUsize::new(0);
    /// Calls refused with `RPC_E_WRONG_THREAD`, for nothing but to keep the result used.
    static REFUSED: AtomicU32 = AtomicU32::new(0);

    fn module() -> HINSTANCE {
        static ANCHOR: u8 = 0;
        let mut module = Default::default();
        // SAFETY: an address inside this DLL and an out pointer; no reference is added.
        let _ = unsafe {
            GetModuleHandleExW(
                GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS
                    | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                windows::core::PCWSTR(core::ptr::addr_of!(ANCHOR).cast()),
                &mut module,
            )
        };
        module.into()
    }

    extern "system" fn window_procedure(
        window: HWND,
        message: u32,
        w: WPARAM,
        l: LPARAM,
    ) -> LRESULT {
        match message {
            WM_BLOCK_SHORT => std::thread::sleep(Duration::from_millis(1500)),
            WM_BLOCK_LONG => std::thread::sleep(Duration::from_millis(3000)),
            WM_NOTHING => {}
            // SAFETY: the arguments this procedure was given.
            _ => return unsafe { DefWindowProcW(window, message, w, l) },
        }
        LRESULT(0)
    }

    fn open_window() {
        // SAFETY: a complete class whose procedure and name live as long as the DLL, and a
        // message-only window of it on this thread.
        unsafe {
            RegisterClassW(&WNDCLASSW {
                lpfnWndProc: Some(window_procedure),
                hInstance: module(),
                lpszClassName: CLASS,
                ..Default::default()
            });
            if let Ok(window) = CreateWindowExW(
                WINDOW_EX_STYLE(0),
                CLASS,
                None,
                WINDOW_STYLE(0),
                0,
                0,
                0,
                0,
                Some(HWND_MESSAGE),
                None,
                Some(module()),
                None,
            ) {
                WINDOW.store(window.0 as usize, Ordering::SeqCst);
            }
        }
    }

    fn close_window() {
        let window = WINDOW.swap(0, Ordering::SeqCst);
        if window != 0 {
            // SAFETY: our window, on the thread that made it; then its class.
            unsafe {
                let _ = DestroyWindow(HWND(window as *mut c_void));
                if flaw() != "class-left" {
                    let _ = UnregisterClassW(CLASS, Some(module()));
                }
            }
        }
    }

    fn post(message: u32) {
        let window = WINDOW.load(Ordering::SeqCst);
        // SAFETY: a window handle (or null, which fails harmlessly); any thread may post.
        let _ = unsafe {
            PostMessageW(
                Some(HWND(window as *mut c_void)),
                message,
                WPARAM(0),
                LPARAM(0),
            )
        };
    }

    struct Counter(AtomicUsize, Alive);

    #[mapi_notify_sink]
    impl Counter {
        fn notify(&self, _info: &Notification<'_>) {
            self.0.fetch_add(1, Ordering::Relaxed);
            match flaw().as_str() {
                "slow-notify" => std::thread::sleep(Duration::from_millis(500)),
                "block-transition" if self.0.load(Ordering::Relaxed) % 3 == 1 => {
                    post(WM_BLOCK_SHORT)
                }
                "post-per-notification" => post(WM_NOTHING),
                "wrong-thread" => {
                    let raw = APPLICATION.load(Ordering::SeqCst) as *mut c_void;
                    // SAFETY: the add-in holds the Application until it is released, and so
                    // its sinks until then; calling it from this thread is the flaw.
                    if let Some(application) = unsafe { IUnknown::from_raw_borrowed(&raw) } {
                        if mapi_notify_sink::profile_name(application).is_err() {
                            REFUSED.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    #[implement(IDTExtensibility2, IDispatch, Agile = false)]
    struct FlawedAddIn {
        watching: RefCell<Option<(Advise, OfflineManager, Sink<Counter>)>>,
        application: RefCell<Option<IUnknown>>,
        _alive: Alive,
    }

    impl FlawedAddIn {
        /// At disconnection or release, whichever comes first (Outlook's fast shutdown only
        /// releases): lets go of the sink, the window, the `Application`.
        fn let_go(&self) {
            if let Some((advise, manager, sink)) = self.watching.borrow_mut().take() {
                match flaw().as_str() {
                    "never-unadvise" => core::mem::forget(advise),
                    "leak-sink" => core::mem::forget(sink.clone()),
                    _ => {}
                }
                drop(manager);
            }
            if flaw() != "window-left" {
                close_window();
            }
            APPLICATION.store(0, Ordering::SeqCst);
            self.application.borrow_mut().take();
        }
    }

    impl Drop for FlawedAddIn {
        fn drop(&mut self) {
            self.let_go();
        }
    }

    unsafe extern "system" fn hook(code: i32, w: WPARAM, l: LPARAM) -> LRESULT {
        // SAFETY: passing the hook's arguments on.
        unsafe { CallNextHookEx(Some(HHOOK::default()), code, w, l) }
    }

    unsafe extern "system" fn handler(_: *mut EXCEPTION_POINTERS) -> i32 {
        0 // EXCEPTION_CONTINUE_SEARCH
    }

    unsafe extern "system" fn exit_filter(_: *const EXCEPTION_POINTERS) -> i32 {
        // SAFETY: ends the process, as a crash reporter that hides the crash does.
        unsafe { ExitProcess(0) }
    }

    extern "system" fn timer(_: HWND, _: u32, _: usize, _: u32) {}

    impl IDTExtensibility2_Impl for FlawedAddIn_Impl {
        unsafe fn OnConnection(
            &self,
            application: *mut c_void,
            _: i32,
            _: *mut c_void,
            _: *mut *mut SAFEARRAY,
        ) -> HRESULT {
            match flaw().as_str() {
                "fail-connection" => return E_FAIL,
                "slow" => std::thread::sleep(Duration::from_millis(1500)),
                // SAFETY: ends the process: the flaw.
                "exit-in-connection" => unsafe { ExitProcess(0) },
                "com-reinit" => {
                    // SAFETY: the flaw: Outlook's apartment undone and replaced.
                    unsafe {
                        CoUninitialize();
                        let _ = CoInitializeEx(None, COINIT_MULTITHREADED);
                    }
                }
                "com-reinit-sta" => {
                    // SAFETY: the flaw: Outlook's apartment undone and made again.
                    unsafe {
                        CoUninitialize();
                        let _ = CoInitializeEx(None, COINIT_APARTMENTTHREADED);
                    }
                }
                "com-unbalanced" => {
                    // SAFETY: the flaw: a second initialisation (S_FALSE), never undone.
                    let _ = unsafe { CoInitializeEx(None, COINIT_APARTMENTTHREADED) };
                }
                "fp-traps" => unmask_fp_traps(),
                "thread-left" => {
                    std::thread::spawn(|| loop {
                        std::thread::sleep(Duration::from_millis(50));
                    });
                }
                "timer-left" => {
                    // SAFETY: a thread timer with a procedure in this DLL, never killed.
                    unsafe { SetTimer(None, 0, 20, Some(timer)) };
                }
                "hook-left" => {
                    // SAFETY: a hook on this thread, never removed.
                    let _ = unsafe {
                        SetWindowsHookExW(WH_GETMESSAGE, Some(hook), None, GetCurrentThreadId())
                    };
                }
                "handler-left" => {
                    // SAFETY: a handler in this DLL, never removed.
                    unsafe { AddVectoredExceptionHandler(1, Some(handler)) };
                }
                _ => {}
            }
            // SAFETY: a borrowed IDispatch* for the call.
            let Some(application) = (unsafe { IUnknown::from_raw_borrowed(&application) }) else {
                return E_POINTER;
            };
            *self.application.borrow_mut() = Some(application.clone());
            APPLICATION.store(application.as_raw() as usize, Ordering::SeqCst);
            open_window();
            let watching = mapi_notify_sink::profile_name(application).and_then(|profile| {
                let manager = OfflineManager::open(&profile)?;
                let sink = Sink::new(Counter(AtomicUsize::new(0), Alive::new()));
                let advise = manager.advise(&sink, AdviseOptions::default())?;
                Ok((advise, manager, sink))
            });
            match watching {
                Ok(watching) => {
                    *self.watching.borrow_mut() = Some(watching);
                    S_OK
                }
                Err(error) => error.code(),
            }
        }

        unsafe fn OnDisconnection(&self, _: i32, _: *mut *mut SAFEARRAY) -> HRESULT {
            self.let_go();
            S_OK
        }

        unsafe fn OnAddInsUpdate(&self, _: *mut *mut SAFEARRAY) -> HRESULT {
            S_OK
        }

        unsafe fn OnStartupComplete(&self, _: *mut *mut SAFEARRAY) -> HRESULT {
            match flaw().as_str() {
                "panic" => panic!("flawed add-in: a panic in OnStartupComplete"),
                "hang" => loop {
                    std::thread::park();
                },
                "crash-to-exit" => {
                    // SAFETY: the flaw: a crash turned into a clean-looking exit.
                    unsafe {
                        SetUnhandledExceptionFilter(Some(exit_filter));
                        RaiseException(0xC000_0005, 0, None);
                    }
                    S_OK
                }
                "modal-loop" => {
                    let until = std::time::Instant::now() + Duration::from_millis(50);
                    let mut message = MSG::default();
                    while std::time::Instant::now() < until {
                        // SAFETY: this thread's messages, as a modal loop takes them.
                        unsafe {
                            while PeekMessageW(&mut message, None, 0, 0, PM_REMOVE).as_bool() {
                                let _ = TranslateMessage(&message);
                                DispatchMessageW(&message);
                            }
                        }
                        std::thread::sleep(Duration::from_millis(5));
                    }
                    S_OK
                }
                "block-after-startup" => {
                    post(WM_BLOCK_LONG);
                    S_OK
                }
                _ => S_OK,
            }
        }

        unsafe fn OnBeginShutdown(&self, _: *mut *mut SAFEARRAY) -> HRESULT {
            S_OK
        }
    }

    /// Clears the invalid-operation and divide-by-zero masks of both x87 and SSE.
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    fn unmask_fp_traps() {
        let mut x87: u16 = 0;
        let mut mxcsr: u32 = 0;
        // SAFETY: reads and writes of this thread's control words: the flaw.
        unsafe {
            core::arch::asm!("fnstcw [{}]", in(reg) &mut x87, options(nostack));
            core::arch::asm!("stmxcsr [{}]", in(reg) &mut mxcsr, options(nostack));
            x87 &= !0x05;
            mxcsr &= !((1 << 7) | (1 << 9));
            core::arch::asm!("fldcw [{}]", in(reg) &x87, options(nostack));
            core::arch::asm!("ldmxcsr [{}]", in(reg) &mxcsr, options(nostack));
        }
    }

    #[cfg(not(any(target_arch = "x86", target_arch = "x86_64")))]
    fn unmask_fp_traps() {}

    // Only the vtable: its IDispatch answers no names, which a host calling through
    // `Invoke`, as Office may, notices.
    outlook_sim::nameless_dispatch!(FlawedAddIn_Impl);

    #[implement(IClassFactory)]
    struct Factory(Alive);

    impl IClassFactory_Impl for Factory_Impl {
        fn CreateInstance(
            &self,
            outer: Ref<IUnknown>,
            iid: *const GUID,
            out: *mut *mut c_void,
        ) -> Result<()> {
            if outer.is_some() {
                return Err(CLASS_E_NOAGGREGATION.into());
            }
            let addin: IUnknown = FlawedAddIn {
                watching: RefCell::new(None),
                application: RefCell::new(None),
                _alive: Alive::new(),
            }
            .into();
            // SAFETY: COM's contract for `iid` and `out`.
            unsafe { addin.query(iid, out).ok() }
        }

        fn LockServer(&self, _: BOOL) -> Result<()> {
            Ok(())
        }
    }

    /// # Safety
    /// COM's contract.
    #[no_mangle]
    pub unsafe extern "system" fn DllGetClassObject(
        clsid: *const GUID,
        iid: *const GUID,
        out: *mut *mut c_void,
    ) -> HRESULT {
        // SAFETY: COM's contract.
        if unsafe { *clsid } != CLSID {
            return CLASS_E_CLASSNOTAVAILABLE;
        }
        let factory: IUnknown = Factory(Alive::new()).into();
        // SAFETY: COM's contract.
        unsafe { factory.query(iid, out) }
    }

    /// The DLL's entry point (mingw's start-up code calls it): for the `*-at-exit` flaws, the
    /// DLL pins itself when loaded and misbehaves when the process ends (`reserved` non-null).
    #[no_mangle]
    pub extern "system" fn DllMain(_: HINSTANCE, reason: u32, reserved: *mut c_void) -> BOOL {
        const DLL_PROCESS_ATTACH: u32 = 1;
        const DLL_PROCESS_DETACH: u32 = 0;
        let flaw = flaw();
        if !flaw.ends_with("-at-exit") {
            return true.into();
        }
        if reason == DLL_PROCESS_ATTACH {
            let mut pinned = Default::default();
            // SAFETY: an address in this DLL and an out pointer: the DLL stays loaded until
            // the process ends, whatever FreeLibrary is called.
            let _ = unsafe {
                GetModuleHandleExW(
                    GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_PIN,
                    windows::core::PCWSTR(DllMain as *const c_void as *const u16),
                    &mut pinned,
                )
            };
        } else if reason == DLL_PROCESS_DETACH && !reserved.is_null() {
            if flaw == "crash-at-exit" {
                // The flaw: the process ends as a crash does. (An exception raised here would
                // not do: the loader catches exceptions in DllMain.)
                // SAFETY: ends this process.
                unsafe {
                    let _ = TerminateProcess(GetCurrentProcess(), 0xC000_0005);
                }
            } else {
                loop {
                    std::thread::sleep(Duration::from_secs(1));
                }
            }
        }
        true.into()
    }

    #[no_mangle]
    pub extern "system" fn DllCanUnloadNow() -> HRESULT {
        match flaw().as_str() {
            "never-unload" => S_FALSE,
            "unload-while-connected" => S_OK,
            _ if ALIVE.load(Ordering::SeqCst) == 0 => S_OK,
            _ => S_FALSE,
        }
    }
}
