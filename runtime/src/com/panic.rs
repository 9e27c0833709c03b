//! Panic containment: no panic unwinds out of a function a COM caller calls. The user's code
//! runs under `catch_unwind`, and a panic is logged (the object keeps working) or aborts the
//! process, as the attribute's `on_panic` says.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// What happens when the user's code (or its `Drop`) panics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnPanic {
    /// `log::error!`, and the object keeps working.
    Log,
    /// Print the panic message and abort the process.
    Abort,
}

/// Runs `call`, containing a panic as `on_panic` says; `None` when it panicked. `type_name` and
/// `during` name the code in the report ("`my::Watcher`: panic in notify ...").
#[inline(always)]
pub(crate) fn contain<R>(
    on_panic: OnPanic,
    type_name: &'static str,
    during: &'static str,
    call: impl FnOnce() -> R,
) -> Option<R> {
    match catch_unwind(AssertUnwindSafe(call)) {
        Ok(value) => Some(value),
        Err(payload) => {
            contained(on_panic, type_name, during, payload);
            None
        }
    }
}

/// Reports a panic caught at the COM boundary, as `on_panic` says.
#[cold]
#[inline(never)]
fn contained(on_panic: OnPanic, type_name: &str, during: &str, payload: Box<dyn Any + Send>) {
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(a panic payload that is not a string)");
    match on_panic {
        OnPanic::Log => {
            // A logger that panics must not unwind into the COM caller either.
            let _ = catch_unwind(|| {
                log::error!(
                    "{type_name}: panic in {during} contained at the COM boundary: {message} \
                     (on_panic = \"log\"; the sink keeps working)"
                )
            });
        }
        OnPanic::Abort => {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "mapi_notify_sink: {type_name}: panic in {during}: {message}; aborting (on_panic = \"abort\")"
            );
            std::process::abort();
        }
    }
    // Dropping the payload runs its `Drop`, which could panic in turn: then leak it.
    if let Err(again) = catch_unwind(AssertUnwindSafe(move || drop(payload))) {
        core::mem::forget(again);
    }
}
