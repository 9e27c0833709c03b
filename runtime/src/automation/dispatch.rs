//! [`Dispatch`]: a client of an object of Outlook's object model, through `IDispatch`.
//!
//! Invariants, which every `unsafe` block below relies on:
//! - A [`Dispatch`] owns one reference to an `IDispatch` (an `IUnknown` whose vtable is
//!   `IDispatch_Vtbl`, from a successful `QueryInterface(IID_IDispatch)`).
//! - `Invoke`'s arguments are [`RawVariant`]s owned here for the call, its result a
//!   `RawVariant` cleared after it is read, its `EXCEPINFO` an [`ExcepInfo`] whose BSTRs are
//!   freed on drop: every path, success or error, ends with those drops.

use super::oleaut::{SysFreeString, SysStringLen};
use super::variant::{FromVariant, RawVariant, Variant};
use crate::error::{Error, Result};
use crate::sys::{
    self, IDispatch_Vtbl, IID_IDispatch, DISPATCH_METHOD, DISPATCH_PROPERTYGET,
    DISPATCH_PROPERTYPUT, DISPATCH_PROPERTYPUTREF, DISPID_PROPERTYPUT, DISPPARAMS, EXCEPINFO,
    IID_NULL,
};
use core::cell::RefCell;
use core::marker::PhantomData;
use core::ptr;
use std::collections::HashMap;
use std::rc::Rc;
use windows_core::{IUnknown, Interface, GUID, HRESULT};

/// `LOCALE_USER_DEFAULT` for `GetIDsOfNames` and `LOCALE_SYSTEM_DEFAULT` for `Invoke`, as
/// Microsoft's "automate Office from C++ without #import" sample (KB 216686) passes them.
const LOCALE_USER_DEFAULT: u32 = 0x0400;
const LOCALE_SYSTEM_DEFAULT: u32 = 0x0800;

/// One reference to an `IDispatch`, for the raw calls.
#[repr(transparent)]
#[derive(Clone)]
struct RawDispatch(IUnknown);

// SAFETY: a transparent wrapper of an interface pointer whose vtable is `IDispatch_Vtbl`, which
// starts with `IUnknown`'s.
unsafe impl Interface for RawDispatch {
    type Vtable = IDispatch_Vtbl;
    const IID: GUID = IID_IDispatch;
}

/// An object of Outlook's object model (or any `IDispatch`), used late-bound as a script uses
/// it: members by name, each name resolved once (`GetIDsOfNames`) and cached.
///
/// Outlook's object model may be used only on its main thread: a `Dispatch` is neither `Send`
/// nor `Sync`, so it cannot leave the thread it was made on (hand a change to the main thread
/// with `Outlook::main_thread` first).
///
/// ```no_run
/// # #[cfg(windows)]
/// # fn walk(application: &mapi_notify_sink::automation::Dispatch) -> mapi_notify_sink::Result<()> {
/// use mapi_notify_sink::automation::{Dispatch, Variant};
///
/// let session: Dispatch = application.get("Session")?;
/// let inbox: Dispatch = session.call("GetDefaultFolder", &[Variant::from(6)])?; // olFolderInbox
/// let count: i32 = inbox.get::<Dispatch>("Items")?.get("Count")?;
/// log::info!("{count} items in {}", inbox.get::<String>("Name")?);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Dispatch {
    object: RawDispatch,
    /// Names resolved, shared by the clones of this reference (the object's members do not
    /// change while it lives).
    ids: Rc<RefCell<HashMap<String, i32>>>,
    /// Not `Send`, not `Sync`: the object model belongs to its thread.
    _thread: PhantomData<*const ()>,
}

impl core::fmt::Debug for Dispatch {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Dispatch({:p})", self.object.as_raw())
    }
}

impl PartialEq for Dispatch {
    /// The same COM identity (`IUnknown` pointers equal).
    fn eq(&self, other: &Self) -> bool {
        self.to_unknown() == other.to_unknown()
    }
}

/// Why `Invoke` failed: its HRESULT, and the exception it raised if it returned
/// `DISP_E_EXCEPTION` (then `code` is the exception's own code when it carries one).
pub(crate) struct InvokeError {
    pub(crate) code: HRESULT,
    pub(crate) exception: Option<String>,
}

impl Dispatch {
    /// The object's `IDispatch` (`QueryInterface`).
    ///
    /// Off Windows there is no OLE Automation: this is an error (`E_NOTIMPL`) there, so no
    /// `Dispatch` exists, and code using one builds and tests anywhere.
    pub fn from_unknown(unknown: &IUnknown) -> Result<Dispatch> {
        if cfg!(not(windows)) {
            let _ = unknown;
            return Err(Error::new(
                HRESULT(0x8000_4001_u32 as i32),
                "Dispatch::from_unknown: OLE Automation exists only on Windows",
            ));
        }
        let mut raw = ptr::null_mut();
        // SAFETY: a live object (the caller's reference), a valid IID and out pointer.
        let code = unsafe { unknown.query(&IID_IDispatch, &mut raw) };
        if code.is_err() || raw.is_null() {
            let code = if code.is_err() { code } else { sys::E_POINTER };
            return Err(Error::new(
                code,
                "QueryInterface(IID_IDispatch): the object has no IDispatch",
            ));
        }
        // SAFETY: a successful QueryInterface gave one reference to an `IDispatch*`.
        let object = unsafe { RawDispatch::from_raw(raw) };
        Ok(Dispatch {
            object,
            ids: Rc::default(),
            _thread: PhantomData,
        })
    }

    /// Takes over one reference to an `IDispatch*`.
    ///
    /// # Safety
    /// `raw` is a non-null `IDispatch*` whose reference the caller hands over.
    pub(crate) unsafe fn from_raw_dispatch(raw: *mut core::ffi::c_void) -> Dispatch {
        Dispatch {
            // SAFETY: the caller's promise.
            object: unsafe { RawDispatch::from_raw(raw) },
            ids: Rc::default(),
            _thread: PhantomData,
        }
    }

    /// A new reference to the object's `IDispatch*`, handed over (for a `VT_DISPATCH`).
    pub(crate) fn to_raw_dispatch(&self) -> *mut core::ffi::c_void {
        self.object.clone().into_raw()
    }

    /// A new reference to the object's `IUnknown`.
    pub fn to_unknown(&self) -> IUnknown {
        self.object
            .0
            .cast()
            .unwrap_or_else(|_| self.object.0.clone())
    }

    /// The property `name`, as `T`. Asked with `DISPATCH_PROPERTYGET | DISPATCH_METHOD`, as
    /// Visual Basic reads `object.Name`: Outlook declares some of what reads as a property
    /// (`Application.ActiveExplorer`) as a method without arguments.
    pub fn get<T: FromVariant>(&self, name: &str) -> Result<T> {
        let value = self.invoke(name, DISPATCH_PROPERTYGET | DISPATCH_METHOD, &[], "get")?;
        convert(value, name, "get")
    }

    /// Sets the property `name` to `value` (`DISPATCH_PROPERTYPUT`). An object
    /// (`Variant::Dispatch`, `Variant::Unknown`) is first set by reference
    /// (`DISPATCH_PROPERTYPUTREF`, Visual Basic's `Set`, which a property declared `propputref`
    /// takes), and if that fails, by value: as ATL's `CComPtr<IDispatch>::PutProperty` does,
    /// since a late-bound caller cannot know which of the two the property was declared with.
    pub fn put(&self, name: &str, value: impl Into<Variant>) -> Result<()> {
        let value = value.into();
        let args = core::slice::from_ref(&value);
        if let Variant::Dispatch(_) | Variant::Unknown(_) = value {
            if self
                .invoke(name, DISPATCH_PROPERTYPUTREF, args, "put")
                .is_ok()
            {
                return Ok(());
            }
        }
        self.invoke(name, DISPATCH_PROPERTYPUT, args, "put")
            .map(drop)
    }

    /// Calls the method `name` with `args` (in their written order; `Invoke` takes them
    /// reversed, which is done here), and returns its result as `T` (`()` for none).
    pub fn call<T: FromVariant>(&self, name: &str, args: &[Variant]) -> Result<T> {
        let value = self.invoke(name, DISPATCH_METHOD | DISPATCH_PROPERTYGET, args, "call")?;
        convert(value, name, "call")
    }

    /// The DISPID of `name`: asked once (`GetIDsOfNames`), then cached.
    pub(crate) fn id_of_name(&self, name: &str) -> core::result::Result<i32, HRESULT> {
        if let Some(&id) = self.ids.borrow().get(name) {
            return Ok(id);
        }
        let wide: Vec<u16> = name.encode_utf16().chain([0]).collect();
        let names = [wide.as_ptr()];
        let mut id = sys::DISPID_UNKNOWN;
        // SAFETY: a live IDispatch; one NUL-terminated name; room for one DISPID.
        let code = unsafe {
            (self.object.vtable().GetIDsOfNames)(
                self.object.as_raw(),
                &IID_NULL,
                names.as_ptr(),
                1,
                LOCALE_USER_DEFAULT,
                &mut id,
            )
        };
        if code.is_err() {
            return Err(code);
        }
        self.ids.borrow_mut().insert(name.to_owned(), id);
        Ok(id)
    }

    /// `Invoke(id, flags)` with `args` as they are (already reversed), a property put's value
    /// named as such: the result, owned.
    pub(crate) fn invoke_raw(
        &self,
        id: i32,
        flags: u16,
        args: &mut [RawVariant],
    ) -> core::result::Result<RawVariant, InvokeError> {
        let mut named_put = DISPID_PROPERTYPUT;
        let put = flags == DISPATCH_PROPERTYPUT || flags == DISPATCH_PROPERTYPUTREF;
        let mut params = DISPPARAMS {
            // `RawVariant` is a transparent owner of its VARIANT: the slice is the array.
            rgvarg: args.as_mut_ptr().cast(),
            rgdispidNamedArgs: if put { &mut named_put } else { ptr::null_mut() },
            cArgs: args.len() as u32,
            cNamedArgs: u32::from(put),
        };
        let mut result = RawVariant::empty();
        let mut exception = ExcepInfo::new();
        // SAFETY: a live IDispatch; `cArgs` valid VARIANTs owned by the caller for the call;
        // a VT_EMPTY result and a zeroed EXCEPINFO for it to fill in, both freed by their
        // owners' drops whatever happens.
        let code = unsafe {
            (self.object.vtable().Invoke)(
                self.object.as_raw(),
                id,
                &IID_NULL,
                LOCALE_SYSTEM_DEFAULT,
                flags,
                &mut params,
                if put { ptr::null_mut() } else { &mut result.0 },
                &mut exception.0,
                ptr::null_mut(),
            )
        };
        if code == sys::DISP_E_EXCEPTION {
            let (scode, text) = exception.read();
            // An exception that gives only a `wCode` has no HRESULT of its own.
            return Err(InvokeError {
                code: if scode.is_err() { scode } else { code },
                exception: Some(text),
            });
        }
        if code.is_err() {
            return Err(InvokeError {
                code,
                exception: None,
            });
        }
        Ok(result)
    }

    fn invoke(&self, name: &str, flags: u16, args: &[Variant], what: &str) -> Result<Variant> {
        let id = self.id_of_name(name).map_err(|code| {
            Error::new(
                code,
                format!("Dispatch::{what}({name:?}): GetIDsOfNames (the object has no member of that name)"),
            )
        })?;
        // Reversed, as DISPPARAMS holds them: the last argument first.
        let mut raw_args = Vec::with_capacity(args.len());
        for (position, arg) in args.iter().enumerate().rev() {
            raw_args.push(RawVariant::from_variant(arg).map_err(|why| {
                Error::new(
                    sys::DISP_E_TYPEMISMATCH,
                    format!(
                        "Dispatch::{what}({name:?}): argument {}: {why}",
                        position + 1
                    ),
                )
            })?);
        }
        let result = self.invoke_raw(id, flags, &mut raw_args).map_err(
            |InvokeError { code, exception }| {
                let call = format!("Dispatch::{what}({name:?}): Invoke");
                match exception {
                    Some(text) => {
                        Error::new(code, format!("{call} raised an exception ({text:?}) and"))
                    }
                    None => Error::new(code, call),
                }
            },
        )?;
        result.read().map_err(|why| {
            Error::new(
                sys::DISP_E_TYPEMISMATCH,
                format!("Dispatch::{what}({name:?}): its result: {why}"),
            )
        })
    }
}

/// The result as `T`, or an error naming the member and both types.
fn convert<T: FromVariant>(value: Variant, name: &str, what: &str) -> Result<T> {
    T::from_variant(value).map_err(|why| {
        Error::new(
            sys::DISP_E_TYPEMISMATCH,
            format!("Dispatch::{what}({name:?}): {why}"),
        )
    })
}

/// An owned `EXCEPINFO`, whose BSTRs are freed on drop.
struct ExcepInfo(EXCEPINFO);

impl ExcepInfo {
    fn new() -> ExcepInfo {
        ExcepInfo(EXCEPINFO {
            wCode: 0,
            wReserved: 0,
            bstrSource: ptr::null_mut(),
            bstrDescription: ptr::null_mut(),
            bstrHelpFile: ptr::null_mut(),
            dwHelpContext: 0,
            pvReserved: ptr::null_mut(),
            pfnDeferredFillIn: None,
            scode: sys::S_OK,
        })
    }

    /// The exception's code (`scode`; `S_OK` when it gave only a `wCode`) and a line of text:
    /// `source: description`, and the `wCode` if any.
    fn read(&mut self) -> (HRESULT, String) {
        if let Some(fill_in) = self.0.pfnDeferredFillIn.take() {
            // Its failure leaves the fields as they are, which is what is reported then.
            // SAFETY: the server's own callback, given the structure it asked to fill.
            let _ = unsafe { fill_in(&mut self.0) };
        }
        let text = |bstr: *mut u16| {
            if bstr.is_null() {
                return String::new();
            }
            // SAFETY: a BSTR the server wrote here, owned by `self` until drop; read by its
            // length prefix.
            let units = unsafe { core::slice::from_raw_parts(bstr, SysStringLen(bstr) as usize) };
            String::from_utf16_lossy(units).trim().to_owned()
        };
        let mut line = match (text(self.0.bstrSource), text(self.0.bstrDescription)) {
            (source, description) if source.is_empty() => description,
            (source, description) if description.is_empty() => source,
            (source, description) => format!("{source}: {description}"),
        };
        if self.0.wCode != 0 {
            line = format!("{line} (wCode {})", self.0.wCode);
        }
        (self.0.scode, line.trim().to_owned())
    }
}

impl Drop for ExcepInfo {
    fn drop(&mut self) {
        for bstr in [
            self.0.bstrSource,
            self.0.bstrDescription,
            self.0.bstrHelpFile,
        ] {
            // SAFETY: null, or a BSTR the server handed over with the exception; each freed
            // once, here.
            unsafe { SysFreeString(bstr) };
        }
    }
}
