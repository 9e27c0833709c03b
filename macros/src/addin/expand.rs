//! Writes the expansion: the author's impl block unchanged; one trait impl that gives the
//! library the add-in's type and options; and, for Windows only, the DLL's six exports (COM's
//! five and `MapiNotifySinkAddInState`, a host's question), each one line into the library's
//! generic code. A marker makes a second add-in in the crate a compile error.

use super::ast::AddInImpl;
use super::attr::Options;
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

pub fn expand(addin: &AddInImpl<'_>, options: &Options, attribute: Span) -> TokenStream {
    let item = addin.item;
    let self_ty = &item.self_ty;
    let krate = &options.krate;
    let p = quote!(#krate::addin::__private);
    let clsid = options.clsid.expect("checked");
    let (progid, name, description) = (&options.progid, &options.name, &options.description);
    let load_behavior = options.load_behavior;
    let shutdown_notification = options.shutdown_notification;
    let (log_level, log) = (&options.log_level, options.log);
    // Spanned at the author's return type, so a `Result` of another type is reported there.
    let connect_span = match addin.on_connection.map(|f| &f.sig.output) {
        Some(syn::ReturnType::Type(_, ty)) => ty.span(),
        _ => Span::call_site(),
    };
    let on_connection = quote_spanned!(connect_span=> Self::on_connection(self, outlook));
    let on_disconnection = addin.on_disconnection.map(|_| {
        quote!(
            fn on_disconnection(&self) {
                Self::on_disconnection(self)
            }
        )
    });
    let on_startup_complete = addin.on_startup_complete.map(|_| {
        quote!(
            fn on_startup_complete(&self) {
                Self::on_startup_complete(self)
            }
        )
    });
    let only_one = once_per_crate(attribute);
    let no_unwinding = unwinding_needed(attribute);
    quote! {
        #item

        #only_one
        #no_unwinding

        // On every OS (off Windows it only keeps the methods in use); the exports are Windows'.
        #[automatically_derived]
        impl #p::OutlookAddIn for #self_ty {
                const DESCRIPTOR: #p::Descriptor = #p::Descriptor {
                    clsid: #p::GUID::from_u128(#clsid),
                    progid: #progid,
                    name: #name,
                    description: #description,
                    load_behavior: #load_behavior,
                    shutdown_notification: #shutdown_notification,
                    log_level: #log_level,
                    log: #log,
                };
                fn on_connection(&self, outlook: &#krate::addin::Outlook) -> #krate::Result<()> {
                    #on_connection
                }
                #on_disconnection
                #on_startup_complete
        }

        #[cfg(windows)]
        const _: () = {
            #[unsafe(no_mangle)]
            unsafe extern "system" fn DllGetClassObject(
                clsid: *const #p::GUID,
                iid: *const #p::GUID,
                out: *mut *mut #p::c_void,
            ) -> #p::HRESULT {
                // SAFETY: COM's contract for the three pointers, passed on (and checked there).
                unsafe { #p::dll_get_class_object::<#self_ty>(clsid, iid, out) }
            }

            #[unsafe(no_mangle)]
            extern "system" fn DllCanUnloadNow() -> #p::HRESULT {
                #p::dll_can_unload_now::<#self_ty>()
            }

            #[unsafe(no_mangle)]
            extern "system" fn DllRegisterServer() -> #p::HRESULT {
                #p::dll_register_server::<#self_ty>()
            }

            #[unsafe(no_mangle)]
            extern "system" fn DllUnregisterServer() -> #p::HRESULT {
                #p::dll_unregister_server::<#self_ty>()
            }

            #[unsafe(no_mangle)]
            unsafe extern "system" fn DllInstall(install: i32, command_line: *const u16) -> #p::HRESULT {
                // SAFETY: regsvr32's contract for `command_line`, passed on.
                unsafe { #p::dll_install::<#self_ty>(install, command_line) }
            }

            #[unsafe(no_mangle)]
            unsafe extern "system" fn MapiNotifySinkAddInState(text: *mut u16, capacity: u32) -> #p::HRESULT {
                // SAFETY: the host's contract for `text`, passed on.
                unsafe { #p::addin_state::<#self_ty>(text, capacity) }
            }
        };
    }
}

/// A macro at the crate's root whatever module the add-in is in: a second one is rustc's
/// "defined multiple times" error at the second attribute, in both editions and on any OS.
pub fn once_per_crate(attribute: Span) -> TokenStream {
    let name = syn::Ident::new("only_one_outlook_addin_per_crate", attribute);
    quote! {
        #[doc(hidden)]
        #[macro_export]
        macro_rules! #name { () => {} }
    }
}

/// A warning, at the attribute, when the crate is built with `panic = "abort"`: the library's
/// guards turn a panic into a log line and an error code for Outlook, which needs unwinding;
/// without it every panic ends Outlook. (A deprecated item is the one warning a macro can give
/// on stable Rust.)
fn unwinding_needed(attribute: Span) -> TokenStream {
    quote_spanned! {attribute=>
        #[cfg(panic = "abort")]
        const _: () = {
            #[deprecated(
                note = "this add-in is built with `panic = \"abort\"`: a panic can no longer be \
                        contained, and any panic in the add-in ends Outlook; remove \
                        `panic = \"abort\"` from the profile (Cargo.toml) to keep the guards"
            )]
            #[allow(non_upper_case_globals)]
            const panics_abort_outlook: () = ();
            panics_abort_outlook
        };
    }
}
