//! Outlook add-ins with one deliberate flaw each, for proving that `outlook-sim` catches them.
//! Written the plain windows-rs way (not like `examples/outlook-addin`), so the host is also
//! shown to work with an add-in it was not written alongside.
//!
//! The flaw is chosen by the environment variable `FLAWED_ADDIN`:
//! - `none`: a correct add-in (the host must pass it);
//! - `never-unadvise`: shutdown forgets the advise, so the stand-in keeps the sink and the
//!   add-in keeps the manager;
//! - `leak-sink`: unadvises, but keeps a reference to its sink forever;
//! - `fail-connection`: `OnConnection` returns `E_FAIL`;
//! - `panic`: `OnStartupComplete` panics, which aborts the process (no unwinding across COM);
//! - `hang`: `OnStartupComplete` never returns;
//! - `slow`: `OnConnection` takes 1.5 s, over the 1,000 ms Outlook allows a start-up;
//! - `never-unload`: `DllCanUnloadNow` always answers `S_FALSE`, so Outlook keeps the DLL.
//!
//! Its `IDispatch` is a stub (every call `E_NOTIMPL`), as in many add-ins written against the
//! vtable only: `outlook-sim --via-invoke` fails it for that, whatever `FLAWED_ADDIN` says.
//!
//! Load it by path: `outlook-sim --dll flawed_addin.dll --clsid {CLSID}`. Windows only.
#![allow(non_snake_case)]

#[cfg(windows)]
mod addin {
    use core::ffi::c_void;
    use mapi_notify_sink::{
        mapi_notify_sink, Advise, AdviseOptions, Notification, OfflineManager, Sink,
    };
    use outlook_sim::extensibility::{IDTExtensibility2, IDTExtensibility2_Impl};
    use std::cell::RefCell;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use windows::core::{implement, IUnknown, Interface, Ref, Result, BOOL, GUID, HRESULT};
    use windows::Win32::Foundation::{
        CLASS_E_CLASSNOTAVAILABLE, CLASS_E_NOAGGREGATION, E_FAIL, E_POINTER, S_FALSE, S_OK,
    };
    use windows::Win32::System::Com::{IClassFactory, IClassFactory_Impl, IDispatch, SAFEARRAY};

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

    struct Counter(AtomicUsize, Alive);

    #[mapi_notify_sink]
    impl Counter {
        fn notify(&self, _info: &Notification<'_>) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }

    #[implement(IDTExtensibility2, IDispatch, Agile = false)]
    struct FlawedAddIn {
        watching: RefCell<Option<(Advise, OfflineManager, Sink<Counter>)>>,
        _alive: Alive,
    }

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
                "slow" => std::thread::sleep(std::time::Duration::from_millis(1500)),
                _ => {}
            }
            // SAFETY: a borrowed IDispatch* for the call.
            let Some(application) = (unsafe { IUnknown::from_raw_borrowed(&application) }) else {
                return E_POINTER;
            };
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
            if let Some((advise, manager, sink)) = self.watching.borrow_mut().take() {
                match flaw().as_str() {
                    "never-unadvise" => core::mem::forget(advise),
                    "leak-sink" => core::mem::forget(sink.clone()),
                    _ => {}
                }
                drop(manager);
            }
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
                _ => S_OK,
            }
        }

        unsafe fn OnBeginShutdown(&self, _: *mut *mut SAFEARRAY) -> HRESULT {
            S_OK
        }
    }

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

    #[no_mangle]
    pub extern "system" fn DllCanUnloadNow() -> HRESULT {
        if ALIVE.load(Ordering::SeqCst) == 0 && flaw() != "never-unload" {
            S_OK
        } else {
            S_FALSE
        }
    }
}
