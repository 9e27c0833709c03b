//! The add-in object COM creates for Outlook: `IDTExtensibility2` (and `IDispatch`, which it
//! derives from), made on the object core of every sink, as a kind that is not agile: its state
//! is touched only on the thread that made it, Outlook's main thread, as its registration's
//! `ThreadingModel = Apartment` tells COM.
//!
//! - `OnConnection` (main thread): the author's `on_connection` runs with an [`Outlook`]. An
//!   error or a panic is logged and leaves the add-in loaded but inert: Outlook is told `S_OK`,
//!   since a failed `OnConnection` makes it disable the add-in.
//! - `OnStartupComplete`: the author's `on_startup_complete`, when `on_connection` succeeded.
//! - `OnBeginShutdown` and `OnDisconnection`: whichever comes first runs the author's
//!   `on_disconnection` once (after an `on_connection` that failed too: it undoes what was half
//!   made) and closes the connection's main-thread window; the second finds nothing to do.
//!
//! Every method runs under a panic guard, and `IDispatch::Invoke` reaches the same five.
//!
//! # Invariants (the unsafe parts)
//! Every slot here is only in `AddInObject<A>`'s vtable (`VTABLE`), so its `this` is a live
//! object made for this kind and `A`, on which the caller holds a reference.

use super::main_thread::Windows;
use super::{ConnectMode, Outlook, OutlookAddIn};
use crate::automation::server::{self as dispatch, Args};
use crate::com::{self, Kind, OnPanic, Serve};
use crate::sys::{self, IDTExtensibility2, DISPATCH_METHOD, DISPPARAMS, EXCEPINFO, VARIANT};
use core::ffi::c_void;
use core::mem::ManuallyDrop;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::thread::ThreadId;
use windows_core::{IUnknown, Interface, GUID, HRESULT};

/// `IDTExtensibility2`'s methods, with their DISPIDs (slot order).
const METHODS: [(i32, &str); 5] = [
    (1, "OnConnection"),
    (2, "OnDisconnection"),
    (3, "OnAddInsUpdate"),
    (4, "OnStartupComplete"),
    (5, "OnBeginShutdown"),
];

impl Kind for IDTExtensibility2 {
    const ALSO: &'static [GUID] = &[sys::IID_IDispatch];
    const AGILE: bool = false;
}

/// The add-in object: the author's value, and where the connection is.
pub(crate) struct AddInObject<A> {
    /// The thread that made it, its apartment's: the only one its state is touched on.
    thread: ThreadId,
    /// Dropped in `Drop`, on that thread only (elsewhere, leaked: see there).
    addin: ManuallyDrop<A>,
    state: ManuallyDrop<RefCell<State>>,
    /// `on_startup_complete` ran for this connection (it runs once per connection).
    started: Cell<bool>,
}

enum State {
    /// Before `OnConnection`.
    Idle,
    /// `on_connection` ran; its main-thread window, and whether it succeeded (when not, the
    /// add-in is inert: `on_startup_complete` is not called, `on_disconnection` still is, to
    /// undo what was half made).
    Connected(Rc<Windows>, bool),
    /// After `OnBeginShutdown` or `OnDisconnection`.
    Disconnected,
}

impl<A: OutlookAddIn> AddInObject<A> {
    pub(crate) fn new(addin: A) -> Self {
        AddInObject {
            thread: std::thread::current().id(),
            addin: ManuallyDrop::new(addin),
            state: ManuallyDrop::new(RefCell::new(State::Idle)),
            started: Cell::new(false),
        }
    }

    /// `OnConnection` on the object at `this` (this one).
    ///
    /// # Safety
    /// `this` is this object's own pointer, on which the caller holds a reference.
    unsafe fn connect(&self, this: *mut c_void, application: *mut c_void, mode: i32) -> HRESULT {
        let mode = ConnectMode::from_raw(mode);
        log::info!("OnConnection ({mode:?})");
        self.disconnect("a second OnConnection");
        self.started.set(false);
        // SAFETY: a borrowed `IDispatch*` (or null) for the duration of the call.
        let Some(application) = (unsafe { IUnknown::from_raw_borrowed(&application) }).cloned()
        else {
            log::warn!("OnConnection got no Application object: the add-in stays loaded but inert");
            super::module::connected(Some("OnConnection got no Application object".into()));
            return sys::S_OK;
        };
        // Declared `IDispatch*`; asked for it all the same, as a caller may be wrong.
        let app = match crate::automation::Dispatch::from_unknown(&application) {
            Ok(app) => app,
            Err(error) => {
                log::warn!("OnConnection: {error}: the add-in stays loaded but inert");
                super::module::connected(Some(format!("the Application object: {error}")));
                return sys::S_OK;
            }
        };
        let windows = Rc::new(Windows::default());
        // The state it replaces is dropped after the borrow (it holds the author's handlers).
        let replaced = self.replace_state(State::Connected(windows.clone(), false));
        drop(replaced);
        let outlook = Outlook::new(application, app, mode, windows.clone());
        let connected = com::contain(OnPanic::Log, A::DESCRIPTOR.name, "on_connection", || {
            self.addin.on_connection(&outlook)
        });
        if let Some(Ok(())) = connected {
            // Only if this connection is still the one in place: the author's code may have
            // made Outlook disconnect (or connect again) meanwhile.
            let in_place = match &mut *self.state.borrow_mut() {
                State::Connected(current, succeeded) if Rc::ptr_eq(current, &windows) => {
                    *succeeded = true;
                    true
                }
                _ => false,
            };
            // Office sends OnStartupComplete only at its own start-up.
            if in_place && mode != ConnectMode::Startup {
                // SAFETY: the caller's promise.
                unsafe { self.startup_complete_later(this, &windows) };
            }
        }
        let inert = match connected {
            Some(Ok(())) => {
                log::info!("OnConnection: {} connected", A::DESCRIPTOR.name);
                None
            }
            Some(Err(error)) => {
                log::warn!("OnConnection: {error}: the add-in stays loaded but inert");
                Some(format!("on_connection returned an error: {error}"))
            }
            None => {
                log::warn!("OnConnection panicked: the add-in stays loaded but inert");
                Some("on_connection panicked (the add-in's log has the message)".into())
            }
        };
        super::module::connected(inert);
        sys::S_OK
    }

    /// Puts `state` in place and returns the one it replaced, out of the borrow.
    fn replace_state(&self, state: State) -> State {
        core::mem::replace(&mut *self.state.borrow_mut(), state)
    }

    fn disconnect(&self, why: &str) {
        let state = self.replace_state(State::Disconnected);
        match state {
            State::Connected(windows, _) => {
                let _ = com::contain(OnPanic::Log, A::DESCRIPTOR.name, "on_disconnection", || {
                    self.addin.on_disconnection()
                });
                windows.close();
                log::info!("{why}: disconnected");
            }
            // Not connected: nothing to undo (and an idle object stays idle).
            other => drop(self.replace_state(other)),
        }
    }

    /// Office sends `OnStartupComplete` only to the add-ins it loads at its start-up: one
    /// connected otherwise (the COM Add-ins dialog, `ext_cm_AfterStartup`, or by a program)
    /// gets its `on_startup_complete` from the main thread's message loop, right after
    /// `OnConnection` returns, through the connection's main-thread window. The message holds a
    /// reference to the object until it runs or the window closes (at disconnection); when it
    /// cannot be posted, `on_startup_complete` runs now instead, and the reference goes.
    ///
    /// # Safety
    /// `this` is this object's own pointer, on which the caller holds a reference.
    unsafe fn startup_complete_later(&self, this: *mut c_void, windows: &Rc<Windows>) {
        // SAFETY: a live object; the reference `cloned` adds is the one the `ComRef` owns.
        let object = unsafe {
            let unknown = IUnknown::from_raw_borrowed(&this).cloned();
            unknown
                .map(|unknown| com::ComRef::<IDTExtensibility2, Self>::from_raw(unknown.into_raw()))
        };
        // Taken when it runs (or here, when it cannot be posted), so that the reference goes
        // then: the window's handler list would otherwise keep the object alive.
        let held = Rc::new(RefCell::new(object));
        let handler_held = held.clone();
        let later = windows.add(move |()| {
            let object = handler_held.borrow_mut().take();
            if let Some(object) = object {
                object.value().startup_complete();
            }
        });
        if !later.post_and_wake(()) {
            let object = held.borrow_mut().take();
            drop(object);
            self.startup_complete();
        }
    }

    fn startup_complete(&self) {
        log::info!("on_startup_complete");
        if matches!(*self.state.borrow(), State::Connected(_, true)) && !self.started.replace(true)
        {
            let _ = com::contain(
                OnPanic::Log,
                A::DESCRIPTOR.name,
                "on_startup_complete",
                || self.addin.on_startup_complete(),
            );
        }
    }
}

impl<A> Drop for AddInObject<A> {
    fn drop(&mut self) {
        if std::thread::current().id() != self.thread {
            // A caller broke COM's apartment rule with the last Release. The author's value and
            // the window list are not `Send`: dropping them here could race with the main
            // thread, so they are leaked, and the log says so.
            log::error!(
                "the add-in object was released on a thread other than the one that made it \
                 (COM's apartment rule broken by the caller): its state is leaked, not dropped"
            );
            return;
        }
        // Released without a disconnection: still close the window on this, its thread.
        if let State::Connected(windows, _) = self.state.get_mut() {
            windows.close();
        }
        // SAFETY: dropped once, here, and never used again.
        unsafe {
            ManuallyDrop::drop(&mut self.state);
            ManuallyDrop::drop(&mut self.addin);
        }
    }
}

// SAFETY: the vtable starts with `unknown_slots` for this kind and type; every slot after them
// is written for an `AddInObject<A>`. The kind is not agile, so `Self` need not be Send + Sync.
unsafe impl<A: OutlookAddIn> Serve<IDTExtensibility2> for AddInObject<A> {
    const VTABLE: &'static sys::IDTExtensibility2_Vtbl = &sys::IDTExtensibility2_Vtbl {
        base__: sys::IDispatch_Vtbl {
            base__: com::unknown_slots::<IDTExtensibility2, Self>(),
            GetTypeInfoCount: dispatch::get_type_info_count,
            GetTypeInfo: dispatch::get_type_info,
            GetIDsOfNames: get_ids_of_names::<A>,
            Invoke: invoke::<A>,
        },
        OnConnection: on_connection::<A>,
        OnDisconnection: on_disconnection::<A>,
        OnAddInsUpdate: on_add_ins_update,
        OnStartupComplete: on_startup_complete::<A>,
        OnBeginShutdown: on_begin_shutdown::<A>,
    };
    const ON_PANIC: OnPanic = OnPanic::Log;
}

/// Runs `call` on the object at `this`, on the thread that made it only (elsewhere,
/// `RPC_E_WRONG_THREAD`); a panic is logged and becomes `E_UNEXPECTED`.
///
/// # Safety
/// As the module invariants say of `this`.
unsafe fn guarded<A: OutlookAddIn>(
    this: *mut c_void,
    during: &'static str,
    call: impl FnOnce(&AddInObject<A>) -> HRESULT,
) -> HRESULT {
    let on_its_thread = |object: &AddInObject<A>| {
        if std::thread::current().id() == object.thread {
            call(object)
        } else {
            log::warn!(
                "{during} called on a thread other than the one that made the add-in object \
                 (ThreadingModel Apartment): refused"
            );
            sys::RPC_E_WRONG_THREAD
        }
    };
    // SAFETY: the caller's promise.
    unsafe {
        com::call_contained::<IDTExtensibility2, AddInObject<A>, _>(this, during, on_its_thread)
    }
    .unwrap_or(sys::E_UNEXPECTED)
}

unsafe extern "system" fn on_connection<A: OutlookAddIn>(
    this: *mut c_void,
    application: *mut c_void,
    mode: i32,
    _addin_inst: *mut c_void,
    _custom: *mut *mut c_void,
) -> HRESULT {
    // SAFETY: the module invariants. A panic past the author's (contained inside) still
    // leaves Outlook with `S_OK`: the add-in stays loaded, inert.
    let code = unsafe {
        guarded::<A>(this, "OnConnection", |object| {
            // `this` is this object (the module invariants), in the `unsafe` block above.
            object.connect(this, application, mode)
        })
    };
    match code {
        // The caller's mistake, not the add-in's: it is told.
        sys::RPC_E_WRONG_THREAD => code,
        code if code.is_err() => {
            com::log_contained(|| {
                log::warn!("OnConnection failed: the add-in stays loaded but inert")
            });
            sys::S_OK
        }
        _ => sys::S_OK,
    }
}

unsafe extern "system" fn on_disconnection<A: OutlookAddIn>(
    this: *mut c_void,
    mode: i32,
    _custom: *mut *mut c_void,
) -> HRESULT {
    // SAFETY: the module invariants.
    unsafe {
        guarded::<A>(this, "OnDisconnection", |object| {
            log::info!("OnDisconnection (mode {mode})");
            object.disconnect("OnDisconnection");
            sys::S_OK
        })
    }
}

unsafe extern "system" fn on_add_ins_update(
    _this: *mut c_void,
    _custom: *mut *mut c_void,
) -> HRESULT {
    com::log_contained(|| log::info!("OnAddInsUpdate"));
    sys::S_OK
}

unsafe extern "system" fn on_startup_complete<A: OutlookAddIn>(
    this: *mut c_void,
    _custom: *mut *mut c_void,
) -> HRESULT {
    // SAFETY: the module invariants.
    unsafe {
        guarded::<A>(this, "OnStartupComplete", |object| {
            log::info!("OnStartupComplete");
            object.startup_complete();
            sys::S_OK
        })
    }
}

unsafe extern "system" fn on_begin_shutdown<A: OutlookAddIn>(
    this: *mut c_void,
    _custom: *mut *mut c_void,
) -> HRESULT {
    // SAFETY: the module invariants.
    unsafe {
        guarded::<A>(this, "OnBeginShutdown", |object| {
            log::info!("OnBeginShutdown");
            object.disconnect("OnBeginShutdown");
            sys::S_OK
        })
    }
}

unsafe extern "system" fn get_ids_of_names<A: OutlookAddIn>(
    this: *mut c_void,
    _riid: *const GUID,
    names: *const *const u16,
    count: u32,
    _lcid: u32,
    ids: *mut i32,
) -> HRESULT {
    // SAFETY: the module invariants; IDispatch's contract for the rest, which
    // `ids_of_names` checks what it can of.
    unsafe {
        guarded::<A>(this, "GetIDsOfNames", |_| {
            dispatch::ids_of_names(names, count, ids, &METHODS)
        })
    }
}

#[allow(clippy::too_many_arguments)] // IDispatch::Invoke's
unsafe extern "system" fn invoke<A: OutlookAddIn>(
    this: *mut c_void,
    dispid: i32,
    _riid: *const GUID,
    _lcid: u32,
    flags: u16,
    params: *mut DISPPARAMS,
    _result: *mut VARIANT,
    _exception: *mut EXCEPINFO,
    arg_error: *mut u32,
) -> HRESULT {
    // The argument checks log (`dispatch`), outside the five methods' own guards: the whole
    // call is guarded too.
    com::contain(OnPanic::Log, A::DESCRIPTOR.name, "Invoke", || {
        // SAFETY: passed on from the caller.
        unsafe { invoke_unguarded::<A>(this, dispid, flags, params, arg_error) }
    })
    .unwrap_or(sys::E_UNEXPECTED)
}

/// `Invoke`, with the arguments it uses.
///
/// # Safety
/// As `invoke`.
unsafe fn invoke_unguarded<A: OutlookAddIn>(
    this: *mut c_void,
    dispid: i32,
    flags: u16,
    params: *mut DISPPARAMS,
    arg_error: *mut u32,
) -> HRESULT {
    let Some(&(_, method)) = METHODS.iter().find(|(id, _)| *id == dispid) else {
        log::warn!("Invoke: unknown DISPID {dispid}");
        return sys::DISP_E_MEMBERNOTFOUND;
    };
    if flags & DISPATCH_METHOD == 0 {
        log::warn!("Invoke({method}): flags {flags:#x} do not ask for a method call");
        return sys::DISP_E_MEMBERNOTFOUND;
    }
    // SAFETY: IDispatch's contract; `Args` checks the counts and pointers.
    match unsafe { call_by_dispid::<A>(this, dispid, method, params) } {
        Ok(code) => code,
        Err((code, index)) => {
            if let (Some(index), false) = (index, arg_error.is_null()) {
                // SAFETY: non-null, writable (IDispatch's contract).
                unsafe { arg_error.write(index) };
            }
            code
        }
    }
}

/// One of the five methods, with `Invoke`'s arguments.
///
/// # Safety
/// The module invariants, and `params` as [`Args::new`] takes it.
unsafe fn call_by_dispid<A: OutlookAddIn>(
    this: *mut c_void,
    dispid: i32,
    method: &'static str,
    params: *const DISPPARAMS,
) -> Result<HRESULT, dispatch::ArgError> {
    let null = core::ptr::null_mut();
    // SAFETY: the caller's promise; each call below passes pointers borrowed for the call (the
    // custom array is unused by the add-in and by Outlook).
    unsafe {
        Ok(match dispid {
            1 => {
                let args = Args::new(method, params, 4)?;
                on_connection::<A>(this, args.object(0)?, args.int(1)?, args.object(2)?, null)
            }
            2 => {
                let args = Args::new(method, params, 2)?;
                on_disconnection::<A>(this, args.int(0)?, null)
            }
            3 => {
                Args::new(method, params, 1)?;
                on_add_ins_update(this, null)
            }
            4 => {
                Args::new(method, params, 1)?;
                on_startup_complete::<A>(this, null)
            }
            _ => {
                Args::new(method, params, 1)?;
                on_begin_shutdown::<A>(this, null)
            }
        })
    }
}

/// A new add-in object, `QueryInterface`d for `iid` into `out`.
///
/// # Safety
/// `iid` is readable and `out` writable.
pub(crate) unsafe fn create<A: OutlookAddIn>(iid: *const GUID, out: *mut *mut c_void) -> HRESULT {
    let object = com::ComRef::<IDTExtensibility2, _>::new(AddInObject::new(A::default()));
    // SAFETY: the caller's promise; `object` holds a reference throughout.
    unsafe { object.to_unknown().query(iid, out) }
}
