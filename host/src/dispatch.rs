//! An `IDispatch` that answers no names: Outlook's `AddInInst` argument (add-ins rarely use
//! it), and the stub a hand-written add-in has when it supports only the vtable
//! (`host/flawed-addin`). [`nameless_dispatch!`](crate::nameless_dispatch) writes the
//! `IDispatch_Impl` for an `#[implement]`ed type; [`NamelessDispatch`] is an object with it.

/// `impl IDispatch_Impl for $Type_Impl` answering no names: no type information
/// (`DISP_E_BADINDEX`), `DISP_E_UNKNOWNNAME` for every name, `DISP_E_MEMBERNOTFOUND` for every
/// DISPID.
#[macro_export]
macro_rules! nameless_dispatch {
    ($impl_type:ty) => {
        impl ::windows::Win32::System::Com::IDispatch_Impl for $impl_type {
            fn GetTypeInfoCount(&self) -> ::windows::core::Result<u32> {
                Ok(0)
            }
            fn GetTypeInfo(
                &self,
                _: u32,
                _: u32,
            ) -> ::windows::core::Result<::windows::Win32::System::Com::ITypeInfo> {
                Err(::windows::Win32::Foundation::DISP_E_BADINDEX.into())
            }
            fn GetIDsOfNames(
                &self,
                _: *const ::windows::core::GUID,
                _: *const ::windows::core::PCWSTR,
                _: u32,
                _: u32,
                _: *mut i32,
            ) -> ::windows::core::Result<()> {
                Err(::windows::Win32::Foundation::DISP_E_UNKNOWNNAME.into())
            }
            #[allow(clippy::too_many_arguments)]
            fn Invoke(
                &self,
                _: i32,
                _: *const ::windows::core::GUID,
                _: u32,
                _: ::windows::Win32::System::Com::DISPATCH_FLAGS,
                _: *const ::windows::Win32::System::Com::DISPPARAMS,
                _: *mut ::windows::Win32::System::Variant::VARIANT,
                _: *mut ::windows::Win32::System::Com::EXCEPINFO,
                _: *mut u32,
            ) -> ::windows::core::Result<()> {
                Err(::windows::Win32::Foundation::DISP_E_MEMBERNOTFOUND.into())
            }
        }
    };
}

/// An `IDispatch` object that answers no names: what Outlook passes as `AddInInst`.
#[windows::core::implement(windows::Win32::System::Com::IDispatch)]
pub struct NamelessDispatch;

nameless_dispatch!(NamelessDispatch_Impl);
