//! `profile_name`: the current Outlook profile's name, `Application.Session.CurrentProfileName`,
//! read through `IDispatch` as a script would, with the crate's [`automation`](crate::automation)
//! (its one implementation of calling `Invoke`); this module is the walk and its errors, one
//! per step.

use crate::automation::{Dispatch, InvokeError, RawVariant};
use crate::error::{Error, Result};
use crate::sys;
use windows_core::IUnknown;

/// The name of the Outlook profile in use: `Application.Session.CurrentProfileName`, from the
/// `Application` object Outlook passes to an add-in's `OnConnection`. This is the name
/// [`OfflineManager::open`](crate::OfflineManager::open) takes. Windows only.
///
/// `application` is QueryInterfaced for `IDispatch`; then `Session` and `CurrentProfileName` are
/// each looked up by name (`GetIDsOfNames`; no DISPID is hard-coded) and read with
/// `Invoke(DISPATCH_PROPERTYGET)`. Every reference and string handed out on the way is released
/// before this returns, on error paths too; `application`'s own count is left as it was.
///
/// Call it on the thread that received `OnConnection`: Outlook's object model works only on
/// Outlook's main thread, and answers `RPC_E_WRONG_THREAD` on others.
///
/// # Errors
///
/// Each failing step is an [`Error`] whose text names the step and whose
/// [`code`](Error::code) is its HRESULT, for instance
/// `profile_name: Application.GetIDsOfNames("Session") failed: 0x80020006 (DISP_E_UNKNOWNNAME)`:
/// - `Application.QueryInterface(IDispatch)`, `Application.GetIDsOfNames("Session")`,
///   `Application.Invoke(Session, DISPATCH_PROPERTYGET)`, and the same two calls on `Session`
///   for `CurrentProfileName`: the HRESULT they returned. When `Invoke` raises an exception
///   (`DISP_E_EXCEPTION`), the code is the exception's `scode` and the text has its source and
///   description.
/// - A value of the wrong type (`Session` not a non-null `VT_DISPATCH`, `CurrentProfileName`
///   not a `VT_BSTR`): `DISP_E_TYPEMISMATCH`, and the text says what came back.
/// - An empty name (an empty or null BSTR, as when no profile is logged on yet):
///   `E_UNEXPECTED`.
/// - A name that is not valid UTF-16 (an unpaired surrogate):
///   `HRESULT_FROM_WIN32(ERROR_NO_UNICODE_TRANSLATION)` (0x80070459), with the name shown with
///   U+FFFD in its place. It is an error rather than a lossy `String` because the name is meant
///   to be passed back to MAPI, and a repaired name would name another profile.
///
/// # Example
///
/// ```
/// # #[cfg(windows)]
/// fn on_connection(application: &windows_core::IUnknown) -> mapi_notify_sink::Result<()> {
///     let profile = mapi_notify_sink::profile_name(application)?;
///     let manager = mapi_notify_sink::OfflineManager::open(&profile)?;
///     // ... advise a sink on `manager` ...
///     # let _ = manager;
///     Ok(())
/// }
/// ```
pub fn profile_name(application: &IUnknown) -> Result<String> {
    let application = Dispatch::from_unknown(application).map_err(|error| {
        Error::new(
            error.code(),
            "profile_name: Application.QueryInterface(IDispatch)",
        )
    })?;
    let session = property(&application, "Application", "Session")?
        .into_dispatch()
        .map_err(|got| {
            Error::new(
                sys::DISP_E_TYPEMISMATCH,
                format!("profile_name: Application.Session as VT_DISPATCH (got {got})"),
            )
        })?;
    let name = property(&session, "Session", "CurrentProfileName")?;
    let units = name.bstr().map_err(|got| {
        Error::new(
            sys::DISP_E_TYPEMISMATCH,
            format!("profile_name: Session.CurrentProfileName as VT_BSTR (got {got})"),
        )
    })?;
    if units.is_empty() {
        return Err(Error::new(
            sys::E_UNEXPECTED,
            "profile_name: Session.CurrentProfileName (it is empty: no profile is logged on)",
        ));
    }
    String::from_utf16(units).map_err(|_| {
        Error::new(
            sys::ERROR_NO_UNICODE_TRANSLATION,
            format!(
                "profile_name: Session.CurrentProfileName {:?} as UTF-16 (it has an unpaired \
                 surrogate, shown as U+FFFD)",
                String::from_utf16_lossy(units)
            ),
        )
    })
}

/// `object.property`, looked up by name and read with `Invoke(DISPATCH_PROPERTYGET)`.
fn property(object: &Dispatch, object_name: &str, property: &str) -> Result<RawVariant> {
    let dispid = object.id_of_name(property).map_err(|code| {
        Error::new(
            code,
            format!("profile_name: {object_name}.GetIDsOfNames({property:?})"),
        )
    })?;
    object
        .invoke_raw(dispid, sys::DISPATCH_PROPERTYGET, &mut [])
        .map_err(|InvokeError { code, exception }| {
            let step =
                format!("profile_name: {object_name}.Invoke({property}, DISPATCH_PROPERTYGET)");
            match exception {
                Some(text) => {
                    Error::new(code, format!("{step} raised an exception ({text:?}) and"))
                }
                None => Error::new(code, step),
            }
        })
}
