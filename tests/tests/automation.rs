//! `automation::Dispatch` and `Variant` against an `IDispatch` written the windows-rs way (an
//! echo object), in a single-threaded apartment as on Outlook's main thread: every `Variant`
//! kind there and back, arguments in their written order, a property put and read, a member
//! name the object does not know, an exception with its text, a result of another type than
//! asked; and the names resolved once. Windows (under Wine by `scripts/test-windows.sh`).
#![cfg(windows)]

use mapi_notify_sink::automation::{Dispatch, Variant};
use mapi_notify_sink::sys;
use std::cell::{Cell, RefCell};
use windows::core::{implement, Error, IUnknown, Interface, Result, BSTR, GUID, HRESULT, PCWSTR};
use windows::Win32::System::Com::SAFEARRAYBOUND;
use windows::Win32::System::Com::{
    CoInitializeEx, CoUninitialize, IDispatch, IDispatch_Impl, ITypeInfo, COINIT_APARTMENTTHREADED,
    DISPATCH_FLAGS, DISPATCH_PROPERTYPUT, DISPPARAMS, EXCEPINFO,
};
use windows::Win32::System::Ole::{SafeArrayCreate, SafeArrayCreateVector, SafeArrayPutElement};
use windows::Win32::System::Variant::{
    VariantClear, VariantCopy, VARIANT, VT_ARRAY, VT_I4, VT_VARIANT,
};

const ECHO: i32 = 1;
const VALUE: i32 = 2;
const FAIL: i32 = 3;
const ARGS: i32 = 4;
const PROBE: i32 = 5;
const SELF_REF: i32 = 6;
const TWO_D: i32 = 7;
const DEEP: i32 = 8;
const DISP_E_UNKNOWNNAME: HRESULT = HRESULT(0x8002_0006_u32 as i32);
const DISP_E_EXCEPTION: HRESULT = HRESULT(0x8002_0009_u32 as i32);
const E_FAIL: HRESULT = HRESULT(0x8000_4005_u32 as i32);

/// Echo returns its one argument; Value is a property; Fail raises an exception; Args returns
/// its arguments as an array, in the order the caller wrote them (DISPPARAMS holds them
/// reversed).
#[implement(IDispatch)]
struct Echo {
    value: RefCell<VARIANT>,
}

thread_local! {
    /// `GetIDsOfNames` calls on this thread (each test runs on its own).
    static NAMES_ASKED: Cell<u32> = const { Cell::new(0) };
}

impl IDispatch_Impl for Echo_Impl {
    fn GetTypeInfoCount(&self) -> Result<u32> {
        Ok(0)
    }

    fn GetTypeInfo(&self, _index: u32, _lcid: u32) -> Result<ITypeInfo> {
        Err(Error::from_hresult(E_FAIL))
    }

    fn GetIDsOfNames(
        &self,
        _riid: *const GUID,
        names: *const PCWSTR,
        _count: u32,
        _lcid: u32,
        dispids: *mut i32,
    ) -> Result<()> {
        NAMES_ASKED.set(NAMES_ASKED.get() + 1);
        // SAFETY: the caller's one name and room for one DISPID.
        let name = unsafe { (*names).to_string() }.unwrap_or_default();
        let id = match name.as_str() {
            "Echo" => ECHO,
            "Value" => VALUE,
            "Fail" => FAIL,
            "Args" => ARGS,
            "Probe" => PROBE,
            "SelfRef" => SELF_REF,
            "TwoD" => TWO_D,
            "Deep" => DEEP,
            _ => return Err(Error::from_hresult(DISP_E_UNKNOWNNAME)),
        };
        // SAFETY: as above.
        unsafe { *dispids = id };
        Ok(())
    }

    fn Invoke(
        &self,
        dispid: i32,
        _riid: *const GUID,
        _lcid: u32,
        flags: DISPATCH_FLAGS,
        params: *const DISPPARAMS,
        result: *mut VARIANT,
        exception: *mut EXCEPINFO,
        _arg_error: *mut u32,
    ) -> Result<()> {
        // SAFETY: the caller's DISPPARAMS, with `cArgs` arguments.
        let params = unsafe { &*params };
        let args: &[VARIANT] = if params.cArgs == 0 {
            &[]
        } else {
            // SAFETY: as above.
            unsafe { core::slice::from_raw_parts(params.rgvarg, params.cArgs as usize) }
        };
        // SAFETY: each arm writes what the caller's `result` or `exception` may hold, and reads
        // only the arguments given.
        unsafe {
            match dispid {
                ECHO => VariantCopy(result, &args[0]),
                VALUE if flags == DISPATCH_PROPERTYPUT => {
                    assert_eq!(params.cNamedArgs, 1, "a put names its value");
                    assert_eq!(*params.rgdispidNamedArgs, -3, "as DISPID_PROPERTYPUT");
                    VariantCopy(&mut *self.value.borrow_mut(), &args[0])
                }
                VALUE => VariantCopy(result, &*self.value.borrow()),
                FAIL => {
                    (*exception).bstrSource = core::mem::ManuallyDrop::new(BSTR::from("Echo"));
                    (*exception).bstrDescription =
                        core::mem::ManuallyDrop::new(BSTR::from("the item was deleted"));
                    (*exception).scode = E_FAIL.0;
                    Err(Error::from_hresult(DISP_E_EXCEPTION))
                }
                ARGS => {
                    let array = SafeArrayCreateVector(VT_VARIANT, 0, args.len() as u32);
                    for (index, arg) in args.iter().rev().enumerate() {
                        SafeArrayPutElement(
                            array,
                            &(index as i32),
                            (arg as *const VARIANT).cast(),
                        )?;
                    }
                    let out = &mut *result.cast::<sys::VARIANT>();
                    out.vt = VT_ARRAY.0 | VT_VARIANT.0;
                    out.value.parray = array.cast();
                    Ok(())
                }
                PROBE => {
                    // What arrived on the wire: a VT_BOOL's raw word; a VT_DISPATCH's pointer
                    // used as the IDispatch it must be (its GetIDsOfNames("Echo")).
                    let arg = &*(&args[0] as *const VARIANT).cast::<sys::VARIANT>();
                    let out = &mut *result.cast::<sys::VARIANT>();
                    out.vt = sys::VT_I4;
                    out.value.lVal = match arg.vt {
                        sys::VT_BOOL => i32::from(arg.value.boolVal),
                        sys::VT_DISPATCH => {
                            let raw = arg.value.pdispVal;
                            let object = IDispatch::from_raw_borrowed(&raw).unwrap();
                            let name: Vec<u16> = "Echo".encode_utf16().chain([0]).collect();
                            let mut id = -1;
                            object.GetIDsOfNames(
                                &GUID::zeroed(),
                                &PCWSTR(name.as_ptr()),
                                1,
                                0,
                                &mut id,
                            )?;
                            id
                        }
                        other => -i32::from(other),
                    };
                    Ok(())
                }
                SELF_REF => {
                    // A by-reference VARIANT whose target is itself by reference (to itself).
                    let target = SELF.with(|target| target.get());
                    (*target).vt = sys::VT_VARIANT | sys::VT_BYREF;
                    (*target).value.byref = target.cast();
                    let out = &mut *result.cast::<sys::VARIANT>();
                    out.vt = sys::VT_VARIANT | sys::VT_BYREF;
                    out.value.byref = target.cast();
                    Ok(())
                }
                TWO_D => {
                    let bounds = [
                        SAFEARRAYBOUND {
                            cElements: 2,
                            lLbound: 0,
                        },
                        SAFEARRAYBOUND {
                            cElements: 2,
                            lLbound: 0,
                        },
                    ];
                    let array = SafeArrayCreate(VT_I4, 2, bounds.as_ptr());
                    let out = &mut *result.cast::<sys::VARIANT>();
                    out.vt = sys::VT_ARRAY | sys::VT_I4;
                    out.value.parray = array.cast();
                    Ok(())
                }
                DEEP => {
                    // Arrays in arrays, 40 deep.
                    let mut value = VARIANT::default();
                    for _ in 0..40 {
                        let array = SafeArrayCreateVector(VT_VARIANT, 0, 1);
                        SafeArrayPutElement(array, &0, (&value as *const VARIANT).cast())?;
                        let _ = VariantClear(&mut value);
                        let raw = &mut *(&mut value as *mut VARIANT).cast::<sys::VARIANT>();
                        raw.vt = sys::VT_ARRAY | sys::VT_VARIANT;
                        raw.value.parray = array.cast();
                    }
                    *result = value;
                    Ok(())
                }
                _ => Err(Error::from_hresult(DISP_E_UNKNOWNNAME)),
            }
        }
    }
}

thread_local! {
    /// The by-reference VARIANT `SelfRef` answers with, pointing to itself.
    static SELF: core::cell::UnsafeCell<sys::VARIANT> = const {
        core::cell::UnsafeCell::new(sys::VARIANT {
            vt: 0,
            wReserved1: 0,
            wReserved2: 0,
            wReserved3: 0,
            value: sys::VARIANT_0 { llVal: 0 },
        })
    };
}

impl Drop for Echo {
    fn drop(&mut self) {
        // SAFETY: the property's VARIANT, owned here.
        let _ = unsafe { VariantClear(&mut *self.value.borrow_mut()) };
    }
}

/// The test in an STA with a new echo object.
fn with_echo(test: impl FnOnce(&Dispatch, &IDispatch)) {
    // SAFETY: balanced by CoUninitialize below, on this thread.
    unsafe { CoInitializeEx(None, COINIT_APARTMENTTHREADED) }
        .ok()
        .unwrap();
    {
        let echo: IDispatch = Echo {
            value: RefCell::new(VARIANT::default()),
        }
        .into();
        let unknown: IUnknown = echo.cast().unwrap();
        let dispatch = Dispatch::from_unknown(&unknown).unwrap();
        test(&dispatch, &echo);
    }
    // SAFETY: as above.
    unsafe { CoUninitialize() };
}

#[test]
fn every_variant_kind_goes_there_and_back() {
    with_echo(|echo, raw| {
        let object = Dispatch::from_unknown(&raw.cast::<IUnknown>().unwrap()).unwrap();
        let values = [
            Variant::Empty,
            Variant::Null,
            Variant::Bool(true),
            Variant::Bool(false),
            Variant::I8(-8),
            Variant::I16(-16),
            Variant::I32(-32),
            Variant::I64(-64_000_000_000),
            Variant::U8(8),
            Variant::U16(16),
            Variant::U32(32),
            Variant::U64(64_000_000_000),
            Variant::F32(1.5),
            Variant::F64(-2.25),
            Variant::String("Réunion \u{1F4E8} with a \0 inside".into()),
            Variant::String(String::new()),
            Variant::Date(46000.5),
            Variant::Error(HRESULT(0x8002_0004_u32 as i32)),
            Variant::Array(vec![
                Variant::I32(1),
                Variant::String("two".into()),
                Variant::Array(vec![Variant::Bool(true)]),
            ]),
            Variant::Dispatch(object.clone()),
        ];
        for value in values {
            let back: Variant = echo.call("Echo", std::slice::from_ref(&value)).unwrap();
            assert_eq!(back, value);
        }
        // An object without IDispatch stays one; the same object comes back (COM identity).
        let unknown: IUnknown = raw.cast().unwrap();
        let back: Variant = echo
            .call("Echo", &[Variant::Unknown(unknown.clone())])
            .unwrap();
        match back {
            Variant::Dispatch(back) => assert_eq!(back.to_unknown(), unknown),
            Variant::Unknown(back) => assert_eq!(back, unknown),
            other => panic!("{other:?}"),
        }
    });
}

#[test]
fn arguments_arrive_in_their_written_order() {
    with_echo(|echo, _| {
        let args = [Variant::from(1), Variant::from("two"), Variant::from(3.0)];
        let back: Vec<Variant> = echo.call("Args", &args).unwrap();
        assert_eq!(back, args);
    });
}

#[test]
fn a_property_is_put_and_read_and_converted() {
    with_echo(|echo, _| {
        echo.put("Value", "Quarterly report").unwrap();
        assert_eq!(echo.get::<String>("Value").unwrap(), "Quarterly report");
        echo.put("Value", 41).unwrap();
        assert_eq!(echo.get::<i64>("Value").unwrap(), 41);
        assert_eq!(echo.get::<f64>("Value").unwrap(), 41.0);
        // Another type than asked: an error naming the member and both types.
        let error = echo.get::<String>("Value").unwrap_err();
        assert_eq!(error.code(), sys::DISP_E_TYPEMISMATCH);
        let text = error.to_string();
        assert!(
            text.contains("\"Value\"")
                && text.contains("expected a string (VT_BSTR), got a 32-bit integer (VT_I4)"),
            "{text}"
        );
        // A value that does not fit the integer asked for.
        echo.put("Value", 300).unwrap();
        assert!(echo
            .get::<u8>("Value")
            .unwrap_err()
            .to_string()
            .contains("expected an unsigned 8-bit integer"));
    });
}

#[test]
fn errors_name_the_member_the_hresult_and_the_exception() {
    with_echo(|echo, _| {
        let error = echo.get::<Variant>("Subjekt").unwrap_err();
        assert_eq!(error.code(), DISP_E_UNKNOWNNAME);
        assert!(error.to_string().contains("\"Subjekt\""), "{error}");
        let error = echo.call::<()>("Fail", &[]).unwrap_err();
        assert_eq!(error.code(), E_FAIL);
        let text = error.to_string();
        assert!(
            text.contains("\"Fail\"") && text.contains("Echo: the item was deleted"),
            "{text}"
        );
        // Nothing to write: an error before any call.
        let error = echo.call::<()>("Echo", &[Variant::Other(14)]).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("argument 1: VARTYPE 14 cannot be written"),
            "{error}"
        );
    });
}

#[test]
fn a_name_is_resolved_once() {
    with_echo(|echo, _| {
        let before = NAMES_ASKED.get();
        let _ = echo.call::<Variant>("Echo", &[Variant::from(1)]);
        let _ = echo.call::<Variant>("Echo", &[Variant::from(2)]);
        let clone = echo.clone();
        let _ = clone.call::<Variant>("Echo", &[Variant::from(3)]);
        assert_eq!(
            NAMES_ASKED.get() - before,
            1,
            "one GetIDsOfNames for three calls"
        );
    });
}

#[test]
fn what_arrives_is_what_automation_says() {
    with_echo(|echo, raw| {
        // VARIANT_TRUE is -1, VARIANT_FALSE 0.
        assert_eq!(
            echo.call::<i32>("Probe", &[Variant::Bool(true)]).unwrap(),
            -1
        );
        assert_eq!(
            echo.call::<i32>("Probe", &[Variant::Bool(false)]).unwrap(),
            0
        );
        // A VT_DISPATCH is the object's IDispatch, callable as one (its identity IUnknown, a
        // windows-rs object's, has another vtable).
        let object = Dispatch::from_unknown(&raw.cast::<IUnknown>().unwrap()).unwrap();
        assert_eq!(
            echo.call::<i32>("Probe", &[Variant::Dispatch(object)])
                .unwrap(),
            ECHO
        );
    });
}

#[test]
fn a_by_reference_value_that_refers_to_itself_is_an_error() {
    with_echo(|echo, _| {
        let error = echo.call::<Variant>("SelfRef", &[]).unwrap_err();
        assert_eq!(error.code(), sys::DISP_E_TYPEMISMATCH);
        let text = error.to_string();
        assert!(
            text.contains("pointing to another by-reference value"),
            "{text}"
        );
    });
}

#[test]
fn an_array_of_two_dimensions_is_an_error() {
    with_echo(|echo, _| {
        let text = echo.call::<Variant>("TwoD", &[]).unwrap_err().to_string();
        assert!(text.contains("an array of 2 dimensions"), "{text}");
    });
}

#[test]
fn arrays_nested_too_deep_are_an_error() {
    with_echo(|echo, _| {
        let text = echo.call::<Variant>("Deep", &[]).unwrap_err().to_string();
        assert!(text.contains("nested more than 16 deep"), "{text}");
    });
}
