//! `capi_dispatch_check`: the library's late-bound client, `automation::Dispatch`, driven against
//! an `IDispatch` written in C++ (`cpp/dispatch_object.cpp`), each check printed as the C++
//! program prints its own (`ok   ...` / `FAIL ...`).

use core::ffi::c_void;
use mapi_notify_sink::automation::{Dispatch, FromVariant, Variant};
use mapi_notify_sink::sys;
use windows_core::{IUnknown, Interface, HRESULT};

/// `E_FAIL`, the C++ object's exception's `scode`.
const E_FAIL: HRESULT = HRESULT(0x8000_4005_u32 as i32);

struct Checks {
    passed: u32,
    failed: u32,
}

impl Checks {
    fn check(&mut self, ok: bool, what: impl core::fmt::Display) {
        println!("{} {what}", if ok { "ok  " } else { "FAIL" });
        if ok {
            self.passed += 1;
        } else {
            self.failed += 1;
        }
    }

    /// A call that must fail: its error's code is `code` and its text has each of `words`.
    fn error<T: core::fmt::Debug>(
        &mut self,
        what: &str,
        result: mapi_notify_sink::Result<T>,
        code: HRESULT,
        words: &[&str],
    ) {
        match result {
            Ok(value) => self.check(false, format!("{what}: an error, not {value:?}")),
            Err(error) => {
                let text = error.to_string();
                let ok = error.code() == code && words.iter().all(|word| text.contains(word));
                self.check(ok, format!("{what}: {text}"));
            }
        }
    }
}

/// Runs the checks against the C++ object; returns how many failed, and how many passed in
/// `*passed`.
///
/// # Safety
/// `dispatch` is a live `IDispatch*` on which the caller holds a reference, on a thread in a
/// single-threaded apartment; `passed` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn capi_dispatch_check(dispatch: *mut c_void, passed: *mut u32) -> u32 {
    // SAFETY: the caller's live object, borrowed for this call.
    let Some(unknown) = (unsafe { IUnknown::from_raw_borrowed(&dispatch) }) else {
        return 1;
    };
    let mut checks = Checks {
        passed: 0,
        failed: 0,
    };
    match Dispatch::from_unknown(unknown) {
        Ok(object) => run(&mut checks, &object),
        Err(error) => checks.check(false, format!("Dispatch::from_unknown: {error}")),
    }
    // SAFETY: the caller's promise.
    unsafe { passed.write(checks.passed) };
    checks.failed
}

fn run(checks: &mut Checks, object: &Dispatch) {
    // Every kind there and back, and the VARTYPE the C++ side received.
    let kinds: [(Variant, u16); 20] = [
        (Variant::Empty, sys::VT_EMPTY),
        (Variant::Null, sys::VT_NULL),
        (Variant::Bool(true), sys::VT_BOOL),
        (Variant::Bool(false), sys::VT_BOOL),
        (Variant::I8(-5), sys::VT_I1),
        (Variant::I16(-300), sys::VT_I2),
        (Variant::I32(-70_000), sys::VT_I4),
        (Variant::I64(-(1 << 40)), sys::VT_I8),
        (Variant::U8(200), sys::VT_UI1),
        (Variant::U16(60_000), sys::VT_UI2),
        (Variant::U32(4_000_000_000), sys::VT_UI4),
        (Variant::U64(1 << 63), sys::VT_UI8),
        (Variant::F32(1.5), sys::VT_R4),
        (Variant::F64(-2.25), sys::VT_R8),
        (Variant::String("Grüße 😀".into()), sys::VT_BSTR),
        (Variant::Date(46_000.75), sys::VT_DATE),
        (Variant::Error(E_FAIL), sys::VT_ERROR),
        (
            Variant::Array(vec![Variant::I32(1), Variant::String("two".into())]),
            sys::VT_ARRAY | sys::VT_VARIANT,
        ),
        (Variant::Dispatch(object.clone()), sys::VT_DISPATCH),
        (Variant::Unknown(object.to_unknown()), sys::VT_UNKNOWN),
    ];
    for (value, vt) in kinds {
        let described = value.describe();
        let echoed = object.call::<Variant>("Echo", core::slice::from_ref(&value));
        let same = match (&echoed, &value) {
            // An object comes back as the same object (its identity).
            (Ok(Variant::Unknown(back)), Variant::Unknown(sent)) => back == sent,
            (Ok(back), sent) => back == sent,
            (Err(_), _) => false,
        };
        checks.check(
            same,
            format!("Echo({described}) comes back equal: {echoed:?}"),
        );
        let received = object.get::<i32>("LastType");
        checks.check(
            received.as_ref().ok() == Some(&i32::from(vt)),
            format!("Echo({described}): the C++ side received VARTYPE {vt:#x}: {received:?}"),
        );
    }

    // Arguments in the order written (DISPPARAMS holds them reversed).
    let args = [Variant::from("first"), Variant::I32(2), Variant::Bool(true)];
    let back = object.call::<Vec<Variant>>("Args", &args);
    checks.check(
        back.as_ref().ok() == Some(&args.to_vec()),
        format!("Args(\"first\", 2, true) arrive in that order: {back:?}"),
    );

    // A property put (DISPATCH_PROPERTYPUT, DISPID_PROPERTYPUT named) and read.
    let put = object.put("Value", 42);
    checks.check(put.is_ok(), format!("put(\"Value\", 42): {put:?}"));
    let value = object.get::<i32>("Value");
    checks.check(
        value.as_ref().ok() == Some(&42),
        format!("get(\"Value\"): {value:?}"),
    );

    // An object property is set by reference (DISPATCH_PROPERTYPUTREF), read back, cleared.
    let set = object.put("Owner", Variant::Dispatch(object.clone()));
    checks.check(
        set.is_ok(),
        format!("put(\"Owner\", an object) by reference: {set:?}"),
    );
    let owner = object.get::<Dispatch>("Owner");
    checks.check(
        owner.as_ref().ok() == Some(object),
        format!("get(\"Owner\") is that object: {owner:?}"),
    );
    drop(owner);
    let cleared = object.put("Owner", Variant::Empty);
    checks.check(
        cleared.is_ok(),
        format!("put(\"Owner\", nothing): {cleared:?}"),
    );

    // A property declared a plain put takes an object by value after refusing it by reference.
    let held = object.put("Holder", Variant::Dispatch(object.clone()));
    checks.check(
        held.is_ok(),
        format!("put(\"Holder\", an object) by value: {held:?}"),
    );
    let holder = object.get::<Dispatch>("Holder");
    checks.check(
        holder.as_ref().ok() == Some(object),
        format!("get(\"Holder\") is that object: {holder:?}"),
    );
    drop(holder);
    let emptied = object.put("Holder", Variant::Empty);
    checks.check(
        emptied.is_ok(),
        format!("put(\"Holder\", nothing): {emptied:?}"),
    );

    // A by-reference result is read through its pointer; a null one is an error.
    let counter = object.get::<i32>("Counter");
    checks.check(
        counter.as_ref().ok() == Some(&7),
        format!("a VT_BYREF | VT_I4 result is read through its pointer: {counter:?}"),
    );
    checks.error(
        "a VT_BYREF result holding a null pointer",
        object.get::<Variant>("NullByRef"),
        sys::DISP_E_TYPEMISMATCH,
        &["NullByRef", "null"],
    );

    // A string is read by its length: the NUL inside it is kept.
    let embedded = object.get::<String>("Embedded");
    checks.check(
        embedded.as_deref().ok() == Some("a\0b"),
        format!("a BSTR with a NUL inside is read by its length (3 units): {embedded:?}"),
    );
    checks.error(
        "a value of another type than asked",
        object.get::<i32>("Embedded"),
        sys::DISP_E_TYPEMISMATCH,
        &["Embedded", "VT_BSTR", "integer"],
    );
    checks.error(
        "an array of two dimensions",
        object.get::<Variant>("TwoD"),
        sys::DISP_E_TYPEMISMATCH,
        &["TwoD", "dimension"],
    );
    checks.error(
        "a null object where one was asked",
        object.get::<Dispatch>("NullObject"),
        sys::DISP_E_TYPEMISMATCH,
        &["NullObject", "a null object"],
    );
    let missing = object.get::<Option<Dispatch>>("NullObject");
    checks.check(
        matches!(missing, Ok(None)),
        format!("a null object asked for as Option<Dispatch> is None: {missing:?}"),
    );
    checks.error(
        "an exception",
        object.call::<Variant>("Fail", &[]),
        E_FAIL,
        &["Fail", "the C++ object refuses"],
    );
    checks.error(
        "a name the object does not know",
        object.get::<Variant>("Nope"),
        sys::DISP_E_UNKNOWNNAME,
        &["Nope"],
    );
    // A conversion of the value alone names both types too.
    let converted = u8::from_variant(Variant::I32(300));
    checks.check(
        converted.is_err(),
        format!("300 is not a u8: {converted:?}"),
    );
}
