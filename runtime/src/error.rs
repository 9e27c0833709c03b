//! The crate's error: an HRESULT and what was being done when it came back.

use crate::sys;
use std::borrow::Cow;
use windows_core::HRESULT;

/// A failed call to the offline manager: the HRESULT, and what was being done.
///
/// ```
/// use mapi_notify_sink::{sys, Error};
/// let error = Error::new(sys::E_PENDING, "IMAPIOffline::SetCurrentState");
/// assert_eq!(error.code(), sys::E_PENDING);
/// assert_eq!(error.to_string(), "IMAPIOffline::SetCurrentState failed: 0x8000000A (E_PENDING)");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    code: HRESULT,
    context: Cow<'static, str>,
}

/// `Result<T, mapi_notify_sink::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error with `code` that happened while doing `context`.
    pub fn new(code: HRESULT, context: impl Into<Cow<'static, str>>) -> Self {
        Self {
            code,
            context: context.into(),
        }
    }

    /// The HRESULT.
    pub fn code(&self) -> HRESULT {
        self.code
    }

    /// `Ok(())` for a success code, else this error.
    pub(crate) fn check(code: HRESULT, context: &'static str) -> Result<()> {
        if code.is_ok() {
            Ok(())
        } else {
            Err(Self::new(code, context))
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} failed: {:#010X}", self.context, self.code.0 as u32)?;
        if let Some(name) = sys::hresult_name(self.code) {
            write!(f, " ({name})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// For `?` inside windows-rs code, such as a method of an `#[implement]`ed COM object, which
/// returns `windows_core::Result`: the HRESULT goes to the COM caller. The text does not:
/// windows-core would record it with `RoOriginateErrorW`, which aborts the process under Wine 8
/// (an unimplemented stub), so log it where the error arises if it matters.
///
/// ```
/// use mapi_notify_sink::{sys, Error};
///
/// fn a_com_method() -> windows_core::Result<()> {
///     Err(Error::new(sys::E_PENDING, "IMAPIOffline::SetCurrentState"))?;
///     Ok(())
/// }
/// assert_eq!(a_com_method().unwrap_err().code(), sys::E_PENDING);
/// ```
impl From<Error> for windows_core::Error {
    fn from(error: Error) -> Self {
        windows_core::Error::from_hresult(error.code)
    }
}
