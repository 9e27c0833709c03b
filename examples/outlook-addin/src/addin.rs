//! The add-in object: Outlook's `IDTExtensibility2` calls, in the order Outlook makes them.
//!
//! - `OnConnection` (main thread): profile name → `OfflineManager::open` → advise a
//!   [`Watcher`]. If any step fails (not inside Outlook, an unknown profile), the add-in logs
//!   why and stays loaded and inert: failing `OnConnection` would make Outlook disable it.
//! - `OnAddInsUpdate`, `OnStartupComplete`: nothing to do.
//! - Each change arrives on the main thread in [`on_connection_changed`].
//! - `OnBeginShutdown` and `OnDisconnection`: unadvise, release the manager and the sink,
//!   close the main-thread window. Whichever comes first does it; the second finds nothing.
//!
//! Every method runs under [`module::guard`]: no panic reaches Outlook.

use crate::dispatch::{self, Args};
use crate::extensibility::{IDTExtensibility2, IDTExtensibility2_Impl, DISPIDS};
use crate::main_thread::{Change, MainThread};
use crate::module::{self, ModuleRef};
use crate::watcher::Watcher;
use core::ffi::c_void;
use mapi_notify_sink::{Advise, AdviseOptions, NotifyKind, OfflineManager, Sink};
use std::cell::RefCell;
use windows::core::{implement, IUnknown, IUnknownImpl, Interface, Result, GUID, HRESULT, PCWSTR};
use windows::Win32::Foundation::{DISP_E_BADINDEX, DISP_E_MEMBERNOTFOUND, S_OK};
use windows::Win32::System::Com::{
    IDispatch, IDispatch_Impl, ITypeInfo, DISPATCH_FLAGS, DISPATCH_METHOD, DISPPARAMS, EXCEPINFO,
    SAFEARRAY,
};
use windows::Win32::System::Threading::GetCurrentThreadId;
use windows::Win32::System::Variant::VARIANT;

/// Comes back in every notification, so the sink can tell its registration apart.
pub const CLIENT_TOKEN: u32 = 0x00AD_D1A5;

/// The add-in object COM creates for Outlook.
///
/// Apartment-bound (`Agile = false`: no `IAgileObject`, no free-threaded marshaler), as its
/// registration's `ThreadingModel = Apartment` says: its state is a `RefCell`, touched only on
/// the thread that created it, and COM marshals any call from another apartment to that thread.
#[implement(IDTExtensibility2, IDispatch, Agile = false)]
pub struct AddIn {
    state: RefCell<State>,
    _module: ModuleRef,
}

enum State {
    /// Before `OnConnection`, and after shutdown.
    Idle,
    /// Loaded, doing nothing: why.
    Inert(String),
    Watching(Watching),
}

/// Everything `OnConnection` set up. Dropped in field order: unadvise first.
struct Watching {
    advise: Advise,
    manager: OfflineManager,
    sink: Sink<Watcher>,
    main_thread: MainThread,
}

impl AddIn {
    /// A new, unconnected add-in; it keeps the DLL loaded while it lives.
    pub fn new() -> Self {
        AddIn {
            state: RefCell::new(State::Idle),
            _module: ModuleRef::new(),
        }
    }

    fn connect(&self, application: Option<&IUnknown>, mode: i32) -> HRESULT {
        // SAFETY: no preconditions.
        let thread = unsafe { GetCurrentThreadId() };
        log::info!("OnConnection (connect mode {mode}) on thread {thread:#06x}: the main thread");
        self.disconnect("a second OnConnection");
        let state = match start_watching(application) {
            Ok(watching) => State::Watching(watching),
            Err(why) => {
                log::warn!("the add-in stays loaded but inert: {why}");
                State::Inert(why)
            }
        };
        *self.state.borrow_mut() = state;
        S_OK
    }

    fn disconnect(&self, why: &str) {
        let state = core::mem::replace(&mut *self.state.borrow_mut(), State::Idle);
        match state {
            State::Idle => {}
            State::Inert(reason) => log::info!("{why}: nothing to release (inert: {reason})"),
            State::Watching(watching) => {
                let Watching {
                    advise,
                    manager,
                    sink,
                    main_thread,
                } = watching;
                match advise.unadvise() {
                    Ok(()) => log::info!("{why}: unadvised"),
                    Err(error) => log::error!("{why}: {error}"),
                }
                drop(manager);
                log::info!(
                    "{why}: released the offline manager; the sink has {} reference(s) left (ours)",
                    Sink::ref_count(&sink)
                );
                drop(sink);
                drop(main_thread);
            }
        }
    }
}

impl Default for AddIn {
    fn default() -> Self {
        Self::new()
    }
}

fn start_watching(application: Option<&IUnknown>) -> core::result::Result<Watching, String> {
    let application = application.ok_or("OnConnection got no Application object")?;
    let profile = mapi_notify_sink::profile_name(application)
        .map_err(|error| format!("no profile name: {error}"))?;
    log::info!("profile: {profile:?}");
    let manager = OfflineManager::open(&profile).map_err(|error| error.to_string())?;
    let state = manager.state().map_err(|error| error.to_string())?;
    let main_thread =
        MainThread::start().map_err(|error| format!("main-thread window: {error}"))?;
    let sink = Sink::new(Watcher::new(main_thread.poster()));
    let options = AdviseOptions {
        client_token: CLIENT_TOKEN,
        ..AdviseOptions::default()
    };
    let advise = manager
        .advise(&sink, options)
        .map_err(|error| error.to_string())?;
    log::info!(
        "watching: Outlook is {state:?}; advise token {}, changes handled on thread {:#06x}",
        advise.token(),
        main_thread.thread()
    );
    Ok(Watching {
        advise,
        manager,
        sink,
        main_thread,
    })
}

/// A change, on the main thread: where an add-in may use Outlook's object model (update a
/// ribbon, queue work for when Outlook is back online). This one logs it.
pub fn on_connection_changed(change: Change) {
    // SAFETY: no preconditions.
    let thread = unsafe { GetCurrentThreadId() };
    let hop = if change.notified_on == thread {
        "the same thread".to_string()
    } else {
        format!("notified on thread {:#06x}", change.notified_on)
    };
    if change.kind == NotifyKind::StateChange {
        log::info!(
            "handled on the main thread ({thread:#06x}; {hop}): Outlook is now {:?} (was {:?})",
            change.new,
            change.old
        );
    } else {
        log::info!(
            "handled on the main thread ({thread:#06x}; {hop}): {:?} {:?} -> {:?}",
            change.kind,
            change.old,
            change.new
        );
    }
}

impl IDTExtensibility2_Impl for AddIn_Impl {
    unsafe fn OnConnection(
        &self,
        application: *mut c_void,
        connect_mode: i32,
        _addin_inst: *mut c_void,
        _custom: *mut *mut SAFEARRAY,
    ) -> HRESULT {
        module::guard("OnConnection", || {
            // SAFETY: a borrowed `IDispatch*` (or null) for the duration of the call.
            let application = unsafe { IUnknown::from_raw_borrowed(&application) };
            self.connect(application, connect_mode)
        })
    }

    unsafe fn OnDisconnection(&self, remove_mode: i32, _custom: *mut *mut SAFEARRAY) -> HRESULT {
        module::guard("OnDisconnection", || {
            log::info!("OnDisconnection (remove mode {remove_mode})");
            self.disconnect("OnDisconnection");
            S_OK
        })
    }

    unsafe fn OnAddInsUpdate(&self, _custom: *mut *mut SAFEARRAY) -> HRESULT {
        log::info!("OnAddInsUpdate");
        S_OK
    }

    unsafe fn OnStartupComplete(&self, _custom: *mut *mut SAFEARRAY) -> HRESULT {
        log::info!("OnStartupComplete");
        S_OK
    }

    unsafe fn OnBeginShutdown(&self, _custom: *mut *mut SAFEARRAY) -> HRESULT {
        module::guard("OnBeginShutdown", || {
            log::info!("OnBeginShutdown");
            self.disconnect("OnBeginShutdown");
            S_OK
        })
    }
}

/// Office may call an add-in through `IDispatch::Invoke` instead of the vtable (which one is
/// not documented): both reach the same methods.
// The `_Impl` traits are windows-rs's: their methods are safe `fn`s that receive COM's raw
// pointers, valid by COM's contract with the caller (checked for null where COM allows null).
#[allow(clippy::not_unsafe_ptr_arg_deref)]
impl IDispatch_Impl for AddIn_Impl {
    fn GetTypeInfoCount(&self) -> Result<u32> {
        Ok(0)
    }

    fn GetTypeInfo(&self, _index: u32, _lcid: u32) -> Result<ITypeInfo> {
        Err(DISP_E_BADINDEX.into())
    }

    fn GetIDsOfNames(
        &self,
        _riid: *const GUID,
        names: *const PCWSTR,
        count: u32,
        _lcid: u32,
        ids: *mut i32,
    ) -> Result<()> {
        // SAFETY: IDispatch's contract, which `ids_of_names` checks what it can of.
        module::guard("GetIDsOfNames", || unsafe {
            dispatch::ids_of_names(names, count, ids)
        })
        .ok()
    }

    fn Invoke(
        &self,
        dispid: i32,
        _riid: *const GUID,
        _lcid: u32,
        flags: DISPATCH_FLAGS,
        params: *const DISPPARAMS,
        _result: *mut VARIANT,
        _exception: *mut EXCEPINFO,
        arg_error: *mut u32,
    ) -> Result<()> {
        module::guard("Invoke", || {
            let Some(&(_, method)) = DISPIDS.iter().find(|(id, _)| *id == dispid) else {
                log::warn!("Invoke: unknown DISPID {dispid}");
                return DISP_E_MEMBERNOTFOUND;
            };
            if flags.0 & DISPATCH_METHOD.0 == 0 {
                log::warn!("Invoke({method}): flags {flags:?} do not ask for a method call");
                return DISP_E_MEMBERNOTFOUND;
            }
            // SAFETY: IDispatch's contract; `Args` checks the counts and pointers.
            match unsafe { self.invoke(dispid, method, params) } {
                Ok(code) => code,
                Err((code, index)) => {
                    if let (Some(index), false) = (index, arg_error.is_null()) {
                        // SAFETY: non-null, writable (IDispatch's contract).
                        unsafe { arg_error.write(index) };
                    }
                    code
                }
            }
        })
        .ok()
    }
}

impl AddIn_Impl {
    /// # Safety
    /// As `Args::new`.
    unsafe fn invoke(
        &self,
        dispid: i32,
        method: &str,
        params: *const DISPPARAMS,
    ) -> core::result::Result<HRESULT, dispatch::ArgError> {
        let null = core::ptr::null_mut();
        let this: IDTExtensibility2 = self.to_interface();
        // SAFETY: the caller's promise; each call below passes borrowed pointers that live
        // for the call (the custom array is unused by this add-in and by Outlook).
        unsafe {
            Ok(match dispid {
                1 => {
                    let args = Args::new(method, params, 4)?;
                    let application = args.object(method, 0)?;
                    let mode = args.int(method, 1)?;
                    let addin = args.object(method, 2)?;
                    this.OnConnection(application, mode, addin, null)
                }
                2 => {
                    let args = Args::new(method, params, 2)?;
                    this.OnDisconnection(args.int(method, 0)?, null)
                }
                3 => {
                    Args::new(method, params, 1)?;
                    this.OnAddInsUpdate(null)
                }
                4 => {
                    Args::new(method, params, 1)?;
                    this.OnStartupComplete(null)
                }
                _ => {
                    Args::new(method, params, 1)?;
                    this.OnBeginShutdown(null)
                }
            })
        }
    }
}
