//! Panic containment: no panic unwinds out of a function a COM caller calls. The user's code
//! runs under `catch_unwind`, and a panic is logged (the object keeps working) or aborts the
//! process, as the attribute's `on_panic` says.
//!
//! The application's logger is code not ours too, and may panic: every record the crate makes
//! on a path a COM caller can reach outside [`contain`] goes through [`log_contained`], which
//! drops such a panic (there is nowhere left to report it).

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
        OnPanic::Log => log_contained(|| {
            log::error!(
                "{type_name}: panic in {during} contained at the COM boundary: {message} \
                 (on_panic = \"log\"; the sink keeps working)"
            )
        }),
        OnPanic::Abort => {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "mapi_notify_sink: {type_name}: panic in {during}: {message}; aborting (on_panic = \"abort\")"
            );
            std::process::abort();
        }
    }
    drop_contained(payload);
}

/// Runs `record`, a logging call made where a panic must not unwind (on a path from a COM
/// caller, outside [`contain`]); a panic in the logger is dropped. Cold and out of line: the
/// records are warnings about a caller's mistakes, and the paths that make them stay small.
#[cold]
#[inline(never)]
pub(crate) fn log_contained(record: impl FnOnce()) {
    if let Err(payload) = catch_unwind(AssertUnwindSafe(record)) {
        drop_contained(payload);
    }
}

/// Drops a panic's payload; its `Drop` could panic in turn: then it is leaked.
fn drop_contained(payload: Box<dyn Any + Send>) {
    if let Err(again) = catch_unwind(AssertUnwindSafe(move || drop(payload))) {
        core::mem::forget(again);
    }
}
