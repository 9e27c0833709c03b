//! Outlook's object model from Rust: late-bound `IDispatch`, as a script uses it, with no
//! `unsafe` in the caller's code (Windows; elsewhere the types exist, so that an add-in crate
//! builds and tests on any OS, and [`Dispatch::from_unknown`] is an error).
//!
//! Outlook's objects (`Application`, `Namespace`, folders, items) answer `IDispatch`: a member
//! is found by name (`GetIDsOfNames`) and called with `Invoke`, its arguments in a `DISPPARAMS`
//! (in reverse order), its errors in an `EXCEPINFO`. [`Dispatch`] does all of it: members by
//! name, resolved once and cached; arguments and results as [`Variant`]s, converted to and from
//! Rust types ([`FromVariant`]); an error that names the member, the HRESULT and what the
//! object's exception said. windows-rs has no late binding (no type-library generation), and the
//! object model may be used only on Outlook's main thread: a `Dispatch` is neither `Send` nor
//! `Sync`.
//!
//! ```
//! # #[cfg(windows)] {
//! use mapi_notify_sink::automation::Variant;
//!
//! // What Outlook's `Items.Item(1)` takes and a `Subject` returns.
//! let index = Variant::from(1);
//! assert_eq!(index.describe(), "a 32-bit integer (VT_I4)");
//! let subject: String = Variant::from("Quarterly report").into_value().unwrap();
//! assert_eq!(subject, "Quarterly report");
//! # }
//! ```
//!
//! What a caller sends that is not what was asked (a value of another type, an array of more
//! than one dimension, a null pointer where an object or a by-reference value was said to be)
//! is an error, never a read of it; a string is read by its length prefix, never to a
//! terminator.

mod dispatch;
mod oleaut;
#[cfg(feature = "addin")]
pub(crate) mod server;
mod variant;

pub use dispatch::Dispatch;
#[cfg(any(windows, doc))] // profile_name's
pub(crate) use dispatch::InvokeError;
#[cfg(any(windows, doc))]
pub(crate) use variant::RawVariant;
pub use variant::{FromVariant, Variant, MAX_ARRAY_ELEMENTS, MAX_DEPTH};
