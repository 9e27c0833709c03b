//! A stand-in for Outlook's `Application` object, the `IDispatch` Outlook passes to an add-in's
//! `OnConnection`, as far as an add-in needs it: `Application.Session.CurrentProfileName`.
//! For tests of `mapi_notify_sink::profile_name` and for the simulated host.
//!
//! ```
//! use outlook_sim::application::{Application, Fault};
//!
//! let application = Application::new("Büro – Outlook");
//! let name = mapi_notify_sink::profile_name(&application.to_unknown()).unwrap();
//! assert_eq!(name, "Büro – Outlook");
//! assert_eq!(application.sessions_alive(), 0); // every Session handed out was released
//! assert_eq!(application.ref_count(), 1); // only `application`'s own reference is left
//!
//! let broken = Application::builder().fault(Fault::SessionUnknownName).build();
//! assert!(mapi_notify_sink::profile_name(&broken.to_unknown()).is_err());
//! ```
//!
//! What it does as Outlook does:
//! - `Application` and each `Session` answer `IDispatch`. `GetIDsOfNames` knows `Session`
//!   (on `Application`) and `CurrentProfileName` (on `Session`), case-insensitively as Office
//!   does; any other name is `DISP_E_UNKNOWNNAME` (its DISPID set to `DISPID_UNKNOWN`, -1).
//!   The DISPIDs are this stand-in's own, not Outlook's: a caller must look them up.
//! - `Invoke` of an unknown DISPID, or without `DISPATCH_PROPERTYGET`, is
//!   `DISP_E_MEMBERNOTFOUND`; with arguments, `DISP_E_BADPARAMCOUNT`; a `riid` other than
//!   `IID_NULL`, `DISP_E_UNKNOWNINTERFACE`; no result `VARIANT`, `E_INVALIDARG`.
//! - Each read of `Application.Session` makes a new `Session` object (a `VT_DISPATCH` the
//!   caller owns and must release, as with Outlook's out-of-process proxies).
//! - The objects are apartment-bound, like Outlook's object model: they are not agile (no
//!   `IAgileObject`, no free-threaded marshaler), and their `IDispatch` methods called on a
//!   thread other than the one that built the `Application` return `RPC_E_WRONG_THREAD`.
//!
//! What it adds for tests: a [`Fault`] makes one step fail; [`Application::calls`] counts the
//! calls each object received; [`Application::sessions_alive`] and [`Application::ref_count`]
//! show whether the caller released everything it was handed.

use std::mem::ManuallyDrop;
use std::sync::atomic::{AtomicU32, Ordering::SeqCst};
use std::sync::Arc;
use std::thread::{self, ThreadId};
use windows::Win32::Foundation::{
    DISP_E_BADINDEX, DISP_E_BADPARAMCOUNT, DISP_E_EXCEPTION, DISP_E_MEMBERNOTFOUND,
    DISP_E_UNKNOWNINTERFACE, DISP_E_UNKNOWNNAME, E_INVALIDARG, E_POINTER, RPC_E_WRONG_THREAD,
};
use windows::Win32::System::Com::{
    IDispatch, IDispatch_Impl, ITypeInfo, DISPATCH_FLAGS, DISPATCH_PROPERTYGET, DISPPARAMS,
    EXCEPINFO,
};
use windows::Win32::System::Variant::{VARENUM, VARIANT, VT_BSTR, VT_DISPATCH, VT_UNKNOWN};
use windows_core::{implement, Error, IUnknown, Result, BSTR, GUID, HRESULT, PCWSTR};

/// `Application.Session`'s DISPID here (Outlook's differs; callers must not assume either).
const DISPID_SESSION: i32 = 0x0F0B;
/// `Session.CurrentProfileName`'s DISPID here.
const DISPID_CURRENT_PROFILE_NAME: i32 = 0x0FAE;
/// What `GetIDsOfNames` writes for a name it does not know.
const DISPID_UNKNOWN: i32 = -1;
/// The `bstrSource` of the exceptions [`Fault::ProfileException`] raises.
pub const EXCEPTION_SOURCE: &str = "outlook-sim";

/// One step of `Application.Session.CurrentProfileName` made to fail, as a broken or unusual
/// Outlook might.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// `Application` does not answer `IDispatch`: `QueryInterface` gives `E_NOINTERFACE`.
    NoDispatch,
    /// `Application.GetIDsOfNames("Session")` gives `DISP_E_UNKNOWNNAME`.
    SessionUnknownName,
    /// `Application.Invoke(Session)` returns this HRESULT (for instance `RPC_E_WRONG_THREAD`).
    SessionInvokeFails(HRESULT),
    /// `Application.Session` is a `VT_UNKNOWN` instead of a `VT_DISPATCH`. It holds a live
    /// `Session`, counted by [`Application::sessions_alive`] until the caller clears it.
    SessionNotDispatch,
    /// `Application.Session` is a `VT_DISPATCH` holding a null pointer.
    SessionNull,
    /// `Session.GetIDsOfNames("CurrentProfileName")` gives `DISP_E_UNKNOWNNAME`.
    ProfileUnknownName,
    /// `Session.Invoke(CurrentProfileName)` returns this HRESULT.
    ProfileInvokeFails(HRESULT),
    /// `Session.Invoke(CurrentProfileName)` raises an exception: it returns
    /// `DISP_E_EXCEPTION` with an `EXCEPINFO` of this `scode` and `description`, and
    /// [`EXCEPTION_SOURCE`] as its source.
    ProfileException {
        /// The exception's `scode`.
        scode: HRESULT,
        /// The exception's `bstrDescription`.
        description: String,
    },
    /// `Session.CurrentProfileName` is a `VT_DISPATCH` (holding another live `Session`,
    /// counted by [`Application::sessions_alive`]) instead of a `VT_BSTR`.
    ProfileNotBstr,
}

/// How many `IDispatch` calls each object received, failed ones included.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Calls {
    /// `Application`'s `GetIDsOfNames`.
    pub application_get_ids_of_names: u32,
    /// `Application`'s `Invoke`.
    pub application_invoke: u32,
    /// `GetIDsOfNames` of all `Session` objects together.
    pub session_get_ids_of_names: u32,
    /// `Invoke` of all `Session` objects together.
    pub session_invoke: u32,
}

/// Makes an [`Application`]: the profile name, and at most one [`Fault`].
#[derive(Clone, Debug)]
pub struct Builder {
    profile: Vec<u16>,
    fault: Option<Fault>,
}

impl Builder {
    /// The name `Session.CurrentProfileName` returns (default: `Outlook`). An empty name is
    /// returned as a null BSTR, which COM defines as the empty string.
    pub fn profile(self, profile: &str) -> Builder {
        self.profile_utf16(profile.encode_utf16().collect())
    }

    /// The name as raw UTF-16, which may be ill-formed (an unpaired surrogate), as a BSTR can.
    pub fn profile_utf16(self, profile: Vec<u16>) -> Builder {
        Builder { profile, ..self }
    }

    /// The step that fails.
    pub fn fault(self, fault: Fault) -> Builder {
        Builder {
            fault: Some(fault),
            ..self
        }
    }

    /// The `Application` object. It belongs to the calling thread: its `IDispatch` methods
    /// answer `RPC_E_WRONG_THREAD` on any other.
    pub fn build(self) -> Application {
        let state = Arc::new(State {
            profile: self.profile,
            fault: self.fault,
            thread: thread::current().id(),
            application_get_ids_of_names: AtomicU32::new(0),
            application_invoke: AtomicU32::new(0),
            session_get_ids_of_names: AtomicU32::new(0),
            session_invoke: AtomicU32::new(0),
            sessions_made: AtomicU32::new(0),
            sessions_alive: AtomicU32::new(0),
            wrong_thread: AtomicU32::new(0),
        });
        let unknown: IUnknown = if state.fault == Some(Fault::NoDispatch) {
            NoDispatch.into()
        } else {
            Object {
                state: state.clone(),
                role: Role::Application,
            }
            .into()
        };
        Application { unknown, state }
    }
}

/// The host's handle on the stand-in `Application`: one reference to the COM object, and the
/// counters it keeps. Dropping it gives up that reference; the object lives on while anyone
/// else holds one.
pub struct Application {
    unknown: IUnknown,
    state: Arc<State>,
}

impl Application {
    /// An `Application` whose `Session.CurrentProfileName` is `profile`, with no fault.
    pub fn new(profile: &str) -> Application {
        Application::builder().profile(profile).build()
    }

    /// A [`Builder`] for profile `Outlook`, with no fault.
    pub fn builder() -> Builder {
        Builder {
            profile: "Outlook".encode_utf16().collect(),
            fault: None,
        }
    }

    /// A new reference to the object's `IUnknown`, as `OnConnection`'s `Application` argument
    /// (that is an `IDispatch*`, which is the same object; QueryInterface it for `IDispatch`).
    pub fn to_unknown(&self) -> IUnknown {
        self.unknown.clone()
    }

    /// The object's `IUnknown*`, borrowed.
    pub fn as_unknown(&self) -> &IUnknown {
        &self.unknown
    }

    /// The object's reference count, this handle's own reference included: `1` when nobody
    /// else holds it. (Read as `AddRef` then `Release`, whose return values are the count.)
    pub fn ref_count(&self) -> u32 {
        crate::com::ref_count(&self.unknown)
    }

    /// The calls each object received so far.
    pub fn calls(&self) -> Calls {
        let state = &self.state;
        Calls {
            application_get_ids_of_names: state.application_get_ids_of_names.load(SeqCst),
            application_invoke: state.application_invoke.load(SeqCst),
            session_get_ids_of_names: state.session_get_ids_of_names.load(SeqCst),
            session_invoke: state.session_invoke.load(SeqCst),
        }
    }

    /// How many `Session` objects were handed out (one per read of `Application.Session`, and
    /// one per read of `CurrentProfileName` under [`Fault::ProfileNotBstr`]).
    pub fn sessions_made(&self) -> u32 {
        self.state.sessions_made.load(SeqCst)
    }

    /// How many `Session` objects are still alive: `0` once every caller released what it
    /// was handed.
    pub fn sessions_alive(&self) -> u32 {
        self.state.sessions_alive.load(SeqCst)
    }

    /// How many calls came from a thread other than the `Application`'s and were answered
    /// `RPC_E_WRONG_THREAD`: Outlook's object model belongs to its main thread.
    pub fn wrong_thread_calls(&self) -> u32 {
        self.state.wrong_thread.load(SeqCst)
    }
}

impl std::fmt::Debug for Application {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Application")
            .field("profile", &String::from_utf16_lossy(&self.state.profile))
            .field("fault", &self.state.fault)
            .field("calls", &self.calls())
            .field("sessions_alive", &self.sessions_alive())
            .field("wrong_thread_calls", &self.wrong_thread_calls())
            .finish()
    }
}

/// What the `Application` and its `Session`s share.
struct State {
    profile: Vec<u16>,
    fault: Option<Fault>,
    thread: ThreadId,
    application_get_ids_of_names: AtomicU32,
    application_invoke: AtomicU32,
    session_get_ids_of_names: AtomicU32,
    session_invoke: AtomicU32,
    sessions_made: AtomicU32,
    sessions_alive: AtomicU32,
    wrong_thread: AtomicU32,
}

impl State {
    /// `RPC_E_WRONG_THREAD` off the thread that built the `Application`, as Outlook answers.
    fn check_thread(&self) -> Result<()> {
        if thread::current().id() == self.thread {
            Ok(())
        } else {
            self.wrong_thread.fetch_add(1, SeqCst);
            Err(Error::from_hresult(RPC_E_WRONG_THREAD))
        }
    }

    fn new_session(self: &Arc<State>) -> IDispatch {
        self.sessions_made.fetch_add(1, SeqCst);
        self.sessions_alive.fetch_add(1, SeqCst);
        Object {
            state: self.clone(),
            role: Role::Session,
        }
        .into()
    }
}

/// The `Application` under [`Fault::NoDispatch`]: an object with no interface but `IUnknown`.
#[implement(Agile = false)]
struct NoDispatch;

/// Which object an [`Object`] is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Application,
    /// Counted alive until its last reference goes.
    Session,
}

/// The `Application`, or a `Session`: each an `IDispatch` with one property.
#[implement(IDispatch, Agile = false)]
struct Object {
    state: Arc<State>,
    role: Role,
}

impl Drop for Object {
    fn drop(&mut self) {
        if self.role == Role::Session {
            self.state.sessions_alive.fetch_sub(1, SeqCst);
        }
    }
}

impl Object {
    /// The one property's name and DISPID, unless a fault hides it; and the counters of this
    /// role's `GetIDsOfNames` and `Invoke` calls.
    fn property(&self) -> (Option<(&'static str, i32)>, &AtomicU32, &AtomicU32) {
        let state = &self.state;
        match self.role {
            Role::Application => (
                (state.fault != Some(Fault::SessionUnknownName))
                    .then_some(("Session", DISPID_SESSION)),
                &state.application_get_ids_of_names,
                &state.application_invoke,
            ),
            Role::Session => (
                (state.fault != Some(Fault::ProfileUnknownName))
                    .then_some(("CurrentProfileName", DISPID_CURRENT_PROFILE_NAME)),
                &state.session_get_ids_of_names,
                &state.session_invoke,
            ),
        }
    }

    /// `Application.Session`: a new `Session`, unless a fault says otherwise.
    fn session(&self) -> Result<Value> {
        let state = &self.state;
        Ok(match state.fault {
            Some(Fault::SessionInvokeFails(code)) => return Err(Error::from_hresult(code)),
            Some(Fault::SessionNotDispatch) => Value::Unknown(state.new_session().into()),
            Some(Fault::SessionNull) => Value::Dispatch(None),
            _ => Value::Dispatch(Some(state.new_session())),
        })
    }

    /// `Session.CurrentProfileName`: the profile, unless a fault says otherwise.
    fn current_profile_name(&self, exception: *mut EXCEPINFO) -> Result<Value> {
        let state = &self.state;
        Ok(match &state.fault {
            Some(Fault::ProfileInvokeFails(code)) => return Err(Error::from_hresult(*code)),
            Some(Fault::ProfileException { scode, description }) => {
                if !exception.is_null() {
                    // SAFETY: a non-null EXCEPINFO is the caller's, for the callee to fill in
                    // when it returns DISP_E_EXCEPTION; the caller frees the BSTRs.
                    unsafe {
                        exception.write(EXCEPINFO {
                            bstrSource: ManuallyDrop::new(BSTR::from(EXCEPTION_SOURCE)),
                            bstrDescription: ManuallyDrop::new(BSTR::from(description.as_str())),
                            scode: scode.0,
                            ..EXCEPINFO::default()
                        })
                    };
                }
                return Err(Error::from_hresult(DISP_E_EXCEPTION));
            }
            Some(Fault::ProfileNotBstr) => Value::Dispatch(Some(state.new_session())),
            _ => Value::Bstr(BSTR::from_wide(&state.profile)),
        })
    }
}

impl IDispatch_Impl for Object_Impl {
    fn GetTypeInfoCount(&self) -> Result<u32> {
        self.state.check_thread()?;
        Ok(0)
    }

    fn GetTypeInfo(&self, _index: u32, _lcid: u32) -> Result<ITypeInfo> {
        self.state.check_thread()?;
        Err(Error::from_hresult(DISP_E_BADINDEX))
    }

    fn GetIDsOfNames(
        &self,
        riid: *const GUID,
        names: *const PCWSTR,
        count: u32,
        _lcid: u32,
        dispids: *mut i32,
    ) -> Result<()> {
        self.state.check_thread()?;
        let (known, calls, _) = self.property();
        calls.fetch_add(1, SeqCst);
        // SAFETY: the caller's arguments, as IDispatch::GetIDsOfNames defines them.
        unsafe { ids_of_names(riid, names, count, dispids, known) }
    }

    fn Invoke(
        &self,
        dispid: i32,
        riid: *const GUID,
        _lcid: u32,
        flags: DISPATCH_FLAGS,
        params: *const DISPPARAMS,
        result: *mut VARIANT,
        exception: *mut EXCEPINFO,
        _arg_error: *mut u32,
    ) -> Result<()> {
        self.state.check_thread()?;
        let (_, _, calls) = self.property();
        calls.fetch_add(1, SeqCst);
        let property = match self.role {
            Role::Application => DISPID_SESSION,
            Role::Session => DISPID_CURRENT_PROFILE_NAME,
        };
        // SAFETY: the caller's arguments, as IDispatch::Invoke defines them.
        unsafe { check_property_get(dispid, property, riid, flags, params, result)? };
        let value = match self.role {
            Role::Application => self.session()?,
            Role::Session => self.current_profile_name(exception)?,
        };
        // SAFETY: `check_property_get` saw that `result` is non-null.
        unsafe { value.write(result) };
        Ok(())
    }
}

/// `GetIDsOfNames` for an object with at most one property, `known` (name, DISPID): the first
/// name is the member; any further names would be its parameters, and it has none.
///
/// # Safety
/// `names` and `dispids` are null or valid for `count` elements, each name null or
/// NUL-terminated (the caller's side of `IDispatch::GetIDsOfNames`).
unsafe fn ids_of_names(
    riid: *const GUID,
    names: *const PCWSTR,
    count: u32,
    dispids: *mut i32,
    known: Option<(&str, i32)>,
) -> Result<()> {
    if names.is_null() || dispids.is_null() {
        return Err(Error::from_hresult(E_POINTER));
    }
    // SAFETY: non-null, so valid per the caller's promise.
    if unsafe { riid.as_ref() } != Some(&GUID::zeroed()) {
        return Err(Error::from_hresult(DISP_E_UNKNOWNINTERFACE));
    }
    let count = count as usize;
    // SAFETY: valid for `count` elements, per the caller's promise.
    let (names, dispids) = unsafe {
        (
            std::slice::from_raw_parts(names, count),
            std::slice::from_raw_parts_mut(dispids, count),
        )
    };
    dispids.fill(DISPID_UNKNOWN);
    let Some(first) = names.first() else {
        return Ok(());
    };
    let name = if first.is_null() {
        String::new()
    } else {
        // SAFETY: a NUL-terminated name, per the caller's promise.
        String::from_utf16_lossy(unsafe { first.as_wide() })
    };
    match known {
        Some((known, dispid)) if name.eq_ignore_ascii_case(known) && count == 1 => {
            dispids[0] = dispid;
            Ok(())
        }
        Some((known, dispid)) if name.eq_ignore_ascii_case(known) => {
            dispids[0] = dispid;
            Err(Error::from_hresult(DISP_E_UNKNOWNNAME)) // a parameter name it does not have
        }
        _ => Err(Error::from_hresult(DISP_E_UNKNOWNNAME)),
    }
}

/// The checks `Invoke` makes before a property get of the object's one property, `property`.
///
/// # Safety
/// `riid` and `params` are null or valid (the caller's side of `IDispatch::Invoke`).
unsafe fn check_property_get(
    dispid: i32,
    property: i32,
    riid: *const GUID,
    flags: DISPATCH_FLAGS,
    params: *const DISPPARAMS,
    result: *mut VARIANT,
) -> Result<()> {
    // SAFETY: non-null, so valid per the caller's promise.
    if unsafe { riid.as_ref() } != Some(&GUID::zeroed()) {
        return Err(Error::from_hresult(DISP_E_UNKNOWNINTERFACE));
    }
    if dispid != property || flags.0 & DISPATCH_PROPERTYGET.0 == 0 {
        return Err(Error::from_hresult(DISP_E_MEMBERNOTFOUND));
    }
    // SAFETY: non-null, so valid per the caller's promise.
    match unsafe { params.as_ref() } {
        None => return Err(Error::from_hresult(E_POINTER)),
        Some(params) if params.cArgs != 0 || params.cNamedArgs != 0 => {
            return Err(Error::from_hresult(DISP_E_BADPARAMCOUNT))
        }
        Some(_) => {}
    }
    if result.is_null() {
        return Err(Error::from_hresult(E_INVALIDARG));
    }
    Ok(())
}

/// A property's value, written into the caller's result `VARIANT`, which then owns it.
enum Value {
    Dispatch(Option<IDispatch>),
    Unknown(IUnknown),
    Bstr(BSTR),
}

impl Value {
    /// # Safety
    /// `result` is valid for a `VARIANT` write; what it held is overwritten, not freed (the
    /// caller of `Invoke` passes an empty one).
    unsafe fn write(self, result: *mut VARIANT) {
        let mut variant = VARIANT::default();
        // SAFETY: the tag and the member written agree; the VARIANT takes over the value,
        // whose owner is now whoever clears it.
        unsafe {
            let inner = &mut *variant.Anonymous.Anonymous;
            let vt: VARENUM = match self {
                Value::Dispatch(dispatch) => {
                    inner.Anonymous.pdispVal = ManuallyDrop::new(dispatch);
                    VT_DISPATCH
                }
                Value::Unknown(unknown) => {
                    inner.Anonymous.punkVal = ManuallyDrop::new(Some(unknown));
                    VT_UNKNOWN
                }
                Value::Bstr(bstr) => {
                    inner.Anonymous.bstrVal = ManuallyDrop::new(bstr);
                    VT_BSTR
                }
            };
            inner.vt = vt;
            result.write(variant);
        }
    }
}
